"""The Dash application: layout and thin callbacks.

The view state lives in the URL (``dashboard.state``); the controls mirror it. One callback
(``navigate``) turns a control change, a map click or a ranking click into a new URL; the
render callbacks read the URL and call ``geodata.queries`` (pre-aggregates only) and the pure
builders in ``dashboard.figures`` / ``dashboard.views``. Map geometry is served once per data
version at ``/_planmap/geo/<level>/<within>.json`` (gzip, immutable) and fetched by plotly.js,
so a drill-down response carries only codes, classes and hover texts.

The page has sections (``view`` in the URL): the map, and the planning-chain pages built in
``dashboard.chain_pages`` (funnel, trace, calendar compliance, overlaps, matching review). Each
section's callbacks work only while it is shown; switching sections changes the URL, so the
shown section is always drawn from the current state.

Callbacks are methods of :class:`Callbacks`, so tests call them directly with a pool.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import replace
from typing import Any

import dash
import dash_ag_grid as dag
import psycopg
from dash import Input, Output, State, dcc, html
from flask import Response, abort, request
from psycopg_pool import ConnectionPool

from dashboard.exports.web import register_downloads
from dashboard import data_page, figures, ids, views
from dashboard.chain_pages import DB_ERRORS, PAGES, ChainCallbacks, page_class, trace_column
from dashboard.i18n import t
from dashboard.metrics import CLASS_METHODS, METRICS
from dashboard.request import Resolver
from dashboard.state import MAP_LEVELS_FOR, RANKINGS, VIEWS, ViewState, parse, to_search
from geodata import datapage, queries
from geodata.db import open_pool
from geodata.areas import AREA_CODE, FUNDING_SOURCES, MAP_LEVELS, PLAN_LEVELS
from geodata.queries import Filters
from geodata.settings import Settings

POLL_MS = 8000           # the pool's timeout (2 s, geodata.db.open_pool) stays well below this
GEO_ROUTE = "_planmap/geo"
LABELLED = (ids.PLAN_LEVEL, ids.METRIC, ids.YEAR, ids.SECTOR, ids.AGENCY, ids.SOURCE, ids.LEVEL,
            ids.CLASSES, ids.RANK_BY)
LABEL_KEYS = {ids.PLAN_LEVEL: "plan_level", ids.METRIC: "metric", ids.YEAR: "fiscal_year",
              ids.SECTOR: "sector", ids.AGENCY: "agency", ids.SOURCE: "funding_source",
              ids.LEVEL: "level", ids.CLASSES: "classes", ids.RANK_BY: "rank_by"}
CONTROL_ORDER = (ids.PLAN_LEVEL, ids.METRIC, ids.YEAR, ids.COMPARE, ids.CLASSES, ids.SECTOR,
                 ids.AGENCY, ids.SOURCE, ids.LEVEL, ids.TILES, ids.LANG, ids.RANK_BY)


def create_app(settings: Settings, pool: ConnectionPool | None = None) -> dash.Dash:
    """Build the app around one connection pool (created here unless a test passes one)."""
    pool = pool or open_pool(settings)
    app = dash.Dash(__name__, title="planmap", update_title=None)
    app.layout = layout()
    resolver = Resolver()
    callbacks = Callbacks(pool, geo_prefix=app.get_relative_path(f"/{GEO_ROUTE}"), resolver=resolver)
    callbacks.register(app)
    register_downloads(app.server, pool, resolver)
    app.server.after_request(gzip_response)
    return app


def gzip_response(response: Response) -> Response:
    """Compress callback and layout JSON when the browser accepts it (flask-compress is not a
    dependency): a national map response shrinks about 15×."""
    if (response.direct_passthrough or response.status_code != 200
            or "Content-Encoding" in response.headers
            or "gzip" not in request.headers.get("Accept-Encoding", "")
            or not (response.mimetype or "").startswith(("application/json", "text/html"))):
        return response
    body = response.get_data()
    if len(body) < 1024:
        return response
    response.set_data(gzip.compress(body, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response


# --------------------------------------------------------------------------- layout


def _labelled(control_id: str, control: Any, cls: str = "") -> html.Div:
    return html.Div(className=f"control {cls}", children=[
        html.Label(t(LABEL_KEYS[control_id]), id=f"{ids.LABEL}-{control_id}", htmlFor=control_id),
        control])


def layout() -> html.Div:
    dd = {"clearable": False, "searchable": False}
    return html.Div(id=ids.PAGE, className="page view-map", children=[
        dcc.Location(id=ids.URL, refresh=False),
        html.Header(className="header", children=[
            html.H1(t("app_title"), id=ids.TITLE),
            dcc.RadioItems(id=ids.LANG, options=[{"label": "ไทย", "value": "th"},
                                                {"label": "English", "value": "en"}],
                           value="th", inline=True, className="lang"),
        ]),
        html.Div(id=ids.BANNER, className="banner"),
        html.Div(className="controls", children=[
            _labelled(ids.PLAN_LEVEL, dcc.Dropdown(id=ids.PLAN_LEVEL, value="province", **dd), "wide map-only"),
            _labelled(ids.METRIC, dcc.Dropdown(id=ids.METRIC, value="gap", **dd), "wide map-only"),
            _labelled(ids.YEAR, dcc.Dropdown(id=ids.YEAR, **dd)),
            _labelled(ids.SECTOR, dcc.Dropdown(id=ids.SECTOR, clearable=True, placeholder="—"), "wide map-only"),
            _labelled(ids.AGENCY, dcc.Dropdown(id=ids.AGENCY, clearable=True, placeholder="—"), "wide map-only"),
            _labelled(ids.SOURCE, dcc.Dropdown(id=ids.SOURCE, clearable=True, placeholder="—",
                                               searchable=False), "map-only"),
        ]),
        html.Div(className="controls secondary map-only", children=[
            _labelled(ids.LEVEL, dcc.RadioItems(id=ids.LEVEL, value="province", inline=True)),
            _labelled(ids.CLASSES, dcc.RadioItems(id=ids.CLASSES, value="quantile", inline=True)),
            dcc.Checklist(id=ids.COMPARE, value=[], inline=True, className="toggle"),
            dcc.Checklist(id=ids.TILES, value=[], inline=True, className="toggle"),
        ]),
        html.Nav(id=ids.CRUMBS, className="crumbs", **{"aria-label": "breadcrumbs"}),
        html.Div(id=ids.STATUS, className="status", role="status"),
        dcc.Tabs(id=ids.VIEW, value="map", className="view-tabs", parent_className="view-tabs-parent",
                 content_className="view-content", children=[
            dcc.Tab(label=t(f"view_{view}"), value=view, id=f"{ids.VIEW_TAB}-{view}",
                    className="view-tab", selected_className="view-tab selected",
                    children=map_page() if view == "map" else data_page.layout() if view == "data"
                    else PAGES[view]())
            for view in VIEWS]),
        dcc.Interval(id=ids.RETRY, interval=POLL_MS),
        dcc.Store(id=ids.DB_OK, data={"ok": True, "version": 0}),
    ])


def map_page() -> list:
    """The map view: the map with the cards beside it, the ranking and the item grids."""
    grid = {"getRowId": "params.data.id", "className": "ag-theme-alpine",
               "defaultColDef": {"sortable": True, "resizable": True, "filter": True},
               "dashGridOptions": {"pagination": True, "paginationPageSize": 50, "enableCellTextSelection": True},
               "style": {"height": "420px"}}
    return [
        html.Main(className="main", children=[
            html.Div(className="map-col", children=[
                dcc.Loading(dcc.Graph(id=ids.MAP, className="map", figure=figures.empty_map(),
                                      config={"displaylogo": False, "scrollZoom": True},
                                      style={"height": "max(460px, calc(100vh - 345px))"}), delay_show=400, type="dot"),
                html.Div(t("map_hint"), id=ids.MAP_HINT, className="hint"),
                html.Nav(id=ids.EXPORTS, className="exports", **{"aria-label": "downloads"}),
            ]),
            html.Div(className="side-col", children=[
                html.Div(id=ids.CARDS, className="cards"),
                html.Div(id=ids.SIDE),
                html.Div(id=ids.INDICATORS),
            ]),
        ]),
        html.Section(className="tables", children=[
            html.Div(className="ranking", children=[
                html.Div(className="table-head", children=[
                    html.H2(t("ranking"), id=ids.RANKING_TITLE),
                    _labelled(ids.RANK_BY, dcc.RadioItems(id=ids.RANK_BY, value="gap", inline=True)),
                ]),
                dag.AgGrid(id=ids.RANKING, rowData=[], columnDefs=views.ranking_columns(),
                           getRowId="params.data.code", className="ag-theme-alpine",
                           defaultColDef={"sortable": True, "resizable": True, "filter": True},
                           dashGridOptions={"animateRows": False},
                           style={"height": "360px"}),
            ]),
            html.Div(className="items", children=[
                dcc.Input(id=ids.SEARCH, type="search", debounce=True, placeholder=t("search"),
                          className="search", maxLength=100),
                dcc.Tabs(id=ids.TABS, value="items", children=[
                    dcc.Tab(label=t("tab_items"), value="items", id=ids.TAB_ITEMS, children=[
                        html.Div(id=ids.ITEMS_COUNT, className="muted"),
                        dag.AgGrid(id=ids.ITEMS, rowData=[], columnDefs=item_columns(), **grid),
                    ]),
                    dcc.Tab(label=t("tab_allocations"), value="allocations", id=ids.TAB_ALLOCATIONS, children=[
                        html.Div(id=ids.ALLOCATIONS_COUNT, className="muted"),
                        dag.AgGrid(id=ids.ALLOCATIONS, rowData=[], columnDefs=views.allocation_columns(),
                                   **grid),
                    ]),
                ]),
            ]),
        ]),
    ]


def item_columns(lang: str = "th") -> list[dict]:
    """The plan items grid's columns, with the link to the trace view after the title."""
    columns = views.item_columns(lang)
    return [columns[0], trace_column(lang), *columns[1:]]


# --------------------------------------------------------------------------- callbacks


def _clicked_code(click: dict | None) -> str | None:
    """The area code of a map click (choropleth: location; village points: customdata)."""
    try:
        point = (click or {}).get("points", [])[0]
    except (AttributeError, IndexError, TypeError):
        return None
    for candidate in (point.get("location"), (point.get("customdata") or [None, None])[1]):
        if isinstance(candidate, str) and AREA_CODE.match(candidate):
            return candidate
    return None


def _cell_code(cell: dict | None) -> str | None:
    code = (cell or {}).get("rowId") if isinstance(cell, dict) else None
    return code if isinstance(code, str) and AREA_CODE.match(code) else None


def _cell_item(cell: dict | None) -> int | None:
    """The plan item id of a clicked grid row (row ids are the items' ids as text)."""
    value = (cell or {}).get("rowId") if isinstance(cell, dict) else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12 and int(value) > 0:
        return int(value)
    return None


def _filters(state: ViewState) -> Filters:
    return Filters(state.fy or 0, state.plan, state.sector, state.agency, state.source)


class Callbacks(ChainCallbacks):
    """The dashboard's callbacks over one connection pool (thin: read, then build); the
    planning-chain pages' callbacks come from :class:`dashboard.chain_pages.ChainCallbacks`."""

    def __init__(self, pool: ConnectionPool, geo_prefix: str = f"/{GEO_ROUTE}",
                 resolver: Resolver | None = None):
        self.pool = pool
        self.geo_prefix = geo_prefix.rstrip("/")
        self.resolver = resolver or Resolver()

    # -- state ---------------------------------------------------------------------------

    def resolve(self, conn: psycopg.Connection, state: ViewState) -> tuple[ViewState, queries.Options]:
        """Validate a parsed state against the database (``dashboard.request``: the one request
        path; the options are read once per data version)."""
        view = self.resolver.resolve(conn, state)
        return view.state, view.options

    def navigate(self, trigger: Any, search: str | None, plan: str | None, metric: str | None,
                 fy: Any, compare: list | None, classes: str | None, sector: str | None,
                 agency: Any, source: str | None, level: str | None, tiles: list | None,
                 lang: str | None, rank: str | None, click: dict | None, cell: dict | None,
                 view: str | None = None, picked: dict | None = None, item_cell: dict | None = None,
                 compliance_click: dict | None = None) -> tuple:
        """A new URL from whatever changed; control values that mirror it. Every value posted by
        the browser is checked against a known list or pattern before it is used."""
        state = parse(search)
        if trigger == ids.MAP and _clicked_code(click):
            state = state.with_area(_clicked_code(click))
        elif trigger == ids.COMPLIANCE_MAP and _clicked_code(compliance_click):
            state = state.with_area(_clicked_code(compliance_click))
        elif trigger == ids.VIEW and view in VIEWS:
            state = replace(state, view=view)
        elif trigger == ids.TRACE_RESULTS and _cell_item(picked):
            state = replace(state, view="trace", item=_cell_item(picked))
        elif (trigger == ids.ITEMS and isinstance(item_cell, dict) and item_cell.get("colId") == ids.TRACE_TRACE
              and _cell_item(item_cell)):
            state = replace(state, view="trace", item=_cell_item(item_cell))
        elif trigger == ids.RANKING and _cell_code(cell):
            state = state.with_area(_cell_code(cell))
        elif trigger == ids.PLAN_LEVEL and plan in PLAN_LEVELS:
            state = replace(state, plan=plan)
        elif trigger == ids.METRIC and metric in METRICS:
            state = replace(state, metric=metric)
        elif trigger == ids.YEAR and isinstance(fy, int) and 2400 <= fy <= 2799:
            state = replace(state, fy=fy)
        elif trigger == ids.COMPARE and isinstance(compare, list):
            state = replace(state, compare="1" in compare)
        elif trigger == ids.CLASSES and classes in CLASS_METHODS:
            state = replace(state, classes=classes)
        elif trigger == ids.SECTOR and (sector is None or (isinstance(sector, str) and len(sector) <= 120)):
            state = replace(state, sector=sector or None)
        elif trigger == ids.AGENCY and (agency is None or (isinstance(agency, int) and agency >= 0)):
            state = replace(state, agency=agency)
        elif trigger == ids.SOURCE and (source is None or source in FUNDING_SOURCES):
            state = replace(state, source=source)
        elif trigger == ids.LEVEL and level in MAP_LEVELS_FOR[state.area_level]:
            state = replace(state, level=level)
        elif trigger == ids.TILES and isinstance(tiles, list):
            state = replace(state, tiles="1" in tiles)
        elif trigger == ids.LANG and lang in ("th", "en"):
            state = replace(state, lang=lang)
        elif trigger == ids.RANK_BY and rank in RANKINGS:
            state = replace(state, rank=rank)
        defaults = None
        try:
            with self.pool.connection() as conn:
                state, opts = self.resolve(conn, state)
                defaults = opts.default_view(None, state.fy, None)
        except DB_ERRORS:
            pass  # keep what parsed; the page says the database is down
        new_search = to_search(state, defaults)
        return (
            new_search if new_search != (search or "") else dash.no_update,
            state.plan, state.metric, state.fy, ["1"] if state.compare else [], state.classes,
            state.sector, state.agency, state.source, state.level, ["1"] if state.tiles else [],
            state.lang, state.rank, None, state.view, page_class(state), None,
        )

    # -- status and controls -------------------------------------------------------------

    def status_bar(self, search: str | None, _tick: int | None, db: dict | None) -> tuple:
        """Polls the database: says plainly when it is down, and recovers when it is back."""
        lang = parse(search).lang
        db = db or {}
        try:
            with self.pool.connection() as conn:
                status = queries.dashboard_status(conn)
        except DB_ERRORS:
            down = html.Div(t("db_down", lang), className="alert")
            return down, ({"ok": False, "version": db.get("version", 0)} if db.get("ok", True) else dash.no_update)
        notes = []
        if status.synthetic:
            notes.append(html.Div(t("synthetic", lang), className="synthetic"))
        if status.schematic:
            notes.append(html.Div(t("schematic", lang), className="schematic"))
        else:
            source = f"{t('boundaries', lang)}: {status.boundary_version}" if status.boundary_version else ""
            date = (f"{t('data_date', lang)} {status.data_date:%Y-%m-%d %H:%M}" if status.data_date else "")
            notes.append(html.Div(" · ".join(x for x in (source, date) if x), className="source"))
        fresh = {"ok": True, "version": status.data_version}
        return notes, (fresh if fresh != db else dash.no_update)

    def controls(self, search: str | None, db: dict | None) -> tuple:
        """Selector options and labels in the state's language."""
        state = parse(search)
        lang = state.lang
        try:
            with self.pool.connection() as conn:
                state, opts = self.resolve(conn, state)
            years, sectors, agencies = opts.fiscal_years, opts.sectors, opts.agencies
        except DB_ERRORS:
            years, sectors, agencies = ((state.fy,) if state.fy else ()), (), ()
        o = views.control_options(state, fiscal_years=years, sectors=sectors, agencies=agencies)
        labels = tuple(t(LABEL_KEYS[c], lang) for c in LABELLED)
        return (t("app_title", lang), o["plan"], o["metric"], o["year"], o["compare"], o["classes"],
                o["sector"], o["agency"], o["source"], o["level"], o["tiles"], o["rank"],
                t("search", lang), t("tab_items", lang), t("tab_allocations", lang),
                t("map_hint", lang), *labels, *(t(f"view_{v}", lang) for v in VIEWS))

    # -- views ---------------------------------------------------------------------------

    def geojson_url(self, level: str, within: str, version: int) -> str:
        return f"{self.geo_prefix}/{level}/{within}.json?v={version}"

    def render_map(self, search: str | None, db: dict | None) -> tuple:
        """Map, the list of what it cannot draw, the notes on what the data can support, and the
        ranking of the children."""
        state = parse(search)
        if state.view != "map":
            return (dash.no_update,) * 6     # drawn again when the map is shown (the URL changes)
        version = int((db or {}).get("version") or 0)
        try:
            with self.pool.connection() as conn:
                state, opts = self.resolve(conn, state)
                if state.fy is None:
                    return (figures.empty_map(), html.Div(), t("no_data", state.lang), [],
                            views.ranking_columns(state.lang), t("ranking", state.lang))
                filters = _filters(state)
                parent = views.map_parent(state)
                rows = queries.children(conn, parent, state.level, filters, previous=state.compare, supply=True)
                summary = queries.summary(conn, parent, filters)
                bounds_code = parent if parent != "TH" else None
                bounds = queries.area_bounds(conn, bounds_code) if bounds_code else None
        except DB_ERRORS:
            return (dash.no_update, dash.no_update, t("db_down", state.lang), dash.no_update, dash.no_update,
                    dash.no_update)
        lang = state.lang
        linked = summary.coverage.linked if summary else True
        revision = f"{parent}:{state.level}"
        geo = views.geometry_path(state.level, state)
        if state.level == "village":
            fig = figures.village_map(rows, metric=state.metric, lang=lang,
                                      outline_url=self.geojson_url(*geo, version), outline_code=parent,
                                      selected=state.area, method=state.classes, change=state.compare,
                                      bounds=bounds, tiles=state.tiles, revision=revision, linked=linked)
        else:
            fig = figures.area_map(rows, metric=state.metric, lang=lang,
                                   geojson_url=self.geojson_url(*geo, version), method=state.classes,
                                   change=state.compare, bounds=bounds, tiles=state.tiles, revision=revision,
                                   linked=linked)
        side = views.side_list(rows, summary, state) if summary else html.Div()
        notes = views.map_notes(summary, opts, state)
        if not any(r.current.has_data for r in rows):
            notes.insert(0, html.Div(t("no_value", lang), className="note"))
        return (fig, side, notes, views.ranking_rows(rows, state.rank, lang, linked=linked),
                views.ranking_columns(lang, linked), t("ranking" if linked else "ranking_requested", lang))

    def render_summary(self, search: str | None, db: dict | None) -> tuple:
        """Breadcrumbs, KPI cards and the manual's indicators of the selected area."""
        state = parse(search)
        try:
            with self.pool.connection() as conn:
                state, _ = self.resolve(conn, state)
                if state.fy is None:
                    return [], [], html.Div()
                chain = queries.breadcrumbs(conn, state.area, state.fy)
                summary = queries.summary(conn, state.area, _filters(state))
        except DB_ERRORS:
            return dash.no_update, dash.no_update, dash.no_update
        if summary is None:
            return [], [], html.Div()
        return (views.breadcrumbs(chain, state), views.cards(summary, state),
                views.indicators(summary.indicators, summary.previous_indicators, state))

    def render_items(self, search: str | None, db: dict | None, text: str | None) -> tuple:
        """Plan items and allocations of the selected area (one page each, largest first)."""
        state = parse(search)
        if state.view != "map":
            return (dash.no_update,) * 6
        try:
            with self.pool.connection() as conn:
                state, _ = self.resolve(conn, state)
                if state.fy is None:
                    return [], item_columns(state.lang), "", [], views.allocation_columns(state.lang), ""
                filters = _filters(state)
                items = queries.plan_items_page(conn, state.area, filters, text)
                allocations = queries.allocations_page(conn, state.area, filters, text)
                summary = queries.summary(conn, state.area, filters)
        except DB_ERRORS:
            return (dash.no_update,) * 6
        lang = state.lang
        linked = summary.coverage.linked if summary else True
        return (views.item_rows(items, lang, linked), item_columns(lang), views.showing(items, lang),
                views.allocation_rows(allocations, lang), views.allocation_columns(lang),
                views.showing(allocations, lang))

    def render_data(self, search: str | None, db: dict | None) -> list | Any:
        """The data page: what is loaded, placed, linked and questionable."""
        state = parse(search)
        if state.view != "data":
            return dash.no_update
        try:
            with self.pool.connection() as conn:
                report = datapage.report(conn)
        except DB_ERRORS:
            return [html.P(t("db_down", state.lang), className="alert")]
        return data_page.render(report, state.lang)

    # -- geometry ------------------------------------------------------------------------

    def geometry(self, level: str, within: str) -> Response:
        """One geometry file as GeoJSON (gzip when accepted); immutable per data version."""
        if level not in MAP_LEVELS or not AREA_CODE.match(within) or within.startswith("C") \
                or len(within) > 2:
            abort(404)
        try:
            with self.pool.connection() as conn:
                features = queries.geometry_features(conn, level, within)
        except DB_ERRORS:
            return Response("database unavailable", status=503, mimetype="text/plain")
        body = ('{"type":"FeatureCollection","features":['
                + ",".join(f'{{"type":"Feature","id":{json.dumps(code)},"properties":{{}},"geometry":{geom}}}'
                           for code, geom in features)
                + "]}").encode()
        etag = hashlib.sha256(body).hexdigest()[:32]
        if request.if_none_match.contains(etag):
            return Response(status=304, headers={"ETag": f'"{etag}"'})
        headers = {"Cache-Control": "public, max-age=31536000, immutable", "ETag": f'"{etag}"',
                   "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        return Response(body, mimetype="application/geo+json", headers=headers)

    # -- wiring --------------------------------------------------------------------------

    def register(self, app: dash.Dash) -> None:
        controls_out = [Output(ids.PLAN_LEVEL, "value"), Output(ids.METRIC, "value"), Output(ids.YEAR, "value"),
                        Output(ids.COMPARE, "value"), Output(ids.CLASSES, "value"), Output(ids.SECTOR, "value"),
                        Output(ids.AGENCY, "value"), Output(ids.SOURCE, "value"), Output(ids.LEVEL, "value"),
                        Output(ids.TILES, "value"), Output(ids.LANG, "value"), Output(ids.RANK_BY, "value")]
        controls_in = [Input(ids.PLAN_LEVEL, "value"), Input(ids.METRIC, "value"), Input(ids.YEAR, "value"),
                       Input(ids.COMPARE, "value"), Input(ids.CLASSES, "value"), Input(ids.SECTOR, "value"),
                       Input(ids.AGENCY, "value"), Input(ids.SOURCE, "value"), Input(ids.LEVEL, "value"),
                       Input(ids.TILES, "value"), Input(ids.LANG, "value"), Input(ids.RANK_BY, "value")]

        @app.callback(Output(ids.URL, "search"), *controls_out, Output(ids.MAP, "clickData"),
                      Output(ids.VIEW, "value"), Output(ids.PAGE, "className"),
                      Output(ids.COMPLIANCE_MAP, "clickData"),
                      Input(ids.URL, "search"), *controls_in, Input(ids.MAP, "clickData"),
                      Input(ids.RANKING, "cellClicked"), Input(ids.VIEW, "value"),
                      Input(ids.TRACE_RESULTS, "cellClicked"), Input(ids.ITEMS, "cellClicked"),
                      Input(ids.COMPLIANCE_MAP, "clickData"))
        def navigate(search, *values):
            return self.navigate(dash.ctx.triggered_id, search, *values)

        @app.callback(Output(ids.BANNER, "children"), Output(ids.DB_OK, "data"),
                      Input(ids.URL, "search"), Input(ids.RETRY, "n_intervals"), State(ids.DB_OK, "data"))
        def status_bar(search, tick, db):
            return self.status_bar(search, tick, db)

        @app.callback(Output(ids.TITLE, "children"), Output(ids.PLAN_LEVEL, "options"),
                      Output(ids.METRIC, "options"), Output(ids.YEAR, "options"), Output(ids.COMPARE, "options"),
                      Output(ids.CLASSES, "options"), Output(ids.SECTOR, "options"), Output(ids.AGENCY, "options"),
                      Output(ids.SOURCE, "options"), Output(ids.LEVEL, "options"), Output(ids.TILES, "options"),
                      Output(ids.RANK_BY, "options"), Output(ids.SEARCH, "placeholder"),
                      Output(ids.TAB_ITEMS, "label"), Output(ids.TAB_ALLOCATIONS, "label"),
                      Output(ids.MAP_HINT, "children"),
                      *[Output(f"{ids.LABEL}-{c}", "children") for c in LABELLED],
                      *[Output(f"{ids.VIEW_TAB}-{v}", "label") for v in VIEWS],
                      Input(ids.URL, "search"), Input(ids.DB_OK, "data"))
        def controls(search, db):
            return self.controls(search, db)

        @app.callback(Output(ids.EXPORTS, "children"), Input(ids.URL, "search"))
        def export_links(search):
            return views.export_links(parse(search), search, app.get_relative_path("/"))

        @app.callback(Output(ids.MAP, "figure"), Output(ids.SIDE, "children"), Output(ids.STATUS, "children"),
                      Output(ids.RANKING, "rowData"), Output(ids.RANKING, "columnDefs"),
                      Output(ids.RANKING_TITLE, "children"),
                      Input(ids.URL, "search"), Input(ids.DB_OK, "data"))
        def render_map(search, db):
            return self.render_map(search, db)

        @app.callback(Output(ids.CRUMBS, "children"), Output(ids.CARDS, "children"),
                      Output(ids.INDICATORS, "children"),
                      Input(ids.URL, "search"), Input(ids.DB_OK, "data"))
        def render_summary(search, db):
            return self.render_summary(search, db)

        @app.callback(Output(ids.ITEMS, "rowData"), Output(ids.ITEMS, "columnDefs"),
                      Output(ids.ITEMS_COUNT, "children"), Output(ids.ALLOCATIONS, "rowData"),
                      Output(ids.ALLOCATIONS, "columnDefs"), Output(ids.ALLOCATIONS_COUNT, "children"),
                      Input(ids.URL, "search"), Input(ids.DB_OK, "data"), Input(ids.SEARCH, "value"))
        def render_items(search, db, text):
            return self.render_items(search, db, text)

        @app.callback(Output(ids.DATA_CONTENT, "children"), Input(ids.URL, "search"), Input(ids.DB_OK, "data"))
        def render_data(search, db):
            return self.render_data(search, db)

        self.register_chain(app)
        app.server.add_url_rule(f"{app.config.routes_pathname_prefix}{GEO_ROUTE}/<level>/<within>.json",
                                "planmap_geometry", self.geometry)
