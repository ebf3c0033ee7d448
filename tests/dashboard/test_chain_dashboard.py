"""The planning-chain pages (issue 6 item 7) called directly on the tiny demo: every number the
pages show equals what ``geodata`` computes (the funnel, the chain of an item, the late plans,
the overlap pairs), browser values are validated, names from data are escaped, and a review
decision is recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import dash
import psycopg
import pytest

from dashboard import auth, chain_figures, chain_views, i18n, ids, shell
from dashboard.context import Context
from dashboard.pages import compliance, overlaps, review, trace
from dashboard.pages import funnel as funnel_page
from dashboard.pages import map as map_page
from dashboard.state import DEFAULT, ViewState, parse, to_search, validate
from geodata import accounts
from geodata.chain import chain, funnel
from geodata.chain_view import PlanCounts, Trace, TraceAllocation, TraceStep, area_funnel, outcome
from geodata.compliance import notice_compliance, plan_compliance
from geodata.db import connect, open_pool
from geodata.queries import AreaRow, Totals, cluster_of
from geodata.settings import Settings, load_settings
from tests.helpers import dashboard_context, demo_database

DB = {"ok": True, "version": 1}
FY = 2569


@pytest.fixture(scope="module")
def demo(pg_cluster, demo_template) -> Iterator[Settings]:  # noqa: ANN001 - the session's cluster
    """One database with the tiny demo, shared by the read-only tests of this module."""
    with demo_database(pg_cluster, "chain_dash") as settings:
        yield settings


@pytest.fixture(scope="module")
def cb(demo: Settings) -> Iterator[Context]:
    with dashboard_context(demo) as ctx:
        yield ctx


@pytest.fixture()
def conn(demo: Settings) -> Iterator[psycopg.Connection]:  # the module's demo, not a fresh database
    with connect(demo) as connection:
        yield connection


def _text(component) -> str:  # noqa: ANN001 - Dash components or lists of them
    return json.dumps(
        component.to_plotly_json() if hasattr(component, "to_plotly_json") else component,
        default=lambda c: c.to_plotly_json() if hasattr(c, "to_plotly_json") else str(c),
        ensure_ascii=False,
    )


def _funded_item(conn: psycopg.Connection, area: str = "37") -> dict:
    """A village need in ``area`` whose chain an agency funded, with its allocation."""
    return conn.execute(
        "SELECT a.plan_item_id, a.title, a.amount, a.notified_on, o.name_th AS agency FROM allocations a"
        " JOIN organisations o ON o.id = a.agency_id JOIN plan_items i ON i.id = a.plan_item_id"
        " WHERE a.status = 'funded' AND a.funding_source = 'agency' AND a.fiscal_year = %s"
        " AND a.area_code LIKE %s AND i.location_precision = 'village' ORDER BY a.id LIMIT 1",
        [FY, area + "%"],
    ).fetchone()


def _navigate(cb: Context, trigger, search, **changed) -> dict:  # noqa: ANN001
    return shell.navigate(cb, trigger, search, **changed)


# --------------------------------------------------------------------------- state


def test_view_and_item_live_in_the_url_and_are_validated() -> None:
    state = ViewState(area="37", level="district", fy=FY, view="trace", item=123, lang="en")
    assert to_search(state) == "?area=37&lang=en&fy=2569&view=trace&item=123"
    assert parse(to_search(state)) == state
    for bad in ("?view=admin", "?item=-1", "?item=1e9", "?item=0", "?item=" + "9" * 13, "?item=12;drop"):
        assert parse(bad).view == "map" and parse(bad).item is None
    checked = validate(state, area_exists=True, fiscal_years=[FY], sectors=[], agency_ids=[], item_exists=False)
    assert checked.item is None and checked.view == "trace"
    assert to_search(replace(DEFAULT, view="funnel")) == "?view=funnel"


def test_navigation_between_pages(cb: Context, conn: psycopg.Connection) -> None:
    out = _navigate(cb, ids.VIEW, "?area=37&fy=2569", view="funnel")
    assert out["search"] == "?area=37&fy=2569&view=funnel" and out["view"] == "funnel"
    assert out["page_class"] == "page view-funnel"
    assert _navigate(cb, ids.VIEW, "?area=37&fy=2569", view="<script>")["search"] is dash.no_update
    item = _funded_item(conn)["plan_item_id"]
    picked = {"rowId": str(item), "colId": "title"}
    assert (
        _navigate(cb, ids.TRACE_RESULTS, "?area=37&fy=2569&view=trace", picked=picked)["search"]
        == f"?area=37&fy=2569&view=trace&item={item}"
    )
    # the map page's items grid opens the trace from its "trace" column only
    cell = {"rowId": str(item), "colId": ids.TRACE_TRACE}
    assert (
        _navigate(cb, ids.ITEMS, "?area=37&fy=2569", item_cell=cell)["search"]
        == f"?area=37&fy=2569&view=trace&item={item}"
    )
    assert (
        _navigate(cb, ids.ITEMS, "?area=37&fy=2569", item_cell={**cell, "colId": "title"})["search"] is dash.no_update
    )
    for bad in ({"rowId": "1 OR 1=1"}, {"rowId": "-5"}, {"rowId": 7}, {"rowId": "99999999999999"}, None, "x"):
        assert _navigate(cb, ids.TRACE_RESULTS, "?area=37&fy=2569&view=trace", picked=bad)["search"] is dash.no_update
    assert "item=" not in _navigate(cb, ids.URL, "?area=37&fy=2569&view=trace&item=999999999")["search"]  # unknown item
    click = {"points": [{"location": "3701"}]}
    assert (
        _navigate(cb, ids.COMPLIANCE_MAP, "?area=37&fy=2569&view=compliance", compliance_click=click)["search"]
        == "?area=3701&fy=2569&view=compliance"
    )
    # the map page's own callbacks do no work while a chain page is shown
    assert map_page.render_map(cb, "?area=37&fy=2569&view=funnel", DB)["figure"] is dash.no_update
    assert funnel_page.render(cb, "?area=37&fy=2569", DB)["head"] is dash.no_update


# --------------------------------------------------------------------------- funnel


def test_funnel_page_shows_geodata_funnel(cb: Context, conn: psycopg.Connection) -> None:
    out = funnel_page.render(cb, "?area=37&fy=2569&view=funnel", DB)
    head, fig, table, indicators, shape = (out[k] for k in ("head", "figure", "table", "indicators", "shape"))
    steps = funnel(conn, "37", FY)
    counts, amounts = fig["data"]
    assert counts["x"] == [s.items for s in steps] and counts["y"] == [i18n.t(f"funnel_{s.key}") for s in steps]
    assert amounts["x"] == [round(float(s.amount) / 1_000_000, 2) for s in steps]
    text = _text(table)
    for s in steps:
        assert f"{s.items:,}" in text and f"{s.amount / 1_000_000:,.2f} ล้านบาท" in text
    assert "อำนาจเจริญ" in _text(head) and "7,932" in _text(indicators)
    assert [b["text"][0].split("%")[0] for b in shape["data"]] == ["100.0", "100.0"]
    fig_en = funnel_page.render(cb, "?area=37&fy=2569&view=funnel&lang=en", DB)["figure"]
    assert fig_en["data"][0]["y"] == [i18n.t(f"funnel_{s.key}", "en") for s in steps]
    # a cluster's funnel is its provinces' funnels added up
    cluster = cluster_of(conn, "37", FY)
    members = [
        r["province_code"]
        for r in conn.execute(
            "SELECT province_code FROM cluster_provinces WHERE cluster_code = %s AND valid_to_fy IS NULL", [cluster]
        )
    ]
    total = [sum(funnel(conn, p, FY)[k].items for p in members) for k in range(8)]
    assert [s.items for s in area_funnel(conn, cluster, FY)] == total
    assert funnel_page.render(cb, f"?area={cluster}&fy=2569&view=funnel", DB)["figure"]["data"][0]["x"] == total


# --------------------------------------------------------------------------- trace


def test_trace_of_a_funded_item_shows_every_step_and_the_allocation(cb: Context, conn: psycopg.Connection) -> None:
    funded = _funded_item(conn)
    item = funded["plan_item_id"]
    steps = chain(conn, item)
    assert len(steps) >= 4 and steps[0].plan_level == "village"
    out = trace.render(cb, f"?area=37&fy=2569&view=trace&item={item}", DB, None)
    banner, timeline, fig = out["outcome"], out["timeline"], out["map"]
    lis = timeline.children
    assert [li.id for li in lis] == [f"trace-step-{n}" for n in range(1, len(steps) + 1)]
    assert [li.className.split()[1] for li in lis] == [f"level-{s.plan_level}" for s in steps]
    text = _text(timeline)
    agency, million = funded["agency"], f"{funded['amount'] / 1_000_000:,.2f} ล้านบาท"
    assert agency in text and million in text and "ได้รับจัดสรร" in text
    notified = funded["notified_on"]
    assert f"{notified.day} " in text and str(notified.year + 543) in text  # Thai date, BE
    assert _text(banner).count(f"ได้รับงบประมาณจาก {agency}") == 1 and banner.id == "outcome-funded"
    assert "selected" in lis[[s.item_id for s in steps].index(item)].className
    # the map highlights the plan areas of the path: province, district, tambon, and the village point
    located = [d.get("locations", [None])[0] for d in fig["data"] if d["type"] == "choroplethmap"]
    code = steps[0].area_code
    assert located == [code[:2], code[:4], code[:6]]
    assert [d for d in fig["data"] if d["type"] == "scattermap"]
    # the same chain from its root need
    root = trace.render(cb, f"?area=37&fy=2569&view=trace&item={steps[0].item_id}", DB, None)["timeline"]
    assert [li.className.split()[1] for li in root.children] == [li.className.split()[1] for li in lis]
    assert "selected" in root.children[0].className and "selected" not in root.children[-1].className


def test_trace_search_is_bound_and_kept_to_the_area(cb: Context, conn: psycopg.Connection) -> None:
    funded = _funded_item(conn)
    rows = trace.render(cb, "?area=37&fy=2569&view=trace", DB, funded["title"])["rows"]
    assert rows and len(rows) <= 20 and all(r["code"].startswith("37") for r in rows)
    assert any(r["title"] == funded["title"] and r["reached"] == "ได้รับงบ" for r in rows)
    root = chain(conn, funded["plan_item_id"])[0]
    assert str(root.item_id) in {r["id"] for r in rows}  # roots: each need once
    everything = trace.render(cb, "?area=37&fy=2569&view=trace", DB, None)
    assert len(everything["rows"]) == 20 and "1,1" in everything["count"]
    for text in ("%", "_", "' OR 1=1 --", "\\"):
        assert trace.render(cb, "?area=37&fy=2569&view=trace", DB, text)["rows"] == []
    missing = trace.render(cb, "?area=37&fy=2569&view=trace&item=999999", DB, None)["outcome"]
    assert missing is None  # unknown items are dropped from the state


def test_outcome_says_where_a_need_stopped() -> None:
    def step(level: str, beyond: bool, *allocations: TraceAllocation) -> TraceStep:
        return TraceStep(
            0,
            1,
            level,
            "x",
            FY,
            Decimal(1),
            beyond,
            "37010101",
            "village",
            "v",
            None,
            None,
            None,
            "37",
            "p",
            None,
            None,
            None,
            None,
            None,
            None,
            "unknown",
            None,
            tuple(allocations),
        )

    alloc = TraceAllocation(
        "k", FY, "requested", Decimal(5), "agency", "กรมทางหลวง", "Highways", None, None, None, None
    )
    assert outcome([step("village", False)]).kind == "kept"
    stopped = outcome([step("village", True), step("tambon", True), step("district", False)])
    assert stopped.kind == "stopped" and stopped.level == "district"
    assert chain_views.outcome_text(stopped, "en") == "Stopped at district level"
    assert chain_views.outcome_text(stopped) == "หยุดที่ระดับอำเภอ"
    assert outcome([step("village", True), step("province", True)]).kind == "sent"
    requested = outcome([step("village", True), step("province", True, alloc)])
    assert chain_views.outcome_text(requested, "en") == "In the budget request of Highways (not funded yet)"
    funded = outcome([step("province", True, replace(alloc, status="funded"))])
    assert chain_views.outcome_text(funded) == "ได้รับงบประมาณจาก กรมทางหลวง"


# --------------------------------------------------------------------------- compliance


def test_overdue_table_equals_plan_compliance(cb: Context, conn: psycopg.Connection) -> None:
    out = compliance.render(cb, "?area=37&fy=2569&view=compliance", DB)
    head, fig, late_head, rows = out["head"], out["map"], out["late_head"], out["late"]
    late = [p for p in plan_compliance(conn, "37", FY) if p.status == "late"]
    assert late and {r["id"]: r["days_late"] for r in rows} == {str(p.plan_id): p.days_late for p in late}
    assert [r["days_late"] for r in rows] == sorted((r["days_late"] for r in rows), reverse=True)
    assert f"{len(late):,}" in _text(late_head)
    # the map: each district's class from its plans, counted here from plan_compliance itself
    trace = fig["data"][-1]
    all_plans = plan_compliance(conn, "37", FY)
    for code, z in zip(trace["locations"], trace["z"]):
        mine = [p for p in all_plans if p.area_code.startswith(code)]
        counts = PlanCounts(len(mine), sum(p.status == "late" for p in mine))
        assert z == chain_figures.late_class(counts)
    assert len(trace["locations"]) == 7 and f"{len(late):,} จาก {len(all_plans):,}" in _text(head)
    # agencies that notified late or not at all (the demo makes some late in FY2568)
    notice_rows = compliance.render(cb, "?area=37&fy=2568&view=compliance", DB)["notices"]
    overdue = [u for u in notice_compliance(conn, "37", 2568) if u.overdue]
    assert overdue and {r["id"] for r in notice_rows} == {f"{u.agency_id}-{u.province_code}" for u in overdue}
    # a tambon's map shows its villages as points over the tambon's outline
    outline, points = compliance.render(cb, "?area=370101&fy=2569&view=compliance", DB)["map"]["data"]
    assert outline["locations"] == ["370101"] and all(c.startswith("370101") for c in points["ids"])
    en = compliance.render(cb, "?area=37&fy=2569&view=compliance&lang=en", DB)
    assert "plans submitted late" in _text(en["head"]) and en["late_columns"][0]["headerName"] == "Plan level"


# --------------------------------------------------------------------------- overlaps


def test_overlap_list_equals_overlap_pairs(cb: Context, conn: psycopg.Connection) -> None:
    rows = overlaps.render(cb, "?area=37&fy=2569&view=overlaps", DB)["rows"]
    pairs = conn.execute(
        "SELECT * FROM overlap_pairs WHERE fiscal_year = %s AND tambon_code LIKE '37%%'", [FY]
    ).fetchall()
    assert pairs and {r["id"] for r in rows} == {str(p["id"]) for p in pairs}
    by_id = {str(p["id"]): p for p in pairs}
    for r in rows:
        p = by_id[r["id"]]
        assert (r["title_a"], r["title_b"], r["amount_a"], r["amount_b"]) == (
            p["a_title"],
            p["b_title"],
            float(p["a_amount"]),
            float(p["b_amount"]),
        )
        assert r["similarity"] == round(p["similarity"] * 100, 1) and r["code"] == p["tambon_code"]
        assert "งบฟังก์ชันของส่วนราชการ · กรม" in r["source_b"] or "งบฟังก์ชันของส่วนราชการ · กรม" in r["source_a"]
    everywhere = overlaps.render(cb, "?fy=2569&view=overlaps", DB)["rows"]
    assert (
        len(everywhere)
        == conn.execute("SELECT count(*) AS n FROM overlap_pairs WHERE fiscal_year = %s", [FY]).fetchone()["n"]
    )


def test_names_from_data_are_escaped_in_hover_labels() -> None:
    evil = "<img src=x onerror=alert(1)>"
    row = AreaRow("3701", "district", evil, None, None, True, None, None, Totals(), Totals())
    fig = chain_figures.compliance_map([row], {"3701": PlanCounts(4, 1)}, geojson_url="/g.json")
    assert evil not in json.dumps(fig["data"]) and "&lt;img" in fig["data"][0]["customdata"][0][0]
    # the map's names are plain text: assets/map_fit.js sets them with textContent, never as HTML
    assert fig["layout"]["meta"]["planmap"]["labels"] == [["3701", evil, None, None]]
    step = TraceStep(
        0,
        1,
        "district",
        evil,
        FY,
        Decimal(1),
        True,
        "3701",
        "district",
        evil,
        None,
        None,
        None,
        "3701",
        evil,
        None,
        None,
        None,
        None,
        None,
        None,
        "unknown",
        None,
        (),
    )
    fig = chain_figures.trace_map(Trace(1, (step,), outcome([step])), {"district": "/d.json"})
    assert evil not in json.dumps(fig) and "&lt;img" in fig["data"][0]["hovertemplate"]


# --------------------------------------------------------------------------- review


def _signed_in(conn: psycopg.Connection, name: str, role: str, area: str) -> auth.Principal:
    accounts.add_user(conn, name, "a long password 1")
    accounts.grant(conn, name, role, area, "test")
    user = accounts.load_user(conn, username=name)
    return auth.Principal(user, user.scope, "csrf-token", "session-token")


def test_review_decisions_are_recorded_for_listed_suggestions_only(cb: Context, conn: psycopg.Connection) -> None:
    suggestion = conn.execute(
        "INSERT INTO match_review (allocation_key, item_level, item_area, item_fiscal_year, item_key, confidence,"
        " title_score) SELECT a.source_key, k.item_level, k.item_area, k.item_fiscal_year, k.item_key, 0.8, 0.9"
        " FROM overlap_pairs o JOIN allocations a ON o.b_kind = 'allocation' AND a.id = o.b_id"
        " JOIN plan_item_keys k ON o.a_kind = 'plan_item' AND k.id = o.a_id"
        " WHERE o.fiscal_year = %s AND o.tambon_code LIKE '37%%' ORDER BY o.id LIMIT 1"
        " RETURNING allocation_key, item_key",
        [FY],
    ).fetchone()
    officer = _signed_in(conn, "officer.37", "officer", "37")
    stranger = _signed_in(conn, "officer.22", "officer", "22")
    conn.commit()
    search = "?area=37&fy=2569&view=review"
    table = review.render(cb, search, DB)["list"]
    assert suggestion["allocation_key"] in _text(table) and "รอการทบทวน" in _text(table)
    button = {
        "type": ids.REVIEW_DECIDE,
        "action": "accepted",
        "allocation": suggestion["allocation_key"],
        "item": suggestion["item_key"],
    }
    nothing = {"status": dash.no_update, "done": dash.no_update}
    assert review.decide(cb, search, button, 1, 0) == nothing  # nobody signed in: no decision
    assert review.decide(replace(cb, principal=lambda: stranger), search, button, 1, 0)["status"].startswith(
        "บันทึกไม่ได้"
    )  # an officer of another province: as if there were no such suggestion
    everyone, cb = cb, replace(cb, principal=lambda: officer)
    assert review.decide(cb, search, button, 0, 0) == nothing  # not a click
    assert review.decide(cb, search, {**button, "action": "drop"}, 1, 0) == nothing
    assert review.decide(cb, search, {**button, "item": "no such item"}, 1, 0)["status"].startswith("บันทึกไม่ได้")
    assert review.decide(cb, search, {**button, "item": "x" * 500}, 1, 0)["status"].startswith("บันทึกไม่ได้")
    saved = review.decide(cb, search, button, 1, 0)
    message, done = saved["status"], saved["done"]
    assert done == 1 and "ยืนยันแล้ว" in message
    decided = conn.execute(
        "SELECT decision, decided_by FROM match_decisions WHERE allocation_key = %s", [suggestion["allocation_key"]]
    ).fetchall()
    assert decided == [{"decision": "accepted", "decided_by": "officer.37"}]
    audited = conn.execute("SELECT actor, action, target FROM audit_log WHERE action = 'decision'").fetchall()
    assert audited == [
        {"actor": "officer.37", "action": "decision", "target": f"{suggestion['allocation_key']} → {button['item']}"}
    ]
    assert "ยืนยันแล้ว" in _text(review.render(cb, search, DB, done)["list"])
    review.decide(cb, search, {**button, "action": "rejected"}, 2, done)  # the latest decision wins
    assert conn.execute("SELECT decision FROM match_decisions").fetchall() == [{"decision": "rejected"}]
    history = conn.execute("SELECT decision FROM match_decision_history ORDER BY id").fetchall()
    assert [h["decision"] for h in history] == ["accepted", "rejected"]  # nothing overwritten
    assert "ไม่มีรายการรอทบทวน" in _text(review.render(everyone, "?area=22&fy=2569&view=review", DB)["list"])


def test_chain_pages_say_when_the_database_is_down() -> None:
    settings = load_settings(database_url="postgresql://nobody:x@127.0.0.1:9/none")
    pool = open_pool(settings, timeout=0.5)
    try:
        cb = Context(pool)
        for page in (funnel_page, compliance, overlaps):
            assert "เชื่อมต่อฐานข้อมูลไม่ได้" in _text(page.render(cb, f"?area=37&view={page.NAME}", DB)["head"])
        assert "เชื่อมต่อฐานข้อมูลไม่ได้" in _text(trace.render(cb, "?view=trace", DB, "x")["head"])
    finally:
        pool.close()
