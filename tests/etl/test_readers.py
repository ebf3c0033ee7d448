"""The file-reading layer against the real files in shared/data (read in place) and against
crafted files for each way a file can be odd or wrong. No database.

Counts on the real data (shared/data/README.md): the 51 provincial ThaiME workbooks hold
31,518 non-empty rows under their header rows; the reader returns 31,501 data rows, which is
exactly the row count of the maintainers' concatenation thaime_v2p2.xlsx. The 17 others are
2 title rows above the header (332 กาญจนบุรี), 2 second header rows (322 นนทบุรี sub-headings,
323 ปทุมธานี two-row header), 9 totals rows (a "รวมทั้งสิ้น" row in 242, 244, 252, 253, 323 and
an unlabelled =SUM row under it in 242, 244, 252, 253), 3 side-table rows (214 หนองบัวลำภู)
and 1 section heading without an amount over its "- โครงการ…" items (411 ชลบุรี/Pattaya).
"""

from __future__ import annotations

import collections
import csv
import gzip
import hashlib
import io
import re
import time
from pathlib import Path

import openpyxl
import pytest

from etl.layouts import (
    BUDGET_FIELDS,
    LAYOUTS,
    PLAN_FIELDS,
    REQUIRED,
    MappingError,
    load_mapping,
    match_header,
)
from etl.readers import RawRow, ReadError, Skipped, Table, file_checksum, read_tables
from tests.helpers import shared_data_dir

THAIME = "plans/thaime_2020_loan_proposals"
HEADER_TH = ["ลำดับที่", "ชื่อโครงการ", "วงเงินงบประมาณ (บาท)", "หน่วยรับงบประมาณ", "จังหวัด"]
Provincial = tuple[dict[str, list[Table]], float]


def one(tables: dict[str, list[Table]], prefix: str) -> Table:
    """The single table of the provincial workbook whose name starts with ``prefix``."""
    (name,) = [n for n in tables if n.startswith(prefix)]
    (table,) = tables[name]
    return table


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def provincial() -> Provincial:
    """All 51 provincial workbooks, read once; with the wall time it took."""
    files = sorted((shared_data_dir() / THAIME / "raw_by_province").iterdir())
    started = time.perf_counter()
    tables = {f.name: read_tables(f, "plans") for f in files}
    return tables, time.perf_counter() - started


def test_all_provincial_workbooks_read(provincial: Provincial) -> None:
    tables, elapsed = provincial
    assert len(tables) == 51
    every = [t for found in tables.values() for t in found]
    print(f"\n{'file':44} {'sheet':24} {'layout':16} hdr  rows unit     skipped")
    for t in every:
        skipped = dict(collections.Counter(s.reason for s in t.skipped))
        print(
            f"{t.file[:44]:44} {str(t.sheet)[:24]:24} {t.layout:16} {t.header_row:>3} "
            f"{len(t.rows):>5} {str(t.amount_unit):8} {skipped}"
        )
    total = sum(len(t.rows) for t in every)
    # "trailing blank rows (28)" and "(3)" count as one reason here
    by_reason = collections.Counter(re.sub(r" \(\d+\)$", "", s.reason) for t in every for s in t.skipped)
    print(f"total data rows {total:,} in {elapsed:.1f} s; skipped by reason {dict(by_reason)}")
    assert elapsed < 60
    assert {t.layout for t in every} == {"local-proposals"}
    # README: 31,518 non-empty rows under the headers; the module docstring accounts for 17.
    assert total == 31_501
    assert by_reason["title row"] == 2
    assert by_reason["totals row (รวม)"] + by_reason["totals row (sum of the rows above)"] == 9
    assert by_reason["side table"] == 3
    assert by_reason["section heading (title only)"] == 1
    # the 2 second header rows belong to their headers rather than being skipped rows
    assert len(one(tables, "322").rows) == 98 and len(one(tables, "323").rows) == 256


def test_million_labels_detected(provincial: Provincial) -> None:
    tables, _ = provincial
    every = [t for found in tables.values() for t in found]
    assert sorted(t.file[:3] for t in every if t.amount_unit == "million") == ["111", "114", "121", "122", "526"]
    assert {t.amount_unit for t in every} == {"baht", "million"}


def test_side_table_of_roi_et_is_ignored(provincial: Provincial) -> None:
    tables, _ = provincial
    roi_et = one(tables, "234 ร้อยเอ็ด")
    # ประเภท / จำนวนโครงการ / งบประมาณ (columns K-M) are glued to the right of the data
    assert set(roi_et.columns) == set(range(1, 10))
    assert roi_et.columns[3] == "amount" and roi_et.columns[9] == "project_type"
    assert len(roi_et.rows) == 706
    numbers = [v for r in roi_et.rows for v in r.values.values() if isinstance(v, (int, float))]
    assert not any(abs(v - 8_036_435_999.9) < 1 for v in numbers)  # the side table's รวม
    nongbua = one(tables, "214 หนองบัวลำภู")
    side = [(s.row, s.reason) for s in nongbua.skipped if s.reason == "side table"]
    assert side == [(8, "side table"), (9, "side table"), (10, "side table")]


def test_formulas_come_back_as_values(provincial: Provincial) -> None:
    tables, _ = provincial
    cells = [v for found in tables.values() for t in found for r in t.rows for v in r.values.values()]
    assert not [v for v in cells if isinstance(v, str) and v.startswith("=")]
    chaiyaphum = one(tables, "242 ชัยภูมิ")
    # row 1381 is =SUM(D2:D1379) without a label: its cached value equals the rows above
    file, sheet = chaiyaphum.file, chaiyaphum.sheet
    assert Skipped(file, sheet, 1380, "totals row (รวม)") in chaiyaphum.skipped
    assert Skipped(file, sheet, 1381, "totals row (sum of the rows above)") in chaiyaphum.skipped
    nonthaburi = one(tables, "322 นนทบุรี")  # its ลำดับ column is =A3+1 …, unmapped
    assert all(isinstance(r.values["amount"], int) for r in nonthaburi.rows)


def test_layout_quirks(provincial: Provincial) -> None:
    tables, _ = provincial
    kanchanaburi = one(tables, "332 กาญจนบุรี")
    assert kanchanaburi.header_row == 3 and kanchanaburi.rows[0].row == 4
    assert [(s.row, s.reason) for s in kanchanaburi.skipped[:2]] == [(1, "title row"), (2, "title row")]
    pathum = one(tables, "323 ปทุมธานี")
    # two-row header: title and amount in row 1, plan group, agency, province … in row 2
    assert pathum.header_row == 1 and pathum.rows[0].row == 3
    wanted = {"title", "amount", "plan_group", "agency", "province", "date", "url"}
    assert wanted <= set(pathum.columns.values())
    assert one(tables, "322 นนทบุรี").rows[0].row == 3  # row 2: sub-headings of a merged group
    samut = one(tables, "324 สมุทรปราการ")
    assert samut.columns[5] == "agency" and samut.columns[10] == "project_type"  # 4 = รหัสหน่วย
    notes = {(s.sheet, s.reason) for s in samut.skipped if s.row == 0}
    assert notes == {("link-สป-อปท", "no header row"), ("Sheet1", "empty sheet")}
    first = one(tables, "111 เชียงใหม่").rows[0]
    assert first.row == 2
    assert first.values["title"].startswith("โครงการติดตั้งไฟฟ้าส่องสว่าง\nถนนสาธารณะ")
    assert first.values["amount"] == 700000000  # raw, not normalised


def test_budget_bill_csvs() -> None:
    folder = shared_data_dir() / "budget/fy2565_kaogeek_napatswift"
    files = sorted(folder.glob("*.csv.gz"))
    assert len(files) == 22
    started = time.perf_counter()
    counts = {}
    for f in files:
        (table,) = read_tables(f, "budget")
        assert table.layout == "budget-bill" and table.encoding == "utf-8" and not table.skipped
        assert set(table.columns.values()) == set(BUDGET_FIELDS)
        counts[f.name] = len(table.rows)
    elapsed = time.perf_counter() - started
    print(f"\n{counts}\nnapatswift: {sum(counts.values()):,} rows in {elapsed:.1f} s")
    assert sum(counts.values()) == 37_635
    assert counts["2022-3-4.csv.gz"] == 3_897
    (table,) = read_tables(folder / "2022-3-1.csv.gz", "budget")
    assert table.rows[0].row == 2 and table.rows[0].values["amount"] == "800,000,000"


def test_budget_bill_alternative_extraction() -> None:
    files = sorted((shared_data_dir() / "budget/fy2565_kaogeek_tee4cute_alt").glob("*.csv.gz"))
    assert len(files) == 16
    counts = {f.name: len(read_tables(f, "budget")[0].rows) for f in files}
    print(f"\ntee4cute: {counts} total {sum(counts.values()):,}")
    assert sum(counts.values()) == 27_305  # README


def test_thaime_concatenations() -> None:
    folder = shared_data_dir() / THAIME
    (v2p2,) = read_tables(folder / "thaime_v2p2.xlsx", "plans")
    assert (v2p2.layout, v2p2.sheet, len(v2p2.rows)) == ("local-proposals", "Sheet1", 31_501)
    assert v2p2.columns == {
        0: "plan_group",
        1: "title",
        2: "amount",
        3: "agency",
        4: "ministry",
        5: "province",
        6: "date",
        7: "url",
        8: "project_type",
    }
    assert v2p2.amount_unit is None  # "budget" says nothing about the unit
    (v2p1,) = read_tables(folder / "thaime_v2p1.xlsx", "plans")
    assert (v2p1.layout, v2p1.sheet, len(v2p1.rows)) == ("local-proposals", "Sheet6", 9_224)
    assert v2p1.amount_unit == "baht"
    for name in ("thaime_raw_prelim.csv.gz", "thaimaimee_prelim.csv.gz"):
        (prelim,) = read_tables(folder / name, "plans")
        print(name, prelim.layout, len(prelim.rows))
        assert len(prelim.rows) == 196


def test_cp874_export_decodes_but_has_no_plan_layout() -> None:
    path = shared_data_dir() / THAIME / "20200713_thaime_preliminary_analysis.csv.gz"
    with pytest.raises(ReadError) as caught:
        read_tables(path, "plans")
    message = str(caught.value)
    print(message)
    assert message.startswith(
        "20200713_thaime_preliminary_analysis.csv.gz: no header row with a title and an amount"
        " column (looked at the first 30 rows; read as cp874); closest is row 1, missing title,"
        " amount; columns found there: '_id', 'code_en', 'code_th',"
    )
    assert "6,367 columns" in message  # of 6,393, 26 have a blank header


# --------------------------------------------------------------------------- crafted: encodings


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(title, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


PLAN_ROWS = [
    ["ชื่อโครงการ", "วงเงิน (บาท)", "จังหวัด"],
    ["ก่อสร้างถนน คสล. หมู่ที่ 3 ตำบลโป่งแยง", "2,245,000", "เชียงใหม่"],
    ["ขุดลอกหนองน้ำ", "495000", "ลำพูน"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    (table,) = read_tables(write_csv(tmp_path / "plans.csv", PLAN_ROWS, encoding), "plans")
    assert table.encoding == encoding
    assert table.columns == {0: "title", 1: "amount", 2: "province"}
    assert (table.sheet, table.header_row, table.amount_unit) == (None, 1, "baht")
    assert table.rows[0] == RawRow(
        "plans.csv",
        None,
        2,
        {
            "title": "ก่อสร้างถนน คสล. หมู่ที่ 3 ตำบลโป่งแยง",
            "amount": "2,245,000",
            "province": "เชียงใหม่",
        },
    )
    assert [r.row for r in table.rows] == [2, 3]


def test_wrong_encodings(tmp_path: Path) -> None:
    (tmp_path / "noise.csv").write_bytes(bytes(range(1, 256)) * 4)  # controls, bytes cp874 lacks
    with pytest.raises(ReadError, match=r"^noise\.csv: cannot decode as UTF-8 or cp874$"):
        read_tables(tmp_path / "noise.csv", "plans")
    (tmp_path / "utf16.csv").write_bytes("ชื่อโครงการ,วงเงิน\nถนน,5\n".encode("utf-16"))
    with pytest.raises(
        ReadError,
        match=r"^utf16\.csv: cannot decode as UTF-8 or cp874 \(it looks"
        r" like UTF-16",
    ):
        read_tables(tmp_path / "utf16.csv", "plans")


def test_gzip_and_mixed_case_extensions(tmp_path: Path) -> None:
    plain = write_csv(tmp_path / "plans.csv", PLAN_ROWS)
    expected = [r.values for r in read_tables(plain, "plans")[0].rows]
    gz = tmp_path / "plans.CSV.GZ"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    assert [r.values for r in read_tables(gz, "plans")[0].rows] == expected
    book = write_xlsx(tmp_path / "book.XLSX", {"Sheet1": PLAN_ROWS})
    (table,) = read_tables(book, "plans")
    assert table.file == "book.XLSX" and table.encoding is None and len(table.rows) == 2
    zipped = tmp_path / "book.xlsx.gz"
    zipped.write_bytes(gzip.compress(book.read_bytes()))
    assert [r.values for r in read_tables(zipped, "plans")[0].rows] == [r.values for r in table.rows]
    (tmp_path / "cut.csv.gz").write_bytes(gzip.compress(plain.read_bytes())[:30])
    with pytest.raises(ReadError, match=r"^cut\.csv\.gz: not a valid gzip file"):
        read_tables(tmp_path / "cut.csv.gz", "plans")


def test_other_formats_are_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ReadError, match=r"^old\.xls: old binary Excel \(\.xls\) is not supported"):
        read_tables(tmp_path / "old.xls", "plans")
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ReadError, match=r"^fake\.xlsx: cannot open as an Excel workbook"):
        read_tables(tmp_path / "fake.xlsx", "plans")
    with pytest.raises(ReadError, match=r"^missing\.csv: cannot read the file"):
        read_tables(tmp_path / "missing.csv", "plans")


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_other_delimiters(tmp_path: Path, delimiter: str) -> None:
    (table,) = read_tables(write_csv(tmp_path / "p.csv", PLAN_ROWS, delimiter=delimiter), "plans")
    assert table.columns == {0: "title", 1: "amount", 2: "province"} and len(table.rows) == 2


# --------------------------------------------------------------------------- crafted: structure


def test_missing_required_column(tmp_path: Path) -> None:
    rows = [["ชื่อโครงการ", "จังหวัด", "หน่วยงาน"], ["ถนน", "ลำพูน", "อบต.ก"]]
    with pytest.raises(ReadError) as caught:
        read_tables(write_csv(tmp_path / "no_amount.csv", rows), "plans")
    message = str(caught.value)
    assert message.startswith("no_amount.csv: no header row with a title and an amount column")
    assert "missing amount" in message and "'ชื่อโครงการ', 'จังหวัด', 'หน่วยงาน'" in message
    assert "--mapping" in message
    book = write_xlsx(tmp_path / "x.xlsx", {"A": [["ชื่อ", "เงิน"], ["ถนน", 5]], "B": [["หมายเหตุ"]]})
    with pytest.raises(
        ReadError,
        match=r"^x\.xlsx: no header row with a title and an amount column"
        r" in any sheet \(looked at the first 30 rows of sheets A, B\)",
    ):
        read_tables(book, "plans")
    budget = write_csv(tmp_path / "b.csv", [["ITEM_ID", "AMOUNT"], ["1", "5"]])
    with pytest.raises(ReadError, match=r"columns item_id, amount, fiscal_year .*missing fiscal_year"):
        read_tables(budget, "budget")


def test_header_below_the_search_window(tmp_path: Path) -> None:
    rows = [[f"หมายเหตุ {i}"] for i in range(35)] + PLAN_ROWS
    with pytest.raises(ReadError, match="looked at the first 30 rows"):
        read_tables(write_csv(tmp_path / "deep.csv", rows), "plans")


def test_empty_files(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "blank.csv").write_text("\n , ,\n\n", encoding="utf-8")
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf")
    (tmp_path / "empty.csv.gz").write_bytes(gzip.compress(b""))
    write_xlsx(tmp_path / "empty.xlsx", {"Sheet1": [], "Sheet2": []})
    for name in ("empty.csv", "blank.csv", "bom.csv", "empty.csv.gz", "empty.xlsx"):
        with pytest.raises(ReadError, match=rf"^{re.escape(name)}: the file has no rows$"):
            read_tables(tmp_path / name, "plans")


def test_sheet_of_only_headers(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "x.xlsx", {"Sheet1": [HEADER_TH, [None] * 5]})
    with pytest.raises(
        ReadError,
        match=r"^x\.xlsx:Sheet1: the header is there but there are no"
        r" data rows$",
    ):
        read_tables(book, "plans")
    only_header = write_csv(tmp_path / "h.csv", [HEADER_TH])
    with pytest.raises(ReadError, match=r"^h\.csv: the header is there but there are no data rows$"):
        read_tables(only_header, "plans")
    # next to a sheet with data it is only a note, as are empty and header-less sheets
    book = write_xlsx(
        tmp_path / "y.xlsx",
        {
            "ข้อมูล": [HEADER_TH, [1, "ถนน", 5000, "อบต.ก", "น่าน"]],
            "ว่าง": [HEADER_TH],
            "Sheet2": [],
            "อ้างอิง": [["01000 สำนักนายกรัฐมนตรี"]],
        },
    )
    (table,) = read_tables(book, "plans")
    assert table.sheet == "ข้อมูล" and len(table.rows) == 1
    assert [s for s in table.skipped if s.row == 0] == [
        Skipped("y.xlsx", "ว่าง", 0, "header but no data rows"),
        Skipped("y.xlsx", "Sheet2", 0, "empty sheet"),
        Skipped("y.xlsx", "อ้างอิง", 0, "no header row"),
    ]


def test_title_row_and_two_row_merged_header(tmp_path: Path) -> None:
    rows = [
        ["บัญชีโครงการพัฒนา ปีงบประมาณ 2566 องค์การบริหารส่วนตำบลตัวอย่าง"] + [None] * 6,
        ["ลำดับ\nที่", "ชื่อโครงการ", "งบประมาณ\n(ล้านบาท)", "ที่ตั้ง", None, None, "หน่วยงาน"],
        [None, None, None, "หมู่ที่", "ตำบล", "อำเภอ", None],
        [1, "ก่อสร้างถนน", 1.5, 3, "โป่งแยง", "แม่ริม", "อบต.โป่งแยง"],
        [2, "ขุดลอกคลอง", 0.5, 4, "โป่งแยง", "แม่ริม", "อบต.โป่งแยง"],
    ]
    merges = {"แผน": ["A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:G3"]}
    (table,) = read_tables(write_xlsx(tmp_path / "p02.xlsx", {"แผน": rows}, merges), "plans")
    assert table.header_row == 2 and table.layout == "planmap-template"
    assert table.columns == {1: "title", 2: "amount", 3: "village", 4: "tambon", 5: "district", 6: "agency"}
    assert table.amount_unit == "million"
    assert [s.reason for s in table.skipped] == ["title row"]
    got = [(r.row, r.values["title"], r.values["amount"], r.values["village"]) for r in table.rows]
    assert got == [(4, "ก่อสร้างถนน", 1.5, 3), (5, "ขุดลอกคลอง", 0.5, 4)]


def test_units_row_under_the_header(tmp_path: Path) -> None:
    rows = [["ชื่อโครงการ", "วงเงิน", "จังหวัด"], ["", "(ล้านบาท)", ""], ["ถนน", "1.5", "น่าน"]]
    (table,) = read_tables(write_csv(tmp_path / "units.csv", rows), "plans")
    assert table.header_row == 1 and table.amount_unit == "million"
    assert [(r.row, r.values["amount"]) for r in table.rows] == [(3, "1.5")]


def test_totals_side_tables_blanks_and_repeated_headers(tmp_path: Path) -> None:
    # as in the ThaiME sheets: a summary (ประเภท, จำนวนโครงการ, งบประมาณ) glued to the right
    rows = [
        HEADER_TH + ["ประเภทโครงการ", "ประเภท", "จำนวนโครงการ", "งบประมาณ"],
        [1, "ถนน", 100, "อบต.ก", "น่าน", 6, 1, 2, 300],
        [2, "ประปา", 200, "อบต.ข", "น่าน", 5, "รวม", 2, 300],
        [None] * 9,
        [None, None, None, None, None, None, "หมายเหตุ: ประเภท 1 = ถนน"],
        HEADER_TH + ["ประเภทโครงการ"],
        [3, "รวมพลังชุมชน", 50, "อบต.ค", "น่าน"],  # a real title that starts with รวม
        [None, "รวมทั้งสิ้น 3 โครงการ", 350],
        [None, None, 350],
        [None, "โครงการส่งเสริมการท่องเที่ยว"],
        ["", "  \u200b", None],
    ]
    (table,) = read_tables(write_xlsx(tmp_path / "t.xlsx", {"Sheet1": rows}), "plans")
    assert table.columns == {1: "title", 2: "amount", 3: "agency", 4: "province", 5: "project_type"}
    assert [(r.row, r.values["title"]) for r in table.rows] == [(2, "ถนน"), (3, "ประปา"), (7, "รวมพลังชุมชน")]
    assert [(s.row, s.reason) for s in table.skipped] == [
        (4, "blank"),
        (5, "side table"),
        (6, "repeated header"),
        (8, "totals row (รวม)"),
        (9, "totals row (sum of the rows above)"),
        (10, "section heading (title only)"),
        (11, "trailing blank rows (1)"),
    ]


def test_embedded_newlines_and_footnote_marks_in_headers() -> None:
    cells = [
        "ลำดับ\nที่",
        "แผนงานที่ (3.1 - 3.4)",
        "ชื่อ\nโครงการ",
        "วงเงินงบประมาณ\n(ล้านบาท)",
        "หน่วยรับงบประมาณ\n",
        "ประเภทโครงการ*",
        "Url",
    ]
    match = match_header(cells, "plans")
    assert match is not None and match.layout == "local-proposals"
    assert match.columns == {1: "plan_group", 2: "title", 3: "amount", 4: "agency", 5: "project_type", 6: "url"}
    assert match.amount_unit == "million"
    assert match_header(["ชื่อโครงการ", "จังหวัด"], "plans") is None
    partial = match_header(["ชื่อโครงการ", "จังหวัด"], "plans", allow_partial=True)
    assert partial is not None and partial.missing == ("amount",)


def test_layouts_cover_their_fields() -> None:
    names = {layout.name: layout for layout in LAYOUTS}
    assert set(names) == {"planmap-template", "budget-bill", "local-proposals"}
    assert set(names["planmap-template"].synonyms) == set(PLAN_FIELDS)
    assert set(names["budget-bill"].synonyms) == set(BUDGET_FIELDS)
    for layout in LAYOUTS:
        assert set(REQUIRED[layout.kind]) <= set(layout.synonyms)
        for field, variants in layout.synonyms.items():  # the first variant finds its field
            match = match_header([variants[0]], layout.kind, allow_partial=True)
            assert match is not None and match.columns == {0: field}, (layout.name, field)


def test_mapping_file(tmp_path: Path) -> None:
    rows = [
        ["รายการที่ขอ", "เงินที่ขอรับการสนับสนุน", "หมู่บ้านเป้าหมาย", "จังหวัด"],
        ["ถนน", 5000, "บ้านดง", "น่าน"],
    ]
    path = write_xlsx(tmp_path / "odd.xlsx", {"Sheet1": rows})
    with pytest.raises(ReadError, match="missing title, amount"):
        read_tables(path, "plans")
    mapping_file = tmp_path / "mapping.txt"
    mapping_file.write_text(
        "# odd headers of อบต.ตัวอย่าง\nรายการที่ขอ = title\n เงินที่ขอรับ การสนับสนุน = amount\n\nจังหวัด = ignore\n",
        encoding="utf-8",
    )
    mapping = load_mapping(mapping_file)
    assert mapping == {"รายการที่ขอ": "title", "เงินที่ขอรับ การสนับสนุน": "amount", "จังหวัด": "ignore"}
    (table,) = read_tables(path, "plans", mapping)
    assert table.columns == {0: "title", 1: "amount"}
    assert table.rows[0].values == {"title": "ถนน", "amount": 5000}
    as_csv = tmp_path / "mapping.csv"
    as_csv.write_text('header,field\nรายการที่ขอ,title\n"เงินที่ขอรับการสนับสนุน",AMOUNT\n', encoding="utf-8-sig")
    (table,) = read_tables(path, "plans", load_mapping(as_csv))
    assert table.columns == {0: "title", 1: "amount", 3: "province"}
    mapping_file.write_text("รายการที่ขอ = headline\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"^mapping\.txt:1: unknown field 'headline'"):
        load_mapping(mapping_file)
    mapping_file.write_text("รายการที่ขอ title\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"^mapping\.txt:1: expected 'header = field'"):
        load_mapping(mapping_file)


def test_file_checksum(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plans.csv", PLAN_ROWS)
    assert file_checksum(path) == hashlib.sha256(path.read_bytes()).hexdigest()
