"""The `planmap` command line: the sub-commands etl and dashboard register, thin over the loaders."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geodata.cli import main
from geodata.settings import Settings


@pytest.fixture()
def runner(db: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("PLANMAP_DATABASE_URL", db.database_url or "")
    return CliRunner()


def test_help_lists_every_command() -> None:
    out = CliRunner().invoke(main, ["--help"]).output
    for command in ("db", "geo", "demo", "serve", "import", "match"):
        assert f"  {command} " in out


def test_demo_without_boundaries_says_synthetic_and_schematic(runner: CliRunner) -> None:
    result = runner.invoke(main, ["demo", "--size", "tiny"])
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC demo 'tiny'" in result.output
    assert "schematic" in result.output and "planmap geo load" in result.output


def test_geo_load_reports_differences(runner: CliRunner, shared_data: Path) -> None:
    result = runner.invoke(main, ["geo", "load", str(shared_data / "boundaries" / "tha_adm3.geojson")])
    assert result.exit_code == 0, result.output
    assert "tambon: 7425 features" in result.output
    assert "in the file, not in the gazetteer (3): 104701, 105001, 530306" in result.output


def test_geo_load_of_a_bad_file_is_one_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"not a zip")
    result = runner.invoke(main, ["geo", "load", str(bad)])
    assert result.exit_code == 1
    assert "nothing loaded" in result.output and "broken.zip" in result.output
    assert "Traceback" not in result.output


def test_database_unreachable_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANMAP_DATABASE_URL", "postgresql://nobody:x@127.0.0.1:9/none?connect_timeout=2")
    result = CliRunner().invoke(main, ["db", "migrate"])
    assert result.exit_code == 1
    assert "cannot reach the database" in result.output
