"""Write the synthetic dataset into the database: replace the previous demo in one transaction.

Re-running with the same size and seed gives the same rows (the generator is deterministic and
the previous synthetic rows are removed first); real data loaded by imports is never touched.
Real villages of the gazetteer (``planmap geo villages``) are used, not copied: the demo's items
name them, and the only thing the demo may write to them is an approximate point when they have
none (or an approximate one that no longer fits the tambon's shape), placed exactly as
``planmap geo villages`` places them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql
from psycopg.rows import tuple_row

from etl import runs
from etl.db import query, refresh_aggregates
from etl.demo import SECTORS, SIZES, generate
from etl.overlaps import refresh_overlaps
from etl.villages import place_village_points
from geodata.schematic import schematic_layout
from geodata.webgeom import web_geometries
from geodata.webgeom_store import refresh_cluster_web_geometry, replace_web_geometries


@dataclass(frozen=True)
class DemoReport:
    size: str
    villages: int  # every village the demo's items use, real or invented
    plans: int
    items: int
    allocations: int
    schematic: bool
    seconds: float
    real_villages: int = 0  # of ``villages``, real villages of the gazetteer (not invented)

    def describe(self) -> str:
        kind = "schematic map (no boundary files loaded)" if self.schematic else "real boundaries"
        real = f" ({self.real_villages:,} real from the gazetteer)" if self.real_villages else ""
        return (
            f"SYNTHETIC demo '{self.size}': {self.villages:,} villages{real}, {self.plans:,} plans, "
            f"{self.items:,} plan items, {self.allocations:,} allocations; {kind}; "
            f"{self.seconds:.1f} s"
        )


def load_demo(conn: psycopg.Connection, size_name: str = "small", seed: int = 2568) -> DemoReport:
    """Generate and load the demo; draws the schematic map when no tambon geometry exists."""
    started = time.perf_counter()
    size = SIZES[size_name]
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
        schematic = ensure_map_geometry(cur)
        tambons = pd.DataFrame(
            cur.execute(
                "SELECT code, name_th FROM areas WHERE level = 'tambon' AND status = 'current' ORDER BY code"
            ).fetchall(),
            columns=["code", "name_th"],
        )
        clusters = dict(
            cur.execute(
                "SELECT province_code, cluster_code FROM cluster_provinces WHERE valid_to_fy IS NULL"
            ).fetchall()
        )
        real_villages = pd.DataFrame(
            cur.execute(query("demo_real_villages")).fetchall(),
            columns=["code", "parent_code", "name_th", "name_en", "current"],
        )
        data = generate(tambons, size, clusters, seed, real_villages)
        n_real = int((~data.villages["synthetic"]).sum())
        run_id = runs.start(
            cur,
            "demo",
            f"planmap demo --size {size_name} --seed {seed}",
            details={"size": size_name, "seed": seed, "synthetic": True},
        )
        cur.execute(query("demo_clear"))
        _insert_villages(cur, data.villages)
        org_base = _reserve(cur, "organisations", len(data.organisations))
        plan_base = _reserve(cur, "plans", len(data.plans))
        item_base = _reserve(cur, "plan_items", len(data.items))
        _copy(
            cur,
            "organisations",
            ("id", "kind", "name_th", "area_code", "parent_id", "is_synthetic"),
            (
                (org_base + r.id, r.kind, r.name_th, r.area_code, _plus(org_base, r.parent_id), True)
                for r in data.organisations.itertuples()
            ),
        )
        _copy(
            cur,
            "plans",
            ("id", "level", "area_code", "owner_id", "fiscal_year", "submitted_on", "import_run_id", "is_synthetic"),
            (
                (
                    plan_base + r.id,
                    r.level,
                    r.area_code,
                    _plus(org_base, r.owner_id),
                    r.fiscal_year,
                    r.submitted_on,
                    run_id,
                    True,
                )
                for r in data.plans.itertuples()
            ),
        )
        _copy(
            cur,
            "plan_items",
            (
                "id",
                "plan_id",
                "item_key",
                "title",
                "sector",
                "area_code",
                "location_precision",
                "location_confidence",
                "fiscal_year",
                "requested_amount",
                "beyond_capacity",
                "escalated_to_id",
                "import_run_id",
                "is_synthetic",
            ),
            (
                (
                    item_base + r.id,
                    plan_base + r.plan_id,
                    r.item_key,
                    r.title,
                    SECTORS[r.sector_idx],
                    r.area_code,
                    r.precision,
                    1.0,
                    r.fiscal_year,
                    _baht(r.requested),
                    r.beyond,
                    _plus(item_base, r.escalated_to_id),
                    run_id,
                    True,
                )
                for r in data.items.itertuples()
            ),
        )
        _copy(
            cur,
            "allocations",
            (
                "source_key",
                "fiscal_year",
                "agency_id",
                "funding_source",
                "title",
                "sector",
                "area_code",
                "location_precision",
                "location_confidence",
                "amount",
                "status",
                "notified_on",
                "plan_item_id",
                "match_confidence",
                "match_method",
                "import_run_id",
                "is_synthetic",
            ),
            (
                (
                    r.source_key,
                    r.fiscal_year,
                    _plus(org_base, r.agency_id),
                    r.funding_source,
                    r.title,
                    SECTORS[r.sector_idx],
                    r.area_code,
                    r.precision,
                    1.0,
                    _baht(r.amount),
                    r.status,
                    r.notified_on,
                    _plus(item_base, r.item_id),
                    *_reference(r.item_id),
                    run_id,
                    True,
                )
                for r in data.allocations.itertuples()
            ),
        )
        refresh_aggregates(cur)
        counts = {
            "villages": len(data.villages),
            "real_villages": n_real,
            "plans": len(data.plans),
            "items": len(data.items),
            "allocations": len(data.allocations),
        }
        refresh_overlaps(conn)
        runs.finish(cur, run_id, "loaded", counts)
    return DemoReport(
        size_name,
        len(data.villages),
        len(data.plans),
        len(data.items),
        len(data.allocations),
        schematic,
        time.perf_counter() - started,
        n_real,
    )


def ensure_map_geometry(cur: psycopg.Cursor) -> bool:
    """Draw the schematic map when no boundary geometry is loaded; True when the map is schematic."""
    has_boundaries = cur.execute(
        "SELECT EXISTS (SELECT 1 FROM area_web_geom WHERE level = 'tambon' AND source = 'boundary')"
    ).fetchone()[0]
    if has_boundaries:
        return False
    codes = [
        r[0]
        for r in cur.execute(
            "SELECT code FROM areas WHERE level = 'tambon' AND status = 'current' ORDER BY code"
        ).fetchall()
    ]
    layout = schematic_layout(codes)
    for level in ("province", "district", "tambon"):
        frame = layout[layout["level"] == level].reset_index(drop=True)
        replace_web_geometries(cur, level, web_geometries(frame, level), source="schematic")
    refresh_cluster_web_geometry(cur)
    return True


def _insert_villages(cur: psycopg.Cursor, villages: pd.DataFrame) -> None:
    """Write the invented villages, then place the points of all the demo's villages."""
    invented = villages[villages["synthetic"]]
    # A village an import already named (from its text) stays as it is; the demo adds the rest.
    # IF NOT EXISTS + TRUNCATE: a caller's open transaction may hold the previous run's tables
    cur.execute("CREATE TEMP TABLE IF NOT EXISTS stage_villages_demo (LIKE areas INCLUDING DEFAULTS) ON COMMIT DROP")
    cur.execute("TRUNCATE stage_villages_demo")
    _copy(
        cur,
        "stage_villages_demo",
        ("code", "level", "parent_code", "name_th", "name_en", "is_synthetic"),
        ((r.code, "village", r.parent_code, r.name_th, r.name_en, True) for r in invented.itertuples()),
    )
    cur.execute("INSERT INTO areas SELECT * FROM stage_villages_demo ON CONFLICT (code) DO NOTHING")
    place_village_points(cur, sorted(villages["parent_code"].unique().tolist()))


def _reserve(cur: psycopg.Cursor, table: str, n: int) -> int:
    """Reserve ``n`` ids of ``table``'s sequence; local id k (1…n) becomes base + k."""
    seq = cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()[0]
    first = cur.execute("SELECT nextval(%s)", [seq]).fetchone()[0]
    if n > 1:
        cur.execute("SELECT setval(%s, %s)", [seq, first + n - 1])
    return first - 1


def _copy(cur: psycopg.Cursor, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cur.copy(stmt) as copy:
        for row in rows:
            copy.write_row([_none_if_missing(v) for v in row])


def _reference(item_id: object) -> tuple[float | None, str | None]:
    """Demo allocations name the item they fund; the overlap twins deliberately name none."""
    return (None, None) if _none_if_missing(item_id) is None else (1.0, "reference")


def _none_if_missing(value: object) -> object:
    """pandas marks missing values as NaN/NA; the database wants NULL."""
    if value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value


def _plus(base: int, value: object) -> int | None:
    value = _none_if_missing(value)
    return None if value is None else base + int(value)


def _baht(satang: int) -> str:
    """Exact decimal text of an amount held in satang (never through float)."""
    satang = int(satang)
    return f"{satang // 100}.{satang % 100:02d}"
