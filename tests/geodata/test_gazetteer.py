"""The gazetteer in the database: every area exists without polygons; clusters are data."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from geodata.gazetteer import load_clusters, read_clusters


def _count(conn: psycopg.Connection, where: str) -> int:
    return conn.execute(f"SELECT count(*) AS n FROM areas WHERE {where}").fetchone()["n"]


def test_every_current_area_exists(conn: psycopg.Connection) -> None:
    assert _count(conn, "level = 'province' AND status = 'current'") == 77
    assert _count(conn, "level = 'district' AND status = 'current'") == 928
    assert _count(conn, "level = 'tambon' AND status = 'current'") == 7436
    assert _count(conn, "code = 'TH'") == 1
    orphans = _count(conn, "level <> 'country' AND level <> 'cluster' AND parent_code IS NULL")
    assert orphans == 0


def test_abolished_codes_point_to_successors(conn: psycopg.Connection) -> None:
    row = conn.execute("SELECT status, successor_codes FROM areas WHERE code = '100205'").fetchone()
    assert row == {"status": "abolished", "successor_codes": ["102901"]}
    assert _count(conn, "status = 'abolished'") > 1000


def test_bangkok_uses_khet_and_khwaeng(conn: psycopg.Connection) -> None:
    name = conn.execute("SELECT name_th FROM areas WHERE code = '1001'").fetchone()["name_th"]
    assert name.startswith("เขต")


def test_packaged_clusters(conn: psycopg.Connection) -> None:
    rows = conn.execute(
        "SELECT count(DISTINCT cluster_code) AS clusters, count(*) AS provinces FROM cluster_provinces"
    ).fetchone()
    assert rows == {"clusters": 18, "provinces": 76}
    bangkok = conn.execute("SELECT count(*) AS n FROM cluster_provinces WHERE province_code = '10'").fetchone()
    assert bangkok["n"] == 0


def test_clusters_are_replaceable(conn: psycopg.Connection, tmp_path: Path) -> None:
    csv = tmp_path / "clusters.csv"
    csv.write_text(
        "cluster_id,cluster_name_th,cluster_name_en,province_code\nC01,กลุ่มทดลอง,Trial,37\nC02,กลุ่มสอง,Two,22\n",
        encoding="utf-8",
    )
    assert load_clusters(conn, read_clusters(csv)) == 2
    names = conn.execute("SELECT code, name_th FROM areas WHERE level = 'cluster' ORDER BY code").fetchall()
    assert names == [{"code": "C01", "name_th": "กลุ่มทดลอง"}, {"code": "C02", "name_th": "กลุ่มสอง"}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cluster_id,cluster_name_th\nC01,x\n", "missing column"),
        ("cluster_id,cluster_name_th,cluster_name_en,province_code\nX1,a,b,37\n", ":2: cluster_id 'X1'"),
        ("cluster_id,cluster_name_th,cluster_name_en,province_code\nC01,a,b,99\n", ":2: province_code '99'"),
        (
            "cluster_id,cluster_name_th,cluster_name_en,province_code\nC01,a,b,37\nC02,c,d,37\n",
            ":3: province 37 already",
        ),
    ],
)
def test_bad_cluster_files_name_line_and_value(tmp_path: Path, text: str, message: str) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_clusters(csv)
