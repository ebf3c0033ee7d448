"""The plan template: an XLSX file per plan level that ``planmap import plans`` reads with no
mapping (``planmap template plans`` writes it; the dashboard serves the same file for download).

Sheet 1 ``แผนพัฒนา`` holds the Thai headers of the ``planmap-template`` layout (:mod:`etl.layouts`:
each header is exactly one of that layout's synonyms, so it maps with score 100) and nothing
else: every filled row below the header is a real plan item. The example is on sheet
``คำอธิบาย`` (instructions in Thai, then English), one line per column with the column's
meaning and an example value, read top to bottom: laid out that way it can never be taken for
data (the importer reads every sheet, and a horizontal example under the same headers would be
loaded). Two hidden sheets hold the validation lists: ``รหัสพื้นที่`` (the gazetteer's codes
and Thai names within the requested areas, when a database is at hand) and ``รายการ`` (sectors,
ministries, plan levels).

Validation mirrors what the importer checks: amount a number ≥ 0 (two decimals shown), fiscal
year a whole BE year 2500–2700, area code from the list (or, without a database, a whole number
of the level's code lengths), หมู่ที่ 1–99; sectors and ministries are offered as lists but
other values are allowed after a warning, because the importer takes any text there.

The dashboard may not import etl (etl → geodata ← dashboard): it finds :func:`template_bytes`
through the ``planmap.templates`` entry point, as geodata finds the command groups.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from psycopg.rows import dict_row

from etl.db import query
from etl.demo import SECTORS
from etl.normalize import BE_MAX, BE_MIN, MAX_AMOUNT, MINISTRIES
from etl.records import MAX_TEXT
from geodata.areas import AREA_CODE, COUNTRY, PLAN_LEVELS, current_fiscal_year

__all__ = [
    "AREA_NAME",
    "CODE_LENGTHS",
    "COLUMNS",
    "DATA_SHEET",
    "INSTRUCTIONS_SHEET",
    "LEVEL_NAMES",
    "Area",
    "Template",
    "build_template",
    "default_filename",
    "plans_template",
    "template_areas",
    "template_bytes",
]

DATA_SHEET = "แผนพัฒนา"
INSTRUCTIONS_SHEET = "คำอธิบาย"
CODES_SHEET = "รหัสพื้นที่"
LISTS_SHEET = "รายการ"

# The manual's names of the six plans (DESIGN §1; the dashboard's i18n says the same).
LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "village": ("แผนหมู่บ้าน/ชุมชน", "Village / community plan"),
    "tambon": ("แผนชุมชนระดับตำบล", "Tambon community plan"),
    "local": ("แผนพัฒนาท้องถิ่น", "Local development plan"),
    "district": ("แผนพัฒนาอำเภอ", "District development plan"),
    "province": ("แผนพัฒนาจังหวัด", "Provincial development plan"),
    "cluster": ("แผนพัฒนากลุ่มจังหวัด", "Provincial cluster plan"),
}
# When each plan is made in the annual calendar (DESIGN §1).
LEVEL_MONTHS: dict[str, tuple[str, str]] = {
    "village": ("มกราคม – กุมภาพันธ์", "January – February"),
    "tambon": ("มีนาคม – พฤษภาคม", "March – May"),
    "local": ("มีนาคม – พฤษภาคม (ก่อนจัดทำงบประมาณท้องถิ่น)", "March – May (before the local budget)"),
    "district": ("เมษายน – พฤษภาคม", "April – May"),
    "province": ("กรกฎาคม – กันยายน", "July – September"),
    "cluster": ("กรกฎาคม – กันยายน", "July – September"),
}
# Code lengths a plan's items are placed at (a village is its tambon code plus หมู่ที่): the
# code list offers these; area-wide items of the wider plans may name a province or district.
CODE_LENGTHS: dict[str, tuple[int, ...]] = {
    "village": (6,),
    "tambon": (6,),
    "local": (2, 4, 6),
    "district": (4, 6),
    "province": (2, 4, 6),
    "cluster": (2, 4, 6),
}
_LENGTH_TH = {2: "จังหวัด 2 หลัก", 4: "อำเภอ 4 หลัก", 6: "ตำบล 6 หลัก", 8: "หมู่บ้าน 8 หลัก"}
_LENGTH_EN = {2: "province 2 digits", 4: "district 4 digits", 6: "tambon 6 digits", 8: "village 8 digits"}
YES, NO = "ใช่", "ไม่ใช่"
FORMULA_ROWS = 1_000  # rows that carry the area-name formula (copy it down for more)
LAST_ROW = 1_048_576  # validations cover the whole column

# Thai government documents use TH Sarabun New; Excel substitutes a Thai font where it is missing.
FONT = "TH Sarabun New"
SIZE = 16
_REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
_OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_HELPER_FILL = PatternFill("solid", fgColor="E7E6E6")
_TITLE_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _font(**style: object) -> Font:
    return Font(name=FONT, size=style.pop("size", SIZE), **style)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Column:
    """One column of the data sheet. ``field`` None: shown for the user, never imported."""

    field: str | None
    header: str  # a synonym of the field in the planmap-template layout (etl.layouts)
    english: str
    width: float
    meaning_th: str
    meaning_en: str
    prompt: str  # Excel's input message (at most 255 characters)
    number_format: str = "General"
    required_at: frozenset[str] = frozenset()  # plan levels where the column must be filled

    def required(self, level: str) -> bool:
        return level in self.required_at


_ALL = frozenset(PLAN_LEVELS)
AREA_NAME = "ชื่อพื้นที่ (แสดงอัตโนมัติ)"
COLUMNS: tuple[Column, ...] = (
    Column(
        "item_ref",
        "เลขที่อ้างอิง",
        "reference",
        16,
        "เลขที่ของโครงการในแผนนี้ ไม่ซ้ำกันภายในแผน เช่น 2571-001 ถ้ากรอก การนำเข้าซ้ำจะปรับปรุงโครงการเดิม"
        " (แก้ชื่อหรือวงเงินแล้วนำเข้าใหม่ได้โดยไม่เกิดรายการซ้ำ) และแผนระดับล่างใช้อ้างถึงในคอลัมน์ ส่งต่อไปยัง"
        " ถ้าเว้นว่าง ระบบจำโครงการจากชื่อ วงเงิน และพื้นที่",
        "The item's number in this plan, unique within the plan (e.g. 2571-001). With it a re-import updates"
        " the item instead of adding another, and lower-level plans can refer to it in ส่งต่อไปยัง. Blank: the"
        " item is recognised by its title, amount and area.",
        "เลขที่ของโครงการในแผนนี้ ไม่ซ้ำกัน เช่น 2571-001 (ไม่บังคับ แต่ควรกรอก)",
        "@",
    ),
    Column(
        "title",
        "ชื่อโครงการ",
        "project title",
        48,
        f"ชื่อโครงการ/กิจกรรม บอกให้ชัดว่าทำอะไร ที่ไหน ยาวไม่เกิน {MAX_TEXT:,} ตัวอักษร",
        f"The project or activity: what is done and where; at most {MAX_TEXT:,} characters.",
        "ชื่อโครงการ/กิจกรรม บอกว่าทำอะไร ที่ไหน",
        required_at=_ALL,
    ),
    Column(
        "amount",
        "วงเงิน (บาท)",
        "amount (baht)",
        18,
        "วงเงินที่เสนอ หน่วยเป็นบาท (ไม่ใช่ล้านบาท) ตัวเลขไม่ติดลบ ทศนิยมไม่เกิน 2 ตำแหน่ง (สตางค์) พิมพ์เฉพาะตัวเลข ไม่ต้องพิมพ์คำว่าบาท",
        "The amount requested in baht (not million baht): a number ≥ 0 with at most two decimals (satang);"
        " digits only, without the word บาท.",
        "วงเงินที่เสนอ เป็นบาท (ไม่ใช่ล้านบาท) ตัวเลขไม่ติดลบ ทศนิยม 2 ตำแหน่ง",
        "#,##0.00",
        required_at=_ALL,
    ),
    Column(
        "fiscal_year",
        "ปีงบประมาณ",
        "fiscal year",
        13,
        f"ปีงบประมาณ พ.ศ. ที่ขอรับงบประมาณ ตัวเลข 4 หลัก {BE_MIN}–{BE_MAX} เช่น 2571"
        " (ปีงบประมาณ 2571 คือ 1 ต.ค. 2570 – 30 ก.ย. 2571)",
        f"The Buddhist Era fiscal year the money is requested for, a whole number {BE_MIN}–{BE_MAX}"
        " (FY 2571 runs from 1 October 2570 to 30 September 2571 BE, i.e. Oct 2027 – Sep 2028 CE).",
        f"ปีงบประมาณ พ.ศ. 4 หลัก ({BE_MIN}–{BE_MAX}) เช่น 2571",
        "0",
        required_at=_ALL,
    ),
    Column(
        "area_code",
        "รหัสพื้นที่",
        "area code",
        14,
        "",  # depends on the level and on the code list: see _area_meaning
        "",
        "",
        "0",
        required_at=_ALL,
    ),
    Column(
        "village",
        "หมู่ที่",
        "village number",
        9,
        "เลขหมู่ที่ของหมู่บ้าน (1–99) ใช้คู่กับรหัสตำบล 6 หลัก: รหัสตำบล 370101 กับหมู่ที่ 3 คือหมู่บ้าน 37010103",
        "The village number (หมู่ที่, 1–99), with a 6-digit tambon code: tambon 370101 and หมู่ที่ 3 is village 37010103.",
        "เลขหมู่ที่ 1–99 ใช้คู่กับรหัสตำบล 6 หลัก",
        "0",
        required_at=frozenset({"village"}),
    ),
    Column(
        None,
        AREA_NAME,
        "area name (shown automatically)",
        40,
        "ระบบแสดงชื่อพื้นที่ของรหัสที่กรอกเพื่อให้ตรวจทาน ไม่ต้องกรอกและไม่ถูกนำเข้า"
        f" (สูตรมีถึงแถว {FORMULA_ROWS + 1:,} ถ้ามีโครงการมากกว่านั้นให้คัดลอกสูตรลงไป)",
        "Shows the name of the code entered, to check it; not to be filled in, never imported (the formula"
        f" reaches row {FORMULA_ROWS + 1:,}: copy it down for more rows).",
        "",
    ),
    Column(
        "sector",
        "ด้าน",
        "sector",
        26,
        "ด้านของโครงการ เลือกจากรายการ (พิมพ์ด้านอื่นได้ ระบบจะเตือนก่อน)",
        "The sector: pick from the list (another value is accepted after a warning).",
        "เลือกด้านจากรายการ",
    ),
    Column(
        "strategy",
        "ยุทธศาสตร์",
        "strategy",
        30,
        "ยุทธศาสตร์หรือแผนงานที่โครงการสนับสนุน ตามแผนพัฒนาของพื้นที่",
        "The strategy or programme of the area's development plan that the item serves.",
        "ยุทธศาสตร์/แผนงานที่โครงการสนับสนุน",
    ),
    Column(
        "agency",
        "หน่วยงาน",
        "agency",
        30,
        "หน่วยงานที่รับผิดชอบหรือดำเนินการ พิมพ์ชื่อเต็มหรือคำย่อ อบต. อบจ. ทต. ทม. ทน. ได้ (ระบบขยายให้)",
        "The agency responsible; full name, or the abbreviations อบต. อบจ. ทต. ทม. ทน. (expanded on import).",
        "หน่วยงานที่รับผิดชอบ เช่น อบต.บุ่ง",
    ),
    Column(
        "ministry",
        "กระทรวง",
        "ministry",
        30,
        "กระทรวงต้นสังกัดของหน่วยงาน เลือกจากรายการ (พิมพ์อย่างอื่นได้ ระบบจะเตือนก่อน)",
        "The agency's ministry: pick from the list (another value is accepted after a warning).",
        "เลือกกระทรวงจากรายการ",
    ),
    Column(
        "beyond_capacity",
        "เกินขีดความสามารถ",
        "beyond capacity",
        16,
        f"{YES} ถ้าโครงการเกินขีดความสามารถของระดับนี้ ต้องส่งต่อให้ระดับที่สูงขึ้น; {NO} หรือเว้นว่าง ถ้าดำเนินการเองได้",
        f"{YES} (yes) when the need is beyond this level's capacity and goes to the next level; {NO} (no) or"
        " blank when this level funds it.",
        f"{YES} = เกินขีดความสามารถ ส่งต่อระดับที่สูงขึ้น",
    ),
    Column(
        "escalated_to_ref",
        "ส่งต่อไปยัง",
        "escalated to",
        16,
        "เลขที่อ้างอิงของโครงการเดียวกันในแผนระดับที่รับไปดำเนินการ ต้องนำเข้าแผนระดับนั้นไว้ก่อนแล้ว มิฉะนั้นแถวนี้จะถูกปฏิเสธ เว้นว่างได้",
        "The reference of the same need in the plan that took it up; that plan must be imported first,"
        " otherwise the row is rejected. May be blank.",
        "เลขที่อ้างอิงของโครงการนี้ในแผนระดับที่รับไป (ต้องนำเข้าแผนนั้นก่อน)",
        "@",
    ),
    Column(
        "date",
        "วันที่เสนอ",
        "date proposed",
        14,
        "วันที่เสนอโครงการ พิมพ์ วัน/เดือน/ปี พ.ศ. เช่น 15/03/2570 วันแรกสุดของไฟล์ถือเป็นวันที่ส่งแผน ใช้ดูการส่งตามปฏิทิน เว้นว่างได้",
        "The date the item was proposed, typed day/month/BE year, e.g. 15/03/2570; the earliest date of the"
        " file counts as the plan's submission date for the calendar. May be blank.",
        "วัน/เดือน/ปี พ.ศ. เช่น 15/03/2570 (ไม่บังคับ)",
        "@",
    ),
)


@dataclass(frozen=True)
class Area:
    """An entry of the code list: the code and a label such as ``ต.บุ่ง อ.เมืองอำนาจเจริญ จ.อำนาจเจริญ``."""

    code: str
    label: str


@dataclass(frozen=True)
class Template:
    """A made template: the file's bytes, how many codes its list offers (None: no list, a
    format check), and a note for the person who asked for it."""

    level: str
    data: bytes
    codes: int | None
    note: str | None = None


def default_filename(level: str, area: str | None = None) -> str:
    return f"planmap-template-{level}{'-' + area if area else ''}.xlsx"


# --------------------------------------------------------------------------- the gazetteer


def _label(row: dict) -> str:
    name, level = row["name_th"], row["level"]
    bangkok = row["code"].startswith("10")
    if level == "province":
        return name if bangkok else f"จ.{name}"
    if level == "district":
        district = name if bangkok else f"อ.{name}"
        return f"{district} {'' if bangkok else 'จ.'}{row['province_th'] or ''}".strip()
    if level == "tambon":
        tambon = f"แขวง{name}" if bangkok else f"ต.{name}"
        district = row["district_th"] or ""
        district = district if bangkok else f"อ.{district}"
        return f"{tambon} {district} {'' if bangkok else 'จ.'}{row['province_th'] or ''}".strip()
    return name  # a cluster or the country: named as the gazetteer names it


def template_areas(conn: psycopg.Connection, within: Sequence[str] | None = None) -> tuple[list[Area], list[Area]]:
    """The gazetteer's provinces, districts and tambons within ``within`` (area codes; a cluster
    stands for its provinces of today; None or ``TH``: the whole country), and the areas of
    ``within`` themselves. A code of ``within`` the gazetteer does not know is a ValueError."""
    wanted = None if within is None or COUNTRY in within else sorted(set(within))
    for code in wanted or ():
        if not AREA_CODE.match(code):
            raise ValueError(f"not an area code: {code!r}")
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(query("template_areas"), {"within": wanted}).fetchall()
    given = [r for r in rows if r["given"]]
    missing = sorted(set(wanted or ()) - {r["code"] for r in given})
    if missing:
        raise ValueError(f"unknown area code(s): {', '.join(missing)} (not in the gazetteer)")
    return [Area(r["code"], _label(r)) for r in rows if r["listed"]], [Area(r["code"], _label(r)) for r in given]


# --------------------------------------------------------------------------- the workbook


def build_template(
    level: str,
    *,
    areas: Sequence[Area] | None,
    scope: Sequence[Area] = (),
    today: dt.date | None = None,
) -> Workbook:
    """The template of one plan level. ``areas``: the code list (None: no database, so the code
    column gets a format check instead); ``scope``: the areas it was made for (for the title)."""
    if level not in PLAN_LEVELS:
        raise ValueError(f"unknown plan level {level!r}; one of {', '.join(PLAN_LEVELS)}")
    today = today or dt.date.today()
    year = current_fiscal_year(today) + 1  # plans are made for the coming fiscal year
    lengths = CODE_LENGTHS[level]
    offered = None if areas is None else [a for a in areas if len(a.code) in lengths]
    columns = [c for c in COLUMNS if c.field is not None or offered is not None]  # names need the list
    book = Workbook()
    book._fonts = IndexedList([_font()])  # the default (Normal) font: openpyxl has no public setter
    book.calculation.fullCalcOnLoad = True  # the area-name formulas have no cached values
    data = book.active
    data.title = DATA_SHEET
    instructions = book.create_sheet(INSTRUCTIONS_SHEET)
    lists = book.create_sheet(LISTS_SHEET)
    _lists(book, lists)
    if offered is not None:
        _codes(book, book.create_sheet(CODES_SHEET), offered)
    _data_sheet(data, columns, level, offered)
    example = _example(level, offered, year)
    _instructions(instructions, columns, level, offered, scope, example, today)
    name_th, name_en = LEVEL_NAMES[level]
    book.properties.title = f"แบบฟอร์มนำเข้า{name_th} (planmap)"
    book.properties.subject = f"planmap plan template: {name_en}"
    book.properties.keywords = f"planmap-template; level={level}"
    book.properties.creator = "planmap"
    book.custom_doc_props.append(StringProperty(name="planmap_level", value=level))
    book.custom_doc_props.append(StringProperty(name="planmap_areas", value=" ".join(a.code for a in scope) or "TH"))
    book.active = 0
    return book


def _codes(book: Workbook, sheet: Worksheet, offered: Sequence[Area]) -> None:
    sheet.sheet_state = "hidden"
    sheet.append(["รหัส", "ชื่อพื้นที่"])
    for cell in sheet[1]:
        cell.font = _font(bold=True)
    for area in offered:
        sheet.append([int(area.code), area.label])
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 60
    sheet.freeze_panes = "A2"
    last = max(len(offered) + 1, 2)
    quoted = f"'{CODES_SHEET}'"
    book.defined_names["planmap_area_codes"] = DefinedName("planmap_area_codes", attr_text=f"{quoted}!$A$2:$A${last}")
    book.defined_names["planmap_area_names"] = DefinedName("planmap_area_names", attr_text=f"{quoted}!$A$2:$B${last}")


def _lists(book: Workbook, sheet: Worksheet) -> None:
    sheet.sheet_state = "hidden"
    values = {
        "planmap_sectors": ("รายการด้าน", SECTORS),
        "planmap_ministries": ("รายการกระทรวง", MINISTRIES),
        "planmap_levels": ("รายการระดับแผน", tuple(th for th, _ in LEVEL_NAMES.values())),
    }
    quoted = f"'{LISTS_SHEET}'"
    for col, (name, (header, items)) in enumerate(values.items(), 1):
        letter = get_column_letter(col)
        sheet.cell(1, col, header).font = _font(bold=True)
        for row, item in enumerate(items, 2):
            sheet.cell(row, col, item)
        sheet.column_dimensions[letter].width = 44
        ref = f"{quoted}!${letter}$2:${letter}${len(items) + 1}"
        book.defined_names[name] = DefinedName(name, attr_text=ref)


def _data_sheet(sheet: Worksheet, columns: Sequence[Column], level: str, offered: Sequence[Area] | None) -> None:
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 42
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    letters = {}
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        letters[column.field] = letter
        cell = sheet.cell(1, index, column.header)
        cell.font = _font(bold=True, italic=column.field is None)
        cell.fill = (
            _HELPER_FILL if column.field is None else _REQUIRED_FILL if column.required(level) else _OPTIONAL_FILL
        )
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
        cell.comment = _comment(column, level, offered)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = column.number_format  # the column's style: cells typed later take it
    if offered is not None:
        code, name = letters["area_code"], letters[None]
        for row in range(2, FORMULA_ROWS + 2):
            cell = sheet[f"{name}{row}"]
            cell.value = f'=IF({code}{row}="","",IFERROR(VLOOKUP({code}{row},planmap_area_names,2,FALSE),"ไม่พบรหัสนี้"))'
            cell.font = _font(italic=True, color="595959")
    for column in columns:
        if column.field is None:
            continue
        letter = letters[column.field]
        validation = _validation(column, level, offered, f"{letter}2")
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(validation)


def _comment(column: Column, level: str, offered: Sequence[Area] | None) -> Comment:
    meaning = _area_meaning(level, offered)[0] if column.field == "area_code" else column.meaning_th
    required = "ต้องกรอก" if column.required(level) else "ไม่บังคับ" if column.field else "ไม่ต้องกรอก"
    comment = Comment(f"{required}: {meaning}", "planmap", width=320, height=160)
    return comment


def _validation(column: Column, level: str, offered: Sequence[Area] | None, first: str) -> DataValidation:
    """The check Excel applies while typing; stop = refused, warning = asked to confirm.
    ``first``: the column's first data cell (a custom formula is written for it; Excel moves
    the relative reference along the range)."""
    prompt = column.prompt
    kind: dict[str, object] = {}
    error = None
    style = "stop"
    if column.field == "amount":
        kind = {"type": "decimal", "operator": "between", "formula1": "0", "formula2": str(MAX_AMOUNT)}
        error = "วงเงินต้องเป็นตัวเลขไม่ติดลบ หน่วยเป็นบาท (ไม่ต้องพิมพ์คำว่าบาทหรือเครื่องหมายอื่น)"
    elif column.field == "fiscal_year":
        kind = {"type": "whole", "operator": "between", "formula1": str(BE_MIN), "formula2": str(BE_MAX)}
        error = f"ปีงบประมาณต้องเป็นปี พ.ศ. 4 หลัก ระหว่าง {BE_MIN} ถึง {BE_MAX} เช่น 2571"
    elif column.field == "area_code":
        lengths = CODE_LENGTHS[level]
        if offered is not None:
            kind = {"type": "list", "formula1": "planmap_area_codes"}
            error = "รหัสนี้ไม่อยู่ในรายการรหัสพื้นที่ของแบบฟอร์มนี้ เลือกจากรายการ หรือดูแผ่นงาน รหัสพื้นที่"
            prompt = f"เลือกรหัสจากรายการ: {' '.join(_LENGTH_TH[n] for n in lengths)}"
        else:
            allowed = (*lengths, 8) if 8 not in lengths else lengths
            checks = ",".join(f"LEN({first})={n}" for n in allowed)
            kind = {"type": "custom", "formula1": f"AND(ISNUMBER({first}),{first}=INT({first}),OR({checks}))"}
            error = f"รหัสพื้นที่ต้องเป็นตัวเลข {' หรือ '.join(_LENGTH_TH[n] for n in allowed)} (รหัสกรมการปกครอง)"
            prompt = f"รหัสพื้นที่ตัวเลข: {' '.join(_LENGTH_TH[n] for n in allowed)}"
    elif column.field == "village":
        kind = {"type": "whole", "operator": "between", "formula1": "1", "formula2": "99"}
        error = "หมู่ที่ต้องเป็นตัวเลข 1–99"
    elif column.field == "title":
        kind = {"type": "textLength", "operator": "lessThanOrEqual", "formula1": str(MAX_TEXT)}
        error = f"ชื่อโครงการยาวเกิน {MAX_TEXT:,} ตัวอักษร"
    elif column.field == "sector":
        kind, style = {"type": "list", "formula1": "planmap_sectors"}, "warning"
        error = "ด้านนี้ไม่อยู่ในรายการ ถ้าต้องการใช้ด้านนี้จริง ให้กด ใช่ (Yes)"
    elif column.field == "ministry":
        kind, style = {"type": "list", "formula1": "planmap_ministries"}, "warning"
        error = "ชื่อนี้ไม่ตรงกับรายการกระทรวง ถ้าต้องการใช้ชื่อนี้จริง ให้กด ใช่ (Yes)"
    elif column.field == "beyond_capacity":
        kind = {"type": "list", "formula1": f'"{YES},{NO}"'}
        error = f"เลือก {YES} หรือ {NO} (หรือเว้นว่าง)"
    validation = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=column.header[:32],
        prompt=prompt[:255],
        showErrorMessage=error is not None,
        errorStyle=style,
        errorTitle=column.header[:32],
        error=(error or "")[:225] or None,  # Excel shows at most 225 characters
        **kind,  # type: ignore[arg-type]
    )
    return validation


def _area_meaning(level: str, offered: Sequence[Area] | None) -> tuple[str, str]:
    lengths = CODE_LENGTHS[level]
    th = " ".join(_LENGTH_TH[n] for n in lengths)
    en = ", ".join(_LENGTH_EN[n] for n in lengths)
    village = level == "village"
    text_th = f"รหัสพื้นที่ของโครงการตามกรมการปกครอง ({th})"
    text_en = f"The DOPA code of the place of the item ({en})"
    if village:
        text_th += " กรอกรหัสตำบลแล้วกรอกเลขหมู่ที่ในคอลัมน์ หมู่ที่"
        text_en += "; give the tambon code here and the village number in หมู่ที่"
    if offered is not None:
        text_th += " เลือกจากรายการ (ดูชื่อในแผ่นงานที่ซ่อน รหัสพื้นที่ หรือในคอลัมน์ชื่อพื้นที่ที่แสดงอัตโนมัติ)"
        text_en += "; pick from the list (names in the hidden sheet รหัสพื้นที่ and in the area-name column)"
    else:
        allowed = (*lengths, 8) if 8 not in lengths else lengths
        text_th += (
            " ไม่มีรายการรหัสเพราะสร้างแบบฟอร์มโดยไม่มีฐานข้อมูล: ตรวจเพียงว่าเป็นตัวเลข "
            + " หรือ ".join(_LENGTH_TH[n] for n in allowed)
            + " ระบบตรวจกับทะเบียนพื้นที่ตอนนำเข้า"
        )
        text_en += (
            "; made without a database, so there is no code list: Excel checks for a whole number of "
            + " or ".join(str(n) for n in allowed)
            + " digits, and the import checks the code against the gazetteer"
        )
    return text_th, text_en


def _example(level: str, offered: Sequence[Area] | None, year: int) -> dict[str | None, object]:
    """One plausible item of the plan, column by column (shown on the instructions sheet)."""
    tambon = next((a for a in offered or () if len(a.code) == 6), None)
    code = tambon.code if tambon else "370101"
    label = tambon.label if tambon else "ต.บุ่ง อ.เมืองอำนาจเจริญ จ.อำนาจเจริญ"
    place = label.split(" ")[0].removeprefix("ต.").removeprefix("แขวง")
    local = level in ("village", "tambon", "local")
    return {
        "item_ref": f"{year}-001",
        "title": f"ก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3 บ้านหนองบัว ตำบล{place}",
        "amount": 1_250_000,
        "fiscal_year": year,
        "area_code": int(code),
        "village": 3 if level == "village" else None,
        None: label if offered is not None else None,
        "sector": SECTORS[0],
        "strategy": "ยุทธศาสตร์ที่ 1 การพัฒนาโครงสร้างพื้นฐาน",
        "agency": f"อบต.{place}" if local else "กรมทางหลวงชนบท",
        "ministry": "กระทรวงมหาดไทย" if local else "กระทรวงคมนาคม",
        "beyond_capacity": YES,
        "escalated_to_ref": None,
        "date": f"15/03/{year - 1}",
    }


def _instructions(
    sheet: Worksheet,
    columns: Sequence[Column],
    level: str,
    offered: Sequence[Area] | None,
    scope: Sequence[Area],
    example: dict[str | None, object],
    today: dt.date,
) -> None:
    """Thai first, English below: what the file is for, how to fill it, one line per column
    with an example value. Written so that no row here reads as a header with data under it."""
    name_th, name_en = LEVEL_NAMES[level]
    months_th, months_en = LEVEL_MONTHS[level]
    where = ", ".join(f"{a.label} ({a.code})" if a.label != a.code else a.code for a in scope)
    for letter, width in {"A": 30, "B": 14, "C": 90, "D": 44}.items():
        sheet.column_dimensions[letter].width = width
    sheet.sheet_view.showGridLines = False
    row = 1

    def put(label: object, text: object = None, *, bold: bool = False, size: int = SIZE) -> int:
        """A label in column A and a text in column C (None: the label spans A–D)."""
        nonlocal row
        first = sheet.cell(row, 1, label)
        first.font, first.alignment = _font(bold=bold or text is not None, size=size), _WRAP
        if text is None:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            long = len(str(label or ""))
        else:
            cell = sheet.cell(row, 3, text)
            cell.font, cell.alignment = _font(), _WRAP
            long = len(str(text))
        if long > 120:  # merged and long cells do not grow by themselves
            sheet.row_dimensions[row].height = 24 * (long // 120 + 1)
        row += 1
        return row - 1

    put(f"แบบฟอร์มนำเข้า{name_th} — planmap", bold=True, size=20)
    level_row = put("ระดับแผน", f"ไฟล์นี้ใช้กับ{name_th}เท่านั้น ระดับแผนกำหนดตอนนำเข้า (--level {level}) ไม่ได้อ่านจากช่องนี้")
    cell = sheet.cell(level_row, 2, name_th)
    cell.font, cell.fill, cell.border, cell.alignment = _font(bold=True), _TITLE_FILL, _BOX, _WRAP
    choice = DataValidation(type="list", formula1="planmap_levels", allow_blank=False)
    choice.add(cell.coordinate)
    sheet.add_data_validation(choice)
    put("พื้นที่", where or "ทั้งประเทศ")
    put("ช่วงเวลาจัดทำตามปฏิทิน", months_th)
    put("สร้างแบบฟอร์มเมื่อ", f"{today.day}/{today.month}/{today.year + 543}")
    row += 1
    put("วิธีกรอก", bold=True, size=18)
    for step in (
        f"1. กรอกโครงการละ 1 แถวในแผ่นงาน “{DATA_SHEET}” เริ่มที่แถว 2 ทุกแถวที่มีข้อมูลจะถูกนำเข้าเป็นโครงการจริง",
        "2. อย่าแก้ชื่อหัวคอลัมน์ในแถว 1 (สลับลำดับคอลัมน์ได้ ลบคอลัมน์ที่ไม่บังคับได้) ระบบอ่านไฟล์นี้ได้เองโดยไม่ต้องจับคู่คอลัมน์",
        "3. หัวคอลัมน์สีส้มต้องกรอกทุกแถว หัวสีฟ้าไม่บังคับ หัวสีเทาระบบแสดงให้เองและไม่ถูกนำเข้า"
        " เลือกเซลล์แล้วจะมีคำแนะนำขึ้น ค่าที่ผิดรูปแบบ Excel จะไม่รับ",
        "4. ตัวอย่างการกรอกอยู่ในคอลัมน์ “ตัวอย่าง” ของตารางด้านล่าง เป็นเพียงตัวอย่าง ไม่ถูกนำเข้า"
        f" แผ่นงานนี้และแผ่นงานที่ซ่อนไว้ไม่ถูกนำเข้า และไม่มีแถวตัวอย่างในแผ่นงาน “{DATA_SHEET}”"
        " จึงไม่ต้องลบแถวใดก่อนนำเข้า",
        "5. " + _area_meaning(level, offered)[0],
        f"6. นำเข้าด้วยคำสั่ง planmap import plans --level {level} <ไฟล์>.xlsx (ไม่ต้องใช้ --mapping)"
        " ถ้ามีแถวผิดแม้แถวเดียว ระบบจะไม่นำเข้าทั้งไฟล์ และรายงานชื่อไฟล์ แผ่นงาน แถว คอลัมน์ และค่าที่ผิด"
        " ให้แก้แล้วนำเข้าใหม่ การนำเข้าไฟล์เดิมซ้ำไม่ทำให้โครงการซ้ำ",
        "7. ถ้ากรอกคอลัมน์ ส่งต่อไปยัง ให้นำเข้าแผนระดับที่รับโครงการไปก่อน",
    ):
        put(step)
    row += 1
    _column_table(
        sheet,
        row,
        ("คอลัมน์", "ต้องกรอก", "ความหมายและวิธีกรอก", "ตัวอย่าง (ไม่ถูกนำเข้า)"),
        [
            (
                c.header,
                "ต้องกรอก" if c.required(level) else ("ไม่บังคับ" if c.field else "ไม่ต้องกรอก"),
                _area_meaning(level, offered)[0] if c.field == "area_code" else c.meaning_th,
                example.get(c.field),
                c.number_format,
            )
            for c in columns
        ],
    )
    row += len(columns) + 3
    put(f"Instructions (English): the template of the {name_en.lower()} ({level})", bold=True, size=18)
    for step in (
        f"Plan level: {name_en}. The level is given when importing (--level {level}), not read from this file.",
        f"Areas: {where or 'the whole country'}. Made in: {months_en} (annual planning calendar).",
        f"1. One plan item per row on sheet “{DATA_SHEET}”, from row 2. Every filled row is imported as a real item.",
        "2. Keep the headers of row 1 as they are (columns may be reordered, optional ones deleted): the file"
        " imports with no column mapping.",
        "3. Orange headers must be filled on every row, blue ones are optional, the grey one is shown by the"
        " file and never imported. Selecting a cell shows a hint; Excel refuses malformed values.",
        "4. The example is the “Example” column of the table below and is not imported. This sheet and the"
        f" hidden ones are never imported, and sheet “{DATA_SHEET}” holds no example row, so nothing has to be"
        " deleted before importing.",
        "5. " + _area_meaning(level, offered)[1] + ".",
        f"6. Import with: planmap import plans --level {level} <file>.xlsx (no --mapping). If any row is wrong,"
        " nothing is loaded and the report names the file, sheet, row, column and value; fix it and import"
        " again. Importing the same file again adds nothing twice.",
        "7. Rows that use ส่งต่อไปยัง (escalated to) need the plan that took the item up imported first.",
    ):
        put(step)
    row += 1
    _column_table(
        sheet,
        row,
        ("Column", "Required", "Meaning and how to fill it in", "Example (not imported)"),
        [
            (
                f"{c.header} ({c.english})",
                "yes" if c.required(level) else ("no" if c.field else "do not fill"),
                _area_meaning(level, offered)[1] if c.field == "area_code" else c.meaning_en,
                example.get(c.field),
                c.number_format,
            )
            for c in columns
        ],
    )


def _column_table(sheet: Worksheet, top: int, header: Sequence[str], rows: Sequence[tuple]) -> None:
    """One line per column of the data sheet: its header, required or not, meaning, example."""
    for col, text in enumerate(header, 1):
        cell = sheet.cell(top, col, text)
        cell.font, cell.fill, cell.border, cell.alignment = _font(bold=True), _OPTIONAL_FILL, _BOX, _WRAP
    for offset, (name, required, meaning, example, number_format) in enumerate(rows, 1):
        values = (name, required, meaning, example)
        for col, value in enumerate(values, 1):
            cell = sheet.cell(top + offset, col, value)
            cell.font = _font(bold=col == 1)
            cell.border, cell.alignment = _BOX, _WRAP
        sheet.cell(top + offset, 4).number_format = number_format
        sheet.cell(top + offset, 4).alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")


# --------------------------------------------------------------------------- entry points


def plans_template(
    conn: psycopg.Connection | None,
    level: str,
    within: Sequence[str] | None = None,
    *,
    offline: str | None = None,
    today: dt.date | None = None,
) -> Template:
    """The template of ``level`` for the areas ``within`` (None: the whole country). Without a
    connection the code column gets a format check and the note says why (``offline``)."""
    if level not in PLAN_LEVELS:
        raise ValueError(f"unknown plan level {level!r}; one of {', '.join(PLAN_LEVELS)}")
    if conn is None:
        scope = [Area(code, code) for code in within or () if code != COUNTRY]  # no names without a database
        book = build_template(level, areas=None, scope=scope, today=today)
        note = "no database" + (f" ({offline})" if offline else "") + ": the area-code column has a format check only"
        return Template(level, _bytes(book), None, note)
    areas, scope = template_areas(conn, within)
    book = build_template(level, areas=areas, scope=[a for a in scope if a.code != COUNTRY], today=today)
    offered = sum(len(a.code) in CODE_LENGTHS[level] for a in areas)
    return Template(level, _bytes(book), offered)


def template_bytes(conn: psycopg.Connection, level: str, within: Sequence[str] | None = None) -> bytes:
    """The file the dashboard serves (its ``planmap.templates`` entry point)."""
    return plans_template(conn, level, within).data


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
