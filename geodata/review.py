"""The matching review list for the dashboard (DESIGN §3.6: low-confidence matches are
reviewable, never silent): the suggestions of an area and fiscal year, and a planning officer's
decision on one of them.

A decision is recorded in ``match_decisions`` by the same statement the command line uses
(``match_decide.sql``); the link itself is made at the next matching run, which reads every
decision (``match_apply.sql``), so decisions survive re-imports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import psycopg
from psycopg.rows import tuple_row

from geodata import audit
from geodata.accounts import Scope
from geodata.chain_view import like_patterns, scope_codes
from geodata.db import query

DECISIONS = ("accepted", "rejected")
REVIEW_LIMIT = 200
MAX_KEY = 200


@dataclass(frozen=True)
class Suggestion:
    allocation_key: str
    item_key: str
    item_level: str
    item_area: str
    confidence: float
    title_score: float
    allocation_title: str
    allocation_amount: Decimal
    agency_th: str | None
    agency_en: str | None
    item_title: str
    item_amount: Decimal
    area_th: str
    area_en: str | None
    decision: str | None
    decided_by: str | None
    decided_at: dt.datetime | None


def suggestions(
    conn: psycopg.Connection, area: str, fiscal_year: int, limit: int = REVIEW_LIMIT
) -> tuple[list[Suggestion], int]:
    """Suggestions waiting for review in the area and year, most confident first, with the
    decision already recorded for each (if any); and how many there are in all."""
    rows = conn.execute(
        query("review_list"),
        {"fiscal_year": fiscal_year, "patterns": like_patterns(scope_codes(conn, area, fiscal_year)), "limit": limit},
    ).fetchall()
    return [Suggestion(**{k: v for k, v in r.items() if k != "total"}) for r in rows], int(
        rows[0]["total"]
    ) if rows else 0


def decide(
    conn: psycopg.Connection,
    allocation_key: str,
    item_key: str,
    decision: str,
    by: str,
    *,
    scope: Scope | None = None,
    address: str | None = None,
) -> int:
    """Record an officer's decision on one suggestion of the review list, with its audit entry,
    in one transaction; returns how many suggestions it applied to (0: no such suggestion, or
    one outside ``scope``'s officer areas, which is refused as if it did not exist). Every
    decision is a new row of the history; the latest one counts."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be accepted or rejected, not {decision!r}")
    for name, value in (("allocation_key", allocation_key), ("item_key", item_key), ("by", by)):
        if not isinstance(value, str) or not value or len(value) > MAX_KEY or not value.isprintable():
            raise ValueError(f"{name} must be a short printable text")
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
        keys = {"allocation_key": allocation_key, "item_key": item_key}
        areas = [r[0] for r in cur.execute(query("review_area"), keys).fetchall()]
        if not areas or (scope is not None and not all(scope.covers(a, "officer") for a in areas)):
            return 0
        cur.execute(query("match_decide"), {**keys, "decision": decision, "by": by})
        applied = cur.rowcount
        audit.record(cur, by, "decision", f"{allocation_key} → {item_key}", {"decision": decision}, address)
        return applied
