"""The record of every load in ``import_runs``: the one module that writes it. A run starts as
'running' and ends loaded, rejected, held, dry_run or failed, with its counts and details.

Runs end. While a run is running its connection holds an advisory lock on the run's id; a run
still marked 'running' whose lock is free was killed or crashed, and the next run to start
marks it failed. An error inside a load ends its run as failed with the reason
(:func:`failing`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.types.json import Jsonb

from etl.db import query

LOCK_NAMESPACE = 7313  # advisory locks of import runs: (LOCK_NAMESPACE, run id)


def start(
    conn: psycopg.Connection | psycopg.Cursor,
    kind: str,
    source: str,
    *,
    checksum: str | None = None,
    details: dict | None = None,
) -> int:
    """A new run's id. On a connection the row is committed at once (a rejected import keeps
    its report); on a cursor it belongs to the caller's transaction."""
    params = {"kind": kind, "source": source, "checksum": checksum, "details": Jsonb(details or {})}
    if isinstance(conn, psycopg.Connection):
        with conn.transaction():
            fail_stale(conn)
            row = conn.execute(query("run_start"), params).fetchone()
    else:
        row = conn.execute(query("run_start"), params).fetchone()
    run_id = row["id"] if isinstance(row, dict) else row[0]
    conn.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, run_id])
    return run_id


def fail_stale(conn: psycopg.Connection | psycopg.Cursor) -> list[int]:
    """Mark failed the runs left 'running' by a process that stopped; returns their ids."""
    rows = conn.execute(query("run_stale"), {"namespace": LOCK_NAMESPACE}).fetchall()
    return [r["id"] if isinstance(r, dict) else r[0] for r in rows]


def finish(
    conn: psycopg.Connection | psycopg.Cursor, run_id: int, status: str, counts: dict, details: dict | None = None
) -> None:
    """Record how the run ended (in the caller's transaction) and release its lock."""
    conn.execute(
        query("run_finish"),
        {
            "run_id": run_id,
            "status": status,
            "counts": Jsonb(json.loads(json.dumps(counts, default=str))),
            "details": Jsonb(details or {}),
        },
    )
    conn.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, run_id])


@contextmanager
def failing(conn: psycopg.Connection, run_id: int) -> Iterator[None]:
    """Inside the block, an error ends the run as failed with the reason, then propagates."""
    try:
        yield
    except Exception as exc:
        try:
            with conn.transaction():
                finish(conn, run_id, "failed", {}, {"error": f"{type(exc).__name__}: {exc}"[:2000]})
            exc.add_note(f"import run {run_id} is recorded as failed")
        except psycopg.Error:
            exc.add_note(f"import run {run_id} will be marked failed by the next import")
        raise
