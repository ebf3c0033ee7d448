"""Store precomputed web geometry (boundary or schematic) for one level, and cluster outlines."""

from __future__ import annotations

from collections.abc import Mapping

import psycopg

from geodata.areas import parent_of
from geodata.db import query


def replace_web_geometries(cur: psycopg.Cursor, level: str, geoms: Mapping[str, str], *, source: str) -> int:
    """Replace the level's web geometry with ``geoms`` (code → GeoJSON); returns total bytes.

    Codes not in ``areas`` are skipped (a boundary file's extra codes are inserted as areas
    before this runs, so nothing real is lost).
    """
    cur.execute(query("web_geom_replace"), {"level": level})
    known = {row[0] for row in cur.execute("SELECT code FROM areas WHERE code = ANY(%s)", [list(geoms)]).fetchall()}
    total = 0
    with cur.copy("COPY area_web_geom (code, level, parent_code, source, geojson) FROM STDIN") as copy:
        for code, geojson in geoms.items():
            if code in known:
                copy.write_row([code, level, parent_of(code), source, geojson])
                total += len(geojson)
    return total


def refresh_cluster_web_geometry(cur: psycopg.Cursor) -> None:
    """Recompute cluster outlines from their provinces (after provinces or clusters change)."""
    cur.execute(query("cluster_web_geom"))
