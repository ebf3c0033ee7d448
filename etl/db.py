"""The SQL the loaders run (``etl/sql/*.sql``): staging, merges, matching, the overlap
candidates and the refresh of the dashboard's pre-aggregates. Values are always bound."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import psycopg
from psycopg import pq

from geodata.db import run_script as _run_script
from geodata.db import sql_file

REFRESH_LOCK = 7_347_002  # advisory lock: refreshes of the pre-aggregates never interleave
# A change spread over more province-years than this is refreshed in full: the incremental
# refresh reads each touched province's year again through indexes (about 1 s each on the
# national demo), which beyond that costs about as much as reading everything once.
WIDE = 40


def query(name: str) -> str:
    """The text of ``etl/sql/<name>.sql``."""
    return sql_file("etl", name)


def run_script(cur: psycopg.Cursor, name: str, params: dict[str, object] | None = None) -> None:
    """Every statement of ``etl/sql/<name>.sql``, with the same bound parameters."""
    _run_script(cur, name, params, package="etl")


@dataclass(frozen=True)
class Touched:
    """What a change touched, for an incremental refresh: area codes and fiscal years (BE).

    The contract: every plan item and allocation inserted, changed or deleted has its area in
    ``areas`` and its fiscal year in ``years``, before the change and after it (an item moved
    from one province to another touches both). So does, for a deleted row, every row linked to
    it (the items escalated to it, the allocations linked to it, the item it escalated to or is
    linked to); and, for a row whose link changed (escalated_to_id, plan_item_id), the row it
    was linked to before. The refresh widens this itself to whatever depends on those rows
    (the items funding reaches, their ancestors, clusters, the country)."""

    areas: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()

    @classmethod
    def of(cls, rows: Iterable[tuple[str, int]]) -> Touched:
        """From (area_code, fiscal_year) pairs."""
        pairs = list(rows)
        return cls(frozenset(a for a, _ in pairs), frozenset(int(y) for _, y in pairs))

    def __or__(self, other: Touched) -> Touched:
        return Touched(self.areas | other.areas, self.years | other.years)

    def __bool__(self) -> bool:
        return bool(self.areas and self.years)


def touched_by_load(cur: psycopg.Cursor, kind: str) -> Touched | None:
    """What the plans or budget load (``kind``) in this transaction touched, read after its merge
    from the load's temporary tables (``etl/sql/refresh_aggregates_touched_<kind>.sql``); None
    when it cannot be known exactly any more (the caller refreshes everything)."""
    row = cur.execute(query(f"refresh_aggregates_touched_{kind}")).fetchone()
    areas, years, complete = (row["areas"], row["years"], row["complete"]) if isinstance(row, dict) else row
    return Touched(frozenset(areas), frozenset(years)) if complete else None


def refresh_aggregates(cur: psycopg.Cursor, touched: Touched | None = None) -> None:
    """Rebuild the dashboard's pre-aggregates from plan items and allocations (the one place a
    load, the demo or matching triggers it; in the caller's transaction, so readers see either
    the state before or the state after, never a half-refreshed one).

    ``touched`` None rebuilds everything (``refresh_aggregates.sql``). A :class:`Touched` rebuilds
    only what depends on it (``refresh_aggregates_scope.sql`` then ``_rollup.sql``): the funding
    of the items whose funding may have changed, then the aggregate rows of the areas whose rows
    may differ and of their ancestors, in the fiscal years concerned; the result is the same as
    the full refresh's, row for row (a change over more than WIDE province-years is refreshed in
    full). Refreshes never interleave (an advisory lock held until the end of the
    transaction)."""
    conn = cur.connection
    if conn.autocommit and conn.info.transaction_status == pq.TransactionStatus.IDLE:
        with conn.transaction():
            _refresh(cur, touched)
    else:
        _refresh(cur, touched)


def _refresh(cur: psycopg.Cursor, touched: Touched | None) -> None:
    cur.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
    if touched is None or len({code[:2] for code in touched.areas}) * len(touched.years) > WIDE:
        cur.execute(query("refresh_aggregates"))
    elif touched:
        params = {"areas": sorted(touched.areas), "years": sorted(touched.years)}
        run_script(cur, "refresh_aggregates_scope", params)
        run_script(cur, "refresh_aggregates_rollup", params)
