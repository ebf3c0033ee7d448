"""The planning-chain pages of the dashboard (DESIGN §1; issue 6): the escalation funnel, the
trace of one need, calendar compliance, possible duplicates and the matching review list.

They follow the same URL state as the map (area, fiscal year, language; ``view`` picks the page
and ``item`` the traced need). Each page's callback runs only while its page is shown, reads
``geodata.chain_view`` / ``geodata.review`` and hands the rows to the pure builders in
``dashboard.chain_figures`` / ``dashboard.chain_views``. :class:`ChainCallbacks` is mixed into
``dashboard.app.Callbacks`` (which provides ``pool``, ``resolve`` and ``geojson_url``).
"""

from __future__ import annotations

import json
from typing import Any

import dash
import dash_ag_grid as dag
import psycopg
from dash import ALL, Input, Output, State, dcc, html
from psycopg_pool import PoolTimeout

from dashboard import chain_figures, chain_views, figures, i18n, ids, views
from dashboard.i18n import t
from dashboard.state import MAP_LEVELS_FOR, VIEWS, ViewState, parse
from geodata import chain_view, queries, review
from geodata.areas import LENGTH_BY_LEVEL, level_of
from geodata.queries import Filters

DB_ERRORS = (psycopg.OperationalError, PoolTimeout)
CHAIN_VIEWS = tuple(v for v in VIEWS if v not in ("map", "data"))
GRID = {"className": "ag-theme-alpine",
        "defaultColDef": {"sortable": True, "resizable": True, "filter": True, "wrapHeaderText": True,
                          "autoHeaderHeight": True},
        "dashGridOptions": {"animateRows": False, "enableCellTextSelection": True, "tooltipShowDelay": 300,
                            "localeText": {"noRowsToShow": "–"}}}
# A grid as tall as its rows (a page of them), for lists that are often short.
AUTO_HEIGHT = {**GRID, "dashGridOptions": {**GRID["dashGridOptions"], "domLayout": "autoHeight",
                                           "pagination": True, "paginationPageSize": 20},
               "style": {"height": None}}
REVIEWER = "dashboard"


# --------------------------------------------------------------------------- layout


def _graph(graph_id: str, height: str, figure: dict | None = None, *, tools: bool = True) -> dcc.Graph:
    config = {"displaylogo": False, "scrollZoom": True} if tools else {"displayModeBar": False}
    return dcc.Graph(id=graph_id, figure=figure or chain_figures.empty_figure(), config=config,
                     style={"height": height})


def funnel_page() -> html.Div:
    return html.Div(className="chain-page", children=[
        html.Div(id=ids.FUNNEL_HEAD, className="chain-head"),
        html.Div(className="chain-grid", children=[
            html.Div(className="panel", children=[_graph(ids.FUNNEL, "440px", tools=False),
                                                  html.Div(id=ids.FUNNEL_TABLE)]),
            html.Div(className="panel side-panel", children=[html.Div(id=ids.FUNNEL_INDICATORS),
                                                             _graph(ids.FUNNEL_SHAPE, "260px", tools=False)]),
        ]),
    ])


def trace_page() -> html.Div:
    return html.Div(className="chain-page", children=[
        html.Div(id=ids.TRACE_HEAD, className="chain-head"),
        dcc.Input(id=ids.TRACE_SEARCH, type="search", debounce=True, placeholder=t("trace_search"),
                  className="search", maxLength=100),
        html.Div(id=ids.TRACE_COUNT, className="muted"),
        dag.AgGrid(id=ids.TRACE_RESULTS, rowData=[], columnDefs=chain_views.search_columns(),
                   getRowId="params.data.id", style={"height": "260px"}, **GRID),
        html.Div(id=ids.TRACE_OUTCOME),
        html.Div(className="chain-grid trace-grid", children=[
            html.Div(id=ids.TRACE_TIMELINE, className="panel"),
            html.Div(className="panel", children=[_graph(ids.TRACE_MAP, "520px", figures.empty_map())]),
        ]),
    ])


def compliance_page() -> html.Div:
    return html.Div(className="chain-page", children=[
        html.Div(id=ids.COMPLIANCE_HEAD, className="chain-head"),
        html.Div(className="chain-grid", children=[
            html.Div(className="panel", children=[
                _graph(ids.COMPLIANCE_MAP, "520px", figures.empty_map()),
                html.Div(t("map_hint"), className="hint")]),
            html.Div(id=ids.COMPLIANCE_LEVELS, className="panel side-panel"),
        ]),
        html.Div(id=ids.LATE_PLANS_HEAD, className="table-head"),
        dag.AgGrid(id=ids.LATE_PLANS, rowData=[], columnDefs=chain_views.late_plan_columns(),
                   getRowId="params.data.id", style={"height": "340px"}, **GRID),
        html.Div(id=ids.LATE_NOTICES_HEAD, className="table-head"),
        dag.AgGrid(id=ids.LATE_NOTICES, rowData=[], columnDefs=chain_views.notice_columns(),
                   getRowId="params.data.id", **AUTO_HEIGHT),
    ])


def overlaps_page() -> html.Div:
    return html.Div(className="chain-page", children=[
        html.Div(id=ids.OVERLAPS_HEAD, className="chain-head"),
        dag.AgGrid(id=ids.OVERLAPS, rowData=[], columnDefs=chain_views.overlap_columns(),
                   getRowId="params.data.id", **AUTO_HEIGHT),
    ])


def review_page() -> html.Div:
    return html.Div(className="chain-page", children=[
        html.Div(id=ids.REVIEW_HEAD, className="chain-head"),
        html.Div(id=ids.REVIEW_STATUS, className="status", role="status"),
        html.Div(id=ids.REVIEW_LIST),
        dcc.Store(id=ids.REVIEW_DONE, data=0),
    ])


PAGES = {"funnel": funnel_page, "trace": trace_page, "compliance": compliance_page,
         "overlaps": overlaps_page, "review": review_page}


def trace_column(lang: str = "th") -> dict:
    """The items grid's link to the trace view (a constant label, not data)."""
    return {"colId": ids.TRACE_TRACE, "headerName": "", "width": 110, "sortable": False, "filter": False,
            "resizable": False, "valueGetter": {"function": json.dumps(t("trace_link", lang))},
            "cellClass": "trace-link"}


def page_class(state: ViewState) -> str:
    return f"page view-{state.view}"


def _head(title: str, *notes: str) -> list:
    return [html.H2(title), *[html.P(n, className="muted note") for n in notes if n]]


def _area_name(conn: psycopg.Connection, code: str, lang: str) -> str:
    if code == "TH":
        return t("thailand", lang)
    area = queries.area(conn, code)
    return area.name(lang) if area else code


def _bounds_code(item: chain_view.Trace) -> str | None:
    """The area the trace map fits: the need's district (its tambon and village are then large
    enough to see, inside the province), or the province of a province-wide need."""
    code = item.root.area_code
    if not code[:2].isdigit():
        return None
    return code[:4] if len(code) >= 4 else code[:2]


# --------------------------------------------------------------------------- callbacks


class ChainCallbacks:
    """The chain pages' callbacks (thin: validate, read, build). Mixed into ``Callbacks``."""

    pool: Any

    def _state(self, search: str | None, view: str) -> tuple[ViewState, bool]:
        state = parse(search)
        return state, state.view == view

    # -- funnel --------------------------------------------------------------------------

    def render_funnel(self, search: str | None, db: dict | None) -> tuple:
        """Title, the funnel figure and table, the manual's indicators and the FY2559 shape."""
        state, shown = self._state(search, "funnel")
        if not shown:
            return (dash.no_update,) * 5
        try:
            with self.pool.connection() as conn:
                state, _ = self.resolve(conn, state)
                lang = state.lang
                if state.fy is None:
                    return (_head(t("no_data", lang)), chain_figures.empty_figure(), None, None,
                            chain_figures.empty_figure())
                steps = chain_view.area_funnel(conn, state.area, state.fy)
                summary = queries.summary(conn, state.area, Filters(state.fy, "province"))
                name = _area_name(conn, state.area, lang)
        except DB_ERRORS:
            return (_head(t("db_down", state.lang)),) + (dash.no_update,) * 4
        head = _head(t("funnel_title", lang, area=name) + f" · {i18n.fiscal_year(state.fy, lang)}",
                     t("funnel_note", lang), "" if steps and steps[0].items else t("funnel_empty", lang))
        indicators = views.indicators(summary.indicators, summary.previous_indicators, state) if summary else None
        shape = (chain_figures.shape_figure(summary.indicators, lang) if summary
                 else chain_figures.empty_figure())
        shape_block = [html.H3(t("shape_title", lang))] if summary else []
        return (head, chain_figures.funnel_figure(steps, lang), chain_views.funnel_table(steps, lang),
                [indicators, *shape_block] if indicators else shape_block, shape)

    # -- trace ---------------------------------------------------------------------------

    def render_trace(self, search: str | None, db: dict | None, text: str | None) -> tuple:
        """Search results, where the traced need stopped, its timeline and its path on the map."""
        state, shown = self._state(search, "trace")
        if not shown:
            return (dash.no_update,) * 8
        if not isinstance(text, str):
            text = None
        version = int((db or {}).get("version") or 0)
        try:
            with self.pool.connection() as conn:
                state, _ = self.resolve(conn, state)
                lang = state.lang
                if state.fy is None:
                    return (_head(t("no_data", lang)), t("trace_search", lang), "", [],
                            chain_views.search_columns(lang), None, None, figures.empty_map())
                hits, total = chain_view.search_needs(conn, state.area, state.fy, text)
                name = _area_name(conn, state.area, lang)
                item = chain_view.trace(conn, state.item) if state.item is not None else None
                code = _bounds_code(item) if item else None
                bounds = queries.area_bounds(conn, code) if code else None
        except DB_ERRORS:
            return (_head(t("db_down", state.lang)),) + (dash.no_update,) * 7
        head = _head(t("trace_title", lang, area=name) + f" · {i18n.fiscal_year(state.fy, lang)}",
                     t("trace_hint", lang))
        common = (head, t("trace_search", lang), chain_views.search_count(hits, total, lang),
                  chain_views.search_rows(hits, lang), chain_views.search_columns(lang))
        if item is None:
            message = html.Div(t("trace_missing", lang), className="outcome missing") if state.item else None
            return (*common, message, None, figures.empty_map())
        province = item.root.area_code[:2] if item.root.area_code[:2].isdigit() else None
        urls = {"province": self.geojson_url("province", "TH", version),
                "cluster": self.geojson_url("cluster", "TH", version)}
        if province:
            urls.update({"district": self.geojson_url("district", province, version),
                         "tambon": self.geojson_url("tambon", province, version)})
        return (*common, chain_views.outcome_banner(item, lang), chain_views.timeline(item, lang),
                chain_figures.trace_map(item, urls, lang=lang, bounds=bounds))

    # -- compliance ----------------------------------------------------------------------

    def render_compliance(self, search: str | None, db: dict | None) -> tuple:
        """The map of the sub-areas by share of plans late, the table by level, the overdue plans
        and the agencies that notified the province late or not at all."""
        state, shown = self._state(search, "compliance")
        if not shown:
            return (dash.no_update,) * 9
        version = int((db or {}).get("version") or 0)
        try:
            with self.pool.connection() as conn:
                state, _ = self.resolve(conn, state)
                lang = state.lang
                if state.fy is None:
                    return (_head(t("no_data", lang)), figures.empty_map(), None, None, [],
                            chain_views.late_plan_columns(lang), None, [], chain_views.notice_columns(lang))
                parent = views.map_parent(state)
                level = MAP_LEVELS_FOR[level_of(parent)][0]
                rows = queries.children(conn, parent, level, Filters(state.fy), previous=False, supply=False)
                on_map = chain_view.compliance_summary(conn, parent, state.fy, LENGTH_BY_LEVEL[level])
                summary = (on_map if parent == state.area      # a village's map shows its tambon
                           else chain_view.compliance_summary(conn, state.area, state.fy))
                late, total = chain_view.late_plans(conn, state.area, state.fy)
                units = chain_view.notices(conn, state.area, state.fy)
                untracked = chain_view.untracked(conn, state.area, state.fy)
                bounds = queries.area_bounds(conn, parent) if parent != "TH" else None
                name = _area_name(conn, state.area, lang)
        except DB_ERRORS:
            return (_head(t("db_down", state.lang)),) + (dash.no_update,) * 8
        geo = self.geojson_url(*views.geometry_path(level, state), version)
        fig = chain_figures.compliance_map(
            rows, on_map.by_child, lang=lang, geojson_url=geo, bounds=bounds, points=level == "village",
            outline=parent if level == "village" else None, revision=f"compliance:{parent}:{level}")
        head = _head(t("compliance_title", lang, area=name) + f" · {i18n.fiscal_year(state.fy, lang)}",
                     chain_views.plans_summary(summary, lang))
        levels = [html.H3(t("plans_by_level", lang)), chain_views.level_table(summary, lang),
                  html.P(chain_views.notices_summary(units, lang, untracked), className="note",
                         id="notices-summary")]
        days = units[0].notice_days if units else 30
        return (head, fig, levels,
                [html.H3(t("late_plans", lang)), html.Span(t("late_plans_count", lang, total=f"{total:,}"),
                                                            className="muted")],
                chain_views.late_plan_rows(late, lang), chain_views.late_plan_columns(lang),
                [html.H3(t("late_notices", lang, days=days)),
                 html.Span(chain_views.notices_summary(units, lang, untracked), className="muted")],
                chain_views.notice_rows(units, lang), chain_views.notice_columns(lang))

    # -- overlaps ------------------------------------------------------------------------

    def render_overlaps(self, search: str | None, db: dict | None) -> tuple:
        state, shown = self._state(search, "overlaps")
        if not shown:
            return (dash.no_update,) * 3
        try:
            with self.pool.connection() as conn:
                state, _ = self.resolve(conn, state)
                lang = state.lang
                if state.fy is None:
                    return _head(t("no_data", lang)), [], chain_views.overlap_columns(lang)
                pairs, total = chain_view.overlaps(conn, state.area, state.fy)
                name = _area_name(conn, state.area, lang)
        except DB_ERRORS:
            return (_head(t("db_down", state.lang)), dash.no_update, dash.no_update)
        head = _head(t("overlaps_title", lang, area=name) + f" · {i18n.fiscal_year(state.fy, lang)}",
                     t("overlaps_note", lang),
                     t("overlaps_count", lang, total=f"{total:,}") if total else t("overlaps_none", lang))
        return head, chain_views.overlap_rows(pairs, lang), chain_views.overlap_columns(lang)

    # -- matching review -----------------------------------------------------------------

    def render_review(self, search: str | None, db: dict | None, _done: Any = None) -> tuple:
        state, shown = self._state(search, "review")
        if not shown:
            return dash.no_update, dash.no_update
        try:
            with self.pool.connection() as conn:
                state, _ = self.resolve(conn, state)
                lang = state.lang
                if state.fy is None:
                    return _head(t("no_data", lang)), None
                rows, total = review.suggestions(conn, state.area, state.fy)
                name = _area_name(conn, state.area, lang)
        except DB_ERRORS:
            return _head(t("db_down", state.lang)), dash.no_update
        head = _head(t("review_title", lang, area=name) + f" · {i18n.fiscal_year(state.fy, lang)}",
                     t("review_note", lang), t("review_count", lang, total=f"{total:,}") if total else "")
        return head, chain_views.review_table(rows, lang)

    def decide(self, search: str | None, button: Any, clicks: Any, done: Any) -> tuple:
        """Record an accept/reject click. The button's id comes from the browser: its action
        must be a known decision and its keys short printable texts, and the decision is
        recorded only for a suggestion that is on the review list."""
        lang = parse(search).lang
        if not isinstance(button, dict) or not isinstance(clicks, int) or clicks < 1:
            return dash.no_update, dash.no_update
        action, key, item = button.get("action"), button.get("allocation"), button.get("item")
        if action not in review.DECISIONS:
            return dash.no_update, dash.no_update
        try:
            with self.pool.connection() as conn:
                found = review.decide(conn, key, item, action, REVIEWER)
        except ValueError:
            return t("review_failed", lang), dash.no_update
        except DB_ERRORS:
            return t("db_down", lang), dash.no_update
        if not found:
            return t("review_failed", lang), dash.no_update
        message = t("review_saved", lang, decision=t(f"decision_{action}", lang), title=f"{key} → {item}")
        return message, (done + 1 if isinstance(done, int) else 1)

    # -- wiring --------------------------------------------------------------------------

    def register_chain(self, app: dash.Dash) -> None:
        page = [Input(ids.URL, "search"), Input(ids.DB_OK, "data")]

        @app.callback(Output(ids.FUNNEL_HEAD, "children"), Output(ids.FUNNEL, "figure"),
                      Output(ids.FUNNEL_TABLE, "children"), Output(ids.FUNNEL_INDICATORS, "children"),
                      Output(ids.FUNNEL_SHAPE, "figure"), *page)
        def render_funnel(search, db):
            return self.render_funnel(search, db)

        @app.callback(Output(ids.TRACE_HEAD, "children"), Output(ids.TRACE_SEARCH, "placeholder"),
                      Output(ids.TRACE_COUNT, "children"), Output(ids.TRACE_RESULTS, "rowData"),
                      Output(ids.TRACE_RESULTS, "columnDefs"), Output(ids.TRACE_OUTCOME, "children"),
                      Output(ids.TRACE_TIMELINE, "children"), Output(ids.TRACE_MAP, "figure"),
                      *page, Input(ids.TRACE_SEARCH, "value"))
        def render_trace(search, db, text):
            return self.render_trace(search, db, text)

        @app.callback(Output(ids.COMPLIANCE_HEAD, "children"), Output(ids.COMPLIANCE_MAP, "figure"),
                      Output(ids.COMPLIANCE_LEVELS, "children"), Output(ids.LATE_PLANS_HEAD, "children"),
                      Output(ids.LATE_PLANS, "rowData"), Output(ids.LATE_PLANS, "columnDefs"),
                      Output(ids.LATE_NOTICES_HEAD, "children"), Output(ids.LATE_NOTICES, "rowData"),
                      Output(ids.LATE_NOTICES, "columnDefs"), *page)
        def render_compliance(search, db):
            return self.render_compliance(search, db)

        @app.callback(Output(ids.OVERLAPS_HEAD, "children"), Output(ids.OVERLAPS, "rowData"),
                      Output(ids.OVERLAPS, "columnDefs"), *page)
        def render_overlaps(search, db):
            return self.render_overlaps(search, db)

        @app.callback(Output(ids.REVIEW_HEAD, "children"), Output(ids.REVIEW_LIST, "children"),
                      *page, Input(ids.REVIEW_DONE, "data"))
        def render_review(search, db, done):
            return self.render_review(search, db, done)

        @app.callback(Output(ids.REVIEW_STATUS, "children"), Output(ids.REVIEW_DONE, "data"),
                      Input({"type": ids.REVIEW_DECIDE, "action": ALL, "allocation": ALL, "item": ALL}, "n_clicks"),
                      State(ids.URL, "search"), State(ids.REVIEW_DONE, "data"), prevent_initial_call=True)
        def decide(_clicks, search, done):
            triggered = dash.ctx.triggered[0] if dash.ctx.triggered else {}
            return self.decide(search, dash.ctx.triggered_id, triggered.get("value"), done)
