"""The dashboard's reads against a real PostGIS: the funded-attribution rule, and totals that
reconcile to the satang with plan_items/allocations at every level, in the cards and in the
ranking, for the same filters (the demo data)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

import psycopg
import pytest

from dashboard import views
from etl.db import refresh_aggregates
from geodata import queries
from geodata.areas import PLAN_LEVELS
from geodata.db import connect
from geodata.queries import Filters, Totals
from geodata.settings import Settings
from tests.helpers import demo_database

ZERO = Decimal("0.00")


@pytest.fixture(scope="module")
def demo(pg_cluster, demo_template) -> Iterator[Settings]:  # noqa: ANN001 - the session's cluster
    """One database with the tiny demo, shared by the read-only tests of this module."""
    with demo_database(pg_cluster, "queries") as settings:
        yield settings


@pytest.fixture()
def dconn(demo: Settings) -> Iterator[psycopg.Connection]:
    with connect(demo, autocommit=True) as conn:
        yield conn


# --------------------------------------------------------------------------- the reference


def _reference(conn: psycopg.Connection) -> tuple[list[dict], list[dict], dict[int, Decimal]]:
    """Items, allocations and each item's funded amount computed in Python from the raw rows,
    following the rule of migration 0005 (walk down from each funded allocation's item; split
    among the items of a plan level pro rata to requests, largest remainder, in satang)."""
    items = conn.execute(
        "SELECT i.id, p.level, i.fiscal_year, i.area_code, coalesce(i.sector, '') AS sector,"
        " i.requested_amount, i.escalated_to_id FROM plan_items i JOIN plans p ON p.id = i.plan_id"
    ).fetchall()
    allocations = conn.execute(
        "SELECT a.*, coalesce(a.sector, '') AS sector_key, coalesce(a.agency_id, 0) AS agency_key,"
        " p.level AS linked_level FROM allocations a LEFT JOIN plan_items i ON i.id = a.plan_item_id"
        " LEFT JOIN plans p ON p.id = i.plan_id"
    ).fetchall()
    by_id = {i["id"]: i for i in items}
    below: dict[int, list[int]] = defaultdict(list)
    for i in items:
        if i["escalated_to_id"] is not None:
            below[i["escalated_to_id"]].append(i["id"])
    funded: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for a in allocations:
        if a["status"] != "funded" or a["plan_item_id"] is None:
            continue
        reached, todo = [], [a["plan_item_id"]]
        while todo:
            item = todo.pop()
            reached.append(item)
            todo.extend(below[item])
        by_level: dict[str, list[dict]] = defaultdict(list)
        for item in reached:
            if by_id[item]["fiscal_year"] == a["fiscal_year"]:
                by_level[by_id[item]["level"]].append(by_id[item])
        pot = int(a["amount"] * 100)
        for group in by_level.values():
            weights = [int(i["requested_amount"] * 100) for i in group]
            if not sum(weights):
                weights = [1] * len(group)
            whole = sum(weights)
            shares = [(pot * w // whole, (pot * w) % whole, i["id"]) for w, i in zip(weights, group)]
            left = pot - sum(s[0] for s in shares)
            order = sorted(range(len(shares)), key=lambda k: (-shares[k][1] / whole, shares[k][2]))
            for rank, k in enumerate(order):
                extra = 1 if rank < left else 0
                funded[shares[k][2]] += Decimal(shares[k][0] + extra) / 100
    return items, allocations, dict(funded)


def _demand(
    items: list[dict], funded: dict[int, Decimal], *, fy: int, level: str, sector: str | None, inside
) -> Totals:  # noqa: ANN001 - a predicate on area codes
    n = requested = f_n = 0
    f_amount = ZERO
    requested = ZERO
    for i in items:
        if (
            i["fiscal_year"] == fy
            and i["level"] == level
            and inside(i["area_code"])
            and (sector is None or i["sector"] == sector)
        ):
            n += 1
            requested += i["requested_amount"]
            if i["id"] in funded:
                f_n += 1
                f_amount += funded[i["id"]]
    return Totals(n, requested, f_n, f_amount)


def _supply(
    allocations: list[dict],
    *,
    fy: int,
    inside,
    sector=None,
    source=None,
    agency=None,  # noqa: ANN001
    statuses=("funded",),
    linked=None,
) -> tuple[int, Decimal]:
    rows = [
        a
        for a in allocations
        if a["fiscal_year"] == fy
        and inside(a["area_code"])
        and a["status"] in statuses
        and (sector is None or a["sector_key"] == sector)
        and (source is None or a["funding_source"] == source)
        and (agency is None or a["agency_key"] == agency)
        and (linked is None or a["linked_level"] == linked)
    ]
    return len(rows), sum((a["amount"] for a in rows), ZERO)


def _inside(code: str):  # noqa: ANN202
    return (lambda c: True) if code == "TH" else (lambda c: c.startswith(code))


# --------------------------------------------------------------------------- the rule


def _plan(conn: psycopg.Connection, level: str, area: str, fy: int, run: int) -> int:
    return conn.execute(
        "INSERT INTO plans (level, area_code, fiscal_year, import_run_id) VALUES (%s, %s, %s, %s) RETURNING id",
        [level, area, fy, run],
    ).fetchone()["id"]


def _item(
    conn: psycopg.Connection, plan: int, key: str, area: str, amount: str, fy: int = 2568, up: int | None = None
) -> int:
    return conn.execute(
        "INSERT INTO plan_items (plan_id, item_key, title, sector, area_code, location_precision, fiscal_year,"
        " requested_amount, escalated_to_id, beyond_capacity) VALUES (%s, %s, %s, 'การศึกษา', %s, 'tambon', %s, %s, %s, %s)"
        " RETURNING id",
        [plan, key, f"โครงการ {key}", area, fy, amount, up, up is not None],
    ).fetchone()["id"]


def _allocation(
    conn: psycopg.Connection,
    key: str,
    item: int,
    amount: str,
    status: str = "funded",
    fy: int = 2568,
    area: str = "370101",
) -> None:
    conn.execute(
        "INSERT INTO allocations (source_key, fiscal_year, funding_source, title, area_code, location_precision,"
        " amount, status, plan_item_id, match_method, match_confidence) VALUES"
        " (%s, %s, 'agency', 'งบ', %s, 'tambon', %s, %s, %s, 'reference', 1)",
        [key, fy, area, amount, status, item],
    )


def test_merged_needs_share_the_funding_to_the_satang(conn: psycopg.Connection) -> None:
    """Two village needs merged into one tambon item funded with 100.01: the tambon item gets it
    all; at the village level it is split 1:2 by request, the odd satang to the larger remainder."""
    run = conn.execute("INSERT INTO import_runs (kind, source) VALUES ('plans', 't') RETURNING id").fetchone()["id"]
    tambon_plan = _plan(conn, "tambon", "370101", 2568, run)
    village_plan = _plan(conn, "village", "370101", 2568, run)
    merged = _item(conn, tambon_plan, "T", "370101", "300.00")
    v1 = _item(conn, village_plan, "V1", "370101", "100.00", up=merged)
    v2 = _item(conn, village_plan, "V2", "370102", "200.00", up=merged)
    lone = _item(conn, village_plan, "V3", "370102", "50.00")
    other_year = _item(conn, village_plan, "V4", "370102", "70.00")
    _allocation(conn, "A1", merged, "100.01")
    _allocation(conn, "A2", merged, "999.00", status="requested")  # only in a request: not funded
    _allocation(conn, "A3", v1, "5.00")  # funds v1 only (links count upwards)
    _allocation(conn, "A4", other_year, "9.00", fy=2569)  # another fiscal year
    refresh_aggregates(conn.cursor())
    got = {r["item_id"]: r["funded"] for r in conn.execute("SELECT item_id, funded FROM item_funding")}
    assert got == {merged: Decimal("100.01"), v1: Decimal("38.34"), v2: Decimal("66.67")}
    assert lone not in got and other_year not in got
    rows = {
        (r["plan_level"], r["area_code"]): r
        for r in conn.execute(
            "SELECT * FROM agg_demand WHERE scope = 'total' AND fiscal_year = 2568 AND area_code IN ('TH', '370101', '370102')"
        )
    }
    assert rows[("village", "TH")]["funded"] == Decimal("105.01") and rows[("village", "TH")]["funded_items"] == 2
    assert rows[("tambon", "TH")]["funded"] == Decimal("100.01")
    assert rows[("village", "370101")]["funded"] == Decimal("38.34")
    assert rows[("village", "370102")]["funded_items"] == 1 and rows[("village", "370102")]["items"] == 3
    # The reference implementation of the tests agrees with the SQL.
    _, _, reference = _reference(conn)
    assert reference == got


def test_escalation_cycles_do_not_loop_or_double_count(conn: psycopg.Connection) -> None:
    run = conn.execute("INSERT INTO import_runs (kind, source) VALUES ('plans', 't') RETURNING id").fetchone()["id"]
    plan = _plan(conn, "district", "3701", 2568, run)
    a = _item(conn, plan, "A", "370101", "10.00")
    b = _item(conn, plan, "B", "370101", "10.00", up=a)
    conn.execute("UPDATE plan_items SET escalated_to_id = %s WHERE id = %s", [b, a])  # a ↔ b
    _allocation(conn, "X", a, "4.00")
    refresh_aggregates(conn.cursor())
    total = conn.execute("SELECT sum(funded) AS s FROM item_funding").fetchone()["s"]
    assert total == Decimal("4.00")


# --------------------------------------------------------------------------- reconciliation


def test_item_funding_matches_the_reference_on_the_demo(dconn: psycopg.Connection) -> None:
    _, allocations, reference = _reference(dconn)
    got = {r["item_id"]: r["funded"] for r in dconn.execute("SELECT item_id, funded FROM item_funding")}
    assert got == reference and len(got) > 100
    # At every plan level, attributed funding = the funded allocations that reach it (demo: 1:1).
    by_level = dconn.execute(
        "SELECT p.level, sum(f.funded) AS funded FROM item_funding f JOIN plan_items i ON i.id = f.item_id"
        " JOIN plans p ON p.id = i.plan_id GROUP BY 1"
    ).fetchall()
    province = {r["level"]: r["funded"] for r in by_level}["province"]
    linked_to_province = sum(
        (a["amount"] for a in allocations if a["status"] == "funded" and a["linked_level"] == "province"), ZERO
    )
    assert province == linked_to_province


def test_totals_reconcile_at_every_level_in_map_cards_and_ranking(dconn: psycopg.Connection) -> None:
    items, allocations, funded = _reference(dconn)
    provinces = [
        r["code"]
        for r in dconn.execute(
            "SELECT DISTINCT left(area_code, 2) AS code FROM plan_items WHERE area_code ~ '^[0-9]' ORDER BY 1"
        )
    ]
    sectors = [None, "การศึกษา"]
    checked = 0
    for fy in (2568, 2569):
        for plan_level in PLAN_LEVELS:
            for sector in sectors:
                filters = Filters(fy, plan_level, sector)
                views_to_check = [("TH", "province")] + [(p, "district") for p in provinces]
                districts = [
                    r.code
                    for p in provinces
                    for r in queries.children(dconn, p, "district", filters)
                    if r.current.items
                ]
                views_to_check += [(d, "tambon") for d in districts[:6]]
                for parent, level in views_to_check:
                    rows = queries.children(dconn, parent, level, filters)
                    for r in rows:
                        expected = _demand(
                            items, funded, fy=fy, level=plan_level, sector=sector, inside=_inside(r.code)
                        )
                        assert (r.current.items, r.current.requested, r.current.funded_items, r.current.funded) == (
                            expected.items,
                            expected.requested,
                            expected.funded_items,
                            expected.funded,
                        ), (r.code, filters)
                        checked += 1
                    # The cards of the parent: total, and the part tagged to exactly the parent.
                    summary = queries.summary(dconn, parent, filters)
                    total = _demand(items, funded, fy=fy, level=plan_level, sector=sector, inside=_inside(parent))
                    own = _demand(
                        items, funded, fy=fy, level=plan_level, sector=sector, inside=lambda c, p=parent: c == p
                    )
                    assert (summary.total.items, summary.total.requested, summary.total.funded) == (
                        total.items,
                        total.requested,
                        total.funded,
                    )
                    assert (summary.own.items, summary.own.requested, summary.own.funded) == (
                        own.items,
                        own.requested,
                        own.funded,
                    )
                    # total(area) = own(area) + Σ total(children): nothing lost beside the map.
                    children_sum = sum((r.current for r in rows), Totals())
                    assert summary.total.requested == summary.own.requested + children_sum.requested
                    # The ranking shows the same numbers (to the satang, as floats of 2 decimals).
                    ranked = {x["code"]: x for x in views.ranking_rows(rows, "gap", limit=10_000)}
                    for r in rows:
                        if r.code in ranked:
                            assert Decimal(str(ranked[r.code]["gap"])).quantize(Decimal("0.01")) == r.current.gap
    assert checked > 500


def test_supply_cards_and_indicators_reconcile(dconn: psycopg.Connection) -> None:
    _, allocations, _ = _reference(dconn)
    agencies = sorted({a["agency_key"] for a in allocations})
    for fy in (2568, 2569):
        for code in ("TH", "37", "22", "3701"):
            inside = _inside(code)
            for source, agency in ((None, None), ("agency", None), ("local", None), (None, agencies[-1])):
                summary = queries.summary(dconn, code, Filters(fy, "province", None, agency, source))
                n, amount = _supply(allocations, fy=fy, inside=inside, source=source, agency=agency)
                assert (summary.total.allocations, summary.total.allocated) == (n, amount), (code, source, agency)
                assert (
                    summary.in_requests
                    == _supply(
                        allocations, fy=fy, inside=inside, source=source, agency=agency, statuses=("requested",)
                    )[1]
                )
            ind = queries.summary(dconn, code, Filters(fy, "village")).indicators
            proposed = dconn.execute(
                "SELECT count(*) AS n, coalesce(sum(i.requested_amount), 0) AS s FROM plan_items i"
                " JOIN plans p ON p.id = i.plan_id WHERE p.level = 'province' AND i.fiscal_year = %s"
                " AND (%s = 'TH' OR i.area_code LIKE %s)",
                [fy, code, code + "%"],
            ).fetchone()
            assert (ind.proposed_items, ind.proposed_amount) == (proposed["n"], proposed["s"])
            assert (ind.requested_items, ind.requested_amount) == _supply(
                allocations, fy=fy, inside=inside, source="agency", statuses=("requested", "funded"), linked="province"
            )
            assert (ind.funded_items, ind.funded_amount) == _supply(
                allocations, fy=fy, inside=inside, source="agency", linked="province"
            )


def test_clusters_add_up_their_member_provinces(dconn: psycopg.Connection) -> None:
    cluster = queries.cluster_of(dconn, "37", 2569)
    assert cluster is not None
    members = queries.cluster_members(dconn, cluster, 2569)
    assert "37" in members
    filters = Filters(2569, "village")
    rows = queries.children(dconn, cluster, "province", filters)
    assert [r.code for r in rows] == members
    summary = queries.summary(dconn, cluster, filters)
    assert summary.total.requested == summary.own.requested + sum((r.current.requested for r in rows), ZERO)
    national = queries.children(dconn, "TH", "cluster", filters)
    assert cluster in {r.code for r in national if r.current.items}


# --------------------------------------------------------------------------- other reads


def test_breadcrumbs_options_geometry_and_bounds(dconn: psycopg.Connection) -> None:
    village = dconn.execute("SELECT code FROM areas WHERE level = 'village' ORDER BY code LIMIT 1").fetchone()["code"]
    chain = queries.breadcrumbs(dconn, village, 2569)
    assert [a.level for a in chain] == ["country", "cluster", "province", "district", "tambon", "village"]
    opts = queries.options(dconn)
    assert opts.fiscal_years == (2568, 2569) and "การศึกษา" in opts.sectors and len(opts.agencies) >= 5
    features = queries.geometry_features(dconn, "district", "37")
    assert features and all(code.startswith("37") and geom.startswith("{") for code, geom in features)
    west, south, east, north = queries.area_bounds(dconn, "37")
    assert west < east and south < north
    assert queries.area_bounds(dconn, village) is None
    assert queries.area(dconn, "99") is None and queries.area(dconn, "x'; --") is None
    with pytest.raises(ValueError):
        queries.geometry_features(dconn, "village", "37")


def test_item_pages_are_limited_searchable_and_escaped(dconn: psycopg.Connection) -> None:
    filters = Filters(2569, "village")
    page = queries.plan_items_page(dconn, "37", filters, limit=20)
    assert len(page.rows) == 20 and page.total > 20
    assert [r["requested_amount"] for r in page.rows] == sorted(
        (r["requested_amount"] for r in page.rows), reverse=True
    )
    total = dconn.execute(
        "SELECT count(*) AS n FROM plan_items i JOIN plans p ON p.id = i.plan_id"
        " WHERE p.level = 'village' AND i.fiscal_year = 2569 AND i.area_code LIKE '37%'"
    ).fetchone()["n"]
    assert page.total == total
    found = queries.plan_items_page(dconn, "37", filters, search="ถนน")
    assert found.total and all("ถนน" in r["title"] for r in found.rows)
    assert queries.plan_items_page(dconn, "37", filters, search="%").total == 0  # a literal '%'
    cluster = queries.cluster_of(dconn, "37", 2569)
    assert queries.plan_items_page(dconn, cluster, filters, limit=1).total >= page.total
    allocs = queries.allocations_page(dconn, "TH", Filters(2569, "province", funding_source="local"))
    assert allocs.total and {r["funding_source"] for r in allocs.rows} == {"local"}
