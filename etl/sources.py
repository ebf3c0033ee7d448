"""Sources: list them, and remove one with everything it brought (one command, one button).

A removal is a run of its own (kind 'removal'), so the data version moves and every cached
screen and export is drawn again; it commits with the refreshed aggregates or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import psycopg
from psycopg.rows import dict_row

from etl import runs
from etl.db import query, refresh_aggregates, run_script
from etl.overlaps import refresh_overlaps
from geodata import audit

KINDS = ("plans", "budget")


@dataclass(frozen=True)
class Source:
    id: int
    kind: str
    name: str
    plan_level: str | None
    fiscal_year: int | None
    owner_area: str | None
    rows: int
    amount: Decimal
    retired: int
    last_loaded: object = None


class SourceError(LookupError):
    """The named source does not exist."""


def list_sources(conn: psycopg.Connection, kind: str | None = None) -> list[Source]:
    with conn.cursor(row_factory=dict_row) as cur:
        return [Source(**r) for r in cur.execute(query("source_list"), {"kind": kind})]


def find_source(conn: psycopg.Connection, kind: str, name: str) -> Source:
    for source in list_sources(conn, kind):
        if source.name == name:
            return source
    raise SourceError(f"no {kind} source named {name!r} (planmap source list)")


def remove_legacy(conn: psycopg.Connection, by: str) -> int:
    """Remove the plan items imported before sources existed; returns how many."""
    with conn.cursor(row_factory=dict_row) as cur:
        n = cur.execute(query("import_legacy_rows")).fetchone()["n"]
    run_id = runs.start(conn, "removal", "plan items imported before sources", details={"by": by})
    with runs.failing(conn, run_id), conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        run_script(cur, "source_remove_legacy")
        refresh_aggregates(cur)
        refresh_overlaps(conn)
        runs.finish(cur, run_id, "loaded", {"removed_rows": n})
        audit.record(conn, by, "source_remove", "(before sources)", {"kind": "plans", "rows": n, "run_id": run_id})
    return n


def remove_source(conn: psycopg.Connection, kind: str, name: str, by: str) -> Source:
    """Remove the source ``name`` of ``kind`` and everything it loaded; returns what it was."""
    source = find_source(conn, kind, name)
    run_id = runs.start(conn, "removal", name, details={"kind": kind, "by": by})
    with runs.failing(conn, run_id), conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        run_script(cur, "source_remove", {"source_id": source.id})
        refresh_aggregates(cur)
        refresh_overlaps(conn)
        runs.finish(cur, run_id, "loaded", {"removed_rows": source.rows, "removed_amount": source.amount})
        audit.record(conn, by, "source_remove", name, {"kind": kind, "rows": source.rows, "run_id": run_id})
    return source
