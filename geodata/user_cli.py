"""``planmap user``: accounts and their grants, from the server's command line.

Whoever runs it holds the database owner's credentials, so it acts as the operator; each change
is written to the audit trail as ``cli:<system account>`` in the change's own transaction.
"""

from __future__ import annotations

import sys

import click

from geodata import accounts, audit, sessions
from geodata.db import connect
from geodata.prepare import prepare_database
from geodata.settings import load_settings


@click.group(name="user")
def user_group() -> None:
    """Accounts: add, list, disable, enable, passwd, grant, revoke."""


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("password", hide_input=True, confirmation_prompt=True)


def _write(action: str, target: str, details: dict, change) -> object:  # noqa: ANN001 - a callable on a connection
    """Run ``change`` and its audit record in one transaction; account errors are one line."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn:
        prepare_database(conn, settings)
        try:
            with conn.transaction():
                result = change(conn)
                audit.record(conn, audit.cli_actor(), action, target, details)
        except accounts.AccountError as exc:
            raise click.ClickException(str(exc)) from None
    return result


@user_group.command(name="add")
@click.argument("username")
@click.option("--display-name", default=None, help="The name shown on the page and in the audit trail.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@click.option("--sso-only", is_flag=True, help="No password: the account signs in only through single sign-on.")
def add(username: str, display_name: str | None, password_stdin: bool, sso_only: bool) -> None:
    """Add an account (it sees nothing until it is granted areas)."""
    password = None if sso_only else _password(password_stdin)
    _write(
        "user_add",
        username,
        {"display_name": display_name},
        lambda c: accounts.add_user(c, username, password, display_name),
    )
    click.echo(f"added {username}; grant it areas with: planmap user grant {username} viewer <area>")


@user_group.command(name="list")
def list_() -> None:
    """Every account, its grants and its last sign-in."""
    with connect(load_settings(), autocommit=True) as conn:
        rows = accounts.list_users(conn)
    for r in rows:
        state = "disabled" if r["disabled"] else "enabled"
        last = r["last_login"].strftime("%Y-%m-%d %H:%M") if r["last_login"] else "never"
        click.echo(f"{r['username']:<24} {state:<8} last sign-in {last:<16} {r['grants'] or '(no grants)'}")
    if not rows:
        click.echo("no accounts (planmap user add <name>)")


def _update_and_sign_out(conn, username: str, **changes: object) -> None:  # noqa: ANN001
    """A disabled account or a new password ends every session the account holds."""
    user_id = accounts.update_user(conn, username, **changes)
    sessions.end(conn, user_id=user_id)


@user_group.command(name="disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable an account and end its sessions."""

    _write("user_disable", username, {}, lambda c: _update_and_sign_out(c, username, disabled=True))
    click.echo(f"disabled {username}")


@user_group.command(name="enable")
@click.argument("username")
def enable(username: str) -> None:
    """Enable a disabled account."""
    _write("user_enable", username, {}, lambda c: accounts.update_user(c, username, disabled=False))
    click.echo(f"enabled {username}")


@user_group.command(name="passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
def passwd(username: str, password_stdin: bool) -> None:
    """Set a new password (the account's sessions end)."""
    password = _password(password_stdin)
    _write("user_passwd", username, {}, lambda c: _update_and_sign_out(c, username, password=password))
    click.echo(f"new password set for {username}")


@user_group.command(name="grant")
@click.argument("username")
@click.argument("role", type=click.Choice(accounts.ROLES))
@click.argument("areas", nargs=-1, required=True)
def grant(username: str, role: str, areas: tuple[str, ...]) -> None:
    """Grant ROLE over AREAS (TH, a cluster C01, a province 37 or a district 3701)."""
    by = audit.cli_actor()
    for area in areas:
        _write(
            "grant", username, {"role": role, "area": area}, lambda c, a=area: accounts.grant(c, username, role, a, by)
        )
    click.echo(f"{username}: {role} of {', '.join(areas)}")


@user_group.command(name="revoke")
@click.argument("username")
@click.argument("role", type=click.Choice(accounts.ROLES))
@click.argument("areas", nargs=-1, required=True)
def revoke(username: str, role: str, areas: tuple[str, ...]) -> None:
    """Take ROLE over AREAS back."""
    for area in areas:
        _write(
            "revoke", username, {"role": role, "area": area}, lambda c, a=area: accounts.revoke(c, username, role, a)
        )
    click.echo(f"{username}: no longer {role} of {', '.join(areas)}")
