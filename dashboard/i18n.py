"""Thai-first labels with English equivalents, and Thai number/amount/year formatting.

Pure functions only: the callbacks and figure builders call these, tests call them directly.
"""

from __future__ import annotations

from decimal import Decimal

LABELS: dict[str, tuple[str, str]] = {
    "app_title": ("planmap — แผนที่ความต้องการพัฒนาและงบประมาณ", "planmap — development needs and budget"),
    "synthetic": ("ข้อมูลสังเคราะห์สำหรับสาธิต ไม่ใช่ข้อมูลจริง",
                  "SYNTHETIC demonstration data — not real figures"),
    "schematic": ("แผนที่แผนผัง (สี่เหลี่ยมตามจำนวนตำบล) — นำเข้าขอบเขตจริงด้วย planmap geo load",
                  "Schematic map (rectangles sized by number of tambons) — load real boundaries with planmap geo load"),
    "db_down": ("ขณะนี้เชื่อมต่อฐานข้อมูลไม่ได้ ระบบจะลองใหม่อัตโนมัติ",
                "The database cannot be reached right now; the page retries by itself."),
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
    "card_funded": ("ได้รับจัดสรรแล้ว", "Funded"),
    "card_gap": ("ยังไม่ได้รับจัดสรร", "Unfunded gap"),
    "card_share": ("สัดส่วนที่ได้รับจัดสรร", "Funded share"),
    "card_items": ("โครงการ", "Items"),
    "card_allocated": ("งบที่จัดสรรในพื้นที่", "Budget allocated here"),
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
    "reference": ("อ้างอิง ปีงบประมาณ 2559 (ทั้งประเทศ)", "Reference FY2559 (national)"),
    "this_area": ("พื้นที่นี้", "This area"),
    # side list
    "wider": ("รายการที่ไม่อยู่บนแผนที่นี้", "Not drawn on this map"),
    "own_items": ("ระบุทั้ง{level} (ไม่ระบุพื้นที่ย่อย)", "{level}-wide items (no finer area)"),
    "wider_items": ("ระบุพื้นที่กว้างกว่า{level} (เช่น ทั้งจังหวัด ทั้งอำเภอ)",
                    "Tagged to areas wider than a {level} (province-wide, district-wide …)"),
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
}

REFERENCE_FY2559 = {  # DESIGN §1: the manual's national figures for FY2559 (amounts in baht)
    "proposed_items": 7932, "proposed_amount": Decimal("613919240300"),
    "requested_items": 2063, "requested_amount": Decimal("47144644100"),
    "funded_items": 1402, "funded_amount": Decimal("19131633900"),
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


def plan_level(level: str, lang: str = "th") -> str:
    return t(f"plan_{level}", lang)


def area_level(level: str, lang: str = "th") -> str:
    return t(level, lang)


def funding_source(source: str, lang: str = "th") -> str:
    return t(f"src_{source}", lang)


def status(value: str, lang: str = "th") -> str:
    return t(f"status_{value}", lang)
