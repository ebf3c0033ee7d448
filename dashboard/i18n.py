"""Thai-first labels with English equivalents, and Thai number/year formatting."""

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
    "level": ("ระดับพื้นที่", "Area level"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "plan_level": ("ระดับแผน", "Plan level"),
    "requested": ("วงเงินที่เสนอ (บาท)", "Requested (baht)"),
    "items": ("จำนวนโครงการ", "Items"),
    "province": ("จังหวัด", "Province"),
    "district": ("อำเภอ", "District"),
    "tambon": ("ตำบล", "Tambon"),
    "cluster": ("กลุ่มจังหวัด", "Provincial cluster"),
    "village": ("หมู่บ้าน", "Village"),
    "local": ("ท้องถิ่น", "Local government"),
    "boundaries": ("ขอบเขต", "Boundaries"),
    "no_value": ("ไม่มีข้อมูล", "no data"),
}


def t(key: str, lang: str = "th") -> str:
    """The label in ``lang`` ('th' default, 'en')."""
    th, en = LABELS[key]
    return en if lang == "en" else th


def baht(amount: Decimal | int | None, lang: str = "th") -> str:
    """Baht with thousands separators and satang: 1,234,567.50 (Thai and English agree)."""
    if amount is None:
        return t("no_value", lang)
    return f"{Decimal(amount):,.2f}"


def fiscal_year(be_year: int, lang: str = "th") -> str:
    """Fiscal years are shown in Buddhist Era in both languages."""
    return f"ปีงบประมาณ พ.ศ. {be_year}" if lang == "th" else f"FY {be_year} (BE)"
