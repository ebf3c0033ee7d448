"""Local spatial statistics for the map's "hotspot" mode.

A choropleth shows where a value is high; it cannot say whether a patch of high values is
more than chance. A local statistic asks, for every area, whether it and its neighbours hold
values more alike than a random shuffle of the same values over the map would give. Two
classic statistics are computed on the same neighbourhoods:

* Getis-Ord Gi* — is this area in a cluster of high ("hot") or low ("cold") values?
* local Moran's I (LISA) — is this area like its neighbours (HH, LL clusters) or unlike them
  (HL, LH outliers)?

Neighbours are Queen contiguity (sharing a border or a corner) among the areas that have a
value. An area without a value is left out and is nobody's neighbour: absence of data is not
a low value. An area with a value but no neighbour with a value (an "island") is left out too:
a local statistic with no neighbourhood has nothing to say.

Significance is a permutation pseudo p-value (conditional randomisation, as in GeoDa and
PySAL's esda) at ``alpha``, seeded so the same input always gives the same map. It is
per area and not corrected for multiple testing, which the result's ``note`` says in plain
words.

The module is pure (no Dash, no database): the dashboard passes codes, geometries and values
and draws the classes. esda and libpysal are imported inside :func:`local_hotspots` because
they take over a second to import and most dashboard requests never need them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

# Below this many areas (with a value and a neighbour) the permutation distribution of a
# local statistic is too coarse to mean anything, so no statistic is computed.
MIN_AREAS: int = 8

GI_CLASSES: tuple[str, ...] = ("hot", "cold", "ns", "nodata", "island")
MORAN_CLASSES: tuple[str, ...] = ("HH", "LL", "HL", "LH", "ns", "nodata", "island")

# esda's quadrant codes (geoda_quads=False): 1 HH, 2 LH, 3 LL, 4 HL.
_MORAN_QUADRANT: dict[int, str] = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


@dataclass(frozen=True)
class Hotspot:
    """One area's result.

    ``value`` is the input value (``None``: no data, left out of the statistic). The Gi* fields
    hold the z-score, the pseudo p-value and the class ('hot', 'cold', 'ns' not significant,
    'nodata', 'island'); the Moran fields hold the local I, its pseudo p-value and the class
    ('HH', 'LL', 'HL', 'LH', 'ns', 'nodata', 'island'). Numbers are ``None`` where no statistic
    was computed for the area.
    """

    code: str
    value: float | None
    gi_z: float | None
    gi_p: float | None
    gi_class: str
    moran_i: float | None
    moran_p: float | None
    moran_class: str


@dataclass(frozen=True)
class HotspotResult:
    """The statistics for a whole map, in the order of the input areas.

    ``n`` is the number of areas that entered the statistic (0 when none was computed);
    ``note`` carries the caveats a reader of the map needs, in plain language.
    """

    method: str
    alpha: float
    permutations: int
    n: int
    areas: tuple[Hotspot, ...]
    note: str

    def by_code(self) -> dict[str, Hotspot]:
        """The areas keyed by code, for joining onto map features."""
        return {area.code: area for area in self.areas}


def method_text(permutations: int) -> str:
    """Name the statistics exactly, so a map legend or an export can cite what was computed."""
    return (
        "Getis-Ord Gi* (binary weights, self included) and local Moran's I (row-standardised weights), "
        f"Queen contiguity, {permutations} conditional permutations "
        "(pseudo p-value in the direction observed)"
    )


def local_hotspots(
    codes: Sequence[str],
    geometries: Sequence[shapely.Geometry | None],
    values: Sequence[float | None],
    *,
    alpha: float = 0.05,
    permutations: int = 999,
    seed: int = 12345,
) -> HotspotResult:
    """Classify every area as a Gi* hot/cold spot and a local Moran cluster or outlier.

    ``codes``, ``geometries`` and ``values`` are aligned, one entry per area (any CRS: Queen
    contiguity only looks at shared vertices, so the polygons must form a clean coverage, as
    COD-AB boundaries do). A value of ``None`` or a non-finite number means no data. An area is
    significant when its pseudo p-value is below ``alpha``; ``seed`` fixes the permutations so
    the result is reproducible. Too few areas or values that do not vary give a result with no
    significant area and a ``note`` saying why, never an exception: the map simply has nothing
    to show. Invalid arguments (mismatched lengths, duplicate codes, ``alpha`` outside (0, 1),
    fewer than one permutation) are programming errors and raise ``ValueError``.
    """
    codes = [str(code) for code in codes]
    geometries = list(geometries)
    values = list(values)
    if not (len(codes) == len(geometries) == len(values)):
        raise ValueError(
            f"codes, geometries and values differ in length: {len(codes)}, {len(geometries)}, {len(values)}"
        )
    if len(set(codes)) != len(codes):
        raise ValueError("codes must be unique")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    if permutations < 1:
        raise ValueError(f"permutations must be at least 1, got {permutations}")

    cleaned = [_clean_value(value) for value in values]
    valued = [i for i, value in enumerate(cleaned) if value is not None]
    placed = [i for i in valued if geometries[i] is not None and not shapely.is_empty(geometries[i])]
    graph = _queen_graph([geometries[i] for i in placed])
    islands = {placed[position] for position in _isolates(graph, len(placed))}
    islands |= set(valued) - set(placed)  # a value without a geometry has no neighbour either
    connected = [position for position, i in enumerate(placed) if i not in islands]

    gi_class = ["nodata" if value is None else "island" if i in islands else "ns" for i, value in enumerate(cleaned)]
    moran_class = list(gi_class)
    gi_z: list[float | None] = [None] * len(codes)
    gi_p: list[float | None] = [None] * len(codes)
    moran_i: list[float | None] = [None] * len(codes)
    moran_p: list[float | None] = [None] * len(codes)

    notes = _exclusion_notes(len(codes) - len(valued), len(islands))
    y = np.array([cleaned[placed[position]] for position in connected], dtype=float)
    n = 0
    if len(connected) < MIN_AREAS:
        notes.append(
            f"Too few areas for a local statistic: {len(connected)} with a value and a neighbour, "
            f"at least {MIN_AREAS} needed. No area is marked significant."
        )
    elif not _varies(y):
        notes.append(
            "The value is the same in every area, so there is no pattern to test. No area is marked significant."
        )
    else:
        n = len(connected)
        stats = _statistics(graph, connected, y, permutations=permutations, seed=seed)
        for k, position in enumerate(connected):
            i = placed[position]
            gi_z[i], gi_p[i] = float(stats.gi_z[k]), float(stats.gi_p[k])
            moran_i[i], moran_p[i] = float(stats.moran_i[k]), float(stats.moran_p[k])
            if gi_p[i] < alpha:
                gi_class[i] = "hot" if gi_z[i] > 0 else "cold" if gi_z[i] < 0 else "ns"
            if moran_p[i] < alpha:
                moran_class[i] = _MORAN_QUADRANT.get(int(stats.moran_q[k]), "ns")
        notes.append(
            f"Each area is tested on its own (p < {alpha:g}, {permutations} permutations), without correction "
            f"for testing {n} areas at once: about {alpha:.0%} of them can come out significant by chance alone."
        )

    areas = tuple(
        Hotspot(
            code=codes[i],
            value=cleaned[i],
            gi_z=gi_z[i],
            gi_p=gi_p[i],
            gi_class=gi_class[i],
            moran_i=moran_i[i],
            moran_p=moran_p[i],
            moran_class=moran_class[i],
        )
        for i in range(len(codes))
    )
    return HotspotResult(
        method=method_text(permutations),
        alpha=alpha,
        permutations=permutations,
        n=n,
        areas=areas,
        note=" ".join(notes),
    )


@dataclass(frozen=True)
class _Stats:
    """Arrays aligned with the connected areas, as esda returns them."""

    gi_z: np.ndarray
    gi_p: np.ndarray
    moran_i: np.ndarray
    moran_p: np.ndarray
    moran_q: np.ndarray


def _clean_value(value: float | None) -> float | None:
    """None, NaN and infinities all mean "no data": none of them can be ranked against neighbours."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _varies(y: np.ndarray) -> bool:
    """Whether the values differ by more than floating-point noise (both statistics divide by the spread)."""
    return bool(np.ptp(y) > 1e-12 * max(1.0, float(np.abs(y).max())))


def _exclusion_notes(nodata: int, islands: int) -> list[str]:
    """Say which areas were left out and why, so a blank area on the map is not read as "not significant"."""
    notes = []
    if nodata:
        notes.append(
            f"{nodata} area{'s' if nodata != 1 else ''} without a value left out (and not counted as neighbours)."
        )
    if islands:
        notes.append(
            f"{islands} area{'s' if islands != 1 else ''} with no neighbouring area that has a value "
            "(islands) left out."
        )
    return notes


def _queen_graph(geometries: list[shapely.Geometry]):  # -> libpysal.graph.Graph | None
    """Queen contiguity between the given geometries, indexed 0..len-1; None when fewer than two.

    The vertex-based builder (``strict=False``) is used: it is about twice as fast as the
    strict one and gives identical neighbours on a clean coverage such as COD-AB's tambons.
    """
    if len(geometries) < 2:
        return None
    import geopandas as gpd
    from libpysal.graph import Graph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Graph.build_contiguity(gpd.GeoSeries(geometries), rook=False, strict=False)


def _isolates(graph, count: int) -> list[int]:
    """Positions with no neighbour (every position when there is no graph)."""
    if graph is None:
        return list(range(count))
    return [int(position) for position in graph.isolates]


def _statistics(graph, connected: list[int], y: np.ndarray, *, permutations: int, seed: int) -> _Stats:
    """Run Gi* and local Moran on the connected areas.

    Choices, and why:

    * Gi* uses binary weights with the area itself included (``star=True``, ``transform='B'``):
      esda's analytical z-score is then the classic Ord & Getis (1995) Gi* z. With row-standardised
      weights esda's ``Zs`` is not scaled by the neighbourhood size, so its magnitude would mislead.
    * Getis-Ord G is a ratio to the total of the values and is defined for non-negative values; with
      binary weights both its z-score and its permutation p-value are unchanged by adding a constant,
      so negative values (a gap, a change) are shifted to start at zero first.
    * Local Moran uses row-standardised weights (the lag is the neighbours' mean), the usual LISA.
    * ``n_jobs=1``: joblib workers cost more than they save on one map and the machine is shared;
      ``keep_simulations=False``: the n × permutations matrix of simulated values (≈60 MB per
      statistic for the country's tambons) is not needed for the pseudo p-value.
    * esda reseeds NumPy's global generator with ``seed``; its state is restored afterwards so
      calling this never changes the randomness elsewhere in the process.
    """
    from esda.getisord import G_Local
    from esda.moran import Moran_Local

    sub = graph.subgraph(connected)
    y_g = y - y.min() if y.min() < 0 else y
    state = np.random.get_state()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            # esda warns that its default alternative hypothesis will change, scipy.sparse warns about
            # setting the diagonal, and Moran_Local switches SparseEfficiencyWarning to "always" — the
            # context manager also undoes that filter change.
            warnings.simplefilter("ignore")
            gi = G_Local(
                y_g,
                sub,
                transform="B",
                star=True,
                permutations=permutations,
                keep_simulations=False,
                n_jobs=1,
                seed=seed,
            )
            lisa = Moran_Local(
                y,
                sub,
                transformation="r",
                permutations=permutations,
                keep_simulations=False,
                n_jobs=1,
                seed=seed,
            )
    finally:
        np.random.set_state(state)
    return _Stats(
        gi_z=np.asarray(gi.Zs, dtype=float),
        gi_p=np.asarray(gi.p_sim, dtype=float),
        moran_i=np.asarray(lisa.Is, dtype=float),
        moran_p=np.asarray(lisa.p_sim, dtype=float),
        moran_q=np.asarray(lisa.q, dtype=int),
    )
