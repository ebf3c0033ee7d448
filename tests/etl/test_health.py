"""Data-health checks: drag-filled dates, summary blocks, implausible years and multi-year
obligations, on crafted tables (each rule alone) and on the real files (exactly the findings a
planning officer must decide on, and none elsewhere)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from etl.health import (
    Decisions,
    budget_health,
    drag_filled_runs,
    name_figures,
    plan_dates,
    plan_health,
)
from etl.importer import import_budget, import_plans
from etl.locate import Locator
from etl.readers import RawRow, Table
from etl.records import BudgetRecord, Place, PlanRecord

FILE = "231ขอนแก่น (3คก6ลบ)อปท.xlsx"


def _table(rows: list[dict], file: str = FILE, fields: tuple[str, ...] = ("title", "amount", "date")) -> Table:
    raw = tuple(RawRow(file, "Sheet1", n + 2, values) for n, values in enumerate(rows))
    return Table(file, "Sheet1", "local-proposals", 1, {i: f for i, f in enumerate(fields)}, "baht", raw, (), None)


def _plan(row: int, amount: str, title: str = "ก่อสร้างถนน คสล. หมู่ที่ 3", year: int = 2563, file: str = FILE) -> PlanRecord:
    return PlanRecord(
        file,
        "Sheet1",
        row,
        f"k{row}",
        title,
        Decimal(amount),
        year,
        Place("40", "province", 1.0),
        "40",
        None,
        None,
        None,
        None,
        False,
        None,
        None,
    )


def test_drag_filled_dates_are_found_through_an_impossible_day() -> None:
    start = dt.date(2020, 6, 22)
    dates = [start + dt.timedelta(days=n) for n in range(12)]
    cells = [d.replace(year=d.year - 57) for d in dates]  # BE 2563 typed as 63 → 1963
    cells[5] = "29 ก.พ. 2564"  # a day that does not exist
    table = _table([{"title": f"t{n}", "amount": 1000, "date": c} for n, c in enumerate(cells)])
    runs = drag_filled_runs([table])
    assert [(r.rows[0], r.rows[-1], r.first, r.last) for r in runs] == [(2, 13, dates[0], dates[-1])]
    # Many proposals on one day, or short runs, are real dates.
    same_day = _table([{"title": f"t{n}", "amount": 1000, "date": "22/06/2563"} for n in range(30)])
    short = _table([{"title": f"t{n}", "amount": 1, "date": start + dt.timedelta(days=n)} for n in range(9)])
    assert drag_filled_runs([same_day, short]) == []


def test_drag_filled_rows_take_the_year_the_rest_of_the_import_implies() -> None:
    start = dt.date(2020, 9, 25)  # walks into FY2564 on 1 October
    dragged = _table(
        [{"title": f"t{n}", "amount": 1000, "date": start + dt.timedelta(days=n)} for n in range(20)],
        file="dragged.xlsx",
    )
    other = _table([{"title": "x", "amount": 1, "date": "22 มิ.ย. 63"}] * 3, file="other.xlsx")
    undecided = plan_dates([dragged, other], declared_year=None, decisions=Decisions())
    assert undecided.file_years["dragged.xlsx"] == (2563, "most rows of the other files of this import")
    [finding] = undecided.findings
    assert finding.needs_decision and "14 rows in other years (FY2564: 14)" in finding.message
    assert undecided.overrides == {}
    decided = plan_dates([dragged, other], declared_year=None, decisions=Decisions(drag_filled_dates="file-year"))
    assert set(decided.overrides.values()) == {2563} and len(decided.overrides) == 20
    declared = plan_dates([dragged], declared_year=2564, decisions=Decisions(drag_filled_dates="file-year"))
    assert declared.file_years["dragged.xlsx"] == (2564, "declared with --fiscal-year")


def test_summary_rows_by_file_name_total_category_running_sum_and_label() -> None:
    assert name_figures("412 ฉะเชิงเทรา (197 คก 1,252 ลบ)อปท.XLSX") == [(197, Decimal(1252))]
    details = [_plan(n, "1000000") for n in range(2, 12)]  # 10 M baht of detail
    block = [_plan(12, "2500000"), _plan(13, "2000000"), _plan(14, "1900000")]  # 6.4 M: "6ลบ" in the name
    table = _table([{"title": r.title, "amount": r.amount} for r in details + block])
    kept, findings = plan_health(
        details + block, [table], plan_dates([table], declared_year=None, decisions=Decisions()), Decisions()
    )
    [finding] = findings
    assert (finding.rule, finding.rows, finding.amount) == ("summary_rows", (12, 13, 14), Decimal("6400000"))
    assert "3 projects / 6 M baht written in the file name" in finding.message and finding.needs_decision
    # Subtotals under their sections, and a row titled as a total, in a file without figures.
    amounts = ["100", "250", "50", "400", "70", "30", "20", "120"]
    rows = [_plan(n + 2, a, file="a.xlsx") for n, a in enumerate(amounts)]
    rows.append(_plan(10, "520", title="รวมทั้งสิ้น 6 โครงการ", file="a.xlsx"))
    table = _table([{"title": r.title, "amount": r.amount} for r in rows], file="a.xlsx")
    decisions = Decisions(summary_rows="drop")
    kept, findings = plan_health(rows, [table], plan_dates([table], declared_year=None, decisions=decisions), decisions)
    assert [(f.rows, f.action) for f in findings] == [((5,), "drop"), ((9, 10), "drop")]
    assert "equal to the sum of the 3 rows above it" in findings[0].message
    assert "titled as a total" in findings[1].message
    assert [r.row for r in kept] == [2, 3, 4, 6, 7, 8]
    # An ordinary list (round amounts, repeated values) has no summary rows.
    plain = [
        _plan(n + 2, a, file="b.xlsx")
        for n, a in enumerate(["500000", "500000", "200000", "300000", "1500000", "495000", "5000"])
    ]
    table = _table([{"title": r.title, "amount": r.amount} for r in plain], file="b.xlsx")
    assert (
        plan_health(plain, [table], plan_dates([table], declared_year=None, decisions=Decisions()), Decisions())[1]
        == []
    )


def _line(row: int, item: int, year: int, amount: str, title: str, obliged: bool = True) -> BudgetRecord:
    return BudgetRecord(
        "2022-3-2.csv.gz",
        None,
        row,
        f"budget-bill:2022.3.2.{item}:{year}",
        title,
        Decimal(amount),
        year,
        Place("TH", "none", 0.0),
        "กรมการกงสุล",
        "กระทรวงการต่างประเทศ",
        None,
        "agency",
        f"2022.3.2.{item}",
        obliged,
        2565,
    )


def test_budget_years_against_the_document() -> None:
    lease = [_line(2 + n, n, 2563 + n, "100.00", "ค่าเช่ารถยนต์ 12 คัน") for n in range(4)]  # FY2563–2566
    artefact = [_line(10 + n, 8 + n, 2510 + n, "7.00", "ค่าเช่าอาคาร 17 แห่ง") for n in range(100)]
    odd = [_line(200, 300, 2566, "5.00", "ค่าวัสดุ", obliged=False)]
    ordinary = [_line(201, 301, 2565, "9.00", "ค่าครุภัณฑ์", obliged=False)]
    records = lease + artefact + odd + ordinary
    kept, findings = budget_health(records, declared_year=None, decisions=Decisions(implausible_years="drop"))
    assert [(r.item_id, r.fiscal_year, r.multi_year) for r in kept] == [
        ("2022.3.2.2", 2565, True),
        ("2022.3.2.301", 2565, False),
    ]
    by_rule = {f.rule: f for f in findings}
    implausible = by_rule["implausible_years"]
    assert implausible.action == "drop" and len(implausible.rows) == 101
    assert "spread over 100 fiscal years FY2510–2609" in implausible.message
    assert "ordinary line (not a multi-year obligation) in another year" in implausible.message
    noted = by_rule["obligation_other_years"]
    assert noted.action == "noted" and noted.rows == (2, 3, 5) and noted.amount == Decimal("300.00")
    assert "earlier years FY2563–2564: 2 lines" in noted.message and "later years FY2566–2566: 1 lines" in noted.message
    held = budget_health(records, declared_year=None, decisions=Decisions())[1]
    assert [f.rule for f in held if f.needs_decision] == ["implausible_years"]


# -- the real files: exactly these findings, and no others ------------------------------------------


@pytest.fixture(scope="module")
def locator() -> Locator:
    return Locator()


@pytest.mark.real_data
@pytest.mark.slow
def test_real_workbooks_findings(conn: psycopg.Connection, shared_data: Path, locator: Locator) -> None:
    files = sorted((shared_data / "plans" / "thaime_2020_loan_proposals" / "raw_by_province").iterdir())
    result = import_plans(conn, files, level="local", allow_rejects=True, dry_run=True, locator=locator).result
    found = sorted((f.rule, f.file[:3], f.first_row, f.last_row) for f in result.findings)
    assert found == [
        ("drag_filled_dates", "111", 2, 444),  # เชียงใหม่: 443 rows, 2020-06-22 → 2021-09-06
        ("drag_filled_dates", "114", 2, 720),  # แม่ฮ่องสอน: 719 rows → 2022-06-09
        ("summary_rows", "231", 4324, 4329),  # ขอนแก่น: the 6คก6590ลบ of its file name
        ("summary_rows", "254", 2, 7),  # อำนาจเจริญ: the 991คก1044ลบ, at the top
    ]
    khon_kaen = next(f for f in result.findings if f.file.startswith("231"))
    assert khon_kaen.amount == Decimal("6590812618.10")
    assert all(f.needs_decision for f in result.findings)
    assert conn.execute("SELECT count(*) AS n FROM plan_items").fetchone()["n"] == 0


@pytest.mark.real_data
@pytest.mark.slow
def test_real_budget_bill_findings(conn: psycopg.Connection, shared_data: Path, locator: Locator) -> None:
    files = sorted((shared_data / "budget" / "fy2565_kaogeek_napatswift").glob("*.csv.gz"))
    result = import_budget(conn, files, allow_rejects=True, locator=locator).result
    assert result.status == "held"
    [artefact] = [f for f in result.findings if f.rule == "implausible_years"]
    assert (artefact.file, artefact.first_row, artefact.last_row, len(artefact.rows)) == (
        "2022-3-2.csv.gz",
        802,
        901,
        100,
    )
    other_years = [f for f in result.findings if f.rule == "obligation_other_years"]
    # 7,952 obligation lines: 1,935 of FY2565, 99 more of the artefact, 2 rejected (malformed amounts)
    assert sum(len(f.rows) for f in other_years) == 7_952 - 1_935 - 99 - 2
    saved = conn.execute(
        "SELECT rule, count(*) AS n, sum(rows) AS rows, bool_or(action IS NULL) AS open"
        " FROM import_findings WHERE run_id = %s GROUP BY 1 ORDER BY 1",
        [result.run_id],
    ).fetchall()
    assert [(r["rule"], r["open"]) for r in saved] == [("implausible_years", True), ("obligation_other_years", False)]
