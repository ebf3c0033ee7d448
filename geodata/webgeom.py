"""Small, precomputed GeoJSON geometry for the web map.

The dashboard draws every province, district or tambon of the country in the browser, so
the geometry sent must be small (simplified, 4 decimals ≈ 11 m) and computed once rather
than on each request. Simplification works on the whole coverage at once so neighbouring
areas keep sharing their borders: no slivers or gaps appear between tambons.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LinearRing, MultiPolygon

from geodata.boundaries import to_multipolygon

# Simplification tolerance in degrees per level (roughly the square root of the smallest
# triangle area kept; 0.01° ≈ 1.1 km). The workplace's COD-AB files are already simplified
# (~8 vertices per tambon, mostly at junctions) so these barely change them; they matter
# for full-resolution files, where they keep the national layers small.
SIMPLIFY_TOLERANCE: Mapping[str, float] = MappingProxyType({"province": 0.01, "district": 0.004, "tambon": 0.0015})
COORD_DECIMALS: int = 4


def web_geometries(frame: gpd.GeoDataFrame, level: str) -> dict[str, str]:
    """Map each ``code`` of ``frame`` to a compact GeoJSON MultiPolygon string.

    Every code gets a valid, non-empty geometry: a polygon that simplification or rounding
    would erase keeps its unsimplified shape, and as a last resort its rounded bounding box,
    so that no area silently disappears from the map.
    """
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    originals = shapely.force_2d(np.asarray(frame.geometry.array, dtype=object))
    tolerance = SIMPLIFY_TOLERANCE[level]
    if shapely.coverage_is_valid(originals):
        simplified = shapely.coverage_simplify(originals, tolerance)
    else:  # overlaps or unmatched edges: coverage simplification could break topology
        simplified = shapely.simplify(originals, tolerance, preserve_topology=True)
    return {
        str(code): _geojson(_rounded(simple, original))
        for code, simple, original in zip(frame["code"], simplified, originals)
    }


def to_feature_collection(geoms: Mapping[str, str]) -> str:
    """Build FeatureCollection text from ``web_geometries`` output, with ``"id": code``.

    The geometry strings are pasted in as they are: re-parsing thousands of them on each
    page load would cost more than the map itself.
    """
    features = ",".join(
        f'{{"type":"Feature","id":{json.dumps(code)},"properties":{{}},"geometry":{geom}}}'
        for code, geom in geoms.items()
    )
    return f'{{"type":"FeatureCollection","features":[{features}]}}'


def _rounded(simplified: shapely.Geometry, original: shapely.Geometry) -> MultiPolygon:
    """Snap to the COORD_DECIMALS grid keeping the result valid; never return empty."""
    grid = 10.0**-COORD_DECIMALS
    for candidate in (simplified, original):
        snapped = to_multipolygon(shapely.set_precision(candidate, grid))
        if not snapped.is_empty:
            return shapely.orient_polygons(snapped)  # RFC 7946: outer rings anticlockwise
    min_x, min_y, max_x, max_y = np.round(original.bounds, COORD_DECIMALS)
    return MultiPolygon([shapely.box(min_x, min_y, max(max_x, min_x + grid), max(max_y, min_y + grid))])


def _geojson(geom: MultiPolygon) -> str:
    """Compact GeoJSON text with coordinates written to COORD_DECIMALS decimals."""

    def ring(coords: LinearRing) -> list[list[float]]:
        return np.round(np.asarray(coords.coords), COORD_DECIMALS).tolist()

    polygons = [[ring(p.exterior), *map(ring, p.interiors)] for p in geom.geoms]
    return json.dumps({"type": "MultiPolygon", "coordinates": polygons}, separators=(",", ":"))
