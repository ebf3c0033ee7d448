"""Load official boundaries into the areas of the gazetteer, and precompute web geometry.

Every file is read and checked before anything is written; then each level is replaced in one
transaction (a level's polygons come from one boundary set, never a mix of two vintages).
Codes the file has but the gazetteer lacks are kept as ``boundary_only`` areas so no polygon is
lost; gazetteer areas the file lacks keep existing without geometry. Both lists are reported.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import shapely
from psycopg.rows import tuple_row

from etl import runs
from etl.db import query, run_script
from etl.villages import place_village_points
from geodata.boundaries import BoundaryLayer, read_boundaries
from geodata.webgeom import web_geometries
from geodata.webgeom_store import refresh_cluster_web_geometry, replace_web_geometries

LEVEL_ORDER = ("province", "district", "tambon")


@dataclass(frozen=True)
class LevelReport:
    """What loading one level did; printed by ``planmap geo load`` and kept in import_runs."""

    level: str
    source: str
    features: int
    repaired: int
    crs_in: str
    not_in_gazetteer: tuple[str, ...]
    missing_from_file: tuple[str, ...]
    web_bytes: int

    def describe(self) -> str:
        lines = [
            f"{self.level}: {self.features} features from {self.source} ({self.crs_in}),"
            f" {self.repaired} repaired, web geometry {self.web_bytes / 1024:.0f} KB",
        ]
        if self.not_in_gazetteer:
            lines.append(
                f"  in the file, not in the gazetteer ({len(self.not_in_gazetteer)}): "
                + ", ".join(self.not_in_gazetteer[:20])
            )
        if self.missing_from_file:
            lines.append(
                f"  in the gazetteer, not in the file ({len(self.missing_from_file)}): "
                + ", ".join(self.missing_from_file[:20])
                + (" …" if len(self.missing_from_file) > 20 else "")
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class GeoLoadReport:
    levels: tuple[LevelReport, ...]
    seconds: float
    run_id: int
    notes: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        body = "\n".join(level.describe() for level in self.levels)
        return f"{body}\nloaded in {self.seconds:.1f} s (import run {self.run_id})"


def read_all(paths: Iterable[Path]) -> list[BoundaryLayer]:
    """Read every path; one level may come from one file only, so ambiguity is an error."""
    layers: list[BoundaryLayer] = []
    for path in paths:
        layers.extend(read_boundaries(path))
    by_level: dict[str, BoundaryLayer] = {}
    for layer in layers:
        if layer.level in by_level:
            raise ValueError(
                f"two boundary files for the {layer.level} level: {by_level[layer.level].source}"
                f" and {layer.source}; load one boundary set per level"
            )
        by_level[layer.level] = layer
    if not by_level:
        raise ValueError("no boundary layers found in " + ", ".join(map(str, paths)))
    return [by_level[level] for level in LEVEL_ORDER if level in by_level]


def load_boundaries(conn: psycopg.Connection, paths: Sequence[Path]) -> GeoLoadReport:
    """Read, check, then store boundaries and web geometry for each level found in ``paths``."""
    started = time.perf_counter()
    layers = read_all(paths)
    webs = {layer.level: web_geometries(layer.frame, layer.level) for layer in layers}
    checksums = {str(p): _sha256(p) for p in paths if Path(p).is_file()}
    reports: list[LevelReport] = []
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
        run_id = runs.start(
            cur, "boundaries", ", ".join(str(p) for p in paths), checksum=",".join(checksums.values()) or None
        )
        for layer in layers:
            reports.append(_store_level(cur, layer, webs[layer.level]))
        refresh_cluster_web_geometry(cur)
        if any(r.level == "tambon" for r in reports):  # village points follow the new outlines
            place_village_points(cur)
        details = {
            "version": ", ".join(f"{r.source}" for r in reports),
            "levels": {
                r.level: {
                    "source": r.source,
                    "features": r.features,
                    "repaired": r.repaired,
                    "crs_in": r.crs_in,
                    "not_in_gazetteer": list(r.not_in_gazetteer),
                    "missing_from_file": list(r.missing_from_file),
                    "web_bytes": r.web_bytes,
                }
                for r in reports
            },
        }
        runs.finish(cur, run_id, "loaded", {r.level: r.features for r in reports}, details)
    return GeoLoadReport(tuple(reports), time.perf_counter() - started, run_id)


def _store_level(cur: psycopg.Cursor, layer: BoundaryLayer, web: dict[str, str]) -> LevelReport:
    cur.execute(query("boundary_stage"))
    with cur.copy("COPY stage_boundaries (code, name_th, name_en, geom_wkb) FROM STDIN") as copy:
        for code, name_th, name_en, geom in layer.frame[["code", "name_th", "name_en", "geometry"]].itertuples(
            index=False, name=None
        ):
            copy.write_row([code, name_th, name_en, shapely.to_wkb(geom, hex=True)])
    not_in_gazetteer = tuple(
        r[0] for r in cur.execute(query("boundary_unknown_codes"), {"level": layer.level}).fetchall()
    )
    run_script(cur, "boundary_apply", {"level": layer.level})
    missing = tuple(r[0] for r in cur.execute(query("boundary_missing_codes"), {"level": layer.level}).fetchall())
    web_bytes = replace_web_geometries(cur, layer.level, web, source="boundary")
    return LevelReport(
        level=layer.level,
        source=layer.source,
        features=len(layer.frame),
        repaired=layer.repaired,
        crs_in=layer.crs_in,
        not_in_gazetteer=not_in_gazetteer,
        missing_from_file=missing,
        web_bytes=web_bytes,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
