"""The record of every load in ``import_runs``: the one module that writes it. A run starts as
'running' and ends loaded, rejected, held, dry_run or failed, with its counts and details."""

from __future__ import annotations

import json

import psycopg
from psycopg.types.json import Jsonb

from etl.db import query


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
            row = conn.execute(query("run_start"), params).fetchone()
    else:
        row = conn.execute(query("run_start"), params).fetchone()
    return row["id"] if isinstance(row, dict) else row[0]


def finish(
    conn: psycopg.Connection | psycopg.Cursor, run_id: int, status: str, counts: dict, details: dict | None = None
) -> None:
    """Record how the run ended (in the caller's transaction)."""
    conn.execute(
        query("run_finish"),
        {
            "run_id": run_id,
            "status": status,
            "counts": Jsonb(json.loads(json.dumps(counts, default=str))),
            "details": Jsonb(details or {}),
        },
    )
