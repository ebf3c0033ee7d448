"""Exports for review meetings (issue 5): map images, the meeting pack, tables and GIS layers.

Every renderer is a pure function of the dataclasses in ``model`` (no Dash, no database), so
the dashboard's callbacks and the command line read the data once with ``geodata.queries`` and
share the same code. Public API:

- ``render_map(view, fmt, dpi)`` PNG/SVG/PDF of a ``MapView``
- ``render_pack(pack, fmt)`` PPTX/PDF of a ``PackData``
- ``to_xlsx`` / ``to_csv`` of rows and ``Column`` specs (``columns_from_grid`` for the page's grids)
- ``to_geopackage`` / ``to_geojson`` of ``area_frame(rows, geometries)``
- ``safe_filename`` and ``content_disposition`` for downloads
"""

from dashboard.exports.gis import to_geojson, to_geopackage
from dashboard.exports.mapimage import render_map
from dashboard.exports.model import ExportMeta, MapView, PackData, area_frame, filters_dict, geometry_frame, map_notes
from dashboard.exports.names import ascii_filename, content_disposition, safe_filename
from dashboard.exports.pack import render_pack
from dashboard.exports.tables import Column, columns_from_grid, to_csv, to_xlsx

__all__ = [
    "Column",
    "ExportMeta",
    "MapView",
    "PackData",
    "area_frame",
    "ascii_filename",
    "columns_from_grid",
    "content_disposition",
    "filters_dict",
    "geometry_frame",
    "map_notes",
    "render_map",
    "render_pack",
    "safe_filename",
    "to_csv",
    "to_geojson",
    "to_geopackage",
    "to_xlsx",
]
