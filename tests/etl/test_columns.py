"""The column-wise check of coded plan tables (etl.columns) against the row-by-row one: crafted
coded files with every kind of bad cell give the same records, problems and notes both ways."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import psycopg
import pytest
from psycopg.rows import tuple_row

from etl import columns
from etl.db import query
from etl.load import _PLAN_COLUMNS
from etl.locate import Locator
from etl.readers import RawRow, Table, read_tables
from etl.records import MAX_TEXT, AsWritten, Gazetteer, Outcome, Place, plan_records

HEADER = [
    "เลขที่อ้างอิง",
    "ชื่อโครงการ",
    "วงเงิน",
    "รหัสพื้นที่",
    "หมู่ที่",
    "ปีงบประมาณ",
    "วันที่",
    "หน่วยงาน",
    "กระทรวง",
    "ด้าน",
    "ประเภทโครงการ",
    "ยุทธศาสตร์",
    "เกินขีดความสามารถ",
    "ส่งต่อไปยัง",
    "url",
]
LONG = "ถนน" * (MAX_TEXT // 2 + 10)

# ref, title, amount, code, village, year, date, agency, ministry, sector, type, strategy, beyond, escalated, url
GOOD = [
    [
        "R1",
        "ก่อสร้างถนน คสล. หมู่ 3",
        "1,200,000",
        "370101",
        "3",
        "2568",
        "",
        "อบต.ในเมือง",
        "มหาดไทย",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    ["R2", "ขุดลอกคลอง", "500000.00", "TH37010103", "", "2568", "1/10/2567", "", "", "น้ำ", "", "ยุทธ 1", "ใช่", "R1", ""],
    [
        "",
        "ซ่อมแซมฝาย\u200b",
        "๑,๐๐๐",
        "37010104",
        "",
        "",
        "22 มิ.ย. 68",
        "ทต.เมือง",
        "กระทรวงคมานคม",
        "",
        "3. เกษตร",
        "",
        "",
        "",
        "",
    ],
    ["", "  ประปาหมู่บ้าน  ", "250000 บาท", "3701", "", "ปีงบประมาณ 2568", "", "", "", "", "", "", "x", "", "http://a"],
    ["R5", "ไฟฟ้าส่องสว่าง", "75,000.50", "37", "", "2569", "", "", "", "", "", "", "", "", ""],
    ["", "โครงการที่ไม่มีรหัส ตำบลในเมือง อำเภอเมืองอำนาจเจริญ", "10000", "", "", "2568", "", "", "", "", "", "", "", "", ""],
    ["R7", "ถนนลูกรัง", "1234.567", "370101", "12", "2568", "", "", "", "", "", "", "", "", ""],  # 3 decimals
    ["R8", "อาคารเก่า", "90000", "370199", "", "2568", "", "", "", "", "", "", "", "", ""],  # abolished → successor
    ["R9", "อาคารเก่า หมู่ 4", "90000", "37019904", "", "2568", "", "", "", "", "", "", "", "", ""],
]
BAD = [
    ["B1", "ถนนราคาแปลก", "abc", "370101", "", "2568", "", "", "", "", "", "", "", "", ""],  # bad amount
    ["B2", "ถนนติดลบ", "-500", "370101", "", "2568", "", "", "", "", "", "", "", "", ""],  # negative
    ["B3", "จุลภาคผิด", "1,00.00", "370101", "", "2568", "", "", "", "", "", "", "", "", ""],
    ["B4", "รหัสไม่รู้จัก", "1000", "99999999", "", "2568", "", "", "", "", "", "", "", "", ""],
    ["B5", "รหัสผิดรูป", "1000", "12345", "", "2568", "", "", "", "", "", "", "", "", ""],
    ["B6", "ปีเพี้ยน", "1000", "370101", "", "25x", "", "", "", "", "", "", "", "", ""],
    ["B7", "หลายปี", "1000", "370101", "", "2565-2567", "", "", "", "", "", "", "", "", ""],
    ["B8", "ปีไกล", "1000", "370101", "", "3000", "", "", "", "", "", "", "", "", ""],
    ["B9", "วันไม่มีจริง", "1000", "370101", "", "2568", "31/02/2568", "", "", "", "", "", "", "", ""],
    ["B10", "วันอ่านไม่ออก", "1000", "370101", "", "", "เมื่อวาน", "", "", "", "", "", "", "", ""],
    ["B11", "", "1000", "370101", "", "2568", "", "", "", "", "", "", "", "", ""],  # missing title
    ["B12", "   ", "1000", "370101", "", "2568", "", "", "", "", "", "", "", "", ""],  # blank title
    ["B13", LONG, "1000", "370101", "", "2568", "", "", "", "", "", "", "", "", ""],  # too long
    ["B14", "หน่วยงานยาว", "1000", "370101", "", "2568", "", LONG, "", "", "", "", "", "", ""],
    ["B15", "", "-1", "12", "", "xx", "", "", "", "", "", "", "", "", ""],  # several problems in one row
    ["B16", "ไม่มีปี", "1000", "370101", "", "", "", "", "", "", "", "", "", "", ""],  # no year at all
    ["R1", "ซ้ำเลขอ้างอิง", "1000", "370101", "", "2568", "", "", "", "", "", "", "", "", ""],  # duplicate ref
    ["", "  ประปาหมู่บ้าน  ", "250000 บาท", "3701", "", "ปีงบประมาณ 2568", "", "", "", "", "", "", "x", "", "http://a"],
    ["R2", "ขุดลอกคลอง", "500000.00", "TH37010103", "", "2568", "1/10/2567", "", "", "น้ำ", "", "ยุทธ 1", "ใช่", "R1", ""],
]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    codes = ["37", "3701", "370101", "370102", "370103", "10", "1001", "100101"]
    return Gazetteer(codes, {"370199": ["370102"], "370198": ["370102", "370103"]}, {}, {"อำนาจเจริญ": "37"})


@pytest.fixture(scope="module")
def locator() -> Locator:
    return Locator()


def _csv(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _both(tables: list[Table], gaz: Gazetteer, locator: Locator, **options: object) -> tuple[Outcome, Outcome]:
    options = {"level": "village", "fiscal_year": None, "gaz": gaz, "locator": locator, **options}
    rowwise = plan_records(tables, **options)  # type: ignore[arg-type]
    columnwise = plan_records(tables, columnwise=columns, **options)  # type: ignore[arg-type]
    return rowwise, columnwise


def _same(rowwise: Outcome, columnwise: Outcome) -> None:
    assert columnwise.problems == rowwise.problems
    assert columnwise.notes == rowwise.notes
    assert columnwise.records == rowwise.records
    # the same objects field by field (types too: a date is no datetime, an int no numpy int)
    for a, b in zip(rowwise.records, columnwise.records):
        assert [type(v) for v in vars(a).values()] == [type(v) for v in vars(b).values()]
        assert a.written.key == b.written.key and a.item_key == b.item_key


def test_coded_csv_same_records_and_problems(tmp_path: Path, gaz: Gazetteer, locator: Locator) -> None:
    first = _csv(tmp_path / "a.csv", GOOD + BAD)
    second = _csv(tmp_path / "b.csv", GOOD[:3] + [GOOD[5]])  # the same rows again in another file
    tables = read_tables(first, "plans") + read_tables(second, "plans")
    assert all(columns.coded(t) for t in tables)
    rowwise, columnwise = _both(tables, gaz, locator)
    _same(rowwise, columnwise)
    rules = {p.rule for p in rowwise.problems}
    assert {
        "not a number",
        "negative amount",
        "malformed thousands separators",
        "unknown code",
        "no year found",
        "several years",
        "year out of range BE 2500-2700",
        "invalid date",
        "unrecognised date format",
        "missing title",
        "text too long",
        "missing fiscal year",
        "duplicate row",
    } <= rules, rules
    assert any("more than two decimals" in n for n in rowwise.notes)
    assert any(r.place.note.startswith("abolished") for r in rowwise.records)
    assert any(r.place.precision == "village" for r in rowwise.records)
    assert len(rowwise.records) >= 8


def test_coded_with_overrides_and_declared_year(tmp_path: Path, gaz: Gazetteer, locator: Locator) -> None:
    tables = read_tables(_csv(tmp_path / "a.csv", GOOD + BAD), "plans")
    overrides = {("a.csv", None, 3): 2570, ("a.csv", None, 12): 2570}
    _same(*_both(tables, gaz, locator, fiscal_year=2567, year_overrides=overrides))
    _same(*_both(tables, gaz, locator, level="province", source_of=lambda f: "one source"))


def test_million_columns(tmp_path: Path, gaz: Gazetteer, locator: Locator) -> None:
    header = ["ชื่อโครงการ", "วงเงิน (ล้านบาท)", "รหัสพื้นที่", "ปีงบประมาณ"]
    millions = [["ถนน", "1.5", "370101", "2568"], ["ฝาย", "0.255", "370102", "2568"], ["บ่อ", "x", "37", "2568"]]
    baht = [["ถนน", "1500000", "370101", "2568"], ["ฝาย", "250000", "370102", "2568"], ["บ่อ", "90000", "37", "2568"]]
    huge = [["ถนน", "99999999999", "370101", "2568"]]
    for name, rows in (("m.csv", millions), ("b.csv", baht), ("h.csv", huge)):
        tables = read_tables(_csv(tmp_path / name, rows, header), "plans")
        assert tables[0].amount_unit == "million"
        _same(*_both(tables, gaz, locator))


def test_coded_workbook_cells(tmp_path: Path, gaz: Gazetteer, locator: Locator) -> None:
    """Excel hands over numbers and dates, not text: 1, 1.0 and True are different cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "แผน"
    sheet.append(HEADER)
    cells = [
        ["X1", "ถนน", 1000, 370101, 3, 2568, dt.datetime(2024, 10, 1), "อบต.ก", "", "", "", "", True, None, None],
        ["X2", "ถนน 2", 1000.0, "370101", "3", 2568.0, 45200, None, None, None, None, None, 1, None, None],
        ["X3", "ถนน 3", 1000.5, 37010103.0, None, 2568.5, None, None, None, None, None, None, None, None, None],
        ["X4", "ถนน 4", -1, 37010103, None, 2022, dt.date(2020, 1, 1), None, None, None, None, None, None, None, None],
        ["X5", "ถนน 5", Decimal("12.345"), "37", None, None, 43000, None, None, None, None, None, None, None, None],
        [None, "ถนน 6", 1, None, None, 2568, None, None, None, None, None, None, None, None, None],
        ["X7", 12345, 2000, "3701", None, "2568", None, None, None, None, None, None, None, None, None],
    ]
    for row in cells:
        sheet.append(row)
    book.save(tmp_path / "w.xlsx")
    tables = read_tables(tmp_path / "w.xlsx", "plans")
    rowwise, columnwise = _both(tables, gaz, locator)
    _same(rowwise, columnwise)
    assert rowwise.records and rowwise.problems


def test_rows_with_other_fields_fall_back(gaz: Gazetteer, locator: Locator) -> None:
    """Rows made by hand, not all with the same fields: the row path checks the table."""
    rows = (
        RawRow("h.csv", None, 2, {"title": "ถนน", "amount": "1000", "area_code": "370101", "fiscal_year": "2568"}),
        RawRow("h.csv", None, 3, {"title": "ฝาย", "amount": "2000", "area_code": "370102"}),
        RawRow("h.csv", None, 4, {"title": "บ่อ", "amount": "-3", "area_code": "370103", "fiscal_year": "2568"}),
    )
    table = Table("h.csv", None, "planmap-template", 1, {0: "title", 1: "amount", 2: "area_code"}, None, rows, (), None)
    rowwise, columnwise = _both([table], gaz, locator, fiscal_year=2567)
    _same(rowwise, columnwise)
    assert columns.plan_table(table, [Decimal(1)] * 3, level="village", fiscal_year=None, gaz=gaz, overrides={}) is None


def test_benchmark_rows(tmp_path: Path, gaz: Gazetteer, locator: Locator) -> None:
    """The benchmark's layout, many rows: every row takes the column path and agrees."""
    from tests.benchmarks.bench_import import generate

    path = tmp_path / "bench.csv"
    generate(path, 3_000, ["370101", "370102", "370103", "100101"])
    tables = read_tables(path, "plans")
    rowwise, columnwise = _both(tables, gaz, locator)
    _same(rowwise, columnwise)
    assert len(columnwise.records) == 3_000 and not columnwise.problems


def _staged(conn: psycopg.Connection, rows: object) -> list[tuple]:
    conn.execute(query("import_plans_stage"))
    with conn.cursor().copy(f"COPY stage_plan_items ({_PLAN_COLUMNS}) FROM STDIN") as copy:
        for row in rows:  # type: ignore[attr-defined]
            copy.write(row) if isinstance(row, str) else copy.write_row(row)
    with conn.cursor(row_factory=tuple_row) as cur:
        return cur.execute("SELECT * FROM stage_plan_items ORDER BY source_row, item_key").fetchall()


def test_stage_text_is_what_write_row_sends(
    conn: psycopg.Connection, tmp_path: Path, gaz: Gazetteer, locator: Locator
) -> None:
    """The staging COPY text made in one pass holds what psycopg's dumpers would send, value by
    value: quotes, backslashes, tabs and line breaks, empty and missing values, dates."""
    tables = read_tables(_csv(tmp_path / "a.csv", GOOD + BAD), "plans")
    records = plan_records(
        tables, level="village", fiscal_year=None, gaz=gaz, locator=locator, columnwise=columns
    ).records
    odd = records[0]
    records += [
        replace(odd, row=900, item_key='k\\"1', title='ถนน "สายใหม่" \\ ทาง\tเลี่ยง\nเมือง\r'),
        replace(
            odd,
            row=901,
            item_key="\\N",
            written=AsWritten('a "b"', "c\\d", "", "{x,y}"),
            place=Place("37", "province", 0.3333333, 'note "q" \\'),
            submitted_on=dt.date(2025, 1, 31),
            agency="",
            sector="ก\tข",
        ),
        replace(odd, row=902, item_key="k3", written=None, has_ref=True, escalated_to_ref="R1"),
        replace(odd, row=903, item_key="k4", title='ถนน "สาย 1"', written=AsWritten('ถนน "สาย 1"', "37", "1", "")),
    ]

    for source_of in (str, lambda file: f"แหล่ง\t{file}\\"):  # plain lines, then every line escaped
        by_dumpers = [
            [
                r.item_key,
                r.title,
                r.amount,
                r.fiscal_year,
                r.place.code,
                r.place.precision,
                r.place.confidence,
                r.place.note,
                "village",
                r.plan_area,
                r.agency,
                r.ministry,
                r.sector,
                r.strategy,
                r.beyond_capacity,
                r.escalated_to_ref,
                r.submitted_on,
                r.row,
                "annual",
                source_of(r.file),
                r.written.as_list() if r.written else None,
                r.written.key if r.written else None,
                r.has_ref,
            ]
            for r in records
        ]
        expected = _staged(conn, by_dumpers)
        conn.rollback()
        got = _staged(conn, columns.plan_stage_text(records, level="village", cycle="annual", source_of=source_of))
        conn.rollback()
        assert len(got) == len(records) and got == expected


def test_equal_cells_that_read_differently(gaz: Gazetteer, locator: Locator) -> None:
    """-0.0 equals 0.0 and Decimal 1.0 equals 1.00, but one is a negative amount and the other is
    written otherwise: each is a distinct value of its column."""
    cells = [0.0, -0.0, 1, 1.0, True, Decimal("1.0"), Decimal("1.00"), None, "1"]
    column = columns._Column(cells)
    assert len(column.uniques) == len(cells) and column.codes.tolist() == list(range(len(cells)))
    rows = tuple(
        RawRow("h.xlsx", "s", n, {"title": f"ถนน {n}", "amount": amount, "area_code": 370101, "fiscal_year": 2568})
        for n, amount in enumerate(cells, 2)
    )
    table = Table("h.xlsx", "s", "planmap-template", 1, {0: "title", 1: "amount", 2: "area_code"}, None, rows, (), None)
    rowwise, columnwise = _both([table], gaz, locator)
    _same(rowwise, columnwise)
    assert {p.rule for p in rowwise.problems} == {"negative amount", "not a number"}
