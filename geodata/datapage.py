"""What is loaded, and what it can support: the figures of the data page and of the meeting
pack's sources slide (DESIGN §3.7, §3.11). Read-only, from the import records and the
pre-aggregates; the words are the dashboard's business.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import psycopg

from geodata.db import query

RUN_LIMIT = 30


@dataclass(frozen=True)
class Run:
    id: int
    kind: str
    source: str
    status: str  # loaded | rejected | held | failed | dry_run | running
    started_at: dt.datetime
    finished_at: dt.datetime | None
    counts: dict
    details: dict
    findings: int

    @property
    def loaded_rows(self) -> int:
        return int(self.counts.get("valid_rows") or 0)

    @property
    def rejected_rows(self) -> int:
        return int(self.counts.get("rejected_rows") or 0)

    @property
    def set_aside_rows(self) -> int:
        return int(self.counts.get("set_aside_rows") or 0)


@dataclass(frozen=True)
class Finding:
    run_id: int
    rule: str
    file: str
    sheet: str | None
    first_row: int | None
    last_row: int | None
    rows: int
    amount: Decimal
    message: str
    option: str | None
    action: str | None  # None: waiting for a decision (the run is held)


@dataclass(frozen=True)
class Year:
    fiscal_year: int
    plan_items: dict[str, tuple[int, Decimal]]  # plan level → (items, requested)
    allocations: int
    allocated: Decimal
    linked_allocated: Decimal
    multi_year: Decimal

    @property
    def link_share(self) -> float | None:
        return float(self.linked_allocated / self.allocated) if self.allocated else None


@dataclass(frozen=True)
class DataReport:
    runs: tuple[Run, ...]
    findings: tuple[Finding, ...]
    years: tuple[Year, ...]
    precision: dict[str, dict[str, tuple[int, Decimal]]]  # plans|budget → precision → (rows, amount)
    missing_volumes: dict[str, tuple[int, ...]]  # Budget Bill document → absent volume numbers

    def located_share(self, kind: str) -> float | None:
        """Share of rows placed below the country (neither 'none' nor 'country', which is a row
        naming areas in several provinces and counted once at the country)."""
        rows = self.precision.get(kind, {})
        total = sum(n for n, _ in rows.values())
        above = sum(rows.get(p, (0, 0))[0] for p in ("none", "country"))
        return (total - above) / total if total else None


def report(conn: psycopg.Connection, limit: int = RUN_LIMIT) -> DataReport:
    """Everything the data page shows, in five cheap queries."""
    runs = tuple(Run(**r) for r in conn.execute(query("data_runs"), {"limit": limit}).fetchall())
    findings = tuple(
        Finding(**r) for r in conn.execute(query("data_findings"), {"runs": [r.id for r in runs]}).fetchall()
    )
    by_year: dict[int, dict] = defaultdict(
        lambda: {
            "plan_items": {},
            "allocations": 0,
            "allocated": Decimal(0),
            "linked_allocated": Decimal(0),
            "multi_year": Decimal(0),
        }
    )
    for r in conn.execute(query("data_years")).fetchall():
        year = by_year[r["fiscal_year"]]
        if r["plan_level"]:
            year["plan_items"][r["plan_level"]] = (int(r["items"]), r["requested"])
        else:
            year.update(
                allocations=int(r["allocations"]),
                allocated=r["allocated"],
                linked_allocated=r["linked_allocated"],
                multi_year=r["multi_year"],
            )
    years = tuple(Year(fy, **v) for fy, v in sorted(by_year.items()))
    precision: dict[str, dict[str, tuple[int, Decimal]]] = defaultdict(dict)
    for r in conn.execute(query("data_precision")).fetchall():
        precision[r["kind"]][r["precision"]] = (int(r["n"]), r["amount"])
    volumes: dict[str, set[int]] = defaultdict(set)
    for r in conn.execute(query("data_volumes")).fetchall():
        if r["year"]:
            volumes[f"{r['year']}.{r['issue']}"].add(int(r["volume"]))
    missing = {doc: tuple(sorted(set(range(1, max(present) + 1)) - present)) for doc, present in volumes.items()}
    return DataReport(runs, findings, years, dict(precision), {d: m for d, m in missing.items() if m})
