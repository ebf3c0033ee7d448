"""The shapes of the meeting pack's slides, and the one sizing rule both writers follow.

``dashboard.exports.pack`` builds the content (``Slide``: a title, cards, a table, lines);
``pack_pptx`` and ``pack_pdf`` draw it. Both writers import only this module, so the content
builder and the writers do not import each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dashboard import i18n
from dashboard.exports.mapimage import visible_length, wrap
from dashboard.exports.model import PackData
from dashboard.i18n import t

MAP_TEXT_SCALE = 1.25  # map texts a quarter larger on a projected slide
SLIDE_SIZE = (40 / 3, 7.5)  # inches, 16:9 (PowerPoint's 12,192,000 × 6,858,000 EMU)


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...]  # 'l' or 'r' per column
    widths: tuple[float, ...]  # relative column widths


@dataclass(frozen=True)
class Slide:
    kind: str  # title | map | kpi | table | notes
    title: str
    lines: tuple[str, ...] = ()
    cards: tuple[Card, ...] = ()
    table: Table | None = None


LINE_SIZE = {"kpi": 12.0, "table": 20.0, "notes": 15.0}  # points, text lines under the table


def table_metrics(table: Table) -> tuple[float, float, float]:
    """Font size (pt), row height and header height (inches): one rule for PPTX and PDF."""
    cols = len(table.header)
    size, row_h = (15.0, 0.45) if cols <= 5 else (13.0, 0.42)
    header_lines = max(h.count("\n") + 1 for h in table.header)
    return size, row_h, row_h if header_lines == 1 else 0.28 * header_lines + 0.12


CARD_VALUE_SIZE = 26.0  # points; the value of a KPI card, shrunk to fit its card
CARD_LABEL_SIZE = 15.0
_CHAR = 0.62  # a character is about this many ems wide (Thai and Latin digits)


def fit_size(text: str, width: float, size: float, lines: int = 1, smallest: float = 9.0) -> float:
    """The largest font size (pt, at most ``size``) at which ``text`` fits ``width`` inches in at
    most ``lines`` lines: long Thai words ("ไม่มีข้อมูลงบประมาณ") must not run into the next card."""
    need = visible_length(text) * _CHAR / 72 / lines
    return max(smallest, min(size, width / need if need else size))


def lines_size(lines: Sequence[str], kind: str, available: float) -> float:
    """The font size (pt) of a slide's text lines: the slide's own size, smaller when the lines
    (wrapped at the slide's width) would not fit the ``available`` inches above the footer."""
    size = LINE_SIZE[kind]
    while size > 9:
        rows = sum(len(wrap(line, int(12.3 * 72 / (size * 0.5)))) for line in lines)
        if rows * size / 72 * 1.55 + len(lines) * size / 72 * 0.45 <= available:
            break
        size -= 0.5
    return size


def table_height(table: Table) -> float:
    _, row_h, header_h = table_metrics(table)
    return header_h + row_h * len(table.rows)


def footer(pack: PackData) -> str:
    meta, lang = pack.meta, pack.meta.lang
    parts = [
        area_name(pack),
        i18n.fiscal_year(meta.fiscal_year, lang),
        f"{t('data_date', lang)} {i18n.when(meta.data_date, lang)}",
        "planmap",
    ]
    if meta.synthetic:
        parts.insert(0, t("synthetic", lang))
    return " · ".join(parts)


def area_name(pack: PackData) -> str:
    lang = pack.meta.lang
    if pack.area.code == "TH":
        return t("thailand", lang)
    level = i18n.area_level(pack.area.level, lang)
    return f"{level}{i18n.name(pack.area, lang)}" if lang == "th" else f"{i18n.name(pack.area, lang)} {level.lower()}"
