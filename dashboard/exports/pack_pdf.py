"""The meeting pack as PDF: one matplotlib page per slide, the same layout as the PPTX, the Thai
font embedded (TrueType subsets), and the map drawn as vectors on its page rather than pasted
as a picture. Pure Python: no LibreOffice, no browser."""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

import dashboard.exports.mapimage as mapimage
from dashboard.exports._pdftext import shaped_pdf_text
from dashboard.exports.fonts import thai_fonts
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

NAVY = "#1f3a5f"
INK = "#222222"
MUTED = "#595959"
ACCENT = "#bd0026"
CARD_FILL = "#f3f5f8"
HEADER_FILL = "#dde6f0"
STRIPE = "#f7f7f7"


def build_pdf(slides: Sequence[Slide], pack: PackData) -> bytes:
    buffer = io.BytesIO()
    meta = pack.meta
    info = {"Title": meta.title, "Subject": meta.filter_text(), "Creator": "planmap"}
    with mapimage._lock, rc_context(thai_fonts().rc()), shaped_pdf_text(), PdfPages(buffer, metadata=info) as pdf:
        for number, content in enumerate(slides, start=1):
            fig = Figure(figsize=SLIDE_SIZE)
            if content.kind == "map":
                mapimage.draw_map(fig, pack.map_view, title=content.title, text_scale=MAP_TEXT_SCALE)
            else:
                _page(fig, content, pack, number, len(slides))
            pdf.savefig(fig)
    return buffer.getvalue()


class _Page:
    """Text and boxes placed in inches from the top-left corner, as on the PPTX slide."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.w, self.h = fig.get_size_inches()

    def text(self, x: float, y: float, value: str, *, size: float, color: str = INK, **kw) -> None:
        self.fig.text(x / self.w, 1 - y / self.h, value, fontsize=size, color=color, parse_math=False, **kw)

    def box(self, x: float, y: float, w: float, h: float, color: str, *, rounded: bool = False) -> None:
        rect = (x / self.w, 1 - (y + h) / self.h)
        size = (w / self.w, h / self.h)
        if rounded:
            patch = FancyBboxPatch(
                rect,
                *size,
                boxstyle="round,pad=0,rounding_size=0.012",
                transform=self.fig.transFigure,
                facecolor=color,
                edgecolor="none",
            )
        else:
            patch = Rectangle(rect, *size, transform=self.fig.transFigure, facecolor=color, edgecolor="none")
        self.fig.patches.append(patch)


def _page(fig: Figure, content: Slide, pack: PackData, number: int, total: int) -> None:
    page = _Page(fig)
    if content.kind == "title":
        page.text(0.8, 3.35, content.title, size=36, color=NAVY, weight="bold", va="bottom", wrap=True)
        first, *rest = content.lines
        page.text(0.8, 3.95, first, size=26, weight="bold", va="center")
        for n, line in enumerate(rest):
            page.text(
                0.8,
                4.6 + n * 0.5,
                line,
                size=20,
                color=ACCENT if line == t("synthetic", pack.meta.lang) else MUTED,
                va="center",
            )
        return
    page.text(0.5, 0.68, content.title, size=26, color=NAVY, weight="bold", va="center")
    page.box(0.5, 1.1, 12.3, 0.05, ACCENT)
    page.text(0.5, 7.22, footer(pack), size=10, color=MUTED, va="center")
    page.text(
        12.8, 7.22, t("slide_of", pack.meta.lang, n=number, total=total), size=10, color=MUTED, va="center", ha="right"
    )
    top = 1.35
    if content.cards:
        _cards(page, content.cards, top)
        top += 1.95
    if content.table is not None and content.table.rows:
        _table(page, content.table, top)
        top += table_height(content.table) + 0.2
    size = lines_size(content.lines, content.kind, 6.95 - top)
    for line in content.lines:
        for part in mapimage.wrap(line, int(12.3 * 72 / (size * 0.5))):
            page.text(0.5, top + 0.08, part, size=size, va="top", color=INK if size >= 15 else MUTED)
            top += size / 72 * 1.55
        top += size / 72 * 0.45


def _cards(page: _Page, cards: Sequence[Card], top: float) -> None:
    gap, left, width = 0.2, 0.5, 12.3
    card_w = (width - gap * (len(cards) - 1)) / len(cards)
    for n, card in enumerate(cards):
        x = left + n * (card_w + gap)
        page.box(x, top, card_w, 1.75, CARD_FILL, rounded=True)
        label = fit_size(card.label, card_w - 0.3, CARD_LABEL_SIZE, lines=2, smallest=10)
        parts = mapimage.wrap(card.label, int((card_w - 0.3) * 72 / (label * 0.5)))
        for k, part in enumerate(parts[:2]):
            page.text(
                x + 0.15,
                top + 0.3 + (k - (len(parts[:2]) - 1) / 2) * label / 72 * 1.3,
                part,
                size=label,
                color=MUTED,
                va="center",
            )
        page.text(
            x + 0.15,
            top + 0.82,
            card.value,
            size=fit_size(card.value, card_w - 0.3, CARD_VALUE_SIZE),
            color=NAVY,
            weight="bold",
            va="center",
        )
        chars = int((card_w - 0.3) * 72 / (10.5 * 0.5))
        details = [line for part in card.detail.split(" · ") for line in mapimage.wrap(part, chars)]
        for k, part in enumerate(details[:3]):
            page.text(
                x + 0.15, top + 1.2 + k * 0.2, part, size=10.5 if len(details) <= 2 else 9.5, color=MUTED, va="center"
            )


def _table(page: _Page, table: Table, top: float) -> None:
    size, row_h, header_h = table_metrics(table)
    width, left = 12.3, 0.5
    unit = width / sum(table.widths)
    edges = [left]
    for w in table.widths:
        edges.append(edges[-1] + w * unit)
    page.box(left, top, width, header_h, HEADER_FILL)
    for c, value in enumerate(table.header):
        right = table.align[c] == "r"
        page.text(
            edges[c + 1] - 0.08 if right else edges[c] + 0.08,
            top + header_h / 2,
            value,
            size=size - 1,
            weight="bold",
            va="center",
            ha="right" if right else "left",
            linespacing=1.2,
            multialignment="right" if right else "left",
        )
    y = top + header_h
    for r, row in enumerate(table.rows):
        if r % 2:
            page.box(left, y, width, row_h, STRIPE)
        for c, value in enumerate(row):
            right = table.align[c] == "r"
            x = edges[c + 1] - 0.08 if right else edges[c] + 0.08
            page.text(x, y + row_h / 2, value, size=size, va="center", ha="right" if right else "left")
        y += row_h
    page.box(left, y, width, 0.02, "#9a9a9a")
