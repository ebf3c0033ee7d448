"""Read-side queries the dashboard and exports share (SQL in ``geodata/sql``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import psycopg

from geodata.db import query

MAP_LEVELS = ("cluster", "province", "district", "tambon")


@dataclass(frozen=True)
class MapArea:
    code: str
    name_th: str
    name_en: str | None
    geojson: str
    items: int | None
    requested: Decimal | None


@dataclass(frozen=True)
class DataStatus:
    synthetic: bool
    schematic: bool
    fiscal_years: tuple[int, ...]
    boundary_version: str | None
    data_date: dt.datetime | None


def map_layer(conn: psycopg.Connection, level: str, fiscal_year: int, plan_level: str) -> list[MapArea]:
    """Areas of ``level`` with web geometry and their demand totals (all values bound)."""
    if level not in MAP_LEVELS:
        raise ValueError(f"unknown map level {level!r}")
    rows = conn.execute(query("map_layer"), {
        "level": level, "fiscal_year": fiscal_year, "plan_level": plan_level,
    }).fetchall()
    return [MapArea(**row) for row in rows]


def data_status(conn: psycopg.Connection) -> DataStatus:
    row = conn.execute(query("data_status")).fetchone()
    return DataStatus(row["synthetic"], row["schematic"], tuple(row["fiscal_years"]),
                      row["boundary_version"], row["data_date"])
