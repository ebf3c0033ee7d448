"""One export of one view: read what the dashboard reads for that view, render the format.

The dashboard's download route and ``planmap export`` both come through here, with the same
``ViewState`` the page uses, so an export's numbers are the page's numbers (the same
``geodata.queries`` calls, the same ``metric_value``).

An export is two phases: :func:`read` (everything from the database, given a connection) and
:func:`render` (no connection; a map or pack waits for the render lock there). The download
route gives its pooled connection back between the two; :func:`export` runs both, for the
command line.
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
from geodata.accounts import Scope
from geodata.areas import COUNTRY
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


@dataclass(frozen=True)
class Reads:
    """Everything one export needs from the database. :func:`read` fills it while a connection
    is held and :func:`render` needs nothing more (it may run in another process: this pickles),
    so a server gives the connection back before drawing; a queued map must not starve the page
    of connections."""

    state: ViewState
    kind: str
    fmt: str
    filename: str
    meta: ExportMeta
    page: queries.Page | None = None  # items, allocations
    area_summary: queries.Summary | None = None  # items: whether funding is linked
    rows: tuple[queries.AreaRow, ...] = ()  # the children: ranking, layer, map, pack
    summary: queries.Summary | None = None  # of the map's parent
    features: tuple[tuple[str, str], ...] = ()  # (code, GeoJSON) of the children
    inset: tuple[tuple[str, str], ...] = ()  # the provinces: map, pack
    report: datapage.DataReport | None = None  # pack: the loaded-data slide


def export(
    conn: psycopg.Connection, state: ViewState, kind: str, fmt: str, *, now: dt.datetime | None = None
) -> Export:
    """Render ``kind`` (map, pack, ranking, items, allocations, layer) of the view as ``fmt``."""
    return render(read(conn, state, kind, fmt, now=now))


def read(
    conn: psycopg.Connection,
    state: ViewState,
    kind: str,
    fmt: str,
    *,
    now: dt.datetime | None = None,
    scope: Scope | None = None,
) -> Reads:
    """The database phase of an export: every read, nothing drawn. ``scope`` is the reader's
    (None: the server's operator, e.g. the command line): see :func:`national_inventory`."""
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
    reads = Reads(state, kind, fmt, name, meta)
    if kind in ("items", "allocations"):
        if kind == "items":
            page = queries.plan_items_page(conn, state.area, filters, limit=100_000)
            return replace(reads, page=page, area_summary=queries.summary(conn, state.area, filters))
        return replace(reads, page=queries.allocations_page(conn, state.area, filters, limit=100_000))
    parent = views.map_parent(state)
    reads = replace(
        reads,
        rows=tuple(queries.children(conn, parent, state.level, filters, previous=True, supply=True)),
        summary=queries.summary(conn, parent, filters),
    )
    if kind == "ranking":
        return reads
    reads = replace(reads, features=tuple(queries.geometry_features(conn, *views.geometry_path(state.level, state))))
    if kind == "layer":
        return reads
    return replace(
        reads,
        inset=tuple(queries.geometry_features(conn, "province", "TH")),
        report=pack_report(conn, state, scope) if kind == "pack" else None,
    )


def national_inventory(state: ViewState, scope: Scope | None = None) -> bool:
    """Whether a pack carries the data page's inventory (what is loaded for the whole country,
    its placing and linking, the importers' decisions, with file names): only the country's pack,
    and only for a reader who may see the country (as the data page). A province's pack goes to
    its committee, whoever makes it: no national import lines. Decided by the view, so a pack
    cached for one reader is right for the next reader of the same view."""
    return state.area == COUNTRY and (scope is None or scope.national())


def pack_report(conn: psycopg.Connection, state: ViewState, scope: Scope | None = None) -> datapage.DataReport | None:
    """The loaded-data slide's report: the whole inventory for the country's pack; for any other
    pack only what limits every area's figures alike (Budget Bill volumes not loaded), or nothing."""
    report = datapage.report(conn)
    if national_inventory(state, scope):
        return report
    if not report.missing_volumes:
        return None
    return datapage.DataReport((), (), (), {}, dict(report.missing_volumes))


def render(reads: Reads) -> Export:
    """The drawing phase of an export: no database, only the reads."""
    return Export(reads.filename, MIMETYPES[reads.fmt], _render(reads))


def _render(r: Reads) -> bytes:
    state, kind, fmt, meta = r.state, r.kind, r.fmt, r.meta
    if kind in ("items", "allocations"):
        if kind == "items":
            rows = views.item_rows(r.page, state.lang, r.area_summary.coverage.linked if r.area_summary else True)
        else:
            rows = views.allocation_rows(r.page, state.lang)
        columns = (views.item_columns if kind == "items" else views.allocation_columns)(state.lang)
        return _table(rows, columns_from_grid(columns), kind, meta, fmt)
    rows, summary = list(r.rows), r.summary
    linked = summary.coverage.linked
    if kind == "ranking":
        table = views.ranking_rows(rows, state.rank, state.lang, limit=len(rows) or 1, linked=linked)
        return _table(table, columns_from_grid(views.ranking_columns(state.lang, linked)), kind, meta, fmt)
    frame = area_frame(rows, list(r.features), linked=linked)
    if kind == "layer":
        return to_geopackage(frame, f"{state.level}_{state.area}", meta) if fmt == "gpkg" else to_geojson(frame, meta)
    view = MapView(
        meta,
        views.map_parent(state),
        summary.area.name_th,
        state.level,
        state.metric,
        frame,
        area_name_en=summary.area.name_en,
        change=state.compare,
        method=state.classes,
        inset=geometry_frame(list(r.inset)),
        notes=map_notes(rows, summary, state.level, state.lang, state.metric),
        linked=linked,
        outline=geometry_frame([f for f in r.features if f[0] == views.map_parent(state)])
        if state.level == "village"
        else None,
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
            data_lines=tuple(data_page.summary_lines(r.report, state.lang)) if r.report else (),
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
