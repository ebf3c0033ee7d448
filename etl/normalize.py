"""Pure normalisers for the values the ETL reads: text, amounts, years, dates, agency names.

Every function takes one raw cell (as openpyxl, csv or pandas hands it over) and returns one
clean value in the single convention planmap stores, or raises :class:`NormalizeError` naming
the value and the rule it broke, so the loader can report file/row/field and reject the row.

Conventions (DESIGN.md §3):
- amounts are ``Decimal`` baht rounded to the satang (0.01, ROUND_HALF_UP), never floats;
- fiscal years are Buddhist Era (BE) integers, FY N = 1 Oct (N-1 CE+543) to 30 Sep N;
- dates are real CE ``datetime.date`` objects.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from rapidfuzz import fuzz, process

from geodata.areas import BE_OFFSET

__all__ = [
    "AGENCY_ALIASES",
    "MINISTRIES",
    "NormalizeError",
    "clean_text",
    "detect_million_mislabel",
    "normalize_agency",
    "normalize_ministry",
    "parse_amount",
    "parse_fiscal_year",
    "parse_thai_date",
    "thai_digits_to_arabic",
]


class NormalizeError(ValueError):
    """A raw value that cannot be turned into the stored convention.

    ``field`` is the logical field ("amount", "fiscal_year", …), ``value`` the raw input and
    ``rule`` a short phrase naming the rule it broke; the loader adds file and row.
    """

    def __init__(self, field: str, value: object, rule: str) -> None:
        self.field = field
        self.value = value
        self.rule = rule
        super().__init__(f"{field}: {value!r} rejected: {rule}")


# --------------------------------------------------------------------------- text

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Zero-width space/joiners and BOM: invisible, but they break equality and regexes.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# \s covers newlines, tabs, NBSP (U+00A0) and the other Unicode spaces.
_SPACES = re.compile(r"\s+")
# PDF extraction writes SARA AM (ำ) as NIKHAHIT + SARA AA (ํา); NFC does not join them.
_SPLIT_SARA_AM = re.compile("\u0e4d\u0e32")


def thai_digits_to_arabic(s: str) -> str:
    """Replaces Thai digits ๐–๙ with 0–9 (Thai documents mix both, often in one number)."""
    return s.translate(_THAI_DIGITS)


def clean_text(s: object) -> str | None:
    """Returns text in one comparable form, or None when nothing is left.

    NFC, SARA AM re-joined, zero-width characters dropped, every run of whitespace (newlines
    inside Excel cells, NBSP) collapsed to one space, ends stripped. Non-strings (numbers from
    Excel) are converted with ``str``; None stays None.
    """
    if s is None:
        return None
    if isinstance(s, str) and s.isascii() and s.isprintable() and " " not in s:
        return s or None  # codes and references: nothing to normalise, collapse or strip
    text = unicodedata.normalize("NFC", str(s))
    text = _SPLIT_SARA_AM.sub("\u0e33", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return text or None


# --------------------------------------------------------------------------- amounts

_SATANG = Decimal("0.01")
_MILLION = Decimal(1_000_000)
# The database stores amounts as numeric(16,2); the whole FY2565 Budget Bill is 2.4 × 10^12.
MAX_AMOUNT = Decimal("99999999999999.99")
# Either no separators or commas grouping by three ("1,093,600.50"). "429,00.00" or
# "15,000.000.00" (both in thaime_v2p2.xlsx) are rejected: the intended value is a guess.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_UNIT_SUFFIX = re.compile(r"(?:\.?-)?\s*(ล้าน)?\s*(?:บาท)?\s*\.?$")


def parse_amount(
    value: object,
    *,
    unit_hint: Literal["baht", "million"] | None = None,
    field: str = "amount",
) -> Decimal:
    """Parses a money cell into baht as a Decimal rounded to the satang (ROUND_HALF_UP).

    Accepts int, float, Decimal and text with thousands separators, Thai digits, spaces and a
    trailing "บาท". ``unit_hint="million"`` (a column labelled ล้านบาท) multiplies by 10^6; so
    does an explicit "ล้าน" in the text ("5 ล้านบาท"). Floats go through ``repr`` so 0.1 stays
    0.1 instead of its binary neighbour. Negative amounts are errors: a plan item never requests
    a negative sum, so a minus sign means a broken cell.
    """
    if value is None or isinstance(value, bool):
        raise NormalizeError(field, value, "not a number")
    multiplier = _MILLION if unit_hint == "million" else Decimal(1)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise NormalizeError(field, value, "not a finite number")
        number = Decimal(repr(value))
    elif isinstance(value, str):
        number, text_million = _parse_amount_text(value, field)
        if text_million:
            multiplier = _MILLION
    else:
        raise NormalizeError(field, value, f"unsupported type {type(value).__name__}")
    if not number.is_finite():
        raise NormalizeError(field, value, "not a finite number")
    if number.is_signed():  # "-0" as well: a minus sign means a broken cell
        raise NormalizeError(field, value, "negative amount")
    amount = number * multiplier
    if amount > MAX_AMOUNT:  # before quantize, which fails on 28 digits and more
        raise NormalizeError(field, value, f"more than {MAX_AMOUNT:,} baht, larger than any budget")
    return amount.quantize(_SATANG, rounding=ROUND_HALF_UP)


def _parse_amount_text(value: str, field: str) -> tuple[Decimal, bool]:
    """Parses amount text; returns the number and whether the text itself said ล้าน (million)."""
    text = clean_text(value)
    if text is None:
        raise NormalizeError(field, value, "empty amount")
    text = thai_digits_to_arabic(text)
    unit = _UNIT_SUFFIX.search(text)
    in_millions = bool(unit and unit.group(1))
    text = text[: unit.start()] if unit else text
    text = text.replace(" ", "")
    if not _NUMBER.fullmatch(text):
        malformed = re.fullmatch(r"[\d,.]+", text)
        raise NormalizeError(field, value, "malformed thousands separators" if malformed else "not a number")
    try:
        return Decimal(text.replace(",", "")), in_millions
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid numbers
        raise NormalizeError(field, value, "not a number") from exc


# A village road does not cost 10 billion baht: a "million baht" column whose median is at
# least this many "millions" holds baht.
MILLION_MISLABEL_MEDIAN = Decimal(10_000)


def detect_million_mislabel(amounts: Sequence[Decimal]) -> bool:
    """Tells whether a column labelled ล้านบาท (million baht) really holds baht.

    Rule: the median of the non-negative values is ≥ 10,000. Read as millions that is a median
    item of 10 billion baht, more than a whole province's annual development budget, so the
    label must be wrong (5 ThaiME sheets label baht columns this way). Real million-baht columns
    have medians between about 0.1 and 100. The median, not the mean, so a few totals or typos
    in a column do not decide. An empty column is not mislabelled.
    """
    values = [a for a in amounts if a is not None and a >= 0]
    if not values:
        return False
    return statistics.median(values) >= MILLION_MISLABEL_MEDIAN


# --------------------------------------------------------------------------- years and dates

BE_MIN, BE_MAX = 2500, 2700
_YEAR_TOKEN = re.compile(r"(?<!\d)(\d{4}|\d{2})(?!\d)")
_THAI_YEAR_PREFIX = re.compile(r"ปีงบ|พ\.?\s*ศ\.?|งบประมาณ")


def parse_fiscal_year(value: object, *, field: str = "fiscal_year") -> int:
    """Parses a fiscal year into a Buddhist Era year (2500–2700).

    Accepts 2565, "๒๕๖๕", "2565", "ปีงบประมาณ 2565", "ปีงบประมาณ พ.ศ. 2565", 2022 and "FY2022"
    (CE → +543; BE and CE ranges do not overlap, so the number says which it is). A two-digit
    year is read as BE 25xx only after a Thai word for the year ("ปีงบ 65"): "FY22" is ambiguous.
    Text naming several years ("2565-2567") is rejected: a multi-year item is one row per year.
    """
    if value is None or isinstance(value, bool):
        raise NormalizeError(field, value, "not a year")
    if isinstance(value, float):
        if not value.is_integer():
            raise NormalizeError(field, value, "not a whole year")
        value = int(value)
    if isinstance(value, int):
        return _to_be_year(value, field, value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return _to_be_year(int(value), field, value)
    if not isinstance(value, str):
        raise NormalizeError(field, value, f"unsupported type {type(value).__name__}")
    text = thai_digits_to_arabic(clean_text(value) or "")
    tokens = {t for t in _YEAR_TOKEN.findall(text)}
    if not tokens:
        raise NormalizeError(field, value, "no year found")
    if len(tokens) > 1:
        raise NormalizeError(field, value, "several years")
    token = tokens.pop()
    if len(token) == 2:
        if not _THAI_YEAR_PREFIX.search(text):
            raise NormalizeError(field, value, "two-digit year without ปีงบประมาณ/พ.ศ.")
        return 2500 + int(token)
    return _to_be_year(int(token), field, value)


def _to_be_year(year: int, field: str, raw: object) -> int:
    """BE as is, CE + 543; anything outside BE 2500–2700 is rejected."""
    be = year if year >= BE_MIN else year + BE_OFFSET
    if not BE_MIN <= be <= BE_MAX:
        raise NormalizeError(field, raw, f"year out of range BE {BE_MIN}-{BE_MAX}")
    return be


_THAI_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("มกราคม", "มค"),
        ("กุมภาพันธ์", "กพ"),
        ("มีนาคม", "มีค"),
        ("เมษายน", "เมย"),
        ("พฤษภาคม", "พค"),
        ("มิถุนายน", "มิย"),
        ("กรกฎาคม", "กค"),
        ("สิงหาคม", "สค"),
        ("กันยายน", "กย"),
        ("ตุลาคม", "ตค"),
        ("พฤศจิกายน", "พย"),
        ("ธันวาคม", "ธค"),
    ),
    start=1,
):
    for _name in _names:
        _THAI_MONTHS[_name] = _number

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's 1900 leap-year bug
_EXCEL_SERIAL_MAX = 2_958_465  # 9999-12-31
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})")
_THAI_TEXT_DATE = re.compile(r"(\d{1,2})\s*([ก-๛][ก-๛.\s]*?)\s*(?:พ\.?\s*ศ\.?\s*)?(\d{4}|\d{2})")
_SERIAL_TEXT = re.compile(r"\d{4,5}(?:\.\d+)?")


def parse_thai_date(value: object, *, field: str = "date") -> dt.date:
    """Parses a date written any of the ways Thai spreadsheets write one; returns a CE date.

    Accepted: ``date``/``datetime`` objects, ISO text, day-first ``22/06/2563``, Thai month
    names full or abbreviated with or without dots (``22 มิถุนายน 2563``, ``22 มิ.ย. 63``,
    ``22 มิย 63``), Thai digits, and Excel serial numbers. Every year then goes through one rule
    (:func:`_ce_year`): ≥ 2400 is BE; 1930–1999 is a two-digit BE year that Excel widened to
    19xx (BE 2563 typed "63" → 1963 → CE 2020); 2000–2399 is CE. A two-digit year in text is BE
    (25xx). Dates outside BE 2500–2700, impossible dates and unknown shapes are rejected.
    """
    if value is None or isinstance(value, bool):
        raise NormalizeError(field, value, "not a date")
    if isinstance(value, dt.datetime):
        return _real_date(value.year, value.month, value.day, field, value)
    if isinstance(value, dt.date):
        return _real_date(value.year, value.month, value.day, field, value)
    if isinstance(value, (int, float, Decimal)):
        return _from_excel_serial(float(value), field, value)
    if not isinstance(value, str):
        raise NormalizeError(field, value, f"unsupported type {type(value).__name__}")
    text = thai_digits_to_arabic(clean_text(value) or "")
    if not text:
        raise NormalizeError(field, value, "empty date")
    if m := _ISO.fullmatch(text):
        return _real_date(int(m[1]), int(m[2]), int(m[3]), field, value)
    if m := _DMY.fullmatch(text):
        return _real_date(_widen_year(m[3]), int(m[2]), int(m[1]), field, value)
    if m := _THAI_TEXT_DATE.fullmatch(text):
        month = _THAI_MONTHS.get(re.sub(r"[.\s]", "", m[2]))
        if month is None:
            raise NormalizeError(field, value, f"unknown Thai month {m[2]!r}")
        return _real_date(_widen_year(m[3]), month, int(m[1]), field, value)
    if _SERIAL_TEXT.fullmatch(text):
        return _from_excel_serial(float(text), field, value)
    raise NormalizeError(field, value, "unrecognised date format")


def _widen_year(token: str) -> int:
    """A two-digit year in Thai text is BE 25xx; four digits are left to :func:`_ce_year`."""
    return 2500 + int(token) if len(token) == 2 else int(token)


def _ce_year(year: int, field: str, raw: object) -> int:
    """Maps a raw year to CE by the one rule documented in :func:`parse_thai_date`."""
    if year >= 2400:
        ce = year - BE_OFFSET
    elif 1930 <= year <= 1999:
        ce = year + 600 - BE_OFFSET  # Excel read "63" as 1963; the writer meant BE 2563
    elif 2000 <= year:
        ce = year
    else:
        raise NormalizeError(field, raw, "implausible year")
    if not BE_MIN <= ce + BE_OFFSET <= BE_MAX:
        raise NormalizeError(field, raw, f"year out of range BE {BE_MIN}-{BE_MAX}")
    return ce


def _real_date(year: int, month: int, day: int, field: str, raw: object) -> dt.date:
    ce = _ce_year(year, field, raw)
    try:
        return dt.date(ce, month, day)
    except ValueError as exc:
        raise NormalizeError(field, raw, "invalid date") from exc


def _from_excel_serial(serial: float, field: str, raw: object) -> dt.date:
    """Excel stores dates as days since 1899-12-30 (in CE, whatever the display calendar)."""
    if not math.isfinite(serial) or not 1 <= serial <= _EXCEL_SERIAL_MAX:
        raise NormalizeError(field, raw, "not an Excel date serial")
    d = _EXCEL_EPOCH + dt.timedelta(days=int(serial))
    return _real_date(d.year, d.month, d.day, field, raw)


# --------------------------------------------------------------------------- agencies

# The 20 ministry-level bodies (สำนักนายกรัฐมนตรี + 19 กระทรวง), official spelling.
MINISTRIES: tuple[str, ...] = (
    "สำนักนายกรัฐมนตรี",
    "กระทรวงกลาโหม",
    "กระทรวงการคลัง",
    "กระทรวงการต่างประเทศ",
    "กระทรวงการท่องเที่ยวและกีฬา",
    "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
    "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม",
    "กระทรวงเกษตรและสหกรณ์",
    "กระทรวงคมนาคม",
    "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม",
    "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
    "กระทรวงพลังงาน",
    "กระทรวงพาณิชย์",
    "กระทรวงมหาดไทย",
    "กระทรวงยุติธรรม",
    "กระทรวงแรงงาน",
    "กระทรวงวัฒนธรรม",
    "กระทรวงศึกษาธิการ",
    "กระทรวงสาธารณสุข",
    "กระทรวงอุตสาหกรรม",
)
# Below this rapidfuzz ratio a ministry-like name is kept as written (it may be a
# ministry-equivalent such as "รัฐวิสาหกิจ"); "กระทรวงคมานคม" scores 92 against คมนาคม.
MINISTRY_FUZZY_CUTOFF = 88.0

# Variant → canonical agency name. Compared after clean_text and with spaces removed.
AGENCY_ALIASES: tuple[tuple[str, str], ...] = (
    ("กรมส่งเสริมการปกครองส่วนท้องถิ่น", "กรมส่งเสริมการปกครองท้องถิ่น"),
    ("สถ.", "กรมส่งเสริมการปกครองท้องถิ่น"),
    ("กสถ.", "กรมส่งเสริมการปกครองท้องถิ่น"),
)
# Abbreviated local-government prefixes, expanded so one LAO has one name.
AGENCY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("อบจ.", "องค์การบริหารส่วนจังหวัด"),
    ("อบต.", "องค์การบริหารส่วนตำบล"),
    ("ทต.", "เทศบาลตำบล"),
    ("ทม.", "เทศบาลเมือง"),
    ("ทน.", "เทศบาลนคร"),
)
_VOLUME_SUFFIX = re.compile(r"\s*\(\d+\)$")  # "จังหวัดและกลุ่มจังหวัด (1)": printed volume part


def _squeeze(s: str) -> str:
    return s.replace(" ", "")


_AGENCY_BY_KEY = {_squeeze(k): v for k, v in AGENCY_ALIASES}
_MINISTRY_BY_KEY = {_squeeze(m): m for m in MINISTRIES}
_MINISTRY_KEYS = tuple(_MINISTRY_BY_KEY)


def normalize_agency(name: object, *, field: str = "agency") -> str:
    """Canonical name of a budget-receiving agency (หน่วยรับงบประมาณ).

    Cleans spaces, maps known variants (``กรมส่งเสริมการปกครองส่วนท้องถิ่น`` →
    ``กรมส่งเสริมการปกครองท้องถิ่น``) and expands LAO abbreviations (``อบต.X`` →
    ``องค์การบริหารส่วนตำบลX``). Unknown names, including numeric agency codes such as
    ``15008``, are returned cleaned but otherwise as written: they are data, not errors.
    """
    text = clean_text(name)
    if text is None:
        raise NormalizeError(field, name, "empty agency")
    if canonical := _AGENCY_BY_KEY.get(_squeeze(text)):
        return canonical
    for short, long in AGENCY_PREFIXES:
        if text.startswith(short):
            return long + text[len(short) :].strip()
    return text


def normalize_ministry(name: object, *, field: str = "ministry") -> str:
    """Canonical ministry name from :data:`MINISTRIES`.

    ``มหาดไทย`` → ``กระทรวงมหาดไทย``; the Budget Bill's volume suffix `` (3)`` is dropped;
    typos are fixed by rapidfuzz against the 20 names (``กระทรวงคมานคม`` → ``กระทรวงคมนาคม``).
    Ministry-equivalents that are not in the list (``รัฐวิสาหกิจ``, ``องค์กรปกครองส่วนท้องถิ่น``,
    ``จังหวัดและกลุ่มจังหวัด``) are returned cleaned, not forced onto a ministry.
    """
    text = clean_text(name)
    if text is None:
        raise NormalizeError(field, name, "empty ministry")
    text = _VOLUME_SUFFIX.sub("", text)
    key = _squeeze(text)
    for candidate in (key, "กระทรวง" + key):
        if candidate in _MINISTRY_BY_KEY:
            return _MINISTRY_BY_KEY[candidate]
    if not key.startswith(("กระทรวง", "สำนักนายก")):
        key = "กระทรวง" + key
    best = process.extractOne(key, _MINISTRY_KEYS, scorer=fuzz.ratio, score_cutoff=MINISTRY_FUZZY_CUTOFF)
    if best is not None:
        return _MINISTRY_BY_KEY[best[0]]
    return text
