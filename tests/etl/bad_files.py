"""A corpus of crafted bad input files, generated in code (nothing binary is committed).

Each :class:`Case` is one ``planmap import`` invocation: the files, the command's arguments, and
what the person running it must be told. The corpus covers the hardening probe's findings
(decompression and size bombs, FIFOs, devices and links, huge cells and rows, ambiguous headers,
out-of-range values, escalation loops) and the ordinary ways a spreadsheet is wrong.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

TEMPLATE = ["เลขที่อ้างอิง", "ชื่อโครงการ", "วงเงิน", "รหัสพื้นที่", "ปีงบประมาณ", "ด้าน", "ส่งต่อไปยัง"]
GOOD = [
    ["R1", "ก่อสร้างถนน คสล. หมู่ที่ 3", "1,500,000.50", "370101", "2568", "โครงสร้างพื้นฐาน", ""],
    ["R2", "ขุดลอกลำห้วย", "250000", "370102", "2568", "แหล่งน้ำ", ""],
]
BILL = ["", "ITEM_ID", "REF_DOC", "MINISTRY", "BUDGETARY_UNIT", "BUDGET_PLAN", "ITEM_DESCRIPTION", "FISCAL_YEAR"]
BILL += ["AMOUNT", "OBLIGED?"]
BILL_ROW = ["0", "2022.3.1.0", "2022.3.1", "งบกลาง", "งบกลาง", "แผนงานพื้นฐาน", "ค่าใช้จ่ายเสด็จ", "2022"]
BILL_ROW += ["800,000,000", "False"]
PLANS = ("import", "plans", "--level", "village")
BUDGET = ("import", "budget")


@dataclass(frozen=True)
class Case:
    """One import of crafted files: ``says`` are texts the output must contain (file, row,
    column, reason); ``run`` is how the import run must end (None: refused before any run)."""

    name: str
    files: tuple[str, ...]
    says: tuple[str, ...]
    command: tuple[str, ...] = PLANS
    options: tuple[str, ...] = ()
    exit_code: int = 1
    run: str | None = "rejected"
    make: Callable[[Path, Path], None] | None = field(default=None, compare=False, repr=False)

    def args(self, folder: Path) -> list[str]:
        options = [o.replace("{folder}", str(folder)) for o in self.options]
        return [*self.command, *options, *(str(folder / f) for f in self.files)]


def _csv(rows: list[list[object]], header: list[str] = TEMPLATE) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue().encode()


def _xlsx(rows: list[list[object]], header: list[str] = TEMPLATE) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(parts: dict[str, bytes | Callable[[io.BufferedIOBase], None]]) -> bytes:
    """A zip written part by part; a callable part streams its content (bombs never sit in
    memory whole)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            if callable(content):
                with archive.open(name, "w", force_zip64=True) as stream:
                    content(stream)
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def _workbook_parts(sheet: bytes | Callable, strings: bytes | Callable | None = None) -> bytes:
    """A minimal valid workbook (one sheet) around the given sheet and shared-string XML."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    parts: dict[str, bytes | Callable] = {
        "[Content_Types].xml": types.encode(),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": strings or f'<sst xmlns="{main}" count="0" uniqueCount="0"/>'.encode(),
    }
    return _zip(parts)


def _sheet_xml(body: str) -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>{body}</sheetData></worksheet>'.encode()


def _inline_row(number: int, values: list[object]) -> str:
    cells = []
    for value in values:
        if isinstance(value, str):
            cells.append(f'<c t="inlineStr"><is><t>{value}</t></is></c>')
        else:
            cells.append(f"<c><v>{value}</v></c>")
    return f'<row r="{number}">{"".join(cells)}</row>'


def _shared_string_bomb(stream: io.BufferedIOBase) -> None:
    """sharedStrings.xml holding one 100 MB string of one letter (it zips to about 100 KB)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    stream.write(f'<sst xmlns="{main}" count="1" uniqueCount="1"><si><t>'.encode())
    block = b"A" * (1 << 20)
    for _ in range(100):
        stream.write(block)
    stream.write(b"</t></si></sst>")


def _wide_row_sheet(stream: io.BufferedIOBase) -> None:
    """A sheet whose second row has 1,000,000 numeric cells without references."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    stream.write(f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>'.encode())
    stream.write(_inline_row(1, TEMPLATE).encode())
    stream.write(b'<row r="2">')
    rng = random.Random(7)
    for start in range(0, 1_000_000, 10_000):
        stream.write("".join(f"<c><v>{rng.randint(0, 10**9)}</v></c>" for _ in range(10_000)).encode())
        del start
    stream.write(b"</row></sheetData></worksheet>")


def _random_thai(length: int, seed: int) -> str:
    rng = random.Random(seed)
    letters = [chr(c) for c in range(0x0E01, 0x0E2F)] + [" "]
    return "".join(rng.choices(letters, k=length))


def _plan(ref: str, title: str = "ซ่อมถนน", amount: object = "1000", escalated: str = "") -> list[object]:
    return [ref, title, amount, "370101", "2568", "โครงสร้างพื้นฐาน", escalated]


def corpus() -> list[Case]:
    """The cases; nothing is written until :func:`build` (collecting the tests stays cheap)."""
    cases: list[Case] = []

    def add(name: str, data: Callable[[], bytes] | None, says: tuple[str, ...], **kwargs: object) -> None:
        if data is not None:
            kwargs["make"] = lambda folder, outside: (folder / name).write_bytes(data())
        kwargs.setdefault("files", (name,))
        cases.append(Case(name=name, says=says, **kwargs))  # type: ignore[arg-type]

    # -- bombs and sizes ---------------------------------------------------------------------
    add("spaces.csv.gz", _gzip_of_spaces, ("spaces.csv.gz", "unpacks to more than 64 MB"))
    add("many_rows.csv.gz", _gzip_of_rows, ("many_rows.csv.gz", "unpacks to more than 64 MB"))
    add(
        "truncated.csv.gz",
        lambda: gzip.compress(_csv(GOOD))[:-12],
        ("truncated.csv.gz", "not a valid gzip file"),
    )
    add("corrupt.csv.gz", _corrupt_gzip, ("corrupt.csv.gz", "not a valid gzip file"))
    add(
        "shared_string_bomb.xlsx",
        lambda: _workbook_parts(_sheet_xml(_inline_row(1, TEMPLATE)), _shared_string_bomb),
        ("shared_string_bomb.xlsx", "xl/sharedStrings.xml inflates"),
    )
    add(
        "wide_row.xlsx",
        lambda: _workbook_parts(_wide_row_sheet),
        ("wide_row.xlsx", "row 2 has more than 16,384 cells"),
    )
    add("huge.csv", None, ("huge.csv", "60.0 MB, more than the 50 MB"), make=_sparse_file)
    add(
        "not_a_workbook.xlsx",
        lambda: _zip({"hello.txt": b"hello"}),
        ("not_a_workbook.xlsx", "cannot open as an Excel"),
    )
    add("broken_zip.xlsx", lambda: b"PK\x03\x04" + random.Random(3).randbytes(2000), ("broken_zip.xlsx", "broken zip"))
    add(
        "broken_sheet.xlsx",
        lambda: _workbook_parts(b"<worksheet><sheetData><row><c><v>1</v></row>"),
        ("broken_sheet.xlsx", "cannot open as an Excel workbook (ParseError: mismatched tag"),
    )

    # -- not files ---------------------------------------------------------------------------
    add("pipe.csv", None, ("pipe.csv", "not a regular file (a FIFO)"), make=lambda f, o: os.mkfifo(f / "pipe.csv"))
    add(
        "zero.csv",
        None,
        ("zero.csv", "a link to /dev/zero, outside the folder"),
        make=lambda f, o: (f / "zero.csv").symlink_to("/dev/zero"),
    )
    add("link_to_pipe.csv", None, ("link_to_pipe.csv", "not a regular file (a FIFO)"), make=_link_to_pipe)
    add("link_out.csv", None, ("link_out.csv", "outside the folder"), make=_link_out)
    add(
        "a_folder.csv",
        None,
        ("a_folder.csv", "is a directory"),
        exit_code=2,
        run=None,
        make=lambda f, o: (f / "a_folder.csv").mkdir(),
    )

    # -- formats and encodings ---------------------------------------------------------------
    add(
        "old_excel.xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000),
        ("old_excel.xls", "old binary Excel"),
    )
    add("utf16.csv", lambda: "ชื่อโครงการ,วงเงิน\nถนน,100\n".encode("utf-16"), ("utf16.csv", "UTF-16"))
    add("nul_bytes.csv", lambda: _csv(GOOD).replace(b"R2", b"R\x002"), ("nul_bytes.csv", "cannot decode"))
    add("empty.csv", lambda: b"", ("empty.csv", "the file has no rows"))
    add("blank.csv", lambda: b" \n\t\n  \r\n", ("blank.csv", "the file has no rows"))
    add("no_header.csv", lambda: b"a,b,c\n1,2,3\n", ("no_header.csv", "no header row"))
    add("headers_only.xlsx", lambda: _xlsx([]), ("headers_only.xlsx", "no data rows"))

    # -- cells, rows and columns -------------------------------------------------------------
    add(
        "wide_row.csv",
        lambda: _csv(GOOD).rstrip(b"\n") + b"," + b"x," * 1_000_000 + b"\n",
        ("wide_row.csv", "row 3", "1,000,008 columns", "column 16,385"),
    )
    add(
        "unclosed_quote.csv",
        lambda: _csv(GOOD) + ('R3,"ถนนสาย 3,1000,370101,2568,,\n' + "R4,ถนน,1000,370101,2568,,\n" * 10).encode(),
        ("unclosed_quote.csv", "row 4", "never closed"),
    )
    add(
        "cell_over_csv_limit.csv",
        lambda: _csv([*GOOD, _plan("R3", "x" * 200_000)]),
        ("cell_over_csv_limit.csv", "row 4", "longer than 131,072"),
    )
    add(
        "too_many_rows.csv",
        lambda: _csv([_plan(f"R{i}", f"ถนนสาย {i}") for i in range(100_001)]),
        ("too_many_rows.csv", "more than 100,000 data rows"),
    )
    add(
        "two_titles.csv",
        lambda: _csv(
            [["R1", "ถนน", "ถนน 2", "1000", "370101", "2568"]], ["เลขที่อ้างอิง", TEMPLATE[1], TEMPLATE[1], *TEMPLATE[2:5]]
        ),
        ("two_titles.csv", "header row 1", "columns B and C", "ชื่อโครงการ"),
    )
    add(
        "two_amounts.xlsx",
        lambda: _xlsx([["R1", "ถนน", 1000, 2000, "370101", "2568"]], [*TEMPLATE[:3], TEMPLATE[2], *TEMPLATE[3:5]]),
        ("two_amounts.xlsx", "header row 1", "columns C and D", "วงเงิน"),
    )
    add(
        "long_title.csv",
        lambda: _csv([*GOOD, _plan("R3", "ก" * 100_000)]),
        ("long_title.csv:4", "title: 100,000 characters", "at most 4,000"),
    )
    add(
        "ten_mb_title.xlsx",
        lambda: _workbook_parts(
            _sheet_xml(_inline_row(1, TEMPLATE) + _inline_row(2, _plan("R1", _random_thai(10_000_000, 1))))
        ),
        ("ten_mb_title.xlsx", "xl/worksheets/sheet1.xml has a cell of more than 32,767 characters"),
    )
    add(
        "long_title.xlsx",
        lambda: _xlsx([*GOOD, _plan("R3", _random_thai(20_000, 2))]),
        ("long_title.xlsx:Sheet:4", "title: 20,000 characters"),
    )
    add(
        "long_agency.csv",
        lambda: _csv([["R1", "ถนน", "1000", "370101", "2568", "อบต." * 2_000]], [*TEMPLATE[:5], "หน่วยงาน"]),
        ("long_agency.csv:2", "agency: 8,000 characters"),
    )

    # -- values ------------------------------------------------------------------------------
    for name, amount, reason in (
        ("minus_zero.csv", "-0", "negative amount"),
        ("minus_zero_text.xlsx", "-0", "negative amount"),
        ("negative.csv", "-5000", "negative amount"),
        ("too_large.csv", "99999999999999999", "more than 99,999,999,999,999.99 baht"),
        ("too_large_float.xlsx", 1e300, "more than 99,999,999,999,999.99 baht"),
        ("not_a_number.csv", "หนึ่งล้าน", "not a number"),
        ("nan.csv", "NaN", "not a number"),
        ("bad_separators.csv", "429,00.00", "malformed thousands separators"),
    ):
        maker = _xlsx if name.endswith(".xlsx") else _csv
        rows = [*GOOD, _plan("R3", amount=amount)]
        add(name, lambda maker=maker, rows=rows: maker(rows), (name, reason))
    add(
        "million_overflow.csv",
        lambda: _csv(
            [["R1", "ถนน", "1", "370101", "2568"], ["R2", "ประปา", "2", "370101", "2568"]]
            + [["R3", "ขุดลอก", "1000000000", "370101", "2568"]],
            [*TEMPLATE[:2], "วงเงิน (ล้านบาท)", *TEMPLATE[3:5]],
        ),
        ("million_overflow.csv:4", "read as million baht"),
    )
    add(
        "year_3000.csv",
        lambda: _csv([*GOOD, ["R3", "ถนน", "1000", "370101", "3000", "", ""]]),
        ("year_3000.csv:4", "year out of range"),
    )
    add(
        "unknown_area.csv",
        lambda: _csv([*GOOD, ["R3", "ถนน", "1000", "99999999", "2568", "", ""]]),
        ("unknown_area.csv:4", "not in the gazetteer"),
    )
    add("duplicate_rows.csv", lambda: _csv([*GOOD, GOOD[0]]), ("duplicate_rows.csv:4", "same item as row 2"))
    add(
        "self_escalation.csv",
        lambda: _csv([*GOOD, _plan("R3", escalated="R3")]),
        ("self_escalation.csv:4", "R3 → R3"),
    )
    add(
        "escalation_pair.csv",
        lambda: _csv([*GOOD, _plan("A", escalated="B"), _plan("B", "ขุดลอก", escalated="A")]),
        ("escalation_pair.csv:4", "escalation_pair.csv:5", "A → B → A", "back to itself"),
    )
    add(
        "escalation_ring.xlsx",
        lambda: _xlsx(
            [_plan("A", escalated="B"), _plan("B", "ขุดลอก", escalated="C"), _plan("C", "ประปา", escalated="A")]
        ),
        ("escalation_ring.xlsx", "A → B → C → A"),
    )
    add(
        "unknown_escalation.csv",
        lambda: _csv([*GOOD, _plan("R3", escalated="NOPE")]),
        ("unknown_escalation.csv", "'NOPE'"),
    )
    add(
        "good_and_bad.csv",
        None,
        ("good.csv", "minus_zero.csv", "negative amount"),
        files=("good.csv", "minus_zero.csv"),
        make=_good,
    )
    add(
        "bad_mapping",
        lambda: "ชื่อโครงการ = name_of_project\n".encode(),  # good.csv: written by good_and_bad
        ("bad_mapping:1", "unknown field 'name_of_project'"),
        files=("good.csv",),
        options=("--mapping", "{folder}/bad_mapping"),
        run=None,
    )

    # -- the Budget Bill layout --------------------------------------------------------------
    for name, change, says in (
        ("bill_too_large.csv", {"AMOUNT": "123456789012345678"}, "more than 99,999,999,999,999.99"),
        ("bill_no_item_id.csv", {"ITEM_ID": ""}, "no ITEM_ID"),
        ("bill_year.csv", {"FISCAL_YEAR": "20222"}, "fiscal_year"),
        ("bill_minus_zero.csv", {"AMOUNT": "-0.00"}, "negative amount"),
    ):
        row = [change.get(h, v) for h, v in zip(BILL, BILL_ROW)]
        add(name, lambda row=row: _csv([BILL_ROW, row], BILL), (f"{name}:3", says), command=BUDGET)
    return cases


def build(folder: Path) -> list[Case]:
    """Write every case's files into ``folder/in`` (links out of it point into
    ``folder/outside``) and return the cases to run (those with files)."""
    inside, outside = folder / "in", folder / "outside"
    inside.mkdir(parents=True)
    outside.mkdir()
    cases = corpus()
    for case in cases:
        if case.make is not None:
            case.make(inside, outside)
    return [c for c in cases if c.files]


def _gzip_of_spaces() -> bytes:
    """200 MB of spaces in 200 KB of gzip."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as stream:
        for _ in range(200):
            stream.write(b" " * (1 << 20))
    return buffer.getvalue()


def _gzip_of_rows() -> bytes:
    """A template CSV of 7.2 million one-letter rows (150 MB) in under 1 MB of gzip."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as stream:
        stream.write(_csv([]))
        for _ in range(120):
            stream.write(b"R,x,1,370101,2568,,\n" * 60_000)
    return buffer.getvalue()


def _corrupt_gzip() -> bytes:
    data = bytearray(gzip.compress(_csv(GOOD * 20)))
    data[20:40] = b"\xff" * 20
    return bytes(data)


def _sparse_file(folder: Path, outside: Path) -> None:
    with open(folder / "huge.csv", "wb") as handle:
        handle.write(_csv(GOOD))
        handle.truncate(60 * 2**20)  # 60 MB on paper, nothing on disk


def _good(folder: Path, outside: Path) -> None:
    (folder / "good.csv").write_bytes(_csv(GOOD))


def _link_to_pipe(folder: Path, outside: Path) -> None:
    os.mkfifo(folder / "inner_pipe")
    (folder / "link_to_pipe.csv").symlink_to(folder / "inner_pipe")


def _link_out(folder: Path, outside: Path) -> None:
    (outside / "good.csv").write_bytes(_csv(GOOD))
    (folder / "link_out.csv").symlink_to(outside / "good.csv")
