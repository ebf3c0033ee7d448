"""Import runs end: an error inside a load ends its run as failed with the reason, and a run
whose process died (its connection gone) is marked failed by the next run to start; the data
page says so in words."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest

from dashboard.pages import data as data_page
from dashboard.request import Resolver
from etl import runs
from etl.load import load_budget
from etl.match_load import run_matching
from etl.records import BudgetRecord, Outcome, Place
from geodata import datapage, queries
from geodata.db import connect
from geodata.settings import Settings


def _record(title: str) -> BudgetRecord:
    return BudgetRecord(
        file="bill.csv",
        sheet=None,
        row=2,
        source_key="2022.3.1.0#2565",
        title=title,
        amount=Decimal("800000000.00"),
        fiscal_year=2565,
        place=Place("TH", "none", 0.0),
        agency=None,
        ministry=None,
        budget_plan=None,
        funding_source="agency",
    )


def _text(component: object) -> str:
    """All text of a Dash component tree."""
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return str(component) if children is None and isinstance(component, str) else _text(children or [])


def test_a_load_that_errors_ends_its_run_as_failed_with_the_reason(conn: psycopg.Connection) -> None:
    # A NUL cannot be stored in PostgreSQL text: the COPY fails inside the load's transaction.
    with pytest.raises(psycopg.DataError) as caught:
        load_budget(conn, Outcome(records=[_record("ค่าใช้จ่าย\x00")]), source="bill.csv", checksum="x")
    run = conn.execute("SELECT id, status, details FROM import_runs ORDER BY id DESC LIMIT 1").fetchone()
    assert run["status"] == "failed"
    assert "DataError" in run["details"]["error"]
    assert f"import run {run['id']} is recorded as failed" in caught.value.__notes__
    assert conn.execute("SELECT count(*) AS n FROM allocations").fetchone()["n"] == 0


def test_a_run_whose_process_died_is_failed_at_the_next_start(db: Settings) -> None:
    with connect(db, autocommit=True) as doomed:
        dead = runs.start(doomed, "budget", "bill.csv")
        with connect(db, autocommit=True) as other:  # still alive: its lock is held, it is left alone
            assert runs.fail_stale(other) == []
    # the connection is gone, as after kill -9: its advisory lock went with it
    with connect(db, autocommit=True) as conn:
        latest = runs.start(conn, "budget", "bill2.csv")
        rows = {r["id"]: r for r in conn.execute("SELECT id, status, details FROM import_runs").fetchall()}
        assert rows[dead]["status"] == "failed" and rows[dead]["details"]["stopped"] is True
        assert rows[latest]["status"] == "running"
        page = {lang: _text(data_page.render(datapage.report(conn), lang)) for lang in ("th", "en")}
    assert "ล้มเหลว: หยุดก่อนเสร็จ จึงไม่มีข้อมูลใดถูกบันทึก" in page["th"]
    assert "failed: stopped before finishing, so nothing was saved" in page["en"]


def test_the_data_version_moves_when_data_is_committed_and_only_then(db: Settings) -> None:
    """What the dashboard caches (the options a link is checked against, exports, the search
    index) is kept per data version. A run's row is committed when the run starts, long before its
    data: had the version moved then, a read made while the load ran would have been kept after
    its commit (a browser upload's map read 0 baht for the province just loaded). A run that ends
    without data (failed, refused, a dry run) leaves it; a load and a matching move it."""
    resolver = Resolver()
    with connect(db, autocommit=True) as reader, connect(db, autocommit=True) as loader:
        before = queries.data_version(reader)
        run_id = runs.start(loader, "budget", "bill.csv")
        assert queries.data_version(reader) == before == queries.dashboard_status(reader).data_version
        assert 2565 not in resolver.options(reader).fiscal_years  # read, and kept, while the run runs
        with loader.transaction():
            runs.finish(loader, run_id, "failed", {})
        assert queries.data_version(reader) == before  # nothing was committed: the caches stay
        load_budget(loader, Outcome(records=[_record("ค่าใช้จ่าย")]), source="bill.csv", checksum="x")
        loaded = queries.data_version(reader)
        assert loaded == before + 1 == queries.dashboard_status(reader).data_version
        assert 2565 in resolver.options(reader).fiscal_years  # the loaded year, not the kept read
        run_matching(loader)  # links change what is funded on the map
        assert queries.data_version(reader) == loaded + 1
        run = reader.execute("SELECT kind, status FROM import_runs ORDER BY id DESC LIMIT 1").fetchone()
        assert (run["kind"], run["status"]) == ("matching", "loaded")
