"""One export of one view: read what the dashboard reads for that view, render the format.

The dashboard's download route and ``planmap export`` both come through here, with the same
``ViewState`` the page uses, so an export's numbers are the page's numbers (the same
``geodata.queries`` calls, the same ``metric_value``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import psycopg

from dashboard import i18n, views
from dashboard.exports.gis import to_geojson, to_geopackage
from dashboard.exports.mapimage import render_map
from dashboard.exports.model import (
    ExportMeta,
    MapView,
    PackData,
    area_frame,
    filters_dict,
    geometry_frame,
    map_notes,
)
from dashboard.exports.names import safe_filename
from dashboard.exports.pack import render_pack
from dashboard.exports.tables import columns_from_grid, to_csv, to_xlsx
from dashboard.pages import data as data_page
from dashboard.state import ViewState
from geodata import datapage, queries
from geodata.provenance import sources
from geodata.queries import Filters

MIMETYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "gpkg": "application/geopackage+sqlite3",
    "geojson": "application/geo+json",
}
KINDS = {  # what → formats it comes in
    "map": ("png", "svg", "pdf"),
    "pack": ("pptx", "pdf"),
    "ranking": ("xlsx", "csv"),
    "items": ("xlsx", "csv"),
    "allocations": ("xlsx", "csv"),
    "layer": ("gpkg", "geojson"),
}


class ExportError(ValueError):
    """The view cannot be exported (unknown area, no fiscal year loaded, unknown format)."""


@dataclass(frozen=True)
class Export:
    filename: str
    mimetype: str
    data: bytes


def export(
    conn: psycopg.Connection, state: ViewState, kind: str, fmt: str, *, now: dt.datetime | None = None
) -> Export:
    """Render ``kind`` (map, pack, ranking, items, allocations, layer) of the view as ``fmt``."""
    if fmt not in KINDS.get(kind, ()):
        raise ExportError(f"no {kind!r} export as {fmt!r}; choose from {KINDS.get(kind, ())}")
    if None in (state.plan, state.fy, state.metric):
        plan, fy, metric = queries.options(conn).default_view(state.plan, state.fy, state.metric)
        state = replace(state, plan=plan, fy=fy, metric=metric)
    if state.fy is None:
        raise ExportError("no fiscal year is loaded")
    area = queries.area(conn, state.area)
    if area is None:
        raise ExportError(f"unknown area {state.area!r}")
    filters = Filters(state.fy, state.plan, state.sector, state.agency, state.source)
    status = queries.dashboard_status(conn)
    meta = ExportMeta(
        title=_title(kind, area, state),
        fiscal_year=state.fy,
        filters=filters_dict(
            filters,
            state.lang,
            agency_name=_agency_name(conn, state.agency),
            area_level=state.level if kind in ("ranking", "layer") else None,
        ),
        data_date=status.data_date,
        source=i18n.source_line(sources(conn), state.lang),
        boundary_version=status.boundary_version,
        lang=state.lang,
        synthetic=status.synthetic,
        generated_at=now or dt.datetime.now(),
    )
    name = safe_filename("planmap", kind, state.area, area.name_en or area.name_th, state.fy, ext=fmt)
    return Export(name, MIMETYPES[fmt], _render(conn, state, kind, fmt, filters, meta, area))


def _render(conn, state, kind, fmt, filters, meta, area) -> bytes:  # noqa: ANN001 - internal
    parent = views.map_parent(state)
    if kind in ("items", "allocations"):
        reader = queries.plan_items_page if kind == "items" else queries.allocations_page
        page = reader(conn, state.area, filters, limit=100_000)
        if kind == "items":
            area_summary = queries.summary(conn, state.area, filters)
            rows = views.item_rows(page, state.lang, area_summary.coverage.linked if area_summary else True)
        else:
            rows = views.allocation_rows(page, state.lang)
        columns = (views.item_columns if kind == "items" else views.allocation_columns)(state.lang)
        return _table(rows, columns_from_grid(columns), kind, meta, fmt)
    rows = queries.children(conn, parent, state.level, filters, previous=True, supply=True)
    summary = queries.summary(conn, parent, filters)
    linked = summary.coverage.linked
    if kind == "ranking":
        table = views.ranking_rows(rows, state.rank, state.lang, limit=len(rows) or 1, linked=linked)
        return _table(table, columns_from_grid(views.ranking_columns(state.lang, linked)), kind, meta, fmt)
    features = queries.geometry_features(conn, *views.geometry_path(state.level, state))
    frame = area_frame(rows, features, linked=linked)
    if kind == "layer":
        return to_geopackage(frame, f"{state.level}_{state.area}", meta) if fmt == "gpkg" else to_geojson(frame, meta)
    view = MapView(
        meta,
        parent,
        summary.area.name_th,
        state.level,
        state.metric,
        frame,
        area_name_en=summary.area.name_en,
        change=state.compare,
        method=state.classes,
        inset=geometry_frame(queries.geometry_features(conn, "province", "TH")),
        notes=map_notes(rows, summary, state.level, state.lang),
        linked=linked,
    )
    if kind == "map":
        return render_map(view, fmt)
    return render_pack(
        PackData(
            meta,
            summary.area,
            summary,
            rows,
            view,
            data_lines=tuple(data_page.summary_lines(datapage.report(conn), state.lang)),
        ),
        fmt,
    )


def _table(rows, columns, kind, meta, fmt) -> bytes:  # noqa: ANN001 - internal
    return to_xlsx(rows, columns, kind, meta) if fmt == "xlsx" else to_csv(rows, columns, meta)


TITLES = {
    "map": ("แผนที่ความต้องการพัฒนาและงบประมาณ", "Development needs and budget map"),
    "pack": ("ข้อมูลประกอบการประชุม ก.บ.จ.", "Provincial committee briefing"),
    "ranking": ("พื้นที่ที่ยังไม่ได้รับจัดสรร (จัดอันดับ)", "Unfunded areas, ranked"),
    "items": ("รายการโครงการตามแผน", "Plan items"),
    "allocations": ("รายการงบประมาณที่ได้รับจัดสรร", "Allocations"),
    "layer": ("ชั้นข้อมูลรวมตามพื้นที่", "Aggregated layer by area"),
}


def _title(kind: str, area: queries.Area, state: ViewState) -> str:
    name = (area.name_en or area.name_th) if state.lang == "en" else area.name_th
    th, en = TITLES[kind]
    return f"{en if state.lang == 'en' else th} — {name}"


def _agency_name(conn: psycopg.Connection, agency_id: int | None) -> str | None:
    if agency_id is None:
        return None
    for i, th, _en in queries.options(conn).agencies:
        if i == agency_id:
            return th
    return None
