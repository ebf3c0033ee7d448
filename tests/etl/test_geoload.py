"""`planmap geo load` against a real PostGIS: counts, gazetteer differences, reprojection,
idempotency, and bad inputs that load nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import psycopg
import pytest

from etl.geoload import load_boundaries
from geodata.boundaries import BoundaryError
from geodata.db import connect
from geodata.settings import Settings


def _geom_counts(conn: psycopg.Connection) -> dict[str, int]:
    rows = conn.execute("SELECT level, count(*) AS n FROM areas WHERE geom IS NOT NULL GROUP BY level").fetchall()
    return {r["level"]: r["n"] for r in rows}


def _fingerprint(conn: psycopg.Connection) -> tuple:
    row = conn.execute(
        "SELECT count(*) AS n, md5(string_agg(code || ST_AsBinary(geom)::text, ',' ORDER BY code)) AS g"
        " FROM areas WHERE geom IS NOT NULL"
    ).fetchone()
    web = conn.execute("SELECT md5(string_agg(code || geojson, ',' ORDER BY code)) AS w FROM area_web_geom").fetchone()
    return row["n"], row["g"], web["w"]


def test_real_boundaries_load_with_gazetteer_differences(conn: psycopg.Connection, shared_data: Path) -> None:
    report = load_boundaries(conn, [shared_data / "boundaries"])
    print("\n" + report.describe())
    assert _geom_counts(conn) == {"province": 77, "district": 928, "tambon": 7425}
    tambon = next(r for r in report.levels if r.level == "tambon")
    assert len(tambon.not_in_gazetteer) == 3
    assert len(tambon.missing_from_file) == 14
    assert {r.level: (len(r.not_in_gazetteer), len(r.missing_from_file)) for r in report.levels} == {
        "province": (0, 0),
        "district": (0, 0),
        "tambon": (3, 14),
    }
    # The three extra codes are kept as areas, so no polygon is lost.
    kept = conn.execute(
        "SELECT count(*) AS n FROM areas WHERE code = ANY(%s) AND geom IS NOT NULL", [list(tambon.not_in_gazetteer)]
    ).fetchone()["n"]
    assert kept == 3
    web = conn.execute(
        "SELECT level, count(*) AS n, sum(length(geojson)) AS bytes FROM area_web_geom GROUP BY level ORDER BY level"
    ).fetchall()
    print({r["level"]: f"{r['n']} areas, {r['bytes'] / 1024:.0f} KB" for r in web})
    assert {r["level"]: r["n"] for r in web} == {"cluster": 18, "province": 77, "district": 928, "tambon": 7425}
    run = conn.execute("SELECT status, details FROM import_runs WHERE id = %s", [report.run_id]).fetchone()
    assert run["status"] == "loaded"
    assert run["details"]["levels"]["tambon"]["missing_from_file"][0] == "100910"


def test_loading_again_changes_nothing(conn: psycopg.Connection, shared_data: Path) -> None:
    load_boundaries(conn, [shared_data / "boundaries"])
    first = _fingerprint(conn)
    load_boundaries(conn, [shared_data / "boundaries"])
    assert _fingerprint(conn) == first


def test_utm_shapefile_loads_to_the_same_areas(conn: psycopg.Connection, shared_data: Path, tmp_path: Path) -> None:
    provinces = gpd.read_file(shared_data / "boundaries" / "tha_adm1.geojson")
    north = provinces[provinces["ADM1_PCODE"].isin(["TH50", "TH57", "TH58"])]
    utm = north[["ADM1_PCODE", "ADM1_TH", "ADM1_EN", "geometry"]].to_crs(32647)
    utm.columns = [c.lower() if c != "geometry" else c for c in utm.columns]
    utm = utm.set_geometry("geometry")
    utm.to_file(tmp_path / "north.shp", encoding="utf-8")
    report = load_boundaries(conn, [tmp_path / "north.shp"])
    assert report.levels[0].crs_in.endswith("32647")
    rows = conn.execute(
        "SELECT code, ST_Area(geom::geography) AS area FROM areas WHERE level = 'province' AND geom IS NOT NULL"
        " ORDER BY code"
    ).fetchall()
    assert [r["code"] for r in rows] == ["50", "57", "58"]
    original = north.to_crs(32647).set_index(north["ADM1_PCODE"].str[2:]).area
    for r in rows:
        assert r["area"] == pytest.approx(original[r["code"]], rel=0.005)


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    no_code = tmp / "no_code.geojson"
    no_code.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},'
        '"geometry":{"type":"Polygon","coordinates":[[[100,14],[101,14],[101,15],[100,14]]]}}]}'
    )
    empty = tmp / "empty.geojson"
    empty.write_text('{"type":"FeatureCollection","features":[]}')
    table = tmp / "table.csv"
    table.write_text("ADM1_PCODE,ADM1_TH\nTH10,กรุงเทพมหานคร\n")
    corrupt = tmp / "corrupt.zip"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip file")
    slip = tmp / "slip.zip"
    with zipfile.ZipFile(slip, "w") as zf:
        zf.writestr("../evil.geojson", '{"type":"FeatureCollection","features":[]}')
    return {"code column": no_code, "empty": empty, "table": table, "valid zip": corrupt, "..": slip}


@pytest.mark.parametrize("case", ["code column", "empty", "table", "valid zip", ".."])
def test_bad_input_is_refused_and_loads_nothing(db: Settings, shared_data: Path, tmp_path: Path, case: str) -> None:
    with connect(db) as conn:
        load_boundaries(conn, [shared_data / "boundaries" / "tha_adm1.geojson"])
        before = _fingerprint(conn), conn.execute("SELECT count(*) AS n FROM import_runs").fetchone()["n"]
        bad = _bad_inputs(tmp_path)[case]
        with pytest.raises((BoundaryError, ValueError)) as caught:
            load_boundaries(conn, [shared_data / "boundaries" / "tha_adm2.geojson", bad])
        assert bad.name in str(caught.value)
        assert case in str(caught.value).lower() or case == "table"
        after = _fingerprint(conn), conn.execute("SELECT count(*) AS n FROM import_runs").fetchone()["n"]
    assert after == before
