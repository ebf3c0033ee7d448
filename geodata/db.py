"""Connections and SQL text: a psycopg pool per process, and queries read from ``.sql`` files.

SQL lives in ``geodata/sql/*.sql`` so it can be read, reviewed and run in ``psql`` as is; Python
only binds values (``%(name)s``) and, where a name must vary, composes identifiers with
``psycopg.sql.Identifier``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import files

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from geodata.pgcluster import database_url, least_privilege
from geodata.settings import Settings

log = logging.getLogger(__name__)
NO_WEB_ROLE = (
    "warning: the dashboard connects as the database owner (least privilege not configured): "
    "set PLANMAP_WEB_DATABASE_URL to a role in planmap_web (README, Database roles)"
)
_warned = False


@cache
def sql_file(package: str, name: str) -> str:
    """The text of ``<package>/sql/<name>.sql`` (read once; the files ship with the package):
    each package keeps the SQL it runs (``geodata`` the reads and schema, ``etl`` the loads)."""
    return files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def query(name: str) -> str:
    """The text of ``geodata/sql/<name>.sql``."""
    return sql_file("geodata", name)


def connect(settings: Settings, *, autocommit: bool = False) -> psycopg.Connection:
    """One connection as the owner, for commands and loads (the dashboard uses :func:`open_pool`,
    which connects with the narrower web role).

    Commands open it with ``autocommit=True``: then every ``conn.transaction()`` block of a
    loader is a real transaction of its own (an import's run record is kept even when its load
    is rolled back), not a savepoint inside one long implicit transaction."""
    # Loads stage their rows in temporary tables: with the default 8 MB of local buffers a
    # million staged rows went through the operating system's cache, 4 s of a 1M-row import.
    # Only what is used is taken, and only by this session.
    url = database_url(settings)
    options = " ".join(filter(None, [conninfo_to_dict(url).get("options"), "-c temp_buffers=512MB"]))
    return psycopg.connect(url, autocommit=autocommit, row_factory=dict_row, options=options)


def open_pool(settings: Settings, *, wait: bool = False, timeout: float = 2.0) -> ConnectionPool:
    """A pool for the web app; does not wait for the database, so the app starts when it is down.

    It connects with the web role (``database_url(settings, "web")``), which may read but write
    only sessions, login attempts, the audit trail and matching decisions, so a flaw in the web
    app cannot change the data. ``timeout`` is short on purpose: a page must say "database down"
    before the next poll.
    """
    warn_without_web_role(settings)
    pool = ConnectionPool(
        database_url(settings, "web"),
        min_size=1,
        max_size=settings.pool_max,
        # Reads bind area ranges whose width decides the plan (a tambon or the whole country):
        # always plan for the values at hand, never a generic plan after five executions.
        kwargs={"row_factory": dict_row, "autocommit": True, "options": "-c plan_cache_mode=force_custom_plan"},
        open=False,
        timeout=timeout,
        reconnect_timeout=0,
        check=ConnectionPool.check_connection,
        name="planmap",
    )
    pool.open(wait=wait)
    return pool


def warn_without_web_role(settings: Settings) -> None:
    """Say once per process that the dashboard runs as the owner (an external server without
    ``PLANMAP_WEB_DATABASE_URL``): it keeps serving after an upgrade, but an operator must know.

    :func:`open_pool` calls it; a server that forks workers calls it first in its master, so
    the workers inherit "said already" and the line appears once, not once per worker."""
    global _warned
    if not _warned and not least_privilege(settings):
        _warned = True
        log.warning(NO_WEB_ROLE)


@contextmanager
def transaction(settings: Settings) -> Iterator[psycopg.Connection]:
    """A connection inside one transaction: committed on success, rolled back on any error."""
    with connect(settings) as conn, conn.transaction():
        yield conn


def run_script(
    cur: psycopg.Cursor, name: str, params: dict[str, object] | None = None, *, package: str = "geodata"
) -> None:
    """Run every statement of ``<package>/sql/<name>.sql`` with the same bound parameters.

    PostgreSQL binds parameters per statement, so a multi-statement file is split on the
    semicolons that end a line (the SQL files keep to that convention).
    """
    for statement in _split(sql_file(package, name)):
        cur.execute(statement, params)


@cache
def _split(text: str) -> tuple[str, ...]:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    parts = "\n".join(lines).split(";\n")
    return tuple(p.strip().rstrip(";") for p in parts if p.strip().rstrip(";").strip())
