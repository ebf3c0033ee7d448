"""Tests for geodata.boundaries: real COD-AB files, converted formats, and bad inputs."""

from __future__ import annotations

import json
import stat
import time
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import geothai
import pandas as pd
import pyogrio
import pytest
import shapely

from geodata import boundaries
from geodata.boundaries import BoundaryError, BoundaryLayer, read_boundaries
from tests.helpers import shared_data_dir

BOUNDARIES = shared_data_dir() / "boundaries"


def square(x: float, y: float = 13.0, size: float = 0.1) -> dict[str, Any]:
    """GeoJSON polygon: a square with its south-west corner at (x, y)."""
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def write_geojson(path: Path, rows: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> Path:
    """Write (properties, geometry) rows as a FeatureCollection; return the path."""
    features = [{"type": "Feature", "properties": p, "geometry": g} for p, g in rows]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def read_one(path: Path) -> BoundaryLayer:
    layers = read_boundaries(path)
    assert len(layers) == 1
    return layers[0]


@pytest.fixture(scope="module")
def real() -> dict[str, BoundaryLayer]:
    """The three shared COD-AB files, read once; prints each read time (see with -s)."""
    if not BOUNDARIES.is_dir():
        pytest.skip(f"shared boundary data not found at {BOUNDARIES}")
    layers = {}
    for n in (1, 2, 3):
        start = time.perf_counter()
        layer = read_one(BOUNDARIES / f"tha_adm{n}.geojson")
        print(f"\nread tha_adm{n}.geojson: {time.perf_counter() - start:.3f} s")
        layers[layer.level] = layer
    return layers


@pytest.fixture(scope="module")
def provinces_wgs84(real: dict[str, BoundaryLayer]) -> gpd.GeoDataFrame:
    """Five provinces in the west (all inside UTM zone 47), for format round trips."""
    frame = real["province"].frame
    return frame[frame["code"].isin(["10", "11", "12", "13", "70"])].reset_index(drop=True)


@pytest.fixture
def utm_shapefile(tmp_path: Path, provinces_wgs84: gpd.GeoDataFrame) -> Path:
    """A shapefile as GIS desks make them: UTM 47N, lower-case truncated column names."""
    frame = provinces_wgs84.to_crs("EPSG:32647").rename(
        columns={"code": "adm1_pcode", "name_th": "adm1_th", "name_en": "adm1_en"}
    )
    frame["adm1_pcode"] = "TH" + frame["adm1_pcode"]
    folder = tmp_path / "shp"
    folder.mkdir()
    path = folder / "provinces.shp"
    frame.to_file(path, engine="pyogrio")
    return path


# --- real files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "count", "digits"),
    [
        ("province", 77, 2),
        ("district", 928, 4),
        ("tambon", 7425, 6),
    ],
)
def test_real_files(real: dict[str, BoundaryLayer], level: str, count: int, digits: int) -> None:
    layer = real[level]
    frame = layer.frame
    assert list(frame.columns) == ["code", "name_th", "name_en", "geometry"]
    assert len(frame) == count
    assert frame["code"].str.fullmatch(rf"[0-9]{{{digits}}}").all()
    assert frame["code"].is_unique
    assert frame.crs.to_epsg() == 4326 and layer.crs_in == "EPSG:4326"
    assert (frame.geom_type == "MultiPolygon").all() and frame.is_valid.all()
    assert frame["name_th"].notna().all() and frame["name_en"].notna().all()
    assert layer.repaired == 0


def test_provinces_and_districts_match_geothai(real: dict[str, BoundaryLayer]) -> None:
    provinces = {p.code for p in geothai.provinces()}
    districts = {d.code for p in provinces for d in geothai.districts(p)}
    assert set(real["province"].frame["code"]) == provinces
    assert set(real["district"].frame["code"]) == districts


def test_tambons_against_geothai(real: dict[str, BoundaryLayer]) -> None:
    """COD-AB 2019 and geothai differ by boundary vintage: a few new and abolished tambons."""
    districts = [d.code for p in geothai.provinces() for d in geothai.districts(p.code)]
    in_geothai = {t.code for d in districts for t in geothai.subdistricts(d)}
    in_file = set(real["tambon"].frame["code"])
    only_file, only_geothai = sorted(in_file - in_geothai), sorted(in_geothai - in_file)
    assert len(only_file) == 3, only_file
    assert len(only_geothai) == 14, only_geothai


# --- formats -----------------------------------------------------------------------------------


def assert_same_provinces(layer: BoundaryLayer, expected: gpd.GeoDataFrame) -> None:
    got = layer.frame.set_index("code").loc[list(expected["code"])]
    assert list(layer.frame["code"]) == list(expected["code"])
    assert list(got["name_th"]) == list(expected["name_th"])
    for mine, theirs in zip(got.geometry, expected.geometry):
        assert mine.area == pytest.approx(theirs.area, rel=1e-6)
        assert shapely.hausdorff_distance(mine, theirs) < 1e-6  # degrees, ≈ 0.1 mm


def test_utm_shapefile(utm_shapefile: Path, provinces_wgs84: gpd.GeoDataFrame) -> None:
    layer = read_one(utm_shapefile)
    assert (layer.level, layer.source, layer.crs_in) == ("province", "provinces.shp", "EPSG:32647")
    assert layer.frame.crs.to_epsg() == 4326
    assert_same_provinces(layer, provinces_wgs84)


def test_zip_of_shapefile(tmp_path: Path, utm_shapefile: Path, provinces_wgs84: gpd.GeoDataFrame) -> None:
    archive = tmp_path / "provinces.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for part in utm_shapefile.parent.iterdir():
            z.write(part, f"cod-ab/{part.name}")
        z.writestr("__MACOSX/cod-ab/._provinces.shp", b"\0\5\26\7")  # macOS debris, ignored
    layer = read_one(archive)
    assert layer.source == "provinces.zip/cod-ab/provinces.shp"
    assert layer.crs_in == "EPSG:32647"
    assert_same_provinces(layer, provinces_wgs84)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["provinces.zip", "shp"]  # no litter


def test_geopackage_reads_every_layer(tmp_path: Path, real: dict[str, BoundaryLayer]) -> None:
    path = tmp_path / "admin.gpkg"
    for n, level in ((1, "province"), (2, "district")):
        real[level].frame.rename(
            columns={
                "code": f"ADM{n}_PCODE",
                "name_th": f"ADM{n}_TH",
                "name_en": f"ADM{n}_EN",
            }
        ).to_file(path, layer=f"adm{n}", engine="pyogrio")
    layers = read_boundaries(path)
    assert [(x.source, x.level, len(x.frame)) for x in layers] == [
        ("admin.gpkg:adm1", "province", 77),
        ("admin.gpkg:adm2", "district", 928),
    ]


def test_directory_sorted_and_skips_hidden(tmp_path: Path) -> None:
    write_geojson(tmp_path / "b.geojson", [({"ADM1_PCODE": "TH11"}, square(100))])
    write_geojson(tmp_path / "a.json", [({"ADM2_PCODE": "TH1101"}, square(100))])
    (tmp_path / "README.txt").write_text("not boundaries")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "broken.geojson").write_text("{")
    layers = read_boundaries(tmp_path)
    assert [(x.source, x.level) for x in layers] == [
        (f"{tmp_path.name}/a.json", "district"),
        (f"{tmp_path.name}/b.geojson", "province"),
    ]


@pytest.mark.filterwarnings("ignore:Could not parse column")  # mixed number/text codes
def test_code_variants_and_missing_names(tmp_path: Path) -> None:
    """Numeric codes, lower-case 'th' prefix and absent name columns all read cleanly."""
    path = write_geojson(
        tmp_path / "t.geojson",
        [
            ({"adm3_pcode": 370101.0, "ADM2_PCODE": "TH3701"}, square(100)),
            ({"adm3_pcode": "th370102", "ADM2_PCODE": "TH3701"}, square(100.1)),
        ],
    )
    layer = read_one(path)
    assert layer.level == "tambon"
    assert list(layer.frame["code"]) == ["370101", "370102"]
    assert layer.frame["name_th"].isna().all() and layer.frame["name_en"].isna().all()
    numeric = write_geojson(tmp_path / "p.geojson", [({"ADM1_PCODE": 10}, square(100))])
    assert list(read_one(numeric).frame["code"]) == ["10"]


@pytest.mark.filterwarnings("ignore:'crs' was not provided")  # deliberately CRS-less
def test_no_crs_lonlat_is_accepted_projected_is_not(tmp_path: Path, utm_shapefile: Path) -> None:
    frame = gpd.GeoDataFrame({"ADM1_PCODE": ["TH10"]}, geometry=[shapely.box(100, 13, 101, 14)])
    frame.to_file(tmp_path / "lonlat.shp", engine="pyogrio")
    layer = read_one(tmp_path / "lonlat.shp")
    assert layer.crs_in == "EPSG:4326" and layer.frame.crs.to_epsg() == 4326

    utm_shapefile.with_suffix(".prj").unlink()
    with pytest.raises(BoundaryError, match=r"provinces\.shp: has no coordinate .*\.prj"):
        read_boundaries(utm_shapefile)


def test_projected_coordinates_labelled_lonlat_are_refused(tmp_path: Path) -> None:
    """GeoJSON without a "crs" member is taken as lon/lat by GDAL; UTM numbers can't be."""
    utm = square(600_000, 1_500_000, size=10_000)
    path = write_geojson(tmp_path / "utm.geojson", [({"ADM1_PCODE": "TH10"}, utm)])
    with pytest.raises(BoundaryError, match=r"^utm\.geojson: coordinates do not fit .*EPSG:4326"):
        read_boundaries(path)


def test_bow_tie_is_repaired_and_counted(tmp_path: Path) -> None:
    bow_tie = {"type": "Polygon", "coordinates": [[[100, 13], [101, 14], [101, 13], [100, 14], [100, 13]]]}
    path = write_geojson(
        tmp_path / "bow.geojson", [({"ADM1_PCODE": "TH10"}, bow_tie), ({"ADM1_PCODE": "TH11"}, square(102))]
    )
    layer = read_one(path)
    assert layer.repaired == 1
    geom = layer.frame.geometry.iloc[0]
    assert geom.geom_type == "MultiPolygon" and geom.is_valid and len(geom.geoms) == 2
    assert geom.area == pytest.approx(0.5)


# --- bad inputs --------------------------------------------------------------------------------


def test_missing_code_column(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "names.geojson", [({"name": "x", "pop": 1}, square(100))])
    with pytest.raises(BoundaryError) as info:
        read_boundaries(path)
    message = str(info.value)
    assert message.startswith("names.geojson: no code column (expected ADM1_PCODE, ADM2_PCODE")
    assert "found columns: name, pop" in message


def test_empty_feature_collection(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "empty.geojson", [])
    with pytest.raises(BoundaryError, match=r"^empty\.geojson: has no features"):
        read_boundaries(path)


def test_zero_byte_file(tmp_path: Path) -> None:
    (tmp_path / "zero.gpkg").touch()
    with pytest.raises(BoundaryError, match=r"^zero\.gpkg: the file is empty"):
        read_boundaries(tmp_path / "zero.gpkg")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("tambons.csv", "ADM3_PCODE,ADM3_EN\nTH370101,Nai Mueang\n"),
        ("map.kml", "<kml/>"),
    ],
)
def test_unsupported_file_types_are_refused(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    suffix = path.suffix.replace(".", "\\.")
    with pytest.raises(BoundaryError, match=rf"^{name.replace('.', '[.]')}: unsupported file type '{suffix}'"):
        read_boundaries(path)


def test_geopackage_attribute_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "table.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"ADM1_PCODE": ["TH10"]}), path, layer="codes")
    with pytest.raises(BoundaryError, match=r"^table\.gpkg:codes: has no geometry column"):
        read_boundaries(path)


def test_directory_without_boundaries(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(BoundaryError, match="no boundary files found"):
        read_boundaries(tmp_path)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match=r"^nope\.geojson: file or folder not found"):
        read_boundaries(tmp_path / "nope.geojson")


def test_corrupt_zip(tmp_path: Path) -> None:
    path = tmp_path / "random.zip"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(BoundaryError, match=r"^random\.zip: not a valid zip"):
        read_boundaries(path)


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        ("../evil.geojson", r"'\.\.' in path"),
        ("cod-ab/../../evil.geojson", r"'\.\.' in path"),
        ("/tmp/evil.geojson", "absolute path"),
        ("C:/evil.geojson", "absolute path"),
    ],
)
def test_zip_slip_is_refused(tmp_path: Path, member: str, reason: str) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    path = tmp_path / "inner" / "slip.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("ok.geojson", json.dumps({"type": "FeatureCollection", "features": []}))
        z.writestr(zipfile.ZipInfo(member), "{}")
    with pytest.raises(BoundaryError, match=rf"^slip\.zip: unsafe member '{member}' \({reason}\)"):
        read_boundaries(path)
    assert not (tmp_path / "evil.geojson").exists()


def test_zip_symlink_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "link.zip"
    info = zipfile.ZipInfo("boundaries.geojson")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(info, "/etc/passwd")
    with pytest.raises(BoundaryError, match=r"'boundaries\.geojson' \(symbolic link\)"):
        read_boundaries(path)


def test_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(boundaries, "MAX_UNZIPPED_BYTES", 1_000_000)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("small.geojson", b" " * 1000)
        z.writestr("zeros.geojson", b"\0" * 2_000_000)
    assert path.stat().st_size < 10_000
    with pytest.raises(BoundaryError, match=r"^bomb\.zip: member 'zeros\.geojson' .*zip bomb"):
        read_boundaries(path)


def test_zip_with_lying_sizes_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A header claiming 1 kB for 2 MB of data must not get past the size limit."""
    monkeypatch.setattr(boundaries, "MAX_UNZIPPED_BYTES", 1_000_000)
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.geojson", b"\0" * 2_000_000)
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[22:26] = data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).infolist()[0].file_size == 1000
    with pytest.raises(BoundaryError, match=r"^liar\.zip: not a valid zip file .*CRC"):
        read_boundaries(path)


def test_zip_inside_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "outer.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("inner.zip", b"")
    with pytest.raises(BoundaryError, match=r"^outer\.zip/inner\.zip: a zip inside a zip"):
        read_boundaries(path)


@pytest.mark.parametrize("value", ["THX1", "TH1", "TH101", "TH๑๐", "10.5"])
def test_bad_code_names_row_field_value(tmp_path: Path, value: Any) -> None:
    path = write_geojson(
        tmp_path / "bad.geojson", [({"ADM1_PCODE": "TH10"}, square(100)), ({"ADM1_PCODE": value}, square(101))]
    )
    with pytest.raises(BoundaryError) as info:
        read_boundaries(path)
    assert str(info.value).startswith(
        f"bad.geojson: row 2: field ADM1_PCODE has value {value!r}, which is not a province code"
    )


def test_bad_numeric_code(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "num.geojson", [({"ADM2_PCODE": 1001}, square(100)), ({"ADM2_PCODE": 101}, square(101))]
    )
    expected = r"^num\.geojson: row 2: field ADM2_PCODE has value 101, which is not a district"
    with pytest.raises(BoundaryError, match=expected):
        read_boundaries(path)


@pytest.mark.parametrize("value", ["", "  ", None])
def test_empty_code_names_row_and_field(tmp_path: Path, value: Any) -> None:
    path = write_geojson(
        tmp_path / "blank.geojson", [({"ADM1_PCODE": "TH10"}, square(100)), ({"ADM1_PCODE": value}, square(101))]
    )
    with pytest.raises(BoundaryError, match=r"^blank\.geojson: row 2: field ADM1_PCODE is empty"):
        read_boundaries(path)


def test_duplicate_code_names_both_rows(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "dup.geojson",
        [
            ({"ADM2_PCODE": "TH1001"}, square(100)),
            ({"ADM2_PCODE": "TH1002"}, square(101)),
            ({"ADM2_PCODE": "th1001"}, square(102)),
        ],
    )
    with pytest.raises(BoundaryError, match=r"^dup\.geojson: duplicate district code '1001' in rows 1 and 3"):
        read_boundaries(path)


def test_empty_geometry_names_row(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "hole.geojson", [({"ADM1_PCODE": "TH10"}, square(100)), ({"ADM1_PCODE": "TH11"}, None)]
    )
    with pytest.raises(BoundaryError, match=r"^hole\.geojson: row 2: the geometry is empty"):
        read_boundaries(path)
    path = write_geojson(tmp_path / "void.geojson", [({"ADM1_PCODE": "TH10"}, {"type": "Polygon", "coordinates": []})])
    with pytest.raises(BoundaryError, match=r"^void\.geojson: row 1: the geometry is empty"):
        read_boundaries(path)


def test_points_are_not_boundaries(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "points.geojson", [({"ADM1_PCODE": "TH10"}, {"type": "Point", "coordinates": [100.5, 13.7]})]
    )
    with pytest.raises(BoundaryError, match=r"^points\.geojson: row 1: .*no polygon area"):
        read_boundaries(path)


def test_unreadable_geojson(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(BoundaryError, match=r"^broken\.geojson: cannot read the file"):
        read_boundaries(path)


def test_boundary_error_is_value_error() -> None:
    assert issubclass(BoundaryError, ValueError)
