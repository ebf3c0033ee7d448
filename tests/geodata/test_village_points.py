"""Approximate village points: inside the tambon, spread out, deterministic, numbered in reading order."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box

from geodata.village_points import place_villages, village_number

LAT = 15.0
KX = math.cos(math.radians(LAT))
# About 5.4 km x 5.6 km around 100.0 E, 15.0 N: a typical tambon, square in metres.
SIDE = 0.05
SQUARE = box(100.0, LAT, 100.0 + SIDE / KX, LAT + SIDE)


def _codes(n: int, tambon: str = "370104") -> list[str]:
    return [f"{tambon}{i:02d}" for i in range(1, n + 1)]


def _local(points: dict[str, Point]) -> np.ndarray:
    """Points in an equal-scale frame (longitude times cos(latitude)), in code order."""
    return np.array([[points[c].x * KX, points[c].y] for c in sorted(points)])


def _min_distance(points: dict[str, Point]) -> float:
    xy = _local(points)
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(d, np.inf)
    return float(d.min())


def _area(geom) -> float:
    return shapely.transform(geom, lambda xy: xy * (KX, 1.0)).area


def _assert_inside(geom, points: dict[str, Point]) -> None:
    for code, p in points.items():
        assert geom.contains(p), f"{code} at {p} is not strictly inside"


@pytest.mark.parametrize("n", [1, 2, 5, 12, 40])
def test_square_inside_with_inset_and_spread(n: int) -> None:
    points = place_villages(SQUARE, _codes(n))
    assert sorted(points) == _codes(n)
    _assert_inside(SQUARE, points)
    spacing = math.sqrt(_area(SQUARE) / n)
    for p in points.values():  # kept off the boundary
        assert SQUARE.exterior.distance(p) > 0.05 * min(spacing, SIDE)
    if n > 1:
        # a hexagonal packing reaches ~1.07 * spacing; accept anything reasonably spread
        assert _min_distance(points) > 0.5 * spacing


def test_square_spread_for_every_count_up_to_60() -> None:
    for n in range(2, 61):
        spacing = math.sqrt(_area(SQUARE) / n)
        assert _min_distance(place_villages(SQUARE, _codes(n))) > 0.5 * spacing, n


def test_deterministic_and_independent_of_input_order() -> None:
    codes = _codes(23)
    first = place_villages(SQUARE, codes)
    shuffled = list(reversed(codes))
    shuffled[3], shuffled[10] = shuffled[10], shuffled[3]
    again = place_villages(SQUARE, shuffled + codes[:5])  # duplicates are placed once
    assert set(first) == set(again) == set(codes)
    for code in codes:
        assert first[code].equals_exact(again[code], 0.0)
    assert len({(p.x, p.y) for p in first.values()}) == len(codes)


def test_villages_numbered_in_reading_order() -> None:
    points = place_villages(SQUARE, _codes(9))
    xy = _local(points)
    cx, cy = xy.mean(axis=0)
    first, last = xy[0], xy[-1]
    assert first[0] < cx and first[1] > cy, "หมู่ 1 should be at the north-west"
    assert last[0] > cx and last[1] < cy, "the last หมู่ should be at the south-east"
    # north to south overall: the first three are north of the last three
    assert xy[:3, 1].min() > xy[-3:, 1].max()


def test_number_comes_from_the_last_two_digits() -> None:
    assert village_number("37010409") == 9
    assert village_number("37010410") == 10
    points = place_villages(SQUARE, ["37010410", "37010402", "37010401"])
    assert list(points) == ["37010401", "37010402", "37010410"]


def test_hole_is_avoided() -> None:
    x0, y0 = 100.0, LAT
    w = SIDE / KX
    hole = box(x0 + w / 4, y0 + SIDE / 4, x0 + 3 * w / 4, y0 + 3 * SIDE / 4)
    ring = Polygon(SQUARE.exterior.coords, [hole.exterior.coords])
    points = place_villages(ring, _codes(20))
    _assert_inside(ring, points)
    for p in points.values():
        assert not hole.intersects(p)
    assert _min_distance(points) > 0.4 * math.sqrt(_area(ring) / 20)


def test_c_shape_uses_all_arms_and_stays_inside() -> None:
    # a C opening east: top arm, bottom arm, west spine; the gap is the middle-east block
    w = SIDE / KX
    x0, y0 = 100.0, LAT
    spine = box(x0, y0, x0 + w / 5, y0 + SIDE)
    top = box(x0, y0 + 4 * SIDE / 5, x0 + w, y0 + SIDE)
    bottom = box(x0, y0, x0 + w, y0 + SIDE / 5)
    c_shape = shapely.union_all([spine, top, bottom])
    assert c_shape.geom_type == "Polygon"
    gap = box(x0 + w / 5, y0 + SIDE / 5, x0 + w, y0 + 4 * SIDE / 5)
    points = place_villages(c_shape, _codes(15))
    _assert_inside(c_shape, points)
    inset = 0.05 * math.sqrt(_area(c_shape) / 15)
    assert all(c_shape.exterior.distance(p) > inset for p in points.values()), "kept off the boundary"
    assert not any(gap.intersects(p) for p in points.values())
    east_top = box(x0 + w / 2, y0 + 4 * SIDE / 5, x0 + w, y0 + SIDE)
    east_bottom = box(x0 + w / 2, y0, x0 + w, y0 + SIDE / 5)
    assert any(east_top.contains(p) for p in points.values())
    assert any(east_bottom.contains(p) for p in points.values())
    assert _min_distance(points) > 0.35 * math.sqrt(_area(c_shape) / 15)


def test_one_village_near_the_middle() -> None:
    points = place_villages(SQUARE, ["37010401"])
    assert list(points) == ["37010401"]
    p = points["37010401"]
    assert SQUARE.centroid.distance(p) < 0.05 * SIDE


def test_l_shape_single_village_is_inside() -> None:
    w = SIDE / KX
    l_shape = Polygon(
        [
            (100.0, LAT),
            (100.0 + w, LAT),
            (100.0 + w, LAT + 0.01),
            (100.01, LAT + 0.01),
            (100.01, LAT + SIDE),
            (100.0, LAT + SIDE),
        ]
    )
    for n in (1, 3, 10):
        _assert_inside(l_shape, place_villages(l_shape, _codes(n)))


def test_multipolygon_shares_in_proportion_largest_part_first() -> None:
    w = SIDE / KX
    big = box(100.0, LAT, 100.0 + w, LAT + SIDE)
    small = box(100.2, LAT, 100.2 + w / 3, LAT + SIDE)  # a third of the area
    points = place_villages(MultiPolygon([small, big]), _codes(8))
    in_big = [c for c, p in points.items() if big.contains(p)]
    in_small = [c for c, p in points.items() if small.contains(p)]
    assert len(in_big) == 6 and len(in_small) == 2
    assert in_big == _codes(6), "the largest part takes the first village numbers"


def test_fallbacks_for_empty_invalid_and_arealess_geometry() -> None:
    assert place_villages(Polygon(), _codes(3)) == {}
    assert place_villages(None, _codes(3)) == {}
    assert place_villages(SQUARE, []) == {}
    bowtie = Polygon([(100.0, LAT), (100.05, LAT + 0.05), (100.05, LAT), (100.0, LAT + 0.05)])
    assert not bowtie.is_valid
    points = place_villages(bowtie, _codes(6))
    _assert_inside(shapely.make_valid(bowtie), points)
    flat = Polygon([(100.0, LAT), (100.05, LAT), (100.02, LAT)])
    points = place_villages(flat, _codes(2))
    assert set(points) == set(_codes(2))
    assert all(p.equals(flat.representative_point()) for p in points.values())


def test_fast_enough_for_the_country() -> None:
    import time

    start = time.process_time()
    for i in range(200):
        place_villages(shapely.affinity.translate(SQUARE, yoff=i * 0.001), _codes(10 + i % 20))
    # the whole country (~7,000 tambons) runs in a few seconds: 200 here well under a second
    assert time.process_time() - start < 2.0
