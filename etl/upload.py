"""The browser upload's side of an import: check a file by its content, dry-run it, load it, list
and remove sources, and the reject and difference reports as Excel workbooks.

The dashboard may not import etl (etl → geodata ← dashboard), so it finds this module through the
``planmap.imports`` entry point (``upload = "etl.upload"``), as it finds the plan template. Every
function here takes plain values and returns plain dataclasses (texts, numbers, tuples; amounts
as :class:`~decimal.Decimal` baht), never a data frame or a connection.

Database role. The dashboard's pool connects with the web role (``planmap_web``, see
``geodata/migrations/0014_roles.sql``), which may not write plans, budget or sources. An import
writes them, so each call here opens its own short-lived connection as the owner
(:func:`geodata.db.connect`, i.e. ``PLANMAP_DATABASE_URL`` or the private cluster's owner) and
closes it when done. The dashboard calls :func:`confirm` and :func:`remove` only after it has
checked the signed-in officer's scope against what the dry run reports (:attr:`UploadReport.
checked_areas`, :attr:`SourceRow.owner_area`); this module trusts that check and records who
asked in the run and the audit trail.

Files. The bytes must be an XLSX workbook (a zip holding ``[Content_Types].xml`` and
``xl/workbook.xml``) or a CSV text (UTF-8, UTF-8 with BOM or cp874, without NUL bytes; gzipped
is fine), whatever the file's name says, and within the import limits (``PLANMAP_IMPORT_MAX_MB``,
``PLANMAP_IMPORT_MAX_ROWS``, :class:`etl.bounds.Limits`). The importer reads paths, so the bytes
are written to a private temporary folder under the original name's safe basename, read, and the
folder removed.
"""

from __future__ import annotations

import io
import re
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from etl.bounds import BoundsError, Limits, gunzip
from etl.db import query
from etl.health import DECISION_OPTIONS, Decisions
from etl.importer import ImportReport, import_budget, import_plans
from etl.locate import Locator
from etl.records import PLAN_LEVELS
from etl.sources import KINDS, Source, SourceError, list_sources, remove_source
from etl.village_index import read_village_index
from geodata import audit
from geodata.areas import AREA_CODE, COUNTRY
from geodata.db import connect

__all__ = [
    "KINDS",
    "PLAN_LEVELS",
    "FindingRow",
    "RejectRow",
    "SourceRow",
    "UploadError",
    "UploadReport",
    "check_file",
    "confirm",
    "difference_xlsx",
    "dry_run",
    "rejects_xlsx",
    "remove",
    "safe_name",
    "sources",
]

_MB = 2**20
_ZIP = b"PK\x03\x04"
_GZIP = b"\x1f\x8b"
_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_UNSAFE = re.compile(r"[^\w\u0e00-\u0e7f .()+,\-]")  # \w covers Thai letters; Thai marks and digits too
MAX_NAME = 120  # characters of a stored file name
MIN_YEAR, MAX_YEAR = 2400, 2700  # fiscal years (BE) an upload may declare


class UploadError(ValueError):
    """A file or a choice the upload refuses; the message says why (Thai, then English)."""


@dataclass(frozen=True)
class RejectRow:
    file: str
    sheet: str | None
    row: int | None
    field: str | None
    value: str | None
    rule: str
    message: str


@dataclass(frozen=True)
class FindingRow:
    """A data-health finding: a block of questionable rows, its money and its fate."""

    rule: str
    file: str
    sheet: str | None
    first_row: int | None
    last_row: int | None
    rows: int
    amount: Decimal
    message: str
    decision: str | None  # the Decisions field that settles it (None: a fixed rule noted it)
    action: str | None  # what was decided (None: nobody decided yet: the import is held)
    actions: tuple[str, ...] = ()  # what may be decided


@dataclass(frozen=True)
class DifferenceItem:
    """A new, changed or retired row of the source (amounts in baht)."""

    change: str
    source: str
    row: int | None
    title: str
    title_before: str | None
    amount_before: Decimal | None
    amount_after: Decimal | None
    area_before: str | None
    area_after: str | None
    fiscal_year: int
    key: str


@dataclass(frozen=True)
class UploadReport:
    """What a dry run (or a load) of one uploaded file found, in plain values."""

    status: str  # dry_run | loaded | rejected | held
    run_id: int
    kind: str
    level: str | None
    fiscal_year: int | None
    source_name: str
    file: str
    rows_read: int  # data rows: would load + rejected + set aside by a decision
    ignored: tuple[tuple[str, int], ...]  # why rows (or sheets) were ignored, and how many
    rejected_rows: int
    would_load: int
    inserted: int
    updated: int
    unchanged: int
    problems: tuple[RejectRow, ...]
    by_precision: tuple[tuple[str, int], ...]
    findings: tuple[FindingRow, ...]
    difference: tuple[DifferenceItem, ...]
    areas: tuple[tuple[str, int], ...]  # rows per area code they are located at ('TH': not located)
    provinces: tuple[str, ...]  # the provinces (and clusters) the rows fall in
    owner_area: str | None  # the area whose source (plan) this is
    notes: tuple[str, ...]
    summary: str

    @property
    def held(self) -> bool:
        return any(f.decision is not None and f.action is None for f in self.findings)

    @property
    def loaded(self) -> bool:
        return self.status == "loaded"

    @property
    def checked_areas(self) -> tuple[str, ...]:
        """Every area an officer must hold to load this file: the provinces (or clusters) its rows
        fall in, the areas of rows it changes or retires, and the source's owner. Rows located
        nowhere finer than the country belong to the owner's plan."""
        found = set(self.provinces)
        for d in self.difference:
            found.update(p for p in (_province(d.area_before), _province(d.area_after)) if p)
        if self.owner_area:
            found.add(self.owner_area)
        return tuple(sorted(found))

    def count(self, change: str) -> int:
        return sum(1 for d in self.difference if d.change == change)

    def amount(self, change: str) -> Decimal:
        """The money of one kind of change: new rows' amounts, retired rows' amounts before,
        changed rows' after minus before."""
        rows = [d for d in self.difference if d.change == change]
        if change == "retired":
            return sum((d.amount_before or Decimal(0) for d in rows), Decimal(0))
        if change == "new":
            return sum((d.amount_after or Decimal(0) for d in rows), Decimal(0))
        return sum(((d.amount_after or Decimal(0)) - (d.amount_before or Decimal(0)) for d in rows), Decimal(0))


@dataclass(frozen=True)
class SourceRow(Source):
    """A source (:class:`etl.sources.Source`) with the provinces its rows and plans lie in."""

    areas: tuple[str, ...] = ()  # provinces (clusters) its rows and plans lie in; 'TH': located nowhere finer

    @property
    def checked_areas(self) -> tuple[str, ...]:
        """Every area an officer must hold to remove this source (as :attr:`UploadReport.checked_areas`)."""
        found = {a for a in self.areas if a != COUNTRY}
        found.add(self.owner_area or COUNTRY)
        return tuple(sorted(found))


# --------------------------------------------------------------------------- the file


def limits(settings: object) -> Limits:
    return Limits.from_settings(settings)


def safe_name(filename: object) -> str:
    """The basename of a browser's file name, safe to create in a folder of our own: no folder
    part, no control or path characters, no leading dot, at most :data:`MAX_NAME` characters."""
    name = filename if isinstance(filename, str) else ""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: MAX_NAME - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 8 else name[:MAX_NAME]
    return name or "upload"


def check_file(data: object, filename: object, settings: object) -> str:
    """'xlsx' or 'csv' (gzipped or not), judged by the bytes, within the import limits; else
    :class:`UploadError` with a reason a person can act on."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise UploadError("ไฟล์ว่างเปล่า — The file is empty.")
    limit = limits(settings).file_bytes
    if len(data) > limit:
        raise UploadError(
            f"ไฟล์มีขนาด {len(data) / _MB:,.1f} MB เกินกว่าที่รับได้ ({limit // _MB} MB)"
            f" — The file is {len(data) / _MB:,.1f} MB, more than the {limit // _MB} MB an import may have."
        )
    if data.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise UploadError(f"ไฟล์ zip เสียหาย — A broken zip file ({exc}).") from exc
        if not all(part in names for part in _XLSX_PARTS):
            raise UploadError(
                "ไฟล์นี้เป็น zip แต่ไม่ใช่สมุดงาน Excel (.xlsx) — This zip file is not an Excel workbook (.xlsx)."
            )
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadError(
            "ไฟล์ Excel แบบเก่า (.xls) ใช้ไม่ได้ กรุณาบันทึกเป็น .xlsx หรือ CSV"
            " — Old binary Excel (.xls) is not supported; save it as .xlsx or CSV."
        )
    text = bytes(data)
    if text.startswith(_GZIP):
        try:
            text = gunzip(safe_name(filename), text, limits(settings).text_bytes)
        except BoundsError as exc:
            raise UploadError(f"ไฟล์ gzip ใช้ไม่ได้ — {exc}") from exc
    if b"\x00" in text:
        raise UploadError("ไฟล์นี้ไม่ใช่ CSV หรือ Excel (.xlsx) — This is neither a CSV text nor an Excel workbook (.xlsx).")
    for encoding in ("utf-8-sig", "cp874"):
        try:
            decoded = text.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", decoded):
            return "csv"
    raise UploadError(
        "อ่านไฟล์เป็นข้อความ CSV (UTF-8 หรือ TIS-620) ไม่ได้ — Cannot read the file as CSV text (UTF-8 or TIS-620/cp874)."
    )


def _stored(folder: Path, data: bytes, filename: object, form: str) -> Path:
    name = safe_name(filename)
    wanted = ".xlsx" if form == "xlsx" else None
    if wanted and not name.lower().endswith(wanted):
        name = f"{name}{wanted}"
    path = folder / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- import


@cache
def _locator() -> Locator:
    """One locator per process (it builds its gazetteer indexes once); each upload gives it the
    village list as loaded now (:func:`etl.village_index.read_village_index`)."""
    return Locator()


def _checked(kind: object, level: object, fiscal_year: object, source_name: object) -> tuple:
    if kind not in KINDS:
        raise UploadError(f"ชนิดข้อมูลไม่ถูกต้อง — Unknown kind {kind!r}; one of {', '.join(KINDS)}.")
    if kind == "plans" and level not in PLAN_LEVELS:
        raise UploadError("กรุณาเลือกระดับแผน — Choose the plan level.")
    if fiscal_year is not None and (
        not isinstance(fiscal_year, int) or isinstance(fiscal_year, bool) or not MIN_YEAR <= fiscal_year <= MAX_YEAR
    ):
        raise UploadError(
            f"ปีงบประมาณต้องเป็นปี พ.ศ. {MIN_YEAR}–{MAX_YEAR} — The fiscal year is a BE year {MIN_YEAR}–{MAX_YEAR}."
        )
    name = " ".join(source_name.split()) if isinstance(source_name, str) else ""
    if not 1 <= len(name) <= 300:
        raise UploadError("กรุณาตั้งชื่อแหล่งข้อมูล (1–300 ตัวอักษร) — Give the source a name (1 to 300 characters).")
    return kind, (level if kind == "plans" else None), fiscal_year, name


def _decisions(decisions: Mapping[str, object] | None) -> Decisions:
    chosen = {}
    for key, value in (decisions or {}).items():
        if key in DECISION_OPTIONS and value in DECISION_OPTIONS[key][1]:
            chosen[key] = value
    return Decisions(**chosen)


def _run(
    settings: object,
    data: bytes,
    filename: object,
    kind: object,
    level: object,
    fiscal_year: object,
    source_name: object,
    decisions: Mapping[str, object] | None,
    *,
    dry: bool,
    allow_rejects: bool,
) -> UploadReport:
    form = check_file(data, filename, settings)
    kind, level, fiscal_year, name = _checked(kind, level, fiscal_year, source_name)
    chosen = _decisions(decisions)
    with tempfile.TemporaryDirectory(prefix="planmap-upload-") as folder:
        path = _stored(Path(folder), bytes(data), filename, form)
        with connect(settings, autocommit=True) as conn:  # the owner: see the module docstring
            common = {
                "allow_rejects": allow_rejects,
                "dry_run": dry,
                "locator": _locator().with_villages(read_village_index(conn)),
                "decisions": chosen,
                "fiscal_year": fiscal_year,
                "limits": limits(settings),
                "source_name": name,
            }
            if kind == "plans":
                report = import_plans(conn, [path], level=level, **common)
            else:
                report = import_budget(conn, [path], **common)
    return _report(report, kind, level, fiscal_year, name, path.name)


def dry_run(
    settings: object,
    data: bytes,
    filename: object,
    kind: object,
    level: object,
    fiscal_year: object,
    source_name: object,
    decisions: Mapping[str, object] | None = None,
    allow_rejects: bool = False,
) -> UploadReport:
    """Read and check the file and show what loading it would do; nothing is loaded (the run
    and its rejects are recorded, as for ``planmap import --dry-run``)."""
    return _run(
        settings,
        data,
        filename,
        kind,
        level,
        fiscal_year,
        source_name,
        decisions,
        dry=True,
        allow_rejects=allow_rejects,
    )


def confirm(
    settings: object,
    data: bytes,
    filename: object,
    kind: object,
    level: object,
    fiscal_year: object,
    source_name: object,
    decisions: Mapping[str, object] | None = None,
    allow_rejects: bool = False,
    *,
    by: str,
    address: str | None = None,
) -> UploadReport:
    """Load the file as the new version of its source (the caller has checked the officer's
    scope against a dry run of the same bytes), and record it in the audit trail."""
    report = _run(
        settings,
        data,
        filename,
        kind,
        level,
        fiscal_year,
        source_name,
        decisions,
        dry=False,
        allow_rejects=allow_rejects,
    )
    with connect(settings, autocommit=True) as conn:
        audit.record(
            conn,
            by,
            "import",
            report.source_name,
            {
                "kind": report.kind,
                "level": report.level,
                "fiscal_year": report.fiscal_year,
                "file": report.file,
                "status": report.status,
                "run_id": report.run_id,
                "new": report.count("new"),
                "changed": report.count("changed"),
                "retired": report.count("retired"),
                "rejected_rows": report.rejected_rows,
                "via": "upload",
            },
            address,
        )
    return report


def _province(code: str | None) -> str | None:
    """The province (or cluster) an area code lies in; None for the country or no code."""
    if not code or code == COUNTRY or not AREA_CODE.fullmatch(code):
        return None
    return code if code.startswith("C") else code[:2]


def _owner(kind: str, report: ImportReport) -> str | None:
    """The area whose source this is, as the loader names it (etl/sql/import_*_sources.sql): the
    plan area most rows have (plans), the province most rows are in (budget)."""
    if kind == "plans":
        counts = report.plan_areas
    else:
        counts = Counter()
        for code, n in report.areas.items():
            counts[_province(code) if code[:1].isdigit() else COUNTRY] += n
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _report(
    report: ImportReport, kind: str, level: str | None, fiscal_year: int | None, name: str, file: str
) -> UploadReport:
    r = report.result
    provinces = sorted({p for code in report.areas if (p := _province(code))})
    return UploadReport(
        status=r.status,
        run_id=r.run_id,
        kind=kind,
        level=level,
        fiscal_year=fiscal_year,
        source_name=name,
        file=file,
        rows_read=r.rows,
        ignored=tuple(report.skipped.most_common()),
        rejected_rows=r.rejected_rows,
        would_load=sum(report.areas.values()),
        inserted=r.inserted,
        updated=r.updated,
        unchanged=r.unchanged,
        problems=tuple(
            RejectRow(
                p.file,
                p.sheet,
                p.row,
                p.field,
                None if p.value is None else str(p.as_row()[4]),
                p.rule,
                p.message,
            )
            for p in r.problems
        ),
        by_precision=tuple(sorted(r.by_precision.items(), key=lambda kv: -kv[1])),
        findings=tuple(
            FindingRow(
                f.rule,
                f.file,
                f.sheet,
                f.first_row,
                f.last_row,
                len(f.rows),
                Decimal(f.amount),
                f.message,
                f.decision,
                f.action,
                DECISION_OPTIONS[f.decision][1] if f.decision else (),
            )
            for f in r.findings
        ),
        difference=tuple(
            DifferenceItem(
                d.change,
                d.source,
                d.source_row,
                d.title,
                d.title_before,
                d.amount_before,
                d.amount_after,
                d.area_before,
                d.area_after,
                d.fiscal_year,
                d.row_key,
            )
            for d in r.difference.rows
        ),
        areas=tuple(sorted(report.areas.items())),
        provinces=tuple(provinces),
        owner_area=_owner(kind, report),
        notes=tuple(r.notes),
        summary=report.summary(),
    )


# --------------------------------------------------------------------------- sources


def sources(settings: object, kind: str | None = None) -> tuple[SourceRow, ...]:
    """Every source with its current rows and amount and the areas they lie in (the caller keeps
    those within scope)."""
    with connect(settings, autocommit=True) as conn:
        found = list_sources(conn, kind if kind in KINDS else None)
        areas = {r["source_id"]: tuple(r["areas"]) for r in conn.execute(query("upload_source_areas"))}
    return tuple(SourceRow(**vars(s), areas=areas.get(s.id, ())) for s in found)


def remove(settings: object, kind: str, name: str, by: str) -> SourceRow:
    """Remove a source and everything it loaded (``planmap source remove``); the removal is
    recorded in the audit trail in its transaction. :class:`UploadError` when there is none."""
    if kind not in KINDS:
        raise UploadError(f"ชนิดข้อมูลไม่ถูกต้อง — Unknown kind {kind!r}.")
    with connect(settings, autocommit=True) as conn:
        try:
            return SourceRow(**vars(remove_source(conn, kind, name, by)))
        except SourceError as exc:
            raise UploadError(f"ไม่พบแหล่งข้อมูลนี้ — {exc}") from exc


# --------------------------------------------------------------------------- Excel reports

_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1F5FA8")
_BAHT = "#,##0.00"
CHANGES_TH = {"new": "ใหม่", "changed": "เปลี่ยนแปลง", "retired": "เลิกใช้"}


def _safe(value: object) -> object:
    """A cell value that Excel never runs as a formula (values come from uploaded files)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _sheet(book: Workbook, title: str, headers: list[tuple[str, str]], rows, money: set[int] = frozenset()) -> None:  # noqa: ANN001
    sheet = book.create_sheet(title)
    sheet.append([f"{th}\n{en}" for th, en in headers])
    for cell in sheet[1]:
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_safe(v) for v in row])
    for column in money:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = _BAHT
    for i, (th, _en) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, min(60, len(th) + 6))
    sheet.freeze_panes = "A2"


def _book_bytes(book: Workbook) -> bytes:
    del book[book.sheetnames[0]]  # the empty default sheet
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rejects_xlsx(report: UploadReport) -> bytes:
    """Rejected rows (file, sheet, row, field, value, rule, message), then data-health findings."""
    book = Workbook()
    _sheet(
        book,
        "แถวที่ไม่ผ่าน",
        [
            ("ไฟล์", "file"),
            ("ชีต", "sheet"),
            ("แถว", "row"),
            ("ช่อง", "field"),
            ("ค่า", "value"),
            ("กฎ", "rule"),
            ("เหตุผล", "message"),
        ],
        ((p.file, p.sheet, p.row, p.field, p.value, p.rule, p.message) for p in report.problems),
    )
    _sheet(
        book,
        "ข้อสังเกตคุณภาพข้อมูล",
        [
            ("กฎ", "rule"),
            ("ไฟล์", "file"),
            ("ชีต", "sheet"),
            ("แถวแรก", "first row"),
            ("แถวสุดท้าย", "last row"),
            ("จำนวนแถว", "rows"),
            ("วงเงิน (บาท)", "amount (baht)"),
            ("รายละเอียด", "message"),
            ("การตัดสินใจ", "action"),
        ],
        (
            (f.rule, f.file, f.sheet, f.first_row, f.last_row, f.rows, f.amount, f.message, f.action or "")
            for f in report.findings
        ),
        money={7},
    )
    return _book_bytes(book)


def difference_xlsx(report: UploadReport) -> bytes:
    """New, changed and retired rows against the current version, amounts in exact baht."""
    book = Workbook()
    _sheet(
        book,
        "ความเปลี่ยนแปลง",
        [
            ("การเปลี่ยนแปลง", "change"),
            ("แหล่งข้อมูล", "source"),
            ("แถว", "row"),
            ("ชื่อรายการ", "title"),
            ("ชื่อเดิม", "title before"),
            ("วงเงินเดิม (บาท)", "amount before (baht)"),
            ("วงเงินใหม่ (บาท)", "amount after (baht)"),
            ("พื้นที่เดิม", "area before"),
            ("พื้นที่ใหม่", "area after"),
            ("ปีงบประมาณ", "fiscal year"),
            ("รหัสแถว", "key"),
        ],
        (
            (
                CHANGES_TH.get(d.change, d.change),
                d.source,
                d.row,
                d.title,
                d.title_before if d.title_before != d.title else None,
                d.amount_before,
                d.amount_after,
                d.area_before,
                d.area_after,
                d.fiscal_year,
                d.key,
            )
            for d in report.difference
        ),
        money={6, 7},
    )
    return _book_bytes(book)
