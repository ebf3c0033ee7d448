"""Calendar compliance (DESIGN §1): did each level submit its plan in its window, and did each
agency notify the province within the notice period after the Budget Act?"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import psycopg

from geodata.db import query


@dataclass(frozen=True)
class PlanCompliance:
    plan_id: int
    level: str
    area_code: str
    name_th: str
    name_en: str | None
    fiscal_year: int
    submitted_on: dt.date | None
    window_start: dt.date
    window_end: dt.date
    status: str  # on_time | late | early | unknown | not_applicable (a one-off programme)
    days_late: int | None


@dataclass(frozen=True)
class NoticeCompliance:
    agency_id: int | None
    agency: str | None
    province_code: str
    province: str
    fiscal_year: int
    effective_on: dt.date
    notice_days: int
    funded_items: int
    funded_amount: Decimal
    not_notified: int
    late: int
    max_days: int | None

    @property
    def overdue(self) -> bool:
        return self.late > 0 or self.not_notified > 0


def plan_compliance(conn: psycopg.Connection, area_code: str, fiscal_year: int) -> list[PlanCompliance]:
    rows = conn.execute(query("compliance_plans"), {"area": area_code, "fiscal_year": fiscal_year}).fetchall()
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
        for r in rows
    ]


def notice_compliance(conn: psycopg.Connection, area_code: str, fiscal_year: int) -> list[NoticeCompliance]:
    rows = conn.execute(query("compliance_notices"), {"area": area_code, "fiscal_year": fiscal_year}).fetchall()
    return [NoticeCompliance(**r) for r in rows]


def untracked_notices(conn: psycopg.Connection, area_code: str, fiscal_year: int) -> tuple[int, Decimal]:
    """Funded agency allocations whose source does not record the notice (count, amount):
    the notice rule is not applicable to them."""
    row = conn.execute(query("compliance_untracked"), {"area": area_code, "fiscal_year": fiscal_year}).fetchone()
    return int(row["items"]), row["amount"]
