"""Possibly duplicated projects (``view=overlaps``): pairs from different sources in the same
tambon and fiscal year, with both titles, amounts and their similarity."""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import psycopg
from dash import Input, Output, html

from dashboard import chain_views, i18n, ids
from dashboard.context import Context
from dashboard.i18n import t
from dashboard.pages.common import AUTO_HEIGHT, area_name, head
from dashboard.request import View
from geodata import chain_view

NAME = "overlaps"
OUT = {
    "head": Output(ids.OVERLAPS_HEAD, "children"),
    "rows": Output(ids.OVERLAPS, "rowData"),
    "columns": Output(ids.OVERLAPS, "columnDefs"),
}


def layout() -> html.Div:
    return html.Div(
        className="chain-page",
        children=[
            html.Div(id=ids.OVERLAPS_HEAD, className="chain-head"),
            dag.AgGrid(
                id=ids.OVERLAPS,
                rowData=[],
                columnDefs=chain_views.overlap_columns(),
                getRowId="params.data.id",
                **AUTO_HEIGHT,
            ),
        ],
    )


def render(ctx: Context, search: str | None, db: dict | None) -> dict[str, Any]:
    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        state, lang = view.state, view.state.lang
        pairs, total = chain_view.overlaps(conn, state.area, state.fy)
        title = (
            t("overlaps_title", lang, area=area_name(conn, state.area, lang)) + f" · {i18n.fiscal_year(state.fy, lang)}"
        )
        return {
            "head": head(
                title,
                t("overlaps_note", lang),
                t("overlaps_count", lang, total=f"{total:,}") if total else t("overlaps_none", lang),
            ),
            "rows": chain_views.overlap_rows(pairs, lang),
            "columns": chain_views.overlap_columns(lang),
        }

    return ctx.render(
        search,
        OUT,
        build,
        page=NAME,
        empty=lambda lang: {"head": head(t("no_data", lang)), "rows": [], "columns": chain_views.overlap_columns(lang)},
        down=lambda lang: {"head": head(t("db_down", lang))},
    )


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(output=OUT, inputs={"search": Input(ids.URL, "search"), "db": Input(ids.DB_OK, "data")})
    def _render(search, db):
        return render(ctx, search, db)
