"""Read side of the planning-chain pages (DESIGN §1): the funnel, the trace of one need, calendar
compliance and the overlap list, for one area and fiscal year.

Built on the tested pieces rather than beside them: the funnel is :func:`geodata.chain.funnel`
(summed over a cluster's member provinces), a trace is :func:`geodata.chain.chain` plus the names
and dates people read, and every "late plan" comes from ``compliance_plans.sql`` itself (the
SQL files here insert it as ``{plans}``), so the map, the table and
:func:`geodata.compliance.plan_compliance` cannot disagree. Values are always bound parameters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

import psycopg
from psycopg import sql

from geodata.areas import AREA_CODE, CHILD_LEVEL, LENGTH_BY_LEVEL, is_id, level_of, like_pattern
from geodata.chain import FunnelStep, chain, funnel
from geodata.compliance import NoticeCompliance, PlanCompliance, notice_compliance, untracked_notices
from geodata.db import query
from geodata.queries import cluster_members

SEARCH_LIMIT = 20
TABLE_LIMIT = 1000


# --------------------------------------------------------------------------- scope


def scope_codes(conn: psycopg.Connection, area: str, fiscal_year: int) -> list[str]:
    """The area codes a view of ``area`` covers: itself, or for a cluster its member provinces
    that fiscal year (and the cluster itself, which has plans of its own)."""
    if not AREA_CODE.match(area):
        raise ValueError(f"not an area code: {area!r}")
    if area.startswith("C"):
        return [area, *cluster_members(conn, area, fiscal_year)]
    return [area]


def like_patterns(codes: Sequence[str]) -> list[str]:
    """LIKE patterns of the area codes inside any of ``codes`` ('TH': all)."""
    return ["%"] if "TH" in codes else [c + "%" for c in codes]


@cache
def _with_plans(name: str) -> sql.Composed:
    """``geodata/sql/<name>.sql`` with ``compliance_plans.sql`` inserted at its ``{plans}``
    placeholder (on lines of its own, so a trailing comment cannot swallow what follows)."""
    plans = query("compliance_plans").strip()
    plans = plans[:-1] if plans.endswith(";") else plans
    if ";" in plans:
        raise RuntimeError("compliance_plans.sql must stay one statement to be inserted")
    return sql.SQL(query(name)).format(plans=sql.SQL(f"\n{plans}\n"))


# --------------------------------------------------------------------------- funnel


def combine_funnels(funnels: Sequence[Sequence[FunnelStep]]) -> list[FunnelStep]:
    """Funnels of disjoint areas added step by step (shares recomputed from the sums)."""
    if not funnels:
        return []
    out: list[FunnelStep] = []
    previous: int | None = None
    for steps in zip(*funnels):
        first = steps[0]
        items = sum(s.items for s in steps)
        amount = sum((s.amount for s in steps), Decimal(0))
        share = None if previous is None else (items / previous if previous else 0.0)
        out.append(replace(first, items=items, amount=amount, share_of_previous=share))
        previous = items
    return out


def area_funnel(conn: psycopg.Connection, area: str, fiscal_year: int) -> list[FunnelStep]:
    """:func:`geodata.chain.funnel` of an area; a cluster's is the sum of its provinces'."""
    codes = [c for c in scope_codes(conn, area, fiscal_year) if not c.startswith("C")]
    if codes == [area] or not codes:
        return funnel(conn, area, fiscal_year)  # a cluster without members: all zero
    return combine_funnels([funnel(conn, c, fiscal_year) for c in codes])


# --------------------------------------------------------------------------- trace


@dataclass(frozen=True)
class NeedHit:
    """One need found by the trace view's search (the root of a chain)."""

    id: int
    title: str
    plan_level: str
    area_code: str
    area_th: str
    area_en: str | None
    amount: Decimal
    top_level: str  # the plan level the need reached
    funded: bool
    requested: bool


def search_needs(
    conn: psycopg.Connection, area: str, fiscal_year: int, text: str | None, limit: int = SEARCH_LIMIT
) -> tuple[list[NeedHit], int]:
    """Needs of the area whose title contains ``text`` (ILIKE, bound), largest first, at most
    ``limit``; and how many matched in all."""
    rows = conn.execute(
        query("chain_search"),
        {
            "fiscal_year": fiscal_year,
            "patterns": like_patterns(scope_codes(conn, area, fiscal_year)),
            "search": like_pattern(text),
            "limit": max(1, min(int(limit), 100)),
        },
    ).fetchall()
    hits = [
        NeedHit(
            r["id"],
            r["title"],
            r["plan_level"],
            r["area_code"],
            r["area_name_th"],
            r["area_name_en"],
            r["requested_amount"],
            r["top_level"],
            bool(r["funded"]),
            bool(r["requested"]),
        )
        for r in rows
    ]
    return hits, int(rows[0]["total"]) if rows else 0


def item_exists(conn: psycopg.Connection, item_id: int) -> bool:
    return item_area(conn, item_id) is not None


def item_area(conn: psycopg.Connection, item_id: int) -> str | None:
    """The area of a plan item, or None when there is no such item."""
    if not is_id(item_id):
        return None
    row = conn.execute(query("chain_item"), {"item_id": item_id}).fetchone()
    return None if row is None else (row["area_code"] if isinstance(row, dict) else row[2])


@dataclass(frozen=True)
class TraceAllocation:
    source_key: str
    fiscal_year: int
    status: str  # requested | funded | cancelled
    amount: Decimal
    funding_source: str
    agency_th: str | None
    agency_en: str | None
    notified_on: dt.date | None
    notice_due: dt.date | None  # the Budget Act's date + the notice period
    match_method: str | None
    match_confidence: float | None

    @property
    def notice(self) -> str | None:
        """on_time | late | missing for a funded agency allocation; None where no notice is due."""
        if self.status != "funded" or self.funding_source != "agency" or self.notice_due is None:
            return None
        if self.notified_on is None:
            return "missing"
        return "late" if self.notified_on > self.notice_due else "on_time"


@dataclass(frozen=True)
class TraceStep:
    depth: int  # 0 = the item asked about
    item_id: int
    plan_level: str
    title: str
    fiscal_year: int
    amount: Decimal
    beyond_capacity: bool
    area_code: str  # the finest area the item is tagged to
    area_level: str
    area_th: str
    area_en: str | None
    lon: float | None  # the village's point, when the item is tagged to one
    lat: float | None
    plan_area_code: str  # the area whose plan it is in (village, tambon … province)
    plan_area_th: str
    plan_area_en: str | None
    owner_th: str | None  # e.g. the local government whose plan it is
    owner_en: str | None
    submitted_on: dt.date | None
    window_start: dt.date | None
    window_end: dt.date | None
    plan_status: str  # on_time | late | early | unknown | not_applicable
    days_late: int | None
    allocations: tuple[TraceAllocation, ...]


@dataclass(frozen=True)
class Outcome:
    """Where a need stopped: funded | requested | sent | stopped | kept, at which plan level,
    and by whom (funded or requested allocations)."""

    kind: str
    level: str
    allocations: tuple[TraceAllocation, ...] = ()


@dataclass(frozen=True)
class Trace:
    item_id: int
    steps: tuple[TraceStep, ...]
    outcome: Outcome

    @property
    def root(self) -> TraceStep:
        return self.steps[0]


def outcome(steps: Sequence[TraceStep]) -> Outcome:
    """Where the chain ended: funded (by which allocations), in a budget request, sent to the
    agencies without a request, stopped at its top level, or kept at the village (a need within
    the village's own capacity is not lost: the village meets it itself)."""
    if not steps:
        raise ValueError("a chain has at least one step")
    top = steps[-1]
    allocations = [a for s in steps for a in s.allocations]
    funded = tuple(a for a in allocations if a.status == "funded")
    if funded:
        return Outcome("funded", top.plan_level, funded)
    requested = tuple(a for a in allocations if a.status == "requested")
    if requested:
        return Outcome("requested", top.plan_level, requested)
    if top.plan_level in ("province", "cluster") and top.beyond_capacity:
        return Outcome("sent", top.plan_level)
    if len(steps) == 1 and top.plan_level == "village" and not top.beyond_capacity:
        return Outcome("kept", "village")
    return Outcome("stopped", top.plan_level)


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _allocation(a: dict) -> TraceAllocation:
    return TraceAllocation(
        a["source_key"],
        int(a["fiscal_year"]),
        a["status"],
        Decimal(a["amount"]),
        a["funding_source"],
        a.get("agency_th"),
        a.get("agency_en"),
        _date(a.get("notified_on")),
        _date(a.get("notice_due")),
        a.get("match_method"),
        a.get("match_confidence"),
    )


def trace(conn: psycopg.Connection, item_id: int) -> Trace | None:
    """The whole chain of an item (root need first) with names, dates and allocations, and
    where it stopped; None when there is no such item."""
    if not item_exists(conn, item_id):
        return None
    path = chain(conn, item_id)
    details = {r["id"]: r for r in conn.execute(query("chain_trace"), {"ids": [s.item_id for s in path]})}
    status: dict[int, dict] = {}
    years: dict[int, list[int]] = defaultdict(list)
    for r in details.values():
        years[r["plan_fiscal_year"]].append(r["plan_id"])
    for year, plan_ids in years.items():
        for r in conn.execute(
            _with_plans("chain_plan_status"), {"area": "TH", "fiscal_year": year, "plan_ids": plan_ids}
        ):
            status[r["id"]] = r
    steps = []
    for s in path:
        d = details[s.item_id]
        c = status.get(d["plan_id"], {})
        steps.append(
            TraceStep(
                s.depth,
                s.item_id,
                s.plan_level,
                s.title,
                s.fiscal_year,
                s.requested_amount,
                s.beyond_capacity,
                d["area_code"],
                d["area_level"],
                d["area_name_th"],
                d["area_name_en"],
                d["lon"],
                d["lat"],
                d["plan_area_code"],
                d["plan_area_th"],
                d["plan_area_en"],
                d["owner_th"],
                d["owner_en"],
                d["submitted_on"],
                c.get("window_start"),
                c.get("window_end"),
                c.get("status", "unknown"),
                c.get("days_late"),
                tuple(_allocation(a) for a in d["allocations"]),
            )
        )
    return Trace(item_id, tuple(steps), outcome(steps))


# --------------------------------------------------------------------------- compliance


@dataclass(frozen=True)
class PlanCounts:
    plans: int = 0  # plans the calendar judges (the annual cycle)
    late: int = 0
    unknown: int = 0
    max_days_late: int | None = None
    not_applicable: int = 0  # plans of one-off programmes: no calendar applies

    @property
    def late_share(self) -> float | None:
        return self.late / self.plans if self.plans else None

    def __add__(self, other: PlanCounts) -> PlanCounts:
        days = [d for d in (self.max_days_late, other.max_days_late) if d is not None]
        return PlanCounts(
            self.plans + other.plans,
            self.late + other.late,
            self.unknown + other.unknown,
            max(days) if days else None,
            self.not_applicable + other.not_applicable,
        )


@dataclass(frozen=True)
class ComplianceSummary:
    by_child: dict[str, PlanCounts]  # sub-area code → its plans (all levels)
    by_level: dict[str, PlanCounts]  # plan level → plans of the whole area
    total: PlanCounts


def compliance_summary(
    conn: psycopg.Connection, area: str, fiscal_year: int, child_length: int | None = None
) -> ComplianceSummary:
    """Plans of the area by sub-area (codes cut to ``child_length``; default: the area's
    children) and by plan level, with how many were late."""
    length = child_length or LENGTH_BY_LEVEL[CHILD_LEVEL[level_of(area)]]
    by_child: dict[str, PlanCounts] = defaultdict(PlanCounts)
    by_level: dict[str, PlanCounts] = defaultdict(PlanCounts)
    for code in scope_codes(conn, area, fiscal_year):
        for r in conn.execute(
            _with_plans("chain_compliance_by_area"), {"area": code, "fiscal_year": fiscal_year, "length": length}
        ):
            counts = PlanCounts(
                int(r["plans"]), int(r["late"]), int(r["unknown"]), r["max_days_late"], int(r["not_applicable"])
            )
            if len(r["code"]) == length and r["code"][:1].isdigit():
                by_child[r["code"]] += counts
            by_level[r["level"]] += counts
    total = sum(by_level.values(), PlanCounts())
    return ComplianceSummary(dict(by_child), dict(by_level), total)


def late_plans(
    conn: psycopg.Connection, area: str, fiscal_year: int, limit: int = TABLE_LIMIT
) -> tuple[list[PlanCompliance], int]:
    """The late rows of :func:`geodata.compliance.plan_compliance` (most days late first, at most
    ``limit``) and how many there are in all."""
    rows: list[dict] = []
    total = 0
    for code in scope_codes(conn, area, fiscal_year):
        found = conn.execute(
            _with_plans("chain_late_plans"), {"area": code, "fiscal_year": fiscal_year, "limit": limit}
        ).fetchall()
        rows += found
        total += int(found[0]["total"]) if found else 0
    rows.sort(key=lambda r: (-(r["days_late"] or 0), r["level"], r["area_code"], r["id"]))
    return [
        PlanCompliance(
            r["id"],
            r["level"],
            r["area_code"],
            r["name_th"],
            r["name_en"],
            r["fiscal_year"],
            r["submitted_on"],
            r["window_start"],
            r["window_end"],
            r["status"],
            r["days_late"],
        )
        for r in rows[:limit]
    ], total


def notices(conn: psycopg.Connection, area: str, fiscal_year: int) -> list[NoticeCompliance]:
    """:func:`geodata.compliance.notice_compliance` of the area (a cluster: its provinces)."""
    out: list[NoticeCompliance] = []
    for code in scope_codes(conn, area, fiscal_year):
        if not code.startswith("C"):
            out += notice_compliance(conn, code, fiscal_year)
    return out


def untracked(conn: psycopg.Connection, area: str, fiscal_year: int) -> int:
    """Funded agency allocations of the area whose source records no notice date."""
    return sum(
        untracked_notices(conn, code, fiscal_year)[0]
        for code in scope_codes(conn, area, fiscal_year)
        if not code.startswith("C")
    )


# --------------------------------------------------------------------------- overlaps


@dataclass(frozen=True)
class OverlapSide:
    kind: str  # plan_item | allocation
    id: int
    source: str  # as stored ('local plan', 'agency funding:12')
    title: str
    amount: Decimal
    plan_level: str | None  # a plan item's plan level
    funding_source: str | None
    agency_th: str | None
    agency_en: str | None


@dataclass(frozen=True)
class Overlap:
    id: int
    fiscal_year: int
    tambon_code: str
    tambon_th: str
    tambon_en: str | None
    district_th: str | None
    district_en: str | None
    a: OverlapSide
    b: OverlapSide
    similarity: float


def _side(r: dict, p: str) -> OverlapSide:
    return OverlapSide(
        r[f"{p}_kind"],
        r[f"{p}_id"],
        r[f"{p}_source"],
        r[f"{p}_title"],
        r[f"{p}_amount"],
        r[f"{p}_level"],
        r[f"{p}_funding"],
        r[f"{p}_agency_th"],
        r[f"{p}_agency_en"],
    )


def overlaps(
    conn: psycopg.Connection, area: str, fiscal_year: int, limit: int = TABLE_LIMIT
) -> tuple[list[Overlap], int]:
    """Possibly duplicated projects in the area's tambons that fiscal year (from
    ``overlap_pairs``), most similar first, at most ``limit``; and how many in all."""
    rows = conn.execute(
        query("overlap_list"),
        {"fiscal_year": fiscal_year, "patterns": like_patterns(scope_codes(conn, area, fiscal_year)), "limit": limit},
    ).fetchall()
    return (
        [
            Overlap(
                r["id"],
                r["fiscal_year"],
                r["tambon_code"],
                r["tambon_th"],
                r["tambon_en"],
                r["district_th"],
                r["district_en"],
                _side(r, "a"),
                _side(r, "b"),
                float(r["similarity"]),
            )
            for r in rows
        ],
        int(rows[0]["total"]) if rows else 0,
    )
