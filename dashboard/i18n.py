"""Thai-first labels with English equivalents, and Thai number/amount/year formatting.

Pure functions only: the callbacks and figure builders call these, tests call them directly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geodata.queries import Coverage

LABELS: dict[str, tuple[str, str]] = {
    "app_title": ("planmap — แผนที่ความต้องการพัฒนาและงบประมาณ", "planmap — development needs and budget"),
    "synthetic": ("ข้อมูลสังเคราะห์สำหรับสาธิต ไม่ใช่ข้อมูลจริง", "SYNTHETIC demonstration data — not real figures"),
    "schematic": (
        "แผนที่แผนผัง (สี่เหลี่ยมตามจำนวนตำบล) — นำเข้าขอบเขตจริงด้วย planmap geo load",
        "Schematic map (rectangles sized by number of tambons) — load real boundaries with planmap geo load",
    ),
    "db_down": (
        "ขณะนี้เชื่อมต่อฐานข้อมูลไม่ได้ ระบบจะลองใหม่อัตโนมัติ",
        "The database cannot be reached right now; the page retries by itself.",
    ),
    "db_stale": (
        "ตัวเลขที่แสดงอยู่เป็นข้อมูลก่อนขาดการเชื่อมต่อ อาจไม่เป็นปัจจุบัน (แสดงเป็นสีจาง)",
        "The figures shown are from before the connection was lost and may be out of date (shown faded).",
    ),
    "no_data": ("ยังไม่มีข้อมูล — รัน planmap demo หรือ planmap import", "No data yet — run planmap demo or planmap import"),
    "level": ("แสดงแผนที่ระดับ", "Map level"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "plan_level": ("ระดับแผน", "Plan level"),
    "metric": ("ตัวชี้วัดบนแผนที่", "Map metric"),
    "sector": ("ด้าน/ยุทธศาสตร์", "Sector / strategy"),
    "agency": ("หน่วยงาน", "Agency"),
    "funding_source": ("แหล่งงบประมาณ", "Funding source"),
    "all": ("ทั้งหมด", "All"),
    "compare": ("เทียบปีก่อน", "Change vs previous year"),
    "classes": ("การแบ่งช่วงสี", "Legend classes"),
    "quantile": ("ควอนไทล์", "Quantiles"),
    "jenks": ("ช่วงธรรมชาติ (Jenks)", "Natural breaks (Jenks)"),
    "tiles": ("แผนที่ถนน (ต้องใช้อินเทอร์เน็ต)", "Street tiles (needs internet)"),
    "rank_by": ("จัดอันดับตาม", "Rank by"),
    "boundaries": ("ขอบเขต", "Boundaries"),
    "no_value": ("ไม่มีข้อมูล", "no data"),
    "items": ("จำนวนโครงการ", "Items"),
    "requested_baht": ("วงเงินที่เสนอ (บาท)", "Requested (baht)"),
    # metrics
    "m_requested": ("วงเงินที่เสนอ", "Requested"),
    "m_funded": ("วงเงินที่ได้รับจัดสรร", "Funded"),
    "m_gap": ("ส่วนที่ยังไม่ได้รับจัดสรร", "Unfunded gap"),
    "m_share_amount": ("สัดส่วนที่ได้รับจัดสรร (ตามวงเงิน)", "Funded share (by amount)"),
    "m_share_count": ("สัดส่วนที่ได้รับจัดสรร (ตามจำนวนโครงการ)", "Funded share (by count)"),
    "m_items": ("จำนวนโครงการ", "Number of items"),
    "m_requested_pc": ("วงเงินที่เสนอต่อประชากร", "Requested per capita"),
    "m_gap_pc": ("ส่วนที่ยังไม่ได้รับจัดสรรต่อประชากร", "Unfunded gap per capita"),
    "m_allocated": ("งบประมาณที่จัดสรรในพื้นที่", "Budget allocated in the area"),
    "m_allocated_pc": ("งบประมาณที่จัดสรรในพื้นที่ต่อประชากร", "Budget allocated per capita"),
    "m_need_poor": ("คนจนเป้าหมาย (TPMAP) ต่อผู้ถูกสำรวจ 1,000 คน", "Target poor (TPMAP) per 1,000 surveyed"),
    "m_need_health": ("คนจนเป้าหมายด้านสุขภาพ", "Target poor: health"),
    "m_need_living": ("คนจนเป้าหมายด้านความเป็นอยู่", "Target poor: living standards"),
    "m_need_education": ("คนจนเป้าหมายด้านการศึกษา", "Target poor: education"),
    "m_need_income": ("คนจนเป้าหมายด้านรายได้", "Target poor: income"),
    "m_need_access": ("คนจนเป้าหมายด้านการเข้าถึงบริการรัฐ", "Target poor: access to public services"),
    "per_1000_surveyed": ("คน ต่อผู้ถูกสำรวจ 1,000 คน", "per 1,000 surveyed"),
    "pct_surveyed": ("% ของผู้ถูกสำรวจ", "% of persons surveyed"),
    "need_source": ("ข้อมูล จปฐ./TPMAP ปี {years}", "จปฐ./TPMAP survey {years}"),
    "need_none": ("ยังไม่ได้นำเข้าข้อมูลความต้องการ (TPMAP)", "No TPMAP need data loaded"),
    "population_source": ("ประชากรทะเบียนราษฎร ณ 31 ธ.ค. {years}", "Registered population, 31 Dec {years}"),
    "population_none": ("ยังไม่ได้นำเข้าข้อมูลประชากร", "No population loaded"),
    "change_of": ("การเปลี่ยนแปลงจากปีก่อน", "change from previous year"),
    # area levels
    "country": ("ประเทศ", "Country"),
    "cluster": ("กลุ่มจังหวัด", "Provincial cluster"),
    "province": ("จังหวัด", "Province"),
    "district": ("อำเภอ", "District"),
    "tambon": ("ตำบล", "Tambon"),
    "village": ("หมู่บ้าน", "Village"),
    "local": ("ท้องถิ่น", "Local government"),
    "thailand": ("ประเทศไทย", "Thailand"),
    # plan levels
    "plan_village": ("แผนหมู่บ้าน/ชุมชน", "Village / community plan"),
    "plan_tambon": ("แผนชุมชนระดับตำบล", "Tambon community plan"),
    "plan_local": ("แผนพัฒนาท้องถิ่น", "Local development plan"),
    "plan_district": ("แผนพัฒนาอำเภอ", "District development plan"),
    "plan_province": ("แผนพัฒนาจังหวัด", "Provincial development plan"),
    "plan_cluster": ("แผนพัฒนากลุ่มจังหวัด", "Provincial cluster plan"),
    # funding sources
    "src_agency": ("งบฟังก์ชันของส่วนราชการ", "Agency (function) budget"),
    "src_province": ("งบจังหวัด", "Province budget"),
    "src_cluster": ("งบกลุ่มจังหวัด", "Provincial cluster budget"),
    "src_local": ("งบองค์กรปกครองส่วนท้องถิ่น", "Local government budget"),
    "src_subsidy": ("เงินอุดหนุน", "Subsidy"),
    "src_other": ("อื่น ๆ", "Other"),
    "no_sector": ("ไม่ระบุด้าน", "No sector"),
    # cards
    "card_requested": ("วงเงินที่เสนอ", "Requested"),
    "card_funded": ("ได้รับจัดสรรแล้ว (เชื่อมโยงกับโครงการ)", "Funded (linked to plan items)"),
    "card_gap": ("ยังไม่ได้รับจัดสรร", "Unfunded gap"),
    "card_share": ("สัดส่วนที่ได้รับจัดสรร", "Funded share"),
    "card_items": ("โครงการ", "Items"),
    "card_allocated": ("งบที่จัดสรรในพื้นที่ (ทุกรายการ ไม่ว่าจะเชื่อมโยงหรือไม่)", "Budget allocated in the area (linked or not)"),
    "not_linked": ("ยังไม่ได้เชื่อมโยง", "not linked"),
    "no_supply": ("ไม่มีข้อมูลงบประมาณ", "no budget data"),
    "coverage": ("งบประมาณที่เชื่อมโยงกับโครงการในแผน", "Budget linked to plan items"),
    "coverage_value": (
        "ของงบที่จัดสรร {alloc} · ของวงเงินที่เสนอ {req}",
        "of the allocated money {alloc} · of the requested amount {req}",
    ),
    "coverage_country": (
        "(วัดทั้งประเทศ เพราะพื้นที่นี้ไม่มีงบที่จัดสรร)",
        "(judged nationally: no money is allocated in this area)",
    ),
    "linked_share": ("เชื่อมโยงแล้ว {share} ของงบที่จัดสรร", "{share} of the allocated money is linked"),
    "not_linked_note": (
        "งบประมาณที่จัดสรรเชื่อมโยงกับโครงการในแผนเพียง {share} จึงยังบอกไม่ได้ว่าโครงการใดได้รับจัดสรร (ไม่ใช่ได้รับจัดสรร 0%)",
        "Only {share} of the allocated money is linked to plan items, so which items were funded "
        "cannot be said yet (this is not 0% funded).",
    ),
    "no_supply_note": (
        "ยังไม่ได้นำเข้างบประมาณของปีงบประมาณนี้ จึงบอกไม่ได้ว่าโครงการใดได้รับจัดสรร",
        "No budget is loaded for this fiscal year, so which items were funded cannot be said.",
    ),
    "no_supply_offer": (
        "นำเข้างบประมาณของปีนี้ (planmap import budget) หรือเลือกปีงบประมาณที่มีงบประมาณ",
        "Import this year's budget (planmap import budget) or pick a year that has one.",
    ),
    "not_linked_offer": (
        "ดูวงเงินที่เสนอ หรืองบที่จัดสรรในพื้นที่ (ตัวชี้วัดบนแผนที่) แทน; เชื่อมโยงด้วย planmap match",
        "Show the requested amount or the budget allocated in the area instead (map metric); "
        "link them with planmap match.",
    ),
    "area_compare": ("งบที่จัดสรรในพื้นที่ ต่อวงเงินที่เสนอ", "Allocated in the area per requested"),
    "area_compare_note": ("เทียบระดับพื้นที่ ไม่ใช่การได้รับจัดสรรรายโครงการ", "an area-level comparison, not item-level funding"),
    "multi_year_of": ("งบใหม่ {new} · งบผูกพันข้ามปี {multi}", "new {new} · multi-year instalments {multi}"),
    "unlocated": ("ไม่ระบุพื้นที่ (ระดับประเทศ หรืองบส่วนกลางของหน่วยงาน)", "No area (national, or an agency's central budget)"),
    "cluster_level": ("ระดับกลุ่มจังหวัด", "Provincial cluster level"),
    "col_allocations": ("รายการงบ", "Budget lines"),
    "col_allocated": ("งบที่จัดสรรในพื้นที่ (บาท)", "Allocated in the area (baht)"),
    "ranking_requested": (
        "พื้นที่เรียงตามวงเงินที่เสนอ (งบประมาณยังไม่ได้เชื่อมโยงกับโครงการ)",
        "Areas by requested amount (funding not linked to plan items)",
    ),
    "default_view": (
        "เปิดที่{plan} {year} ซึ่งเป็นปีที่มีข้อมูลมากที่สุด.",
        "Opened on the {plan}, {year}: the year with the most data.",
    ),
    "default_view_other": (
        "เปิดที่{plan} {year}: ระดับแผนและปีที่มีข้อมูลมากที่สุด (ไม่มีแผนพัฒนาจังหวัดในปีนี้).",
        "Opened on the {plan}, {year}: the plan level and year with the most data (no provincial plan that year).",
    ),
    "plan_levels_n": ("{n} ระดับแผน", "{n} plan levels"),
    "no_items_here": ("ไม่มีโครงการของ{plan} {year}.", "No items of the {plan} in {year}."),
    "loaded": ("ข้อมูลที่นำเข้า —", "Loaded —"),
    "budget": ("งบประมาณ", "Budget"),
    "budget_lines": ("รายการ", "lines"),
    "by_amount": ("ตามวงเงิน", "by amount"),
    "by_count": ("ตามจำนวนโครงการ", "by count"),
    "funded_items_of": ("ได้รับจัดสรร {funded} จาก {items} โครงการ", "{funded} of {items} items funded"),
    "per_capita": ("ต่อประชากร", "per capita"),
    "vs_prev": ("เทียบปีงบประมาณ {year}", "vs FY {year}"),
    "no_prev": ("ไม่มีข้อมูลปีก่อน", "no previous year"),
    "in_requests": ("อยู่ในคำขอ (ยังไม่อนุมัติ)", "in requests (not yet funded)"),
    "indicators": ("ตัวชี้วัดตามคู่มือ (แผนพัฒนาจังหวัด)", "The manual's indicators (province plan)"),
    "ind_proposed": ("โครงการที่จังหวัดเสนอ", "Projects proposed by the province"),
    "ind_requests": ("หน่วยงานบรรจุในคำของบประมาณ", "Put into agency budget requests"),
    "ind_funded": ("ได้รับงบประมาณ", "Funded"),
    "ind_projects": ("โครงการ", "projects"),
    # one definition per figure (title attributes): the manual's indicators and the funnel differ
    "ind_of_proposed": ("{share} ของที่จังหวัดเสนอ", "{share} of those proposed"),
    "ind_of_requests": ("{share} ของที่อยู่ในคำขอ", "{share} of those requested"),
    "def_ind_proposed": (
        "จำนวนโครงการในแผนพัฒนาจังหวัดของปีงบประมาณนี้ และวงเงินที่เสนอ",
        "Items of the provincial development plan this fiscal year, and the amount they request",
    ),
    "def_ind_requests": (
        "รายการงบประมาณของส่วนราชการ (อยู่ในคำขอหรือได้รับจัดสรร) ที่เชื่อมโยงกับโครงการในแผนพัฒนาจังหวัด;"
        " ร้อยละคิดจากจำนวนโครงการที่จังหวัดเสนอ",
        "Agency budget lines (requested or funded) linked to provincial-plan items; the share is of"
        " the items the province proposed",
    ),
    "def_ind_funded": (
        "รายการงบประมาณของส่วนราชการที่ได้รับจัดสรร และเชื่อมโยงกับโครงการในแผนพัฒนาจังหวัด;"
        " ร้อยละคิดทั้งจากที่จังหวัดเสนอ (เท่ากับกราฟเทียบปี 2559) และจากที่อยู่ในคำขอ",
        "Funded agency budget lines linked to provincial-plan items; shown as a share of those the"
        " province proposed (as in the FY2559 chart) and of those in requests",
    ),
    "def_funnel_funded": (
        "ความต้องการระดับหมู่บ้าน (นับที่ต้นทาง) ที่โครงการใดโครงการหนึ่งในสายการยกระดับได้รับงบประมาณจาก"
        "ส่วนราชการ — นับความต้องการ ไม่ใช่รายการงบประมาณ จึงต่างจากตัวชี้วัด \u201cได้รับงบประมาณ\u201d ตามคู่มือ",
        "Village needs (counted at their root) of which some item up the escalation chain was funded by"
        " an agency: needs, not budget lines, so it differs from the manual's \u201cFunded\u201d indicator",
    ),
    "link_ignored": (
        "ลิงก์นี้มีค่าที่ใช้ไม่ได้ จึงไม่นำมาใช้: {what} — แสดงมุมมองที่ใกล้เคียงที่สุดแทน",
        "Some values of this link cannot be used and were ignored: {what}; the nearest valid view is shown.",
    ),
    "reference": ("อ้างอิง ปีงบประมาณ 2559 (ทั้งประเทศ)", "Reference FY2559 (national)"),
    "this_area": ("พื้นที่นี้", "This area"),
    # side list
    "wider": ("รายการที่ไม่อยู่บนแผนที่นี้", "Not drawn on this map"),
    "own_items": ("ระบุทั้ง{level} (ไม่ระบุพื้นที่ย่อย)", "{level}-wide items (no finer area)"),
    "wider_items": (
        "ระบุพื้นที่กว้างกว่า{level} (เช่น ทั้งจังหวัด ทั้งอำเภอ)",
        "Tagged to areas wider than a {level} (province-wide, district-wide …)",
    ),
    "not_drawn": ("{level}ที่ไม่มีพิกัด/ขอบเขต", "{level}s without a location"),
    "on_map": ("บนแผนที่", "On the map"),
    "area_total": ("รวมทั้งพื้นที่", "Area total"),
    "outside_clusters": ("จังหวัดที่ไม่อยู่ในกลุ่มจังหวัด", "Provinces outside any cluster"),
    # tables
    "ranking": ("พื้นที่ที่ยังไม่ได้รับจัดสรร เรียงลำดับ", "Unfunded areas, ranked"),
    "rank_gap": ("ส่วนที่ยังไม่ได้รับจัดสรรมากที่สุด", "Largest gap"),
    "rank_share": ("สัดส่วนที่ได้รับจัดสรรต่ำที่สุด", "Lowest funded share"),
    "rank_pc": ("ส่วนที่ยังไม่ได้รับจัดสรรต่อประชากรสูงสุด", "Largest gap per capita"),
    "col_rank": ("ลำดับ", "#"),
    "col_area": ("พื้นที่", "Area"),
    "col_code": ("รหัส", "Code"),
    "col_title": ("ชื่อโครงการ", "Title"),
    "col_sector": ("ด้าน", "Sector"),
    "col_requested": ("วงเงินที่เสนอ (บาท)", "Requested (baht)"),
    "col_funded": ("ได้รับจัดสรร (บาท)", "Funded (baht)"),
    "col_gap": ("ยังไม่ได้รับจัดสรร (บาท)", "Gap (baht)"),
    "col_share": ("สัดส่วนได้รับจัดสรร", "Funded share"),
    "col_items": ("โครงการ", "Items"),
    "col_pc": ("ต่อประชากร (บาท)", "Per capita (baht)"),
    "col_status": ("สถานะ", "Status"),
    "col_amount": ("จำนวนเงิน (บาท)", "Amount (baht)"),
    "amount": ("จำนวนเงิน", "Amount"),
    "col_agency": ("หน่วยงาน", "Agency"),
    "col_source": ("แหล่งงบ", "Source"),
    "col_notified": ("แจ้งจังหวัดเมื่อ", "Province notified"),
    "col_precision": ("ระบุพื้นที่ถึง", "Located to"),
    "col_linked": ("เชื่อมกับแผนระดับ", "Linked plan level"),
    "status_funded": ("ได้รับจัดสรร", "funded"),
    "status_requested": ("อยู่ในคำขอ", "requested"),
    "status_cancelled": ("ยกเลิก", "cancelled"),
    "status_unfunded": ("ยังไม่ได้รับ", "not funded"),
    "tab_items": ("โครงการตามแผน", "Plan items"),
    "tab_allocations": ("งบประมาณที่จัดสรร", "Allocations"),
    "search": ("ค้นหาชื่อโครงการ…", "Search titles…"),
    "showing": ("แสดง {shown} จาก {total} รายการ (เรียงตามวงเงิน)", "Showing {shown} of {total} rows (largest first)"),
    "ranking_note": ("คลิกแถวเพื่อเลือกพื้นที่บนแผนที่", "Click a row to select the area on the map"),
    "map_hint": ("คลิกพื้นที่บนแผนที่เพื่อดูรายละเอียด", "Click an area on the map to drill down"),
    "data_date": ("ข้อมูล ณ", "Data as of"),
    "million": ("ล้านบาท", "M baht"),
    "baht_unit": ("บาท", "baht"),
    "percent": ("ร้อยละ", "percent"),
    "villages_listed": ("หมู่บ้านที่ไม่มีพิกัด (แสดงในตำบล)", "Villages without a location (listed in the tambon)"),
    # sections of the page
    "view_map": ("แผนที่และงบประมาณ", "Map and budget"),
    "view_funnel": ("เส้นทางความต้องการ", "Escalation funnel"),
    "view_trace": ("ติดตามโครงการ", "Trace a need"),
    "view_compliance": ("ปฏิทินการจัดทำแผน", "Calendar compliance"),
    "view_overlaps": ("โครงการซ้ำซ้อน", "Possible duplicates"),
    "view_review": ("ทบทวนการจับคู่", "Matching review"),
    "view_data": ("ข้อมูลที่นำเข้า", "Loaded data"),
    # the data page
    "data_title": ("ข้อมูลที่นำเข้าและข้อจำกัด", "What is loaded, and what it can support"),
    "data_note": (
        "ทุกตัวเลขบนแผนที่และในรายงานมาจากข้อมูลชุดนี้ ข้อสังเกตคุณภาพข้อมูลแต่ละข้อได้รับการตัดสินใจโดยผู้นำเข้า "
        "(planmap import … --summary-rows / --drag-filled-dates / --implausible-years)",
        "Every figure on the map and in the reports comes from these loads. Each data-health finding "
        "was decided by the person who imported it (planmap import … --summary-rows / "
        "--drag-filled-dates / --implausible-years).",
    ),
    "data_years": ("ข้อมูลแต่ละปีงบประมาณ (ทั้งประเทศ)", "Each fiscal year (national)"),
    "data_gaps": ("ข้อจำกัดที่ทราบ", "Known gaps"),
    "data_no_gaps": ("ไม่พบข้อจำกัด", "None found"),
    "data_located": ("การระบุพื้นที่", "How finely rows are placed"),
    "data_findings": ("ข้อสังเกตคุณภาพข้อมูล และการตัดสินใจ", "Data-health findings and decisions"),
    "data_no_findings": ("ไม่มีข้อสังเกต", "No findings"),
    "data_runs": ("การนำเข้าล่าสุด", "Latest imports"),
    "data_multi_year": ("งบผูกพันข้ามปี", "Multi-year instalments"),
    "data_linked": ("เชื่อมโยงกับโครงการ", "linked to plan items"),
    "col_kind": ("ชนิด", "Kind"),
    "data_rows": ("แถว", "Rows"),
    "data_share": ("สัดส่วน", "Share"),
    "data_unlocated": ("ไม่ระบุพื้นที่ (ระดับประเทศ)", "no area (country)"),
    "data_run": ("ครั้งที่", "Run"),
    "data_rule": ("ข้อสังเกต", "Finding"),
    "data_where": ("ตำแหน่ง (ไฟล์ · ชีต · แถว)", "Where (file · sheet · rows)"),
    "data_what": ("รายละเอียด", "What it looks like"),
    "data_decision": ("การตัดสินใจ", "Decision"),
    "data_status": ("สถานะ", "Status"),
    "out_of_scope": (
        "ลิงก์นี้ขอพื้นที่หรือโครงการนอกพื้นที่ที่ท่านมีสิทธิ์ดู จึงแสดงพื้นที่ของท่านแทน",
        "This link asks for an area or item outside the areas you may see; your own area is shown instead.",
    ),
    "no_plans_loaded": ("ไม่มีแผนที่นำเข้า", "no plans loaded"),
    "data_national_only": (
        "หน้านี้สรุปการนำเข้าข้อมูลของทั้งประเทศ จึงแสดงเฉพาะผู้ใช้ที่ได้รับสิทธิ์ระดับประเทศ ตัวเลขของพื้นที่ของท่านอยู่ในแผนที่ บัตรสรุป และตาราง",
        "This page sums up the imports of the whole country, so it is shown to national readers only;"
        " your area's figures are on the map, the cards and the tables.",
    ),
    "country_frame": (
        "ภาพรวมประเทศ: แสดงค่าเฉพาะพื้นที่ที่ท่านได้รับสิทธิ์ จังหวัดอื่นแสดงเพียงขอบเขต ตัวเลขในบัตรและตารางเป็นของพื้นที่ของท่าน",
        "Country overview: values only for the areas you may see; other provinces are outlines only."
        " Cards and tables show your own area.",
    ),
    "anonymous_reading": ("เปิดให้อ่านได้โดยไม่ต้องเข้าสู่ระบบ", "Open for reading without signing in"),
    "sign_in": ("เข้าสู่ระบบ", "Sign in"),
    "sign_out": ("ออกจากระบบ", "Sign out"),
    "sso_sign_in": ("เข้าสู่ระบบด้วย {provider}", "Sign in with {provider}"),
    "sso_or": ("หรือใช้ชื่อผู้ใช้และรหัสผ่านของ planmap", "or with a planmap account name and password"),
    "sso_refused": (
        "บัญชีนี้ยังไม่ได้รับสิทธิ์ ติดต่อผู้ดูแลระบบ",
        "This account has not been granted access; contact the administrator.",
    ),
    "sso_failed": (
        "เข้าสู่ระบบด้วย {provider} ไม่สำเร็จ กรุณาลองใหม่",
        "Signing in with {provider} failed; please try again.",
    ),
    "sso_down": ("ติดต่อ {provider} ไม่ได้ในขณะนี้", "{provider} cannot be reached right now."),
    "view_audit": ("บันทึกการใช้งาน", "Audit trail"),
    "audit_csv": ("บันทึกการใช้งาน CSV", "Audit trail CSV"),
    "audit_when": ("เมื่อ", "When"),
    "audit_actor": ("ผู้ใช้", "Account"),
    "audit_address": ("จากที่อยู่", "From"),
    "audit_action": ("การกระทำ", "Action"),
    "audit_target": ("เป้าหมาย", "Target"),
    "audit_details": ("รายละเอียด", "Details"),
    # the upload page (officers)
    "view_upload": ("นำเข้าข้อมูล", "Upload data"),
    "up_title": ("นำเข้าแผนหรืองบประมาณจากไฟล์", "Import plans or budget from a file"),
    "up_note": (
        "วางไฟล์ CSV หรือ Excel (.xlsx) ตรวจสอบก่อนนำเข้า (ยังไม่บันทึกข้อมูล) แล้วจึงยืนยัน",
        "Drop a CSV or Excel (.xlsx) file, check it first (nothing is loaded), then confirm.",
    ),
    "up_drop": (
        "ลากไฟล์มาวางที่นี่ หรือคลิกเพื่อเลือกไฟล์ (CSV, XLSX ไม่เกิน {mb} MB)",
        "Drop a file here or click to choose one (CSV, XLSX, at most {mb} MB)",
    ),
    "up_kind": ("ชนิดข้อมูล", "Kind"),
    "up_kind_plans": ("แผน (ความต้องการ)", "Plans (demand)"),
    "up_kind_budget": ("งบประมาณ (การจัดสรร)", "Budget (allocations)"),
    "up_name": ("ชื่อแหล่งข้อมูล", "Source name"),
    "up_year": ("ปีงบประมาณ (พ.ศ.) ถ้าไฟล์ไม่ระบุ", "Fiscal year (BE), if the file does not say"),
    "up_allow_rejects": ("นำเข้าแถวที่ถูกต้อง แม้มีบางแถวไม่ผ่าน", "Load the valid rows even if some are rejected"),
    "up_decide": ("การตัดสินใจเรื่องคุณภาพข้อมูล", "Decisions on data-health findings"),
    "up_decide_implausible_years": ("ปีที่ไม่น่าเป็นไปได้", "Implausible years"),
    "up_decide_drag_filled_dates": ("วันที่ที่ลากเติมทั้งคอลัมน์", "Dates filled down a column"),
    "up_decide_summary_rows": ("แถวสรุป/ยอดรวม", "Summary / total rows"),
    "up_ask": ("ยังไม่ตัดสินใจ", "Not decided"),
    "up_action_drop": ("ตัดออก", "drop"),
    "up_action_keep": ("เก็บไว้", "keep"),
    "up_action_file-year": ("ใช้ปีของไฟล์", "use the file's year"),
    "up_check": ("ตรวจสอบ (ยังไม่นำเข้า)", "Check (dry run)"),
    "up_confirm": ("ยืนยันนำเข้า", "Confirm and load"),
    "up_cancel": ("ยกเลิก", "Cancel"),
    "up_received": ("ได้รับไฟล์ {file} ({size}) ชนิด {form}", "Received {file} ({size}), {form}"),
    "up_refused": ("ไม่รับไฟล์นี้: {reason}", "File refused: {reason}"),
    "up_too_big": ("ไฟล์ใหญ่เกิน {mb} MB", "The file is larger than {mb} MB"),
    "up_none": ("ยังไม่มีไฟล์ — วางไฟล์ก่อน", "No file yet — drop one first"),
    "up_expired": (
        "ไม่พบไฟล์ที่อัปโหลด (หมดอายุหรือไม่ใช่ของท่าน) กรุณาอัปโหลดใหม่",
        "The upload is gone (expired, or not yours); upload the file again",
    ),
    "up_failed": ("ตรวจสอบไม่ได้: {reason}", "Cannot check: {reason}"),
    "up_dry_title": ("ผลการตรวจสอบ: {file} → {source}", "Dry run: {file} → {source}"),
    "up_read": ("แถวที่อ่าน", "Rows read"),
    "up_ignored": ("แถวที่ข้าม (ว่าง, ยอดรวม)", "Ignored (blank, totals)"),
    "up_rejected": ("แถวที่ไม่ผ่าน", "Rejected rows"),
    "up_would_load": ("แถวที่จะนำเข้า", "Rows that would load"),
    "up_new": ("ใหม่", "New"),
    "up_changed": ("เปลี่ยนแปลง", "Changed"),
    "up_retired": ("เลิกใช้", "Retired"),
    "up_unchanged": ("ไม่เปลี่ยน", "Unchanged"),
    "up_ignored_list": ("ที่ข้าม", "Ignored"),
    "up_rejects_head": ("แถวที่ไม่ผ่าน (แสดง {n} แถวแรก)", "Rejected rows (first {n})"),
    "up_located": ("ระบุตำแหน่งได้ถึงระดับ", "Located to"),
    "up_findings": ("ข้อสังเกตคุณภาพข้อมูล", "Data-health findings"),
    "up_difference": (
        "เทียบกับฉบับปัจจุบันของแหล่งข้อมูลนี้ (ล้านบาท)",
        "Against the current version of this source (million baht)",
    ),
    "up_no_difference": ("ไม่มีการเปลี่ยนแปลง", "No change"),
    "up_map": ("ตำแหน่งของแถว (จำนวนแถวต่อพื้นที่)", "Where the rows fall (rows per area)"),
    "up_rejects_xlsx": ("รายงานแถวที่ไม่ผ่าน (Excel)", "Reject report (Excel)"),
    "up_difference_xlsx": ("รายการเปลี่ยนแปลง (Excel)", "Difference (Excel)"),
    "up_areas": ("พื้นที่ของข้อมูล: {areas}", "Areas of the data: {areas}"),
    "up_owner": ("เจ้าของแหล่งข้อมูล: {area}", "Owner of the source: {area}"),
    "up_outside": (
        "ท่านไม่มีสิทธิ์นำเข้าข้อมูลของพื้นที่ {areas} — ยืนยันไม่ได้",
        "You may not import data of {areas}; this file cannot be confirmed",
    ),
    "up_would_nothing": ("จะไม่นำเข้าข้อมูลใด ๆ: {reason}", "Nothing would load: {reason}"),
    "up_why_rejects": (
        "มีแถวที่ไม่ผ่าน (เลือก “นำเข้าแถวที่ถูกต้อง” เพื่อนำเข้าเฉพาะแถวที่ผ่าน)",
        "some rows are rejected (tick “load the valid rows” to load the rest)",
    ),
    "up_why_held": ("มีข้อสังเกตที่ต้องตัดสินใจก่อน", "findings wait for a decision"),
    "up_why_empty": ("ไม่มีแถวที่นำเข้าได้", "no row can be loaded"),
    "up_loaded": (
        "นำเข้าแล้ว: {source} — ใหม่ {new}, เปลี่ยนแปลง {changed}, เลิกใช้ {retired} (รอบที่ {run})",
        "Loaded: {source} — {new} new, {changed} changed, {retired} retired (run {run})",
    ),
    "up_not_loaded": ("ไม่ได้นำเข้า ({status}) — ดูรายงานแถวที่ไม่ผ่าน", "Not loaded ({status}) — see the reject report"),
    "up_cancelled": ("ยกเลิกแล้ว ไม่มีการนำเข้า", "Cancelled; nothing was loaded"),
    "up_open_map": ("ดูบนแผนที่", "Open the map"),
    "up_sources": ("แหล่งข้อมูลในพื้นที่ของท่าน", "Sources in your areas"),
    "up_sources_none": ("ยังไม่มีแหล่งข้อมูลในพื้นที่ของท่าน", "No sources in your areas yet"),
    "up_remove": ("ลบแหล่งข้อมูล", "Remove"),
    "up_remove_ask": (
        "ลบแหล่งข้อมูล {name} ({rows} แถว, {amount} บาท) และทุกอย่างที่นำเข้าจากแหล่งนี้?",
        "Remove source {name} ({rows} rows, {amount} baht) and everything it loaded?",
    ),
    "up_removed": ("ลบแล้ว: {name} ({rows} แถว)", "Removed: {name} ({rows} rows)"),
    "up_remove_refused": ("ลบไม่ได้: ไม่พบแหล่งข้อมูลนี้ในพื้นที่ของท่าน", "Not removed: no such source in your areas"),
    "up_col_kind": ("ชนิด", "Kind"),
    "up_col_rows": ("แถว", "Rows"),
    "up_col_amount": ("วงเงิน (ล้านบาท)", "Amount (million baht)"),
    "up_col_loaded": ("นำเข้าล่าสุด", "Last loaded"),
    "up_col_file": ("ไฟล์", "File"),
    "up_col_sheet": ("ชีต", "Sheet"),
    "up_col_row": ("แถว", "Row"),
    "up_col_field": ("ช่อง", "Field"),
    "up_col_value": ("ค่า", "Value"),
    "up_col_message": ("เหตุผล", "Reason"),
    "up_col_change": ("การเปลี่ยนแปลง", "Change"),
    "up_col_title": ("ชื่อรายการ", "Title"),
    "up_col_before": ("เดิม", "Before"),
    "up_col_after": ("ใหม่", "After"),
    "up_col_area": ("พื้นที่", "Area"),
    "up_col_action": ("การตัดสินใจ", "Decision"),
    "run_stopped": ("หยุดก่อนเสร็จ จึงไม่มีข้อมูลใดถูกบันทึก", "stopped before finishing, so nothing was saved"),
    "run_error": ("เกิดข้อผิดพลาด จึงไม่มีข้อมูลใดถูกบันทึก: {error}", "an error, so nothing was saved: {error}"),
    "data_when": ("เมื่อ", "When"),
    "data_loaded_rows": ("นำเข้า", "Loaded"),
    "data_rejected": ("ปฏิเสธ", "Rejected"),
    "data_set_aside": ("กันออก", "Set aside"),
    "data_findings_short": ("ข้อสังเกต", "Findings"),
    "data_source": ("แหล่งข้อมูล", "Source"),
    "data_one_off": ("โครงการเฉพาะกิจ", "one-off programme"),
    "data_located_line": ("{kind}: ระบุพื้นที่ได้ต่ำกว่าระดับประเทศ {share}", "{kind}: {share} placed below the country"),
    "data_decided_line": ("ข้อสังเกตที่ตัดสินใจแล้ว {n} ข้อ: {what}", "{n} findings decided: {what}"),
    "gap_volumes": (
        "ร่าง พ.ร.บ. งบประมาณ {document}: ไม่มีเล่ม {volumes} ในข้อมูลที่นำเข้า (ยอดรวมจึงต่ำกว่าจริง)",
        "Budget Bill {document}: volumes {volumes} are absent from the loaded extraction (totals are low)",
    ),
    "gap_links": (
        "ปีงบประมาณ {year}: งบประมาณเชื่อมโยงกับโครงการในแผนเพียง {share} จึงไม่แสดงการได้รับจัดสรรรายโครงการ",
        "FY {year}: only {share} of the budget is linked to plan items, so item-level funding is not shown",
    ),
    "gap_located": (
        "{kind}: ระบุพื้นที่ได้ต่ำกว่าระดับประเทศเพียง {share} ส่วนที่เหลือแสดงในรายการ 'ไม่ระบุพื้นที่' ข้างแผนที่",
        "{kind}: only {share} placed below the country; the rest is listed beside the map as 'no area'",
    ),
    "gap_held": (
        "{n} ข้อสังเกตรอการตัดสินใจ: การนำเข้านั้นยังไม่ถูกบันทึก",
        "{n} findings wait for a decision: those imports are not loaded",
    ),
    "gap_years": (
        "แผนมีข้อมูลปี {plans} แต่งบประมาณมีข้อมูลปี {budget}: เทียบกันในปีเดียวกันไม่ได้",
        "Plans are for FY {plans} but the budget for FY {budget}: they cannot be compared in one year",
    ),
    # the funnel
    "funnel_title": ("เส้นทางความต้องการจากหมู่บ้านถึงงบประมาณ — {area}", "From village needs to agency budgets — {area}"),
    "funnel_note": (
        "แต่ละความต้องการของหมู่บ้านนับครั้งเดียว ตามวงเงินที่หมู่บ้านเสนอ แม้จะถูกส่งต่อหลายระดับ",
        "Each village need is counted once, at the amount the village asked for, however many plans took it up",
    ),
    "funnel_village_needs": ("ความต้องการระดับหมู่บ้าน", "Village needs"),
    "funnel_beyond_capacity": ("เกินขีดความสามารถของหมู่บ้าน", "Beyond the village's capacity"),
    "funnel_local_plan": ("บรรจุในแผนตำบล/ท้องถิ่น", "Taken into tambon/local plan"),
    "funnel_district": ("อยู่ในบัญชีความต้องการระดับอำเภอ", "On the district needs list"),
    "funnel_province": ("อยู่ในแผนพัฒนาจังหวัด", "In the provincial plan"),
    "funnel_sent": ("ส่งให้ส่วนราชการ", "Sent to agencies"),
    "funnel_requested": ("อยู่ในคำของบประมาณของส่วนราชการ", "In an agency's budget request"),
    "funnel_funded": ("ความต้องการที่ได้รับงบประมาณจากส่วนราชการ", "Needs funded by an agency"),
    "funnel_count": ("จำนวนความต้องการ", "Needs"),
    "funnel_amount": ("วงเงิน (ล้านบาท)", "Amount (M baht)"),
    "funnel_empty": ("ไม่มีความต้องการระดับหมู่บ้านในพื้นที่และปีงบประมาณนี้", "No village needs in this area and fiscal year"),
    "col_step": ("ขั้น", "Step"),
    "col_needs": ("ความต้องการ", "Needs"),
    "col_kept": ("คงอยู่จากขั้นก่อน", "Kept from previous step"),
    "col_lost": ("หลุดจากขั้นก่อน", "Lost at this step"),
    "col_of_needs": ("ของความต้องการทั้งหมด", "Of all village needs"),
    "shape_title": (
        "รูปแบบเทียบกับปีงบประมาณ 2559 (ร้อยละของโครงการที่จังหวัดเสนอ)",
        "Shape against FY2559 (share of the projects the province proposed)",
    ),
    "shape_reference": ("อ้างอิง 2559 (ทั้งประเทศ)", "FY2559 (national)"),
    # the trace view
    "trace_title": ("ติดตามเส้นทางของความต้องการ — {area}", "Trace a need through the plans — {area}"),
    "trace_search": ("ค้นหาชื่อโครงการในพื้นที่นี้…", "Search this area's needs by title…"),
    "trace_hint": (
        "ค้นหาหรือเลือกความต้องการจากตาราง เพื่อดูเส้นทางตั้งแต่หมู่บ้านจนถึงงบประมาณ",
        "Search or pick a need in the table to follow it from the village to the budget",
    ),
    "trace_found": (
        "พบ {total} รายการ แสดง {shown} รายการแรก (เรียงตามวงเงิน)",
        "{total} found, showing the first {shown} (largest first)",
    ),
    "trace_none": ("ไม่พบความต้องการที่ตรงกับคำค้น", "No need matches the search"),
    "trace_link": ("ติดตาม ›", "Trace ›"),
    "col_reached": ("ไปถึง", "Reached"),
    "col_starts": ("เริ่มจาก", "Starts in"),
    "col_outcome": ("ผล", "Outcome"),
    "outcome_funded": ("ได้รับงบประมาณจาก {who}", "Funded by {who}"),
    "outcome_requested": ("อยู่ในคำของบประมาณของ {who} (ยังไม่ได้รับงบ)", "In the budget request of {who} (not funded yet)"),
    "outcome_sent": (
        "ส่งให้ส่วนราชการแล้ว แต่ยังไม่มีหน่วยงานใดบรรจุในคำของบประมาณ",
        "Sent to the agencies, but no agency has put it in a budget request",
    ),
    "outcome_stopped": ("หยุดที่{level}", "Stopped at {level}"),
    "outcome_kept": ("หมู่บ้านดำเนินการเองได้ (ไม่เกินขีดความสามารถ)", "Within the village's own capacity (not escalated)"),
    "short_funded": ("ได้รับงบ", "funded"),
    "short_requested": ("อยู่ในคำขอ", "in a request"),
    "at_village": ("ระดับหมู่บ้าน", "village level"),
    "at_tambon": ("ระดับตำบล", "tambon level"),
    "at_local": ("ระดับท้องถิ่น (อปท.)", "local government level"),
    "at_district": ("ระดับอำเภอ", "district level"),
    "at_province": ("ระดับจังหวัด", "province level"),
    "at_cluster": ("ระดับกลุ่มจังหวัด", "provincial cluster level"),
    "step_plan_of": ("แผนของ", "Plan of"),
    "step_area": ("พื้นที่โครงการ", "Project area"),
    "step_requested": ("วงเงินที่เสนอ", "Requested"),
    "beyond": ("เกินขีดความสามารถ ส่งต่อระดับถัดไป", "beyond capacity: passed up"),
    "within": ("ดำเนินการได้เองในระดับนี้", "within this level's capacity"),
    "submitted": ("ส่งแผน", "Plan submitted"),
    "window": ("กำหนด", "window"),
    "on_time": ("ตรงเวลา", "on time"),
    "early": ("ก่อนช่วงเวลา", "before the window"),
    "late_days": ("ล่าช้า {days} วัน", "{days} days late"),
    "no_date": ("ไม่มีวันที่ส่งแผน", "no submission date"),
    "notified": ("แจ้งจังหวัด", "province notified"),
    "due": ("กำหนดภายใน", "due by"),
    "not_notified": ("ยังไม่แจ้งจังหวัด", "province not notified"),
    "link_reference": ("เชื่อมตามเลขอ้างอิง", "linked by reference"),
    "link_auto": ("จับคู่อัตโนมัติ", "matched automatically"),
    "link_reviewed": ("จับคู่โดยเจ้าหน้าที่", "matched by an officer"),
    "selected_item": ("รายการที่เลือก", "selected"),
    "trace_missing": ("ไม่พบรายการนี้ในฐานข้อมูล", "This item is not in the database"),
    # calendar compliance
    "compliance_title": ("การจัดทำแผนตามปฏิทิน — {area}", "Plans and notices on time — {area}"),
    "compliance_map": ("สัดส่วนแผนที่ส่งล่าช้า", "Share of plans submitted late"),
    "no_plans": ("ไม่มีแผน", "no plans"),
    "all_on_time": ("ตรงเวลาทั้งหมด", "all on time"),
    "plans_summary": ("ส่งแผนล่าช้า {late} จาก {plans} แผน ({share})", "{late} of {plans} plans submitted late ({share})"),
    "plans_not_applicable": (
        "{n} แผนเป็นโครงการเฉพาะกิจ ไม่อยู่ในรอบปฏิทินการจัดทำแผนประจำปี จึงไม่ประเมินความล่าช้า",
        "{n} plans are one-off programmes outside the annual planning calendar: not judged",
    ),
    "col_not_applicable": ("ไม่ใช้ปฏิทิน", "Not applicable"),
    "notices_untracked": (
        "{n} รายการงบประมาณมาจากแหล่งที่ไม่มีวันที่หน่วยงานแจ้งจังหวัด (เช่น ร่าง พ.ร.บ. งบประมาณ) จึงประเมินไม่ได้",
        "{n} budget lines come from a source without notice dates (e.g. the Budget Bill): not judged",
    ),
    "plans_by_level": ("การส่งแผนแยกตามระดับ", "Plans by level"),
    "col_plans": ("แผน", "Plans"),
    "col_late": ("ล่าช้า", "Late"),
    "col_late_share": ("สัดส่วนล่าช้า", "Share late"),
    "col_no_date": ("ไม่มีวันที่", "No date"),
    "col_level": ("ระดับแผน", "Plan level"),
    "col_submitted": ("ส่งเมื่อ", "Submitted"),
    "col_window": ("ช่วงเวลาตามปฏิทิน", "Calendar window"),
    "col_days_late": ("ล่าช้า (วัน)", "Days late"),
    "late_plans": ("แผนที่ส่งล่าช้า", "Plans submitted late"),
    "late_plans_count": ("{total} แผน", "{total} plans"),
    "late_notices": (
        "หน่วยงานที่แจ้งจังหวัดล่าช้าหรือยังไม่แจ้ง (ต้องแจ้งภายใน {days} วันหลังพระราชบัญญัติงบประมาณมีผล)",
        "Agencies that notified the province late or not at all (due within {days} days of the Budget Act)",
    ),
    "notices_summary": (
        "{late} จาก {n} คู่หน่วยงาน–จังหวัด แจ้งล่าช้าหรือยังไม่แจ้ง",
        "{late} of {n} agency–province pairs notified late or not at all",
    ),
    "notices_ok": (
        "ทุกหน่วยงานแจ้งจังหวัดภายในกำหนด ({n} คู่หน่วยงาน–จังหวัด)",
        "Every agency notified the province in time ({n} agency–province pairs)",
    ),
    "notices_none": (
        "ไม่มีโครงการที่ได้รับงบประมาณจากส่วนราชการในพื้นที่และปีนี้",
        "No agency-funded projects in this area and year",
    ),
    "col_province": ("จังหวัด", "Province"),
    "col_funded_items": ("โครงการที่ได้รับงบ", "Funded projects"),
    "col_notice_late": ("แจ้งล่าช้า", "Notified late"),
    "col_not_notified": ("ยังไม่แจ้ง", "Not notified"),
    "col_max_days": ("แจ้งช้าสุด (วันหลัง พ.ร.บ.)", "Latest notice (days after the Act)"),
    "col_due": ("กำหนดแจ้ง", "Due by"),
    # overlaps
    "overlaps_title": (
        "โครงการที่อาจซ้ำซ้อนในตำบลเดียวกัน — {area}",
        "Possibly duplicated projects in the same tambon — {area}",
    ),
    "overlaps_note": (
        "คู่รายการจากต่างแหล่ง (งบส่วนราชการ แผนท้องถิ่น แผนจังหวัด …) ในตำบลและปีงบประมาณเดียวกัน "
        "ที่ไม่ได้อยู่ในเส้นทางเดียวกัน และชื่อคล้ายกันตั้งแต่ 90%",
        "Pairs from different sources (agency budget, local plan, province plan …) in the same tambon "
        "and fiscal year, not on the same escalation chain, with titles at least 90% alike",
    ),
    "overlaps_count": ("{total} คู่", "{total} pairs"),
    "overlaps_none": ("ไม่พบโครงการที่อาจซ้ำซ้อนในพื้นที่และปีงบประมาณนี้", "No possible duplicates in this area and fiscal year"),
    "col_tambon": ("ตำบล", "Tambon"),
    "col_title_a": ("รายการ ก", "Record A"),
    "col_source_a": ("แหล่ง ก", "Source A"),
    "col_amount_a": ("วงเงิน ก (บาท)", "Amount A (baht)"),
    "col_title_b": ("รายการ ข", "Record B"),
    "col_source_b": ("แหล่ง ข", "Source B"),
    "col_amount_b": ("วงเงิน ข (บาท)", "Amount B (baht)"),
    "col_similarity": ("ความคล้ายของชื่อ", "Title similarity"),
    # the matching review list
    "review_title": ("ทบทวนการจับคู่งบประมาณกับแผน — {area}", "Review budget-to-plan matches — {area}"),
    "review_note": (
        "การจับคู่ที่ความเชื่อมั่นต่ำจะไม่เชื่อมโยงเอง เจ้าหน้าที่ยืนยันหรือปฏิเสธได้ที่นี่ "
        "ผลจะใช้ในการจับคู่ครั้งถัดไป (planmap match) และคงอยู่แม้นำเข้าข้อมูลใหม่",
        "Low-confidence matches are never linked silently: accept or reject them here. Decisions apply "
        "at the next matching run (planmap match) and survive re-imports.",
    ),
    "review_none": ("ไม่มีรายการรอทบทวนในพื้นที่และปีงบประมาณนี้", "Nothing waiting for review in this area and fiscal year"),
    "review_count": ("{total} รายการ", "{total} suggestions"),
    "accept": ("ยืนยัน", "Accept"),
    "reject": ("ปฏิเสธ", "Reject"),
    "decision_accepted": ("ยืนยันแล้ว", "accepted"),
    "decision_rejected": ("ปฏิเสธแล้ว", "rejected"),
    "pending": ("รอการทบทวน", "waiting"),
    "review_saved": ("บันทึกแล้ว: {decision} — {title}", "Saved: {decision} — {title}"),
    "review_failed": ("บันทึกไม่ได้: ไม่พบรายการนี้ในรายการรอทบทวน", "Not saved: this suggestion is no longer on the list"),
    "col_allocation": ("รายการงบประมาณ", "Budget line"),
    "col_plan_item": ("โครงการในแผน", "Plan item"),
    "col_confidence": ("ความเชื่อมั่น", "Confidence"),
    "col_decision": ("การตัดสิน", "Decision"),
    # exports (maps, packs, tables)
    "source": ("แหล่งข้อมูล", "Source"),
    "boundary_version": ("ขอบเขตการปกครอง", "Boundaries"),
    "filters": ("เงื่อนไข", "Filters"),
    "title": ("ชื่อรายงาน", "Title"),
    "data_kind": ("ลักษณะข้อมูล", "Data"),
    "generated": ("จัดทำโดย planmap", "Made with planmap"),
    "generated_at": ("จัดทำเมื่อ", "Generated"),
    "km": ("กม.", "km"),
    "north": ("N", "N"),
    "unknown": ("ไม่ระบุ", "not stated"),
    "level_of_map": ("แผนที่ระดับ", "Areas shown"),
    "area": ("พื้นที่", "Area"),
    "pack_title": ("ข้อมูลประกอบการประชุม ก.บ.จ.", "Provincial committee briefing"),
    "pack_subtitle": (
        "ความต้องการพัฒนาของพื้นที่กับงบประมาณที่ได้รับ",
        "Development needs of the area and the budget that reached them",
    ),
    "slide_map": ("แผนที่{level} ตาม{metric}", "{metric} by {level}"),
    "slide_kpi": ("ตัวชี้วัดสำคัญ", "Key indicators"),
    "slide_top": ("พื้นที่ที่ยังไม่ได้รับจัดสรรมากที่สุด {n} อันดับ", "Top {n} unfunded areas"),
    "slide_top_requested": (
        "พื้นที่ที่เสนอวงเงินมากที่สุด {n} อันดับ (งบประมาณยังไม่ได้เชื่อมโยงกับโครงการ)",
        "Top {n} areas by requested amount (funding not linked to plan items)",
    ),
    "slide_need": ("ความต้องการสูงสุด {n} พื้นที่ เทียบกับงบประมาณต่อหัว", "Top {n} areas by need, against funding per head"),
    "pack_need_head": ("คนจนเป้าหมาย\nต่อ 1,000 คน", "Target poor\nper 1,000"),
    "pack_poor_head": ("คนจนเป้าหมาย\n(คน)", "Target poor\n(persons)"),
    "pack_pc_head": ("งบที่จัดสรร\nต่อหัว (บาท)", "Allocated per\nhead (baht)"),
    "col_bv_cell": ("กลุ่มบนแผนที่ความต้องการ", "Cell of the need map"),
    "slide_yoy": ("เปรียบเทียบกับปีงบประมาณก่อน", "Change from the previous fiscal year"),
    "slide_notes": ("แหล่งข้อมูลและเงื่อนไข", "Sources and filters"),
    "slide_data": ("ข้อมูลที่นำเข้าและสิ่งที่ข้อมูลบอกได้", "What is loaded, and what it can support"),
    "col_indicator": ("รายการ", "Measure"),
    "col_change": ("เปลี่ยนแปลง", "Change"),
    "col_change_pct": ("ร้อยละที่เปลี่ยน", "Change %"),
    "col_ratio": ("อัตราส่วน", "Ratio"),
    "no_unfunded": ("ไม่มีพื้นที่ที่ยังไม่ได้รับจัดสรร", "No unfunded areas"),
    "funded_items": ("โครงการที่ได้รับจัดสรร", "Funded items"),
    "note_plan_level": (
        "ความต้องการนับจาก{plan} เท่านั้น (ไม่นับซ้ำข้ามระดับแผน)",
        "Demand counted from the {plan} only (no double counting across plan levels)",
    ),
    "note_area_wide": (
        "โครงการที่ระบุทั้งพื้นที่ (เช่น ทั้งจังหวัด) ไม่ปรากฏบนแผนที่แต่รวมอยู่ในยอดรวม",
        "Area-wide items (e.g. province-wide) are not drawn on the map but are kept in the totals",
    ),
    "note_funded": (
        "ได้รับจัดสรร = มีรายการงบประมาณเชื่อมกับโครงการในปีงบประมาณนั้น; งบที่จัดสรรในพื้นที่ = "
        "งบประมาณทุกรายการในพื้นที่ ไม่ว่าจะเชื่อมโยงกับโครงการหรือไม่",
        "Funded = a budget allocation is linked to the item for that fiscal year; allocated in the "
        "area = all budget lines in the area, linked or not",
    ),
    "note_reference": (
        "ตัวเลขอ้างอิง ปีงบประมาณ 2559 จากคู่มือการบูรณาการแผนระดับพื้นที่ (ทั้งประเทศ)",
        "FY2559 reference figures: the Ministry of Interior's area-plan integration manual (national)",
    ),
    "note_classes": ('การแบ่งช่วงสี: {method} แยกกลุ่ม "ไม่มีข้อมูล" เป็นสีเทา', 'Legend classes: {method}; "no data" in grey'),
    "classes_fixed": ("กำหนดช่วงเอง", "fixed class breaks"),
    "slide_of": ("หน้า {n}/{total}", "{n}/{total}"),
    "ref_short": ("อ้างอิงปี 2559", "Ref. FY2559"),
    "note_ratio": (
        "อัตราส่วน: บรรจุในคำขอ ÷ ที่จังหวัดเสนอ และ ได้รับงบประมาณ ÷ ที่บรรจุในคำขอ (ตามจำนวนโครงการ)",
        "Ratio: in requests ÷ proposed, and funded ÷ in requests (by number of projects)",
    ),
    "requests_share": ("ของที่เสนอ", "of proposed"),
    "funded_share_of_requests": ("ของที่อยู่ในคำขอ", "of requested"),
    # the download route's answer when its queue is full (HTTP 429)
    "export_busy_title": ("กำลังเตรียมไฟล์", "Preparing your file"),
    "export_busy": (
        "เซิร์ฟเวอร์กำลังเตรียมไฟล์ส่งออกอื่นอยู่ หน้านี้จะลองใหม่เองทุก {n} วินาที และไฟล์จะดาวน์โหลดเมื่อพร้อม (จากนั้นปิดแท็บนี้ได้)",
        "The server is preparing other exports. This page retries by itself every {n} seconds"
        " and the file downloads when it is ready (you may then close this tab).",
    ),
    "export_retry_now": ("ลองใหม่ตอนนี้", "Retry now"),
    # the place search, the trend over the years and two areas side by side
    "place_search": ("ค้นหาจังหวัด อำเภอ ตำบล หมู่บ้าน…", "Find a province, district, tambon, village…"),
    "place_type": ("พิมพ์ชื่อพื้นที่ (ไทยหรืออังกฤษ)", "Type a place name (Thai or English)"),
    "place_none": ("ไม่พบพื้นที่ในขอบเขตของท่าน", "No place found in your areas"),
    "view_trend": ("แนวโน้มรายปี", "Trend over years"),
    "view_need": ("ความต้องการ", "Need"),
    "need_title": ("{area}: ความต้องการของประชาชนเทียบกับงบประมาณ", "{area}: people's need against funding"),
    "need_note": (
        "แต่ละ{level}: คนจนเป้าหมาย (TPMAP) ต่อผู้ถูกสำรวจ 1,000 คน เทียบกับงบประมาณที่จัดสรรลงพื้นที่ต่อประชากร"
        " {fy} — ข้อมูลความต้องการมาจากการสำรวจ ไม่ใช่ปีงบประมาณ",
        "Each {level}: target poor (TPMAP) per 1,000 surveyed against the budget allocated in the area per"
        " inhabitant, {fy}; need comes from a survey, not from the fiscal year",
    ),
    "need_vs_funding": ("ความต้องการกับงบประมาณ", "Need and funding"),
    "need_list_title": (
        "พื้นที่ที่ความต้องการสูงแต่ได้รับงบประมาณต่อหัวต่ำ (ช่อง ! ของคำอธิบาย)",
        "Areas of high need and low funding per head (the ! cell of the legend)",
    ),
    "bv_level_0": ("ต่ำ", "low"),
    "bv_level_1": ("กลาง", "middle"),
    "bv_level_2": ("สูง", "high"),
    "bv_cell": ("ความต้องการ{need} · งบต่อหัว{funding}", "need {need} · funding per head {funding}"),
    "bv_thirds": (
        "แบ่งเป็นสามกลุ่มเท่า ๆ กันเทียบกับพื้นที่บนแผนที่นี้ (ไม่ใช่เกณฑ์ระดับประเทศ)",
        "Thirds of the areas on this map (not national thresholds)",
    ),
    "bv_missing": (
        "ไม่มีข้อมูลความต้องการ {need} พื้นที่ · ไม่มีข้อมูลประชากร {funding} พื้นที่",
        "{need} areas without need data · {funding} without population",
    ),
    "bv_too_few": (
        "พื้นที่ที่มีทั้งข้อมูลความต้องการและงบประมาณต่อหัวมีน้อยเกินกว่าจะแบ่งกลุ่มได้",
        "Too few areas have both need and funding per head to form classes",
    ),
    "person": ("คน", "person"),
    "shared_item": (
        "ร่วมกับพื้นที่อื่น: {names} — นับครั้งเดียวที่ {area}",
        "Shared with other areas: {names}; counted once in {area}",
    ),
    "showing_shared": (
        "และอีก {n} รายการที่ระบุพื้นที่นี้ร่วมกับพื้นที่อื่น (นับในพื้นที่ที่กว้างกว่า ไม่รวมในยอดนี้)",
        "and {n} items naming this area among others (counted in a wider area, not in this total)",
    ),
    "several_provinces": ("หลายจังหวัด", "several provinces"),
    "approximate_point": ("ตำแหน่งโดยประมาณ", "approximate position"),
    "approximate_villages": (
        "จุดหมู่บ้านวางไว้ภายในตำบลโดยประมาณ (บัญชีหมู่บ้านไม่มีพิกัด) ใช้ดูว่าหมู่บ้านใดมีข้อมูล ไม่ใช่ที่ตั้งจริง",
        "Village points are placed inside their tambon approximately (the village list has no coordinates):"
        " they show which villages have data, not where they are",
    ),
    "col_need_poor": ("คนจนเป้าหมายต่อ 1,000 คน (TPMAP)", "Target poor per 1,000 (TPMAP)"),
    "card_need_count": ("คนจนเป้าหมาย {poor} คน จากผู้ถูกสำรวจ {persons} คน", "{poor} target poor of {persons} surveyed"),
    "col_target_poor": ("คนจนเป้าหมาย (คน)", "Target poor (persons)"),
    "col_population": ("ประชากร", "Population"),
    "hotspots": ("จุดร้อน-จุดเย็น", "Hot and cold spots"),
    "hotspots_title": ("จุดร้อน-จุดเย็นของ {metric}", "Hot and cold spots of {metric}"),
    "hotspots_method": (
        "วิธี Getis-Ord Gi* และ Local Moran's I บนความติดกันแบบ Queen ทดสอบด้วยการสุ่มสลับ 999 ครั้ง"
        " ระดับนัยสำคัญ p < {alpha} · คำนวณจาก {n} พื้นที่ (เลือกตัวชี้วัดเป็นอัตราได้ที่เมนูตัวชี้วัด)",
        "Getis-Ord Gi* and local Moran's I on Queen contiguity, 999 permutations, significance p < {alpha};"
        " {n} areas (choose a rate in the metric menu)",
    ),
    "hs_too_few": (
        "ไม่มีจุดร้อน-จุดเย็น: พื้นที่ที่มีข้อมูลและมีพื้นที่ติดกันน้อยเกินไป (ต้องมีอย่างน้อย 8) หรือค่าเท่ากันทุกพื้นที่",
        "No hot or cold spots: too few areas with data and neighbours (at least 8), or every value equal",
    ),
    "hs_multiple": (
        "ทดสอบแต่ละพื้นที่แยกกัน ({n} พื้นที่) โดยไม่ปรับแก้การทดสอบหลายครั้ง: ราว 1 ใน 20 พื้นที่อาจดูมีนัยสำคัญได้โดยบังเอิญ",
        "Each of the {n} areas is tested on its own, without correction for multiple testing:"
        " about one in twenty can look significant by chance",
    ),
    "hs_left_out": (
        "ไม่นำมาคำนวณ: ไม่มีข้อมูล {nodata} พื้นที่ · ไม่มีพื้นที่ติดกัน {islands} พื้นที่",
        "Left out: {nodata} areas without data · {islands} without a neighbour",
    ),
    "bv_coverage": (
        "งบประมาณที่จัดสรรในพื้นที่นี้ {total} ระบุถึงระดับ{level}ได้ {share}"
        " ส่วนที่เหลือระบุเพียงระดับที่กว้างกว่า จึงไม่นับรวมในงบต่อหัวของแต่ละ{level}",
        "Of the {total} allocated in this area, {share} is tagged to a {level}; the rest is tagged only"
        " to wider areas and is not counted in any {level}'s funding per head",
    ),
    "bv_no_budget": (
        "ยังไม่ได้นำเข้างบประมาณของปีงบประมาณนี้ จึงเทียบความต้องการกับงบประมาณไม่ได้ — เลือกปีที่มีงบประมาณ",
        "No budget is loaded for this fiscal year, so need cannot be set against funding: choose a year with a budget",
    ),
    "hs_hot": ("จุดร้อน (สูงกลุ่มกัน)", "Hot spot (high values cluster)"),
    "hs_cold": ("จุดเย็น (ต่ำกลุ่มกัน)", "Cold spot (low values cluster)"),
    "hs_ns": ("ไม่มีนัยสำคัญ", "Not significant"),
    "hs_island": ("ไม่มีพื้นที่ติดกัน", "No neighbour"),
    "hs_nodata": ("ไม่มีข้อมูล", "No data"),
    "hs_moran": ("Local Moran", "Local Moran"),
    "hs_moran_HH": ("สูงล้อมด้วยสูง", "high among high"),
    "hs_moran_LL": ("ต่ำล้อมด้วยต่ำ", "low among low"),
    "hs_moran_HL": ("สูงล้อมด้วยต่ำ", "high among low"),
    "hs_moran_LH": ("ต่ำล้อมด้วยสูง", "low among high"),
    "hs_moran_ns": ("ไม่มีนัยสำคัญ", "not significant"),
    "hs_moran_nodata": ("ไม่มีข้อมูล", "no data"),
    "hs_moran_island": ("ไม่มีพื้นที่ติดกัน", "no neighbour"),
    "view_compare": ("เทียบสองพื้นที่", "Compare two areas"),
    "trend_title": ("{area}: ทุกปีงบประมาณที่นำเข้า", "{area}: every loaded fiscal year"),
    "trend_note": (
        "ตัวเลขของแต่ละปีเท่ากับบัตรสรุปของปีนั้น ({plan}{filters}); วงเงินที่ได้รับจัดสรรแสดงเฉพาะปีที่งบประมาณเชื่อมโยงกับโครงการแล้ว",
        "Each year's figures are that year's cards ({plan}{filters}); funded is shown only for the years whose"
        " budget is linked to plan items.",
    ),
    "trend_filtered": (" · กรองตามด้าน หน่วยงาน หรือแหล่งงบ", " · filtered by sector, agency or source"),
    "trend_year": ("ปีงบประมาณ (พ.ศ.)", "Fiscal year (BE)"),
    "trend_amount": ("ล้านบาท", "million baht"),
    "trend_selected": ("ปีที่เลือก", "selected year"),
    "compare_title": ("เทียบ {a} กับ {b}", "{a} compared with {b}"),
    "compare_pick": ("เลือกพื้นที่ที่จะเทียบ…", "Pick an area to compare with…"),
    "compare_none": (
        "เลือกพื้นที่ที่สองเพื่อเทียบกับ {area} (ค้นหาด้านบน หรือเลือกจากรายการ)",
        "Pick a second area to set beside {area} (search above, or one of these)",
    ),
    "compare_swap": ("สลับข้าง", "Swap sides"),
    "compare_clear": ("เลิกเทียบ", "Stop comparing"),
    "compare_open": ("เปิดพื้นที่นี้", "Open this area"),
    "compare_suggest": ("พื้นที่ใกล้เคียง:", "Nearby areas:"),
    "cmp_ignored": (
        'ไม่ได้เทียบกับพื้นที่ "{code}" ในลิงก์: ไม่พบพื้นที่นี้ หรืออยู่นอกพื้นที่ที่ท่านมีสิทธิ์',
        'The comparison area "{code}" of this link was ignored: it does not exist or is outside your areas.',
    ),
    # the map's legend of a change, and its download button
    "change_good_up": ("เขียว = ดีขึ้น (เพิ่มขึ้น) · แดง = แย่ลง", "green = better (up) · red = worse"),
    "change_good_down": ("เขียว = ดีขึ้น (ลดลง) · แดง = แย่ลง", "green = better (down) · red = worse"),
    "change_neutral": ("ส้ม = เพิ่มขึ้น · ม่วง = ลดลง", "orange = up · purple = down"),
    "map_download": ("ดาวน์โหลดแผนที่ (PNG)", "Download the map (PNG)"),
}

MONTHS_TH = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

REFERENCE_FY2559 = {  # DESIGN §1: the manual's national figures for FY2559 (amounts in baht)
    "proposed_items": 7932,
    "proposed_amount": Decimal("613919240300"),
    "requested_items": 2063,
    "requested_amount": Decimal("47144644100"),
    "funded_items": 1402,
    "funded_amount": Decimal("19131633900"),
}


def t(key: str, lang: str = "th", **values: object) -> str:
    """The label in ``lang`` ('th' default, 'en'), with ``{placeholders}`` filled."""
    th, en = LABELS[key]
    text = en if lang == "en" else th
    return text.format(**values) if values else text


def baht(amount: Decimal | int | float | None, lang: str = "th") -> str:
    """Baht with thousands separators and satang: 1,234,567.50 (Thai and English agree)."""
    if amount is None:
        return t("no_value", lang)
    return f"{Decimal(amount):,.2f}"


def million(amount: Decimal | int | float | None, lang: str = "th", digits: int = 2) -> str:
    """An amount in millions of baht: '1,234.57 ล้านบาท' (never '1.2B')."""
    if amount is None:
        return t("no_value", lang)
    return f"{Decimal(amount) / Decimal(1_000_000):,.{digits}f} {t('million', lang)}"


def millions_number(amount: float | Decimal, digits: int = 2) -> str:
    """Millions without the unit (legend ticks): 1,234.57."""
    return f"{float(amount) / 1_000_000:,.{digits}f}"


def count(n: int | None, lang: str = "th") -> str:
    return t("no_value", lang) if n is None else f"{int(n):,}"


def percent(share: float | None, lang: str = "th", digits: int = 1) -> str:
    return t("no_value", lang) if share is None else f"{share * 100:,.{digits}f}%"


def signed_percent(change: float | None, lang: str = "th") -> str:
    return t("no_value", lang) if change is None else f"{change * 100:+,.1f}%"


def fiscal_year(be_year: int, lang: str = "th", short: bool = False) -> str:
    """Fiscal years are shown in Buddhist Era in both languages (short: under a "fiscal year" label)."""
    if lang == "th":
        return f"พ.ศ. {be_year}" if short else f"ปีงบประมาณ พ.ศ. {be_year}"
    return f"FY {be_year} (BE)"


def date(value: dt.date | None, lang: str = "th", *, missing: str = "–") -> str:
    """A date as people read it: '6 ม.ค. 2567' (Buddhist Era) in Thai, '6 Jan 2024' in English;
    a datetime with its time ('31 ม.ค. 2568 14:05'). The one date formatter of page and exports."""
    if value is None:
        return missing
    clock = f" {value:%H:%M}" if isinstance(value, dt.datetime) else ""
    if lang == "th":
        return f"{value.day} {MONTHS_TH[value.month - 1]} {value.year + 543}{clock}"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}{clock}"


SOURCE_KINDS = {
    "plans": ("แผน", "plans"),
    "budget": ("งบประมาณ", "budget"),
    "demo": ("ข้อมูลสาธิต", "demo"),
    "boundaries": ("ขอบเขต", "boundaries"),
}


def source_line(sources: dict[str, list[str]], lang: str = "th", limit: int = 240) -> str:
    """'แผน: a.xlsx, b.xlsx · งบประมาณ: 2022-3-1.csv.gz …' (``geodata.provenance.sources``)."""
    parts = [
        f"{SOURCE_KINDS[k][1 if lang == 'en' else 0]}: {', '.join(v)}" for k, v in sources.items() if k in SOURCE_KINDS
    ]
    text = " · ".join(parts) or ("no data loaded" if lang == "en" else "ยังไม่มีข้อมูล")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def when(value: dt.date | None, lang: str = "th") -> str:
    """The date (and time) an export states, or 'not stated'."""
    return date(value, lang, missing=t("unknown", lang))


def date_range(start: dt.date | None, end: dt.date | None, lang: str = "th") -> str:
    return f"{date(start, lang)} – {date(end, lang)}"


# AG Grid's own texts (its locale keys) in Thai; English is AG Grid's default.
GRID_TEXT_TH = {
    "noRowsToShow": "ไม่มีรายการ",
    "loadingOoo": "กำลังโหลด…",
    "page": "หน้า",
    "of": "จาก",
    "to": "ถึง",
    "more": "มากกว่า",
    "next": "ถัดไป",
    "previous": "ก่อนหน้า",
    "first": "หน้าแรก",
    "last": "หน้าสุดท้าย",
    "nextPage": "หน้าถัดไป",
    "previousPage": "หน้าก่อนหน้า",
    "firstPage": "หน้าแรก",
    "lastPage": "หน้าสุดท้าย",
    "pageSizeSelectorLabel": "แถวต่อหน้า:",
    "filterOoo": "กรอง…",
    "searchOoo": "ค้นหา…",
    "selectAll": "(เลือกทั้งหมด)",
    "blanks": "(ว่าง)",
    "equals": "เท่ากับ",
    "notEqual": "ไม่เท่ากับ",
    "blank": "ว่าง",
    "notBlank": "ไม่ว่าง",
    "empty": "เลือกเงื่อนไข",
    "lessThan": "น้อยกว่า",
    "greaterThan": "มากกว่า",
    "lessThanOrEqual": "น้อยกว่าหรือเท่ากับ",
    "greaterThanOrEqual": "มากกว่าหรือเท่ากับ",
    "inRange": "อยู่ระหว่าง",
    "inRangeStart": "จาก",
    "inRangeEnd": "ถึง",
    "contains": "มีคำว่า",
    "notContains": "ไม่มีคำว่า",
    "startsWith": "ขึ้นต้นด้วย",
    "endsWith": "ลงท้ายด้วย",
    "andCondition": "และ",
    "orCondition": "หรือ",
    "applyFilter": "ใช้",
    "resetFilter": "ล้าง",
    "clearFilter": "ล้าง",
    "cancelFilter": "ยกเลิก",
    "filterConditions": "เงื่อนไข",
    "ariaFilterValue": "ค่าที่กรอง",
    "ariaFilteringOperator": "ตัวดำเนินการกรอง",
    "ariaColumn": "คอลัมน์",
    "ariaRowSelect": "กด SPACE เพื่อเลือกแถวนี้",
    "ariaSortableColumn": "กด ENTER เพื่อเรียงลำดับ",
    "ariaMenuColumn": "กด ALT ลูกศรลง เพื่อเปิดเมนูคอลัมน์",
    "ariaFilterInput": "ช่องกรอง",
    "ariaLabelColumnMenu": "เมนูคอลัมน์",
    "ariaLabelDialog": "หน้าต่าง",
    "ariaPageSizeSelectorLabel": "แถวต่อหน้า",
    "ariaSearch": "ค้นหา",
    "ariaSearchFilterValues": "ค้นหาค่าที่กรอง",
    "sortAscending": "เรียงจากน้อยไปมาก",
    "sortDescending": "เรียงจากมากไปน้อย",
    "columnFilter": "ตัวกรองคอลัมน์",
    "columnChooser": "เลือกคอลัมน์",
    "pinColumn": "ตรึงคอลัมน์",
    "autosizeThisColumn": "ปรับความกว้างคอลัมน์นี้",
    "autosizeAllColumns": "ปรับความกว้างทุกคอลัมน์",
    "resetColumns": "คืนค่าคอลัมน์",
}
GRID_TEXT_EN = {"noRowsToShow": "No rows to show", "loadingOoo": "Loading…"}


def grid_locale(lang: str = "th") -> dict[str, str]:
    """AG Grid's ``localeText`` for ``lang`` (its empty-grid, paging and filter texts)."""
    return dict(GRID_TEXT_EN) if lang == "en" else dict(GRID_TEXT_TH)


def grid_text_function() -> dict[str, str]:
    """A dash-ag-grid ``getLocaleText`` that answers in the page's language (``lang`` of the URL,
    read when the grid draws a text), so the grids' texts follow the page without a round trip."""
    import json

    texts = json.dumps({"th": GRID_TEXT_TH, "en": GRID_TEXT_EN}, ensure_ascii=False)
    return {"function": f"planmapGridText(params, {texts})"}


def pick(th: str | None, en: str | None, lang: str = "th") -> str | None:
    """A name from data in ``lang``: the English one when asked for and known, else the Thai."""
    return (en or th) if lang == "en" else th


def name(thing: object, lang: str = "th") -> str:
    """The name of an area (anything with ``name_th`` and ``name_en``) in ``lang``."""
    return pick(thing.name_th, getattr(thing, "name_en", None), lang) or ""  # type: ignore[attr-defined]


def plan_level(level: str, lang: str = "th") -> str:
    return t(f"plan_{level}", lang)


def area_level(level: str, lang: str = "th") -> str:
    return t(level, lang)


def funding_source(source: str, lang: str = "th") -> str:
    return t(f"src_{source}", lang)


def status(value: str, lang: str = "th") -> str:
    return t(f"status_{value}", lang)


# Why the reader set rows or sheets aside (etl.readers, in English there); said in Thai here.
SKIP_REASONS = {
    "blank": "แถวว่าง",
    "title row": "แถวชื่อเรื่องเหนือหัวตาราง",
    "trailing blank rows": "แถวว่างท้ายตาราง",
    "side table": "ตารางข้างเคียง",
    "no values in mapped columns": "ไม่มีค่าในคอลัมน์ที่ใช้",
    "repeated header": "หัวตารางซ้ำ",
    "totals row (รวม)": "แถวยอดรวม (รวม)",
    "totals row (sum of the rows above)": "แถวยอดรวม (เท่ากับผลรวมของแถวด้านบน)",
    "section heading (title only)": "หัวข้อกลุ่ม (มีแต่ชื่อ)",
    "empty sheet": "แผ่นงานว่าง",
    "no header row": "ไม่พบหัวตาราง",
    "header but no data rows": "มีหัวตารางแต่ไม่มีข้อมูล",
}


def skip_reason(reason: str, lang: str = "th") -> str:
    """A reason rows were ignored, in the reader's language (a reason not listed as it is)."""
    return SKIP_REASONS.get(reason, reason) if lang == "th" else reason


def coverage_text(coverage: Coverage, lang: str = "th") -> str:
    """'of allocations 96.3% · of requests 41.0%' (where the money was judged, when not here)."""
    text = t(
        "coverage_value",
        lang,
        alloc=percent(coverage.allocation_share, lang),
        req=percent(coverage.request_share, lang),
    )
    return text + (" " + t("coverage_country", lang) if coverage.scope == "country" else "")


def unlinked_reason(coverage: Coverage, lang: str = "th") -> str:
    """Why funded figures are not shown, in a sentence a committee can read."""
    if coverage.state == "no_supply":
        return t("no_supply_note", lang)
    return t("not_linked_note", lang, share=percent(coverage.allocation_share, lang))
