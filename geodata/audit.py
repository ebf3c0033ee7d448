"""The audit trail: every write, who made it, when, from where and what changed.

Rows are only ever added (a trigger refuses UPDATE and DELETE, and the web app's database role
has no such privilege). Writers call :func:`record` in the same transaction as the write, so a
write and its record land together.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from geodata.db import query

LIST_LIMIT = 1000


@dataclass(frozen=True)
class Entry:
    id: int
    at: dt.datetime
    actor: str
    address: str | None
    action: str
    target: str | None
    details: dict


def cli_actor() -> str:
    """Who acts from the command line: the system account running it."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def record(
    conn: psycopg.Connection | psycopg.Cursor,
    actor: str,
    action: str,
    target: str | None = None,
    details: dict | None = None,
    address: str | None = None,
) -> None:
    conn.execute(
        query("audit_add"),
        {"actor": actor, "address": address, "action": action, "target": target, "details": Jsonb(details or {})},
    )


def entries(
    conn: psycopg.Connection,
    *,
    actor: str | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = LIST_LIMIT,
) -> list[Entry]:
    """The trail, newest first, filtered (None: any)."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            query("audit_list"),
            {"actor": actor, "action": action, "since": since, "until": until, "limit": limit},
        ).fetchall()
    return [Entry(**r) for r in rows]
