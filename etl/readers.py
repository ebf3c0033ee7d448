"""The file-reading layer of `planmap import`: files as people send them → raw rows by field.

Reads CSV (UTF-8, UTF-8 with BOM, cp874/TIS-620), XLSX (every sheet) and either of them
gzipped; the bytes decide the format, not the extension (gzip, zip = workbook, OLE = old .xls,
anything else = CSV text). In each sheet it finds the header among the first
:data:`HEADER_SEARCH_ROWS` rows (title rows above it are skipped, a two-row header is read as
one), maps columns to fields with :mod:`etl.layouts`, and sorts the rows below into data rows
(:class:`RawRow`, cells exactly as read) and skipped rows (:class:`Skipped`: blank, totals,
side table, repeated header, title row, section heading). Values are not normalised here; the
next layer does that and reports row problems. File-level problems raise :class:`ReadError`.

Workbooks are opened with openpyxl ``read_only=True, data_only=True``: formulas come back as the
values Excel cached (a file saved by a program that never calculated them gives None). Read-only
streaming is about twice as fast as the full loader (openpyxl alone on the 51 ThaiME provincial
workbooks: 2.8 s against 5.2 s; this reader, all included: about 4 s) and keeps memory flat.
It does not report merged cells, but a merged header cell keeps its text in its top-left cell,
so reading two header rows column by column (see :meth:`etl.layouts.HeaderMatcher.match`)
recovers the vertical merges of real two-row headers, and a group heading merged over
sub-columns is matched through the sub-headings. Merged *data* cells are not filled.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain, islice
from pathlib import Path
from typing import Any, Literal

import openpyxl
from openpyxl.utils import get_column_letter

from etl.bounds import MAX_COLUMNS, BoundsError, Limits, check_workbook, gunzip, read_file
from etl.layouts import REQUIRED, HeaderMatch, HeaderMatcher, header_key
from etl.normalize import clean_text

__all__ = [
    "HEADER_SEARCH_ROWS",
    "RawRow",
    "ReadError",
    "Skipped",
    "Table",
    "file_checksum",
    "read_tables",
]

# Real sheets put up to a few title lines above the header; 30 leaves room for a cover block.
HEADER_SEARCH_ROWS = 30
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# cp874 maps almost every byte, so a wrong guess shows up as C0 control characters instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Every Unicode space (NBSP, newline …) and the zero-width characters clean_text drops: a cell
# of only these is blank. One str.strip(_BLANK) call per cell keeps big files fast.
_BLANK = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\u200b\u200c\u200d\u2060\ufeff"
# A cell that is only a totals label: รวม, รวมทั้งสิ้น 1,131 โครงการ, ยอดรวม, Total, Grand total.
_TOTAL_LABEL = re.compile(
    r"(?:ยอด)?รวม(?:ทั้งสิ้น|ทั้งหมด|เงิน)?\s*:?\s*(?:[\d,.]+\s*(?:โครงการ|รายการ|บาท)?)?"
    r"|(?:grand\s+|sub\s*)?totals?\s*:?\s*(?:[\d,.]+)?"
)

# A total label starts with ยอด, รวม, grand, sub or total (what _TOTAL_LABEL can match).
_TOTAL_FIRST = frozenset("ยรgst")


class ReadError(ValueError):
    """A file that cannot be read as a table; the message names the file (and sheet) and says
    what is wrong, in words a person who made the spreadsheet can act on."""


@dataclass(frozen=True)
class RawRow:
    """One data row. ``row`` is the 1-based row number a spreadsheet user sees (for CSV the
    record number, header included, as Excel numbers it); ``values`` maps each mapped field to
    its cell exactly as read (str, int, float, Decimal, datetime or None for an empty cell)."""

    file: str
    sheet: str | None
    row: int
    values: Mapping[str, object]


@dataclass(frozen=True)
class Skipped:
    """A row left out, and why. ``row`` 0 means the whole sheet (an empty or header-less sheet
    next to one with data)."""

    file: str
    sheet: str | None
    row: int
    reason: str


@dataclass(frozen=True)
class Table:
    """One sheet's table: where its header is, what its columns mean, its rows."""

    file: str
    sheet: str | None
    layout: str
    header_row: int  # 1-based; the first of two rows when the header spans two
    columns: Mapping[int, str]  # 0-based column index -> field
    amount_unit: Literal["baht", "million"] | None  # as the amount header says; may lie
    rows: tuple[RawRow, ...]
    skipped: tuple[Skipped, ...]
    encoding: str | None  # CSV only: "utf-8", "utf-8-sig" (with BOM) or "cp874"


def file_checksum(path: str | Path) -> str:
    """sha256 of the file's bytes, hex; identifies an import run's input."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_tables(
    path: str | Path,
    kind: Literal["plans", "budget"],
    mapping: Mapping[str, str] | None = None,
    data: bytes | None = None,
    limits: Limits = Limits(),
) -> list[Table]:
    """Reads every table of a file: one per sheet that has a header and data rows.

    Sheets without a header, empty sheets and sheets with a header but no data are noted in
    the first table's ``skipped`` (row 0) when another sheet has data, and are a
    :class:`ReadError` when none has. ``mapping`` (see :func:`etl.layouts.load_mapping`) adds
    header → field pairs. ``data``: the file's bytes when the caller has read them already
    (through :func:`etl.bounds.read_file`). ``limits``: sizes and rows (:mod:`etl.bounds`).
    """
    path = Path(path)
    name = path.name
    try:
        if data is None:
            data = read_file(path, limits.file_bytes)
        if data.startswith(_GZIP_MAGIC):
            data = gunzip(name, data, limits.text_bytes)
        if data.startswith(_ZIP_MAGIC):
            check_workbook(name, data)
    except BoundsError as exc:
        raise ReadError(str(exc)) from exc
    if not data.strip():
        raise ReadError(f"{name}: the file has no rows")
    matcher = HeaderMatcher(kind, mapping)
    if data.startswith(_ZIP_MAGIC):
        return _read_workbook(name, data, kind, matcher, limits.rows)
    if data.startswith(_OLE_MAGIC):
        raise ReadError(f"{name}: old binary Excel (.xls) is not supported; save it as .xlsx or CSV")
    text, encoding = _decode(name, data)
    sheet = _read_sheet(name, None, _csv_rows(name, text), kind, matcher, encoding, limits.rows)
    return _assemble(name, kind, [sheet], encoding)


# --------------------------------------------------------------------------- sources


def _decode(name: str, data: bytes) -> tuple[str, str]:
    """Strict UTF-8 (BOM or not), then strict cp874; the encoding used is reported."""
    sample = data[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or sample.count(0) * 4 >= len(sample):
        raise ReadError(f"{name}: cannot decode as UTF-8 or cp874 (it looks like UTF-16; save it as CSV UTF-8)")
    if b"\x00" in data:  # both codecs would accept NUL; no spreadsheet text has one
        raise ReadError(f"{name}: cannot decode as UTF-8 or cp874")
    try:
        text = data.decode("utf-8-sig")
        return text, "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError:
        text = None
    if text is None or _CONTROL.search(text):
        raise ReadError(f"{name}: cannot decode as UTF-8 or cp874")
    return text, "cp874"


def _csv_rows(name: str, text: str) -> Iterator[Sequence[object]]:
    """Records of a CSV; the delimiter is the most frequent of , ; tab | in the first line.

    Strict: a quote that is never closed would otherwise swallow the rest of the file into one
    cell and surface far away as a strange value."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t|", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, record in enumerate(reader, 1):
            yield _bounded(name, None, number, record)
    except csv.Error as exc:
        raise ReadError(_csv_problem(name, number + 1, reader.line_num, exc)) from exc


def _csv_problem(name: str, record: int, line: int, exc: csv.Error) -> str:
    """A CSV syntax error in words: where the broken record starts and what to fix."""
    problem = str(exc)
    if "field larger than field limit" in problem:
        return (
            f"{name}: row {record}: a cell longer than {csv.field_size_limit():,} characters (usually a"
            ' quote " that is never closed, taking the rest of the file into one cell)'
        )
    if "unexpected end of data" in problem:
        return f'{name}: row {record}: a quote " opens a cell that is never closed before the end of the file'
    return f"{name}: row {record} (line {line}): broken CSV ({problem}); check the quotes in that row"


def _bounded(name: str, sheet: str | None, number: int, row: Sequence[object]) -> Sequence[object]:
    """The row cut to :data:`MAX_COLUMNS` (as many as Excel has) when only blank cells lie
    beyond; otherwise an error (no spreadsheet made that row, and the extra cells would be lost)."""
    if len(row) <= MAX_COLUMNS:
        return row
    extra = _filled(row[MAX_COLUMNS:])
    if extra:
        raise ReadError(
            f"{_where(name, sheet)}: row {number}: {len(row):,} columns, a value in column {MAX_COLUMNS + extra[0] + 1:,};"
            f" at most {MAX_COLUMNS:,} columns (as many as Excel has) are read"
        )
    return row[:MAX_COLUMNS]


def _read_workbook(name: str, data: bytes, kind: str, matcher: HeaderMatcher, max_rows: int) -> list[Table]:
    """Every worksheet of a workbook, streamed; chartsheets have no cells and are left out."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style", unsupported extensions …
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad or foreign zip
        problem = f"{type(exc).__name__}: {exc}"
        raise ReadError(f"{name}: cannot open as an Excel workbook ({problem})") from exc
    try:
        sheets = []
        before = 0
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()  # a wrong <dimension> would cut rows and columns
            rows = _sheet_rows(name, worksheet)
            sheet = _read_sheet(name, worksheet.title, rows, kind, matcher, None, max_rows, before)
            before += len(sheet.table.rows) if sheet.table else 0
            sheets.append(sheet)
    finally:
        workbook.close()
    return _assemble(name, kind, sheets, None)


def _sheet_rows(name: str, worksheet: Any) -> Iterator[Sequence[object]]:
    """The sheet's rows as value tuples; a corrupt sheet part becomes a ReadError."""
    try:
        for number, row in enumerate(worksheet.iter_rows(values_only=True), 1):
            yield _bounded(name, worksheet.title, number, row)
    except ReadError:
        raise
    except Exception as exc:  # openpyxl's parse errors have no common base class
        problem = f"{type(exc).__name__}: {exc}"
        raise ReadError(f"{name}:{worksheet.title}: cannot read the sheet ({problem})") from exc


# --------------------------------------------------------------------------- one sheet


@dataclass
class _Sheet:
    """What one sheet gave: a table (possibly without rows) or a note, and for error
    messages the closest header candidate seen."""

    name: str | None
    table: Table | None = None
    note: str | None = None
    closest: tuple[int, HeaderMatch] | None = None


def _read_sheet(
    file: str,
    sheet: str | None,
    rows: Iterator[Sequence[object]],
    kind: str,
    matcher: HeaderMatcher,
    encoding: str | None,
    max_rows: int,
    before: int = 0,
) -> _Sheet:
    """One sheet's table; the file may have ``max_rows`` data rows, ``before`` in earlier sheets."""
    head = list(islice(rows, HEADER_SEARCH_ROWS + 1))
    if all(_is_blank_row(r) for r in head):
        empty = all(_is_blank_row(r) for r in rows)
        return _Sheet(sheet, note="empty sheet" if empty else "no header row")
    found, closest = _find_header(head, matcher)
    if found is None:
        return _Sheet(sheet, note="no header row", closest=closest)
    start, height, match = found
    if match.ambiguous:
        raise ReadError(_ambiguous_message(file, sheet, start + 1, match))
    skipped = [Skipped(file, sheet, i + 1, "blank" if _is_blank_row(head[i]) else "title row") for i in range(start)]
    sorter = _RowSorter(match, REQUIRED[kind][0], [head[start + i] for i in range(height)])
    data: list[RawRow] = []
    blanks: list[int] = []
    first = start + height + 1
    for number, row in enumerate(chain(head[start + height :], rows), first):
        filled = _filled(row)
        if not filled:
            blanks.append(number)
            continue
        skipped.extend(Skipped(file, sheet, b, "blank") for b in blanks)
        blanks.clear()
        reason = sorter.reason(row, filled)
        if reason is not None:
            skipped.append(Skipped(file, sheet, number, reason))
            continue
        values = {f: (row[c] if c < len(row) else None) for c, f in match.columns.items()}
        data.append(RawRow(file, sheet, number, values))
        if before + len(data) > max_rows:
            raise ReadError(
                f"{_where(file, sheet)}: row {number:,}: more than {max_rows:,} data rows in the file; split"
                " it, or raise PLANMAP_IMPORT_MAX_ROWS for a deliberate bulk load"
            )
        sorter.add(values.get("amount"))
    if blanks:
        skipped.append(Skipped(file, sheet, blanks[0], f"trailing blank rows ({len(blanks)})"))
    table = Table(
        file=file,
        sheet=sheet,
        layout=match.layout,
        header_row=start + 1,
        columns=dict(match.columns),
        amount_unit=match.amount_unit,
        rows=tuple(data),
        skipped=tuple(skipped),
        encoding=encoding,
    )
    return _Sheet(sheet, table=table, closest=(start + 1, match))


def _find_header(
    head: list[Sequence[object]], matcher: HeaderMatcher
) -> tuple[tuple[int, int, HeaderMatch] | None, tuple[int, HeaderMatch] | None]:
    """The header: (0-based first row, 1 or 2 rows, match), plus the closest partial match.

    Scanning down, the first row r whose own cells, or whose cells combined with row r+1's,
    hold every required field starts the header. Two rows are used when together they map
    more fields (a two-row header), or when the next row holds only text in columns the
    header left unmapped (sub-headings under a merged group). When r+1 alone matches as well
    as r and r+1 combined, r is a title row and the header is r+1.
    """
    singles = [None if _is_blank_row(r) else matcher.match([r], allow_partial=True) for r in head]
    # For error messages: a row without numbers is more likely the header than a data row
    # whose cell happens to read "โครงการ".
    ranked = [
        (not any(map(_is_number, row)), match.rank, -i)
        for i, (row, match) in enumerate(zip(head, singles))
        if match is not None
    ]
    closest = None
    if ranked:
        i = -max(ranked)[2]
        closest = (i + 1, singles[i])
    for r in range(min(len(head), HEADER_SEARCH_ROWS)):
        single = singles[r]
        below = singles[r + 1] if r + 1 < len(head) else None
        pair = None
        if single is not None and below is not None and single.columns and below.columns:
            pair = matcher.match([head[r], head[r + 1]], allow_partial=True)
        # (match, preference on a tie, first row, height): r alone, r+1 alone, r and r+1
        tries = ((single, 2, r, 1), (below, 1, r + 1, 1), (pair, 0, r, 2))
        options = [t for t in tries if t[0] is not None and t[0].complete]
        if not any(start == r for _, _, start, _ in options):
            continue
        match, _, start, height = max(options, key=lambda o: (o[0].rank, o[1]))
        if height == 1 and start + 1 < len(head) and _continues_header(head[start + 1], match):
            height = 2
            match = matcher.match([head[start], head[start + 1]]) or match  # e.g. a "(บาท)" row
        return (start, height, match), closest
    return None, closest


def _continues_header(row: Sequence[object], match: HeaderMatch) -> bool:
    """True for a second header row of sub-headings: text only, and under mapped columns
    nothing but unit notes such as "(บาท)"."""
    cells = [(c, v) for c, v in enumerate(row) if not _is_blank(v)]
    return bool(cells) and all(
        isinstance(v, str)
        and (c not in match.columns or not header_key(v))
        and not _is_total_label(v)
        and _as_float(v) is None
        for c, v in cells
    )


class _RowSorter:
    """Decides whether a non-blank row below the header is data or something to skip."""

    def __init__(self, match: HeaderMatch, label: str, header_rows: list[Sequence[object]]) -> None:
        self.columns = match.columns
        # both exist: the header matched, and both are required in either kind
        self.label_col = next(c for c, f in match.columns.items() if f == label)
        self.amount_col = next(c for c, f in match.columns.items() if f == "amount")
        self.last_mapped = max(match.columns)
        self.header_keys = {
            c: {header_key(r[c]) for r in header_rows if c < len(r) and not _is_blank(r[c])} for c in match.columns
        }
        # a label much longer than its header is no copy of it (spares header_key on each row)
        label_texts = [str(r[self.label_col]) for r in header_rows if self.label_col < len(r)]
        self.longest_label = 3 * max(map(len, label_texts)) // 2 + 5
        self.total_all = 0.0
        self.count_all = 0
        self.total_section = 0.0
        self.count_section = 0

    def reason(self, row: Sequence[object], filled: list[int]) -> str | None:
        """Why to skip the row, or None for a data row; ``filled``: its non-blank columns."""
        mapped = [c for c in filled if c in self.columns]
        if not mapped:
            if min(filled) > self.last_mapped:
                return "side table"
            return "no values in mapped columns"
        if self._is_repeated_header(row, mapped):
            return "repeated header"
        label = row[self.label_col] if self.label_col < len(row) else None
        if _is_blank(label) or (isinstance(label, str) and _is_total_label(label)):
            if any(isinstance(row[c], str) and _is_total_label(row[c]) for c in filled):
                self._end_section()
                return "totals row (รวม)"
        if mapped == [self.amount_col] and self._is_running_total(row[self.amount_col]):
            self._end_section()
            return "totals row (sum of the rows above)"
        if mapped == [self.label_col] and isinstance(label, str):
            return "section heading (title only)"  # "โครงการส่งเสริม…" over "- โครงการ…" items
        return None

    def add(self, amount: object) -> None:
        value = _as_float(amount)
        if value is not None:
            self.total_all += value
            self.total_section += value
            self.count_all += 1
            self.count_section += 1

    def _end_section(self) -> None:
        self.total_section = 0.0
        self.count_section = 0

    def _is_repeated_header(self, row: Sequence[object], mapped: list[int]) -> bool:
        label = row[self.label_col]
        if self.label_col not in mapped or len(str(label)) > self.longest_label:
            return False  # cheap tests first: this runs on every row
        if header_key(label) not in self.header_keys[self.label_col]:
            return False
        same = sum(1 for c in mapped if header_key(row[c]) in self.header_keys.get(c, ()))
        return same >= max(2, (len(self.columns) + 1) // 2)

    def _is_running_total(self, amount: object) -> bool:
        """An amount with nothing else that equals the sum of the data rows above (or of those
        since the last totals row): the unlabelled grand total under a ThaiME sheet."""
        value = _as_float(amount)
        if value is None:
            return False
        sums = ((self.total_section, self.count_section), (self.total_all, self.count_all))
        return any(n >= 2 and abs(value - total) <= 0.01 + 1e-9 * abs(total) for total, n in sums)


def _is_blank(value: object) -> bool:
    """None, or text of nothing but spaces and the invisible characters clean_text drops."""
    return value is None or (isinstance(value, str) and not value.strip(_BLANK))


def _filled(row: Sequence[object]) -> list[int]:
    """Indexes of the non-blank cells (the per-row hot path, hence inline)."""
    return [c for c, v in enumerate(row) if v is not None and (not isinstance(v, str) or v.strip(_BLANK))]


def _is_blank_row(row: Sequence[object]) -> bool:
    return not _filled(row)


def _is_total_label(text: str) -> bool:
    if len(text) > 60:  # labels are short; spares clean_text on every long title
        return False
    if text.lstrip(_BLANK)[:1].casefold()[:1] not in _TOTAL_FIRST:  # spares it on most other titles
        return False
    return _TOTAL_LABEL.fullmatch((clean_text(text) or "").casefold()) is not None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, dt.date, dt.time)) or (
        isinstance(value, str) and _as_float(value) is not None
    )


def _as_float(value: object) -> float | None:
    """A number for the running total only (values themselves are parsed by the next layer)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# --------------------------------------------------------------------------- whole file


def _assemble(file: str, kind: str, sheets: list[_Sheet], encoding: str | None) -> list[Table]:
    """Tables with rows; notes for the other sheets; a ReadError when nothing has data."""
    with_rows = [s.table for s in sheets if s.table is not None and s.table.rows]
    if with_rows:
        notes = [
            Skipped(file, s.name, 0, s.note if s.table is None else "header but no data rows")
            for s in sheets
            if s.table is None or not s.table.rows
        ]
        if notes:
            first = with_rows[0]
            with_rows[0] = replace(first, skipped=first.skipped + tuple(notes))
        return with_rows
    headed = [s for s in sheets if s.table is not None]
    if headed:
        places = "; ".join(_where(file, s.name) for s in headed)
        raise ReadError(f"{places}: the header is there but there are no data rows")
    if all(s.note == "empty sheet" for s in sheets):
        raise ReadError(f"{file}: the file has no rows")
    raise ReadError(_no_header_message(file, kind, sheets, encoding))


def _ambiguous_message(file: str, sheet: str | None, row: int, match: HeaderMatch) -> str:
    clashes = "; ".join(
        f"columns {' and '.join(get_column_letter(c + 1) for c in cols)} are all headed"
        f" {clean_text(match.headers.get(cols[0], ''))!r} ({name})"
        for name, cols in match.ambiguous.items()
    )
    return (
        f"{_where(file, sheet)}: header row {row}: {clashes}; which one holds the data is a guess."
        " Rename or delete the extra column"
    )


def _where(file: str, sheet: str | None) -> str:
    return file if sheet is None else f"{file}:{sheet}"


def _no_header_message(file: str, kind: str, sheets: list[_Sheet], encoding: str | None) -> str:
    required = REQUIRED[kind]
    wanted = " and ".join(f"{'an' if f[0] in 'aeiou' else 'a'} {f}" for f in required)
    wanted = f"{wanted} column" if len(required) <= 2 else f"columns {', '.join(required)}"
    looked = f"looked at the first {HEADER_SEARCH_ROWS} rows"
    if sheets and sheets[0].name is not None:
        looked += f" of sheets {', '.join(s.name or '' for s in sheets)}"
        message = f"{file}: no header row with {wanted} in any sheet ({looked})"
    else:
        message = f"{file}: no header row with {wanted} ({looked}"
        message += f"; read as {encoding})" if encoding else ")"
    candidates = [(s.name, s.closest) for s in sheets if s.closest is not None]
    if not candidates:
        return message + "; no cell there names any known column"
    sheet, (row, match) = max(candidates, key=lambda c: c[1][1].rank)
    place = f"row {row}" if sheet is None else f"sheet {sheet} row {row}"
    found = _quoted(match.headers.values())
    return (
        f"{message}; closest is {place}, missing {', '.join(match.missing)}; "
        f"columns found there: {found}; name the missing column in a mapping file (--mapping)"
    )


def _quoted(headers: Iterable[str], limit: int = 15) -> str:
    texts = [repr(clean_text(h)) for h in headers if clean_text(h)]
    shown = ", ".join(texts[:limit])
    return shown + (f" … ({len(texts):,} columns)" if len(texts) > limit else "")
