"""Benchmark of `planmap import` (a script, not a test; run it, read the ratios).

    .venv/bin/python -m tests.benchmarks.bench_import [--rows 1000000]

1. Generates N coded plan items in planmap's template layout (CSV) on the real gazetteer.
2. The earlier baseline: a raw COPY of the file's rows straight into the indexed ``plan_items``
   table under one plan, with no source and no run (no parsing, no checks, no merge).
3. The real import of the same file (read → normalise → validate → stage → merge → refresh).
4. The baseline, same run, same machine: a raw COPY of the very rows the import wrote (its
   villages, its source, its plans, its plan items with their plan, source and run) into the same indexed
   tables, emptied first. This is the floor of writing that result; step 2 writes fewer rows
   (one plan instead of one per village and year) with two fewer foreign keys per item.
5. The location parser over every text of the FY2565 Budget Bill (cold cache, then warm).
Prints rows/s and the import/COPY ratios (goal ≥ 0.5 against step 4) and the parser's rows/s
(goal ≥ 20,000).
Uses its own private cluster (PLANMAP_DATA_DIR=/tmp/planmap-bench, port 54420, unless
PLANMAP_DATA_DIR / PLANMAP_PG_PORT say otherwise) unless PLANMAP_DATABASE_URL is set; the
database ``bench_import`` is dropped and recreated.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from psycopg import sql

from etl.bounds import Limits
from etl.importer import import_plans
from etl.locate import Locator
from geodata.db import connect
from geodata.pgcluster import PrivateCluster
from geodata.prepare import prepare_database
from geodata.settings import Settings, load_settings
from tests.helpers import shared_data_dir

HEADER = ["เลขที่อ้างอิง", "ชื่อโครงการ", "วงเงิน", "รหัสพื้นที่", "ปีงบประมาณ", "ด้าน"]


def database(settings: Settings) -> Settings:
    if settings.database_url:
        return settings
    # PLANMAP_DATA_DIR / PLANMAP_PG_PORT (environment or .env) choose another private cluster
    chosen = settings.model_fields_set
    bench = load_settings(
        data_dir=settings.data_dir if "data_dir" in chosen else Path("/tmp/planmap-bench"),
        pg_port=settings.pg_port if "pg_port" in chosen else 54420,
        db_name="postgres",
    )
    cluster = PrivateCluster(bench)
    cluster.start()
    cluster.drop_database("bench_import")
    cluster.ensure_database("bench_import")
    return load_settings(database_url=cluster.url("bench_import"))


def generate(path: Path, rows: int, tambons: list[str]) -> None:
    rng = random.Random(2568)
    # Two rows with the same text as written (title, place, amount, year) are one item written
    # twice (etl.records), whatever their references: each row's text is kept distinct.
    written: set[tuple[int, str, int, int]] = set()
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(rows):
            while True:
                code = rng.choice(tambons) + f"{rng.randint(1, 15):02d}"
                text = (i % 997, code, rng.randint(10, 5000), rng.choice((2568, 2569)))
                if text not in written:
                    written.add(text)
                    break
            out.writerow(
                [
                    f"B{i:07d}",
                    f"ก่อสร้างถนนคอนกรีตเสริมเหล็ก สายที่ {text[0]}",
                    f"{text[2] * 1000}.00",
                    code,
                    text[3],
                    "โครงสร้างพื้นฐาน",
                ]
            )


def raw_copy(settings: Settings, path: Path) -> float:
    """The floor: the same rows COPYed straight into plan_items (all indexes in place)."""
    frame = pd.read_csv(path, dtype=str)
    with connect(settings) as conn:
        plan = conn.execute(
            "INSERT INTO plans (level, area_code, fiscal_year) VALUES ('village', 'TH', 2568) RETURNING id"
        ).fetchone()["id"]
        conn.execute(
            "INSERT INTO areas (code, level, parent_code, name_th)"
            " SELECT DISTINCT c, 'village', left(c, 6), 'หมู่ที่ ' || right(c, 2)::int"
            " FROM unnest(%s::text[]) c ON CONFLICT DO NOTHING",
            [sorted(set(frame["รหัสพื้นที่"]))],
        )
        conn.commit()
        started = time.perf_counter()
        with conn.cursor().copy(
            "COPY plan_items (plan_id, item_key, title, sector, area_code, location_precision,"
            " fiscal_year, requested_amount) FROM STDIN"
        ) as copy:
            for ref, title, amount, code, year, sector in frame.itertuples(index=False, name=None):
                copy.write_row([plan, ref, title, sector, code, "village", year, amount])
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute("TRUNCATE plan_items, plans CASCADE")
        conn.execute("DELETE FROM areas WHERE level = 'village'")
        conn.commit()
    return seconds


# What the import writes, in the order a COPY must restore it (each table's rows of this run).
WRITTEN = (
    ("areas", "level = 'village'"),
    ("sources", "true"),
    ("plans", "true"),
    ("plan_items", "true"),
)


def raw_copy_written(settings: Settings, folder: Path) -> tuple[float, dict[str, float]]:
    """The floor: the rows the import wrote, dumped, their tables emptied, then COPYed back with
    every index, constraint and foreign key in place (timed: the COPY and its commit); the whole,
    and each table's COPY."""
    files = {table: folder / f"{table}.copy" for table, _where in WRITTEN}
    with connect(settings) as conn:
        for table, where in WRITTEN:
            with (
                files[table].open("wb") as out,
                conn.cursor().copy(
                    sql.SQL("COPY (SELECT * FROM {} WHERE {}) TO STDOUT").format(sql.Identifier(table), sql.SQL(where))
                ) as copy,
            ):
                for block in copy:
                    out.write(block)
        conn.execute("TRUNCATE plan_items, plans, sources CASCADE")
        conn.execute("DELETE FROM areas WHERE level = 'village'")
        conn.commit()
        started = time.perf_counter()
        tables: dict[str, float] = {}
        for table, _where in WRITTEN:
            began = time.perf_counter()
            with (
                files[table].open("rb") as source,
                conn.cursor().copy(sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(table))) as copy,
            ):
                while block := source.read(1 << 20):
                    copy.write(block)
            tables[table] = time.perf_counter() - began
        conn.commit()
        return time.perf_counter() - started, tables


def bench_locator() -> None:
    folder = shared_data_dir() / "budget" / "fy2565_kaogeek_napatswift"
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(folder.glob("*.csv.gz"))]
    bill = pd.concat(frames, ignore_index=True)
    columns = [
        "ITEM_DESCRIPTION",
        "PROJECT",
        "OUTPUT",
        "CATEGORY_LV6",
        "CATEGORY_LV5",
        "CATEGORY_LV4",
        "CATEGORY_LV3",
        "CATEGORY_LV2",
        "CATEGORY_LV1",
    ]
    rows = [[t for t in texts if t] for texts in bill[columns].itertuples(index=False, name=None)]
    units = bill["BUDGETARY_UNIT"].tolist()
    locator = Locator()
    for label in ("cold cache", "warm cache"):  # the second pass reuses the first pass's cache
        started = time.perf_counter()
        for texts, unit in zip(rows, units):
            locator.locate_best(texts, province=unit.removeprefix("จังหวัด") if unit.startswith("จังหวัด") else None)
        seconds = time.perf_counter() - started
        print(
            f"location parser, Budget Bill ({len(rows):,} rows, {label}): {len(rows) / seconds:,.0f} rows/s"
            " (goal ≥ 20,000)"
        )


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> None:
    with contextlib.ExitStack() as stack:
        _main(stack, argv, settings)


def _main(stack: contextlib.ExitStack, argv: Sequence[str] | None, settings: Settings | None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-locator", action="store_true")
    parser.add_argument(
        "--no-refresh", action="store_true", help="leave out the refresh of the pre-aggregates (time the rest alone)"
    )
    args = parser.parse_args(argv)
    if args.no_refresh:
        from unittest import mock

        stack.enter_context(mock.patch("etl.load.refresh_aggregates", lambda cur, touched=None: None))
    settings = settings or database(load_settings())
    with connect(settings) as conn:
        prepare_database(conn, settings)
        tambons = [
            r["code"]
            for r in conn.execute("SELECT code FROM areas WHERE level = 'tambon' AND status = 'current'").fetchall()
        ]
        conn.commit()
    path = Path(tempfile.gettempdir()) / f"planmap-bench-items-{args.rows}.csv"
    generate(path, args.rows, tambons)
    items_copy_seconds = raw_copy(settings, path)
    # a deliberate bulk load: the operator raises the per-file limits (etl.bounds.Limits)
    bulk = Limits(file_bytes=max(path.stat().st_size + 1, Limits().file_bytes), rows=max(args.rows, Limits().rows))
    with connect(settings, autocommit=True) as conn:
        started = time.perf_counter()
        report = import_plans(conn, [path], level="village", limits=bulk)
        import_seconds = time.perf_counter() - started
    assert report.result.inserted == args.rows, report.summary()
    with tempfile.TemporaryDirectory() as folder:
        copy_seconds, tables = raw_copy_written(settings, Path(folder))
    import_rate = args.rows / import_seconds
    print(f"rows: {args.rows:,}")
    print(f"raw COPY of the rows the import wrote:    {copy_seconds:6.1f} s  {args.rows / copy_seconds:10,.0f} rows/s")
    print("  of which " + ", ".join(f"{table} {seconds:.1f} s" for table, seconds in tables.items()))
    print(f"planmap import (whole):                   {import_seconds:6.1f} s  {import_rate:10,.0f} rows/s")
    print(
        f"ratio import / raw COPY of the same rows: {copy_seconds / import_seconds:.2f}  (goal ≥ 0.5)"
        + ("  [without the refresh of the pre-aggregates]" if args.no_refresh else "")
    )
    print(
        f"  (earlier baseline, the file's rows into plan_items alone under one plan: {items_copy_seconds:.1f} s,"
        f" ratio {items_copy_seconds / import_seconds:.2f})"
    )
    if not args.skip_locator:
        bench_locator()


if __name__ == "__main__":
    main()
