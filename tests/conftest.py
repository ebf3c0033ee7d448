"""Test fixtures: a real PostGIS cluster of the test session's own, and a fresh database per test.

The session starts a private cluster in its own temporary folder on a free port (never the
demo's), prepares one template database (schema, gazetteer, clusters), and every test that asks
for ``db`` gets a new database cloned from it, so tests are independent and fast.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from geodata.db import connect
from geodata.pgcluster import PrivateCluster
from geodata.prepare import prepare_database
from geodata.settings import Settings, load_settings
from tests.helpers import DEMO_TEMPLATE, TEMPLATE, cluster_settings, free_port, scratch_dir, shared_data_dir

_counter = itertools.count()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return shared_data_dir()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots and rendered files the tests leave for people to look at."""
    path = Path(__file__).resolve().parent / "artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PrivateCluster]:
    folder = scratch_dir("planmap-test-pg-")
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
    """Settings pointing at a fresh database cloned from the prepared template (the owner for
    ``connect``, the web role for ``open_pool``)."""
    name = f"t_{os.getpid()}_{next(_counter)}"
    pg_cluster.ensure_database(name, template=TEMPLATE)
    yield cluster_settings(pg_cluster, name)
    pg_cluster.drop_database(name)


@pytest.fixture(scope="session")
def demo_template(pg_cluster: PrivateCluster) -> str:
    """A template database with the tiny demo loaded once per session (cloned, never loaded again)."""
    from etl.demo_load import load_demo

    pg_cluster.ensure_database(DEMO_TEMPLATE, template=TEMPLATE)
    with connect(load_settings(database_url=pg_cluster.url(DEMO_TEMPLATE))) as conn:
        load_demo(conn, "tiny")
        conn.commit()
    return DEMO_TEMPLATE


@pytest.fixture()
def demo_db(pg_cluster: PrivateCluster, demo_template: str) -> Iterator[Settings]:
    """A fresh database holding the tiny demo (a clone of the session's demo template)."""
    name = f"t_{os.getpid()}_{next(_counter)}"
    pg_cluster.ensure_database(name, template=demo_template)
    yield cluster_settings(pg_cluster, name)
    pg_cluster.drop_database(name)


@pytest.fixture()
def demo_conn(demo_db: Settings) -> Iterator[psycopg.Connection]:
    with connect(demo_db) as connection:
        yield connection


@pytest.fixture()
def conn(db: Settings) -> Iterator[psycopg.Connection]:
    with connect(db) as connection:
        yield connection
