"""Approximate village (หมู่บ้าน) points placed inside their tambon.

The national village list gives every village an 8-digit DOPA code (tambon code + 2-digit
village number, ``37010409`` = หมู่ที่ 9 of tambon 370104) but no coordinates. To draw a
tambon's villages on the map, :func:`place_villages` spreads one point per village inside the
tambon polygon. **The positions are schematic, not surveyed**: the map must label them as
approximate. They are:

* inside the polygon, kept a small inset away from its boundary where the shape allows it;
* well spread: the points approximate a centroidal Voronoi tessellation (Lloyd iterations on
  a fine hexagonal lattice of candidate points clipped to the polygon, each final point
  snapped to a lattice point, hence always inside, also in an L, C or holed shape);
* deterministic and stable: no randomness at all, the same polygon and the same set of codes
  always give the same points, whatever the order of ``codes``. Villages take positions in
  reading order (north to south in rows, west to east in a row) by village number, so
  หมู่ 1 is at the north-west and the last หมู่ at the south-east.

A MultiPolygon's villages are shared among its parts in proportion to their area (largest
remainder, ties and leftovers to the larger parts, so small islands may get none); the largest
part takes the first village numbers.

Computation is done in a local equal-scale frame (longitude scaled by the cosine of the
latitude), so "spread" means spread in metres, not in degrees. Placing all ~75,000 villages of
Thailand in their ~7,000 tambons takes a few seconds.

Fallbacks (documented, not errors): a geometry that is ``None`` or empty yields ``{}`` (there
is nowhere to draw); an invalid geometry is repaired with ``shapely.make_valid`` first; a
non-empty geometry without any area (a collapsed polygon, a line) puts every village on its
representative point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.ops import polylabel

# Candidate lattice points per village: enough resolution for Lloyd iterations (the snapping
# error is ~1/sqrt(CANDIDATES_PER_VILLAGE) of the village spacing), few enough to stay fast.
CANDIDATES_PER_VILLAGE = 24
MIN_CANDIDATES = 64
LLOYD_ITERATIONS = 12
# Inset from the boundary as a fraction of the village spacing sqrt(area / n).
INSET_FRACTION = 0.1
# The inset is dropped (halved step by step) when it would keep less than this share of the area.
MIN_INSET_AREA_SHARE = 0.35

__all__ = ["place_villages", "village_number"]


def village_number(code: str) -> int:
    """The village number หมู่ที่ n of an 8-digit code (its last two digits); -1 if unreadable."""
    tail = str(code)[-2:]
    return int(tail) if tail.isdigit() else -1


def place_villages(tambon: shapely.Geometry | None, codes: Sequence[str]) -> dict[str, Point]:
    """One approximate point per distinct code, inside ``tambon`` (lon/lat degrees).

    ``codes`` are village codes of this tambon; duplicates are placed once and their order
    does not matter: villages are numbered by :func:`village_number` (then by code) and take
    the positions in reading order. See the module docstring for the guarantees and the
    fallbacks for empty, invalid and area-less geometry.
    """
    ordered = sorted({str(c) for c in codes}, key=lambda c: (village_number(c), c))
    if not ordered or tambon is None or tambon.is_empty:
        return {}
    geom = tambon if tambon.is_valid else shapely.make_valid(tambon)
    parts = [p for p in _polygons(geom) if p.area > 0]
    if not parts:
        anchor = tambon.representative_point()
        return {code: Point(anchor.x, anchor.y) for code in ordered}

    # Local equal-scale frame: x = (lon - lon0) * cos(lat0), y = lat - lat0.
    minx, miny, maxx, maxy = geom.bounds
    lon0, lat0 = (minx + maxx) / 2, (miny + maxy) / 2
    kx = math.cos(math.radians(lat0))
    local = [shapely.transform(p, lambda xy: (xy - (lon0, lat0)) * (kx, 1.0)) for p in parts]
    local.sort(key=lambda p: (-p.area, p.bounds))

    xy = np.vstack(
        [_place_in_part(part, k) for part, k in zip(local, _share(np.array([p.area for p in local]), len(ordered)))]
    )
    lon = xy[:, 0] / kx + lon0
    lat = xy[:, 1] + lat0
    return dict(zip(ordered, shapely.points(lon, lat).tolist()))


def _polygons(geom: shapely.Geometry) -> list[Polygon]:
    """The non-empty polygons of ``geom`` (a Polygon, MultiPolygon or collection)."""
    out: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            if not part.is_empty:
                out.append(part)
        elif shapely.get_num_geometries(part) > 0 and part.geom_type in ("MultiPolygon", "GeometryCollection"):
            out.extend(_polygons(part))
    return out


def _share(areas: np.ndarray, n: int) -> list[int]:
    """Split ``n`` among parts (sorted largest first) in proportion to ``areas``, largest remainder."""
    quota = areas / areas.sum() * n
    counts = np.floor(quota).astype(int)
    # stable sort: equal remainders go to the larger (earlier) part
    for i in np.argsort(-(quota - counts), kind="stable")[: n - counts.sum()]:
        counts[i] += 1
    return counts.tolist()


def _place_in_part(part: Polygon, k: int) -> np.ndarray:
    """``k`` well-spread points strictly inside ``part`` (local frame), in reading order."""
    if k == 0:
        return np.empty((0, 2))
    spacing = math.sqrt(part.area / k)
    region = _inset(part, INSET_FRACTION * spacing)
    if k == 1:
        tolerance = max(spacing, 1e-9) / 200
        label = polylabel(max(_polygons(region), key=lambda p: p.area), tolerance=tolerance)
        if not region.contains(label):  # polylabel is approximate; never leave the polygon
            label = region.representative_point()
        return np.array([[label.x, label.y]])
    candidates = _lattice(region, max(CANDIDATES_PER_VILLAGE * k, MIN_CANDIDATES))
    if len(candidates) < k:  # a sliver without room: pad with its representative point
        extra = region.representative_point()
        candidates = np.vstack([candidates, np.repeat([[extra.x, extra.y]], k - len(candidates), axis=0)])
        return _reading_order(candidates[:k], spacing)
    return _reading_order(_lloyd(candidates, k), spacing)


def _inset(part: Polygon, distance: float) -> shapely.Geometry:
    """``part`` shrunk by ``distance`` (less if that would eat too much of it), all its pieces."""
    for _ in range(4):
        shrunk = part.buffer(-distance, quad_segs=2)
        pieces = _polygons(shrunk) if not shrunk.is_empty else []
        if pieces and sum(p.area for p in pieces) >= MIN_INSET_AREA_SHARE * part.area:
            return shapely.MultiPolygon(pieces) if len(pieces) > 1 else pieces[0]
        distance /= 2
    return part


def _lattice(region: shapely.Geometry, target: int) -> np.ndarray:
    """Points of a hexagonal lattice strictly inside ``region``, about ``target`` of them.

    The lattice is anchored at the bounding box, so it depends only on the geometry. Thin
    shapes that catch too few points get a finer lattice (up to 6 times halved).
    """
    minx, miny, maxx, maxy = region.bounds
    spacing = math.sqrt(2 * region.area / (math.sqrt(3) * target))
    for _ in range(7):
        dy = spacing * math.sqrt(3) / 2
        ys = np.arange(miny + dy / 2, maxy, dy)
        xs = np.arange(minx + spacing / 4, maxx, spacing)
        gx, gy = np.meshgrid(xs, ys)
        gx = gx + (np.arange(len(ys)) % 2)[:, None] * (spacing / 2)
        gx, gy = gx.ravel(), gy.ravel()
        inside = shapely.contains_xy(region, gx, gy)
        if inside.sum() >= target / 2:
            break
        spacing /= 2
    return np.column_stack([gx[inside], gy[inside]])


def _lloyd(candidates: np.ndarray, k: int) -> np.ndarray:
    """``k`` distinct candidates approximating a centroidal Voronoi tessellation of them.

    Start from a farthest-point sampling seeded at the candidate nearest the mean, run Lloyd
    iterations on the discrete candidate set, then snap each centre to its nearest candidate
    not yet taken (so every result is a candidate, hence inside the region).
    """
    x, y = candidates[:, 0], candidates[:, 1]
    first = int(np.argmin((x - x.mean()) ** 2 + (y - y.mean()) ** 2))
    chosen = [first]
    dist = (x - x[first]) ** 2 + (y - y[first]) ** 2
    for _ in range(k - 1):
        nxt = int(np.argmax(dist))
        chosen.append(nxt)
        np.minimum(dist, (x - x[nxt]) ** 2 + (y - y[nxt]) ** 2, out=dist)
    centres = candidates[chosen].copy()
    # squared distance up to a per-candidate constant: |c|^2 - 2 p.c (enough for argmin)
    previous = None
    for _ in range(LLOYD_ITERATIONS):
        label = ((centres * centres).sum(axis=1) - 2 * candidates @ centres.T).argmin(axis=1)
        if previous is not None and np.array_equal(label, previous):
            break  # converged: the centres would not move
        previous = label
        count = np.bincount(label, minlength=k)
        filled = count > 0
        centres[filled, 0] = np.bincount(label, weights=x, minlength=k)[filled] / count[filled]
        centres[filled, 1] = np.bincount(label, weights=y, minlength=k)[filled] / count[filled]
    d2 = (x * x + y * y)[:, None] + (centres * centres).sum(axis=1) - 2 * candidates @ centres.T
    nearest = d2.argmin(axis=0)
    if len(np.unique(nearest)) < k:  # two centres snap to one candidate: greedy, in centre order
        taken = np.zeros(len(candidates), dtype=bool)
        for j in range(k):
            nearest[j] = int(np.argmin(np.where(taken, np.inf, d2[:, j])))
            taken[nearest[j]] = True
    return candidates[nearest]


def _reading_order(points: np.ndarray, spacing: float) -> np.ndarray:
    """Sort points in rows from north to south, west to east within a row.

    A row starts at the northernmost point not yet placed and holds the points less than
    a third of a village spacing south of it.
    """
    rest = points[np.lexsort((points[:, 0], -points[:, 1]))]
    rows = []
    while len(rest):
        in_row = rest[:, 1] > rest[0, 1] - spacing / 3
        row = rest[in_row]
        rows.append(row[np.argsort(row[:, 0], kind="stable")])
        rest = rest[~in_row]
    return np.vstack(rows)
