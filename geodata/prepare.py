"""Bring a database to a usable state: schema, gazetteer, provincial clusters. Idempotent."""

from __future__ import annotations

import psycopg
from psycopg.rows import tuple_row

from geodata import gazetteer, migrate
from geodata.settings import Settings


def prepare_database(conn: psycopg.Connection, settings: Settings) -> list[str]:
    """Migrate, sync the gazetteer and load clusters when none are loaded; say what changed."""
    said: list[str] = []
    applied = migrate.migrate(conn)
    said.append(f"schema: applied {', '.join(applied)}" if applied else "schema up to date")
    changed = gazetteer.sync_gazetteer(conn)
    said.append(f"gazetteer: {changed} areas added or updated" if changed else "gazetteer up to date")
    with conn.cursor(row_factory=tuple_row) as cur:
        (members,) = cur.execute("SELECT count(*) FROM cluster_provinces").fetchone()
    if settings.clusters_csv or not members:
        path = settings.clusters_csv or gazetteer.default_clusters_csv()
        n = gazetteer.load_clusters(conn, gazetteer.read_clusters(path))
        said.append(f"clusters: {n} from {path.name}")
    return said
