"""Kill -9 a real ``planmap import`` of the FY2565 Budget Bill at seven moments, then check the
database as the next person to use it would find it: no partial data, every killed run ended as
failed (at the next start at the latest), the re-run's data identical to a clean import's, and
no derived table (aggregates, overlap list) stale.

Each moment but the first is made exact rather than timed: the test holds an exclusive lock on
the table the import touches next, waits until the import's backend is blocked on it (checking
the statement it is blocked in), and kills the process there. The first is a kill 0.3 s after the
import has prepared the database, while it reads the files (checked: no run has started).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from etl.db import refresh_aggregates
from etl.overlaps import refresh_overlaps
from geodata.db import connect
from geodata.settings import load_settings
from tests.helpers import TEMPLATE, scratch_dir

ROOT = Path(__file__).resolve().parents[2]
# (moment, table locked, a fragment of the statement the import must be blocked in)
MOMENTS = (
    ("reading the files", None, ""),
    ("starting the run, rows read and placed", "import_runs", "import_runs"),
    ("after staging, before the merge", "organisations", "organisations"),
    ("merging", "allocations", "allocations"),
    ("refreshing the aggregates", "item_funding", "DELETE FROM item_funding"),
    ("refreshing the overlap list", "overlap_pairs", "DELETE FROM overlap_pairs"),
    ("recording the run's rejects", "import_rejects", "import_rejects"),
)
FINGERPRINT = """
SELECT md5(string_agg(line, E'\\n' ORDER BY line)) AS digest, count(*) AS lines FROM (
    SELECT concat_ws('|', 'a', source_key, fiscal_year, amount, area_code, location_precision, status,
                     multi_year, funding_source) AS line FROM allocations
    UNION ALL
    SELECT concat_ws('|', 's', area_code, fiscal_year, funding_source, status, scope, items, amount, linked)
    FROM agg_supply
    UNION ALL
    SELECT concat_ws('|', 'd', d.area_code, d.fiscal_year, d.funding_source, o.name_th, d.status, d.sector,
                     d.linked_level, d.multi_year, d.scope, d.items, d.amount)  -- ids differ, names do not
    FROM agg_supply_detail d LEFT JOIN organisations o ON o.id = d.agency_id
    UNION ALL
    SELECT concat_ws('|', 'o', fiscal_year, tambon_code, a_kind, a_source, a_title, b_kind, b_source, b_title,
                     similarity) FROM overlap_pairs
) AS everything
"""


def _command(folder: Path) -> list[str]:
    files = sorted(str(f) for f in folder.glob("*.csv.gz"))[:8]  # 8 of the 22 volumes keep it quick
    return [
        *(sys.executable, "-m", "geodata.cli", "import", "budget"),
        *("--allow-rejects", "--implausible-years", "drop", *files),
    ]


def _env(url: str, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "PLANMAP_DATABASE_URL": url, "PLANMAP_DATA_DIR": str(data_dir)}


def _blocked_statement(conn: psycopg.Connection, pid: int, timeout: float = 180) -> str:
    """The statement the import's backend is waiting in on a lock (polled until it waits)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = conn.execute(
            "SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            " AND datname = current_database()"
        ).fetchone()
        if row:
            return row["query"]
        time.sleep(0.05)
    raise AssertionError(f"the import (pid {pid}) never waited on the lock")


def _connected_and_idle(conn: psycopg.Connection, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if conn.execute(
            "SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database()"
            " AND state = 'idle' AND query <> ''"
        ).fetchone():
            return
        time.sleep(0.02)
    raise AssertionError("the import never connected")


def _fingerprint(conn: psycopg.Connection) -> tuple[str, int]:
    row = conn.execute(FINGERPRINT).fetchone()
    return row["digest"], row["lines"]


@pytest.mark.real_data
@pytest.mark.slow
def test_kill_9_at_seven_moments_leaves_nothing_partial_or_stale(pg_cluster, shared_data: Path) -> None:  # noqa: ANN001
    folder = shared_data / "budget" / "fy2565_kaogeek_napatswift"
    killed, clean = f"faults_{os.getpid()}", f"faults_clean_{os.getpid()}"
    for name in (killed, clean):
        pg_cluster.ensure_database(name, template=TEMPLATE)
    scratch = scratch_dir("planmap-faults-")
    env = _env(pg_cluster.url(killed), scratch)
    try:
        with connect(load_settings(database_url=pg_cluster.url(killed)), autocommit=True) as conn:
            for moment, table, fragment in MOMENTS:
                with connect(load_settings(database_url=pg_cluster.url(killed))) as locker:
                    if table is not None:
                        locker.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.Identifier(table)))
                    process = subprocess.Popen(
                        _command(folder), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                    )
                    if table is None:  # connected and idle: prepared, now reading the files
                        _connected_and_idle(conn)
                        time.sleep(0.3)
                        statement = "(reading)"
                        started = conn.execute("SELECT count(*) AS n FROM import_runs").fetchone()["n"]
                        assert process.poll() is None and started == 0, "the import got past reading in 0.3 s"
                    else:
                        statement = _blocked_statement(conn, process.pid)
                    os.kill(process.pid, signal.SIGKILL)
                    process.wait()
                    locker.rollback()
                assert fragment in statement, f"{moment}: blocked in {statement[:200]!r}"
                counts = conn.execute(
                    "SELECT (SELECT count(*) FROM allocations) AS allocations,"
                    " (SELECT count(*) FROM agg_supply) AS agg, (SELECT count(*) FROM import_rejects) AS rejects"
                ).fetchone()
                assert counts == {"allocations": 0, "agg": 0, "rejects": 0}, f"{moment}: partial data {counts}"
                print(f"killed {moment}: blocked in {statement.strip().splitlines()[0][:80]!r}")

            done = subprocess.run(_command(folder), cwd=ROOT, env=env, capture_output=True, text=True)
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
            runs = conn.execute("SELECT status, details FROM import_runs ORDER BY id").fetchall()
            # the first moment is before any run starts; the other five left a run, now failed
            assert [r["status"] for r in runs] == ["failed"] * 5 + ["loaded"]
            assert all("the process stopped" in r["details"].get("error", "") for r in runs[:5])
            after_kills = _fingerprint(conn)
            assert after_kills[1] > 5_000

            again = subprocess.run(_command(folder), cwd=ROOT, env=env, capture_output=True, text=True)
            assert again.returncode == 0 and "0 new, 0 changed" in again.stdout, again.stdout[-2000:]
            assert _fingerprint(conn) == after_kills

            with conn.transaction(), conn.cursor() as cur:  # derived tables rebuilt from scratch
                refresh_aggregates(cur)
                refresh_overlaps(conn)
            assert _fingerprint(conn) == after_kills, "a derived table was stale"

        fresh = subprocess.run(
            _command(folder), cwd=ROOT, env=_env(pg_cluster.url(clean), scratch), capture_output=True, text=True
        )
        assert fresh.returncode == 0, fresh.stdout[-2000:]
        with connect(load_settings(database_url=pg_cluster.url(clean))) as conn:
            assert _fingerprint(conn) == after_kills
    finally:
        for name in (killed, clean):
            pg_cluster.drop_database(name)
