"""Normalisers against the oddities of the real data (shared/data/README.md), then over whole
real columns: every ThaiME date and amount, every Budget Bill amount and fiscal year."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from etl.normalize import (
    AGENCY_ALIASES,
    MINISTRIES,
    NormalizeError,
    clean_text,
    detect_million_mislabel,
    normalize_agency,
    normalize_ministry,
    parse_amount,
    parse_fiscal_year,
    parse_thai_date,
    thai_digits_to_arabic,
)
from geodata.areas import fiscal_year_of
from tests.helpers import shared_data_dir as shared_data  # noqa: E402  one definition

# --------------------------------------------------------------------------- text


def test_thai_digits() -> None:
    assert thai_digits_to_arabic("๒๕๖๕") == "2565"
    assert thai_digits_to_arabic("หมู่ที่ ๑๒ ยาว 5.๕๐ ม.") == "หมู่ที่ 12 ยาว 5.50 ม."


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("โครงการติดตั้งไฟฟ้าส่องสว่าง\nถนนสาธารณะ ", "โครงการติดตั้งไฟฟ้าส่องสว่าง ถนนสาธารณะ"),
        ("บ้านกองดา หมู่ 14 \nตำบลนาเกียน    อำเภออมก๋อย\n", "บ้านกองดา หมู่ 14 ตำบลนาเกียน อำเภออมก๋อย"),
        ("\u00a0 กรมส่งเสริมการปกครองท้องถิ่น\u200b ", "กรมส่งเสริมการปกครองท้องถิ่น"),
        ("ต\u0e4d\u0e32บลเดิด อ\u0e4d\u0e32เภอเมือง", "ตำบลเดิด อำเภอเมือง"),  # PDF-split ำ
        ("  \n\t ", None),
        (None, None),
        (15009, "15009"),  # agency codes come out of Excel as numbers
    ],
)
def test_clean_text(raw: object, clean: str | None) -> None:
    assert clean_text(raw) == clean


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        (2245000, Decimal("2245000.00")),
        (2245000.0, Decimal("2245000.00")),
        (0.1, Decimal("0.10")),  # via repr: not 0.1000000000000000055…
        (8036435999.9, Decimal("8036435999.90")),  # the ร้อยเอ็ด side-table total
        (Decimal("1.005"), Decimal("1.01")),  # ROUND_HALF_UP
        ("1,093,600", Decimal("1093600.00")),  # Budget Bill AMOUNT
        ("3,546,381.132075472", Decimal("3546381.13")),  # averaged multi-year split
        ("0.0", Decimal("0.00")),
        (" ๑,๐๙๓,๖๐๐ บาท", Decimal("1093600.00")),
        ("1 093 600 บาท", Decimal("1093600.00")),
        ("1,000.- บาท", Decimal("1000.00")),
        ("5 ล้านบาท", Decimal("5000000.00")),
    ],
)
def test_parse_amount(raw: object, amount: Decimal) -> None:
    assert parse_amount(raw) == amount


def test_parse_amount_million_hint() -> None:
    assert parse_amount("12.5", unit_hint="million") == Decimal("12500000.00")
    assert parse_amount(0.35, unit_hint="million") == Decimal("350000.00")
    assert parse_amount(700, unit_hint="baht") == Decimal("700.00")


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("429,00.00", "malformed thousands separators"),  # the 3 text budgets of thaime_v2p2
        ("15,000.000.00", "malformed thousands separators"),
        ("19,900,00.00", "malformed thousands separators"),
        ("ไม่ระบุ", "not a number"),
        ("", "empty amount"),
        (None, "not a number"),
        (True, "not a number"),
        (float("nan"), "not a finite number"),
        (-5, "negative amount"),
        ("-1,000", "negative amount"),
    ],
)
def test_parse_amount_rejects(raw: object, rule: str) -> None:
    with pytest.raises(NormalizeError) as err:
        parse_amount(raw)
    assert err.value.rule == rule
    assert err.value.field == "amount"
    assert repr(raw) in str(err.value) and rule in str(err.value)


def test_detect_million_mislabel() -> None:
    baht = [Decimal(v) for v in (2245000, 300000, 700000000, 1200000, 100000)]
    millions = [Decimal(v) for v in ("2.245", "0.3", "700", "1.2", "0.1")]
    assert detect_million_mislabel(baht)
    assert not detect_million_mislabel(millions)
    assert not detect_million_mislabel([])
    # one big total row does not flip a real million-baht column
    assert not detect_million_mislabel([*millions, Decimal("8036435999.9")])


# --------------------------------------------------------------------------- years and dates


@pytest.mark.parametrize(
    "raw",
    [2565, "๒๕๖๕", 2022, "2565", "ปีงบประมาณ 2565", "ปีงบประมาณ พ.ศ. ๒๕๖๕", "FY2022", "ปีงบ 65", 2565.0, "2022"],
)
def test_parse_fiscal_year(raw: object) -> None:
    assert parse_fiscal_year(raw) == 2565


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        (1800, "year out of range"),
        (2800, "year out of range"),
        ("2565-2567", "several years"),
        ("FY22", "two-digit year"),
        ("ไม่ระบุ", "no year found"),
        (2565.5, "not a whole year"),
        (None, "not a year"),
    ],
)
def test_parse_fiscal_year_rejects(raw: object, rule: str) -> None:
    with pytest.raises(NormalizeError, match=rule):
        parse_fiscal_year(raw)


JUNE_22_2020 = dt.date(2020, 6, 22)


@pytest.mark.parametrize(
    "raw",
    [
        "2563-06-22",  # BE stored as ISO text
        "1963-06-22",  # Excel read "63" as 1963
        "1963-06-22 00:00:00",
        dt.datetime(1963, 6, 22),  # how openpyxl hands over thaime_v2p2 dates
        dt.datetime(2563, 6, 22),
        dt.date(2020, 6, 22),
        "2020-06-22",
        "22 มิถุนายน 2563",
        "22 มิ.ย. 63",
        "22 มิ.ย.63",
        "22 มิย 63",
        "๒๒ มิ.ย. ๖๓",
        "22/06/2563",
        "22/6/63",
        "22/06/2020",
        44004,  # Excel serial
        44004.75,
        "44004",
    ],
)
def test_parse_thai_date(raw: object) -> None:
    assert parse_thai_date(raw) == JUNE_22_2020


def test_parse_thai_date_double_space_and_drag_series() -> None:
    assert parse_thai_date("19  มิถุนายน 2563") == dt.date(2020, 6, 19)
    # fill-series drags run past the year end: 1964 is BE 2564
    assert parse_thai_date(dt.datetime(1964, 1, 2)) == dt.date(2021, 1, 2)


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("31/02/2563", "invalid date"),
        ("22 มิถุ 63", "unknown Thai month"),
        ("มิถุนายน 2563", "unrecognised date format"),  # no day: ambiguous
        ("06/22/2020", "invalid date"),  # month-first is not Thai; month 22 does not exist
        ("2200-01-01", "year out of range"),
        (2563, "implausible year"),  # a year, not an Excel serial
        ("", "empty date"),
        (None, "not a date"),
    ],
)
def test_parse_thai_date_rejects(raw: object, rule: str) -> None:
    with pytest.raises(NormalizeError, match=rule):
        parse_thai_date(raw)


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (dt.date(2021, 10, 1), 2565),
        (dt.date(2022, 9, 30), 2565),
        (dt.date(2021, 9, 30), 2564),
        (dt.date(2024, 10, 1), 2568),  # DESIGN §3.5: FY2568 = 1 Oct 2024 – 30 Sep 2025
    ],
)
def test_fiscal_year_of(day: dt.date, fy: int) -> None:
    assert fiscal_year_of(day) == fy


# --------------------------------------------------------------------------- agencies


def test_normalize_agency_variants() -> None:
    dla = "กรมส่งเสริมการปกครองท้องถิ่น"
    assert normalize_agency("กรมส่งเสริมการปกครองส่วนท้องถิ่น") == dla
    assert normalize_agency(" กรมส่งเสริมการปกครองท้องถิ่น") == dla
    assert normalize_agency(dla) == dla
    assert normalize_agency("องค์การบริหารส่วนจังหวัดกาฬสินธุ์ ") == "องค์การบริหารส่วนจังหวัดกาฬสินธุ์"
    assert normalize_agency("อบต.แม่งอน") == "องค์การบริหารส่วนตำบลแม่งอน"
    assert normalize_agency("เมืองพัทยา ") == "เมืองพัทยา"
    assert normalize_agency(15009) == "15009"  # agency code: kept, not guessed
    with pytest.raises(NormalizeError, match="empty agency"):
        normalize_agency("  ")


@pytest.mark.parametrize(
    ("raw", "ministry"),
    [
        ("มหาดไทย", "กระทรวงมหาดไทย"),
        (" กระทรวงมหาดไทย", "กระทรวงมหาดไทย"),
        ("กระทรวงคมานคม", "กระทรวงคมนาคม"),
        ("กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม (4)", "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม"),
        ("กระทรวงการอุดมศึกษาวิทยาศาสตร์วิจัยและนวัตกรรม", "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม"),
        ("สาธารณสุข", "กระทรวงสาธารณสุข"),
        ("สำนักนายกรัฐมนตรี", "สำนักนายกรัฐมนตรี"),
        # ministry-equivalents are kept as written, never forced onto a ministry
        ("องค์กรปกครองส่วนท้องถิ่น", "องค์กรปกครองส่วนท้องถิ่น"),
        ("จังหวัดและกลุ่มจังหวัด (1)", "จังหวัดและกลุ่มจังหวัด"),
        ("รัฐวิสาหกิจ", "รัฐวิสาหกิจ"),
        ("งบกลาง", "งบกลาง"),
    ],
)
def test_normalize_ministry(raw: str, ministry: str) -> None:
    assert normalize_ministry(raw) == ministry


def test_canonical_lists_are_immutable() -> None:
    assert isinstance(MINISTRIES, tuple) and len(MINISTRIES) == 20
    assert len(set(MINISTRIES)) == 20
    assert isinstance(AGENCY_ALIASES, tuple)


# --------------------------------------------------------------------------- whole real columns


def test_every_thaime_date_and_budget(shared_data_dir: Path) -> None:
    """All 31,501 ThaiME rows. Dates fall between June 2020 and mid 2022 (fill-series drags run
    on for a year), except the drag's 1964-02-29: BE 2564 (CE 2021) has no 29 February.
    Budgets parse except the 3 malformed strings and the 17 empty cells the README counts."""
    path = shared_data_dir / "plans" / "thaime_2020_loan_proposals" / "thaime_v2p2.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(wb["Sheet1"].iter_rows(min_row=2, values_only=True))
    finally:
        wb.close()
    assert len(rows) == 31_501
    dates, bad_dates = [], []
    for r in rows:
        try:
            dates.append(parse_thai_date(r[6]))
        except NormalizeError as err:
            bad_dates.append((r[6], err.rule))
    assert bad_dates == [(dt.datetime(1964, 2, 29), "invalid date")] * 2
    assert dt.date(2020, 6, 1) <= min(dates) and max(dates) <= dt.date(2022, 6, 30)
    assert {fiscal_year_of(d) for d in dates} == {2563, 2564, 2565}
    bad_amounts: list[object] = []
    total = Decimal(0)
    for r in rows:
        try:
            total += parse_amount(r[2])
        except NormalizeError:
            bad_amounts.append(r[2])
    assert sorted(map(str, bad_amounts)) == sorted(["429,00.00", "15,000.000.00", "19,900,00.00", *["None"] * 17])
    assert total > 0 and total == total.quantize(Decimal("0.01"))


# Budget Bill amounts that lost digits in PDF extraction ("25,", "22,7"): rejected, not guessed.
TRUNCATED_BUDGET_AMOUNTS = {
    "2022.3.1.1723": "18,250,00",
    "2022.3.3(3).1529": "22,7",
    "2022.3.3(4).537": "25,",
    "2022.3.4.1264": "20,0",
    "2022.3.4.2089": "528,000,00",
    "2022.3.7.500": "25,000,0",
    "2022.3.7.735": "76,900,70",
    "2022.3.10.1453": "4,840,0",
    "2022.3.12.1911": "506,118,60",
    "2022.3.13(1).479": "300,0",
    "2022.3.14.370": "28,020,0",
    "2022.3.14.704": "1,966,437,40",
    "2022.3.14.924": "87,50",
    "2022.3.16(2).476": "20,486,10",
}


def test_every_budget_bill_amount_and_year(shared_data_dir: Path) -> None:
    """All 37,635 Budget Bill rows: AMOUNT parses but for 14 truncated cells; FISCAL_YEAR (CE,
    one row per year of a multi-year commitment) becomes BE."""
    files = sorted((shared_data_dir / "budget" / "fy2565_kaogeek_napatswift").glob("*.csv.gz"))
    assert len(files) == 22
    rows = 0
    years: set[int] = set()
    rejected: dict[str, str] = {}
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                rows += 1
                try:
                    parse_amount(row["AMOUNT"])
                except NormalizeError as err:
                    assert err.rule == "malformed thousands separators"
                    rejected[row["ITEM_ID"]] = row["AMOUNT"]
                years.add(parse_fiscal_year(row["FISCAL_YEAR"]))
    assert rows == 37_635
    assert rejected == TRUNCATED_BUDGET_AMOUNTS
    assert 2565 in years and min(years) >= 2500 and max(years) <= 2700


@pytest.fixture(scope="module")
def shared_data_dir() -> Path:
    return shared_data()
