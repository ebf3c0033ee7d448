"""One import, start to finish: read files → normalise and validate → load → report.

The CLI (``planmap import plans|budget``) and the tests call these functions; they hold no
state between calls.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from etl import columns
from etl.bounds import BoundsError, Limits, read_file
from etl.health import DECISION_OPTIONS, Decisions, budget_health, plan_dates, plan_health
from etl.layouts import load_mapping
from etl.load import Difference, LoadResult, load_budget, load_plans, read_gazetteer
from etl.locate import Locator
from etl.readers import ReadError, Table, read_tables
from etl.records import Outcome, Problem, budget_records, collector_paused, plan_records

_COUNTED = re.compile(r"^(.*) \((\d+)\)$")
Progress = Callable[[Iterable], Iterable]
CYCLES = ("annual", "one_off")
# Files in the planmap template are plans of the manual's annual cycle; other layouts (the 2020
# loan proposals, agency project lists) are one-off programmes unless the user says otherwise,
# so the planning calendar never judges them by a cycle that does not govern them (§3.12).
ANNUAL_LAYOUTS = frozenset({"planmap-template"})
NOTED = {
    "obligation_other_years": "other years' instalments of multi-year obligations, set aside (not this"
    " document's money)",
    "drag_filled_dates": "dates filled down a column that change no row's year",
}


@dataclass(frozen=True)
class ImportReport:
    """Everything a person needs to judge an import, on screen and in the reject CSV."""

    result: LoadResult
    files: tuple[str, ...]
    tables: int
    skipped: Counter
    # Where the rows that would load fall: rows per area code, and (plans) per plan area, the
    # area whose plan they are (the browser upload checks both against the officer's scope).
    areas: Counter = field(default_factory=Counter)
    plan_areas: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        r = self.result
        lines = [
            f"import run {r.run_id}: {r.status.upper()} — {len(self.files)} file(s), {self.tables} table(s),"
            f" {r.rows:,} rows",
            f"  {'would load' if r.status == 'dry_run' else 'loaded'}: {r.inserted:,} new, {r.updated:,} changed,"
            f" {r.unchanged:,} unchanged, {len(r.difference.of('retired')):,} retired;"
            f" rejected rows: {r.rejected_rows:,}",
            "  located: "
            + (", ".join(f"{k} {v:,}" for k, v in sorted(r.by_precision.items(), key=lambda kv: -kv[1])) or "—"),
        ]
        if self.skipped:
            lines.append(
                "  ignored (rows, or whole sheets): " + ", ".join(f"{k} {v:,}" for k, v in self.skipped.most_common())
            )
        rules = Counter(p.rule for p in r.problems)
        if rules:
            lines.append("  problems: " + ", ".join(f"{k} {v:,}" for k, v in rules.most_common()))
            lines.extend(f"    {_where(p)}: {p.message}" for p in r.problems[:10])
            if len(r.problems) > 10:
                lines.append(f"    … {len(r.problems) - 10:,} more in the reject report")
        if r.difference.changes:
            lines.append(f"  difference against the current version: {r.difference.summary()}")
        lines.extend(f"  note: {n}" for n in r.notes)
        if r.findings:
            lines.append("  data health:")
            lines.extend(f"    {f.describe()}" for f in r.findings if f.action != "noted")
            noted: dict[str, list] = {}
            for f in r.findings:
                if f.action == "noted":
                    noted.setdefault(f.rule, []).append(f)
            for rule, found in noted.items():
                rows = sum(len(f.rows) for f in found)
                amount = sum(f.amount for f in found)
                lines.append(
                    f"    {NOTED[rule]}: {rows:,} rows in {len(found):,} file(s), {amount / 1_000_000:,.2f} M"
                    " baht [noted; each in the report]"
                )
        held = [f for f in r.findings if f.needs_decision]
        if held:
            options = sorted({f"{f.option} {'|'.join(_actions(f))}" for f in held})
            lines.append("  nothing was loaded: decide on the findings above with " + ", ".join(options))
        if r.cycle:
            lines.append(
                "  planning calendar: "
                + (
                    "judged (plans of the annual cycle)"
                    if r.cycle == "annual"
                    else "not applicable (a one-off programme; --cycle annual if these are plans of the annual cycle)"
                )
            )
        return "\n".join(lines)


def _actions(finding) -> tuple[str, ...]:  # noqa: ANN001
    return DECISION_OPTIONS[finding.decision][1]


def _where(p: Problem) -> str:
    """file[:sheet][:row] — how a person finds the cell."""
    return ":".join(str(x) for x in (p.file, p.sheet, p.row) if x is not None)


@dataclass(frozen=True)
class Read:
    """The tables of an import's files, the problems of files that cannot be read, and the
    sha256 over all their bytes in order (each file read once)."""

    tables: list[Table]
    problems: list[Problem]
    checksum: str


def read_all(
    paths: Sequence[Path],
    kind: str,
    mapping_file: Path | None,
    progress: Progress = lambda it: it,
    limits: Limits = Limits(),
) -> Read:
    """Read every file within ``limits``; a file that cannot be read becomes one problem naming
    it (the import then loads nothing unless rejects are allowed)."""
    mapping = load_mapping(mapping_file) if mapping_file else None
    tables: list[Table] = []
    problems: list[Problem] = []
    digest = hashlib.sha256()
    for path in progress(paths):
        name = Path(path).name
        try:
            data = read_file(path, limits.file_bytes)  # regular files within the limits only
            digest.update(data)
            tables.extend(read_tables(Path(path), kind, mapping, data, limits))  # type: ignore[arg-type]
        except (BoundsError, ReadError) as exc:
            problems.append(Problem(name, None, None, None, None, "unreadable file", str(exc)))
    return Read(tables, problems, digest.hexdigest())


@collector_paused()  # a million rows are ten million objects: no collector walking them over and over
def import_plans(
    conn: psycopg.Connection,
    paths: Sequence[Path],
    *,
    level: str,
    fiscal_year: int | None = None,
    mapping_file: Path | None = None,
    allow_rejects: bool = False,
    dry_run: bool = False,
    locator: Locator | None = None,
    progress: Progress = lambda it: it,
    decisions: Decisions = Decisions(),
    cycle: str | None = None,
    limits: Limits = Limits(),
    source_name: str | None = None,
) -> ImportReport:
    """Read, check (rows and data health), load as the new version of the files' sources (one
    source per file, or all of them as ``source_name``). ``cycle`` None: annual for the planmap
    template, one-off for other layouts."""
    if cycle is not None and cycle not in CYCLES:
        raise ValueError(f"unknown plan cycle {cycle!r}; one of {', '.join(CYCLES)}")
    read = read_all(paths, "plans", mapping_file, progress, limits)
    tables = read.tables
    dates = plan_dates(tables, declared_year=fiscal_year, decisions=decisions)
    outcome = plan_records(
        tables,
        level=level,
        fiscal_year=fiscal_year,
        gaz=read_gazetteer(conn),
        locator=locator or Locator(),
        year_overrides=dates.overrides,
        source_of=naming(source_name),
        columnwise=columns,
    )
    outcome.records, outcome.findings = plan_health(outcome.records, tables, dates, decisions)
    if cycle is None:
        cycle = "annual" if tables and all(t.layout in ANNUAL_LAYOUTS for t in tables) else "one_off"
    return _load(
        conn,
        paths,
        read,
        outcome,
        lambda o, source, digest: load_plans(
            conn,
            o,
            level=level,
            source=source,
            checksum=digest,
            allow_rejects=allow_rejects,
            dry_run=dry_run,
            cycle=cycle,
            extra={"fiscal_year": fiscal_year, "decisions": decisions.as_dict(), "source": source_name},
            source_of=naming(source_name),
        ),
    )


def import_budget(
    conn: psycopg.Connection,
    paths: Sequence[Path],
    *,
    mapping_file: Path | None = None,
    status: str = "funded",
    allow_rejects: bool = False,
    dry_run: bool = False,
    locator: Locator | None = None,
    progress: Progress = lambda it: it,
    decisions: Decisions = Decisions(),
    fiscal_year: int | None = None,
    limits: Limits = Limits(),
    source_name: str | None = None,
) -> ImportReport:
    """Read, check (rows and data health: the document's year, multi-year obligations), load as
    the new version of the files' sources (one per file, or all of them as ``source_name``)."""
    read = read_all(paths, "budget", mapping_file, progress, limits)
    outcome = budget_records(read.tables, gaz=read_gazetteer(conn), locator=locator or Locator())
    outcome.records, outcome.findings = budget_health(outcome.records, declared_year=fiscal_year, decisions=decisions)
    return _load(
        conn,
        paths,
        read,
        outcome,
        lambda o, source, digest: load_budget(
            conn,
            o,
            source=source,
            checksum=digest,
            status=status,
            allow_rejects=allow_rejects,
            dry_run=dry_run,
            extra={"fiscal_year": fiscal_year, "decisions": decisions.as_dict(), "source": source_name},
            source_of=naming(source_name),
        ),
    )


def naming(source_name: str | None) -> Callable[[str], str]:
    """The source of a file: the declared name, else the file's own name."""
    if source_name is not None:
        name = " ".join(source_name.split())
        if not 1 <= len(name) <= 300:
            raise ValueError("a source name is 1 to 300 characters")
        return lambda _file: name
    return source_of_file


def source_of_file(file: str) -> str:
    """A file's own source name: its name without a compression suffix (a list sent again
    gzipped is the same source)."""
    return file[: -len(".gz")] if file.lower().endswith(".gz") else file


def write_difference(difference: Difference, path: Path) -> Path:
    """The difference against the current version as CSV (UTF-8 with BOM for Excel): one line
    per new, changed or retired row, amounts before and after in baht."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "change",
                "source",
                "row",
                "title",
                "title_before",
                "amount_before",
                "amount_after",
                "area_before",
                "area_after",
                "fiscal_year",
                "key",
            ]
        )
        for r in difference.rows:
            writer.writerow(
                [
                    _safe_cell(v)
                    for v in (
                        r.change,
                        r.source,
                        r.source_row,
                        r.title,
                        r.title_before if r.title_before != r.title else "",
                        "" if r.amount_before is None else f"{r.amount_before:.2f}",
                        "" if r.amount_after is None else f"{r.amount_after:.2f}",
                        r.area_before or "",
                        r.area_after or "",
                        r.fiscal_year,
                        r.row_key,
                    )
                ]
            )
    return path


def _load(conn, paths, read: Read, outcome: Outcome, load) -> ImportReport:  # noqa: ANN001
    outcome.problems[:0] = read.problems
    tables = read.tables
    source = ", ".join(Path(p).name for p in paths)
    result = load(outcome, source, read.checksum)
    # "trailing blank rows (28)" is one entry for 28 rows: count rows, not entries.
    skipped: Counter = Counter()
    for s in (s for t in tables for s in t.skipped):
        match = _COUNTED.match(s.reason)
        skipped[match.group(1) if match else s.reason] += int(match.group(2)) if match else 1
    return ImportReport(
        result,
        tuple(Path(p).name for p in paths),
        len(tables),
        skipped,
        Counter(r.place.code for r in outcome.records),
        Counter(r.plan_area for r in outcome.records if getattr(r, "plan_area", None)),
    )


def write_rejects(problems: Sequence[Problem], path: Path, findings: Sequence = ()) -> Path:
    """The reject and warning report as CSV (UTF-8 with BOM so Excel shows Thai): one line per
    rejected row, then one per data-health finding (its rows as a range, its amount as the value,
    what was decided). Cells are neutralised against formula injection because values come from
    the source files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "sheet", "row", "field", "value", "rule", "message"])
        for p in problems:
            writer.writerow([_safe_cell(v) for v in p.as_row()])
        for f in findings:
            rows = "" if not f.rows else (str(f.first_row) if len(f.rows) == 1 else f"{f.first_row}-{f.last_row}")
            writer.writerow(
                [
                    _safe_cell(v)
                    for v in (
                        f.file,
                        f.sheet,
                        rows,
                        "amount",
                        f"{f.amount:.2f}",
                        f"health: {f.rule}",
                        f"{f.message} [{f.action or 'needs a decision: ' + (f.option or '')}]",
                    )
                ]
            )
    return path


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
