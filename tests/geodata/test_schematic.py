"""Tests for geodata.schematic: the nested treemap map drawn when no boundaries exist.

No database: the layout is a pure function of the tambon codes (taken from geothai, the
same national list the gazetteer uses).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import geopandas as gpd
import geothai
import numpy as np
import pytest
import shapely

from geodata.schematic import (
    DEFAULT_GAP,
    SCHEMATIC_BOUNDS,
    schematic_layout,
)
from geodata.village_points import place_villages

TOL = 1e-9  # degrees; far below the smallest inset (~1.5e-3°) yet above float noise


@pytest.fixture(scope="module")
def national_codes() -> list[str]:
    codes = [
        s.code for p in geothai.provinces() for d in geothai.districts(p.code) for s in geothai.subdistricts(d.code)
    ]
    assert len(codes) > 7000
    return codes


@pytest.fixture(scope="module", params=[DEFAULT_GAP, 0.0], ids=["gap", "no-gap"])
def national(request: pytest.FixtureRequest, national_codes: list[str]) -> tuple[float, gpd.GeoDataFrame]:
    gap = request.param
    return gap, schematic_layout(national_codes, gap=gap)


def _level(frame: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    return frame[frame["level"] == level].reset_index(drop=True)


def _area(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Planar area in square degrees — the unit the schematic is proportional in."""
    return shapely.area(frame.geometry.values)


def _bounds_area(bounds: tuple[float, float, float, float]) -> float:
    minx, miny, maxx, maxy = bounds
    return (maxx - minx) * (maxy - miny)


# --- shape of the output ---------------------------------------------------------------


def test_columns_crs_and_geometry_type(national: tuple[float, gpd.GeoDataFrame]) -> None:
    _, frame = national
    assert list(frame.columns) == ["code", "level", "parent", "n_tambons", "geometry"]
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert set(frame.geom_type) == {"MultiPolygon"}
    assert all(len(g.geoms) == 1 for g in frame.geometry)
    assert frame.geometry.is_valid.all()
    assert (_area(frame) > 0).all()
    assert list(frame["level"].unique()) == ["province", "district", "tambon"]
    # Rectangles: each equals its own envelope.
    assert shapely.equals(frame.geometry.values, frame.geometry.envelope.values).all()


def test_every_tambon_exactly_once(national_codes: list[str], national: tuple[float, gpd.GeoDataFrame]) -> None:
    _, frame = national
    assert frame["code"].is_unique
    tambons = _level(frame, "tambon")
    assert sorted(tambons["code"]) == sorted(national_codes)
    assert set(_level(frame, "district")["code"]) == {c[:4] for c in national_codes}
    assert set(_level(frame, "province")["code"]) == {c[:2] for c in national_codes}
    counts = frame["level"].value_counts().to_dict()
    assert counts == {"province": 77, "district": 928, "tambon": len(national_codes)}


def test_duplicates_and_input_order_do_not_matter(national_codes: list[str]) -> None:
    shuffled = national_codes[::-1] + national_codes[:500]
    random.Random(7).shuffle(shuffled)
    a = schematic_layout(national_codes)
    b = schematic_layout(shuffled)
    assert a["code"].tolist() == b["code"].tolist()
    assert shapely.equals_exact(a.geometry.values, b.geometry.values, tolerance=0).all()


def test_deterministic(national_codes: list[str]) -> None:
    a = schematic_layout(national_codes)
    b = schematic_layout(national_codes)
    assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))
    assert shapely.equals_exact(a.geometry.values, b.geometry.values, tolerance=0).all()


# --- nesting, overlap, area ------------------------------------------------------------


@pytest.mark.parametrize("child_level", ["district", "tambon"])
def test_children_within_parents(national: tuple[float, gpd.GeoDataFrame], child_level: str) -> None:
    gap, frame = national
    children = _level(frame, child_level)
    # Parent column agrees with the DOPA code prefix.
    prefix = 2 if child_level == "district" else 4
    assert (children["parent"] == children["code"].str[:prefix]).all()
    by_code = dict(zip(frame["code"], frame.geometry))
    parents = np.array([by_code[p] for p in children["parent"]], dtype=object)
    kids = children.geometry.values
    assert shapely.contains(shapely.buffer(parents, TOL, join_style="mitre"), kids).all()
    if gap > 0:  # the inset keeps children strictly inside, borders never touch
        assert shapely.contains_properly(parents, kids).all()


def test_provinces_within_bounds(national: tuple[float, gpd.GeoDataFrame]) -> None:
    gap, frame = national
    minx, miny, maxx, maxy = frame.total_bounds
    bx0, by0, bx1, by1 = SCHEMATIC_BOUNDS
    assert minx >= bx0 - TOL and miny >= by0 - TOL and maxx <= bx1 + TOL and maxy <= by1 + TOL
    if gap > 0:
        assert minx > bx0 and miny > by0 and maxx < bx1 and maxy < by1
    else:  # gapless provinces tile the whole box
        assert np.allclose(frame.total_bounds, SCHEMATIC_BOUNDS)


def test_custom_bounds_respected(national_codes: list[str]) -> None:
    bounds = (0.0, 0.0, 2.0, 10.0)
    frame = schematic_layout(national_codes[:1000], bounds=bounds)
    box = shapely.box(*bounds)
    assert shapely.contains_properly(box, frame.geometry.values).all()
    provinces = _level(frame, "province")
    assert _area(provinces).sum() == pytest.approx((1 - DEFAULT_GAP) * _bounds_area(bounds))


def _assert_no_overlap(geoms: np.ndarray, gap: float) -> None:
    """Pairwise intersection areas ≈ 0 (STRtree for candidate pairs)."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    if gap > 0:  # gutters: siblings do not even touch
        assert len(left) == 0, f"{len(left)} touching pairs"
    areas = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    assert (areas <= 1e-12).all(), f"max overlap {areas.max()}"


@pytest.mark.parametrize("level", ["province", "district", "tambon"])
def test_siblings_do_not_overlap(national: tuple[float, gpd.GeoDataFrame], level: str) -> None:
    # Checking the whole level at once is stronger than per parent: it also covers
    # cousins, which are disjoint because their parents are.
    gap, frame = national
    _assert_no_overlap(_level(frame, level).geometry.values, gap)


@pytest.mark.parametrize("level", ["province", "district", "tambon"])
def test_area_proportional_to_tambon_count(national: tuple[float, gpd.GeoDataFrame], level: str) -> None:
    gap, frame = national
    rows = _level(frame, level)
    per_tambon = _area(rows) / rows["n_tambons"].to_numpy()
    assert per_tambon.max() / per_tambon.min() - 1 < 1e-6
    # Exact relation to the bounds: each level keeps (1 - gap) of its cell.
    depth = ["province", "district", "tambon"].index(level) + 1
    unit = _bounds_area(SCHEMATIC_BOUNDS) / rows["n_tambons"].sum() * (1 - gap) ** depth
    assert per_tambon.mean() == pytest.approx(unit, rel=1e-9)


def test_counts_add_up(national: tuple[float, gpd.GeoDataFrame]) -> None:
    _, frame = national
    districts = _level(frame, "district")
    tambons = _level(frame, "tambon")
    assert (tambons["n_tambons"] == 1).all()
    by_district = tambons.groupby("parent").size()
    assert (districts.set_index("code")["n_tambons"] == by_district.reindex(districts["code"])).all()
    by_province = districts.groupby("parent")["n_tambons"].sum()
    provinces = _level(frame, "province").set_index("code")["n_tambons"]
    assert (provinces == by_province.reindex(provinces.index)).all()


def test_aspect_ratios_reasonable(national: tuple[float, gpd.GeoDataFrame]) -> None:
    """Squarified layout keeps units clickable: no slivers at any level."""
    _, frame = national
    b = frame.geometry.bounds
    w, h = b["maxx"] - b["minx"], b["maxy"] - b["miny"]
    ratio = np.maximum(w / h, h / w)
    assert ratio.max() < 8
    assert ratio.median() < 2


def test_reads_like_thailand(national: tuple[float, gpd.GeoDataFrame]) -> None:
    """North on top, north-east top-right, Bangkok in the middle, the south at the bottom."""
    _, frame = national
    provinces = _level(frame, "province")
    c = gpd.GeoSeries(shapely.centroid(provinces.geometry.values), index=provinces["code"])
    north, northeast = c[c.index.str[0] == "5"], c[c.index.str[0].isin(["3", "4"])]
    south = c[c.index.str[0].isin(["8", "9"])]
    assert north.y.min() > south.y.max()
    assert northeast.y.min() > south.y.max()
    assert north.x.mean() < northeast.x.mean()
    assert south.y.max() < c["10"].y < north.y.min()
    assert c["50"].y > c["10"].y > c["90"].y  # Chiang Mai > Bangkok > Songkhla


# --- small inputs and errors -----------------------------------------------------------


def test_single_province(national_codes: list[str]) -> None:
    bangkok = [c for c in national_codes if c.startswith("10")]
    frame = schematic_layout(bangkok)
    assert frame["level"].value_counts().to_dict() == {
        "province": 1,
        "district": len({c[:4] for c in bangkok}),
        "tambon": len(bangkok),
    }
    [province] = _level(frame, "province").geometry
    assert province.area == pytest.approx((1 - DEFAULT_GAP) * _bounds_area(SCHEMATIC_BOUNDS))
    assert shapely.contains_properly(province, frame.geometry.values[1:]).all()
    _assert_no_overlap(_level(frame, "tambon").geometry.values, DEFAULT_GAP)


def test_single_tambon() -> None:
    frame = schematic_layout(["100101"])
    assert frame["code"].tolist() == ["10", "1001", "100101"]
    areas = _area(frame)
    assert np.allclose(areas[1:] / areas[:-1], 1 - DEFAULT_GAP)


def test_unknown_region_digit_still_laid_out() -> None:
    frame = schematic_layout(["010101", "010102", "100101", "500101"])
    assert set(_level(frame, "province")["code"]) == {"01", "10", "50"}
    _assert_no_overlap(_level(frame, "province").geometry.values, DEFAULT_GAP)


def test_empty_input_raises() -> None:
    with pytest.raises(ValueError, match="at least one tambon code"):
        schematic_layout([])
    with pytest.raises(ValueError, match="at least one tambon code"):
        schematic_layout(iter(()))


@pytest.mark.parametrize("bad", [["1001"], ["10010a"], [100101], ["1001011"]])
def test_malformed_codes_raise(bad: list) -> None:
    with pytest.raises(ValueError, match="6-digit"):
        schematic_layout(bad)


def test_single_string_rejected() -> None:
    with pytest.raises(TypeError, match="not a single string"):
        schematic_layout("100101")


@pytest.mark.parametrize("kwargs", [{"gap": 1.0}, {"gap": -0.1}, {"bounds": (1, 1, 1, 2)}])
def test_bad_parameters_raise(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        schematic_layout(["100101"], **kwargs)


# --- speed ------------------------------------------------------------------------------


def test_national_layout_is_fast(national_codes: list[str]) -> None:
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        schematic_layout(national_codes)
        timings.append(time.perf_counter() - started)
    print(f"\nschematic_layout national: best {min(timings) * 1000:.0f} ms of {len(timings)}")
    assert min(timings) < 2.0


# --- villages ---------------------------------------------------------------------------
# Villages are placed with geodata.village_points.place_villages on every map (its own
# guarantees are tested in tests/geodata/test_village_points.py); here: on the schematic
# rectangles the demo places them in, every village of the country lands strictly inside its
# own tambon, on a point of its own.


def _villages_for(tambons: list[str]) -> dict[str, list[str]]:
    """Deterministic 1…30 villages per tambon (หมู่ 1…n), listed out of order."""
    return {t: [f"{t}{m:02d}" for m in range(int(t) % 30 + 1, 0, -1)] for t in tambons}


def test_villages_inside_their_schematic_tambon(national_codes: list[str]) -> None:
    tambons = _level(schematic_layout(national_codes), "tambon")
    geoms = dict(zip(tambons["code"], tambons.geometry))
    villages = _villages_for(list(geoms))
    started = time.perf_counter()
    points = {code: p for t, codes in villages.items() for code, p in place_villages(geoms[t], codes).items()}
    elapsed = time.perf_counter() - started
    print(f"\nplace_villages on the schematic map: {len(points)} points in {elapsed * 1000:.0f} ms")
    assert len(points) == sum(len(v) for v in villages.values())
    codes = list(points)
    owners = np.array([geoms[c[:6]] for c in codes], dtype=object)
    assert shapely.contains_properly(owners, np.array(list(points.values()), dtype=object)).all()
    # Distinct positions within each tambon.
    assert len({(c[:6], p.x, p.y) for c, p in points.items()}) == len(points)


# --- picture ----------------------------------------------------------------------------


def test_render_png(national_codes: list[str], artifacts: Path) -> None:
    """Render the national schematic for people to look at (tests/artifacts/schematic.png)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = schematic_layout(national_codes)
    provinces = _level(frame, "province")
    fig, ax = plt.subplots(figsize=(8, 13))
    try:
        provinces.assign(region=provinces["code"].str[0]).plot(
            ax=ax, column="region", cmap="tab10", alpha=0.35, edgecolor="black", linewidth=1.6
        )
        _level(frame, "district").plot(ax=ax, facecolor="none", edgecolor="0.25", linewidth=0.5)
        _level(frame, "tambon").plot(ax=ax, facecolor="none", edgecolor="0.55", linewidth=0.12)
        for code, geom in zip(provinces["code"], provinces.geometry):
            c = geom.centroid
            ax.annotate(code, (c.x, c.y), ha="center", va="center", fontsize=7, weight="bold")
        ax.set_title("planmap schematic: province → district → tambon (area ∝ tambons)")
        ax.set_xlim(SCHEMATIC_BOUNDS[0] - 0.2, SCHEMATIC_BOUNDS[2] + 0.2)
        ax.set_ylim(SCHEMATIC_BOUNDS[1] - 0.2, SCHEMATIC_BOUNDS[3] + 0.2)
        ax.set_aspect("equal")
        out = artifacts / "schematic.png"
        fig.savefig(out, dpi=120, bbox_inches="tight")
    finally:
        plt.close(fig)
    assert out.stat().st_size > 50_000
