"""Data health before data (DESIGN §3.11): what in a file is questionable, and what the importing
user decided about it.

Real files carry things that load without an error yet tell a governor something false: dates
dragged down a column (Excel's fill series) that walk the proposals into later fiscal years,
subtotal blocks that count a province's money twice, parser artefacts that spread one lease over
a hundred fiscal years, and the other years of multi-year obligations. Each is a
:class:`Finding`: which rows, how much money, what it looks like and why. A finding that changes
the numbers needs a decision (:class:`Decisions`, one command-line option per kind); until it has
one the import is *held* and loads nothing. Findings that a fixed rule settles (the other years of
a multi-year obligation are never this year's money) are *noted* and counted apart.

Everything here is pure (no database): it works on the tables the readers return and on the
records :mod:`etl.records` builds.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from etl.normalize import NormalizeError, parse_fiscal_year, parse_thai_date
from etl.readers import Table
from etl.records import BudgetRecord, PlanRecord
from geodata.areas import fiscal_year_of

__all__ = [
    "DECISION_OPTIONS",
    "Decisions",
    "Finding",
    "PlanDates",
    "budget_health",
    "plan_dates",
    "plan_health",
]

# The command-line option of each decision and the actions it takes.
DECISION_OPTIONS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "implausible_years": ("--implausible-years", ("drop", "keep")),
    "drag_filled_dates": ("--drag-filled-dates", ("file-year", "keep")),
    "summary_rows": ("--summary-rows", ("drop", "keep")),
}

DRAG_MIN_ROWS = 10  # a run of dates one day apart this long is no real sequence of submissions
PLAN_WINDOW = (5, 5)  # plan items: years before / after the file's own year
BUDGET_WINDOW = (20, 20)  # budget lines: long leases and contracts reach back and ahead for decades
MAX_OBLIGATION_YEARS = 40  # one obligation over more fiscal years than this is a parser artefact
SUMMARY_BLOCK_MAX = 60  # a summary block that matches a figure in the file name is this short at most
MIN_SUBTOTAL_PARTS = 3  # a row equal to the sum of at least this many others is a subtotal
_NAME_FIGURE = re.compile(r"(\d[\d,]*)\s*คก\.?\s*(\d[\d,]*(?:\.\d+)?)\s*(?:ลบ|ล้านบาท)")
_TOTAL_TITLE = re.compile(
    r"^\s*(?:ยอด)?รวม(?:ทั้งสิ้น|ทั้งหมด|เงิน|ทั้งจังหวัด)?\s*(?:$|[\d:(]|โครงการ|รายการ)"
    r"|^\s*(?:grand\s+|sub\s*)?total\b",
    re.IGNORECASE,
)
_MILLION = Decimal(1_000_000)
_parse_date = functools.lru_cache(maxsize=4096)(parse_thai_date)


@dataclass(frozen=True)
class Decisions:
    """What the importing user decided, per kind of finding (None: not decided)."""

    implausible_years: str | None = None  # drop | keep
    drag_filled_dates: str | None = None  # file-year | keep
    summary_rows: str | None = None  # drop | keep

    def __post_init__(self) -> None:
        for name, (_option, actions) in DECISION_OPTIONS.items():
            value = getattr(self, name)
            if value is not None and value not in actions:
                raise ValueError(f"{name}: {value!r} is not one of {', '.join(actions)}")

    def as_dict(self) -> dict[str, str]:
        return {k: v for k in DECISION_OPTIONS if (v := getattr(self, k)) is not None}


@dataclass(frozen=True)
class Finding:
    """A block of questionable rows of one file (sheet), the money in it, and its fate.

    ``decision`` names the :class:`Decisions` field that decides it (None: a fixed rule settled
    it and ``action`` is 'noted'); ``action`` is None while nobody has decided."""

    rule: str
    file: str
    sheet: str | None
    rows: tuple[int, ...]
    amount: Decimal
    message: str
    decision: str | None = None
    action: str | None = None

    @property
    def needs_decision(self) -> bool:
        return self.decision is not None and self.action is None

    @property
    def option(self) -> str | None:
        return DECISION_OPTIONS[self.decision][0] if self.decision else None

    @property
    def first_row(self) -> int | None:
        return min(self.rows) if self.rows else None

    @property
    def last_row(self) -> int | None:
        return max(self.rows) if self.rows else None

    @property
    def where(self) -> str:
        """file[:sheet][:rows a–b] — how a person finds the block."""
        span = ""
        if self.rows:
            span = f"row {self.first_row}" if len(self.rows) == 1 else f"rows {self.first_row}–{self.last_row}"
        return ":".join(x for x in (self.file, self.sheet, span) if x)

    def describe(self) -> str:
        what = {None: "needs a decision", "noted": "noted"}.get(self.action, self.action)
        how = f" ({self.option} {'|'.join(DECISION_OPTIONS[self.decision][1])})" if self.needs_decision else ""
        return f"{self.where}: {self.message} [{what}{how}]"


def _decided(finding: Finding, decisions: Decisions) -> Finding:
    return replace(finding, action=getattr(decisions, finding.decision)) if finding.decision else finding


def _baht(amount: Decimal) -> str:
    return f"{amount / _MILLION:,.2f} M baht"


# --------------------------------------------------------------------------- plans: dates


@dataclass(frozen=True)
class DragRun:
    file: str
    sheet: str | None
    rows: tuple[int, ...]
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class PlanDates:
    """What the dates of a plan import say before its rows become records: the runs of
    drag-filled dates, the fiscal year each file implies (and from what), and, once decided, the
    year each drag-filled row takes instead of its date's."""

    runs: tuple[DragRun, ...]
    file_years: Mapping[str, tuple[int, str]]  # file → (fiscal year, basis)
    overrides: Mapping[tuple[str, str | None, int], int]  # (file, sheet, row) → fiscal year
    findings: tuple[Finding, ...]


def _date_of(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return _parse_date(value) if isinstance(value, (str, int, float, dt.date)) else parse_thai_date(value)
    except (NormalizeError, TypeError):
        return None


def _year_of(values: Mapping[str, object]) -> int | None:
    """A row's fiscal year as the records will read it: its fiscal-year cell, else its date."""
    raw = values.get("fiscal_year")
    if raw not in (None, ""):
        try:
            return parse_fiscal_year(raw)
        except NormalizeError:
            return None
    day = _date_of(values.get("date"))
    return fiscal_year_of(day) if day else None


def _years_read() -> Callable[[Mapping[str, object]], int | None]:
    """:func:`_year_of` once per distinct pair of cells (fiscal year, date) of one call: a file
    writes the same few years on every row, and a million rows read one at a time took 2.5 s."""
    seen: dict[tuple[type, object, type, object], int | None] = {}

    def year_of(values: Mapping[str, object]) -> int | None:
        raw, day = values.get("fiscal_year"), values.get("date")
        key = (type(raw), raw, type(day), day)  # the type too: True and 1 are equal keys
        try:
            return seen[key]
        except KeyError:
            year = seen[key] = _year_of(values)
            return year
        except TypeError:  # a cell that cannot be a key
            return _year_of(values)

    return year_of


def drag_filled_runs(tables: Iterable[Table], min_rows: int = DRAG_MIN_ROWS) -> list[DragRun]:
    """Runs of rows whose dates go up by exactly one day per row (one unreadable date inside a
    run, such as the 29 February of a year that has none, does not break it)."""
    runs: list[DragRun] = []
    for table in tables:
        if "date" not in table.columns.values():
            continue
        dated = [(row.row, _date_of(row.values.get("date"))) for row in table.rows]
        current: list[tuple[int, dt.date]] = []
        skipped = 0
        for number, day in dated:
            if day is None:
                skipped += 1
                if skipped > 1:
                    current, skipped = _close_run(current, table, runs, min_rows), 0
                continue
            step = (day - current[-1][1]).days if current else None
            # one day per row; an unreadable date in between is either a day of its own or a day
            # that does not exist (29 February of a year without one)
            if step is not None and 1 <= step <= 1 + skipped:
                current.append((number, day))
            else:
                current = _close_run(current, table, runs, min_rows)
                current = [(number, day)]
            skipped = 0
        _close_run(current, table, runs, min_rows)
    return runs


def _close_run(current: list[tuple[int, dt.date]], table: Table, runs: list[DragRun], min_rows: int) -> list:
    if len(current) >= min_rows:
        first, last = current[0][0], current[-1][0]
        rows = tuple(r.row for r in table.rows if first <= r.row <= last)
        runs.append(DragRun(table.file, table.sheet, rows, current[0][1], current[-1][1]))
    return []


def plan_dates(tables: Sequence[Table], *, declared_year: int | None, decisions: Decisions) -> PlanDates:
    """Find drag-filled dates and the year each file implies; with ``file-year`` decided, every
    row of a run takes that year (its date is not a real date and is not kept)."""
    runs = drag_filled_runs(tables)
    in_run = {(run.file, run.sheet, row) for run in runs for row in run.rows}
    years: dict[str, Counter] = defaultdict(Counter)
    year_of = _years_read()
    for table in tables:
        for row in table.rows:
            if (table.file, table.sheet, row.row) not in in_run and (year := year_of(row.values)):
                years[table.file][year] += 1
    everywhere = sum(years.values(), Counter())
    file_years: dict[str, tuple[int, str]] = {}
    for file in dict.fromkeys(t.file for t in tables):
        if declared_year is not None:
            file_years[file] = (declared_year, "declared with --fiscal-year")
        elif years[file]:
            file_years[file] = (years[file].most_common(1)[0][0], "most rows of the file")
        elif everywhere:
            file_years[file] = (everywhere.most_common(1)[0][0], "most rows of the other files of this import")
        else:
            first = min((r for r in runs if r.file == file), key=lambda r: r.first, default=None)
            if first is not None:
                file_years[file] = (fiscal_year_of(first.first), "the first date of the run")
    findings = []
    overrides: dict[tuple[str, str | None, int], int] = {}
    for run in runs:
        year, basis = file_years[run.file]
        moved = Counter(
            fy
            for fy in (
                _year_of(r.values)
                for t in tables
                if t.file == run.file and t.sheet == run.sheet
                for r in t.rows
                if run.rows[0] <= r.row <= run.rows[-1]
            )
            if fy and fy != year
        )
        spread = ", ".join(f"FY{y}: {n:,}" for y, n in sorted(moved.items()))
        message = (
            f"{len(run.rows):,} dates run one day per row from {run.first} to {run.last} (filled down a"
            f" column, not real dates); the file's year is FY{year} ({basis})"
            + (
                f"; the dates would put {sum(moved.values()):,} rows in other years ({spread})"
                if moved
                else "; the dates do not change any row's year"
            )
        )
        finding = Finding(
            "drag_filled_dates",
            run.file,
            run.sheet,
            run.rows,
            Decimal(0),
            message,
            "drag_filled_dates" if moved else None,
            None if moved else "noted",
        )
        finding = _decided(finding, decisions)
        findings.append(finding)
        if moved and finding.action == "file-year":
            overrides.update({(run.file, run.sheet, row): year for row in run.rows})
    return PlanDates(tuple(runs), file_years, overrides, tuple(findings))


# --------------------------------------------------------------------------- plans: records


def plan_health(
    records: Sequence[PlanRecord], tables: Sequence[Table], dates: PlanDates, decisions: Decisions
) -> tuple[list[PlanRecord], list[Finding]]:
    """Summary blocks and years outside the file's window; returns the records to load (those of
    dropped findings removed) and the findings."""
    findings = [f for block in _summary_blocks(records, tables) for f in [_decided(block, decisions)]]
    findings += [_decided(f, decisions) for f in _plan_windows(records, dates)]
    findings += [replace(f, amount=_amount_of(f, records)) for f in dates.findings]
    dropped = {(f.file, f.sheet, row) for f in findings if f.action == "drop" for row in f.rows}
    kept = [r for r in records if (r.file, r.sheet, r.row) not in dropped]
    return kept, findings


def _amount_of(finding: Finding, records: Sequence[PlanRecord]) -> Decimal:
    rows = set(finding.rows)
    return sum(
        (r.amount for r in records if r.file == finding.file and r.sheet == finding.sheet and r.row in rows), Decimal(0)
    )


def _plan_windows(records: Sequence[PlanRecord], dates: PlanDates) -> list[Finding]:
    before, after = PLAN_WINDOW
    outside: dict[tuple[str, str | None], list[PlanRecord]] = defaultdict(list)
    for r in records:
        year = dates.file_years.get(r.file, (r.fiscal_year, ""))[0]
        if not year - before <= r.fiscal_year <= year + after:
            outside[(r.file, r.sheet)].append(r)
    out = []
    for (file, sheet), rows in outside.items():
        year, basis = dates.file_years[file]
        spread = ", ".join(f"FY{y}: {n:,}" for y, n in sorted(Counter(r.fiscal_year for r in rows).items()))
        out.append(
            Finding(
                "implausible_years",
                file,
                sheet,
                tuple(r.row for r in rows),
                sum((r.amount for r in rows), Decimal(0)),
                f"{len(rows):,} items fall outside FY{year - before}–{year + after} around the file's"
                f" year FY{year} ({basis}): {spread}",
                "implausible_years",
            )
        )
    return out


def name_figures(*names: str | None) -> list[tuple[int, Decimal]]:
    """(projects, million baht) written in a file or sheet name: '231ขอนแก่น (6คก6590ลบ)' → (6, 6590)."""
    out = []
    for name in names:
        for count, amount in _NAME_FIGURE.findall(name or ""):
            out.append((int(count.replace(",", "")), Decimal(amount.replace(",", ""))))
    return out


def _summary_blocks(records: Sequence[PlanRecord], tables: Sequence[Table]) -> list[Finding]:
    """Rows that sum other rows: a block matching the total written in the file name, rows equal to
    the sum of the other rows of their category or of the rows above them, rows titled รวม."""
    by_table: dict[tuple[str, str | None], list[PlanRecord]] = defaultdict(list)
    for r in records:
        by_table[(r.file, r.sheet)].append(r)
    file_totals: dict[str, Decimal] = defaultdict(Decimal)
    for r in records:
        file_totals[r.file] += r.amount
    categories = {(t.file, t.sheet): [f for f in ("project_type", "sector") if f in t.columns.values()] for t in tables}
    values = {(t.file, t.sheet, row.row): row.values for t in tables for row in t.rows}
    out = []
    for (file, sheet), rows in by_table.items():
        evidence: dict[int, list[str]] = defaultdict(list)
        for n, why in _name_block(rows, name_figures(file, sheet), file_totals[file]):
            evidence[n].append(why)
        for field in categories.get((file, sheet), []):
            for n in _category_subtotals(rows, [values[(file, sheet, r.row)].get(field) for r in rows]):
                evidence[n].append(f"equal to the sum of the other rows of its {field.replace('_', ' ')}")
        for n, why in _running_subtotals(rows):
            evidence[n].append(why)
        for n, r in enumerate(rows):
            if _TOTAL_TITLE.match(r.title):
                evidence[n].append("titled as a total")
        for block in _blocks(sorted(evidence)):
            members = [rows[n] for n in block]
            reasons = Counter(why for n in block for why in evidence[n])
            amount = sum((r.amount for r in members), Decimal(0))
            out.append(
                Finding(
                    "summary_rows",
                    file,
                    sheet,
                    tuple(r.row for r in members),
                    amount,
                    f"{len(members):,} rows look like a summary of other rows ({_baht(amount)}): "
                    + "; ".join(
                        why if n == len(members) else f"{why} ({n} of them)" for why, n in reasons.most_common()
                    ),
                    "summary_rows",
                )
            )
    return out


def _blocks(indices: list[int]) -> list[list[int]]:
    """Consecutive record indices grouped into blocks."""
    blocks: list[list[int]] = []
    for n in indices:
        if blocks and n == blocks[-1][-1] + 1:
            blocks[-1].append(n)
        else:
            blocks.append([n])
    return blocks


def _name_block(
    rows: Sequence[PlanRecord], figures: list[tuple[int, Decimal]], file_total: Decimal
) -> list[tuple[int, str]]:
    """The shortest contiguous block whose amounts add up to a total written in the file or sheet
    name ('6คก6590ลบ': six projects, 6,590 million baht, written truncated to the million), when
    the file as a whole does not (then the name describes the file, not a block)."""
    out: list[tuple[int, str]] = []
    amounts = [r.amount for r in rows]
    for count, millions in figures:
        if abs(file_total / _MILLION - millions) < 1:
            continue
        low, high = (millions - Decimal("0.5")) * _MILLION, (millions + 1) * _MILLION
        candidates: list[tuple[tuple, int, int]] = []
        for start in range(len(amounts)):
            total = Decimal(0)
            for end in range(start, min(len(amounts), start + SUMMARY_BLOCK_MAX)):
                total += amounts[end]
                if total >= high:
                    break
                if end > start and total > low and end - start + 1 < len(amounts):
                    # the count written in the name, then the figure truncated to the million
                    # (how these names are written), then the shortest block
                    exact = millions * _MILLION <= total
                    candidates.append(((end - start + 1 != count, not exact, end - start), start, end))
        if candidates:
            _score, start, end = min(candidates)
            why = f"together they make the {count:,} projects / {millions:,} M baht written in the file name"
            out += [(n, why) for n in range(start, end + 1)]
    return out


def _category_subtotals(rows: Sequence[PlanRecord], categories: Sequence[object]) -> list[int]:
    """Rows whose amount equals the sum of the other rows of their category (project type …),
    with at least :data:`MIN_SUBTOTAL_PARTS` others."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: Counter = Counter()
    # a few values repeated on every row: each read once (text only; other cells as they come)
    text = {c: _category_key(c) for c in set(c for c in categories if isinstance(c, str))}
    keys = [text[c] if isinstance(c, str) else _category_key(c) for c in categories]
    for r, key in zip(rows, keys):
        if key:
            totals[key] += r.amount
            counts[key] += 1
    out = []
    for n, (r, key) in enumerate(zip(rows, keys)):
        if key and r.amount > 0 and counts[key] - 1 >= MIN_SUBTOTAL_PARTS and totals[key] - r.amount == r.amount:
            out.append(n)
    return out


def _category_key(category: object) -> str | None:
    """'3. โครงสร้างพื้นฐาน' and '3' are one category."""
    return str(category).strip().split(".")[0].strip() if category not in (None, "") else None


def _running_subtotals(rows: Sequence[PlanRecord]) -> list[tuple[int, str]]:
    """Rows whose amount equals the sum of every row above them since the start of the table or
    the previous such row: unlabelled subtotals under their sections. One such row alone counts
    only at the end of the table (a grand total); early in a list of round amounts, one row
    equal to the few above it is a coincidence (500,000 + 500,000 + 200,000 + 300,000 = 1,500,000)."""
    found = []
    section, parts = Decimal(0), 0
    for n, r in enumerate(rows):
        if r.amount > 0 and parts >= MIN_SUBTOTAL_PARTS and r.amount == section:
            found.append((n, f"equal to the sum of the {parts:,} rows above it"))
            section, parts = Decimal(0), 0
            continue
        section += r.amount
        parts += 1
    if len(found) == 1 and found[0][0] != len(rows) - 1:
        return []
    return found


# --------------------------------------------------------------------------- budget


def budget_health(
    records: Sequence[BudgetRecord], *, declared_year: int | None, decisions: Decisions
) -> tuple[list[BudgetRecord], list[Finding]]:
    """Budget lines against the document's own fiscal year: the other years of a multi-year
    obligation are set aside (noted: each year's own Act appropriates them), this year's
    instalment is marked ``multi_year``, and implausible years (outside the window, one item over
    more than :data:`MAX_OBLIGATION_YEARS` years, an ordinary line in another year) need a decision."""
    before, after = BUDGET_WINDOW
    document = _document_years(records, declared_year)
    findings: list[Finding] = []
    implausible: dict[tuple[str, str | None], list[tuple[BudgetRecord, str]]] = defaultdict(list)
    for group in _obligation_groups(records):
        years = [r.fiscal_year for r in group]
        if len(group) > MAX_OBLIGATION_YEARS:
            why = (
                f"one item ({group[0].title[:60]}) spread over {len(group):,} fiscal years"
                f" FY{min(years)}–{max(years)}, ITEM_ID {group[0].item_id}–{group[-1].item_id}"
            )
            implausible[(group[0].file, group[0].sheet)] += [(r, why) for r in group]
    flagged = {id(r) for rows in implausible.values() for r, _ in rows}
    for r in records:
        year = document[r.file]
        if id(r) in flagged:
            continue
        if not year - before <= r.fiscal_year <= year + after:
            implausible[(r.file, r.sheet)].append((r, f"fiscal years outside FY{year - before}–{year + after}"))
        elif not r.obliged and r.fiscal_year != year:
            implausible[(r.file, r.sheet)].append(
                (r, f"an ordinary line (not a multi-year obligation) in another year than the document's FY{year}")
            )
    for (file, sheet), pairs in implausible.items():
        reasons = Counter(why for _, why in pairs)
        amount = sum((r.amount for r, _ in pairs), Decimal(0))
        findings.append(
            _decided(
                Finding(
                    "implausible_years",
                    file,
                    sheet,
                    tuple(r.row for r, _ in pairs),
                    amount,
                    f"{len(pairs):,} lines ({_baht(amount)}) in implausible fiscal years: "
                    + "; ".join(why if n == len(pairs) else f"{why} ({n:,} lines)" for why, n in reasons.most_common()),
                    "implausible_years",
                ),
                decisions,
            )
        )
    # Dropped rows go; undecided ones go too (the import is held and loads nothing anyway), so
    # they are not also counted as obligations of other years.
    dropped = {id(r) for f in findings if f.action != "keep" for r, _ in implausible[(f.file, f.sheet)]}
    out: list[BudgetRecord] = []
    other_years: dict[tuple[str, str | None], list[BudgetRecord]] = defaultdict(list)
    for r in records:
        if id(r) in dropped:
            continue
        year = document[r.file]
        if r.obliged and r.fiscal_year != year:
            other_years[(r.file, r.sheet)].append(r)
            continue
        out.append(replace(r, multi_year=True) if r.obliged else r)
    for (file, sheet), rows in other_years.items():
        year = document[file]
        past = [r for r in rows if r.fiscal_year < year]
        future = [r for r in rows if r.fiscal_year > year]
        parts = [
            f"{label} FY{min(x.fiscal_year for x in part)}–{max(x.fiscal_year for x in part)}:"
            f" {len(part):,} lines, {_baht(sum((x.amount for x in part), Decimal(0)))}"
            for label, part in (("earlier years", past), ("later years", future))
            if part
        ]
        findings.append(
            Finding(
                "obligation_other_years",
                file,
                sheet,
                tuple(r.row for r in rows),
                sum((r.amount for r in rows), Decimal(0)),
                f"instalments of multi-year obligations (งบผูกพัน) for other years than the document's FY{year},"
                f" not counted (each year's own Act appropriates them): " + "; ".join(parts),
                None,
                "noted",
            )
        )
    return out, findings


def _document_years(records: Sequence[BudgetRecord], declared_year: int | None) -> dict[str, int]:
    """The fiscal year each file is the budget of: declared, else its REF_DOC (CE year first),
    else the year most of its lines are in."""
    out: dict[str, int] = {}
    counts: dict[str, Counter] = defaultdict(Counter)
    for r in records:
        counts[r.file][r.document_year or r.fiscal_year] += 1
    for file, years in counts.items():
        out[file] = declared_year if declared_year is not None else years.most_common(1)[0][0]
    return out


def _obligation_groups(records: Sequence[BudgetRecord]) -> list[list[BudgetRecord]]:
    """Consecutive obligation lines of one item: same file, unit and title, running numbers and
    fiscal years both going up one by one."""
    groups: list[list[BudgetRecord]] = []
    previous: BudgetRecord | None = None
    for r in records:
        if not r.obliged:
            previous = None
            continue
        if (
            previous is not None
            and previous.file == r.file
            and previous.agency == r.agency
            and previous.title == r.title
            and r.fiscal_year > previous.fiscal_year
            and _running(previous.item_id) + 1 == _running(r.item_id)
        ):
            groups[-1].append(r)
        else:
            groups.append([r])
        previous = r
    return groups


def _running(item_id: str) -> int:
    """The running number at the end of an ITEM_ID ('2022.3.2.800' → 800)."""
    tail = item_id.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else -10
