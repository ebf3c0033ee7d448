"""Trace one need (``view=trace``, ``item=<id>``): search the area's needs by title, then follow
the chosen one from the village to the budget as a timeline and on the map."""

from __future__ import annotations

import json
from typing import Any

import dash
import dash_ag_grid as dag
import psycopg
from dash import Input, Output, dcc, html

from dashboard import chain_figures, chain_views, figures, i18n, ids, posted
from dashboard.context import Context, version_of
from dashboard.i18n import t
from dashboard.pages.common import GRID, area_name, graph, head
from dashboard.request import View
from geodata import chain_view, queries

NAME = "trace"
OUT = {
    "head": Output(ids.TRACE_HEAD, "children"),
    "placeholder": Output(ids.TRACE_SEARCH, "placeholder"),
    "count": Output(ids.TRACE_COUNT, "children"),
    "rows": Output(ids.TRACE_RESULTS, "rowData"),
    "columns": Output(ids.TRACE_RESULTS, "columnDefs"),
    "outcome": Output(ids.TRACE_OUTCOME, "children"),
    "timeline": Output(ids.TRACE_TIMELINE, "children"),
    "map": Output(ids.TRACE_MAP, "figure"),
}


def trace_column(lang: str = "th") -> dict:
    """The items grid's link to the trace view (a constant label, not data)."""
    return {
        "colId": ids.TRACE_TRACE,
        "headerName": "",
        "width": 110,
        "sortable": False,
        "filter": False,
        "resizable": False,
        "valueGetter": {"function": json.dumps(t("trace_link", lang))},
        "cellClass": "trace-link",
    }


def layout() -> html.Div:
    return html.Div(
        className="chain-page",
        children=[
            html.Div(id=ids.TRACE_HEAD, className="chain-head"),
            dcc.Input(
                id=ids.TRACE_SEARCH,
                type="search",
                debounce=True,
                placeholder=t("trace_search"),
                className="search",
                maxLength=100,
            ),
            html.Div(id=ids.TRACE_COUNT, className="muted"),
            dag.AgGrid(
                id=ids.TRACE_RESULTS,
                rowData=[],
                columnDefs=chain_views.search_columns(),
                getRowId="params.data.id",
                style={"height": "260px"},
                **GRID,
            ),
            html.Div(id=ids.TRACE_OUTCOME),
            html.Div(
                className="chain-grid trace-grid",
                children=[
                    html.Div(id=ids.TRACE_TIMELINE, className="panel"),
                    html.Div(className="panel", children=[graph(ids.TRACE_MAP, "520px", figures.empty_map())]),
                ],
            ),
        ],
    )


def bounds_code(item: chain_view.Trace) -> str | None:
    """The area the trace map fits: the need's district (its tambon and village are then large
    enough to see, inside the province), or the province of a province-wide need."""
    code = item.root.area_code
    if not code[:2].isdigit():
        return None
    return code[:4] if len(code) >= 4 else code[:2]


def render(ctx: Context, search: object, db: object, text: object) -> dict[str, Any]:
    """Search results, where the traced need stopped, its timeline and its path on the map."""
    text = posted.text(text)
    version = version_of(db)

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        state, lang = view.state, view.state.lang
        hits, total = chain_view.search_needs(conn, state.area, state.fy, text)
        item = chain_view.trace(conn, state.item) if state.item is not None else None
        code = bounds_code(item) if item else None
        bounds = queries.area_bounds(conn, code) if code else None
        title = (
            t("trace_title", lang, area=area_name(conn, state.area, lang)) + f" · {i18n.fiscal_year(state.fy, lang)}"
        )
        common = {
            "head": head(title, t("trace_hint", lang)),
            "placeholder": t("trace_search", lang),
            "count": chain_views.search_count(hits, total, lang),
            "rows": chain_views.search_rows(hits, lang),
            "columns": chain_views.search_columns(lang),
        }
        if item is None:
            missing = html.Div(t("trace_missing", lang), className="outcome missing") if state.item else None
            return {**common, "outcome": missing, "timeline": None, "map": figures.empty_map()}
        province = item.root.area_code[:2] if item.root.area_code[:2].isdigit() else None
        urls = {
            "province": ctx.geojson_url("province", "TH", version),
            "cluster": ctx.geojson_url("cluster", "TH", version),
        }
        if province:
            urls.update(
                {
                    "district": ctx.geojson_url("district", province, version),
                    "tambon": ctx.geojson_url("tambon", province, version),
                }
            )
        return {
            **common,
            "outcome": chain_views.outcome_banner(item, lang),
            "timeline": chain_views.timeline(item, lang),
            "map": chain_figures.trace_map(item, urls, lang=lang, bounds=bounds),
        }

    return ctx.render(
        search,
        OUT,
        build,
        page=NAME,
        empty=lambda lang: {
            "head": head(t("no_data", lang)),
            "placeholder": t("trace_search", lang),
            "count": "",
            "rows": [],
            "columns": chain_views.search_columns(lang),
            "outcome": None,
            "timeline": None,
            "map": figures.empty_map(),
        },
        down=lambda lang: {"head": head(t("db_down", lang))},
    )


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(
        output=OUT,
        inputs={
            "search": Input(ids.URL, "search"),
            "db": Input(ids.DB_OK, "data"),
            "text": Input(ids.TRACE_SEARCH, "value"),
        },
    )
    def _render(search, db, text):
        return render(ctx, search, db, text)
