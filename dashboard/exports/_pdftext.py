"""A workaround for shaped Thai text in matplotlib 3.11's PDF backend.

The PDF backend places text with ``TJ`` (advance from the font's widths plus ``prev_kern`` of
each shaped glyph) and, whenever it switches font or glyph subset, re-anchors at the glyph's
absolute ``x`` *and still adds* ``prev_kern``. Thai clusters (consonant + vowel + tone mark, e.g.
เงื่อน) are multi-character glyphs that live in another subset, so every cluster boundary is a
switch and the following letter lands ``prev_kern`` too far: visible gaps in PDF text that the
PNG does not have. Yielding ``x - prev_kern`` as the anchor makes both paths land on ``x``
(``x`` is read only at switches). Applied only while our own PDFs are written, and only while
``RendererPdf.draw_text`` still has that shape (a fixed matplotlib is left alone; the test
``test_pdf_places_thai_clusters_like_the_png`` compares PDF and PNG letter spacing either way).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import types
from collections.abc import Iterator
from dataclasses import dataclass

from matplotlib import _text_helpers
from matplotlib.backends import backend_pdf


@dataclass(frozen=True, slots=True)
class _Item:
    char: str
    ft_object: object
    glyph_index: int
    x: float
    y: float
    prev_kern: float


def _layout(*args, **kwargs) -> Iterator[_Item]:
    for item in _text_helpers.layout(*args, **kwargs):
        yield _Item(item.char, item.ft_object, item.glyph_index, item.x - item.prev_kern, item.y, item.prev_kern)


@functools.cache
def _needed() -> bool:
    try:
        source = inspect.getsource(backend_pdf.RendererPdf.draw_text)
    except (OSError, TypeError):
        return False
    return "self._setup_textpos(item.x" in source and "singlebyte_chunk.append(item.prev_kern)" in source


@contextlib.contextmanager
def shaped_pdf_text() -> Iterator[None]:
    """While active, backend_pdf lays text out with anchors corrected as described above.
    Callers hold the export render lock, so no other thread sees the swap."""
    if not _needed():
        yield
        return
    original = backend_pdf._text_helpers
    backend_pdf._text_helpers = types.SimpleNamespace(**{**vars(_text_helpers), "layout": _layout})
    try:
        yield
    finally:
        backend_pdf._text_helpers = original
