"""Tests for geodata.webgeom on the real boundary files and on small edge cases."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geodata.boundaries import read_boundaries
from geodata.webgeom import (
    COORD_DECIMALS,
    SIMPLIFY_TOLERANCE,
    to_feature_collection,
    web_geometries,
)
from tests.helpers import shared_data_dir

BOUNDARIES = shared_data_dir() / "boundaries"
LEVELS = {"province": 1, "district": 2, "tambon": 3}


@pytest.fixture(scope="module", params=list(LEVELS))
def real(request: pytest.FixtureRequest) -> tuple[str, gpd.GeoDataFrame, dict[str, str]]:
    """(level, original frame, web geometries) for each real file; prints sizes with -s."""
    level = request.param
    path = BOUNDARIES / f"tha_adm{LEVELS[level]}.geojson"
    if not path.exists():
        pytest.skip(f"shared boundary data not found at {path}")
    [layer] = read_boundaries(path)
    geoms = web_geometries(layer.frame, level)
    size = len(to_feature_collection(geoms).encode())
    print(
        f"\n{level}: {len(geoms)} features, tolerance {SIMPLIFY_TOLERANCE[level]}°, "
        f"feature collection {size / 1024:.0f} KB"
    )
    return level, layer.frame, geoms


def test_every_code_valid_and_non_empty(real: tuple[str, gpd.GeoDataFrame, dict[str, str]]) -> None:
    _, frame, geoms = real
    assert list(geoms) == list(frame["code"])
    parsed = shapely.from_geojson(list(geoms.values()))
    assert (shapely.get_type_id(parsed) == shapely.GeometryType.MULTIPOLYGON).all()
    assert shapely.is_valid(parsed).all()
    assert not shapely.is_empty(parsed).any()


def test_compact_and_rounded(real: tuple[str, gpd.GeoDataFrame, dict[str, str]]) -> None:
    _, _, geoms = real
    for text in geoms.values():
        assert text.startswith('{"type":"MultiPolygon","coordinates":[[[[')
        assert " " not in text and not re.search(r"[0-9][eE]", text)  # no exponents
        assert not re.search(rf"\.[0-9]{{{COORD_DECIMALS + 1},}}", text)


def test_neighbours_still_share_borders(real: tuple[str, gpd.GeoDataFrame, dict[str, str]]) -> None:
    """No gaps (same union area) and no overlaps (parts add up to the union)."""
    _, frame, geoms = real
    simplified = shapely.from_geojson(list(geoms.values()))
    union = shapely.union_all(simplified).area
    assert union == pytest.approx(shapely.union_all(frame.geometry.array).area, rel=0.01)
    assert shapely.area(simplified).sum() == pytest.approx(union, rel=0.001)


def test_feature_collection_text() -> None:
    geoms = web_geometries(
        frame_of({"10": shapely.box(100, 13, 100.5, 13.5), "11": shapely.box(100.5, 13, 101, 13.5)}), "province"
    )
    collection = json.loads(to_feature_collection(geoms))
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == ["10", "11"]
    assert all(f["properties"] == {} and f["type"] == "Feature" for f in collection["features"])
    assert collection["features"][0]["geometry"] == json.loads(geoms["10"])
    assert json.loads(to_feature_collection({})) == {"type": "FeatureCollection", "features": []}


def frame_of(geoms: dict[str, shapely.Geometry], crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": list(geoms)}, geometry=list(geoms.values()), crs=crs)


def test_overlapping_input_falls_back_and_stays_valid() -> None:
    """Overlaps make the coverage invalid; per-geometry simplification still gives valid output."""
    wiggly = shapely.Point(100.5, 13.5).buffer(0.3, quad_segs=64)
    frame = frame_of({"10": wiggly, "11": shapely.box(100.6, 13.2, 101.2, 13.8)})
    assert not shapely.coverage_is_valid(frame.geometry.array)
    parsed = [shapely.from_geojson(g) for g in web_geometries(frame, "province").values()]
    assert all(g.is_valid and not g.is_empty for g in parsed)
    assert shapely.get_num_coordinates(parsed[0]) < shapely.get_num_coordinates(wiggly)


def test_tiny_polygon_is_never_lost() -> None:
    """A polygon smaller than the rounding grid keeps a one-cell placeholder, not nothing."""
    frame = frame_of(
        {"100101": shapely.box(100.00001, 13.00001, 100.00002, 13.00002), "100102": shapely.box(100.1, 13, 100.2, 13.1)}
    )
    tiny = shapely.from_geojson(web_geometries(frame, "tambon")["100101"])
    assert tiny.is_valid and not tiny.is_empty
    assert tiny.bounds == pytest.approx((100.0, 13.0, 100.0001, 13.0001))


def test_projected_frame_is_reprojected() -> None:
    frame = frame_of({"10": shapely.box(100, 13, 100.5, 13.5)}).to_crs("EPSG:32647")
    bounds = shapely.from_geojson(web_geometries(frame, "province")["10"]).bounds
    assert np.allclose(bounds, (100, 13, 100.5, 13.5), atol=1e-3)


def test_tolerances_are_read_only() -> None:
    assert set(SIMPLIFY_TOLERANCE) == set(LEVELS)
    with pytest.raises(TypeError):
        SIMPLIFY_TOLERANCE["tambon"] = 1.0  # type: ignore[index]
