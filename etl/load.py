"""Load validated records: COPY into staging, merge in one transaction, record the run.

Either the whole import lands or nothing does. With rejected rows the default is to load
nothing (the run and its rejects are still recorded, so the report survives); ``allow_rejects``
loads the good rows and keeps the rejects beside them. Re-running an import changes no data:
rows merge on natural keys and unchanged rows are not rewritten.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

import psycopg
from psycopg import sql
from psycopg.rows import dict_row, tuple_row

from etl import runs
from etl.columns import plan_stage_text
from etl.db import Touched, query, refresh_aggregates, run_script, touched_by_load
from etl.overlaps import refresh_overlaps_after_load
from etl.records import BudgetRecord, Gazetteer, Outcome, PlanRecord, Problem
from etl.versions import continue_keys, written_of


@dataclass(frozen=True)
class DifferenceRow:
    """One row the import adds, changes or retires in its source (amounts in baht)."""

    change: str  # new | changed | retired
    source: str
    row_key: str
    title: str
    title_before: str | None
    amount_before: Decimal | None
    amount_after: Decimal | None
    area_before: str | None
    area_after: str | None
    fiscal_year: int
    source_row: int | None


@dataclass(frozen=True)
class Difference:
    """What an import does to the current version of its sources (a dry run shows the same)."""

    rows: tuple[DifferenceRow, ...] = ()

    def of(self, change: str) -> list[DifferenceRow]:
        return [r for r in self.rows if r.change == change]

    @property
    def changes(self) -> bool:
        return bool(self.rows)

    def summary(self) -> str:
        parts = []
        for change, label in (("new", "new"), ("changed", "changed"), ("retired", "retired")):
            rows = self.of(change)
            before = sum((r.amount_before or 0) for r in rows)
            after = sum((r.amount_after or 0) for r in rows)
            money = (
                f"{after:,.2f}"
                if change == "new"
                else f"{before:,.2f}"
                if change == "retired"
                else (f"{before:,.2f} → {after:,.2f}")
            )
            parts.append(f"{len(rows):,} {label} ({money} baht)")
        return ", ".join(parts)


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
    difference: Difference = field(default_factory=Difference)

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


_SATANG = Decimal("0.01")
_T = TypeVar("_T")
_PLAN_COLUMNS = (
    "item_key, title, amount, fiscal_year, area_code, precision, confidence, note, plan_level,"
    " plan_area, agency, ministry, sector, strategy, beyond, escalated_to_ref, submitted_on,"
    " source_row, cycle, source, as_written, content_key, has_ref"
)
_BUDGET_COLUMNS = (
    "source_key, title, amount, fiscal_year, area_code, precision, confidence, note, agency,"
    " ministry, budget_plan, funding_source, status, source_row, multi_year, source"
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
    source_of: Callable[[str], str] = str,
) -> LoadResult:
    """Load plan records in one transaction as the new version of their sources (``source_of``
    a file name; see :mod:`etl.versions`); see the module docstring for the reject policy."""
    problems = list(outcome.problems)
    run_id = runs.start(
        conn, "plans", source, checksum=checksum, details={"level": level, "cycle": cycle, **(extra or {})}
    )
    with runs.failing(conn, run_id):
        counts, difference = {"inserted": 0, "updated": 0}, Difference()
        touched: Touched | None = None
        with conn.transaction() as tx:
            records: Sequence[PlanRecord] = _continued(conn, outcome.records, source_of)
            if records:
                _stage(
                    conn,
                    "import_plans_stage",
                    f"COPY stage_plan_items ({_PLAN_COLUMNS}) FROM STDIN",
                    # COPY text made in one pass (etl.columns), not a dumper call per value
                    plan_stage_text(records, level=level, cycle=cycle, source_of=source_of),
                    [(r.agency, r.ministry) for r in records],
                    _villages(records),
                )
                # only a new "escalated to" link can be unresolved or close a loop: a file without
                # any needs no look-up and no walk
                escalating = any(r.escalated_to_ref is not None for r in records)
                problems += _unresolved_references(conn, records, source) if escalating else []
                problems += _in_other_sources(conn, records, source_of)
                problems += _legacy_rows(conn, source)
                loops = _escalation_loops(conn, records, source) if escalating else []
                problems += loops
                with conn.cursor(row_factory=dict_row) as cur:
                    run_script(cur, "import_plans_sources")
                    run_script(cur, "import_plans_before")
                    run_script(cur, "import_organisations")
                    run_script(cur, "import_villages")
                    run_script(cur, "import_plans_plans", {"run_id": run_id})
                    run_script(cur, "import_sources", {"kind": "plans", "level": level, "run_id": run_id})
                    run_script(cur, "import_plans_retire", {"run_id": run_id})
                    # a source's first version: nothing to update, so a plain insert (no conflicts);
                    # its difference (every row new) is made from the records while it runs, and
                    # so is what it touched when it names no link: its rows' places and years
                    first = cur.execute("SELECT NOT EXISTS (SELECT 1 FROM before_rows) AS first").fetchone()["first"]
                    own = (lambda: Touched.of((r.place.code, r.fiscal_year) for r in records)) if first else None
                    with (
                        _meanwhile(_all_new(records, source_of) if first else None) as new,
                        _meanwhile(own if not escalating else None) as placed,
                    ):
                        run_script(cur, "import_plans_new" if first else "import_plans_items", {"run_id": run_id})
                        # a loop would link an item to itself (the import is refused anyway); a file
                        # naming no link has none to make (and the join would plan badly on fresh rows)
                        if escalating and not loops:
                            run_script(cur, "import_plans_escalations")
                        _stage_item_areas(conn, records, source_of)
                        run_script(cur, "import_plans_areas")
                        counts, difference = _merged(cur, "plans", run_id, new)
                        touched = placed() if placed else None
            if dry_run or not records or (problems and not allow_rejects) or _held(outcome):
                raise psycopg.Rollback(tx)
            if difference.changes:
                with conn.cursor() as cur:
                    refresh_aggregates(cur, touched or touched_by_load(cur, "plans"))
                refresh_overlaps_after_load(conn, "plans")  # in the load's transaction: never stale after a kill
            # the run's record commits with its data: a kill leaves neither, never one alone
            return _finish(conn, run_id, "loaded", outcome, problems, counts, cycle=cycle, difference=difference)
        return _finish(
            conn,
            run_id,
            _status(problems, allow_rejects, dry_run, outcome),
            outcome,
            problems,
            counts,
            cycle=cycle,
            difference=difference,
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
    source_of: Callable[[str], str] = str,
) -> LoadResult:
    """Load Budget Bill records as allocations (one row per item and fiscal year, §3.4), the new
    version of their sources. The Bill says nothing about when agencies notified provinces, so
    the notice rule does not apply."""
    records: Sequence[BudgetRecord] = outcome.records
    problems = list(outcome.problems)
    run_id = runs.start(conn, "budget", source, checksum=checksum, details={"status": status, **(extra or {})})
    with runs.failing(conn, run_id):
        counts, difference = {"inserted": 0, "updated": 0}, Difference()
        with conn.transaction() as tx:
            if records:
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
                            source_of(r.file),
                        ]
                        for r in records
                    ),
                    [(r.agency, r.ministry) for r in records],
                    _villages(records),
                )
                with conn.cursor(row_factory=dict_row) as cur:
                    run_script(cur, "import_budget_sources")
                    run_script(cur, "import_budget_before")
                    run_script(cur, "import_organisations")
                    run_script(cur, "import_villages")
                    run_script(cur, "import_sources", {"kind": "budget", "level": None, "run_id": run_id})
                    run_script(cur, "import_budget_retire", {"run_id": run_id})
                    run_script(cur, "import_budget_merge", {"run_id": run_id})
                    counts, difference = _merged(cur, "budget", run_id)
            if dry_run or not records or (problems and not allow_rejects) or _held(outcome):
                raise psycopg.Rollback(tx)
            if difference.changes:
                with conn.cursor() as cur:
                    refresh_aggregates(cur, touched_by_load(cur, "budget"))
                refresh_overlaps_after_load(conn, "budget")  # in the load's transaction: never stale after a kill
            return _finish(conn, run_id, "loaded", outcome, problems, counts, difference=difference)
        return _finish(
            conn,
            run_id,
            _status(problems, allow_rejects, dry_run, outcome),
            outcome,
            problems,
            counts,
            difference=difference,
        )


def _continued(conn: psycopg.Connection, records: Sequence[PlanRecord], source_of: Callable[[str], str]) -> list:
    """Records with the keys of the current rows they continue (etl.versions)."""
    names = sorted({source_of(r.file) for r in records})
    current: dict[str, list] = {}
    with conn.cursor(row_factory=dict_row) as cur:
        for row in cur.execute(query("import_plans_written"), {"names": names}):
            written = written_of(row["as_written"])
            if written is not None:
                current.setdefault(row["source"], []).append((row["item_key"], written))
    return continue_keys(records, current, source_of) if current else list(records)


def _merged(
    cur: psycopg.Cursor, kind: str, run_id: int, new: Callable[[], tuple[DifferenceRow, ...]] | None = None
) -> tuple[dict, Difference]:
    """The merge's counts and the difference it made (before its transaction ends). ``new``: the
    difference of a source's first version, every row new, made without reading the rows back
    (when it counts as many rows as the merge inserted; else they are read back)."""
    counts = cur.execute(query("import_upserted_counts")).fetchone()
    rows = new() if new is not None and not counts["updated"] else None
    if rows is None or len(rows) != counts["inserted"]:
        with cur.connection.cursor(row_factory=tuple_row) as tuples:  # not a dict per row
            found = tuples.execute(query("import_difference"), {"kind": kind, "run_id": run_id}).fetchall()
        rows = tuple(DifferenceRow(*r) for r in found)
    run_script(cur, "import_sources_totals", {"kind": kind})
    return counts, Difference(rows)


def _all_new(records: Sequence[PlanRecord], source_of: Callable[[str], str]) -> Callable[[], tuple]:
    """The difference of a first version as ``import_difference.sql`` orders it (by source, row
    and key): made here when that order is plain (one source, each row number once), else
    read back (an empty tuple says so)."""

    def rows() -> tuple[DifferenceRow, ...]:
        names = {source_of(f) for f in {r.file for r in records}}
        if len(names) != 1 or len({r.row for r in records}) != len(records):
            return ()
        (name,) = names
        return tuple(
            DifferenceRow(
                "new",
                name,
                r.item_key,
                r.title,
                None,
                None,
                r.amount.quantize(_SATANG, rounding=ROUND_HALF_UP),  # numeric(16, 2)
                None,
                r.place.code,
                r.fiscal_year,
                r.row,
            )
            for r in sorted(records, key=lambda r: r.row)
        )

    return rows


@contextlib.contextmanager
def _meanwhile(make: Callable[[], _T] | None) -> Iterator[Callable[[], _T] | None]:
    """``make`` run in a thread while the caller waits on the database (psycopg releases the GIL
    while it waits for the server, so the two overlap); yields the function that returns its
    result (None when there is nothing to make)."""
    if make is None:
        yield None
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="planmap-meanwhile") as pool:
        yield pool.submit(make).result


# -- internals -------------------------------------------------------------------------------


def _stage_orgs(conn: psycopg.Connection, pairs: list[tuple[str | None, str | None]]) -> None:
    conn.execute("DROP TABLE IF EXISTS stage_orgs")
    conn.execute("CREATE TEMP TABLE stage_orgs (agency text, ministry text) ON COMMIT DROP")
    with conn.cursor().copy("COPY stage_orgs (agency, ministry) FROM STDIN") as copy:
        for pair in sorted(set(pairs), key=lambda p: (p[0] or "", p[1] or "")):
            copy.write_row(pair)


def _villages(records: Sequence[PlanRecord] | Sequence[BudgetRecord]) -> list[str]:
    """The villages the records are placed in or name (each becomes an area if it is new)."""
    named = [code for r in records for code, _role in r.place.areas if len(code) == 8]
    return [r.place.code for r in records if r.place.precision == "village"] + named


def _stage_item_areas(conn: psycopg.Connection, records: Sequence[PlanRecord], source_of: Callable[[str], str]) -> None:
    """Every area an item names, for the items that name more than one (import_plans_areas)."""
    conn.execute(query("import_plans_areas_stage"))
    with conn.cursor().copy(
        "COPY stage_plan_item_areas (source, item_key, area_code, role, position) FROM STDIN"
    ) as copy:
        for r in records:
            for position, (code, role) in enumerate(r.place.areas):
                copy.write_row((source_of(r.file), r.item_key, code, role, position))


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
            if isinstance(row, str):  # lines of COPY text already
                copy.write(row)
            else:
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


def _legacy_rows(conn: psycopg.Connection, source: str) -> list[Problem]:
    """Plan items imported before sources existed cannot be replaced by a version: importing
    files again beside them could count them twice. Said once, with the command that clears them."""
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(query("import_legacy_rows")).fetchone()
    if not row["n"]:
        return []
    return [
        Problem(
            source,
            None,
            None,
            None,
            None,
            "imported before sources",
            f"{row['n']:,} plan items ({row['amount']:,.2f} baht) were imported before sources existed; remove"
            " them with `planmap source remove-legacy` and import their files again, so that no row counts twice",
        )
    ]


def _in_other_sources(
    conn: psycopg.Connection, records: Sequence[PlanRecord], source_of: Callable[[str], str]
) -> list[Problem]:
    """Rows another source already holds word for word: loading them again would count their
    demand twice (the same list imported under another name)."""
    by_row = {(r.row, source_of(r.file)): r for r in records}
    found = []
    with conn.cursor(row_factory=dict_row) as cur:
        for row in cur.execute(query("import_plans_elsewhere")).fetchall():
            rec = by_row.get((row["source_row"], row["source"]))
            found.append(
                Problem(
                    rec.file if rec else row["source"],
                    rec.sheet if rec else None,
                    row["source_row"],
                    "title",
                    rec.title if rec else None,
                    "in another source",
                    f"the same row (title, place, amount and date as written) is already loaded from source"
                    f" {row['other_source']!r}, row {row['other_row']}; import it as that source (--source) or"
                    " remove that source first",
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
    difference: Difference = Difference(),
) -> LoadResult:
    """Record the outcome of the run: inside the load's transaction when the data is kept, in a
    transaction of its own when it was rolled back (so a rejected import keeps its report)."""
    # A dry run reports what the load would do; an import that was refused or held did nothing.
    rows = len(outcome.records) if status in ("loaded", "dry_run") else 0
    inserted, updated = (counts["inserted"], counts["updated"]) if rows else (0, 0)
    with conn.transaction():
        _save_rejects(conn, run_id, problems)
        _save_findings(conn, run_id, outcome.findings)
        retired = len(difference.of("retired")) if rows else 0
        _update_run(conn, run_id, status, outcome, problems, inserted, updated, rows, retired)
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
        difference,
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
    retired: int = 0,
) -> None:
    counts = {
        "retired": retired,
        "valid_rows": rows,
        "inserted": inserted,
        "updated": updated,
        "unchanged": rows - inserted - updated,
        "rejected_rows": _rejected(problems),
        "by_rule": dict(Counter(p.rule for p in problems)),
        "by_precision": _precision_counts(outcome),
        "set_aside_rows": sum(
            len(f.rows) for f in outcome.findings if f.action in ("drop", "noted") and f.rule != "drag_filled_dates"
        ),
        "held_findings": sum(1 for f in outcome.findings if f.needs_decision),
    }
    runs.finish(conn, run_id, status, counts, {"notes": outcome.notes})
