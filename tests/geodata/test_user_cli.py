"""``planmap user``: each change lands with its audit record, and errors are one plain line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from geodata import accounts, audit
from geodata.cli import main
from geodata.db import connect
from geodata.settings import Settings


@pytest.fixture()
def runner(db: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("PLANMAP_DATABASE_URL", db.database_url or "")
    return CliRunner()


def _run(runner: CliRunner, *args: str, stdin: str | None = None) -> str:
    result = runner.invoke(main, ["user", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_an_account_from_add_to_disable(runner: CliRunner, db: Settings) -> None:
    _run(runner, "add", "somchai.cli", "--display-name", "สมชาย", "--password-stdin", stdin="first password 1\n")
    _run(runner, "grant", "somchai.cli", "officer", "40", "4001")
    listed = _run(runner, "list")
    line = next(x for x in listed.splitlines() if x.startswith("somchai.cli"))
    assert "enabled" in line and "never" in line and "officer" in line and "4001" in line

    with connect(db, autocommit=True) as conn:
        user = accounts.authenticate(conn, "somchai.cli", "first password 1")
        assert user is not None and set(user.grants) == {("officer", "40"), ("officer", "4001")}
        assert user.can("officer", "40010203") and not user.can("officer", "41") and not user.can("admin", "40")
    _run(runner, "passwd", "somchai.cli", "--password-stdin", stdin="second password 2\n")
    _run(runner, "revoke", "somchai.cli", "officer", "4001")
    _run(runner, "disable", "somchai.cli")
    with connect(db, autocommit=True) as conn:
        assert accounts.authenticate(conn, "somchai.cli", "first password 1") is None
        assert accounts.authenticate(conn, "somchai.cli", "second password 2") is None  # disabled
        assert accounts.load_user(conn, username="somchai.cli") is None  # disabled accounts do not load
        trail = [(e.action, e.target) for e in audit.entries(conn, limit=50) if e.target == "somchai.cli"]
        assert all(e.actor.startswith("cli:") for e in audit.entries(conn, limit=50) if e.target == "somchai.cli")
    assert sorted(trail) == sorted(
        [
            ("user_add", "somchai.cli"),
            ("grant", "somchai.cli"),
            ("grant", "somchai.cli"),
            ("user_passwd", "somchai.cli"),
            ("revoke", "somchai.cli"),
            ("user_disable", "somchai.cli"),
        ]
    )


def test_errors_are_one_line_and_change_nothing(runner: CliRunner, db: Settings) -> None:
    with connect(db, autocommit=True) as conn:
        before = conn.execute("SELECT count(*) AS n FROM audit_log").fetchone()
    result = runner.invoke(main, ["user", "grant", "nobody.here", "viewer", "40"])
    assert result.exit_code == 1 and "nobody.here" in result.output and "Traceback" not in result.output
    _run(runner, "add", "dup.cli", "--password-stdin", stdin="a long password 1\n")
    again = runner.invoke(main, ["user", "add", "dup.cli", "--password-stdin"], input="a long password 1\n")
    assert again.exit_code == 1 and "dup.cli" in again.output
    bad_area = runner.invoke(main, ["user", "grant", "dup.cli", "viewer", "99; DROP TABLE users"])
    assert bad_area.exit_code == 1
    with connect(db, autocommit=True) as conn:
        after = conn.execute("SELECT count(*) AS n FROM audit_log").fetchone()
        granted = conn.execute(
            "SELECT count(*) AS n FROM grants g JOIN users u ON u.id = g.user_id WHERE u.username = 'dup.cli'"
        ).fetchone()
    assert granted["n"] == 0
    assert after["n"] == before["n"] + 1  # only the one successful add
