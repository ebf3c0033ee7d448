"""Accounts and what each may see and do: roles over areas, deny by default.

A grant gives a role over an area: the whole country (``TH``), a provincial cluster, a province
or a district. Roles nest: an admin may do what an officer may, an officer what a viewer may,
within the areas of the grant. A :class:`Scope` answers "may this account do that here?" for the
request path (``dashboard.request``), the routes and the command line; nothing else decides.

Passwords are hashed with argon2id (argon2-cffi's defaults); a password is never stored, logged
or compared in any other form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import argon2
import psycopg
from psycopg.rows import dict_row

from geodata.areas import COUNTRY
from geodata.db import query

ROLES = ("viewer", "officer", "admin")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}\Z")
GRANT_AREA = re.compile(r"^(TH|C[0-9]{2}|[0-9]{2}|[0-9]{4})\Z")
MIN_PASSWORD = 10
_hasher = argon2.PasswordHasher()
# verifying against this when the account does not exist takes as long as a real check
_DUMMY_HASH = _hasher.hash("planmap-no-such-account")


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message says why."""


@dataclass(frozen=True)
class Scope:
    """Areas per role. ``areas[role]`` holds grant codes (``TH``, ``C01``, ``37``, ``3701``) and,
    for each cluster granted, its provinces of today; a higher role's areas count for lower ones."""

    areas: dict[str, frozenset[str]] = field(default_factory=dict)

    def codes(self, role: str = "viewer") -> frozenset[str]:
        """The area codes whose subtree the account may act on with ``role``."""
        rank = ROLES.index(role)
        return frozenset().union(*(self.areas.get(r, frozenset()) for r in ROLES[rank:]))

    def national(self, role: str = "viewer") -> bool:
        return COUNTRY in self.codes(role)

    def covers(self, code: str, role: str = "viewer") -> bool:
        """May the account act with ``role`` on area ``code`` (and so on everything within it)?"""
        codes = self.codes(role)
        if COUNTRY in codes or code in codes:
            return True
        if code == COUNTRY or code.startswith("C"):
            return False  # the country or a cluster: only its own grant (or TH) covers it
        return any(not c.startswith("C") and c != COUNTRY and code.startswith(c) for c in codes)

    def within(self, role: str = "viewer") -> list[str] | None:
        """Code prefixes the account's reads are limited to; None when it sees the whole country."""
        codes = self.codes(role)
        if COUNTRY in codes:
            return None
        return sorted(c for c in codes if not c.startswith("C"))

    def any(self, role: str = "viewer") -> bool:
        return bool(self.codes(role))


EVERYTHING = Scope({"admin": frozenset({COUNTRY})})
NOTHING = Scope()


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str | None
    scope: Scope
    grants: tuple[tuple[str, str], ...] = ()  # (role, area code) as granted

    def can(self, role: str, code: str = COUNTRY) -> bool:
        return self.scope.covers(code, role)


def hash_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def check_username(username: str) -> str:
    if not isinstance(username, str) or not USERNAME.match(username):
        raise AccountError(
            f"{username!r} is not a valid account name (2–64 of a-z 0-9 . _ @ -, starting with a letter or digit)"
        )
    return username


def scope_of(conn: psycopg.Connection, grants: Iterable[tuple[str, str]]) -> Scope:
    """The scope of a list of (role, area) grants; a cluster grant adds its provinces of today."""
    grants = list(grants)
    clusters = sorted({a for _, a in grants if a.startswith("C")})
    members: dict[str, list[str]] = {}
    if clusters:
        with conn.cursor(row_factory=dict_row) as cur:
            for row in cur.execute(query("accounts_cluster_members"), {"clusters": clusters}):
                members.setdefault(row["cluster_code"], []).append(row["province_code"])
    areas: dict[str, set[str]] = {}
    for role, area in grants:
        areas.setdefault(role, set()).update([area, *members.get(area, [])])
    return Scope({role: frozenset(codes) for role, codes in areas.items()})


def load_user(conn: psycopg.Connection, *, username: str | None = None, user_id: int | None = None) -> User | None:
    """An enabled account with its scope, or None."""
    row = _row(conn, username=username, user_id=user_id)
    if row is None or row["disabled"]:
        return None
    return _user(conn, row)


def authenticate(conn: psycopg.Connection, username: str, password: str) -> User | None:
    """The account when the password is right and the account enabled, else None; a wrong
    name takes as long as a wrong password (no telling which accounts exist)."""
    row = _row(conn, username=username) if isinstance(username, str) and USERNAME.match(username) else None
    stored = row["password_hash"] if row and row["password_hash"] else _DUMMY_HASH
    try:
        _hasher.verify(stored, password if isinstance(password, str) else "")
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return None
    if row is None or not row["password_hash"] or row["disabled"]:
        return None
    return _user(conn, row)


def sso_account(conn: psycopg.Connection, subject: str, username: str | None) -> tuple[User | None, str]:
    """The account a single sign-on identity signs in as, and how it was found.

    ``subject`` is the identity provider's issuer-scoped subject (``"<issuer> <sub>"``),
    ``username`` the name the provider gives it (``PLANMAP_OIDC_USERNAME_CLAIM``). The rule:

    1. the account linked to ``subject`` before (``"subject"``), when it is enabled;
    2. else the enabled account named ``username`` that is linked to no subject yet: the
       subject is linked to it now, for good (``"linked"``);
    3. else none, with why: ``"disabled"``, ``"linked_elsewhere"`` (the named account is linked
       to another subject) or ``"unknown"``.

    Nothing is ever created: an identity without an account, or an account without grants,
    sees nothing (deny by default)."""
    row = _row(conn, subject=subject)
    if row is not None:
        return (None, "disabled") if row["disabled"] else (_user(conn, row), "subject")
    if not (isinstance(username, str) and USERNAME.match(username)):
        return None, "unknown"
    row = _row(conn, username=username)
    if row is None:
        return None, "unknown"
    if row["disabled"]:
        return None, "disabled"
    if row["oidc_subject"] is not None:
        return None, "linked_elsewhere"
    linked = conn.execute(query("accounts_sso_link"), {"username": username, "subject": subject}).fetchone()
    if (linked["id"] if isinstance(linked, dict) else linked[0]) != row["id"]:
        return None, "unknown"  # disabled or linked meanwhile
    return _user(conn, row), "linked"


def add_user(conn: psycopg.Connection, username: str, password: str | None, display_name: str | None = None) -> int:
    check_username(username)
    hashed = hash_password(password) if password is not None else None
    try:
        with conn.transaction():
            row = conn.execute(
                query("accounts_user_add"),
                {"username": username, "display_name": display_name, "password_hash": hashed},
            ).fetchone()
    except psycopg.errors.UniqueViolation as exc:
        raise AccountError(f"an account named {username!r} exists already") from exc
    return row["id"] if isinstance(row, dict) else row[0]


def update_user(
    conn: psycopg.Connection, username: str, *, password: str | None = None, disabled: bool | None = None
) -> int:
    """Set a new password and/or disable or enable; returns the account's id."""
    hashed = hash_password(password) if password is not None else None
    row = conn.execute(
        query("accounts_user_update"), {"username": username, "password_hash": hashed, "disabled": disabled}
    ).fetchone()
    if row is None:
        raise AccountError(f"no account named {username!r}")
    return row["id"] if isinstance(row, dict) else row[0]


def grant(conn: psycopg.Connection, username: str, role: str, area: str, by: str) -> bool:
    """Grant ``role`` over ``area``; False when it was granted already."""
    _check_grant(conn, role, area)
    if _row(conn, username=username) is None:
        raise AccountError(f"no account named {username!r}")
    return (
        conn.execute(query("accounts_grant"), {"username": username, "role": role, "area": area, "by": by}).fetchone()
        is not None
    )


def revoke(conn: psycopg.Connection, username: str, role: str, area: str) -> bool:
    """Take ``role`` over ``area`` back; False when it was not granted."""
    return (
        conn.execute(query("accounts_revoke"), {"username": username, "role": role, "area": area}).fetchone()
        is not None
    )


def list_users(conn: psycopg.Connection) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query("accounts_user_list")).fetchall()


def _check_grant(conn: psycopg.Connection, role: str, area: str) -> None:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if not isinstance(area, str) or not GRANT_AREA.match(area):
        raise AccountError(
            f"{area!r}: grants name the country (TH), a cluster (C01), a province (37) or a district (3701)"
        )
    if area != COUNTRY and conn.execute("SELECT 1 FROM areas WHERE code = %s", [area]).fetchone() is None:
        raise AccountError(f"{area!r} is not an area of the gazetteer")


def _row(
    conn: psycopg.Connection, *, username: str | None = None, user_id: int | None = None, subject: str | None = None
) -> dict | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            query("accounts_user_get"), {"username": username, "user_id": user_id, "subject": subject}
        ).fetchone()


def _user(conn: psycopg.Connection, row: dict) -> User:
    grants = tuple(sorted((g["role"], g["area"]) for g in row["grants"]))
    return User(row["id"], row["username"], row["display_name"], scope_of(conn, grants), grants)
