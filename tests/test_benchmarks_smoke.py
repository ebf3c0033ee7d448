"""Benchmarks cannot rot: each one runs here once, on tiny data, so a change that breaks a
benchmark (a callback's inputs, an export's signature, the importer) fails the suite. The
figures they print are not checked here; ``make bench`` measures."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import openpyxl
import psycopg
import pytest

from etl.demo_load import load_demo
from etl.geoload import load_boundaries
from geodata.settings import Settings
from tests.benchmarks import bench_bounds, bench_dashboard, bench_exports, bench_import, bench_load


def test_dashboard_benchmark_runs(
    db: Settings, conn: psycopg.Connection, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_boundaries(conn, [shared_data / "boundaries"])
    load_demo(conn, "tiny")
    conn.commit()
    assert bench_dashboard.main(["--runs", "1", "--warmup", "0"], settings=db) == 0
    out = capsys.readouterr().out
    assert "render_items" in out and "navigate" in out and "national tambon map" in out


def test_load_benchmark_runs(demo_db: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    """``planmap serve`` over the tiny demo, 2 users for 3 s: figures printed, no error."""
    argv = ["--users", "2", "--seconds", "3", "--warmup", "0", "--workers", "1", "--threads", "4"]
    assert bench_load.main(argv, settings=demo_db) == 0
    out = capsys.readouterr().out
    figures = re.search(r"2 users: ([\d.]+) requests/s, p50 \d+ ms, p95 \d+ ms, p99 \d+ ms, errors (\d+) ", out)
    assert figures, out
    assert float(figures[1]) > 0 and figures[2] == "0", out
    assert "server RSS" in out and "server log: 0 problem lines" in out, out


def test_export_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench_exports.main(["--repeat", "1", "--cases", "1", "--skip-batch"])
    assert "pack PPTX + PDF" in capsys.readouterr().out


def test_import_benchmark_runs(db: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    bench_import.main(["--rows", "300", "--skip-locator"], settings=db)
    assert "ratio import / raw COPY" in capsys.readouterr().out


def test_bounds_benchmark_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plans").mkdir()
    book = openpyxl.Workbook()
    book.active.append(["ชื่อโครงการ", "วงเงิน"])
    book.active.append(["ถนน", 1000])
    book.save(tmp_path / "plans" / "a.xlsx")
    bill = tmp_path / "budget" / "fy2565_kaogeek_napatswift"
    bill.mkdir(parents=True)
    (bill / "a.csv.gz").write_bytes(gzip.compress(b"ITEM_ID,FISCAL_YEAR,AMOUNT\n1,2022,5\n"))
    bench_bounds.main(["--repeat", "1", "--data", str(tmp_path)])
    out = capsys.readouterr().out
    assert "files: 2" in out and "checks / read" in out


def test_refresh_benchmark_runs(demo_db: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    """A 200-row workbook in the tiny demo: both refreshes timed, the incremental one checked."""
    from tests.benchmarks import bench_refresh

    argv = ["--province", "37", "--rows", "200", "--repeat", "1", "--check"]
    assert bench_refresh.main(argv, settings=demo_db) == 0
    out = capsys.readouterr().out
    assert "ratio incremental / full" in out and "rows differing from the full refresh: 0" in out, out
