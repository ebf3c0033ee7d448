"""The meeting pack as PowerPoint (python-pptx), 16:9, sized for a projector.

python-pptx embeds no fonts, so every run names its fonts explicitly: Latin text in Noto Sans and
Thai (a complex script, which PowerPoint draws with the ``a:cs`` font) in Noto Sans Thai, with
the run's language set to Thai. A machine without these fonts substitutes a Thai-capable one
(Leelawadee/Tahoma on Windows); the PDF pack embeds them for when the exact look matters.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard.exports.fonts import LATIN_FAMILY, THAI_FAMILY
from dashboard.exports.mapimage import render_map
from dashboard.exports.model import PackData
from dashboard.exports.slides import (
    CARD_LABEL_SIZE,
    CARD_VALUE_SIZE,
    MAP_TEXT_SCALE,
    SLIDE_SIZE,
    Card,
    Slide,
    Table,
    fit_size,
    footer,
    lines_size,
    table_height,
    table_metrics,
)
from dashboard.i18n import t

TITLE_ONLY = 5  # layout of the default template with just a title
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
INK = RGBColor(0x22, 0x22, 0x22)
MUTED = RGBColor(0x59, 0x59, 0x59)
ACCENT = RGBColor(0xBD, 0x00, 0x26)
CARD_FILL = RGBColor(0xF3, 0xF5, 0xF8)
MAP_SIZE = (12.73, 5.75)  # inches of the map picture on its slide
MAP_DPI = 150


def build_pptx(slides: Sequence[Slide], pack: PackData) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(round(SLIDE_SIZE[0] * 914400)), Emu(round(SLIDE_SIZE[1] * 914400))
    deck.core_properties.title = pack.meta.title
    deck.core_properties.subject = pack.meta.filter_text()
    deck.core_properties.author = "planmap"
    deck.core_properties.language = "th-TH" if pack.meta.lang == "th" else "en-US"
    total = len(slides)
    for number, content in enumerate(slides, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
        _title(slide, content)
        if content.kind == "title":
            _title_slide(slide, content)
        else:
            _footer(slide, footer(pack), t("slide_of", pack.meta.lang, n=number, total=total))
        if content.kind == "map":
            png = render_map(
                pack.map_view, "png", dpi=MAP_DPI, size=MAP_SIZE, show_title=False, text_scale=MAP_TEXT_SCALE
            )
            slide.shapes.add_picture(io.BytesIO(png), Inches(0.3), Inches(1.25), width=Inches(MAP_SIZE[0]))
        top = 1.35
        if content.cards:
            _cards(slide, content.cards, top)
            top += 1.95
        if content.table is not None and content.table.rows:
            _table(slide, content.table, top)
            top += table_height(content.table) + 0.2
        if content.kind != "title" and content.lines:
            _lines(slide, content.lines, top, size=lines_size(content.lines, content.kind, 6.95 - top))
        _fonts(slide)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _title(slide, content: Slide) -> None:
    shape = slide.shapes.title
    if content.kind == "title":
        shape.left, shape.top, shape.width, shape.height = Inches(0.8), Inches(1.6), Inches(11.7), Inches(1.8)
    else:
        shape.left, shape.top, shape.width, shape.height = Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.85)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE if content.kind != "title" else MSO_ANCHOR.BOTTOM
    frame.text = content.title
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(40 if content.kind == "title" else 30)
            run.font.bold = True
            run.font.color.rgb = NAVY
    if content.kind != "title":
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(0.5), Inches(1.1), Inches(12.3), Inches(0.05))
        bar.fill.solid()
        bar.fill.fore_color.rgb = ACCENT
        bar.line.fill.background()


def _textbox(
    slide,
    left: float,
    top: float,
    width: float,
    height: float,
    lines: Sequence[str],
    *,
    size: float,
    color: RGBColor = INK,
    bold: bool = False,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for n, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color
    return box


def _title_slide(slide, content: Slide) -> None:
    first, *rest = content.lines
    _textbox(slide, 0.8, 3.6, 11.7, 0.7, [first], size=28, color=INK, bold=True)
    _textbox(slide, 0.8, 4.35, 11.7, 2.6, rest, size=22, color=MUTED)


def _footer(slide, text: str, page: str) -> None:
    _textbox(slide, 0.5, 7.05, 10.8, 0.35, [text], size=11, color=MUTED)
    _textbox(slide, 11.3, 7.05, 1.5, 0.35, [page], size=11, color=MUTED, align=PP_ALIGN.RIGHT)


def _cards(slide, cards: Sequence[Card], top: float) -> None:
    gap, left, width = 0.2, 0.5, 12.3
    card_w = (width - gap * (len(cards) - 1)) / len(cards)
    for n, card in enumerate(cards):
        x = left + n * (card_w + gap)
        box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(x), Inches(top), Inches(card_w), Inches(1.75))
        box.fill.solid()
        box.fill.fore_color.rgb = CARD_FILL
        box.line.fill.background()
        box.adjustments[0] = 0.08
        _textbox(
            slide,
            x + 0.12,
            top + 0.08,
            card_w - 0.24,
            0.45,
            [card.label],
            size=fit_size(card.label, card_w - 0.24, CARD_LABEL_SIZE + 1, lines=2, smallest=10),
            color=MUTED,
        )
        _textbox(
            slide,
            x + 0.12,
            top + 0.5,
            card_w - 0.24,
            0.65,
            [card.value],
            size=fit_size(card.value, card_w - 0.24, CARD_VALUE_SIZE + 4),
            color=NAVY,
            bold=True,
        )
        _textbox(slide, x + 0.12, top + 1.12, card_w - 0.24, 0.6, [card.detail], size=11.5, color=MUTED)


def _table(slide, table: Table, top: float) -> None:
    rows, cols = len(table.rows) + 1, len(table.header)
    size, row_h, header_h = table_metrics(table)
    width = 12.3
    shape = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(top), Inches(width), Inches(table_height(table)))
    grid = shape.table
    unit = width / sum(table.widths)
    for c, w in enumerate(table.widths):
        grid.columns[c].width = Emu(int(Inches(w * unit)))
    for r in range(rows):
        grid.rows[r].height = Inches(header_h if r == 0 else row_h)
        values = table.header if r == 0 else table.rows[r - 1]
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(0.08)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            frame = cell.text_frame
            frame.word_wrap = True
            for n, line in enumerate(str(value).split("\n")):
                paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
                paragraph.alignment = PP_ALIGN.RIGHT if table.align[c] == "r" else PP_ALIGN.LEFT
                run = paragraph.add_run()
                run.text = line
                run.font.size = Pt(size - 1 if r == 0 else size)
                run.font.bold = r == 0


def _lines(slide, lines: Sequence[str], top: float, *, size: float) -> None:
    _textbox(slide, 0.5, top, 12.3, max(7.0 - top, 0.4), list(lines), size=size, color=INK if size >= 15 else MUTED)


def _fonts(slide) -> None:
    """Noto Sans for Latin and Noto Sans Thai for Thai (``a:cs``) on every run, language Thai."""
    for run in _runs(slide.shapes):
        run.font.name = LATIN_FAMILY
        run.font.language_id = MSO_LANGUAGE_ID.THAI
        r_pr = run._r.get_or_add_rPr()
        for old in r_pr.findall(qn("a:cs")):
            r_pr.remove(old)
        cs = r_pr.makeelement(qn("a:cs"), {"typeface": THAI_FAMILY})
        r_pr.find(qn("a:latin")).addnext(cs)


def _runs(shapes):
    for shape in shapes:
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                yield from paragraph.runs
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    for paragraph in cell.text_frame.paragraphs:
                        yield from paragraph.runs
