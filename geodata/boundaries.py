"""Read official administrative boundary files into clean, checked layers.

Users bring boundaries from OCHA COD-AB (HDX), DOPA or GISTDA as GeoJSON, GeoPackage,
shapefile, a folder of those, or a zip of any of them. Every later step (database, maps,
joins with budget data) relies on one shape of data, so this module turns any of them into
:class:`BoundaryLayer` objects with the same four columns in EPSG:4326, and refuses, with a
message a non-programmer can act on, anything that would make the numbers wrong: bad or
duplicate codes, missing geometry, coordinates in an unknown system, unsafe zip files.

Codes follow COD-AB P-codes (``TH370101``) and are stored as DOPA codes (``370101``):
2 digits for a province, 4 for a district, 6 for a tambon.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Literal

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import MultiPolygon, Polygon

Level = Literal["province", "district", "tambon"]

# ADMn level -> (level name, number of digits in the DOPA code)
_LEVELS: Mapping[int, tuple[Level, int]] = MappingProxyType({1: ("province", 2), 2: ("district", 4), 3: ("tambon", 6)})
_VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
_SUPPORTED_SUFFIXES = (*_VECTOR_SUFFIXES, ".zip")
# A zip expanding beyond this is treated as a zip bomb: no boundary file comes close.
MAX_UNZIPPED_BYTES = 2 * 1024**3
# A file without a CRS is accepted as longitude/latitude only if it lies around Thailand.
_THAI_LONLAT_BOX = (90.0, 0.0, 110.0, 25.0)  # min lon, min lat, max lon, max lat


class BoundaryError(ValueError):
    """A boundary source cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class BoundaryLayer:
    """One administrative level read from one file (or GeoPackage layer).

    ``frame`` has exactly the columns code, name_th, name_en, geometry (MultiPolygon,
    EPSG:4326). ``crs_in`` is the source CRS ("EPSG:4326" when a CRS-less file was
    accepted as longitude/latitude). ``repaired`` counts invalid geometries fixed with
    ``shapely.make_valid``, so a loader can report how much the source needed mending.
    """

    level: Level
    source: str
    frame: gpd.GeoDataFrame
    crs_in: str
    repaired: int


def read_boundaries(path: str | os.PathLike[str]) -> list[BoundaryLayer]:
    """Read every boundary layer in a file, GeoPackage, folder or zip.

    Raises :class:`BoundaryError` for anything unusable; nothing is half-read.
    """
    path = Path(path)
    if not path.exists():
        raise BoundaryError(f"{path.name}: file or folder not found ({path})")
    return _read_path(path, label=path.name, inside_zip=False)


def to_multipolygon(geom: shapely.Geometry | None) -> MultiPolygon:
    """Keep only the polygonal parts of ``geom`` as one MultiPolygon (possibly empty).

    ``make_valid`` and precision reduction can return collections holding stray lines or
    points; maps and area sums only want the polygons.
    """
    if geom is None:
        return MultiPolygon()
    polygons: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon) and not part.is_empty:
            polygons.append(part)
        elif isinstance(part, (MultiPolygon, shapely.GeometryCollection)):
            polygons.extend(to_multipolygon(part).geoms)
    return MultiPolygon(polygons)


# --- sources -------------------------------------------------------------------------------


def _read_path(path: Path, label: str, inside_zip: bool) -> list[BoundaryLayer]:
    """Dispatch on what ``path`` is; ``label`` is the name used in messages."""
    if path.is_dir():
        return _read_directory(path, label, inside_zip)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        if inside_zip:
            raise BoundaryError(f"{label}: a zip inside a zip is not supported; unzip it first")
        return _read_zip(path, label)
    if suffix not in _VECTOR_SUFFIXES:
        raise BoundaryError(
            f"{label}: unsupported file type {path.suffix or '(no extension)'!r}; expected "
            "GeoJSON (.geojson/.json), GeoPackage (.gpkg), shapefile (.shp), a folder or a .zip"
        )
    if path.stat().st_size == 0:
        raise BoundaryError(f"{label}: the file is empty")
    if suffix == ".gpkg":
        try:
            layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        except Exception as exc:
            raise BoundaryError(f"{label}: cannot open as a GeoPackage ({exc})") from exc
        if not layers:
            raise BoundaryError(f"{label}: the GeoPackage has no layers")
        return [_read_layer(path, f"{label}:{layer}", layer) for layer in layers]
    return [_read_layer(path, label, None)]


def _read_directory(folder: Path, label: str, inside_zip: bool) -> list[BoundaryLayer]:
    """Read every supported file below ``folder`` in sorted order, skipping hidden folders.

    Shapefile side files (.dbf, .prj, ...) and unrelated files are skipped, as is the
    ``__MACOSX`` folder that zips made on macOS carry.
    """
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__MACOSX"]
        found += [
            Path(root, f) for f in files if not f.startswith(".") and Path(f).suffix.lower() in _SUPPORTED_SUFFIXES
        ]
    if not found:
        raise BoundaryError(f"{label}: no boundary files found (looked for {', '.join(_SUPPORTED_SUFFIXES)})")
    layers: list[BoundaryLayer] = []
    for file in sorted(found, key=lambda p: p.relative_to(folder).as_posix()):
        name = f"{label}/{file.relative_to(folder).as_posix()}"
        layers += _read_path(file, name, inside_zip)
    return layers


def _read_zip(path: Path, label: str) -> list[BoundaryLayer]:
    """Check every member for safety, extract to a private temporary folder, read it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_zip_members(members, label)
            with tempfile.TemporaryDirectory(prefix="planmap-zip-") as tmp:
                archive.extractall(tmp, members)
                return _read_directory(Path(tmp), label, inside_zip=True)
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise BoundaryError(f"{label}: not a valid zip file ({exc})") from exc
    except NotImplementedError as exc:  # e.g. Deflate64 from Windows Explorer
        message = f"{label}: cannot unzip ({exc}); re-zip it with standard compression"
        raise BoundaryError(message) from exc


def _check_zip_members(members: list[zipfile.ZipInfo], label: str) -> None:
    """Refuse members that would escape the extraction folder or blow up the disk.

    Checking declared sizes is enough: ``zipfile`` never writes more than a member's
    declared size (a lying header fails its CRC check instead).
    """
    total = 0
    for info in members:
        name = info.filename.replace("\\", "/")
        mode = info.external_attr >> 16
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
            raise BoundaryError(f"{label}: unsafe member {info.filename!r} (absolute path)")
        if ".." in PurePosixPath(name).parts:
            raise BoundaryError(f"{label}: unsafe member {info.filename!r} ('..' in path)")
        if stat.S_ISLNK(mode):
            raise BoundaryError(f"{label}: unsafe member {info.filename!r} (symbolic link)")
        total += info.file_size
        if total > MAX_UNZIPPED_BYTES:
            raise BoundaryError(
                f"{label}: member {info.filename!r} takes the zip beyond "
                f"{MAX_UNZIPPED_BYTES // 1024**2} MB uncompressed; refusing a possible zip bomb"
            )


# --- one layer -----------------------------------------------------------------------------


def _read_layer(path: Path, source: str, layer: str | None) -> BoundaryLayer:
    """Read one layer and turn it into the standard four columns, checking every row."""
    try:
        raw = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:  # pyogrio/GDAL errors are many and not user-facing
        raise BoundaryError(f"{source}: cannot read the file ({exc})") from exc
    if not isinstance(raw, gpd.GeoDataFrame) or raw.active_geometry_name is None:
        raise BoundaryError(
            f"{source}: has no geometry column; a boundary file needs polygons (a plain table cannot be used)"
        )
    if len(raw) == 0:
        raise BoundaryError(f"{source}: has no features")

    adm, columns = _find_columns(raw, source)
    level, digits = _LEVELS[adm]
    code_field = columns["PCODE"]
    codes = [_dopa_code(v, digits, source, row, code_field, level) for row, v in enumerate(raw[code_field], start=1)]
    _check_unique(codes, source, level)
    for row, geom in enumerate(raw.geometry, start=1):
        if geom is None or geom.is_empty:
            raise BoundaryError(f"{source}: row {row}: the geometry is empty")

    crs_in, frame = _to_wgs84(raw, source)
    geoms, repaired = _clean_geometries(frame.geometry.array, source)
    out = gpd.GeoDataFrame(
        {
            "code": codes,
            "name_th": _names(raw, columns.get("TH")),
            "name_en": _names(raw, columns.get("EN")),
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    return BoundaryLayer(level=level, source=source, frame=out, crs_in=crs_in, repaired=repaired)


def _find_columns(raw: gpd.GeoDataFrame, source: str) -> tuple[int, dict[str, str]]:
    """Find the deepest ADMn_PCODE column and its name columns, in any letter case.

    A tambon file also carries ADM2_/ADM1_ parent columns, so the deepest level wins.
    Returns (n, {"PCODE": column, "TH": column, "EN": column}) with missing names omitted.
    """
    by_upper: dict[str, str] = {}
    for col in raw.columns:
        by_upper.setdefault(str(col).upper(), str(col))
    for adm in (3, 2, 1):
        if f"ADM{adm}_PCODE" in by_upper:
            return adm, {
                key: by_upper[f"ADM{adm}_{key}"] for key in ("PCODE", "TH", "EN") if f"ADM{adm}_{key}" in by_upper
            }
    found = ", ".join(str(c) for c in raw.columns if c != raw.active_geometry_name)
    raise BoundaryError(
        f"{source}: no code column (expected ADM1_PCODE, ADM2_PCODE or ADM3_PCODE); found columns: {found or '(none)'}"
    )


def _dopa_code(value: Any, digits: int, source: str, row: int, field: str, level: str) -> str:
    """P-code (``TH370101``, ``370101``, 370101, 370101.0) -> DOPA code string ``370101``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # numeric DBF/GeoJSON fields come back as floats
    text = "" if pd.isna(value) else str(value).strip()
    if text[:2].upper() == "TH":
        text = text[2:]
    text = re.sub(r"^([0-9]+)\.0+$", r"\1", text)  # "370101.0" from a mixed-type column
    expected = f"a {level} code: TH followed by {digits} digits"
    if not text:
        raise BoundaryError(f"{source}: row {row}: field {field} is empty (expected {expected})")
    if not re.fullmatch(rf"[0-9]{{{digits}}}", text):
        shown = repr(value) if isinstance(value, str) else str(value)
        raise BoundaryError(f"{source}: row {row}: field {field} has value {shown}, which is not {expected}")
    return text


def _check_unique(codes: list[str], source: str, level: str) -> None:
    """Two rows with one code would double-count the area's data; name both rows."""
    first_row: dict[str, int] = {}
    for row, code in enumerate(codes, start=1):
        if code in first_row:
            raise BoundaryError(f"{source}: duplicate {level} code {code!r} in rows {first_row[code]} and {row}")
        first_row[code] = row


def _names(raw: pd.DataFrame, column: str | None) -> list[str | None]:
    """Name column as clean strings; a missing column or blank value becomes None."""
    if column is None:
        return [None] * len(raw)
    return [(v.strip() or None) if isinstance(v, str) else None for v in raw[column]]


def _to_wgs84(raw: gpd.GeoDataFrame, source: str) -> tuple[str, gpd.GeoDataFrame]:
    """Reproject to EPSG:4326; return (source CRS, frame).

    A file without a CRS is accepted only if its coordinates plainly are longitude and
    latitude around Thailand: guessing a UTM zone would silently misplace the map.
    """
    if raw.crs is None:
        min_x, min_y, max_x, max_y = raw.total_bounds
        box = _THAI_LONLAT_BOX
        if not (box[0] <= min_x and max_x <= box[2] and box[1] <= min_y and max_y <= box[3]):
            raise BoundaryError(
                f"{source}: has no coordinate reference system and its coordinates are not "
                "longitude/latitude around Thailand; add the .prj file next to the .shp "
                "(or export the file with its CRS)"
            )
        return "EPSG:4326", raw.set_crs("EPSG:4326")
    epsg = raw.crs.to_epsg()
    crs_in = f"EPSG:{epsg}" if epsg else raw.crs.to_string()
    try:
        frame = raw.to_crs("EPSG:4326")
    except Exception as exc:
        raise BoundaryError(f"{source}: cannot convert from {crs_in} to EPSG:4326 ({exc})") from exc
    min_x, min_y, max_x, max_y = frame.total_bounds
    if not (-180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90):
        raise BoundaryError(
            f"{source}: coordinates do not fit the declared CRS {crs_in} "
            "(they are not valid longitude/latitude after conversion); check the CRS / .prj"
        )
    return crs_in, frame


def _clean_geometries(geoms: Any, source: str) -> tuple[list[MultiPolygon], int]:
    """Repair invalid geometries, keep polygonal parts, force MultiPolygon.

    Returns (geometries, number repaired). A row without polygons (points, lines) is an
    error: a code without an area cannot be drawn or joined.
    """
    out: list[MultiPolygon] = []
    repaired = 0
    for row, geom in enumerate(geoms, start=1):
        geom = shapely.force_2d(geom)
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
            repaired += 1
        multi = to_multipolygon(geom)
        if multi.is_empty:
            raise BoundaryError(f"{source}: row {row}: the geometry has no polygon area ({geom.geom_type})")
        out.append(multi)
    return out, repaired
