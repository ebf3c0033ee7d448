"""Least privilege in the database (0014_roles.sql, ``PrivateCluster.ensure_web_role``): the
dashboard's role reads what it shows and writes only sessions, login attempts, the audit trail
and matching decisions; it cannot change plans, budget, accounts or the schema, nor rewrite the
audit trail. The owner (the command line) still migrates and imports."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import dict_row

from etl.importer import import_plans
from etl.locate import Locator
from geodata import db as geodb
from geodata import migrate
from geodata.db import connect, open_pool
from geodata.pgcluster import WEB_GROUP, WEB_LOGIN, PrivateCluster, database_url, least_privilege
from geodata.settings import Settings, load_settings

# What planmap_web may write, and nothing else (every other table: SELECT only).
WRITES = {
    "sessions": {"INSERT", "UPDATE", "DELETE"},
    "login_attempts": {"INSERT"},
    "audit_log": {"INSERT"},
    "match_decision_history": {"INSERT"},
}
WRITE_PRIVILEGES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")

Denied = psycopg.errors.InsufficientPrivilege


@pytest.fixture()
def web(demo_db: Settings) -> Iterator[psycopg.Connection]:
    """A connection as the dashboard makes it (the web role), to a database holding the demo."""
    with psycopg.connect(database_url(demo_db, "web"), autocommit=True, row_factory=dict_row) as conn:
        yield conn


@pytest.fixture()
def owner(demo_db: Settings) -> Iterator[psycopg.Connection]:
    with connect(demo_db, autocommit=True) as conn:
        yield conn


def _user(owner: psycopg.Connection) -> int:
    return owner.execute("INSERT INTO users (username) VALUES ('roles-test') RETURNING id").fetchone()["id"]


# -- who the web role is ---------------------------------------------------------------------


def test_the_web_role_is_a_plain_login_in_the_web_group(web: psycopg.Connection) -> None:
    me = web.execute(
        "SELECT current_user AS name, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,"
        " pg_has_role(current_user, %s, 'MEMBER') AS member FROM pg_roles WHERE rolname = current_user",
        [WEB_GROUP],
    ).fetchone()
    assert me == {
        "name": WEB_LOGIN,
        "rolsuper": False,
        "rolcreatedb": False,
        "rolcreaterole": False,
        "rolreplication": False,
        "rolbypassrls": False,
        "member": True,
    }
    group = web.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [WEB_GROUP]).fetchone()
    assert group == {"rolcanlogin": False}


def test_the_dashboard_pool_connects_as_the_web_role_and_the_cli_as_the_owner(demo_db: Settings) -> None:
    pool = open_pool(demo_db, wait=True)
    with pool, pool.connection() as conn:
        assert conn.execute("SELECT current_user AS u").fetchone() == {"u": WEB_LOGIN}
    with connect(demo_db) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == {
            "rolsuper": True
        }


# -- reads -----------------------------------------------------------------------------------


def test_the_web_role_reads_what_the_dashboard_shows(web: psycopg.Connection) -> None:
    for table in ("areas", "plan_items", "allocations", "agg_demand", "agg_supply", "agg_supply_detail", "agg_funnel"):
        count = web.execute(sql.SQL("SELECT count(*) AS n FROM {}").format(sql.Identifier(table))).fetchone()["n"]
        assert count > 0, table
    unreadable = web.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')"
        " AND NOT has_table_privilege(c.oid, 'SELECT') ORDER BY 1"
    ).fetchall()
    assert unreadable == []


# -- writes ----------------------------------------------------------------------------------


def test_the_web_role_writes_exactly_its_narrow_path(web: psycopg.Connection) -> None:
    """Every write privilege of the web role, table by table, is the list above: a grant added
    by mistake fails here as surely as one forgotten."""
    rows = web.execute(
        "SELECT c.relname, p.privilege FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " CROSS JOIN unnest(%s::text[]) AS p(privilege)"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')"
        " AND has_table_privilege(%s, c.oid, p.privilege)",
        [list(WRITE_PRIVILEGES), WEB_GROUP],
    ).fetchall()
    granted: dict[str, set[str]] = {}
    for r in rows:
        granted.setdefault(r["relname"], set()).add(r["privilege"])
    assert granted == WRITES


def test_sign_in_decisions_and_the_audit_trail_work(web: psycopg.Connection, owner: psycopg.Connection) -> None:
    user = _user(owner)
    web.execute("INSERT INTO sessions (token_hash, user_id, csrf_token) VALUES ('h', %s, 'c')", [user])  # sign in
    web.execute("UPDATE sessions SET last_seen = now() WHERE token_hash = 'h'")  # keep alive
    web.execute("DELETE FROM sessions WHERE token_hash = 'h'")  # sign out
    web.execute("INSERT INTO login_attempts (username, address, ok) VALUES ('roles-test', '10.0.0.1', false)")
    web.execute("INSERT INTO audit_log (actor, action) VALUES ('roles-test', 'login')")
    web.execute(
        "INSERT INTO match_decision_history (allocation_key, item_level, item_area, item_fiscal_year, item_key,"
        " decision, decided_by) VALUES ('a', 'village', '37010101', 2569, 'i', 'accepted', 'roles-test')"
    )
    assert web.execute("SELECT decision FROM match_decisions WHERE allocation_key = 'a'").fetchone() == {
        "decision": "accepted"
    }


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "UPDATE login_attempts SET ok = true",
        "DELETE FROM login_attempts",
        "UPDATE match_decision_history SET decision = 'rejected'",
        "DELETE FROM match_decision_history",
        "INSERT INTO plan_items (plan_id, item_key, title, area_code, location_precision, fiscal_year,"
        " requested_amount) SELECT plan_id, 'x', 'x', area_code, location_precision, fiscal_year, 1"
        " FROM plan_items LIMIT 1",
        "UPDATE plan_items SET requested_amount = 0",
        "DELETE FROM plan_items",
        "INSERT INTO allocations (source_key) VALUES ('x')",
        "UPDATE allocations SET title = 'x'",
        "DELETE FROM allocations",
        "INSERT INTO users (username) VALUES ('intruder')",
        "UPDATE users SET disabled = false",
        "DELETE FROM users",
        "INSERT INTO grants (user_id, role, area_code, granted_by) SELECT id, 'admin', 'TH', 'x' FROM users",
        "UPDATE grants SET role = 'admin'",
        "DELETE FROM grants",
        "INSERT INTO import_runs (kind, source) VALUES ('plans', 'x')",
        "UPDATE import_runs SET status = 'failed'",
        "DELETE FROM import_runs",
        "UPDATE areas SET name_th = 'x'",
        "UPDATE agg_demand SET requested = 0",
        "DELETE FROM schema_migrations",
    ],
)
def test_the_web_role_cannot_change_the_data(web: psycopg.Connection, statement: str) -> None:
    with pytest.raises(Denied):
        web.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE intruder (x int)",
        "CREATE TABLE public.intruder (x int)",
        "CREATE VIEW intruder AS SELECT 1",
        "CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE SCHEMA intruder",
        "CREATE INDEX intruder ON plan_items (title)",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "DROP TABLE plan_items",
        "DROP TRIGGER audit_log_append_only ON audit_log",
        "CREATE ROLE intruder",
        "CREATE DATABASE intruder",
        "ALTER ROLE planmap_app SUPERUSER",
    ],
)
def test_the_web_role_cannot_change_the_schema_or_roles(web: psycopg.Connection, statement: str) -> None:
    with pytest.raises(Denied):
        web.execute(statement)


def test_the_web_role_cannot_grant_itself_more(web: psycopg.Connection) -> None:
    """A GRANT without the grant option only warns in PostgreSQL; what matters is that it
    grants nothing."""
    web.execute(sql.SQL("GRANT INSERT ON plan_items TO {}").format(sql.Identifier(WEB_GROUP)))
    assert web.execute("SELECT has_table_privilege('plan_items', 'INSERT') AS may").fetchone() == {"may": False}


# -- the owner -------------------------------------------------------------------------------


def test_tables_of_later_migrations_are_readable_not_writable(
    web: psycopg.Connection, owner: psycopg.Connection
) -> None:
    """ALTER DEFAULT PRIVILEGES: a table a later migration creates is read by the dashboard
    without a grant of its own, and written only where that migration grants it."""
    owner.execute("CREATE TABLE later_table (id bigserial PRIMARY KEY, note text)")
    owner.execute("INSERT INTO later_table (note) VALUES ('x')")
    assert web.execute("SELECT note FROM later_table").fetchall() == [{"note": "x"}]
    with pytest.raises(Denied):
        web.execute("INSERT INTO later_table (note) VALUES ('y')")


def test_the_owner_migrates_a_fresh_database_to_head(pg_cluster: PrivateCluster) -> None:
    """A new, empty database of the same cluster (the roles exist already) migrates to the last
    migration, twice without change, and its web role gets the same narrow privileges."""
    name = f"t_roles_fresh_{os.getpid()}"
    pg_cluster.drop_database(name)
    pg_cluster.ensure_database(name)
    try:
        settings = load_settings(database_url=pg_cluster.url(name), web_database_url=pg_cluster.url(name, role="web"))
        with connect(settings, autocommit=True) as conn:
            applied = migrate.migrate(conn)
            assert applied == [f"{m.version:04d}_{m.name}" for m in migrate.available()]
            assert migrate.migrate(conn) == []
        with psycopg.connect(database_url(settings, "web"), autocommit=True, row_factory=dict_row) as conn:
            assert conn.execute("SELECT count(*) AS n FROM plan_items").fetchone() == {"n": 0}
            conn.execute("INSERT INTO audit_log (actor, action) VALUES ('x', 'y')")
            with pytest.raises(Denied):
                conn.execute("INSERT INTO import_runs (kind, source) VALUES ('plans', 'x')")
    finally:
        pg_cluster.drop_database(name)


def test_the_owner_still_imports(db: Settings, tmp_path: Path) -> None:
    path = tmp_path / "plans.csv"
    path.write_text("item_ref,title,requested_amount,area_code,fiscal_year\nR1,ถนน,1000,37010103,2568\n")
    with connect(db, autocommit=True) as conn:
        result = import_plans(conn, [path], level="village", locator=Locator()).result
        assert (result.status, result.inserted) == ("loaded", 1)
    with psycopg.connect(database_url(db, "web"), row_factory=dict_row) as web:
        assert web.execute("SELECT item_key FROM plan_items").fetchall() == [{"item_key": "R1"}]


# -- the private cluster and the settings ---------------------------------------------------


def test_start_restores_the_web_role_and_keeps_its_password_private(pg_cluster: PrivateCluster) -> None:
    with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("ALTER ROLE {} CREATEDB CREATEROLE").format(sql.Identifier(WEB_LOGIN)))
        pg_cluster.ensure_web_role()
        again = admin.execute(
            "SELECT rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = %s", [WEB_LOGIN]
        ).fetchone()
    assert again == (False, False, True)
    mode = stat.S_IMODE(pg_cluster.web_password_file.stat().st_mode)
    assert mode == 0o600
    with psycopg.connect(pg_cluster.url("postgres", role="web")) as conn:  # the password still fits
        assert conn.execute("SELECT current_user").fetchone() == (WEB_LOGIN,)


def test_which_url_each_side_uses() -> None:
    owner, web = "postgresql://owner@db/planmap", "postgresql://app@db/planmap"
    both = load_settings(database_url=owner, web_database_url=web)
    assert (database_url(both), database_url(both, "web"), least_privilege(both)) == (owner, web, True)
    only_owner = load_settings(database_url=owner, web_database_url=None)
    assert (database_url(only_owner), database_url(only_owner, "web"), least_privilege(only_owner)) == (
        owner,
        owner,
        False,
    )


def test_serving_as_the_owner_warns_once(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(geodb, "_warned", False)
    unreachable = "postgresql://nobody:x@127.0.0.1:9/none"
    with caplog.at_level(logging.WARNING, logger="geodata.db"):
        open_pool(load_settings(database_url=unreachable, web_database_url=unreachable), timeout=0.1).close()
        assert not caplog.records
        for _ in range(2):
            open_pool(load_settings(database_url=unreachable, web_database_url=None), timeout=0.1).close()
    assert [r.getMessage() for r in caplog.records] == [geodb.NO_WEB_ROLE]
    assert "least privilege not configured" in geodb.NO_WEB_ROLE
