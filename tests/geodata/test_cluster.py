"""The private cluster: start is idempotent, stop leaves nothing running, missing binaries say
how to install them. Uses its own folder and port, apart from the session's cluster."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from geodata.cli import main
from geodata.pgcluster import INSTALL_HINT, ClusterError, PrivateCluster, check_postgis, find_bindir
from geodata.settings import load_settings
from tests.helpers import free_port
from tests.helpers import scratch_dir as _scratch_dir


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_start_twice_then_stop_through_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _scratch_dir("planmap-test-lifecycle-")
    port = free_port()
    monkeypatch.delenv("PLANMAP_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLANMAP_DATA_DIR", str(folder))
    monkeypatch.setenv("PLANMAP_PG_PORT", str(port))
    runner = CliRunner()
    try:
        first = runner.invoke(main, ["db", "start"])
        assert first.exit_code == 0, first.output
        assert "initialised a new cluster" in first.output
        assert "schema: applied 0001_areas" in first.output
        assert _port_open(port)

        second = runner.invoke(main, ["db", "start"])
        assert second.exit_code == 0, second.output
        assert "already running" in second.output
        assert "schema up to date" in second.output

        status = runner.invoke(main, ["db", "status"])
        assert "running (pid" in status.output and f"port {port}" in status.output
        url = runner.invoke(main, ["db", "url"]).output.strip()
        assert url.startswith("postgresql://planmap:") and f"@127.0.0.1:{port}/planmap" in url

        stopped = runner.invoke(main, ["db", "stop"])
        assert stopped.exit_code == 0 and "stopped" in stopped.output
        assert not _port_open(port)
        assert not PrivateCluster(load_settings()).status().running
        again = runner.invoke(main, ["db", "stop"])
        assert "not running" in again.output
    finally:
        runner.invoke(main, ["db", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


def test_cluster_listens_on_loopback_only(pg_cluster: PrivateCluster) -> None:
    conf = (pg_cluster.directory / "postgresql.conf").read_text()
    assert "listen_addresses = '127.0.0.1'" in conf


def test_missing_postgresql_gives_the_install_command(tmp_path: Path) -> None:
    settings = load_settings(pg_bindir=tmp_path / "nothing")
    with pytest.raises(ClusterError) as caught:
        find_bindir(settings, root=tmp_path, search_path="")
    assert "apt-get install -y postgresql postgresql-15-postgis-3" in str(caught.value)


def test_missing_postgis_gives_the_install_command(tmp_path: Path) -> None:
    fake = tmp_path / "99" / "bin"
    fake.mkdir(parents=True)
    with pytest.raises(ClusterError, match="postgis"):
        check_postgis(fake)
    assert "PLANMAP_DATABASE_URL" in INSTALL_HINT


def test_a_configured_url_is_not_managed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANMAP_DATABASE_URL", "postgresql://x@127.0.0.1:1/none")
    result = CliRunner().invoke(main, ["db", "stop"])
    assert result.exit_code != 0
    assert "PLANMAP_DATABASE_URL is set" in result.output
