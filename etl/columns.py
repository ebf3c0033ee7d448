"""Column-wise validation of coded plan tables (rows placed by an area code, no locator).

:func:`etl.records.plan_records` checks a table row by row; for a table with an area code
column most of that work repeats itself (the same fiscal year, amount, code or agency written on
thousands of rows), so this module checks each *column* once per distinct value, with
``pandas.factorize`` finding the distinct values, and spreads the results back over the rows
with numpy. Every value goes through the very functions the row path uses (``parse_amount``,
``parse_fiscal_year``, ``parse_thai_date``, ``Gazetteer.place_of_code``, ``clean_text`` …), so
the results are the same by construction, not by imitation.

A row that is not plainly good (any problem, a cell too long, no area code so the locator must
place it, a year decided by the user) is handed back as *irregular*: the caller runs the row
path on it, which says what is wrong exactly as before. The regular rows get their
:class:`~etl.records.PlanRecord` here, in file order. ``tests/etl/test_columns.py`` runs both
paths over files with every kind of bad cell and asserts the same records and problems.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal

import numpy as np
import pandas as pd

from etl import records as rec
from etl.normalize import (
    NormalizeError,
    clean_text,
    detect_million_mislabel,
    normalize_agency,
    normalize_ministry,
    parse_amount,
    parse_thai_date,
)
from etl.readers import Table
from geodata.areas import COUNTRY, LENGTH_BY_LEVEL, cut_to, fiscal_year_of

__all__ = ["coded", "plan_stage_text", "plan_table", "table_amounts"]

# Types whose equal values are the same value (no -0.0 beside 0.0, no 1.00 beside 1.0).
_EXACT = frozenset({str, int, bool, type(None)})
# A row's text as written (etl.records.as_written): each part and the fields it joins.
_AS_WRITTEN = {
    "title": ("title",),
    "place": ("area_code", "village", "tambon", "district", "province"),
    "amount": ("amount",),
    "other": ("fiscal_year", "date", "agency", "url"),
}


def coded(table: Table) -> bool:
    """Rows of this table are placed by their area code (the locator is needed only on rows
    whose code cell is empty, and those go the row path)."""
    return "area_code" in table.columns.values()


class _Column:
    """One field of a table: its distinct values and, per row, the index of its value.

    Distinct means the same type and the same value as written: 1, 1.0 and True are different
    cells (they parse differently), and so are -0.0 and 0.0; only a column of text (and empty
    cells) is factorised by pandas, any other column is keyed by type and value (its repr unless
    equal values are identical) in a dictionary."""

    def __init__(self, cells: list[object]) -> None:
        kinds = set(map(type, cells))
        if kinds <= {str, type(None)}:
            codes, uniques = pd.factorize(_objects(cells), use_na_sentinel=True)
            self.uniques: list[object] = list(uniques)
            if (codes < 0).any():  # None (no NaN: the column holds text and None only)
                codes = np.where(codes < 0, len(self.uniques), codes)
                self.uniques.append(None)
            self.codes = codes
        else:
            index: dict[tuple[type, object], int] = {}
            self.uniques = []
            positions = []
            for cell in cells:
                kind = type(cell)
                # equal is not the same: -0.0 and 0.0, Decimal 1.0 and 1.00 read differently
                key = (kind, cell if kind in _EXACT else repr(cell))
                at = index.get(key)
                if at is None:
                    at = index[key] = len(self.uniques)
                    self.uniques.append(cell)
                positions.append(at)
            self.codes = np.asarray(positions, dtype=np.intp)

    def spread(self, results: Sequence[object]) -> np.ndarray:
        """Per-row results from one result per distinct value."""
        return _objects(results)[self.codes]

    def apply(self, fn: Callable[[object], object]) -> np.ndarray:
        return self.spread([fn(v) for v in self.uniques])


def _objects(values: Sequence[object]) -> np.ndarray:
    """An object array of the values as they are (numpy does not look into them for sequences)."""
    return np.fromiter(values, dtype=object, count=len(values))


def _or_error(fn: Callable[[object], object]) -> Callable[[object], object]:
    def call(value: object) -> object:
        try:
            return fn(value)
        except NormalizeError as err:
            return err

    return call


def _written(value: object) -> str | None:
    """A cell as :func:`etl.records.as_written` writes it (None: left out)."""
    return None if value in (None, "") else " ".join(str(value).split())


def table_amounts(table: Table, outcome: rec.Outcome) -> list[Decimal | NormalizeError]:
    """:func:`etl.records._amounts` per distinct cell: the amount of each row, in row order
    (the notes about sub-satang amounts and mislabelled million-baht columns as there)."""
    rows = table.rows
    column = _Column([r.values.get("amount") for r in rows])
    parsed = [_or_error(lambda v: parse_amount(v, unit_hint=None))(v) for v in column.uniques]
    where = f"{table.file}{':' + table.sheet if table.sheet else ''}"
    split = [isinstance(p, Decimal) and bool(rec._SUB_SATANG.search(str(v))) for v, p in zip(column.uniques, parsed)]
    if any(split):
        fractions = int(np.bincount(column.codes, minlength=len(parsed))[np.asarray(split, dtype=bool)].sum())
        outcome.notes.append(
            f"{where}: {fractions} amount(s) have more than two decimals (a total split by the source); each was"
            " rounded half-up to the satang"
        )
    if table.amount_unit == "million":
        values = [v for v in column.spread(parsed).tolist() if isinstance(v, Decimal)]
        if detect_million_mislabel(values):
            outcome.notes.append(
                f"{where}: the amount column says ล้านบาท (million baht) but its values are baht (median ≥ 10,000);"
                " read as baht"
            )
        else:
            parsed = [rec._millions(p, v) for v, p in zip(column.uniques, parsed)]
    return column.spread(parsed).tolist()


def plan_table(
    table: Table,
    amounts: Sequence[Decimal | NormalizeError],
    *,
    level: str,
    fiscal_year: int | None,
    gaz: rec.Gazetteer,
    overrides: Mapping[tuple[str, str | None, int], int],
) -> list[rec.PlanRecord | None] | None:
    """The record of each row of a coded table, None for an irregular row (the caller runs the
    row path on it); None for the whole table when its rows do not all hold the same fields."""
    rows = table.rows
    if not rows:
        return []
    fields = set(rows[0].values)
    if any(r.values.keys() != fields for r in rows):
        return None
    n = len(rows)
    values = [r.values for r in rows]
    columns = {f: _Column([v[f] for v in values]) for f in fields}

    def col(name: str, fn: Callable[[object], object], default: object = None) -> np.ndarray | object:
        return columns[name].apply(fn) if name in columns else default

    regular = np.ones(n, dtype=bool)
    # cells too long (the row path reports them and nothing else)
    for column in columns.values():
        long = [isinstance(v, str) and len(v) > rec.MAX_TEXT for v in column.uniques]
        if any(long):
            regular &= ~column.spread(long).astype(bool)
    if overrides:
        regular &= np.array([(r.file, r.sheet, r.row) not in overrides for r in rows], dtype=bool)
    # title
    titles = col("title", clean_text)
    if not isinstance(titles, np.ndarray):
        return [None] * n
    regular &= titles != None  # noqa: E711 (element-wise)
    # amount (parsed per table by the caller, as on the row path)
    amount = _objects(amounts)
    regular &= np.fromiter((isinstance(a, Decimal) for a in amount), dtype=bool, count=n)
    # date
    dates = col("date", _or_error(lambda v: None if v in (None, "") else parse_thai_date(v)))
    if isinstance(dates, np.ndarray):
        regular &= np.fromiter((not isinstance(d, NormalizeError) for d in dates), dtype=bool, count=n)
    # fiscal year: the cell, else --fiscal-year, else the date's
    years = col("fiscal_year", _or_error(lambda v: None if v in (None, "") else rec._fiscal_year(v)))
    if isinstance(years, np.ndarray):
        regular &= np.fromiter((not isinstance(y, NormalizeError) for y in years), dtype=bool, count=n)
        year = np.where(years == None, fiscal_year, years)  # noqa: E711
    else:
        year = np.full(n, fiscal_year, dtype=object)
    if fiscal_year is None and isinstance(dates, np.ndarray):
        undated = (year == None) & (dates != None)  # noqa: E711
        if undated.any():
            year[undated] = [fiscal_year_of(d) if not isinstance(d, NormalizeError) else None for d in dates[undated]]
    regular &= year != None  # noqa: E711
    # place: the code (an empty code cell is the locator's, on the row path)
    codes = columns["area_code"]
    place = codes.apply(lambda v: gaz.place_of_code(v)[0] if clean_text(v) else None)
    regular &= place != None  # noqa: E711
    if "village" in columns:
        villages = columns["village"].apply(clean_text)
        tambon = np.fromiter(
            (p is not None and p.precision == "tambon" for p in place), dtype=bool, count=n
        ) & np.fromiter((bool(v) and v.isdigit() for v in villages), dtype=bool, count=n)
        if tambon.any():
            memo: dict[tuple[rec.Place, str], rec.Place] = {}
            for i in np.flatnonzero(tambon):
                key = (place[i], villages[i])
                if key not in memo:
                    p, v = key
                    memo[key] = rec.Place(f"{p.code}{int(v):02d}", "village", p.confidence, p.note)
                place[i] = memo[key]
    # agency and ministry
    agency = col("agency", _or_error(lambda v: normalize_agency(v) if clean_text(v) else None))
    ministry = col("ministry", _or_error(lambda v: normalize_ministry(v) if clean_text(v) else None))
    for named in (agency, ministry):
        if isinstance(named, np.ndarray):
            regular &= np.fromiter((not isinstance(x, NormalizeError) for x in named), dtype=bool, count=n)

    # the rest of a record, for the regular rows only
    good = np.flatnonzero(regular)
    out: list[rec.PlanRecord | None] = [None] * n
    if not len(good):
        return out

    def texts(name: str) -> list[object]:
        return col(name, clean_text)[good].tolist() if name in columns else [None] * len(good)

    def either(first: str, second: str) -> list[object]:
        return [a or b for a, b in zip(texts(first), texts(second))]

    def written(names: tuple[str, ...]) -> list[str]:
        parts = [col(name, _written)[good].tolist() for name in names if name in columns]
        if not parts:
            return [""] * len(good)
        if len(parts) == 1:
            return ["" if p is None else p for p in parts[0]]
        return [" | ".join(p for p in cells if p is not None) for cells in zip(*parts)]

    beyond = col("beyond_capacity", lambda v: (clean_text(v) or "").lower() in rec._TRUE, False)
    area_of: dict[str, str] = {}
    cut = level if level in LENGTH_BY_LEVEL else "province"
    refs = texts("item_ref")
    w_title, w_place, w_amount, w_other = (written(names) for names in _AS_WRITTEN.values())
    sha1 = hashlib.sha1

    def chosen(values: np.ndarray | object, default: object) -> list[object]:
        return values[good].tolist() if isinstance(values, np.ndarray) else [default] * len(good)

    pick = (
        titles[good].tolist(),
        amount[good].tolist(),
        year[good].tolist(),
        place[good].tolist(),
        chosen(agency, None),
        chosen(ministry, None),
        either("sector", "project_type"),
        either("strategy", "plan_group"),
        chosen(beyond, False),
        texts("escalated_to_ref"),
        chosen(dates, None),
        refs,
        w_title,
        w_place,
        w_amount,
        w_other,
    )
    for i, title, amt, yr, pl, ag, mi, sector, strategy, bey, esc, day, ref, wt, wp, wa, wo in zip(
        good.tolist(), *pick
    ):
        row = rows[i]
        plan_area = area_of.get(pl.code)
        if plan_area is None:
            plan_area = area_of[pl.code] = COUNTRY if pl.code == COUNTRY else cut_to(pl.code, cut)
        # AsWritten.key (a cached property) without the generic conversions of the row path
        key = sha1("\x1f".join((wt, wp, wa, wo)).encode()).hexdigest()[:20]
        written_as = _new(rec.AsWritten, {"title": wt, "place": wp, "amount": wa, "other": wo, "key": key})
        out[i] = _new(
            rec.PlanRecord,
            {
                "file": row.file,
                "sheet": row.sheet,
                "row": row.row,
                "item_key": ref or key,
                "title": title,
                "amount": amt,
                "fiscal_year": int(yr),
                "place": pl,
                "plan_area": plan_area,
                "agency": ag,
                "ministry": mi,
                "sector": sector,
                "strategy": strategy,
                "beyond_capacity": bool(bey),
                "escalated_to_ref": esc,
                "submitted_on": day,
                "written": written_as,
                "has_ref": bool(ref),
            },
        )
    return out


# A frozen dataclass sets each field through object.__setattr__ (about 5 µs a record): the
# records here are made with their fields at once. Every field is given, or the import fails.
_FIELDS = {
    rec.AsWritten: {"title", "place", "amount", "other"},
    rec.PlanRecord: {
        "file",
        "sheet",
        "row",
        "item_key",
        "title",
        "amount",
        "fiscal_year",
        "place",
        "plan_area",
        "agency",
        "ministry",
        "sector",
        "strategy",
        "beyond_capacity",
        "escalated_to_ref",
        "submitted_on",
        "written",
        "has_ref",
    },
}
for _kind, _names in _FIELDS.items():
    if {f.name for f in dataclasses.fields(_kind)} != _names or hasattr(_kind, "__post_init__"):
        raise ImportError(f"etl.columns makes {_kind.__name__} records field by field: update its list")


def _new(kind: type, values: dict[str, object]) -> object:
    """A record of the frozen dataclass ``kind`` with these field values (as ``kind(**values)``)."""
    record = object.__new__(kind)
    record.__dict__.update(values)
    return record


# -- staging ---------------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_BLOCK = 2_000  # lines per write to the COPY stream


def _copy_field(value: object) -> str:
    """One value in COPY's text format (the slow path of :func:`plan_stage_text`)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list):
        value = _array(value)
    return str(value).translate(_COPY_ESCAPES)


def _array(parts: list[str]) -> str:
    """A text[] literal, every element quoted."""
    if any('"' in p or "\\" in p for p in parts):
        parts = [p.replace("\\", "\\\\").replace('"', '\\"') for p in parts]
    return '{"' + '","'.join(parts) + '"}'


def plan_stage_text(
    records: Sequence[rec.PlanRecord], *, level: str, cycle: str, source_of: Callable[[str], str]
) -> Iterator[str]:
    """The staging rows of plan records (``etl/sql/import_plans_stage.sql``, in the order of
    ``etl.load._PLAN_COLUMNS``) as COPY text, in blocks of lines: what ``copy.write_row`` would
    send, made without a dumper call per value. A line whose values hold a backslash, tab or line
    break is escaped value by value."""
    with rec.collector_paused():
        yield from _stage_blocks(records, level, cycle, source_of)


def _stage_blocks(
    records: Sequence[rec.PlanRecord], level: str, cycle: str, source_of: Callable[[str], str]
) -> Iterator[str]:
    sources: dict[str, str] = {}
    lines: list[str] = []
    for r in records:
        source = sources.get(r.file)
        if source is None:
            source = sources[r.file] = source_of(r.file)
        w = r.written
        place = r.place
        day = r.submitted_on
        values = [
            r.item_key,
            r.title,
            str(r.amount),
            str(r.fiscal_year),
            place.code,
            place.precision,
            repr(float(place.confidence)),
            place.note,
            level,
            r.plan_area,
            "\\N" if r.agency is None else r.agency,
            "\\N" if r.ministry is None else r.ministry,
            "\\N" if r.sector is None else r.sector,
            "\\N" if r.strategy is None else r.strategy,
            "t" if r.beyond_capacity else "f",
            "\\N" if r.escalated_to_ref is None else r.escalated_to_ref,
            "\\N" if day is None else day.isoformat(),
            str(r.row),
            cycle,
            source,
            "\\N" if w is None else _array([w.title, w.place, w.amount, w.other]),
            "\\N" if w is None else w.key,
            "t" if r.has_ref else "f",
        ]
        line = "\t".join(values)
        # the texts, without the \N of missing values: any backslash, tab or line break in them,
        # or a quote (escaped by a backslash in the array)?
        texts = "".join(
            t
            for t in (
                r.item_key,
                r.title,
                place.code,
                place.note,
                r.plan_area,
                source,
                r.agency,
                r.ministry,
                r.sector,
                r.strategy,
                r.escalated_to_ref,
            )
            if t
        ) + ("" if w is None else w.title + w.place + w.amount + w.other)
        if "\\" in texts or '"' in texts or "\t" in texts or "\n" in texts or "\r" in texts:
            line = _escaped_line(r, level, cycle, source)
        lines.append(line)
        if len(lines) == _BLOCK:
            yield "\n".join(lines) + "\n"
            lines.clear()
    if lines:
        yield "\n".join(lines) + "\n"


def _escaped_line(r: rec.PlanRecord, level: str, cycle: str, source: str) -> str:
    w = r.written
    values = [
        r.item_key,
        r.title,
        str(r.amount),
        r.fiscal_year,
        r.place.code,
        r.place.precision,
        repr(float(r.place.confidence)),
        r.place.note,
        level,
        r.plan_area,
        r.agency,
        r.ministry,
        r.sector,
        r.strategy,
        r.beyond_capacity,
        r.escalated_to_ref,
        None if r.submitted_on is None else r.submitted_on.isoformat(),
        r.row,
        cycle,
        source,
        None if w is None else [w.title, w.place, w.amount, w.other],
        None if w is None else w.key,
        r.has_ref,
    ]
    return "\t".join(map(_copy_field, values))
