"""Sources and versions on a real provincial workbook: a corrected copy replaces its earlier
version (one changed, one retired, the rest untouched with the same ids), a better locator makes
no new items, the same rows under another source's name are refused, and removing the source
leaves the database as it was before the first import."""

from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import psycopg
import pytest

from etl.importer import import_plans
from etl.locate import Location, Locator
from etl.records import AsWritten, Place, PlanRecord
from etl.sources import find_source, list_sources, remove_legacy, remove_source
from etl.versions import continue_keys

WORKBOOK = "131 พิษณุโลก (99คก491ลบ)อปท.xlsx"
SOURCE = "พิษณุโลก อปท."
# Every table that holds data or figures drawn from it (not the log of runs).
FINGERPRINT = {
    "plans": "level, area_code, fiscal_year, cycle",
    "plan_items": "item_key, title, area_code, requested_amount, fiscal_year",
    "allocations": "source_key, amount, plan_item_id IS NULL",
    "agg_demand": "*",
    "agg_supply": "*",
    "item_funding": "funded",
    "sources": "kind, name",
    "retired_rows": "row_key",
}


@pytest.fixture(scope="module")
def locator() -> Locator:
    return Locator()


def _fingerprint(conn: psycopg.Connection) -> dict[str, str]:
    out = {}
    for table, columns in FINGERPRINT.items():
        rows = conn.execute(f"SELECT {columns} FROM {table}").fetchall()  # noqa: S608 - constants above
        out[table] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
    return out


def _items(conn: psycopg.Connection) -> dict[str, dict]:
    rows = conn.execute(
        "SELECT i.id, i.item_key, i.title, i.requested_amount, i.area_code, i.source_row FROM plan_items i"
        " JOIN sources s ON s.id = i.source_id WHERE s.name = %s",
        [SOURCE],
    ).fetchall()
    return {r["item_key"]: r for r in rows}


def _corrected_copy(original: Path, folder: Path) -> tuple[Path, str, int, int]:
    """A copy with one row's amount and province corrected and another row deleted; returns the
    copy, the corrected row's title, its new amount and the deleted row's number."""
    copy = folder / original.name
    shutil.copy(original, copy)
    book = openpyxl.load_workbook(copy)
    sheet = book.worksheets[0]
    changed, deleted = 5, 9  # spreadsheet rows (header in row 1)
    title = sheet.cell(changed, 3).value
    sheet.cell(changed, 4).value = 3_999_999
    sheet.cell(changed, 7).value = "จ.พิษณุโลก"  # the place text as corrected
    sheet.delete_rows(deleted)
    book.save(copy)
    return copy, title, 3_999_999, deleted


def test_a_corrected_workbook_replaces_its_version(
    conn: psycopg.Connection, shared_data: Path, locator: Locator, tmp_path: Path
) -> None:
    original = shared_data / "plans" / "thaime_2020_loan_proposals" / "raw_by_province" / WORKBOOK
    before_anything = _fingerprint(conn)
    first = import_plans(conn, [original], level="local", locator=locator, source_name=SOURCE, allow_rejects=True)
    assert first.result.status == "loaded", first.summary()
    loaded = _items(conn)
    assert len(loaded) == first.result.inserted > 90
    (
        conn.execute(
            "INSERT INTO match_decision_history (allocation_key, item_level, item_area, item_fiscal_year, item_key,"
            " decision, decided_by) SELECT 'bill:1', 'local', p.area_code, i.fiscal_year, i.item_key, 'accepted',"
            " 'officer' FROM plan_items i JOIN plans p ON p.id = i.plan_id WHERE i.item_key = %s",
            [next(iter(loaded))],
        )
    )
    conn.commit()

    copy, title, amount, deleted = _corrected_copy(original, tmp_path)
    dry = import_plans(
        conn, [copy], level="local", locator=locator, source_name=SOURCE, dry_run=True, allow_rejects=True
    )
    assert dry.result.status == "dry_run"
    assert _items(conn) == loaded  # a dry run changes nothing
    diff = dry.result.difference
    assert [len(diff.of(c)) for c in ("new", "changed", "retired")] == [0, 1, 1], dry.summary()
    print("\n" + dry.summary())
    assert "1 changed" in dry.summary() and "1 retired" in dry.summary()

    again = import_plans(conn, [copy], level="local", locator=locator, source_name=SOURCE, allow_rejects=True)
    result = again.result
    assert (result.inserted, result.updated, len(result.difference.of("retired"))) == (0, 1, 1)
    assert result.difference.rows == diff.rows  # the dry run showed exactly what the load did
    now = _items(conn)
    assert len(now) == len(loaded) - 1
    (changed,) = diff.of("changed")
    assert changed.title.split() == title.split()  # the title as written, whitespace aside
    assert changed.amount_after == Decimal(amount) and now[changed.row_key]["id"] == loaded[changed.row_key]["id"]
    (retired,) = diff.of("retired")
    assert retired.row_key not in now and retired.amount_before == loaded[retired.row_key]["requested_amount"]
    untouched = set(now) - {changed.row_key}
    assert all(
        now[k]["id"] == loaded[k]["id"] and now[k]["requested_amount"] == loaded[k]["requested_amount"]
        for k in untouched
    )
    # totals: the demand moved by exactly the change and the retired row, to the satang
    total = conn.execute("SELECT sum(requested) AS t FROM agg_demand WHERE area_code = 'TH' AND scope = 'total'")
    expected = (
        sum(r["requested_amount"] for r in loaded.values())
        - retired.amount_before
        + (changed.amount_after - changed.amount_before)
    )
    assert total.fetchone()["t"] == expected
    # the decision on an untouched row still names a loaded item
    assert (
        conn.execute(
            "SELECT count(*) AS n FROM match_decisions d JOIN plan_items i ON i.item_key = d.item_key"
        ).fetchone()["n"]
        == 1
    )
    source = find_source(conn, "plans", SOURCE)
    assert (source.rows, source.retired) == (len(now), 1) and source.amount == sum(
        r["requested_amount"] for r in now.values()
    )

    # the same import again changes nothing
    same = import_plans(conn, [copy], level="local", locator=locator, source_name=SOURCE, allow_rejects=True)
    assert (same.result.inserted, same.result.updated, same.result.difference.changes) == (0, 0, False)

    # a better (here: a different) locator moves places but makes no new item
    coarse = import_plans(conn, [copy], level="local", locator=_ProvinceOnly(), source_name=SOURCE, allow_rejects=True)
    assert coarse.result.inserted == 0 and not coarse.result.difference.of("retired"), coarse.summary()
    assert coarse.result.updated > 0 and {k: v["id"] for k, v in _items(conn).items()} == {
        k: v["id"] for k, v in now.items()
    }

    # the same rows under another name would count twice: refused, nothing loaded
    other = tmp_path / "again.xlsx"
    shutil.copy(copy, other)
    twice = import_plans(conn, [other], level="local", locator=locator)
    assert twice.result.status == "rejected"
    assert any("already loaded from source" in p.message for p in twice.result.problems)
    assert [s.name for s in list_sources(conn, "plans")] == [SOURCE]

    remove_source(conn, "plans", SOURCE, "test")
    assert _fingerprint(conn) == before_anything


class _ProvinceOnly(Locator):
    """A locator that places everything at its province: a stand-in for any locator change."""

    def locate(self, text: str, province: str | None = None, district: str | None = None):  # noqa: ANN201
        found = super().locate(text, province=province, district=district)
        if not found.code or len(found.code) <= 2:
            return found
        return Location(found.code[:2], "province", found.confidence, "province only")


def test_continuing_keys_passes_from_strict_to_loose() -> None:
    def record(row: int, title: str, place: str, amount: str) -> PlanRecord:
        written = AsWritten(title, place, amount, "2568")
        return PlanRecord(
            "f.csv",
            None,
            row,
            written.key,
            title,
            Decimal(amount),
            2568,
            Place("TH", "none", 0.0),
            "TH",
            None,
            None,
            None,
            None,
            False,
            None,
            None,
            written=written,
        )

    old = [record(1, "ถนน", "หมู่ 1", "100"), record(2, "ถนน", "หมู่ 2", "100"), record(3, "ฝาย", "หมู่ 3", "50")]
    current = {"f.csv": [(r.item_key, r.written) for r in old]}
    new = [
        record(1, "ถนน", "หมู่ 2", "120"),  # row 2 with a corrected amount
        record(2, "ถนน", "หมู่ 1", "100"),  # row 1 unchanged, now second
        record(3, "ฝายน้ำล้น", "หมู่ 3", "50"),  # row 3 with a corrected title
        record(4, "ถนน", "หมู่ 9", "999"),  # a new row: nothing left to continue
    ]
    keys = [r.item_key for r in continue_keys(new, current, str)]
    assert keys[:3] == [old[1].item_key, old[0].item_key, old[2].item_key]
    assert keys[3] not in {r.item_key for r in old}


def test_rows_imported_before_sources_are_said_and_cleared(
    conn: psycopg.Connection, shared_data: Path, locator: Locator
) -> None:
    workbook = shared_data / "plans" / "thaime_2020_loan_proposals" / "raw_by_province" / WORKBOOK
    before = _fingerprint(conn)
    import_plans(conn, [workbook], level="local", locator=locator, allow_rejects=True)
    # as an import of the previous release left them: no source, no text as written
    conn.execute("UPDATE plan_items SET source_id = NULL, as_written = NULL")
    conn.execute("DELETE FROM retired_rows")
    conn.execute("DELETE FROM sources")
    conn.commit()
    refused = import_plans(conn, [workbook], level="local", locator=locator, allow_rejects=False)
    assert refused.result.status == "rejected"
    (problem,) = [p for p in refused.result.problems if p.rule == "imported before sources"]
    assert (
        "planmap source remove-legacy" in problem.message and "99 plan items (491,353,664.08 baht)" in problem.message
    )
    assert remove_legacy(conn, "test") == 99
    assert _fingerprint(conn) == before
    again = import_plans(conn, [workbook], level="local", locator=locator, allow_rejects=True)
    assert again.result.inserted == 99 and [s.name for s in list_sources(conn, "plans")] == [WORKBOOK]
