"""The plan template (`planmap template plans`, ``/_planmap/template/<level>.xlsx``) against a real
PostGIS: for every plan level the file has the Thai headers of the planmap-template layout,
the validations and the instructions; filled in with three rows of real codes it imports with
no mapping (3 loaded, 0 rejected, amounts to the satang), a bad code is rejected naming file,
sheet, row, field and value; the download is an officer's, with the officer's codes."""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import psycopg
import pytest
from click.testing import CliRunner

from etl.demo import SECTORS
from etl.importer import import_plans
from etl.layouts import LAYOUTS, header_key, match_header
from etl.locate import Locator
from etl.normalize import MINISTRIES
from etl.readers import read_tables
from etl.template import (
    AREA_NAME,
    CODE_LENGTHS,
    COLUMNS,
    DATA_SHEET,
    INSTRUCTIONS_SHEET,
    LEVEL_NAMES,
    plans_template,
)
from geodata.areas import PLAN_LEVELS
from geodata.cli import main
from geodata.settings import Settings
from tests.helpers import TEMPLATE, add_account, cluster_settings, sign_in

PROVINCE = "37"  # อำนาจเจริญ
HEADERS = [c.header for c in COLUMNS]
FIELDS = {c.header: c.field for c in COLUMNS}
AMOUNTS = (Decimal("1234567.89"), Decimal("250000.50"), Decimal("0.01"))


@pytest.fixture(scope="module")
def locator() -> Locator:
    return Locator()


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _validations(sheet) -> dict[str, object]:  # noqa: ANN001 - a worksheet
    """Column letter → its data validation (each column has one, over the whole column)."""
    out = {}
    for dv in sheet.data_validations.dataValidation:
        (cells,) = dv.sqref.ranges
        assert cells.min_row == 2 and cells.max_row == 1_048_576 and cells.min_col == cells.max_col
        out[openpyxl.utils.get_column_letter(cells.min_col)] = dv
    return out


def _listed(book: openpyxl.Workbook, name: str) -> list[object]:
    """The values of a defined-name range (the validation lists live in hidden sheets)."""
    ((title, ref),) = book.defined_names[name].destinations
    return [row[0].value for row in book[title][ref.replace("$", "")]]


def _codes(conn: psycopg.Connection, prefixes: list[str], lengths: tuple[int, ...]) -> list[str]:
    """Current gazetteer codes of the given lengths within the prefixes, read independently."""
    return [
        r["code"]
        for r in conn.execute(
            "SELECT code FROM areas WHERE status = 'current' AND level IN ('province', 'district', 'tambon')"
            " AND length(code) = ANY(%s) AND left(code, 2) = ANY(%s) ORDER BY code",
            [list(lengths), prefixes],
        )
    ]


def _cluster_of(conn: psycopg.Connection, province: str) -> tuple[str, list[str]]:
    row = conn.execute(
        "SELECT cluster_code AS c FROM cluster_provinces WHERE province_code = %s AND valid_to_fy IS NULL",
        [province],
    ).fetchone()
    members = conn.execute(
        "SELECT province_code AS p FROM cluster_provinces WHERE cluster_code = %s AND valid_to_fy IS NULL ORDER BY 1",
        [row["c"]],
    ).fetchall()
    return row["c"], [m["p"] for m in members]


def _fill(data: bytes, path: Path, rows: list[dict[str, object]]) -> Path:
    """The template with ``rows`` (field → value) typed under its headers from row 2, saved."""
    book = _book(data)
    sheet = book[DATA_SHEET]
    where = {FIELDS[c.value]: c.column for c in sheet[1]}
    for offset, values in enumerate(rows, 2):
        for field, value in values.items():
            sheet.cell(offset, where[field], value)
    book.save(path)
    return path


def _rows(codes: list[str], level: str, year: int) -> list[dict[str, object]]:
    """Three items on real codes, one of them with every optional column filled."""
    out = []
    for n, (code, amount) in enumerate(zip(codes, AMOUNTS), 1):
        row: dict[str, object] = {
            "item_ref": f"{level}-{n}",
            "title": f"ก่อสร้างถนนคอนกรีตเสริมเหล็ก สายที่ {n}",
            "amount": float(amount),
            "fiscal_year": year,
            "area_code": int(code),
        }
        if level == "village":
            row["village"] = n
        out.append(row)
    out[0] |= {
        "sector": SECTORS[0],
        "strategy": "ยุทธศาสตร์ที่ 1",
        "agency": "อบต.บุ่ง",
        "ministry": "มหาดไทย",
        "beyond_capacity": "ใช่",
        "date": "15/03/2570",
    }
    return out


# --------------------------------------------------------------------------- each level


@pytest.mark.parametrize("level", PLAN_LEVELS)
def test_template_of_each_level_imports_with_no_mapping(
    conn: psycopg.Connection, tmp_path: Path, locator: Locator, level: str
) -> None:
    if level == "cluster":
        within, provinces = _cluster_of(conn, PROVINCE)
    else:
        within, provinces = PROVINCE, [PROVINCE]
    made = plans_template(conn, level, [within])
    expected_codes = _codes(conn, provinces, CODE_LENGTHS[level])
    assert made.codes == len(expected_codes) and made.note is None
    book = _book(made.data)
    assert book.sheetnames == [DATA_SHEET, INSTRUCTIONS_SHEET, "รายการ", "รหัสพื้นที่"]
    assert [s.sheet_state for s in book.worksheets] == ["visible", "visible", "hidden", "hidden"]
    assert book.active.title == DATA_SHEET

    # Row 1: the Thai headers, exactly as the planmap-template layout knows them, and nothing below.
    sheet = book[DATA_SHEET]
    headers = [c.value for c in sheet[1]]
    assert headers == HEADERS
    assert headers[:6] == ["เลขที่อ้างอิง", "ชื่อโครงการ", "วงเงิน (บาท)", "ปีงบประมาณ", "รหัสพื้นที่", "หมู่ที่"]
    assert all(unicodedata.normalize("NFC", h) == h and h == h.strip() for h in headers)
    assert sheet.max_row == 1 + 1_000 and all(sheet.cell(r, 1).value is None for r in range(2, 1_002))
    assert all(c.font.b and c.font.name == "TH Sarabun New" for c in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width == 48
    layout = next(x for x in LAYOUTS if x.name == "planmap-template")
    for column in COLUMNS:  # an exact synonym (score 100), never a near miss
        keys = {header_key(s) for s in layout.synonyms.get(column.field or "", ())}
        assert (header_key(column.header) in keys) == (column.field is not None), column.header
    match = match_header(headers, "plans")
    assert match.layout == "planmap-template" and match.amount_unit == "baht"
    assert match.columns == {i: c.field for i, c in enumerate(COLUMNS) if c.field}
    assert headers.index(AREA_NAME) not in match.columns

    # Validations: the importer's own rules, while typing.
    dv = _validations(sheet)
    assert (dv["C"].type, dv["C"].formula1, dv["C"].errorStyle) == ("decimal", "0", "stop")
    assert sheet.column_dimensions["C"].number_format == "#,##0.00"
    assert (dv["D"].type, dv["D"].operator, dv["D"].formula1, dv["D"].formula2) == ("whole", "between", "2500", "2700")
    assert (dv["E"].type, dv["E"].formula1, dv["E"].errorStyle) == ("list", "planmap_area_codes", "stop")
    assert [str(c) for c in _listed(book, "planmap_area_codes")] == expected_codes
    assert (dv["F"].type, dv["F"].formula1, dv["F"].formula2) == ("whole", "1", "99")
    assert (dv["H"].type, dv["H"].formula1, dv["H"].errorStyle) == ("list", "planmap_sectors", "warning")
    assert _listed(book, "planmap_sectors") == list(SECTORS)
    assert (dv["K"].formula1, _listed(book, "planmap_ministries")) == ("planmap_ministries", list(MINISTRIES))
    assert dv["L"].formula1 == '"ใช่,ไม่ใช่"'
    assert all(v.showInputMessage and v.prompt for v in dv.values())
    assert sheet["G2"].value.startswith('=IF(E2="","",IFERROR(VLOOKUP(E2,planmap_area_names,2,FALSE)')
    names = {str(r[0].value): r[1].value for r in book["รหัสพื้นที่"].iter_rows(min_row=2)}
    assert names.get("370101", "ต.บุ่ง อ.เมืองอำนาจเจริญ จ.อำนาจเจริญ") == "ต.บุ่ง อ.เมืองอำนาจเจริญ จ.อำนาจเจริญ"

    # Instructions: Thai, then English; the plan's Thai name; every column with an example.
    notes = book[INSTRUCTIONS_SHEET]
    text = [[c.value for c in row] for row in notes.iter_rows()]
    first = [r[0] for r in text]
    name_th, name_en = LEVEL_NAMES[level]
    assert first[0] == f"แบบฟอร์มนำเข้า{name_th} — planmap"
    assert notes["B2"].value == name_th
    assert [v for v in notes.data_validations.dataValidation if v.formula1 == "planmap_levels"]
    assert _listed(book, "planmap_levels") == [th for th, _ in LEVEL_NAMES.values()]
    thai, english = first.index("คอลัมน์"), first.index("Column")
    assert thai < english
    assert first[thai + 1 : thai + 1 + len(COLUMNS)] == HEADERS
    assert first[english + 1 : english + 1 + len(COLUMNS)] == [f"{c.header} ({c.english})" for c in COLUMNS]
    assert text[thai][3] == "ตัวอย่าง (ไม่ถูกนำเข้า)" and text[english][3] == "Example (not imported)"
    examples = {r[0]: r[3] for r in text[thai + 1 : thai + 1 + len(COLUMNS)]}
    assert examples["ชื่อโครงการ"] and examples["วงเงิน (บาท)"] == 1_250_000 and examples["ปีงบประมาณ"] >= 2570
    assert str(examples["รหัสพื้นที่"]) in expected_codes
    said = " ".join(str(v) for row in text for v in row if v)
    assert f"planmap import plans --level {level}" in said and "ไม่มีแถวตัวอย่างในแผ่นงาน" in said
    assert "holds no example row" in said and name_en in said

    # Filled in with three rows of real codes: it imports with no mapping, to the satang.
    year = examples["ปีงบประมาณ"]
    codes = [expected_codes[0], expected_codes[-1], expected_codes[len(expected_codes) // 2]]
    path = _fill(made.data, tmp_path / f"{level}.xlsx", _rows(codes, level, year))
    tables = read_tables(path, "plans")
    assert [(t.sheet, t.layout, len(t.rows)) for t in tables] == [(DATA_SHEET, "planmap-template", 3)]
    report = import_plans(conn, [path], level=level, locator=locator)  # no mapping file
    print(f"\n[{level}]\n{report.summary()}")
    result = report.result
    assert (result.status, result.inserted, result.rejected_rows, len(result.problems)) == ("loaded", 3, 0, 0)
    loaded = conn.execute(
        "SELECT count(*) AS n, sum(i.requested_amount) AS total, array_agg(i.area_code ORDER BY i.item_key) AS codes,"
        " array_agg(DISTINCT p.level) AS levels, array_agg(DISTINCT p.cycle) AS cycles,"
        " array_agg(DISTINCT i.fiscal_year) AS years"
        " FROM plan_items i JOIN plans p ON p.id = i.plan_id"
    ).fetchone()
    village = level == "village"
    assert loaded == {
        "n": 3,
        "total": sum(AMOUNTS),
        "codes": [f"{c}{n:02d}" if village else c for n, c in enumerate(codes, 1)],
        "levels": [level],
        "cycles": ["annual"],  # the template is the annual cycle's
        "years": [year],
    }
    first_item = conn.execute(
        "SELECT i.sector, i.strategy, o.name_th AS agency, i.beyond_capacity AS beyond"
        " FROM plan_items i LEFT JOIN organisations o ON o.id = i.agency_id WHERE i.item_key = %s",
        [f"{level}-1"],
    ).fetchone()
    assert first_item == {
        "sector": SECTORS[0],
        "strategy": "ยุทธศาสตร์ที่ 1",
        "agency": "องค์การบริหารส่วนตำบลบุ่ง",  # อบต. expanded
        "beyond": True,
    }


def test_a_bad_code_is_rejected_naming_file_sheet_row_field_and_value(
    conn: psycopg.Connection, tmp_path: Path, locator: Locator
) -> None:
    made = plans_template(conn, "tambon", [PROVINCE])
    rows = _rows(["370101", "370102", "370103"], "tambon", 2571)
    rows[1]["area_code"] = 999999  # typed past Excel's list (pasted, or another program)
    path = _fill(made.data, tmp_path / "bad-code.xlsx", rows)
    report = import_plans(conn, [path], level="tambon", locator=locator)
    text = report.summary()
    print("\n" + text)
    assert report.result.status == "rejected" and report.result.inserted == 0
    assert conn.execute("SELECT count(*) AS n FROM plan_items").fetchone()["n"] == 0
    (problem,) = report.result.problems
    assert (problem.file, problem.sheet, problem.row, problem.field, problem.value) == (
        "bad-code.xlsx",
        DATA_SHEET,
        3,
        "area_code",
        999999,
    )
    assert f"bad-code.xlsx:{DATA_SHEET}:3: area code 999999 is not in the gazetteer" in text


def test_plan_names_are_the_dashboards() -> None:
    from dashboard.i18n import plan_level

    assert {k: (plan_level(k, "th"), plan_level(k, "en")) for k in PLAN_LEVELS} == LEVEL_NAMES


# --------------------------------------------------------------------------- the command line


@pytest.fixture()
def runner(db: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("PLANMAP_DATABASE_URL", db.database_url or "")
    return CliRunner()


def test_cli_writes_the_template_and_import_reads_it_unmapped(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "plans", "--level", "district", "--area", "3701"])
    assert made.exit_code == 0, made.output
    path = tmp_path / "planmap-template-district-3701.xlsx"
    assert f"wrote {path.name}" in made.output and "area codes in its list" in made.output
    book = openpyxl.load_workbook(path)
    listed = [str(c) for c in _listed(book, "planmap_area_codes")]
    assert listed[0] == "3701" and all(c.startswith("3701") and len(c) in (4, 6) for c in listed)
    filled = _fill(path.read_bytes(), tmp_path / "filled.xlsx", _rows(listed[:3], "district", 2571))
    imported = runner.invoke(main, ["import", "plans", "--level", "district", str(filled)])
    assert imported.exit_code == 0, imported.output
    assert "loaded: 3 new" in imported.output and "rejected rows: 0" in imported.output
    again = runner.invoke(main, ["import", "plans", "--level", "district", str(filled)])
    assert "0 new, 0 changed, 3 unchanged" in again.output
    unknown = runner.invoke(main, ["template", "plans", "--level", "district", "--area", "99"])
    assert unknown.exit_code == 1 and "unknown area code(s): 99" in unknown.output
    malformed = runner.invoke(main, ["template", "plans", "--level", "district", "--area", "37x"])
    assert malformed.exit_code == 2 and "not an area code" in malformed.output


def test_without_a_database_the_code_column_gets_a_format_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANMAP_DATABASE_URL", "postgresql://nobody:x@127.0.0.1:9/none?connect_timeout=2")
    out = tmp_path / "offline.xlsx"
    made = CliRunner().invoke(main, ["template", "plans", "--level", "province", "-o", str(out)])
    assert made.exit_code == 0, made.output
    assert "no code list" in made.output and "note: no database" in made.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [DATA_SHEET, INSTRUCTIONS_SHEET, "รายการ"]  # no code list to hide
    sheet = book[DATA_SHEET]
    assert [c.value for c in sheet[1]] == [h for h in HEADERS if h != AREA_NAME]
    code = _validations(sheet)["E"]
    assert code.type == "custom" and code.errorStyle == "stop"
    assert code.formula1 == "AND(ISNUMBER(E2),E2=INT(E2),OR(LEN(E2)=2,LEN(E2)=4,LEN(E2)=6,LEN(E2)=8))"
    said = " ".join(str(c.value) for row in book[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value)
    assert "ไม่มีรายการรหัส" in said and "no code list" in said


# --------------------------------------------------------------------------- the download


@pytest.fixture(scope="module")
def web(pg_cluster) -> Iterator[dict]:  # noqa: ANN001 - the session's cluster
    from dashboard.app import create_app
    from geodata.db import open_pool

    name = f"t_template_web_{os.getpid()}"
    pg_cluster.ensure_database(name, template=TEMPLATE)
    settings = cluster_settings(pg_cluster, name).model_copy(update={"anonymous_read": False})
    add_account(settings, "officer.37", "officer", PROVINCE)
    add_account(settings, "viewer.37", "viewer", PROVINCE)
    pool = open_pool(settings, wait=True)
    try:
        server = create_app(settings, pool).server
        clients = {"nobody": server.test_client()}
        for who in ("officer.37", "viewer.37"):
            clients[who] = server.test_client()
            sign_in(clients[who], who)
        with psycopg.connect(settings.database_url, row_factory=psycopg.rows.dict_row) as conn:
            yield {"clients": clients, "tambons": _codes(conn, [PROVINCE], (6,))}
    finally:
        pool.close()
        pg_cluster.drop_database(name)


def test_download_is_an_officers_with_the_officers_codes(web: dict) -> None:
    officer = web["clients"]["officer.37"]
    answer = officer.get("/_planmap/template/village.xlsx")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    assert answer.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="planmap-template-village.xlsx"')
    assert answer.headers["Cache-Control"] == "no-store"
    book = _book(answer.data)
    assert [c.value for c in book[DATA_SHEET][1]] == HEADERS
    assert [str(c) for c in _listed(book, "planmap_area_codes")] == web["tambons"]  # the officer's province
    assert book[INSTRUCTIONS_SHEET]["A1"].value == "แบบฟอร์มนำเข้าแผนหมู่บ้าน/ชุมชน — planmap"
    district = _book(officer.get("/_planmap/template/district.xlsx?area=3701").data)
    assert {str(c)[:4] for c in _listed(district, "planmap_area_codes")} == {"3701"}
    statuses = {
        "unknown level": officer.get("/_planmap/template/national.xlsx").status_code,
        "malformed area": officer.get("/_planmap/template/village.xlsx?area=../x").status_code,
        "unknown area": officer.get("/_planmap/template/village.xlsx?area=3799").status_code,
        "another province": officer.get("/_planmap/template/village.xlsx?area=22").status_code,
        "the country": officer.get("/_planmap/template/village.xlsx?area=TH").status_code,
        "a viewer": web["clients"]["viewer.37"].get("/_planmap/template/village.xlsx").status_code,
        "nobody": web["clients"]["nobody"].get("/_planmap/template/village.xlsx").status_code,
    }
    assert statuses == {
        "unknown level": 404,
        "malformed area": 404,
        "unknown area": 404,
        "another province": 403,
        "the country": 403,
        "a viewer": 403,
        "nobody": 401,
    }
