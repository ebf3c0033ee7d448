"""GIS layers of the current view (GeoPackage, GeoJSON) for QGIS and geopandas, in EPSG:4326.

Both are written by GDAL through pyogrio into a temporary folder and read back as bytes, so the
files are exactly what GDAL itself would produce. The export metadata travels with the data: in
the GeoPackage as the layer description plus a ``metadata`` attribute table (label, value), in
the GeoJSON as the layer description and a ``metadata`` member (ignored by readers that do not
know it, as RFC 7946 allows).
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from dashboard.exports.model import CRS, ExportMeta

LAYER_CHARS = 60


def _prepared(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame in EPSG:4326 with plain column types GDAL can write (Decimals become floats)."""
    if frame.crs is None:
        frame = frame.set_crs(CRS)
    out = frame.to_crs(CRS).copy()
    for name in out.columns:
        if name != out.geometry.name and out[name].dtype == object:
            sample = out[name].dropna()
            if len(sample) and all(isinstance(v, (int, float)) or hasattr(v, "as_tuple") for v in sample):
                out[name] = out[name].astype("float64")
    return out


def _description(meta: ExportMeta) -> str:
    return " | ".join(f"{label}: {value}" for label, value in meta.lines())


def layer_name(layer: str) -> str:
    """A GeoPackage table name: letters, digits and underscores (Thai letters are kept)."""
    kept = "".join(
        ch if ch.isalnum() or ch == "_" or unicodedata.category(ch) in ("Mn", "Mc") else "_"
        for ch in unicodedata.normalize("NFC", layer)
    )
    cleaned = re.sub(r"_{2,}", "_", kept).strip("_")
    return (cleaned or "areas")[:LAYER_CHARS]


def to_geopackage(frame: gpd.GeoDataFrame, layer: str, meta: ExportMeta) -> bytes:
    """The aggregated layer (codes, Thai/English names, every metric) as a GeoPackage."""
    name = layer_name(layer)
    with tempfile.TemporaryDirectory(prefix="planmap-gpkg-") as folder:
        path = Path(folder) / "export.gpkg"
        pyogrio.write_dataframe(
            _prepared(frame),
            path,
            layer=name,
            driver="GPKG",
            layer_options={"DESCRIPTION": _description(meta), "IDENTIFIER": meta.title[:200]},
        )
        table = pd.DataFrame(meta.lines(), columns=["label", "value"])
        pyogrio.write_dataframe(table, path, layer="metadata", driver="GPKG", append=False)
        return path.read_bytes()


def to_geojson(frame: gpd.GeoDataFrame, meta: ExportMeta) -> bytes:
    """The aggregated layer as RFC 7946 GeoJSON (WGS 84, 7 decimals), with a metadata member."""
    with tempfile.TemporaryDirectory(prefix="planmap-geojson-") as folder:
        path = Path(folder) / "export.geojson"
        pyogrio.write_dataframe(
            _prepared(frame),
            path,
            driver="GeoJSON",
            layer_options={"RFC7946": "YES", "DESCRIPTION": _description(meta), "WRITE_NAME": "NO"},
        )
        document = json.loads(path.read_text(encoding="utf-8"))
    document["metadata"] = {label: value for label, value in meta.lines()}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
