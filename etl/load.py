"""Load validated records: COPY into staging, merge in one transaction, record the run.

Either the whole import lands or nothing does. With rejected rows the default is to load
nothing (the run and its rejects are still recorded, so the report survives); ``allow_rejects``
loads the good rows and keeps the rejects beside them. Re-running an import changes no data:
rows merge on natural keys and unchanged rows are not rewritten.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from etl import runs
from etl.db import query, refresh_aggregates, run_script
from etl.overlaps import refresh_overlaps
from etl.records import BudgetRecord, Gazetteer, Outcome, PlanRecord, Problem


@dataclass(frozen=True)
class LoadResult:
    run_id: int
    status: str  # loaded | rejected | dry_run
    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected_rows: int
    problems: tuple[Problem, ...]
    by_precision: dict[str, int]
    notes: tuple[str, ...] = field(default=())
    findings: tuple = field(default=())  # etl.health.Finding
    cycle: str | None = None  # plans: annual | one_off

    @property
    def held(self) -> bool:
        """Findings wait for the user's decision: nothing was loaded."""
        return self.status == "held"

    @property
    def loaded(self) -> bool:
        return self.status == "loaded"


def read_gazetteer(conn: psycopg.Connection) -> Gazetteer:
    """Codes, successors of abolished codes, cluster names and province names from the database."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT code, level, status, successor_codes, name_th FROM areas WHERE level <> 'village'"
        ).fetchall()
    return Gazetteer(
        codes=(r["code"] for r in rows if r["status"] != "abolished"),
        successors={r["code"]: r["successor_codes"] for r in rows if r["status"] == "abolished"},
        clusters={r["code"]: r["name_th"] for r in rows if r["level"] == "cluster"},
        province_names={r["name_th"]: r["code"] for r in rows if r["level"] == "province"},
    )


_PLAN_COLUMNS = (
    "item_key, title, amount, fiscal_year, area_code, precision, confidence, note, plan_level,"
    " plan_area, agency, ministry, sector, strategy, beyond, escalated_to_ref, submitted_on,"
    " source_row, cycle"
)
_BUDGET_COLUMNS = (
    "source_key, title, amount, fiscal_year, area_code, precision, confidence, note, agency,"
    " ministry, budget_plan, funding_source, status, source_row, multi_year"
)


def load_plans(
    conn: psycopg.Connection,
    outcome: Outcome,
    *,
    level: str,
    source: str,
    checksum: str,
    allow_rejects: bool = False,
    dry_run: bool = False,
    extra: dict | None = None,
    cycle: str = "annual",
) -> LoadResult:
    """Load plan records in one transaction; see the module docstring for the reject policy."""
    records: Sequence[PlanRecord] = outcome.records
    problems = list(outcome.problems)
    run_id = runs.start(
        conn, "plans", source, checksum=checksum, details={"level": level, "cycle": cycle, **(extra or {})}
    )
    with runs.failing(conn, run_id):
        counts = {"inserted": 0, "updated": 0}
        with conn.transaction() as tx:
            if records:
                _stage(
                    conn,
                    "import_plans_stage",
                    f"COPY stage_plan_items ({_PLAN_COLUMNS}) FROM STDIN",
                    (
                        [
                            r.item_key,
                            r.title,
                            r.amount,
                            r.fiscal_year,
                            r.place.code,
                            r.place.precision,
                            r.place.confidence,
                            r.place.note,
                            level,
                            r.plan_area,
                            r.agency,
                            r.ministry,
                            r.sector,
                            r.strategy,
                            r.beyond_capacity,
                            r.escalated_to_ref,
                            r.submitted_on,
                            r.row,
                            cycle,
                        ]
                        for r in records
                    ),
                    [(r.agency, r.ministry) for r in records],
                    _villages(records),
                )
                problems += _unresolved_references(conn, records, source)
                problems += _escalation_loops(conn, records, source)
            if dry_run or not records or (problems and not allow_rejects) or _held(outcome):
                raise psycopg.Rollback(tx)
            with conn.cursor(row_factory=dict_row) as cur:
                run_script(cur, "import_organisations")
                run_script(cur, "import_villages")
                run_script(cur, "import_plans_plans", {"run_id": run_id})
                counts = cur.execute(query("import_plans_items"), {"run_id": run_id}).fetchone()
                run_script(cur, "import_plans_escalations")
                if counts["inserted"] or counts["updated"]:
                    refresh_aggregates(cur)
                    refresh_overlaps(conn)  # in the load's transaction: never stale after a kill
            # the run's record commits with its data: a kill leaves neither, never one alone
            return _finish(conn, run_id, "loaded", outcome, problems, counts, cycle=cycle)
        return _finish(
            conn, run_id, _status(problems, allow_rejects, dry_run, outcome), outcome, problems, counts, cycle=cycle
        )


def load_budget(
    conn: psycopg.Connection,
    outcome: Outcome,
    *,
    source: str,
    checksum: str,
    status: str = "funded",
    allow_rejects: bool = False,
    dry_run: bool = False,
    extra: dict | None = None,
) -> LoadResult:
    """Load Budget Bill records as allocations (one row per item and fiscal year, §3.4). The Bill
    says nothing about when agencies notified provinces, so the notice rule does not apply."""
    records: Sequence[BudgetRecord] = outcome.records
    problems = list(outcome.problems)
    run_id = runs.start(conn, "budget", source, checksum=checksum, details={"status": status, **(extra or {})})
    with runs.failing(conn, run_id):
        counts = {"inserted": 0, "updated": 0}
        with conn.transaction() as tx:
            if dry_run or not records or (problems and not allow_rejects) or _held(outcome):
                raise psycopg.Rollback(tx)
            _stage(
                conn,
                "import_budget_stage",
                f"COPY stage_allocations ({_BUDGET_COLUMNS}) FROM STDIN",
                (
                    [
                        r.source_key,
                        r.title,
                        r.amount,
                        r.fiscal_year,
                        r.place.code,
                        r.place.precision,
                        r.place.confidence,
                        r.place.note,
                        r.agency,
                        r.ministry,
                        r.budget_plan,
                        r.funding_source,
                        status,
                        r.row,
                        r.multi_year,
                    ]
                    for r in records
                ),
                [(r.agency, r.ministry) for r in records],
                _villages(records),
            )
            with conn.cursor(row_factory=dict_row) as cur:
                run_script(cur, "import_organisations")
                run_script(cur, "import_villages")
                counts = cur.execute(query("import_budget_merge"), {"run_id": run_id}).fetchone()
                if counts["inserted"] or counts["updated"]:
                    refresh_aggregates(cur)
                    refresh_overlaps(conn)  # in the load's transaction: never stale after a kill
            return _finish(conn, run_id, "loaded", outcome, problems, counts)
        return _finish(conn, run_id, _status(problems, allow_rejects, dry_run, outcome), outcome, problems, counts)


# -- internals -------------------------------------------------------------------------------


def _stage_orgs(conn: psycopg.Connection, pairs: list[tuple[str | None, str | None]]) -> None:
    conn.execute("DROP TABLE IF EXISTS stage_orgs")
    conn.execute("CREATE TEMP TABLE stage_orgs (agency text, ministry text) ON COMMIT DROP")
    with conn.cursor().copy("COPY stage_orgs (agency, ministry) FROM STDIN") as copy:
        for pair in sorted(set(pairs), key=lambda p: (p[0] or "", p[1] or "")):
            copy.write_row(pair)


def _villages(records: Sequence[PlanRecord] | Sequence[BudgetRecord]) -> list[str]:
    return [r.place.code for r in records if r.place.precision == "village"]


def _precision_counts(outcome: Outcome) -> dict[str, int]:
    return dict(Counter(r.place.precision for r in outcome.records))


def _save_rejects(conn: psycopg.Connection, run_id: int, problems: list[Problem]) -> None:
    with conn.cursor().copy(
        "COPY import_rejects (run_id, file, sheet, row_number, field, value, rule, message) FROM STDIN"
    ) as copy:
        for p in problems:
            copy.write_row([run_id, *p.as_row()])


def _held(outcome: Outcome) -> bool:
    return any(f.needs_decision for f in outcome.findings)


def _status(problems: list[Problem], allow_rejects: bool, dry_run: bool, outcome: Outcome) -> str:
    if dry_run:
        return "dry_run"
    if problems and not allow_rejects:
        return "rejected"
    return "held" if _held(outcome) else "loaded"


def _stage(conn: psycopg.Connection, create: str, copy_sql: str, rows, orgs, villages) -> None:  # noqa: ANN001
    conn.execute(query(create))
    _stage_orgs(conn, orgs)
    conn.execute("DROP TABLE IF EXISTS stage_villages")
    conn.execute("CREATE TEMP TABLE stage_villages (code text PRIMARY KEY) ON COMMIT DROP")
    with conn.cursor().copy("COPY stage_villages (code) FROM STDIN") as copy:
        for code in sorted(set(villages)):
            copy.write_row([code])
    with conn.cursor().copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)
    # Temporary tables have no statistics until analysed; without them the merge plans badly.
    conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(copy_sql.split()[1])))


def _unresolved_references(conn: psycopg.Connection, records: Sequence[PlanRecord], source: str) -> list[Problem]:
    by_row = {r.row: r for r in records}
    found = []
    with conn.cursor(row_factory=dict_row) as cur:
        for row in cur.execute(query("import_plans_unresolved")).fetchall():
            rec = by_row.get(row["source_row"])
            found.append(
                Problem(
                    rec.file if rec else source,
                    rec.sheet if rec else None,
                    row["source_row"],
                    "escalated_to_ref",
                    row["escalated_to_ref"],
                    "unknown reference",
                    f"row {row['source_row']}: escalated to {row['escalated_to_ref']!r}, which is"
                    " no plan item in this import or in the database",
                )
            )
    return found


def _escalation_loops(conn: psycopg.Connection, records: Sequence[PlanRecord], source: str) -> list[Problem]:
    by_key = {r.item_key: r for r in records}
    found = []
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(query("import_plans_cycles")).fetchall()
    for row in rows:
        rec = by_key.get(row["item_key"])
        found.append(
            Problem(
                rec.file if rec else source,
                rec.sheet if rec else None,
                rec.row if rec else None,
                "escalated_to_ref",
                rec.escalated_to_ref if rec else row["item_key"],
                "escalation loop",
                f"escalated along {row['loop']}, back to itself: an item cannot be taken up by its own follower",
            )
        )
    return found


def _save_findings(conn: psycopg.Connection, run_id: int, findings: Sequence) -> None:
    with conn.cursor().copy(
        "COPY import_findings (run_id, rule, file, sheet, first_row, last_row, rows, amount, message, option,"
        " action) FROM STDIN"
    ) as copy:
        for f in findings:
            copy.write_row(
                [
                    run_id,
                    f.rule,
                    f.file,
                    f.sheet,
                    f.first_row,
                    f.last_row,
                    len(f.rows),
                    f.amount,
                    f.message,
                    f.option,
                    f.action,
                ]
            )


def _finish(
    conn: psycopg.Connection,
    run_id: int,
    status: str,
    outcome: Outcome,
    problems: list[Problem],
    counts: dict,
    cycle: str | None = None,
) -> LoadResult:
    """Record the outcome of the run: inside the load's transaction when the data is kept, in a
    transaction of its own when it was rolled back (so a rejected import keeps its report)."""
    rows = len(outcome.records) if status == "loaded" else 0
    inserted, updated = counts["inserted"], counts["updated"]
    with conn.transaction():
        _save_rejects(conn, run_id, problems)
        _save_findings(conn, run_id, outcome.findings)
        _update_run(conn, run_id, status, outcome, problems, inserted, updated, rows)
    set_aside = sum(
        len(f.rows) for f in outcome.findings if f.action in ("drop", "noted") and f.rule != "drag_filled_dates"
    )
    return LoadResult(
        run_id,
        status,
        len(outcome.records) + _rejected(problems) + set_aside,
        inserted,
        updated,
        rows - inserted - updated,
        _rejected(problems),
        tuple(problems),
        _precision_counts(outcome),
        tuple(outcome.notes),
        tuple(outcome.findings),
        cycle,
    )


def _rejected(problems: list[Problem]) -> int:
    """Rejected rows; a file-level problem (unreadable file) has no row and is counted apart."""
    return len({(p.file, p.sheet, p.row) for p in problems if p.row is not None})


def _update_run(
    conn: psycopg.Connection,
    run_id: int,
    status: str,
    outcome: Outcome,
    problems: list[Problem],
    inserted: int,
    updated: int,
    rows: int,
) -> None:
    counts = {
        "valid_rows": rows,
        "inserted": inserted,
        "updated": updated,
        "unchanged": rows - inserted - updated if status == "loaded" else 0,
        "rejected_rows": _rejected(problems),
        "by_rule": dict(Counter(p.rule for p in problems)),
        "by_precision": _precision_counts(outcome),
        "set_aside_rows": sum(
            len(f.rows) for f in outcome.findings if f.action in ("drop", "noted") and f.rule != "drag_filled_dates"
        ),
        "held_findings": sum(1 for f in outcome.findings if f.needs_decision),
    }
    runs.finish(conn, run_id, status, counts, {"notes": outcome.notes})
