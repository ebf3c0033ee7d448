"""Benchmarks cannot rot: each one runs here once, on tiny data, so a change that breaks a
benchmark (a callback's inputs, an export's signature, the importer) fails the suite. The
figures they print are not checked here; ``make bench`` measures."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from etl.demo_load import load_demo
from etl.geoload import load_boundaries
from geodata.settings import Settings
from tests.benchmarks import bench_dashboard, bench_exports, bench_import


def test_dashboard_benchmark_runs(
    db: Settings, conn: psycopg.Connection, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_boundaries(conn, [shared_data / "boundaries"])
    load_demo(conn, "tiny")
    conn.commit()
    assert bench_dashboard.main(["--runs", "1", "--warmup", "0"], settings=db) == 0
    out = capsys.readouterr().out
    assert "render_items" in out and "navigate" in out and "national tambon map" in out


def test_export_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench_exports.main(["--repeat", "1", "--cases", "1", "--skip-batch"])
    assert "pack PPTX + PDF" in capsys.readouterr().out


def test_import_benchmark_runs(db: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    bench_import.main(["--rows", "300", "--skip-locator"], settings=db)
    assert "ratio import / raw COPY" in capsys.readouterr().out
