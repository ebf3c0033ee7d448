"""Sign-in sessions kept in the database, so any of several app servers can serve any click and
an account disabled or a password changed ends its sessions at once.

The browser's cookie holds a random token; the table keeps only its sha256. Each session has
its own CSRF token, which the page sends back with every write.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import psycopg
from psycopg.rows import dict_row

from geodata.db import query

FAILED_WINDOW = 15 * 60  # seconds over which failed sign-ins are counted
MAX_FAILED_PER_ACCOUNT = 5
MAX_FAILED_PER_ADDRESS = 20


@dataclass(frozen=True)
class Session:
    token: str  # the cookie's value (never stored)
    user_id: int
    csrf: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(conn: psycopg.Connection, user_id: int, address: str | None, user_agent: str | None) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    conn.execute(
        query("session_add"),
        {
            "token_hash": _digest(token),
            "user_id": user_id,
            "csrf_token": csrf,
            "address": address,
            "user_agent": (user_agent or "")[:300],
        },
    )
    return Session(token, user_id, csrf)


def resume(conn: psycopg.Connection, token: object, *, idle: int, absolute: int) -> Session | None:
    """The live session of a cookie's token, or None (unknown, idle too long, too old, account
    disabled)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            query("session_get"), {"token_hash": _digest(token), "idle": idle, "absolute": absolute}
        ).fetchone()
    return None if row is None else Session(token, row["user_id"], row["csrf_token"])


def end(conn: psycopg.Connection, *, token: str | None = None, user_id: int | None = None) -> None:
    """End one session (sign-out) or every session of an account."""
    conn.execute(query("session_end"), {"token_hash": _digest(token) if token else None, "user_id": user_id})


def refused_for(conn: psycopg.Connection, username: str | None, address: str | None) -> int:
    """Seconds to wait before another sign-in of this account or from this address is tried
    (0: go ahead): 5 failures of an account or 20 from an address in 15 minutes lock it. No
    ``username``: the address alone (single sign-on before the provider names the account)."""
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            query("accounts_attempts"), {"username": username, "address": address, "window": FAILED_WINDOW}
        ).fetchone()
    waits = []
    if row["by_user"] >= MAX_FAILED_PER_ACCOUNT:
        waits.append(row["first_by_user"])
    if row["by_address"] >= MAX_FAILED_PER_ADDRESS:
        waits.append(row["first_by_address"])
    if not waits:
        return 0
    now = conn.execute("SELECT now() AS now").fetchone()
    now = now["now"] if isinstance(now, dict) else now[0]
    return max(1, int(max(FAILED_WINDOW - (now - first).total_seconds() for first in waits)))


def attempt(conn: psycopg.Connection, username: str, address: str | None, ok: bool) -> None:
    conn.execute(query("accounts_attempt_add"), {"username": username[:64], "address": address, "ok": ok})
