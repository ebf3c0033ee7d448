"""Benchmark of the incremental refresh of the pre-aggregates (a script, not a test).

On the national demo, in one transaction that is rolled back at the end (the database is left
as it was): a province workbook of ``--rows`` rows is simulated in one province (a quarter new
items, the rest existing items of the province changed: amounts, flags, some moved to another
district of it, some moved to another province), then

1. the incremental refresh of what that touched (etl.db.refresh_aggregates with a Touched), best
   of ``--repeat`` (each in a savepoint rolled back),
2. the full refresh (the baseline, same run, same data),

and prints both in seconds and the ratio incremental / full (goal: the incremental ≤ 5 s).
``--check`` also compares every aggregate table after the incremental refresh with the full
refresh's, row for row; ``--profile`` prints the slowest statements of the incremental refresh
with their plans (EXPLAIN ANALYZE).

    # the bench cluster, with the national demo on real boundaries (loaded when missing)
    PLANMAP_DATA_DIR=/tmp/pm-bench PLANMAP_PG_PORT=54410 \\
        .venv/bin/python -m tests.benchmarks.bench_refresh --load --boundaries ../shared/data/boundaries

The database is PLANMAP_DATABASE_URL, or the private cluster of PLANMAP_DATA_DIR/PLANMAP_PG_PORT.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from etl.db import Touched, query, refresh_aggregates  # noqa: E402
from etl.overlaps import refresh_overlaps, refresh_overlaps_after_load  # noqa: E402
from geodata.db import connect  # noqa: E402
from geodata.settings import Settings, load_settings  # noqa: E402

TABLES = ("item_funding", "agg_demand_sector", "agg_demand", "agg_supply", "agg_supply_detail", "agg_funnel")


def simulate_workbook(cur: psycopg.Cursor, province: str, rows: int, seed: int) -> Touched:
    """Change and add ``rows`` items of ``province`` (its latest fiscal year) as a re-imported
    workbook would; returns what that touched, before and after (as a load computes it)."""
    fy = cur.execute(
        "SELECT max(fiscal_year) AS fy FROM plan_items WHERE area_code LIKE %s", [province + "%"]
    ).fetchone()["fy"]
    cur.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
    cur.execute("DROP TABLE IF EXISTS bench_changed")
    cur.execute(
        "CREATE TEMP TABLE bench_changed ON COMMIT DROP AS"
        " SELECT id FROM plan_items WHERE area_code LIKE %s AND fiscal_year = %s ORDER BY random() LIMIT %s",
        [province + "%", fy, rows - rows // 4],
    )
    changed = cur.execute("SELECT count(*) AS n FROM bench_changed").fetchone()["n"]
    touched = _areas(cur)
    other = cur.execute(
        "SELECT code FROM areas WHERE level = 'village' AND code NOT LIKE %s ORDER BY code LIMIT 1", [province + "%"]
    ).fetchone()["code"]
    district = cur.execute(
        "SELECT code FROM areas WHERE level = 'village' AND code LIKE %s ORDER BY code DESC LIMIT 1", [province + "%"]
    ).fetchone()["code"]
    cur.execute(
        "UPDATE plan_items i SET requested_amount = round((requested_amount * (0.5 + random()))::numeric, -3),"
        " beyond_capacity = random() < 0.5,"
        " area_code = CASE WHEN random() < 0.02 THEN %s WHEN random() < 0.05 THEN %s ELSE area_code END"
        " FROM bench_changed c WHERE i.id = c.id",
        [other, district],
    )
    new = cur.execute(
        "INSERT INTO plan_items (plan_id, item_key, title, sector, area_code, location_precision, fiscal_year,"
        " requested_amount, beyond_capacity, escalated_to_id)"
        " SELECT plan_id, 'bench-' || id, title, sector, area_code, location_precision, fiscal_year,"
        " requested_amount, beyond_capacity, escalated_to_id FROM plan_items"
        " WHERE area_code LIKE %s AND fiscal_year = %s AND id NOT IN (SELECT id FROM bench_changed)"
        " ORDER BY id LIMIT %s RETURNING id",
        [province + "%", fy, rows // 4],
    ).fetchall()
    cur.execute("INSERT INTO bench_changed SELECT unnest(%s::bigint[])", [[r["id"] for r in new]])
    print(f"workbook: {changed:,} items of province {province} changed and {len(new):,} added, fiscal year {fy}")
    return touched | _areas(cur)


def _areas(cur: psycopg.Cursor) -> Touched:
    """The areas and years of the changed items and of the rows linked to them (Touched's contract)."""
    rows = cur.execute(
        "SELECT area_code, fiscal_year FROM plan_items WHERE id IN (SELECT id FROM bench_changed)"
        " UNION SELECT t.area_code, t.fiscal_year FROM plan_items i JOIN plan_items t ON t.id = i.escalated_to_id"
        "   WHERE i.id IN (SELECT id FROM bench_changed)"
    ).fetchall()
    return Touched.of((r["area_code"], r["fiscal_year"]) for r in rows)


def timed_incremental(conn: psycopg.Connection, touched: Touched, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        with conn.transaction(force_rollback=True), conn.cursor() as cur:
            started = time.perf_counter()
            refresh_aggregates(cur, touched)
            best = min(best, time.perf_counter() - started)
    return best


def timed_overlaps(conn: psycopg.Connection, repeat: int) -> tuple[float, float, bool]:
    """The overlap list after the workbook: refreshed as a load does (the rows it changed stand
    for the load's before_rows and upserted_rows), best of ``repeat``, then the full refresh; and
    whether both leave the same rows."""
    pairs = (
        "SELECT fiscal_year, tambon_code, a_kind, a_id, a_source, a_title, a_amount, b_kind, b_id, b_source,"
        " b_title, b_amount, similarity FROM overlap_pairs"
    )
    best, rows = float("inf"), None
    for _ in range(repeat):
        with conn.transaction(force_rollback=True), conn.cursor() as cur:
            for table in ("before_rows", "upserted_rows"):
                cur.execute(f"DROP TABLE IF EXISTS {table}")
                cur.execute(f"CREATE TEMP TABLE {table} ON COMMIT DROP AS SELECT id FROM bench_changed")
            started = time.perf_counter()
            refresh_overlaps_after_load(conn, "plans")
            best = min(best, time.perf_counter() - started)
            rows = sorted(map(repr, cur.execute(pairs).fetchall()))
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        started = time.perf_counter()
        refresh_overlaps(conn)
        full = time.perf_counter() - started
        same = rows == sorted(map(repr, cur.execute(pairs).fetchall()))
    return best, full, same


def profile(conn: psycopg.Connection, touched: Touched, top: int = 4) -> None:
    """Each statement of the incremental refresh timed under EXPLAIN ANALYZE; the slowest shown."""
    params = {"areas": sorted(touched.areas), "years": sorted(touched.years)}
    timings = []
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        for name in ("refresh_aggregates_scope", "refresh_aggregates_rollup"):
            for statement in _statements(query(name)):
                head = " ".join(statement.split()[:4]).upper()
                explain = head.startswith(("INSERT", "DELETE", "WITH", "SELECT")) or (
                    head.startswith("CREATE TEMP TABLE") and " AS\n" in statement + "\n"
                )
                started = time.perf_counter()
                cur.execute(("EXPLAIN (ANALYZE, BUFFERS) " if explain else "") + statement, params)
                text = "\n".join(r["QUERY PLAN"] for r in cur.fetchall()) if explain else ""
                timings.append((time.perf_counter() - started, name, statement, text))
    print(f"\nslowest statements of the incremental refresh (total {sum(t[0] for t in timings):.2f} s):")
    for seconds, name, statement, text in sorted(timings, key=lambda t: -t[0])[:top]:
        first = " ".join(statement.split())[:110]
        print(f"\n{seconds:6.2f} s  {name}: {first}")
        if text:
            print("\n".join("    " + line for line in text.splitlines()[:200]))


def _statements(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [p.strip().rstrip(";") for p in "\n".join(lines).split(";\n") if p.strip().rstrip(";").strip()]


def compare(cur: psycopg.Cursor) -> int:
    """Rows that differ between each aggregate table and its snapshot (bench_snap_<table>)."""
    differing = 0
    for table in TABLES:
        differing += cur.execute(
            f"SELECT (SELECT count(*) FROM (TABLE bench_snap_{table} EXCEPT ALL TABLE {table}) a)"
            f" + (SELECT count(*) FROM (TABLE {table} EXCEPT ALL TABLE bench_snap_{table}) b) AS n"
        ).fetchone()["n"]
    return differing


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--province", default="30", help="the province of the workbook (default 30, the largest)")
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2568)
    parser.add_argument("--check", action="store_true", help="compare every table with the full refresh's")
    parser.add_argument("--profile", action="store_true", help="EXPLAIN ANALYZE the slowest statements")
    parser.add_argument("--load", action="store_true", help="load the national demo when missing")
    parser.add_argument("--boundaries", type=Path, default=None)
    parser.add_argument("--min-items", type=int, default=900_000)
    args = parser.parse_args(argv)

    settings = settings or load_settings()
    with connect(settings) as conn:
        if args.load:
            from etl.demo_load import load_demo
            from etl.geoload import load_boundaries
            from geodata.prepare import prepare_database

            prepare_database(conn, settings)
            if conn.execute("SELECT count(*) AS n FROM plan_items").fetchone()["n"] < args.min_items:
                if args.boundaries:
                    print(load_boundaries(conn, [args.boundaries]).describe())
                print(load_demo(conn, "national").describe())
            conn.commit()
        items = conn.execute("SELECT count(*) AS n FROM plan_items").fetchone()["n"]
        print(f"database: {items:,} plan items")
        with conn.transaction(force_rollback=True), conn.cursor() as cur:  # the database is left as it was
            touched = simulate_workbook(cur, args.province, args.rows, args.seed)
            print(f"touched: {len(touched.areas):,} areas, fiscal years {sorted(touched.years)}")
            cur.execute("ANALYZE plan_items")  # as after a load's COPY (the full refresh does it too)
            incremental = timed_incremental(conn, touched, args.repeat)
            overlaps, overlaps_full, overlaps_same = timed_overlaps(conn, args.repeat)
            if args.profile:
                profile(conn, touched)
            if args.check:
                refresh_aggregates(cur, touched)
                for table in TABLES:
                    cur.execute(f"CREATE TEMP TABLE bench_snap_{table} ON COMMIT DROP AS TABLE {table}")
            started = time.perf_counter()
            refresh_aggregates(cur)
            full = time.perf_counter() - started
            differing = compare(cur) if args.check else None
    print(f"incremental refresh (one province, best of {args.repeat}): {incremental:8.2f} s  (goal ≤ 5 s)")
    print(f"full refresh (whole country):                  {full:8.2f} s")
    print(f"ratio incremental / full:                      {incremental / full:8.3f}")
    if differing is not None:
        print(f"rows differing from the full refresh: {differing}")
    print(f"overlap list after the load (best of {args.repeat}):   {overlaps:8.2f} s")
    print(f"overlap list, full refresh:                    {overlaps_full:8.2f} s")
    print(f"ratio incremental / full (overlaps):           {overlaps / overlaps_full:8.3f}")
    print(f"overlap pairs equal to the full refresh's: {overlaps_same}")
    print(f"aggregates + overlaps after the load:          {incremental + overlaps:8.2f} s")
    return 0 if not differing and overlaps_same else 1


if __name__ == "__main__":
    sys.exit(main())
