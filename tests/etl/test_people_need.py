"""Villages, population and TPMAP need from the real files in ../shared/data, loaded into a real
PostGIS: the counts reconcile to the sources, loading again changes nothing, a bad file loads
nothing and says where, and the database's per-capita and need figures equal hand computation."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from etl.geoload import load_boundaries
from etl.need import NeedFileError, load_need
from etl.population import PopulationFileError, load_population
from etl.villages import VillageListError, load_villages

VILLAGES = Path("villages/muban_list_2022")
POPULATION = Path("population/dopa_tambon_2017_2021/population_derived.csv.gz")
NEED = Path("need/tpmap_2561/raw")


def _count(conn: psycopg.Connection, sql: str, params: dict | None = None) -> int:
    return conn.execute(sql, params or {}).fetchone()["n"]


def _fingerprint(conn: psycopg.Connection, table: str) -> str:
    return conn.execute(f"SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) AS h FROM {table} t").fetchone()["h"]


def test_the_village_list_loads_every_current_village(conn: psycopg.Connection, shared_data: Path) -> None:
    report = load_villages(conn, shared_data / VILLAGES / "raw" / "Geocode")
    derived = pd.read_csv(shared_data / VILLAGES / "muban_derived.csv.gz", dtype=str)
    current = derived[derived["obsolete"].isna()]
    assert report.current == len(current) == 75_207
    loaded = _count(
        conn, "SELECT count(*) AS n FROM areas WHERE level = 'village' AND status = 'current' AND NOT is_synthetic"
    )
    assert loaded == 75_207
    assert _count(conn, "SELECT count(*) AS n FROM areas WHERE level = 'village' AND status = 'abolished'") == 67
    # names as the list has them, parent = the tambon of the code
    row = conn.execute("SELECT name_th, name_en, parent_code FROM areas WHERE code = '37010409'").fetchone()
    assert (row["name_th"], row["name_en"], row["parent_code"]) == ("บ้านดอนก่อ", "Ban Don Ko", "370104")
    # the Royal Gazette rename of 2020 keeps the old name findable
    former = conn.execute("SELECT name_th, renamed_on::text AS d FROM area_former_names WHERE code = '37010409'")
    assert [(r["name_th"], r["d"]) for r in former] == [("บ้านก่อนาดี", "2020-06-11")]
    # a village without a name in the list is called by its number
    assert conn.execute("SELECT name_th FROM areas WHERE code = '13030201'").fetchone()["name_th"] == "หมู่ที่ 1"
    # no boundaries in this database: no point is invented
    assert report.points_placed == 0

    # the derived CSV holds the same villages (and no renames, which stay): nothing changes
    before = _fingerprint(conn, "areas") + _fingerprint(conn, "area_former_names")
    again = load_villages(conn, shared_data / VILLAGES / "muban_derived.csv.gz")
    assert (again.added, again.changed) == (0, 0)
    assert _fingerprint(conn, "areas") + _fingerprint(conn, "area_former_names") == before


def test_villages_are_placed_inside_their_tambon(conn: psycopg.Connection, shared_data: Path, tmp_path: Path) -> None:
    import geopandas as gpd

    tambons = gpd.read_file(shared_data / "boundaries" / "tha_adm3.geojson")
    tambons[tambons["ADM1_PCODE"] == "TH37"].to_file(tmp_path / "tambons37.geojson", driver="GeoJSON")
    load_boundaries(conn, [tmp_path / "tambons37.geojson"])
    villages = tmp_path / "villages37.csv"
    with gzip.open(shared_data / VILLAGES / "muban_derived.csv.gz", "rt", encoding="utf-8") as src:
        rows = [r for r in csv.DictReader(src) if r["changwat_code"] == "37"]
    with villages.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = load_villages(conn, villages)
    current = sum(not r["obsolete"] for r in rows)
    assert report.points_placed == current
    outside = _count(
        conn,
        "SELECT count(*) AS n FROM areas v JOIN areas t ON t.code = v.parent_code"
        " WHERE v.code LIKE '37%%' AND v.level = 'village' AND v.status = 'current'"
        " AND NOT (v.point_approximate AND ST_Within(v.point, t.geom))",
    )
    assert outside == 0
    points = _fingerprint(conn, "areas")
    assert load_villages(conn, villages).changed == 0
    assert _fingerprint(conn, "areas") == points


def test_a_bad_village_file_loads_nothing(conn: psycopg.Connection, tmp_path: Path) -> None:
    bad = tmp_path / "villages.csv"
    bad.write_text("muban_code,name_th,name_en,obsolete\n37010101,บ้านอ่างใหญ่,Ban Ang Yai,\n3701012,บ้านผิด,,\n")
    with pytest.raises(VillageListError, match=r"villages.csv, row 3: field geocode '3701012'"):
        load_villages(conn, bad)
    assert _count(conn, "SELECT count(*) AS n FROM areas WHERE level = 'village'") == 0
    assert _count(conn, "SELECT count(*) AS n FROM import_runs WHERE kind = 'villages'") == 0


def test_population_reconciles_and_is_read_for_the_nearest_year(conn: psycopg.Connection, shared_data: Path) -> None:
    path = shared_data / POPULATION
    with pytest.raises(PopulationFileError, match=r"row 32172, field geocode = '7265'"):
        load_population(conn, path)
    assert _count(conn, "SELECT count(*) AS n FROM area_population") == 0

    report = load_population(conn, path, allow_rejects=True)
    source = pd.read_csv(path, dtype={"geocode": str})
    assert report.rows == len(source) - 3 - 1  # three empty duplicates of แม่เมาะ, one rejected row
    assert report.national[2564] == 66_171_439
    # 2021: the tambons of every province sum to the province
    mismatched = conn.execute(
        "SELECT p.code FROM area_population p"
        " JOIN (SELECT left(code, 2) AS province, sum(total) AS total FROM area_population"
        "       WHERE year_be = 2564 AND length(code) = 6 GROUP BY 1) t ON t.province = p.code"
        " WHERE p.year_be = 2564 AND t.total <> p.total"
    ).fetchall()
    assert mismatched == []
    assert _count(conn, "SELECT count(*) AS n FROM area_population WHERE year_be = 2564 AND code ~ '^[0-9]{2}$'") == 77
    # the source's own figures, by hand: Khon Kaen and tambon บ้านไผ่ (401001) on 31 Dec 2021
    by_code = source[source["year"] == 2021].set_index("geocode")["total"]
    found = {
        r["code"]: (r["population"], r["year_be"])
        for r in conn.execute("SELECT * FROM population_for(ARRAY['40', '401001', 'TH'], 2565)")
    }
    assert found["40"] == (int(by_code["40"]), 2564)
    assert found["401001"] == (17_434, 2564)
    # FY 2563 runs Oct 2019 – Sep 2020: the count of 31 Dec 2019 (2562) lies inside it
    fy2563 = conn.execute("SELECT year_be FROM population_for(ARRAY['40'], 2563)").fetchone()["year_be"]
    assert fy2563 == 2562
    # a cluster is the sum of its provinces
    cluster = conn.execute(
        "SELECT cluster_code AS c, array_agg(province_code) AS members FROM cluster_provinces"
        " GROUP BY 1 ORDER BY 1 LIMIT 1"
    ).fetchone()
    if cluster:
        total = conn.execute("SELECT population FROM population_for(%s, 2565)", [[cluster["c"]]]).fetchone()
        assert total["population"] == sum(int(by_code[m]) for m in cluster["members"])

    before = _fingerprint(conn, "area_population")
    again = load_population(conn, path, allow_rejects=True)
    assert (again.added, again.changed, again.removed) == (0, 0, 0)
    assert _fingerprint(conn, "area_population") == before


def test_tpmap_need_reconciles_to_the_country_totals(conn: psycopg.Connection, shared_data: Path) -> None:
    report = load_need(conn, shared_data / NEED)
    assert report.survey_year_be == 2561
    assert report.country["households"] == 12_935_866
    assert report.country["target_poor"] == 1_032_987
    totals = conn.execute(
        "SELECT CASE WHEN code = 'TH' THEN 0 ELSE length(code) END AS len, sum(households) AS h, sum(persons) AS p, sum(target_poor) AS tp"
        " FROM area_need WHERE survey_year_be = 2561 GROUP BY 1 ORDER BY 1"
    ).fetchall()
    # every level as the source publishes it sums to the same country figures
    assert {(r["h"], r["p"], r["tp"]) for r in totals} == {(12_935_866, 36_647_817, 1_032_987)}
    assert report.rows == {"village": 82_389, "tambon": 7_588, "district": 878, "province": 76, "country": 1}
    # Amnat Charoen's own row, by hand from the province files
    common = pd.read_csv(shared_data / NEED / "61" / "61_province_common.csv.gz", dtype={"province_ID": str})
    poor = pd.read_csv(shared_data / NEED / "61" / "61_province_11111.csv.gz", dtype={"province_ID": str})
    c37 = common.set_index("province_ID").loc["37"]
    p37 = poor.set_index("province_ID").loc["37"]
    need = conn.execute("SELECT * FROM need_for(ARRAY['37'], 2565)").fetchone()
    assert need["persons"] == c37["HOUSEMEMBER_CNT"]
    assert need["target_poor"] == p37["poor.JPT.MOFval.CNT"]
    assert need["poor_income"] == p37["poor.JPT.MOFval.income"]
    assert need["indicator_failing"][0] == c37["indicator1.CNT"]
    assert need["survey_year_be"] == 2561

    before = _fingerprint(conn, "area_need")
    load_need(conn, shared_data / NEED)
    assert _fingerprint(conn, "area_need") == before


def test_a_bad_need_file_loads_nothing(conn: psycopg.Connection, shared_data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "61"
    folder.mkdir()
    for name in ("61_37_tambol_common.csv.gz", "61_37_tambol_11111.csv.gz"):
        (folder / name).write_bytes((shared_data / NEED / "61" / name).read_bytes())
    frame = pd.read_csv(folder / "61_37_tambol_11111.csv.gz", dtype=str)
    frame.loc[3, "poor.JPT.MOFval.CNT"] = "สิบ"
    (folder / "61_37_tambol_11111.csv.gz").unlink()
    frame.to_csv(folder / "61_37_tambol_11111.csv", index=False)
    with pytest.raises(NeedFileError, match=r"61_37_tambol_11111.csv, row 5, field poor.JPT.MOFval.CNT = 'สิบ'"):
        load_need(conn, folder)
    assert _count(conn, "SELECT count(*) AS n FROM area_need") == 0


def test_the_loaded_village_list_places_more_items_in_villages(
    conn: psycopg.Connection, shared_data: Path, tmp_path: Path
) -> None:
    """A real provincial workbook (Phitsanulok, 65) read with and without the village list: with
    it, "บ้านX" written with its tambon finds the village; nothing loses tambon precision."""
    from etl.importer import read_all
    from etl.load import read_gazetteer
    from etl.locate import Locator
    from etl.records import plan_records
    from etl.village_index import read_village_index

    assert read_village_index(conn) is None  # no list loaded: the locator works as before
    villages = tmp_path / "villages65.csv"
    with gzip.open(shared_data / VILLAGES / "muban_derived.csv.gz", "rt", encoding="utf-8") as src:
        rows = [r for r in csv.DictReader(src) if r["changwat_code"] == "65"]
    with villages.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    load_villages(conn, villages)
    index = read_village_index(conn)
    assert index is not None and len(index) == len(rows)

    folder = shared_data / "plans" / "thaime_2020_loan_proposals" / "raw_by_province"
    workbook = next(folder.glob("* พิษณุโลก (99คก491ลบ)อปท.xlsx"))
    tables = read_all([workbook], "plans", None).tables
    gaz = read_gazetteer(conn)
    plain = Locator()

    def located(locator: Locator) -> dict[str, str]:
        outcome = plan_records(tables, level="local", fiscal_year=2563, gaz=gaz, locator=locator)
        return {r.title: r.place.code for r in outcome.records}

    before, after = located(plain), located(plain.with_villages(index))
    assert before.keys() == after.keys()
    to_village = [t for t in before if len(before[t]) == 6 and len(after[t]) == 8 and after[t].startswith(before[t])]
    lost = [t for t in before if len(before[t]) >= 6 and len(after[t]) < 6]
    assert to_village, "no item found its village by name"
    assert not lost
    # the village each was given is the one its title names
    names = {r["muban_code"]: r["name_th"].removeprefix("บ้าน") for r in rows}
    assert all(names[after[t]] in t for t in to_village), [(t, after[t]) for t in to_village]
