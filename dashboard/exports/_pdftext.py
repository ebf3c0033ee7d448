"""Workarounds for shaped Thai text in matplotlib 3.11's PDF backend: placement and text layer.

Placement. The PDF backend places text with ``TJ`` (advance from the font's widths plus
``prev_kern`` of each shaped glyph) and, whenever it switches font or glyph subset, re-anchors at
the glyph's absolute ``x`` *and still adds* ``prev_kern``. Thai clusters (consonant + vowel + tone
mark, e.g. เงื่อน) are multi-character glyphs that live in another subset, so every cluster
boundary is a switch and the following letter lands ``prev_kern`` too far: visible gaps in PDF
text that the PNG does not have. Yielding ``x - prev_kern`` as the anchor makes both paths land on
``x`` (``x`` is read only at switches).

Text layer. libraqm gives *every* glyph of a cluster the cluster's whole text as ``char`` (จั is
two glyphs, จ and the vowel, both reading "จั"). The backend tracks each (text, glyph) pair as its
own character code and its ToUnicode CMap maps each code to that text, so extraction repeats the
cluster once per glyph: "จัจัดสรร". We make each cluster's glyphs share its text instead (see
``_shares``; the others map to the empty string ``<>``, the usual ToUnicode entry for trailing
glyphs of a cluster). Only the CMap changes: the glyphs drawn and their positions do not.

Applied only while our own PDFs are written, and each part only while backend_pdf still has the
shape it corrects (a fixed matplotlib is left alone; ``test_pdf_places_thai_clusters_like_the_png``
and ``test_pdf_text_layer_reads_thai_clusters_once`` check the result either way).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from matplotlib import _text_helpers
from matplotlib.backends import _backend_pdf_ps, backend_pdf
from matplotlib.ft2font import LoadFlags

# A Unicode noncharacter ("for internal use"), never in our texts. A glyph that stands for other
# text than its cluster's is tracked as MARK text MARK cluster: a key of its own, kept out of the
# identity subset 0 (longer than one character), that the ToUnicode CMap reads back as text.
_MARK = "\ufdd0"


@dataclass(frozen=True, slots=True)
class _Item:
    char: str
    ft_object: object
    glyph_index: int
    x: float
    y: float
    prev_kern: float


def _cluster_sizes(text: str, chars: Sequence[str], glyphs: Sequence[object]) -> list[int] | None:
    """How many glyphs each cluster has, given each glyph's cluster text ``chars``.

    A run of glyphs reading the same text may be one cluster (จั: two glyphs) or several equal
    clusters (รร: one glyph each), so the run is split into the most copies that ``text`` holds
    at that point, that repeat the same glyphs and that leave ``text`` continuing with the next
    run. None when the glyphs do not follow ``text`` in order (e.g. right-to-left runs): the
    caller then keeps the backend's mapping rather than guess."""
    sizes: list[int] = []
    pos = i = 0
    while i < len(chars):
        cluster = chars[i]
        j = i
        while j < len(chars) and chars[j] == cluster:
            j += 1
        run, after = list(glyphs[i:j]), (chars[j] if j < len(chars) else "")
        for copies in range(len(run), 0, -1):
            size = len(run) // copies
            end = pos + copies * len(cluster)
            if (
                len(run) % copies == 0
                and text.startswith(cluster * copies, pos)
                and text.startswith(after, end)
                and run == run[:size] * copies
            ):
                break
        else:
            return None
        sizes += [size] * copies
        pos, i = end, j
    return sizes


def _shares(cluster: str, advances: Sequence[bool]) -> list[str]:
    """The text each glyph of one cluster stands for: all of it on the first glyph, except that
    each later glyph that advances the pen takes one of the last characters. ำ is drawn as ํ
    plus า; text only on the first glyph would leave า's width blank and extraction would read
    a word break there ("อำ นาจ")."""
    later = [n for n, advance in enumerate(advances) if n and advance]
    keep = len(cluster) - len(later)
    if keep < 1:
        later, keep = [], len(cluster)
    shares = [cluster[:keep]] + [""] * (len(advances) - 1)
    for n, char in zip(later, cluster[keep:]):
        shares[n] = char
    return shares


def _texts(string: str, items: Sequence) -> list[str] | None:
    sizes = _cluster_sizes(string, [i.char for i in items], [(i.ft_object, i.glyph_index) for i in items])
    if sizes is None:
        return None
    texts: list[str] = []
    for size in sizes:
        glyphs = items[len(texts) : len(texts) + size]
        advances = [
            size > 1 and g.ft_object.load_glyph(g.glyph_index, flags=LoadFlags.NO_HINTING).horiAdvance > 0
            for g in glyphs
        ]
        texts += _shares(glyphs[0].char, advances)
    return texts


def _layout(string: str, font, **kwargs) -> Iterator[_Item]:
    items = list(_text_helpers.layout(string, font, **kwargs))
    texts = _texts(string, items) if _text_layer_needed() else None
    shift = _anchor_needed()
    for n, item in enumerate(items):
        char = item.char
        if texts is not None and texts[n] != char:
            char = f"{_MARK}{texts[n]}{_MARK}{char}"
        x = item.x - item.prev_kern if shift else item.x
        yield _Item(char, item.ft_object, item.glyph_index, x, item.y, item.prev_kern)


class _CharacterTracker(_backend_pdf_ps.CharacterTracker):
    def subset_to_unicode(self, fontname, subset, subset_charcode) -> str:
        chars = super().subset_to_unicode(fontname, subset, subset_charcode)
        return chars.split(_MARK)[1] if chars.startswith(_MARK) else chars


def _source(function) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


@functools.cache
def _anchor_needed() -> bool:
    source = _source(backend_pdf.RendererPdf.draw_text)
    return "self._setup_textpos(item.x" in source and "singlebyte_chunk.append(item.prev_kern)" in source


@functools.cache
def _text_layer_needed() -> bool:
    return (
        "item.char" in _source(backend_pdf.RendererPdf.draw_text)
        and "subset_to_unicode" in _source(backend_pdf.PdfFile.embedTTF)
        and "subset_to_unicode" in vars(_backend_pdf_ps.CharacterTracker)
    )


@contextlib.contextmanager
def shaped_pdf_text() -> Iterator[None]:
    """While active, backend_pdf places shaped text and writes its text layer as described
    above. Callers hold the export render lock, so no other thread sees the swap. Open the
    PdfPages inside too: its character tracker, which writes the ToUnicode CMaps, is made then."""
    swaps: dict[str, object] = {}
    if _anchor_needed() or _text_layer_needed():
        swaps["_text_helpers"] = types.SimpleNamespace(**{**vars(_text_helpers), "layout": _layout})
    if _text_layer_needed():
        swaps["_backend_pdf_ps"] = types.SimpleNamespace(
            **{**vars(_backend_pdf_ps), "CharacterTracker": _CharacterTracker}
        )
    originals = {name: getattr(backend_pdf, name) for name in swaps}
    for name, value in swaps.items():
        setattr(backend_pdf, name, value)
    try:
        yield
    finally:
        for name, value in originals.items():
            setattr(backend_pdf, name, value)
