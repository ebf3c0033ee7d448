"""`planmap demo`: deterministic synthetic data on the real gazetteer, marked as synthetic,
whose pre-aggregates reconcile to the satang with the items; schematic map without boundaries."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from etl.demo import P_FUNDED, P_IN_REQUEST
from etl.demo_load import load_demo
from etl.geoload import load_boundaries


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
    outside = conn.execute("""
        SELECT count(*) AS n FROM areas v JOIN area_web_geom w ON w.code = v.parent_code
        WHERE v.level = 'village' AND NOT ST_Within(v.point, ST_SetSRID(ST_GeomFromGeoJSON(w.geojson), 4326))""").fetchone()
    assert outside["n"] == 0


def test_demo_on_real_boundaries_places_villages_inside_tambons(conn: psycopg.Connection, shared_data: Path) -> None:
    load_boundaries(conn, [shared_data / "boundaries"])
    report = load_demo(conn, "tiny")
    assert not report.schematic
    row = conn.execute("""
        SELECT count(*) AS n,
               count(*) FILTER (WHERE ST_Covers(t.geom, v.point)) AS inside
        FROM areas v JOIN areas t ON t.code = v.parent_code
        WHERE v.level = 'village' AND v.point IS NOT NULL""").fetchone()
    assert row["n"] > 500
    assert row["inside"] / row["n"] > 0.99
