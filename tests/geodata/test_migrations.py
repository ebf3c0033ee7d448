"""Schema migrations: applied in order, recorded, idempotent, and protected against edits."""

from __future__ import annotations

import psycopg
import pytest

from geodata import migrate
from geodata.gazetteer import sync_gazetteer


def _schema_fingerprint(conn: psycopg.Connection) -> list[tuple]:
    return [
        tuple(r.values())
        for r in conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_schema = 'public' ORDER BY 1, 2"
        ).fetchall()
    ]


def test_every_migration_is_recorded_in_order(conn: psycopg.Connection) -> None:
    rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    files = migrate.available()
    assert [r["version"] for r in rows] == [m.version for m in files]
    assert [r["version"] for r in rows] == sorted(r["version"] for r in rows)
    assert len(files) >= 3


def test_migrating_again_changes_nothing(conn: psycopg.Connection) -> None:
    before = _schema_fingerprint(conn)
    assert migrate.migrate(conn) == []
    assert migrate.migrate(conn) == []
    assert _schema_fingerprint(conn) == before


def test_an_edited_migration_is_refused(conn: psycopg.Connection) -> None:
    conn.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
    conn.commit()
    with pytest.raises(migrate.MigrationError, match="0001_areas.sql changed"):
        migrate.migrate(conn)


def test_gazetteer_sync_is_idempotent(conn: psycopg.Connection) -> None:
    assert sync_gazetteer(conn) == 0


def test_schema_enforces_codes_and_money(conn: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("INSERT INTO areas (code, level, name_th) VALUES ('3701', 'tambon', 'x')")
    conn.rollback()
    run = conn.execute("INSERT INTO import_runs (kind, source) VALUES ('plans', 't') RETURNING id").fetchone()["id"]
    plan = conn.execute(
        "INSERT INTO plans (level, area_code, fiscal_year, import_run_id) VALUES ('village', '370101', 2568, %s)"
        " RETURNING id",
        [run],
    ).fetchone()["id"]
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(
            "INSERT INTO plan_items (plan_id, item_key, title, area_code, location_precision, fiscal_year,"
            " requested_amount) VALUES (%s, 'k', 't', '370101', 'tambon', 2568, -1)",
            [plan],
        )
    conn.rollback()
