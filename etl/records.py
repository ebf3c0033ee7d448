"""Raw rows → validated records ready to load, and every problem found on the way.

This is the "normalise → validate" stage: it never touches the database. Each problem names
the file, sheet, row, field and value and the rule it broke, so a planning officer can fix the
source; rows with problems become rejects, the others records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Protocol

from etl.locate import Location, Locator
from etl.normalize import (
    NormalizeError,
    clean_text,
    detect_million_mislabel,
    normalize_agency,
    normalize_ministry,
    parse_amount,
    parse_fiscal_year,
    parse_thai_date,
)
from etl.readers import RawRow, Table
from geodata.areas import COUNTRY, LENGTH_BY_LEVEL, PLAN_LEVELS, common_area, cut_to, fiscal_year_of, precision_of

_CODE = re.compile(r"^(?:TH)?(\d{2}|\d{4}|\d{6}|\d{8})$", re.IGNORECASE)
_TRUE = {"1", "true", "yes", "y", "ใช่", "x", "✓", "เกิน", "เกินขีดความสามารถ", "เกินศักยภาพ"}
# Fiscal-year cells repeat ("2565" thousands of times): parse each distinct value once.
_fiscal_year = functools.lru_cache(maxsize=1024)(parse_fiscal_year)
_SUB_SATANG = re.compile(r"\.\d{3,}\s*$")
# The longest real cell is a 1,253-character ThaiME project title; a cell far beyond that is
# pasted text or an attack, and would bloat every list, export and duplicate search it reaches.
MAX_TEXT = 4_000
_SHOWN = 200  # characters of an overlong value kept in the reject report


@dataclass(frozen=True)
class Problem:
    """One reason a row (or a whole table) cannot be loaded as it is."""

    file: str
    sheet: str | None
    row: int | None
    field: str | None
    value: object
    rule: str
    message: str

    def as_row(self) -> list[object]:
        return [
            self.file,
            self.sheet,
            self.row,
            self.field,
            None if self.value is None else _shown(str(self.value)),
            self.rule,
            self.message,
        ]


@dataclass(frozen=True)
class Place:
    code: str  # area code ('TH' when nothing finer is known)
    precision: str  # village | tambon | district | province | cluster | country | none
    confidence: float
    note: str = ""
    # every area a text names when it names more than one: (code, 'named' | 'end'); the item is
    # counted once at ``code``, the lowest area holding the named ones (a road's far end excluded)
    areas: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PlanRecord:
    file: str
    sheet: str | None
    row: int
    item_key: str
    title: str
    amount: Decimal
    fiscal_year: int
    place: Place
    plan_area: str  # the area whose plan this is (province of the file for local proposals)
    agency: str | None
    ministry: str | None
    sector: str | None
    strategy: str | None
    beyond_capacity: bool
    escalated_to_ref: str | None
    submitted_on: dt.date | None
    written: AsWritten | None = None  # the row's own text (what identifies it without a reference)
    has_ref: bool = False  # item_key is the source's own reference (item_ref)


@dataclass(frozen=True)
class AsWritten:
    """A plan row's own text, the basis of its identity across versions of its source."""

    title: str
    place: str
    amount: str
    other: str  # fiscal year, date, agency and link as written

    @functools.cached_property
    def key(self) -> str:  # read several times per row (duplicates, versions, staging): once
        return _row_key(self.title, self.place, self.amount, self.other)

    def as_list(self) -> list[str]:
        return [self.title, self.place, self.amount, self.other]


@dataclass(frozen=True)
class BudgetRecord:
    file: str
    sheet: str | None
    row: int
    source_key: str
    title: str
    amount: Decimal
    fiscal_year: int
    place: Place
    agency: str | None
    ministry: str | None
    budget_plan: str | None
    funding_source: str
    item_id: str = ""
    obliged: bool = False  # a line of a multi-year obligation (งบผูกพัน), one per year
    document_year: int | None = None  # the fiscal year of the document it comes from (REF_DOC)
    multi_year: bool = False  # this year's instalment of a multi-year obligation (etl.health)


@dataclass
class Outcome:
    """Records and problems of one import, plus notes worth telling the user (not errors)."""

    records: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    findings: list = field(default_factory=list)  # etl.health.Finding: questionable, decided or held

    @property
    def rejected_rows(self) -> int:
        return len({(p.file, p.sheet, p.row) for p in self.problems if p.row is not None})


class Gazetteer:
    """The area codes and cluster names a record may point at (read once from the database)."""

    def __init__(
        self,
        codes: Iterable[str],
        successors: Mapping[str, Iterable[str]],
        clusters: Mapping[str, str],
        province_names: Mapping[str, str],
    ) -> None:
        self.codes = frozenset(codes)
        self.successors = {k: tuple(v) for k, v in successors.items()}
        self.clusters = dict(clusters)  # cluster code → Thai name
        self.province_names = dict(province_names)  # Thai name → province code
        self._code_memo: dict[object, tuple[Place | None, str | None]] = {}

    def place_of_code(self, raw: object) -> tuple[Place | None, str | None]:
        """:func:`_place_from_code`, remembered per distinct cell (codes repeat a lot)."""
        key = raw if isinstance(raw, (str, int, float)) else str(raw)
        if key not in self._code_memo:
            self._code_memo[key] = _place_from_code(raw, self)
        return self._code_memo[key]

    def cluster_codes(self, name: str) -> tuple[str, ...]:
        """Clusters whose name matches ``name`` with or without the ' 1'/' 2' suffix."""
        wanted = _strip_suffix(name)
        return tuple(sorted(c for c, n in self.clusters.items() if _strip_suffix(n) == wanted or n == name))


def _strip_suffix(name: str) -> str:
    return re.sub(r"\s*\d+$", "", re.sub(r"\s+", "", name))


# -- shared pieces ---------------------------------------------------------------------------


def _problem(row: RawRow, fieldname: str | None, value: object, rule: str, message: str) -> Problem:
    return Problem(row.file, row.sheet, row.row, fieldname, value, rule, message)


def _from_error(row: RawRow, err: NormalizeError) -> Problem:
    return _problem(row, err.field, err.value, err.rule, str(err))


def _shown(text: str) -> str:
    return text if len(text) <= MAX_TEXT else f"{text[:_SHOWN]}… ({len(text):,} characters)"


def _too_long(row: RawRow) -> list[Problem]:
    """A problem for each cell longer than :data:`MAX_TEXT` (checked before anything reads the
    text: the locator and the duplicate search would spend minutes on a 10 MB title)."""
    return [
        _problem(
            row, name, value, "text too long", f"{name}: {len(value):,} characters; at most {MAX_TEXT:,} are accepted"
        )
        for name, value in row.values.items()
        if isinstance(value, str) and len(value) > MAX_TEXT
    ]


def _text(row: RawRow, name: str) -> str | None:
    return clean_text(row.values.get(name))


def _place_from_code(raw: object, gaz: Gazetteer) -> tuple[Place | None, str | None]:
    """A code column: 'TH370101', '370101', 37010103 …; abolished codes go to their successor."""
    text = clean_text(raw)
    if text is None:
        return None, None
    text = text.replace(".0", "") if text.endswith(".0") else text
    match = _CODE.match(text)
    if not match:
        return None, f"area code {text!r} is not a 2/4/6/8-digit DOPA code"
    code = match.group(1)
    base = code[:6] if len(code) == 8 else code
    if base in gaz.successors and len(gaz.successors[base]) == 1:
        new = gaz.successors[base][0] + (code[6:] if len(code) == 8 else "")
        return Place(new, precision_of(new), 0.95, f"abolished {code}→{new}"), None
    if base not in gaz.codes:
        return None, f"area code {code} is not in the gazetteer"
    return Place(code, precision_of(code), 1.0), None


def _place_from_location(loc: Location) -> Place:
    """The locator's answer as a place. A text naming several areas is placed once at the lowest
    area holding them all (never in the first one alone: the map would credit it the whole
    amount), with every area it names kept in ``areas``."""
    if loc.code is None or loc.precision == "none":
        return Place("TH", "none", loc.confidence, loc.note)
    named = list(dict.fromkeys([loc.code, *(o for o in loc.others if o not in loc.ends)]))
    ends = [e for e in dict.fromkeys(loc.ends) if e not in named]
    if len(named) == 1 and not ends:
        return Place(loc.code, loc.precision, loc.confidence, loc.note)
    code = common_area(named)
    precision = "country" if code == COUNTRY else precision_of(code)
    notes = [loc.note] if loc.note else []
    if len(named) > 1:
        notes.append(f"names {len(named)} areas, counted once at {code}")
    areas = tuple((c, "named") for c in named) + tuple((c, "end") for c in ends)
    return Place(code, precision, loc.confidence, "; ".join(notes), areas)


def _known(place: Place, gaz: Gazetteer) -> Place:
    """Villages need only their tambon in the gazetteer (they are tambon code + หมู่ที่)."""
    check = place.code[:6] if place.precision == "village" else place.code
    if place.code == "TH" or check in gaz.codes:
        return place
    return Place("TH", "none", 0.0, f"parser gave unknown code {place.code}")


def as_written(row: RawRow) -> AsWritten:
    """What a row says about itself, as written: never what planmap derived from it (the
    locator's place, a normalised name, a parsed amount), so a better locator or parser does not
    make an unchanged row look new when its source is imported again."""

    def text(*fields: str) -> str:
        return " | ".join(" ".join(str(v).split()) for f in fields if (v := row.values.get(f)) not in (None, ""))

    return AsWritten(
        title=text("title"),
        place=text("area_code", "village", "tambon", "district", "province"),
        amount=text("amount"),
        other=text("fiscal_year", "date", "agency", "url"),
    )


def _row_key(*parts: object) -> str:
    digest = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()
    return digest[:20]


def _amounts(table: Table, outcome: Outcome) -> dict[int, Decimal | NormalizeError]:
    """Amounts of a table; a column labelled ล้านบาท that really holds baht is detected and said."""
    unit = table.amount_unit
    parsed: dict[int, Decimal | NormalizeError] = {}
    fractions = 0
    for row in table.rows:
        raw = row.values.get("amount")
        try:
            parsed[row.row] = parse_amount(raw, unit_hint=None)
        except NormalizeError as err:
            parsed[row.row] = err
            continue
        fractions += bool(_SUB_SATANG.search(str(raw)))
    if fractions:
        outcome.notes.append(
            f"{table.file}{':' + table.sheet if table.sheet else ''}: {fractions} amount(s) have more than two"
            " decimals (a total split by the source); each was rounded half-up to the satang"
        )
    if unit == "million":
        values = [v for v in parsed.values() if isinstance(v, Decimal)]
        if detect_million_mislabel(values):
            outcome.notes.append(
                f"{table.file}{':' + table.sheet if table.sheet else ''}: the amount column says ล้านบาท "
                "(million baht) but its values are baht (median ≥ 10,000); read as baht"
            )
        else:
            raw = {row.row: row.values.get("amount") for row in table.rows}
            parsed = {k: _millions(v, raw[k]) for k, v in parsed.items()}
    return parsed


def _millions(value: Decimal | NormalizeError, raw: object) -> Decimal | NormalizeError:
    if isinstance(value, NormalizeError):
        return value
    try:
        return parse_amount(value, unit_hint="million")
    except NormalizeError as err:
        return NormalizeError("amount", raw, f"{err.rule} (read as million baht, as its column says)")


# -- plans -----------------------------------------------------------------------------------


def plan_records(
    tables: Iterable[Table],
    *,
    level: str,
    fiscal_year: int | None,
    gaz: Gazetteer,
    locator: Locator,
    year_overrides: Mapping[tuple[str, str | None, int], int] | None = None,
    source_of: Callable[[str], str] = str,
    columnwise: ColumnPath | None = None,
) -> Outcome:
    """Validate plan rows; each item is placed by its code column or its text. Two rows with the
    same text, or two rows of one source (``source_of`` a file name) with the same reference, are
    one item written twice. ``columnwise`` (:mod:`etl.columns`, passed in by the importer so
    that this module does not depend on it) checks coded tables column by column; without it
    every row is checked here (the tests compare both).

    ``year_overrides`` gives rows whose date is not a real date (drag-filled, see
    :mod:`etl.health`) the fiscal year the importing user decided; their date is not kept."""
    overrides = year_overrides or {}
    if level not in PLAN_LEVELS:
        raise ValueError(f"unknown plan level {level!r}; one of {', '.join(PLAN_LEVELS)}")
    outcome = Outcome()
    with collector_paused():
        _plan_outcome(tables, outcome, level, fiscal_year, gaz, locator, overrides, source_of, columnwise)
    return outcome


class ColumnPath(Protocol):
    """The column-wise check of coded tables (:mod:`etl.columns`)."""

    def coded(self, table: Table) -> bool: ...

    def table_amounts(self, table: Table, outcome: Outcome) -> list: ...

    def plan_table(self, table: Table, amounts: list, **options: object) -> list: ...


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while records are made (a context manager or decorator):
    it would walk every object made so far again and again (a third of the time at 100,000 rows);
    records hold no cycles. The objects are freed as ever when no longer referenced."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _plan_outcome(
    tables: Iterable[Table],
    outcome: Outcome,
    level: str,
    fiscal_year: int | None,
    gaz: Gazetteer,
    locator: Locator,
    overrides: Mapping[tuple[str, str | None, int], int],
    source_of: Callable[[str], str],
    columnwise: ColumnPath | None,
) -> None:
    seen: dict[tuple[str, str], RawRow] = {}
    source_of = functools.cache(source_of)  # once per file, not per row
    for table in tables:
        # A coded table is checked column by column (etl.columns); its irregular rows, and every
        # row of other tables, row by row here (the same records and problems either way).
        built: list[PlanRecord | None] | None = None
        if columnwise is not None and columnwise.coded(table):
            amounts = columnwise.table_amounts(table, outcome)
            built = columnwise.plan_table(
                table, amounts, level=level, fiscal_year=fiscal_year, gaz=gaz, overrides=overrides
            )
        else:
            by_row = _amounts(table, outcome)
            amounts = [by_row[row.row] for row in table.rows]
        for i, row in enumerate(table.rows):
            record = built[i] if built else None
            if record is None:
                override = overrides.get((row.file, row.sheet, row.row))
                record = _plan_record(row, amounts[i], level, fiscal_year, gaz, locator, outcome, override)
                if record is None:
                    continue
            # A reference is unique within its source, a row's text within the whole import (the
            # same list sent twice in two files would count its demand twice).
            keys = [("", record.written.key)] if record.written else []
            if record.has_ref:
                keys.append((source_of(record.file), record.item_key))
            key = next((k for k in keys if k in seen), keys[-1])
            if key in seen:
                first = seen[key]
                outcome.problems.append(
                    _problem(
                        row,
                        "title",
                        record.title,
                        "duplicate row",
                        f"same item as row {first.row}"
                        f"{' of ' + first.file if first.file != row.file else ''}"
                        " (the same reference, or the same title, amount, place, date and link as written)",
                    )
                )
                continue
            seen.update(dict.fromkeys(keys, row))
            outcome.records.append(record)


def _plan_record(
    row: RawRow,
    amount: Decimal | NormalizeError,
    level: str,
    fiscal_year: int | None,
    gaz: Gazetteer,
    locator: Locator,
    outcome: Outcome,
    override: int | None = None,
) -> PlanRecord | None:
    problems = _too_long(row)
    if problems:
        outcome.problems.extend(problems)
        return None
    title = _text(row, "title")
    if title is None:
        problems.append(_problem(row, "title", row.values.get("title"), "missing title", "no project title"))
    if isinstance(amount, NormalizeError):
        problems.append(_from_error(row, amount))
    submitted: dt.date | None = None
    if override is None and row.values.get("date") not in (None, ""):
        try:
            submitted = parse_thai_date(row.values["date"])
        except NormalizeError as err:
            problems.append(_from_error(row, err))
    year = override if override is not None else fiscal_year
    if override is None and row.values.get("fiscal_year") not in (None, ""):
        try:
            year = _fiscal_year(row.values["fiscal_year"])
        except NormalizeError as err:
            problems.append(_from_error(row, err))
    if year is None and submitted is not None:
        year = fiscal_year_of(submitted)
    if year is None and not problems:
        problems.append(
            _problem(row, "fiscal_year", None, "missing fiscal year", "no fiscal year column, date or --fiscal-year")
        )
    place, plan_area = None, None
    if not problems:
        place, error = _plan_place(row, title or "", gaz, locator)
        if error:
            problems.append(_problem(row, "area_code", row.values.get("area_code"), "unknown code", error))
    agency = ministry = None
    try:
        agency = normalize_agency(row.values["agency"]) if _text(row, "agency") else None
        ministry = normalize_ministry(row.values["ministry"]) if _text(row, "ministry") else None
    except NormalizeError as err:
        problems.append(_from_error(row, err))
    if problems:
        outcome.problems.extend(problems)
        return None
    assert place is not None and title is not None and isinstance(amount, Decimal) and year is not None
    plan_area = _plan_area(level, place, row, gaz)
    ref = _text(row, "item_ref")
    written = as_written(row)
    return PlanRecord(
        file=row.file,
        sheet=row.sheet,
        row=row.row,
        # Without a reference, the key is the row's text; the proposal's URL tells apart two
        # identical-looking proposals from different local governments of one province.
        # etl.versions keeps the key of a row that an earlier version of its source held.
        item_key=ref or written.key,
        written=written,
        has_ref=bool(ref),
        title=title,
        amount=amount,
        fiscal_year=year,
        place=place,
        plan_area=plan_area,
        agency=agency,
        ministry=ministry,
        sector=_text(row, "sector") or _text(row, "project_type"),
        strategy=_text(row, "strategy") or _text(row, "plan_group"),
        beyond_capacity=(_text(row, "beyond_capacity") or "").lower() in _TRUE,
        escalated_to_ref=_text(row, "escalated_to_ref"),
        submitted_on=submitted,
    )


def _plan_place(row: RawRow, title: str, gaz: Gazetteer, locator: Locator) -> tuple[Place, str | None]:
    if _text(row, "area_code"):
        place, error = gaz.place_of_code(row.values["area_code"])
        if error or place is None:
            return Place("TH", "none", 0.0), error
        village = _text(row, "village")
        if place.precision == "tambon" and village and village.isdigit():
            place = Place(f"{place.code}{int(village):02d}", "village", place.confidence, place.note)
        return place, None
    parts = [title] + [
        f"{prefix}{v}"
        for prefix, name in (("หมู่ที่ ", "village"), ("ตำบล", "tambon"), ("อำเภอ", "district"))
        if (v := _text(row, name))
    ]
    loc = locator.locate(" ".join(parts), province=_text(row, "province"), district=_text(row, "district"))
    return _known(_place_from_location(loc), gaz), None


def _plan_area(level: str, place: Place, row: RawRow, gaz: Gazetteer) -> str:
    """The area whose plan holds the item: the place cut to the plan's level (a local
    government's list is kept per province when the file does not say which one)."""
    if place.code == COUNTRY:
        return COUNTRY
    # a local government's, a province's and a cluster's lists are kept per province
    return cut_to(place.code, level if level in LENGTH_BY_LEVEL else "province")


# -- budget ----------------------------------------------------------------------------------


def budget_records(tables: Iterable[Table], *, gaz: Gazetteer, locator: Locator) -> Outcome:
    """Validate Budget Bill rows: one record per item and fiscal year (§3.4)."""
    outcome = Outcome()
    seen: dict[str, RawRow] = {}
    for table in tables:
        amounts = _amounts(table, outcome)
        for row in table.rows:
            record = _budget_record(row, amounts[row.row], gaz, locator, outcome)
            if record is None:
                continue
            if record.source_key in seen:
                first = seen[record.source_key]
                outcome.problems.append(
                    _problem(
                        row,
                        "item_id",
                        row.values.get("item_id"),
                        "duplicate row",
                        f"ITEM_ID {row.values.get('item_id')} for FY{record.fiscal_year}"
                        f" already on row {first.row} of {first.file}",
                    )
                )
                continue
            seen[record.source_key] = row
            outcome.records.append(record)
    return outcome


_CLUSTER_UNIT = re.compile(r"^กลุ่มจังหวัด")
_PROVINCE_UNIT = re.compile(r"^จังหวัด(?!และ)")


def _budget_record(
    row: RawRow, amount: Decimal | NormalizeError, gaz: Gazetteer, locator: Locator, outcome: Outcome
) -> BudgetRecord | None:
    problems = _too_long(row)
    if problems:
        outcome.problems.extend(problems)
        return None
    item_id = _text(row, "item_id")
    if item_id is None:
        problems.append(_problem(row, "item_id", None, "missing item id", "no ITEM_ID"))
    if isinstance(amount, NormalizeError):
        problems.append(_from_error(row, amount))
    year = None
    try:
        year = _fiscal_year(row.values.get("fiscal_year"))
    except NormalizeError as err:
        problems.append(_from_error(row, err))
    texts = [
        _text(row, f)
        for f in (
            "item_description",
            "project",
            "output",
            "category_lv6",
            "category_lv5",
            "category_lv4",
            "category_lv3",
            "category_lv2",
            "category_lv1",
        )
    ]
    title = next((t for t in texts if t), None) or _text(row, "budget_plan")
    if title is None:
        problems.append(
            _problem(row, "item_description", None, "missing description", "no item description, project or category")
        )
    if problems:
        outcome.problems.extend(problems)
        return None
    assert item_id is not None and year is not None and isinstance(amount, Decimal) and title is not None
    unit = _text(row, "budgetary_unit") or ""
    ministry_raw = _text(row, "ministry")
    ministry = normalize_ministry(ministry_raw) if ministry_raw else None
    place = _budget_place(unit, texts, gaz, locator)
    return BudgetRecord(
        file=row.file,
        sheet=row.sheet,
        row=row.row,
        source_key=f"budget-bill:{item_id}:{year}",
        title=title,
        amount=amount,
        fiscal_year=year,
        place=place,
        agency=normalize_agency(unit) if unit else None,
        ministry=ministry,
        budget_plan=_text(row, "budget_plan"),
        funding_source=_funding_source(ministry or "", unit),
        item_id=item_id,
        obliged=(_text(row, "obliged") or "").lower() in _TRUE,
        document_year=_document_year(_text(row, "ref_doc")),
    )


_REF_DOC_YEAR = re.compile(r"^\s*(\d{4})\b")


def _document_year(ref_doc: str | None) -> int | None:
    """The fiscal year of a Budget Bill document from its REF_DOC ('2022.3.13(1)' → 2565)."""
    match = _REF_DOC_YEAR.match(ref_doc or "")
    if not match:
        return None
    try:
        return _fiscal_year(match.group(1))
    except NormalizeError:
        return None


def _budget_place(unit: str, texts: list[str | None], gaz: Gazetteer, locator: Locator) -> Place:
    province = None
    if _PROVINCE_UNIT.match(unit):
        province = unit.removeprefix("จังหวัด").strip()
    loc = locator.locate_best([t for t in texts if t], province=province)
    place = _known(_place_from_location(loc), gaz)
    if place.precision != "none":
        return place
    if province and province in gaz.province_names:
        return Place(gaz.province_names[province], "province", 0.9, "from the budgetary unit")
    if _CLUSTER_UNIT.match(unit):
        clusters = gaz.cluster_codes(unit)
        if len(clusters) == 1:
            return Place(clusters[0], "cluster", 0.9, "from the budgetary unit")
        return Place(
            "TH", "none", 0.0, f"cluster {unit} matches {len(clusters)} clusters ({', '.join(clusters) or 'none'})"
        )
    return place


def _funding_source(ministry: str, unit: str) -> Literal["agency", "province", "cluster", "local", "subsidy", "other"]:
    if _CLUSTER_UNIT.match(unit):
        return "cluster"
    if _PROVINCE_UNIT.match(unit):
        return "province"
    if "ท้องถิ่น" in ministry and "กระทรวง" not in ministry:
        return "subsidy"
    return "agency"
