"""Export-only labels (Thai first, English second) and date formatting.

The dashboard's own labels live in ``dashboard.i18n``; the few words only exports need are kept
here so this package can be developed without touching the page's label table. ``tx`` looks
here first and falls back to ``i18n.t``, so either key set works.
"""

from __future__ import annotations

import datetime as dt

from dashboard import i18n

LABELS: dict[str, tuple[str, str]] = {
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
    "pack_subtitle": ("ความต้องการพัฒนาของพื้นที่กับงบประมาณที่ได้รับ",
                      "Development needs of the area and the budget that reached them"),
    "slide_map": ("แผนที่{level} ตาม{metric}", "{metric} by {level}"),
    "slide_kpi": ("ตัวชี้วัดสำคัญ", "Key indicators"),
    "slide_top": ("พื้นที่ที่ยังไม่ได้รับจัดสรรมากที่สุด {n} อันดับ", "Top {n} unfunded areas"),
    "slide_top_requested": ("พื้นที่ที่เสนอวงเงินมากที่สุด {n} อันดับ (งบประมาณยังไม่ได้เชื่อมโยงกับโครงการ)",
                            "Top {n} areas by requested amount (funding not linked to plan items)"),
    "slide_yoy": ("เปรียบเทียบกับปีงบประมาณก่อน", "Change from the previous fiscal year"),
    "slide_notes": ("แหล่งข้อมูลและเงื่อนไข", "Sources and filters"),
    "slide_data": ("ข้อมูลที่นำเข้าและสิ่งที่ข้อมูลบอกได้", "What is loaded, and what it can support"),
    "col_indicator": ("รายการ", "Measure"),
    "col_change": ("เปลี่ยนแปลง", "Change"),
    "col_change_pct": ("ร้อยละที่เปลี่ยน", "Change %"),
    "col_ratio": ("อัตราส่วน", "Ratio"),
    "no_unfunded": ("ไม่มีพื้นที่ที่ยังไม่ได้รับจัดสรร", "No unfunded areas"),
    "funded_items": ("โครงการที่ได้รับจัดสรร", "Funded items"),
    "note_plan_level": ("ความต้องการนับจาก{plan} เท่านั้น (ไม่นับซ้ำข้ามระดับแผน)",
                        "Demand counted from the {plan} only (no double counting across plan levels)"),
    "note_area_wide": ("โครงการที่ระบุทั้งพื้นที่ (เช่น ทั้งจังหวัด) ไม่ปรากฏบนแผนที่แต่รวมอยู่ในยอดรวม",
                       "Area-wide items (e.g. province-wide) are not drawn on the map but are kept in the totals"),
    "note_funded": ("ได้รับจัดสรร = มีรายการงบประมาณเชื่อมกับโครงการในปีงบประมาณนั้น; งบที่จัดสรรในพื้นที่ = "
                    "งบประมาณทุกรายการในพื้นที่ ไม่ว่าจะเชื่อมโยงกับโครงการหรือไม่",
                    "Funded = a budget allocation is linked to the item for that fiscal year; allocated in the "
                    "area = all budget lines in the area, linked or not"),
    "note_reference": ("ตัวเลขอ้างอิง ปีงบประมาณ 2559 จากคู่มือการบูรณาการแผนระดับพื้นที่ (ทั้งประเทศ)",
                       "FY2559 reference figures: the Ministry of Interior's area-plan integration manual (national)"),
    "note_classes": ("การแบ่งช่วงสี: {method} แยกกลุ่ม \"ไม่มีข้อมูล\" เป็นสีเทา",
                     "Legend classes: {method}; \"no data\" in grey"),
    "classes_fixed": ("กำหนดช่วงเอง", "fixed class breaks"),
    "slide_of": ("หน้า {n}/{total}", "{n}/{total}"),
    "ref_short": ("อ้างอิงปี 2559", "Ref. FY2559"),
    "note_ratio": ("อัตราส่วน: บรรจุในคำขอ ÷ ที่จังหวัดเสนอ และ ได้รับงบประมาณ ÷ ที่บรรจุในคำขอ (ตามจำนวนโครงการ)",
                   "Ratio: in requests ÷ proposed, and funded ÷ in requests (by number of projects)"),
    "requests_share": ("ของที่เสนอ", "of proposed"),
    "funded_share_of_requests": ("ของที่อยู่ในคำขอ", "of requested"),
}

_MONTHS_TH = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
              "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


def tx(key: str, lang: str = "th", **values: object) -> str:
    """An export label in ``lang``; unknown keys come from the dashboard's table."""
    if key not in LABELS:
        return i18n.t(key, lang, **values)
    th, en = LABELS[key]
    text = en if lang == "en" else th
    return text.format(**values) if values else text


def date_text(value: dt.date | dt.datetime | None, lang: str = "th") -> str:
    """'31 ม.ค. 2568 14:05' (Buddhist Era, as Thai readers expect) or '2025-01-31 14:05'."""
    if value is None:
        return tx("unknown", lang)
    clock = f" {value:%H:%M}" if isinstance(value, dt.datetime) else ""
    if lang == "en":
        return f"{value:%Y-%m-%d}{clock}"
    return f"{value.day} {_MONTHS_TH[value.month - 1]} {value.year + 543}{clock}"
