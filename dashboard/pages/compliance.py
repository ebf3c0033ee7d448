"""Calendar compliance (``view=compliance``): sub-areas by the share of their plans submitted
late, plans by level, the overdue plans, and the agencies that notified the province late or not
at all. One-off programmes and sources without notice dates are said to be outside the rules."""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import psycopg
from dash import Input, Output, html

from dashboard import chain_figures, chain_views, figures, i18n, ids, views
from dashboard.context import Context, version_of
from dashboard.i18n import t
from dashboard.pages.common import AUTO_HEIGHT, GRID, area_name, graph, head
from dashboard.request import View
from dashboard.state import MAP_LEVELS_FOR
from geodata import chain_view, queries
from geodata.areas import LENGTH_BY_LEVEL, level_of
from geodata.queries import Filters

NAME = "compliance"
OUT = {
    "head": Output(ids.COMPLIANCE_HEAD, "children"),
    "map": Output(ids.COMPLIANCE_MAP, "figure"),
    "levels": Output(ids.COMPLIANCE_LEVELS, "children"),
    "late_head": Output(ids.LATE_PLANS_HEAD, "children"),
    "late": Output(ids.LATE_PLANS, "rowData"),
    "late_columns": Output(ids.LATE_PLANS, "columnDefs"),
    "notices_head": Output(ids.LATE_NOTICES_HEAD, "children"),
    "notices": Output(ids.LATE_NOTICES, "rowData"),
    "notice_columns": Output(ids.LATE_NOTICES, "columnDefs"),
}


def layout() -> html.Div:
    return html.Div(
        className="chain-page",
        children=[
            html.Div(id=ids.COMPLIANCE_HEAD, className="chain-head"),
            html.Div(
                className="chain-grid",
                children=[
                    html.Div(
                        className="panel",
                        children=[
                            graph(ids.COMPLIANCE_MAP, "520px", figures.empty_map()),
                            html.Div(t("map_hint"), className="hint"),
                        ],
                    ),
                    html.Div(id=ids.COMPLIANCE_LEVELS, className="panel side-panel"),
                ],
            ),
            html.Div(id=ids.LATE_PLANS_HEAD, className="table-head"),
            dag.AgGrid(
                id=ids.LATE_PLANS,
                rowData=[],
                columnDefs=chain_views.late_plan_columns(),
                getRowId="params.data.id",
                style={"height": "340px"},
                **GRID,
            ),
            html.Div(id=ids.LATE_NOTICES_HEAD, className="table-head"),
            dag.AgGrid(
                id=ids.LATE_NOTICES,
                rowData=[],
                columnDefs=chain_views.notice_columns(),
                getRowId="params.data.id",
                **AUTO_HEIGHT,
            ),
        ],
    )


def render(ctx: Context, search: str | None, db: dict | None) -> dict[str, Any]:
    version = version_of(db)

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        state, lang = view.state, view.state.lang
        parent = views.map_parent(state)
        level = MAP_LEVELS_FOR[level_of(parent)][0]
        rows = queries.children(conn, parent, level, Filters(state.fy), previous=False, supply=False)
        on_map = chain_view.compliance_summary(conn, parent, state.fy, LENGTH_BY_LEVEL[level])
        summary = (
            on_map
            if parent == state.area  # a village's map shows its tambon
            else chain_view.compliance_summary(conn, state.area, state.fy)
        )
        late, total = chain_view.late_plans(conn, state.area, state.fy)
        units = chain_view.notices(conn, state.area, state.fy)
        untracked = chain_view.untracked(conn, state.area, state.fy)
        bounds = queries.area_bounds(conn, parent) if parent != "TH" else None
        name = area_name(conn, state.area, lang)
        geo = ctx.geojson_url(*views.geometry_path(level, state), version)
        fig = chain_figures.compliance_map(
            rows,
            on_map.by_child,
            lang=lang,
            geojson_url=geo,
            bounds=bounds,
            points=level == "village",
            outline=parent if level == "village" else None,
            revision=f"compliance:{parent}:{level}",
        )
        notices = chain_views.notices_summary(units, lang, untracked)
        days = units[0].notice_days if units else 30
        return {
            "head": head(
                t("compliance_title", lang, area=name) + f" · {i18n.fiscal_year(state.fy, lang)}",
                chain_views.plans_summary(summary, lang),
            ),
            "map": fig,
            "levels": [
                html.H3(t("plans_by_level", lang)),
                chain_views.level_table(summary, lang),
                html.P(notices, className="note", id="notices-summary"),
            ],
            "late_head": [
                html.H3(t("late_plans", lang)),
                html.Span(t("late_plans_count", lang, total=f"{total:,}"), className="muted"),
            ],
            "late": chain_views.late_plan_rows(late, lang),
            "late_columns": chain_views.late_plan_columns(lang),
            "notices_head": [html.H3(t("late_notices", lang, days=days)), html.Span(notices, className="muted")],
            "notices": chain_views.notice_rows(units, lang),
            "notice_columns": chain_views.notice_columns(lang),
        }

    return ctx.render(
        search,
        OUT,
        build,
        page=NAME,
        empty=lambda lang: {
            "head": head(t("no_data", lang)),
            "map": figures.empty_map(),
            "levels": None,
            "late_head": None,
            "late": [],
            "late_columns": chain_views.late_plan_columns(lang),
            "notices_head": None,
            "notices": [],
            "notice_columns": chain_views.notice_columns(lang),
        },
        down=lambda lang: {"head": head(t("db_down", lang))},
    )


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(output=OUT, inputs={"search": Input(ids.URL, "search"), "db": Input(ids.DB_OK, "data")})
    def _render(search, db):
        return render(ctx, search, db)
