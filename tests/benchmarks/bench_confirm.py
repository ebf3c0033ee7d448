"""Benchmark of a browser upload from confirm to visible on the map (a script, not a test).

    PLANMAP_DATA_DIR=/tmp/pm-bench PLANMAP_PG_PORT=54410 \\
        .venv/bin/python -m tests.benchmarks.bench_confirm [--rows 5000] [--province 30]

On the national demo (≈1,000,000 plan items, loaded beforehand: see bench_refresh --load):

1. builds a province workbook (XLSX in the planmap template layout) of ``--rows`` coded rows:
   province-level plan items on the province's villages, in its latest fiscal year;
2. times the upload's dry run (``etl.upload.dry_run``: read, check, locate, difference, rolled
   back), the confirm (``etl.upload.confirm``: the same, loaded, the aggregates and the overlap
   list refreshed where the load touched them, committed), then the map's query of the
   province's districts (``geodata.queries.children``), which must show the new demand; then a
   second confirm of the same file (every row unchanged: nothing to refresh);
3. the baseline, same run, same data: the full refresh of the aggregates (in a transaction
   rolled back), and the ratios of each step to it;
4. removes the source (``etl.sources.remove_source``, as ``planmap source remove``: its rows,
   the plans only it made, full refresh) and checks that the data is as before (a fingerprint of
   plan items, plans, sources and aggregates). The runs and the audit trail keep their record of
   the upload, as for any upload.

Goal: confirm to visible on the map ≤ 5 s. The database is PLANMAP_DATABASE_URL, or the
private cluster of PLANMAP_DATA_DIR/PLANMAP_PG_PORT; it is left as it was.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import psycopg
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from etl import upload  # noqa: E402
from etl.db import refresh_aggregates  # noqa: E402
from etl.sources import SourceError, find_source, remove_source  # noqa: E402
from geodata.db import connect  # noqa: E402
from geodata.queries import Filters, children  # noqa: E402
from geodata.settings import Settings, load_settings  # noqa: E402

HEADER = ["เลขที่อ้างอิง", "ชื่อโครงการ", "วงเงิน", "รหัสพื้นที่", "ปีงบประมาณ", "ด้าน"]
SECTORS = ("โครงสร้างพื้นฐาน", "เศรษฐกิจ", "สังคม", "ทรัพยากรธรรมชาติและสิ่งแวดล้อม")
FINGERPRINT = """
SELECT (SELECT count(*) FROM plan_items) AS items,
       (SELECT coalesce(sum(requested_amount), 0) FROM plan_items) AS requested,
       (SELECT count(*) FROM plans) AS plans,
       (SELECT count(*) FROM sources) AS sources,
       (SELECT count(*) FROM areas) AS areas,
       (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM agg_demand t) AS agg_demand,
       (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM agg_supply t) AS agg_supply,
       (SELECT count(*) FROM overlap_pairs) AS overlaps
"""


def workbook(conn: psycopg.Connection, province: str, rows: int, fiscal_year: int, seed: int) -> bytes:
    """``rows`` coded plan items on the villages of ``province`` (each row's text distinct)."""
    villages = [
        r["code"]
        for r in conn.execute(
            "SELECT code FROM areas WHERE level = 'village' AND code LIKE %s AND status <> 'abolished' ORDER BY code",
            [province + "%"],
        )
    ]
    if not villages:
        raise SystemExit(f"no villages of province {province} in the database: load the national demo first")
    rng = random.Random(seed)
    book = Workbook()
    sheet = book.active
    sheet.title = "แผนพัฒนา"
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append(
            [
                f"BENCH-{province}-{i:05d}",
                f"โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก บ้านทดสอบ สายที่ {i + 1}",
                rng.randint(50, 5_000) * 1_000,
                rng.choice(villages),
                fiscal_year,
                rng.choice(SECTORS),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def province_demand(conn: psycopg.Connection, province: str, fiscal_year: int) -> tuple[float, Decimal]:
    """What the map draws for the province (its districts' requested demand) and how long it took."""
    started = time.perf_counter()
    rows = children(conn, province, "district", Filters(fiscal_year=fiscal_year, plan_level="province"))
    seconds = time.perf_counter() - started
    return seconds, sum((r.current.requested for r in rows), Decimal(0))


def full_refresh(conn: psycopg.Connection) -> float:
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        started = time.perf_counter()
        refresh_aggregates(cur)
        return time.perf_counter() - started


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--province", default="30", help="the province of the workbook (default 30, the largest)")
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2568)
    parser.add_argument("--min-items", type=int, default=900_000)
    args = parser.parse_args(argv)
    settings = settings or load_settings()
    name = f"bench_confirm province {args.province}"
    filename = f"bench-confirm-{args.province}.xlsx"

    with connect(settings, autocommit=True) as conn:
        items = conn.execute("SELECT count(*) AS n FROM plan_items").fetchone()["n"]
        if items < args.min_items:
            raise SystemExit(f"{items:,} plan items: load the national demo first (bench_refresh --load)")
        try:  # left by a run that was stopped before its clean-up
            find_source(conn, "plans", name)
            remove_source(conn, "plans", name, by="bench_confirm")
            print(f"removed source {name!r} left by an earlier run")
        except SourceError:
            pass
        fy = conn.execute(
            "SELECT max(fiscal_year) AS fy FROM plan_items WHERE area_code LIKE %s", [args.province + "%"]
        ).fetchone()["fy"]
        before = conn.execute(FINGERPRINT).fetchone()
        _, demand_before = province_demand(conn, args.province, fy)
        data = workbook(conn, args.province, args.rows, fy, args.seed)
    print(f"database: {items:,} plan items; workbook: {args.rows:,} rows, province {args.province}, FY {fy}")

    upload_args = (settings, data, filename, "plans", "province", fy, name)
    started = time.perf_counter()
    dry = upload.dry_run(*upload_args)
    dry_s = time.perf_counter() - started
    assert dry.status == "dry_run" and dry.count("new") == args.rows, (dry.status, dry.count("new"))

    failed = False
    try:
        started = time.perf_counter()
        first = upload.confirm(*upload_args, by="bench_confirm")
        confirm_s = time.perf_counter() - started
        with connect(settings, autocommit=True) as conn:
            map_s, demand_after = province_demand(conn, args.province, fy)
        visible_s = confirm_s + map_s
        assert first.status == "loaded" and first.count("new") == args.rows, (first.status, first.count("new"))
        added = demand_after - demand_before
        assert added == first.amount("new"), (added, first.amount("new"))

        started = time.perf_counter()
        second = upload.confirm(*upload_args, by="bench_confirm")
        again_s = time.perf_counter() - started
        assert second.status == "loaded" and not any(second.count(c) for c in ("new", "changed", "retired"))

        with connect(settings, autocommit=True) as conn:
            full_s = full_refresh(conn)
    except BaseException:
        failed = True
        raise
    finally:
        with connect(settings, autocommit=True) as conn:
            started = time.perf_counter()
            try:
                remove_source(conn, "plans", name, by="bench_confirm")
            except SourceError:
                pass  # nothing was loaded
            remove_s = time.perf_counter() - started
            after = conn.execute(FINGERPRINT).fetchone()
        same = after == before
        if not same:
            print(f"the data differs after the clean-up: before {before}, after {after}")
        if failed:
            print(f"clean-up after a failure: source removed in {remove_s:.1f} s; data as before: {same}")

    print(f"dry run:                                  {dry_s:7.2f} s  ({dry_s / full_s:.3f} of a full refresh)")
    print(f"confirm (load, refresh, commit):          {confirm_s:7.2f} s  ({confirm_s / full_s:.3f})")
    print(f"map query of the province after it:       {map_s:7.2f} s  (its demand +{added:,.2f} baht)")
    print(f"confirm to visible on the map:            {visible_s:7.2f} s  ({visible_s / full_s:.3f})  (goal ≤ 5 s)")
    print(f"second confirm of the same file:          {again_s:7.2f} s  ({again_s / full_s:.3f})")
    print(f"baseline: full refresh of the aggregates: {full_s:7.2f} s")
    print(f"clean-up: source removed (full refresh):  {remove_s:7.2f} s; data as before: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
