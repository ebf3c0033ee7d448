"""The SQL the loaders run (``etl/sql/*.sql``): staging, merges, matching, the overlap
candidates and the refresh of the dashboard's pre-aggregates. Values are always bound."""

from __future__ import annotations

import psycopg

from geodata.db import run_script as _run_script
from geodata.db import sql_file


def query(name: str) -> str:
    """The text of ``etl/sql/<name>.sql``."""
    return sql_file("etl", name)


def run_script(cur: psycopg.Cursor, name: str, params: dict[str, object] | None = None) -> None:
    """Every statement of ``etl/sql/<name>.sql``, with the same bound parameters."""
    _run_script(cur, name, params, package="etl")


def refresh_aggregates(cur: psycopg.Cursor) -> None:
    """Rebuild the dashboard's pre-aggregates from plan items and allocations (the one place a
    load, the demo or matching triggers it; in the caller's transaction)."""
    cur.execute(query("refresh_aggregates"))
