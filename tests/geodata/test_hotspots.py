"""Local hotspot statistics on a constructed map whose answer is known.

A 12 × 12 grid of unit squares holds background values around 50 with seeded noise, a block of
high values (≈100) in the top-left 4 × 4 corner and a block of low values (≈0) in the bottom-right
4 × 4 corner. Gi* must call the first hot and the second cold, local Moran must call them HH and LL,
and cells far from both must mostly be not significant.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import shapely

from geodata.hotspots import MIN_AREAS, Hotspot, HotspotResult, local_hotspots

SIZE = 12
BLOCK = 4


def _code(row: int, col: int) -> str:
    return f"r{row:02d}c{col:02d}"


def _grid() -> tuple[list[str], list[shapely.Geometry], list[float | None]]:
    """Codes, unit squares and values of the known map, row-major."""
    rng = np.random.default_rng(2024)
    values = 50 + rng.normal(0, 5, (SIZE, SIZE))
    values[:BLOCK, :BLOCK] += 50
    values[-BLOCK:, -BLOCK:] -= 50
    codes, geometries, flat = [], [], []
    for row in range(SIZE):
        for col in range(SIZE):
            codes.append(_code(row, col))
            geometries.append(shapely.box(col, -row - 1, col + 1, -row))
            flat.append(float(values[row, col]))
    return codes, geometries, flat


def _far_cells() -> list[str]:
    """The two off-diagonal corner blocks: at least four cells away from both value blocks."""
    return [_code(row, col) for row in range(BLOCK) for col in range(SIZE - BLOCK, SIZE)] + [
        _code(row, col) for row in range(SIZE - BLOCK, SIZE) for col in range(BLOCK)
    ]


@pytest.fixture(scope="module")
def known() -> HotspotResult:
    return local_hotspots(*_grid())


def test_high_corner_is_hot_and_high_high(known: HotspotResult) -> None:
    areas = known.by_code()
    for code in (_code(0, 0), _code(0, 1), _code(1, 0), _code(1, 1), _code(2, 2)):
        assert areas[code].gi_class == "hot", (code, areas[code])
        assert areas[code].moran_class == "HH", (code, areas[code])
        assert areas[code].gi_z > 2
        assert areas[code].gi_p < known.alpha
        assert areas[code].moran_i > 0


def test_low_corner_is_cold_and_low_low(known: HotspotResult) -> None:
    areas = known.by_code()
    last = SIZE - 1
    for code in (_code(last, last), _code(last, last - 1), _code(last - 1, last), _code(last - 2, last - 2)):
        assert areas[code].gi_class == "cold", (code, areas[code])
        assert areas[code].moran_class == "LL", (code, areas[code])
        assert areas[code].gi_z < -2
        assert areas[code].moran_p < known.alpha


def test_cells_far_from_both_blocks_are_mostly_not_significant(known: HotspotResult) -> None:
    areas = known.by_code()
    far = _far_cells()
    assert sum(areas[code].gi_class == "ns" for code in far) >= 0.8 * len(far)
    assert sum(areas[code].moran_class == "ns" for code in far) >= 0.8 * len(far)
    # the blocks never leak into the opposite corners
    assert not any(areas[code].gi_class == "hot" or areas[code].moran_class == "HH" for code in far)


def test_result_describes_itself(known: HotspotResult) -> None:
    assert known.n == SIZE * SIZE
    assert [area.code for area in known.areas] == _grid()[0]
    assert known.alpha == 0.05 and known.permutations == 999
    assert "Gi*" in known.method and "Moran" in known.method and "Queen" in known.method and "999" in known.method
    assert "correction" in known.note
    assert all(isinstance(area, Hotspot) for area in known.areas)
    assert {area.gi_class for area in known.areas} <= {"hot", "cold", "ns"}
    # every p-value is a permutation pseudo p-value: k / (permutations + 1), never 0
    assert all(0 < area.gi_p <= 0.5 + 1e-9 for area in known.areas)


def test_same_seed_same_result_other_seed_other_p_values(known: HotspotResult) -> None:
    again = local_hotspots(*_grid())
    assert again == known
    other = local_hotspots(*_grid(), seed=99)
    assert [a.gi_p for a in other.areas] != [a.gi_p for a in known.areas]
    assert [a.gi_z for a in other.areas] == [a.gi_z for a in known.areas]  # the z-score is analytical


def test_global_random_state_is_left_alone() -> None:
    np.random.seed(7)
    expected = np.random.random(3)
    np.random.seed(7)
    local_hotspots(*_grid(), permutations=99)
    assert np.array_equal(np.random.random(3), expected)


def test_no_warnings_reach_the_user() -> None:
    codes, geometries, values = _grid()
    codes.append("island")
    geometries.append(shapely.box(100, 100, 101, 101))
    values.append(1.0)
    values[5] = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        local_hotspots(codes, geometries, values, permutations=99)
    assert [str(w.message) for w in caught] == []


def test_missing_values_are_nodata_and_not_neighbours() -> None:
    codes, geometries, values = _grid()
    missing = {_code(0, 2), _code(6, 0), _code(SIZE - 1, 5)}
    for i, code in enumerate(codes):
        if code in missing:
            values[i] = None
    values[codes.index(_code(3, 8))] = float("nan")  # NaN is no data too
    result = local_hotspots(codes, geometries, values)
    areas = result.by_code()
    for code in [*missing, _code(3, 8)]:
        area = areas[code]
        assert (area.value, area.gi_class, area.moran_class) == (None, "nodata", "nodata")
        assert (area.gi_z, area.gi_p, area.moran_i, area.moran_p) == (None, None, None, None)
    assert result.n == SIZE * SIZE - 4
    assert "4 areas without a value" in result.note
    assert areas[_code(0, 0)].gi_class == "hot" and areas[_code(0, 0)].moran_class == "HH"
    assert areas[_code(SIZE - 1, SIZE - 1)].gi_class == "cold" and areas[_code(SIZE - 1, SIZE - 1)].moran_class == "LL"
    assert all(not math.isnan(a.gi_z) for a in result.areas if a.gi_z is not None)


def test_area_ringed_by_missing_values_is_an_island() -> None:
    """None is not a neighbour: a cell whose eight neighbours have no value has no neighbourhood."""
    codes, geometries, values = _grid()
    for row in (5, 6, 7):
        for col in (5, 6, 7):
            if (row, col) != (6, 6):
                values[codes.index(_code(row, col))] = None
    result = local_hotspots(codes, geometries, values)
    centre = result.by_code()[_code(6, 6)]
    assert (centre.gi_class, centre.moran_class, centre.gi_z) == ("island", "island", None)
    assert centre.value is not None
    assert result.n == SIZE * SIZE - 9


def test_far_polygon_is_an_island_and_left_out() -> None:
    codes, geometries, values = _grid()
    codes.append("faraway")
    geometries.append(shapely.box(100, 100, 101, 101))
    values.append(1000.0)  # an extreme value that would sway the statistic if it entered
    codes.append("nowhere")
    geometries.append(None)  # a value without a geometry has no neighbour either
    values.append(5.0)
    result = local_hotspots(codes, geometries, values)
    areas = result.by_code()
    for code in ("faraway", "nowhere"):
        assert (areas[code].gi_class, areas[code].moran_class) == ("island", "island")
        assert areas[code].gi_p is None and areas[code].moran_i is None
    assert result.n == SIZE * SIZE
    assert "2 areas with no neighbouring area" in result.note
    baseline = local_hotspots(*_grid())
    assert [a.gi_p for a in result.areas[: SIZE * SIZE]] == [a.gi_p for a in baseline.areas]


def test_negative_values_give_the_same_classes() -> None:
    """Gi* is computed on shifted values when some are negative; z and p must not change."""
    codes, geometries, values = _grid()
    base = local_hotspots(codes, geometries, values)
    shifted = local_hotspots(codes, geometries, [v - 1000 for v in values])
    assert [a.gi_class for a in shifted.areas] == [a.gi_class for a in base.areas]
    assert [a.moran_class for a in shifted.areas] == [a.moran_class for a in base.areas]
    assert np.allclose([a.gi_z for a in shifted.areas], [a.gi_z for a in base.areas])
    assert shifted.by_code()[_code(0, 0)].gi_class == "hot"


def test_too_few_areas_gives_a_note_not_an_error() -> None:
    count = MIN_AREAS - 1
    codes = [f"a{i}" for i in range(count)]
    geometries = [shapely.box(i, 0, i + 1, 1) for i in range(count)]
    values: list[float | None] = [float(i) for i in range(count)]
    values[0] = None
    result = local_hotspots(codes, geometries, values)
    assert result.n == 0
    assert "Too few areas" in result.note and f"at least {MIN_AREAS}" in result.note
    assert [a.gi_class for a in result.areas] == ["nodata"] + ["ns"] * (count - 1)
    assert [a.moran_class for a in result.areas] == ["nodata"] + ["ns"] * (count - 1)
    assert all(a.gi_z is None and a.moran_p is None for a in result.areas)


def test_no_variance_gives_a_note_not_an_error() -> None:
    codes, geometries, values = _grid()
    result = local_hotspots(codes, geometries, [3.0] * len(values))
    assert result.n == 0
    assert "same in every area" in result.note
    assert {a.gi_class for a in result.areas} == {"ns"} and {a.moran_class for a in result.areas} == {"ns"}


def test_empty_input() -> None:
    result = local_hotspots([], [], [])
    assert result.areas == () and result.n == 0 and "Too few areas" in result.note


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"alpha": 0}, "alpha"),
        ({"alpha": 1.5}, "alpha"),
        ({"permutations": 0}, "permutations"),
    ],
)
def test_invalid_arguments_raise(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        local_hotspots(*_grid(), **kwargs)


def test_mismatched_or_duplicate_input_raises() -> None:
    codes, geometries, values = _grid()
    with pytest.raises(ValueError, match="length"):
        local_hotspots(codes, geometries, values[:-1])
    with pytest.raises(ValueError, match="unique"):
        local_hotspots([codes[0]] * len(codes), geometries, values)


def test_contiguity_is_queen_corners_count() -> None:
    """With its four edge neighbours missing, a cell still has its four corner neighbours (Queen, not Rook)."""
    codes, geometries, values = _grid()
    for row, col in ((5, 6), (7, 6), (6, 5), (6, 7)):
        values[codes.index(_code(row, col))] = None
    result = local_hotspots(codes, geometries, values)
    centre = result.by_code()[_code(6, 6)]
    assert centre.gi_class != "island" and centre.gi_p is not None
    assert result.n == SIZE * SIZE - 4
