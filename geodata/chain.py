"""The planning chain: one need traced from its village to the agency that funded it, and the
escalation funnel of an area (DESIGN §1: where needs get stuck on the way up)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import psycopg

from geodata.db import query

# The funnel's steps, in order (their names are the dashboard's: ``funnel_<key>`` labels).
FUNNEL_STEPS: tuple[str, ...] = (
    "village_needs",
    "beyond_capacity",
    "local_plan",
    "district",
    "province",
    "sent",
    "requested",
    "funded",
)


@dataclass(frozen=True)
class FunnelStep:
    key: str
    items: int
    amount: Decimal
    share_of_previous: float | None  # None for the first step

    @property
    def lost_share(self) -> float | None:
        return None if self.share_of_previous is None else 1 - self.share_of_previous


@dataclass(frozen=True)
class ChainStep:
    depth: int  # 0 = the item asked about; negative below it, positive above
    item_id: int
    plan_level: str
    item_key: str
    title: str
    area_code: str
    fiscal_year: int
    requested_amount: Decimal
    beyond_capacity: bool
    allocations: tuple[dict, ...]


def funnel(conn: psycopg.Connection, area_code: str, fiscal_year: int) -> list[FunnelStep]:
    """Root village needs of the area and how many reached each step, with amounts."""
    rows = conn.execute(query("funnel"), {"area": area_code, "fiscal_year": fiscal_year}).fetchall()
    by_step = {r["step"]: r for r in rows}
    steps: list[FunnelStep] = []
    previous: int | None = None
    for number, key in enumerate(FUNNEL_STEPS, start=1):
        row = by_step.get(number, {"items": 0, "amount": Decimal(0)})
        share = None if previous is None else (row["items"] / previous if previous else 0.0)
        steps.append(FunnelStep(key, row["items"], row["amount"], share))
        previous = row["items"]
    return steps


def chain(conn: psycopg.Connection, item_id: int) -> list[ChainStep]:
    """The item's chain from its root need up to the last item that took it up."""
    rows = conn.execute(query("chain_of_item"), {"item_id": item_id}).fetchall()
    return [
        ChainStep(
            r["depth"],
            r["id"],
            r["plan_level"],
            r["item_key"],
            r["title"],
            r["area_code"],
            r["fiscal_year"],
            r["requested_amount"],
            r["beyond_capacity"],
            tuple(r["allocations"]),
        )
        for r in rows
    ]


def root_needs(conn: psycopg.Connection, area_code: str, fiscal_year: int) -> tuple[int, Decimal]:
    """Distinct root needs of an area (each escalated need counted once) and their amount."""
    row = conn.execute(query("root_needs"), {"area": area_code, "fiscal_year": fiscal_year}).fetchone()
    return row["items"], row["amount"]
