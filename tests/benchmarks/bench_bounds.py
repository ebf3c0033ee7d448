"""Benchmark of the import bounds (a script, not a test; run it, read the ratio).

    .venv/bin/python -m tests.benchmarks.bench_bounds [--repeat 3]

Times, in the same run, the checks :mod:`etl.bounds` makes before any parser (regular file,
size, gzip streamed under its limit, workbook parts scanned) against reading the same real files
into tables (the 43 provincial and national ThaiME workbooks and the 22 Budget Bill volumes),
and prints the checks' cost as a share of the read (goal: under 15 %).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from etl.bounds import check_workbook, gunzip, read_file
from etl.readers import ReadError, read_tables
from tests.helpers import shared_data_dir


def files(data: Path) -> list[tuple[Path, str]]:
    plans = sorted(data.glob("plans/**/*.xlsx"))
    bill = sorted((data / "budget" / "fy2565_kaogeek_napatswift").glob("*.csv.gz"))
    return [(p, "plans") for p in plans] + [(b, "budget") for b in bill]


def bounds_only(found: list[tuple[Path, str]]) -> float:
    started = time.perf_counter()
    for path, _ in found:
        data = read_file(path)
        if path.suffix == ".gz":
            gunzip(path.name, data)
        else:
            check_workbook(path.name, data)
    return time.perf_counter() - started


def reading(found: list[tuple[Path, str]]) -> float:
    started = time.perf_counter()
    for path, kind in found:
        try:
            read_tables(path, kind)  # type: ignore[arg-type]
        except ReadError:
            pass  # the files without a plan layout (analyses) are read as far as their header
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args(argv)
    found = files(args.data or shared_data_dir())
    checks = statistics.median(bounds_only(found) for _ in range(args.repeat))
    read = statistics.median(reading(found) for _ in range(args.repeat))
    print(f"files: {len(found)}")
    print(f"bounds checks alone:          {checks:6.2f} s")
    print(f"reading into tables (all in): {read:6.2f} s")
    print(f"checks / read: {checks / read:.2f} (goal < 0.15)")


if __name__ == "__main__":
    main()
