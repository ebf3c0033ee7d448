"""Where the loaded numbers come from: the sources of the latest loads, by kind (from
``import_runs``); every export names them (the words are the dashboard's)."""

from __future__ import annotations

import psycopg

from geodata.db import query


def sources(conn: psycopg.Connection) -> dict[str, list[str]]:
    """Distinct sources per kind ('plans', 'budget', 'demo'), newest first."""
    seen: dict[str, list[str]] = {}
    for row in conn.execute(query("provenance")).fetchall():
        names = seen.setdefault(row["kind"], [])
        if row["source"] not in names:
            names.append(row["source"])
    return seen
