"""Excel and CSV tables of the ranking and the item lists (openpyxl; CSV as UTF-8 with a BOM so
Excel opens Thai correctly).

Spreadsheet programs run any cell text that begins with ``= + - @``, a tab or a carriage return
as a formula (CSV injection). Every *text* value is therefore neutralised with a leading ``'``;
numbers are written as numbers, so a negative change stays a number that sums and sorts.
Amounts arrive as ``Decimal`` (exact, from the database) or float and are written with two
decimals; nothing is rounded to millions, so the totals match the dashboard to the satang.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from numbers import Number

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard.exports.model import ExportMeta

KINDS = ("text", "baht", "number", "int", "percent")
FORMATS = {"baht": "#,##0.00", "number": "#,##0.00", "int": "#,##0", "percent": '#,##0.00"%"'}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_TITLE = 31
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


@dataclass(frozen=True)
class Column:
    """One exported column: the row key, the header shown, and how values are written
    (``baht``: 2 decimals; ``percent``: a number in percent units such as 45.67)."""

    key: str
    header: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def neutralise(value: str) -> str:
    """Text a spreadsheet will not run as a formula: prefix ``'`` to ``= + - @ \\t \\r`` starts."""
    return "'" + value if value.startswith(DANGEROUS) else value


def cell_value(value: object, kind: str) -> object:
    """What goes into a cell: numbers as numbers in numeric columns, everything else as
    neutralised text; None and NaN stay empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind != "text" and isinstance(value, Number) and not isinstance(value, bool):
        return value
    return neutralise(str(value))


def columns_from_grid(grid_columns: Sequence[Mapping]) -> list[Column]:
    """Columns from the dashboard's dash-ag-grid definitions (``views.ranking_columns`` …):
    a ``,.2f`` formatter is baht, ``,`` an integer, a trailing ``%`` a percent.
    An amount the grid shows in ล้านบาท (``context.unit == 'baht'``) is exported in exact baht
    under ``context.export_header``."""
    out = []
    for col in grid_columns:
        formatter = str((col.get("valueFormatter") or {}).get("function", ""))
        context = col.get("context") or {}
        kind = (
            "baht"
            if context.get("unit") == "baht"
            else "percent"
            if "'%'" in formatter
            else "baht"
            if ",.2f" in formatter
            else "int"
            if "(',')" in formatter
            else "text"
        )
        header = context.get("export_header") or col.get("headerName") or col["field"]
        out.append(Column(col["field"], header, kind))
    return out


def _number(value: object) -> float | int | object:
    """openpyxl writes floats; a Decimal with 2 places round-trips exactly as a double for any
    amount below 10^13 baht."""
    return float(value) if isinstance(value, Decimal) else value


def to_xlsx(rows: Sequence[Mapping], columns: Sequence[Column], sheet_title: str, meta: ExportMeta) -> bytes:
    """One sheet: the metadata block (title, fiscal year, filters, data date, source, boundary
    version) on top, then the table with a bold frozen header and an auto-filter."""
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(sheet_title)
    lines = meta.lines()
    for n, (label, value) in enumerate(lines, start=1):
        sheet.cell(n, 1, neutralise(label)).font = Font(bold=True)
        sheet.cell(n, 2, neutralise(value)).font = Font(bold=n == 1, size=13 if n == 1 else 11)
    header_row = len(lines) + 2
    for c, col in enumerate(columns, start=1):
        cell = sheet.cell(header_row, c, neutralise(col.header))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r, row in enumerate(rows, start=header_row + 1):
        for c, col in enumerate(columns, start=1):
            value = cell_value(row.get(col.key), col.kind)
            cell = sheet.cell(r, c, _number(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            if col.kind in FORMATS:
                cell.number_format = FORMATS[col.kind]
    last_row = header_row + max(len(rows), 1)
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(max(len(columns), 1))}{last_row}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _widths(sheet, rows, columns)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def header_row(meta: ExportMeta) -> int:
    """The (1-based) row of the table header in ``to_xlsx``'s sheet."""
    return len(meta.lines()) + 2


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("' ") or "data"
    return cleaned[:MAX_SHEET_TITLE]


def _widths(sheet, rows: Sequence[Mapping], columns: Sequence[Column]) -> None:
    for c, col in enumerate(columns, start=1):
        sample = [str(row.get(col.key, "")) for row in rows[:200]]
        longest = max([len(col.header), *(len(s) + 4 for s in sample)]) if sample else len(col.header)
        sheet.column_dimensions[get_column_letter(c)].width = min(max(10, longest * 1.1), 60)


def to_csv(rows: Sequence[Mapping], columns: Sequence[Column], meta: ExportMeta, *, with_meta: bool = True) -> bytes:
    """CSV in UTF-8 with a BOM (Excel then reads Thai), the metadata lines first (unless
    ``with_meta`` is False), a blank line, the header and the rows. Numbers are plain
    (``-1234.50``, no thousands separators) so spreadsheets read them as numbers."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    if with_meta:
        for label, value in meta.lines():
            out.writerow([neutralise(label), neutralise(value)])
        out.writerow([])
    out.writerow([neutralise(col.header) for col in columns])
    for row in rows:
        out.writerow([_csv_value(row.get(col.key), col.kind) for col in columns])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value: object, kind: str) -> str:
    value = cell_value(value, kind)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}" if kind in ("baht", "number", "percent") else str(value)
    if isinstance(value, float):
        return f"{value:.2f}" if kind in ("baht", "number") else repr(value)
    return str(value)
