"""Calendar compliance and overlaps on the demo data, checked against the generator's truth."""

from __future__ import annotations

import geothai
import pandas as pd
import psycopg
import pytest

from etl.demo import SIZES, generate
from geodata.compliance import notice_compliance, plan_compliance
from geodata.gazetteer import default_clusters_csv, read_clusters

FY = 2569


@pytest.fixture()
def demo(demo_conn: psycopg.Connection):
    """The database holding the tiny demo, and the generator's own frames (the truth)."""
    conn = demo_conn
    tambons = pd.DataFrame(
        [
            (s.code, s.name_th)
            for p in geothai.provinces()
            for d in geothai.districts(p.code)
            for s in geothai.subdistricts(d.code)
        ],
        columns=["code", "name_th"],
    )
    clusters = {m.province_code: m.cluster_code for m in read_clusters(default_clusters_csv())}
    return conn, generate(tambons, SIZES["tiny"], clusters)


def test_late_plans_are_exactly_the_ones_the_generator_made_late(demo) -> None:
    conn, truth = demo
    rows = plan_compliance(conn, "TH", FY)
    flagged = {(r.level, r.area_code) for r in rows if r.status == "late"}
    plans = truth.plans[truth.plans["fiscal_year"] == FY]
    expected = {(p.level, p.area_code) for p in plans.itertuples() if p.late}
    assert flagged == expected
    assert len(rows) == len(plans) and all(r.status in ("on_time", "late") for r in rows)
    assert 0.05 < len(flagged) / len(rows) < 0.15
    worst = rows[0]
    assert worst.status == "late" and worst.days_late == max(r.days_late or 0 for r in rows)
    only_37 = plan_compliance(conn, "37", FY)
    assert only_37 and all(r.area_code.startswith("37") for r in only_37)


def test_late_notices_are_exactly_the_generators(demo) -> None:
    conn, truth = demo
    units = notice_compliance(conn, "TH", FY)
    flagged = {(u.agency, u.province_code) for u in units if u.overdue}
    allocs = truth.allocations[
        (truth.allocations["fiscal_year"] == FY)
        & (truth.allocations["funding_source"] == "agency")
        & (truth.allocations["status"] == "funded")
    ]
    agencies = {
        r["id"]: r["name_th"] for r in conn.execute("SELECT id, name_th FROM organisations WHERE kind = 'agency'")
    }
    names = dict(zip(truth.organisations["id"], truth.organisations["name_th"]))
    expected = {(names[a.agency_id], a.area_code[:2]) for a in allocs.itertuples() if a.late_notice}
    assert flagged == expected
    assert set(agencies.values()) >= {u.agency for u in units}
    assert sum(u.funded_items for u in units) == len(allocs)


def test_overlaps_find_every_duplicate_the_generator_planted(demo) -> None:
    conn, truth = demo
    planted = truth.allocations[truth.allocations["source_key"].str.startswith("demo-overlap-")]
    assert len(planted) > 0
    rows = conn.execute(
        "SELECT o.*, a.source_key FROM overlap_pairs o JOIN allocations a"
        " ON (o.a_kind = 'allocation' AND a.id = o.a_id) OR (o.b_kind = 'allocation' AND a.id = o.b_id)"
        " WHERE a.source_key LIKE 'demo-overlap-%%'"
    ).fetchall()
    found = {r["source_key"] for r in rows}
    assert found == set(planted["source_key"])
    assert all(r["similarity"] >= 0.9 and r["a_source"] != r["b_source"] for r in rows)
    total = conn.execute("SELECT count(*) AS n FROM overlap_pairs").fetchone()["n"]
    print(f"\noverlaps: {total} pairs, {len(found)} of {len(planted)} planted duplicates found")
