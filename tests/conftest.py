"""Test fixtures: a real PostGIS cluster of the test session's own, and a fresh database per test.

The session starts a private cluster in its own temporary folder on a free port (never the
demo's), prepares one template database (schema, gazetteer, clusters), and every test that asks
for ``db`` gets a new database cloned from it, so tests are independent and fast.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from geodata.cluster import PrivateCluster
from geodata.db import connect
from geodata.prepare import prepare_database
from geodata.settings import Settings, load_settings

TEMPLATE = "planmap_template"
_counter = itertools.count()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_data_dir() -> Path:
    """The workplace's real data, read in place (never copied into the repository)."""
    env = os.environ.get("PLANMAP_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"
    if not path.is_dir():
        pytest.fail(f"shared data folder not found at {path}; set PLANMAP_SHARED_DATA")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return shared_data_dir()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots and rendered files the tests leave for people to look at."""
    path = Path(__file__).resolve().parent / "artifacts"
    path.mkdir(exist_ok=True)
    return path


def _scratch_dir(prefix: str) -> Path:
    # Under /tmp with mode 755: as root the server runs as `postgres`, which must reach it.
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PrivateCluster]:
    folder = _scratch_dir("planmap-test-pg-")
    settings = load_settings(data_dir=folder, pg_port=free_port(), db_name=TEMPLATE, database_url=None)
    cluster = PrivateCluster(settings)
    cluster.start()
    with connect(Settings(database_url=cluster.url(TEMPLATE))) as conn:
        prepare_database(conn, settings)
    yield cluster
    cluster.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture()
def db(pg_cluster: PrivateCluster) -> Iterator[Settings]:
    """Settings pointing at a fresh database cloned from the prepared template."""
    name = f"t_{os.getpid()}_{next(_counter)}"
    pg_cluster.ensure_database(name, template=TEMPLATE)
    yield load_settings(database_url=pg_cluster.url(name))
    pg_cluster.drop_database(name)


@contextmanager
def demo_database(cluster: PrivateCluster, label: str) -> Iterator[Settings]:
    """A database of its own holding the tiny demo, for a module of tests that only read it."""
    from etl.demo_load import load_demo

    name = f"t_{label}_{os.getpid()}"
    cluster.ensure_database(name, template=TEMPLATE)
    settings = load_settings(database_url=cluster.url(name))
    with connect(settings) as conn:
        load_demo(conn, "tiny")
        conn.commit()
    try:
        yield settings
    finally:
        cluster.drop_database(name)


@contextmanager
def dashboard_context(settings: Settings) -> Iterator:
    """The dashboard's shared context over a pool of ``settings``' database: tests call the pages'
    renders with it directly."""
    from dashboard.context import Context
    from geodata.db import open_pool

    pool = open_pool(settings, wait=True)
    try:
        yield Context(pool)
    finally:
        pool.close()


@pytest.fixture()
def conn(db: Settings) -> Iterator[psycopg.Connection]:
    with connect(db) as connection:
        yield connection
