"""Schematic map: nested treemap rectangles province → district → tambon.

Why this exists: planmap must draw a map even when no boundary files are available
offline. The dashboard's map code (plotly ``Choroplethmap`` over GeoJSON in EPSG:4326)
only needs polygons keyed by DOPA code, so we synthesise them: a squarified treemap
laid out in longitude/latitude inside Thailand's bounding box, where every rectangle's
area is proportional to its number of tambons. The same rendering, hover, click-to-drill
and colouring code then works unchanged on real or schematic geometry.

Design choices (each explained where it is implemented):

* **Layout** uses ``squarify`` (Bruls, Huizing & van Wijk's squarified treemap), which
  keeps rectangles close to square so small units remain clickable.
* **Order** is deterministic and follows DOPA codes, which group provinces by region,
  so code-neighbours are drawn as neighbours. Before the treemap, provinces are split
  into DOPA regions arranged roughly where they lie (see :data:`_REGION_BANDS`): north
  and north-east on top, west/central/east in the middle, south at the bottom. A plain
  squarified treemap over all 77 provinces wanders (it switches from rows to columns
  as its leftover space changes shape), which left the central provinces in a column
  on the west and lower Isan at the bottom-left, level with the far south; the hidden
  region slice keeps Chiang Mai top-left, Isan top-right, Bangkok in the middle and
  the south at the bottom.
  Inside a region, and at every level below, cells are placed in *reading order*
  (rows from the top-left), so lower codes come first.
* **Borders**: every rectangle is shrunk inside the cell the treemap gives it by a
  margin that removes the same *fraction of area* (``gap``) from every cell. That keeps
  children strictly inside their parent and leaves a visible gutter between siblings at
  every level, while areas stay *exactly* proportional to tambon counts within a level
  (a uniform area factor, unlike a fixed linear inset that would penalise thin cells).
* Areas are measured in square degrees (plate carrée); the dashboard renders in Web
  Mercator, which stretches the north (lat 20.5°) about 6 % more than the south — good
  enough for a schematic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby

import geopandas as gpd
import numpy as np
import shapely
import squarify

__all__ = ["SCHEMATIC_BOUNDS", "DEFAULT_GAP", "schematic_layout"]

#: Thailand's bounding box in EPSG:4326 (minx, miny, maxx, maxy). It is about 1.8× taller
#: than wide, so filling it keeps the schematic lat-stretched like the country itself.
SCHEMATIC_BOUNDS: tuple[float, float, float, float] = (97.3, 5.6, 105.7, 20.5)

#: Fraction of each treemap cell's area given up to its border margin. At 0.06 a square
#: cell loses ~1.5 % of its side on each edge: enough for a visible gutter between
#: siblings at every zoom level, small enough that nesting three levels keeps 83 % of
#: the area for the tambons themselves.
DEFAULT_GAP: float = 0.06

#: Hidden layout level above provinces: bands from north to south, each a row of DOPA
#: regions from west to east, a region being the first digits of its province codes in
#: order. Band heights and region widths are proportional to tambon counts, so areas
#: stay exact. 5x upper north + 6x lower north | 4x upper + 3x lower north-east;
#: 7x west | 1x central (incl. Bangkok) | 2x east; 8x upper + 9x lower south.
#: Province codes whose first digit is not listed form one more region at the end of
#: the last band, so new codes never break the layout.
_REGION_BANDS: tuple[tuple[str, ...], ...] = (("56", "43"), ("7", "1", "2"), ("89",))

_LEVELS = ("province", "district", "tambon")

Rect = tuple[float, float, float, float]  # x, y, dx, dy (lower-left corner + size)


def _region_key(province: str) -> tuple[int, int, int]:
    """(band, region within band, rank of the first digit within the region)."""
    for b, band in enumerate(_REGION_BANDS):
        for r, digits in enumerate(band):
            if province[0] in digits:
                return (b, r, digits.index(province[0]))
    return (len(_REGION_BANDS) - 1, len(_REGION_BANDS[-1]), 0)


def _slice(sizes: Sequence[int], rect: Rect, horizontal: bool) -> list[Rect]:
    """Cut ``rect`` into strips proportional to ``sizes``: top-down, or left-right."""
    x, y, dx, dy = rect
    total = float(sum(sizes))
    out: list[Rect] = []
    offset = 0.0
    for size in sizes:
        share = size / total
        if horizontal:
            out.append((x + offset * dx, y, share * dx, dy))
        else:
            out.append((x, y + dy - (offset + share) * dy, dx, share * dy))
        offset += share
    return out


def _region_cells(prov_sizes: Mapping[str, int], root: Rect) -> list[tuple[list[str], Rect]]:
    """Group provinces into regions and give each region its rectangle in ``root``.

    Empty regions and bands are skipped, so any subset of provinces (down to one)
    still fills ``root``. Provinces within a region are in code order.
    """
    bands: dict[int, dict[int, list[str]]] = {}
    for province in sorted(prov_sizes, key=lambda p: (_region_key(p), p)):
        band, region, _ = _region_key(province)
        bands.setdefault(band, {}).setdefault(region, []).append(province)
    band_lists = [list(bands[b].values()) for b in sorted(bands)]
    band_sizes = [sum(prov_sizes[p] for reg in band for p in reg) for band in band_lists]
    out: list[tuple[list[str], Rect]] = []
    for band, band_rect in zip(band_lists, _slice(band_sizes, root, horizontal=False)):
        region_sizes = [sum(prov_sizes[p] for p in reg) for reg in band]
        out.extend(zip(band, _slice(region_sizes, band_rect, horizontal=True)))
    return out


def _treemap(sizes: Sequence[int], rect: Rect) -> list[Rect]:
    """Squarified treemap of ``sizes`` in ``rect``, placed in reading order.

    ``squarify`` grows its rows upwards from the rect's bottom-left corner; we mirror
    the result vertically so the first item sits top-left and rows run downwards, which
    is how both a map ("north is up") and a list sorted by code are read.
    Input order is kept (we do not sort by size as squarify prefers): sibling sizes vary
    little (provinces 17–289 tambons, districts 1–25), so aspect ratios stay
    reasonable (median ~1.4, worst ~6 nationally) and code order is worth more.
    """
    x, y, dx, dy = rect
    if len(sizes) == 1:  # fast path: a lone child fills its parent
        return [rect]
    normed = squarify.normalize_sizes(list(sizes), dx, dy)
    mirror = 2.0 * y + dy
    return [(r["x"], mirror - r["y"] - r["dy"], r["dx"], r["dy"]) for r in squarify.squarify(normed, x, y, dx, dy)]


def _shrink(rect: Rect, gap: float) -> Rect:
    """Inset ``rect`` by the margin ``m`` that removes exactly ``gap`` of its area.

    Solves ``(dx - 2m)(dy - 2m) = (1 - gap)·dx·dy`` for the smaller root, written in the
    rationalised form ``m = gap·dx·dy / (s + sqrt(s² - 4·gap·dx·dy))`` (``s = dx + dy``)
    to avoid cancellation for small gaps. ``m`` is always below ``min(dx, dy) / 2``,
    so the result is a proper rectangle strictly inside ``rect`` for ``0 < gap < 1``.
    """
    x, y, dx, dy = rect
    s = dx + dy
    p = dx * dy
    m = gap * p / (s + math.sqrt(s * s - 4.0 * gap * p))
    return (x + m, y + m, dx - 2.0 * m, dy - 2.0 * m)


def _normalise_codes(tambon_codes: Iterable[str]) -> list[str]:
    """Validate tambon codes and return them de-duplicated and sorted.

    Duplicates are dropped rather than rejected: codes often come from joining several
    sources, and a tambon drawn twice would only hide the duplicate, not fix it.
    """
    if isinstance(tambon_codes, (str, bytes)):
        raise TypeError(
            f"schematic_layout() expects an iterable of 6-digit tambon codes, not a single string ({tambon_codes!r})"
        )
    codes = set(tambon_codes)
    if not codes:
        raise ValueError(
            "schematic_layout() needs at least one tambon code; got an empty iterable "
            "(nothing to lay out — check the gazetteer/areas query feeding it)"
        )
    bad = [c for c in codes if not (isinstance(c, str) and len(c) == 6 and c.isascii() and c.isdigit())]
    if bad:
        sample = ", ".join(repr(c) for c in sorted(bad, key=repr)[:5])
        raise ValueError(
            f"schematic_layout() expects 6-digit DOPA tambon codes (str); {len(bad)} invalid, e.g. {sample}"
        )
    return sorted(codes)


def _layout_province(
    province: str,
    districts: list[tuple[str, list[str]]],
    p_rect: Rect,
    gap: float,
    rows: dict[str, list[tuple[str, str | None, int, Rect]]],
) -> None:
    """Append the province's own rectangle and its districts' and tambons' to ``rows``."""
    rows["province"].append((province, None, sum(len(t) for _, t in districts), p_rect))
    d_sizes = [len(t) for _, t in districts]
    for (district, tambons), d_cell in zip(districts, _treemap(d_sizes, p_rect)):
        d_rect = _shrink(d_cell, gap)
        rows["district"].append((district, province, len(tambons), d_rect))
        for tambon, t_cell in zip(tambons, _treemap([1] * len(tambons), d_rect)):
            rows["tambon"].append((tambon, district, 1, _shrink(t_cell, gap)))


def schematic_layout(
    tambon_codes: Iterable[str],
    bounds: tuple[float, float, float, float] = SCHEMATIC_BOUNDS,
    gap: float = DEFAULT_GAP,
) -> gpd.GeoDataFrame:
    """Lay out provinces, districts and tambons as nested treemap rectangles.

    Parameters
    ----------
    tambon_codes:
        6-digit DOPA tambon codes (province = ``code[:2]``, district = ``code[:4]``).
        Duplicates are ignored; order does not matter (the layout is deterministic).
    bounds:
        ``(minx, miny, maxx, maxy)`` in degrees that the whole schematic fills;
        defaults to Thailand's bounding box so the map opens at the usual view.
    gap:
        Fraction (``0 <= gap < 1``) of each cell's area surrendered to its margin.
        ``0`` gives a gapless tiling (children then touch their parent's border).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per province, district and tambon (in that order, each
        level sorted by code) with columns ``code``, ``level``
        (``"province"``/``"district"``/``"tambon"``), ``parent`` (enclosing unit's
        code; missing — ``NaN`` under pandas' string dtype — for provinces, test with
        ``isna()``), ``n_tambons`` and ``geometry`` (a one-part
        ``MultiPolygon`` rectangle, so every level has one geometry type like real
        boundaries do). Within a level, area is exactly proportional to
        ``n_tambons``; each level down keeps ``1 - gap`` of its cell.

    Raises
    ------
    ValueError
        On empty input, malformed codes, degenerate bounds or ``gap`` out of range.
    TypeError
        When given a single string instead of an iterable of codes (iterating it
        would silently yield digits).
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if not (maxx > minx and maxy > miny):
        raise ValueError(f"schematic_layout() bounds must have maxx > minx and maxy > miny, got {bounds!r}")
    if not (0.0 <= gap < 1.0):
        raise ValueError(f"schematic_layout() gap must be in [0, 1), got {gap!r}")
    codes = _normalise_codes(tambon_codes)

    # province -> [(district, [tambons...]), ...]; `codes` is sorted, so groupby works
    # and districts/tambons come out in code order.
    tree: dict[str, list[tuple[str, list[str]]]] = {}
    for district, tambons in groupby(codes, key=lambda c: c[:4]):
        tree.setdefault(district[:2], []).append((district, list(tambons)))
    prov_sizes = {p: sum(len(t) for _, t in districts) for p, districts in tree.items()}

    rows: dict[str, list[tuple[str, str | None, int, Rect]]] = {lvl: [] for lvl in _LEVELS}
    root: Rect = (minx, miny, maxx - minx, maxy - miny)
    for provinces, region_rect in _region_cells(prov_sizes, root):
        sizes = [prov_sizes[p] for p in provinces]
        for province, p_cell in zip(provinces, _treemap(sizes, region_rect)):
            _layout_province(province, tree[province], _shrink(p_cell, gap), gap, rows)

    records = [(lvl, *row) for lvl in _LEVELS for row in sorted(rows[lvl])]
    rect = np.array([r[4] for r in records], dtype=float).reshape(-1, 4)
    boxes = shapely.box(rect[:, 0], rect[:, 1], rect[:, 0] + rect[:, 2], rect[:, 1] + rect[:, 3])
    geoms = shapely.multipolygons(boxes, indices=np.arange(len(boxes)))
    return gpd.GeoDataFrame(
        {
            "code": [r[1] for r in records],
            "level": [r[0] for r in records],
            "parent": [r[2] for r in records],
            "n_tambons": np.array([r[3] for r in records], dtype=np.int64),
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
