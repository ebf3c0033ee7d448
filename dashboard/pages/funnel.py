"""The escalation funnel (``view=funnel``): village needs → … → funded by an agency, with the
manual's indicators beside the FY2559 shape."""

from __future__ import annotations

from typing import Any

import dash
import psycopg
from dash import Input, Output, html

from dashboard import chain_figures, chain_views, i18n, ids, views
from dashboard.context import Context
from dashboard.i18n import t
from dashboard.pages.common import area_name, graph, head
from dashboard.request import View
from geodata import chain_view, queries
from geodata.queries import Filters

NAME = "funnel"
OUT = {
    "head": Output(ids.FUNNEL_HEAD, "children"),
    "figure": Output(ids.FUNNEL, "figure"),
    "table": Output(ids.FUNNEL_TABLE, "children"),
    "indicators": Output(ids.FUNNEL_INDICATORS, "children"),
    "shape": Output(ids.FUNNEL_SHAPE, "figure"),
}


def layout() -> html.Div:
    return html.Div(
        className="chain-page",
        children=[
            html.Div(id=ids.FUNNEL_HEAD, className="chain-head"),
            html.Div(
                className="chain-grid",
                children=[
                    html.Div(
                        className="panel",
                        children=[graph(ids.FUNNEL, "440px", tools=False), html.Div(id=ids.FUNNEL_TABLE)],
                    ),
                    html.Div(
                        className="panel side-panel",
                        children=[html.Div(id=ids.FUNNEL_INDICATORS), graph(ids.FUNNEL_SHAPE, "260px", tools=False)],
                    ),
                ],
            ),
        ],
    )


def render(ctx: Context, search: str | None, db: dict | None) -> dict[str, Any]:
    """Title, the funnel figure and table, the manual's indicators and the FY2559 shape."""

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        state, lang = view.state, view.state.lang
        steps = chain_view.area_funnel(conn, state.area, state.fy)
        summary = queries.summary(conn, state.area, Filters(state.fy, "province"))
        title = (
            t("funnel_title", lang, area=area_name(conn, state.area, lang)) + f" · {i18n.fiscal_year(state.fy, lang)}"
        )
        indicators = views.indicators(summary.indicators, summary.previous_indicators, state) if summary else None
        shape = chain_figures.shape_figure(summary.indicators, lang) if summary else chain_figures.empty_figure()
        shape_block = [html.H3(t("shape_title", lang))] if summary else []
        return {
            "head": head(title, t("funnel_note", lang), "" if steps and steps[0].items else t("funnel_empty", lang)),
            "figure": chain_figures.funnel_figure(steps, lang),
            "table": chain_views.funnel_table(steps, lang),
            "indicators": [indicators, *shape_block] if indicators else shape_block,
            "shape": shape,
        }

    return ctx.render(
        search,
        OUT,
        build,
        page=NAME,
        empty=lambda lang: {
            "head": head(t("no_data", lang)),
            "figure": chain_figures.empty_figure(),
            "table": None,
            "indicators": None,
            "shape": chain_figures.empty_figure(),
        },
        down=lambda lang: {"head": head(t("db_down", lang))},
    )


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(output=OUT, inputs={"search": Input(ids.URL, "search"), "db": Input(ids.DB_OK, "data")})
    def _render(search, db):
        return render(ctx, search, db)
