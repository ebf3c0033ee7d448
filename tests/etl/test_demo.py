"""`planmap demo`: deterministic synthetic data on the real gazetteer, marked as synthetic,
whose pre-aggregates reconcile to the satang with the items; schematic map without boundaries;
the real villages of the national list used where loaded, invented ones only elsewhere."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from etl.demo import P_FUNDED, P_IN_REQUEST
from etl.demo_load import load_demo
from etl.geoload import load_boundaries
from etl.villages import load_villages

GEOCODE = Path("villages/muban_list_2022/raw/Geocode")


def _items_fingerprint(conn: psycopg.Connection) -> dict:
    return conn.execute(
        "SELECT count(*) AS n, sum(i.requested_amount) AS total,"
        " md5(string_agg(i.item_key || p.level || i.area_code || i.title || i.requested_amount::text"
        "      || coalesce(e.item_key, '-'), ',' ORDER BY i.item_key)) AS digest"
        " FROM plan_items i JOIN plans p ON p.id = i.plan_id"
        " LEFT JOIN plan_items e ON e.id = i.escalated_to_id"
    ).fetchone()


def test_demo_is_deterministic_and_rerun_replaces_it(conn: psycopg.Connection) -> None:
    first = load_demo(conn, "tiny")
    before = _items_fingerprint(conn)
    second = load_demo(conn, "tiny")
    assert _items_fingerprint(conn) == before
    assert (first.items, first.villages, first.allocations) == (second.items, second.villages, second.allocations)
    assert before["n"] == first.items > 1000


def test_everything_generated_is_marked_synthetic(conn: psycopg.Connection) -> None:
    load_demo(conn, "tiny")
    for table in ("plan_items", "plans", "allocations", "organisations"):
        real = conn.execute(f"SELECT count(*) AS n FROM {table} WHERE NOT is_synthetic").fetchone()["n"]
        assert real == 0, table
    villages = conn.execute(
        "SELECT count(*) AS n, bool_and(is_synthetic) AS s FROM areas WHERE level = 'village'"
    ).fetchone()
    assert villages["n"] > 500 and villages["s"] is True


def test_aggregates_reconcile_with_items_to_the_satang(conn: psycopg.Connection) -> None:
    load_demo(conn, "tiny")
    by_level = conn.execute(
        "SELECT p.level, i.fiscal_year, count(*) AS n, sum(i.requested_amount) AS total"
        " FROM plan_items i JOIN plans p ON p.id = i.plan_id GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    national = conn.execute(
        "SELECT plan_level AS level, fiscal_year, items AS n, requested AS total FROM agg_demand"
        " WHERE area_code = 'TH' AND scope = 'total' ORDER BY 1, 2"
    ).fetchall()
    assert national == by_level
    # total(area) = own(area) + Σ total(children), at every province and district.
    broken = conn.execute("""
        SELECT t.area_code, t.plan_level, t.fiscal_year
        FROM agg_demand t
        JOIN areas a ON a.code = t.area_code AND a.level IN ('country', 'province', 'district', 'tambon')
        LEFT JOIN agg_demand o ON o.area_code = t.area_code AND o.scope = 'own'
             AND o.plan_level = t.plan_level AND o.fiscal_year = t.fiscal_year
        LEFT JOIN LATERAL (
            SELECT sum(c.requested) AS requested, sum(c.items) AS items
            FROM agg_demand c JOIN areas ca ON ca.code = c.area_code
            WHERE ca.parent_code = t.area_code AND c.scope = 'total'
              AND c.plan_level = t.plan_level AND c.fiscal_year = t.fiscal_year) k ON true
        WHERE t.scope = 'total'
          AND (t.requested <> coalesce(o.requested, 0) + coalesce(k.requested, 0)
               OR t.items <> coalesce(o.items, 0) + coalesce(k.items, 0))""").fetchall()
    assert broken == []
    supply = conn.execute("SELECT sum(amount) AS a FROM allocations").fetchone()["a"]
    agg = conn.execute("SELECT sum(amount) AS a FROM agg_supply WHERE area_code = 'TH' AND scope = 'total'").fetchone()[
        "a"
    ]
    assert agg == supply


def test_escalation_links_go_up_one_level_with_the_same_need(conn: psycopg.Connection) -> None:
    load_demo(conn, "tiny")
    rows = conn.execute("""
        SELECT lp.rank AS from_rank, up.rank AS to_rank, i.title = e.title AS same_title,
               i.requested_amount = e.requested_amount AS same_amount, i.area_code = e.area_code AS same_area,
               i.beyond_capacity
        FROM plan_items i JOIN plans p ON p.id = i.plan_id JOIN plan_levels lp ON lp.level = p.level
        JOIN plan_items e ON e.id = i.escalated_to_id JOIN plans pe ON pe.id = e.plan_id
        JOIN plan_levels up ON up.level = pe.level""").fetchall()
    assert len(rows) > 100
    assert all(r["to_rank"] == r["from_rank"] + 1 for r in rows)
    assert all(r["same_title"] and r["same_amount"] and r["same_area"] and r["beyond_capacity"] for r in rows)


def test_funnel_resembles_fy2559(conn: psycopg.Connection) -> None:
    load_demo(conn, "small")
    row = conn.execute("""
        SELECT count(*) FILTER (WHERE p.level = 'province') AS proposed,
               count(a.id) FILTER (WHERE p.level = 'province') AS in_request,
               count(a.id) FILTER (WHERE p.level = 'province' AND a.status = 'funded') AS funded
        FROM plan_items i JOIN plans p ON p.id = i.plan_id
        LEFT JOIN allocations a ON a.plan_item_id = i.id AND a.funding_source = 'agency'""").fetchone()
    print(row)
    assert row["in_request"] / row["proposed"] == pytest.approx(P_IN_REQUEST, abs=0.04)
    assert row["funded"] / row["in_request"] == pytest.approx(P_FUNDED, abs=0.06)


def test_schematic_map_without_boundaries(conn: psycopg.Connection) -> None:
    report = load_demo(conn, "tiny")
    assert report.schematic
    sources = conn.execute("SELECT level, source, count(*) AS n FROM area_web_geom GROUP BY 1, 2 ORDER BY 1").fetchall()
    assert {(r["level"], r["source"]) for r in sources} == {
        ("cluster", "schematic"),
        ("province", "schematic"),
        ("district", "schematic"),
        ("tambon", "schematic"),
    }
    assert {r["level"]: r["n"] for r in sources}["tambon"] == 7436
    row = conn.execute("""
        SELECT count(*) AS n, count(*) FILTER (WHERE v.point_approximate) AS approximate,
               count(*) FILTER (WHERE ST_Within(v.point, ST_SetSRID(ST_GeomFromGeoJSON(w.geojson), 4326))) AS inside,
               count(DISTINCT v.point) AS distinct_points
        FROM areas v JOIN area_web_geom w ON w.code = v.parent_code AND w.level = 'tambon'
        WHERE v.level = 'village'""").fetchone()
    assert row["n"] == report.villages
    assert row["n"] == row["approximate"] == row["inside"] == row["distinct_points"]


def test_demo_on_real_boundaries_places_villages_inside_tambons(conn: psycopg.Connection, shared_data: Path) -> None:
    load_boundaries(conn, [shared_data / "boundaries"])
    report = load_demo(conn, "tiny")
    assert not report.schematic
    row = conn.execute("""
        SELECT count(*) AS n,
               count(*) FILTER (WHERE v.point_approximate) AS approximate,
               count(*) FILTER (WHERE ST_Covers(t.geom, v.point)) AS inside
        FROM areas v JOIN areas t ON t.code = v.parent_code
        WHERE v.level = 'village' AND v.point IS NOT NULL""").fetchone()
    assert row["n"] > 500
    # placed in the boundary polygon itself (not the simplified map shape): all inside
    assert row["n"] == row["approximate"] == row["inside"]


def _villages(conn: psycopg.Connection) -> dict[str, tuple]:
    rows = conn.execute(
        "SELECT code, name_th, status, is_synthetic, ST_AsText(point) AS point, point_approximate"
        " FROM areas WHERE level = 'village' ORDER BY code"
    ).fetchall()
    return {r["code"]: (r["name_th"], r["status"], r["is_synthetic"], r["point"], r["point_approximate"]) for r in rows}


def test_demo_uses_the_real_villages_where_the_list_is_loaded(conn: psycopg.Connection, shared_data: Path) -> None:
    load_villages(conn, shared_data / GEOCODE / "geocode37.xml.gz")  # Amnat Charoen only
    real = {c: v for c, v in _villages(conn).items() if not v[2]}
    current = {c for c, v in real.items() if v[1] == "current"}
    assert len(current) > 500 and all(c.startswith("37") for c in real)

    report = load_demo(conn, "tiny")  # provinces 37 and 22
    assert report.real_villages == len(current)
    after = _villages(conn)
    # No invented village in province 37; province 22 (no list loaded) gets invented ones.
    assert not [c for c, v in after.items() if v[2] and c.startswith("37")]
    assert len([c for c, v in after.items() if v[2] and c.startswith("22")]) == report.villages - len(current) > 500
    # The real villages stay real, named as the list names them, and get approximate points
    # on the schematic map (no boundaries loaded): one per village, all distinct.
    assert all(after[c][:3] == real[c][:3] for c in real)
    assert all(after[c][3] is not None and after[c][4] for c in current)
    assert len({after[c][3] for c in current}) == len(current)

    # The demo's items in province 37 point at real villages (and name them); none at an
    # invented or abolished one.
    rows = conn.execute("""
        SELECT left(i.area_code, 2) AS province, count(*) AS n,
               count(*) FILTER (WHERE NOT a.is_synthetic AND a.status = 'current') AS real,
               count(*) FILTER (WHERE strpos(i.title, a.name_th) > 0) AS named,
               count(DISTINCT i.area_code) AS villages
        FROM plan_items i JOIN areas a ON a.code = i.area_code
        WHERE i.location_precision = 'village' GROUP BY 1 ORDER BY 1""").fetchall()
    by_province = {r["province"]: r for r in rows}
    assert by_province["37"]["n"] == by_province["37"]["real"] == by_province["37"]["named"] > 1000
    assert by_province["37"]["villages"] > 0.9 * len(current)
    assert by_province["22"]["real"] == 0 and by_province["22"]["named"] == by_province["22"]["n"] > 1000

    # Deterministic for the same database content; demo_clear never deletes a real village.
    before = _items_fingerprint(conn)
    again = load_demo(conn, "tiny")
    assert _items_fingerprint(conn) == before
    assert (again.villages, again.real_villages, again.items) == (report.villages, report.real_villages, report.items)
    assert _villages(conn) == after
