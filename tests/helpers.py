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


def cluster_settings(cluster, name: str) -> Settings:  # noqa: ANN001 - a PrivateCluster
    """Settings for database ``name`` of the test cluster: the command line's connections as the
    owner, the dashboard's pool as the web role, as in production, so a write the web role may
    not make fails the tests instead of passing as the superuser. Reading is open without
    signing in, as in the demo; the access tests turn it off."""
    return load_settings(
        database_url=cluster.url(name), web_database_url=cluster.url(name, role="web"), anonymous_read=True
    )


@contextmanager
def dashboard_context(settings: Settings) -> Iterator:
    """The dashboard's shared context over a pool of ``settings``' database: tests call the pages'
    renders with it directly."""
    from dashboard.auth import OPERATOR
    from dashboard.context import Context
    from geodata.db import open_pool

    pool = open_pool(settings, wait=True)
    try:
        yield Context(pool, principal=lambda: OPERATOR)
    finally:
        pool.close()


@contextmanager
def demo_database(cluster, label: str) -> Iterator[Settings]:  # noqa: ANN001 - a PrivateCluster
    """A database of its own holding the tiny demo, for a module of tests that only read it (a
    clone of the demo template: the module's fixture asks for ``demo_template``)."""
    name = f"t_{label}_{os.getpid()}"
    cluster.ensure_database(name, template=DEMO_TEMPLATE)
    try:
        yield cluster_settings(cluster, name)
    finally:
        cluster.drop_database(name)


def add_account(settings: Settings, username: str, role: str, *areas: str, password: str = "a long password 1") -> str:
    """An account with ``role`` over ``areas`` in ``settings``' database; returns its password."""
    from geodata import accounts
    from geodata.db import connect

    with connect(settings, autocommit=True) as conn:
        accounts.add_user(conn, username, password)
        for area in areas:
            accounts.grant(conn, username, role, area, "test")
    return password


def sign_in(client, username: str, password: str = "a long password 1") -> str:  # noqa: ANN001 - a FlaskClient
    """Sign a Flask test client in through the real sign-in form; its later requests carry the
    session cookie, this site's Origin and the CSRF header, as the page's own do. Returns the
    CSRF token."""
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="t" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/login",
        data={"t": token, "username": username, "password": password, "next": "/"},
        headers={"Origin": "http://localhost"},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    csrf = client.get_cookie("_csrf_token").value
    client.environ_base.update(HTTP_ORIGIN="http://localhost", HTTP_X_CSRFTOKEN=csrf)
    return csrf
