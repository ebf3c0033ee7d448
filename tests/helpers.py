"""What tests share besides fixtures: the real data's folder, free ports and scratch folders,
the names of the template databases, and the dashboard's context over a database."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from geodata.settings import Settings, load_settings

TEMPLATE = "planmap_template"  # the schema, gazetteer and clusters
DEMO_TEMPLATE = "planmap_demo_template"  # the same with the tiny demo loaded


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


def scratch_dir(prefix: str) -> Path:
    """A folder under /tmp with mode 755: as root the server runs as `postgres`, which must reach it."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


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


@contextmanager
def demo_database(cluster, label: str) -> Iterator[Settings]:  # noqa: ANN001 - a PrivateCluster
    """A database of its own holding the tiny demo, for a module of tests that only read it (a
    clone of the demo template: the module's fixture asks for ``demo_template``)."""
    name = f"t_{label}_{os.getpid()}"
    cluster.ensure_database(name, template=DEMO_TEMPLATE)
    try:
        yield load_settings(database_url=cluster.url(name))
    finally:
        cluster.drop_database(name)
