"""The Dash application (minimal map page; the full dashboard builds on it)."""

from __future__ import annotations

import dash
import psycopg
from dash import Input, Output, State, dcc, html
from psycopg_pool import ConnectionPool, PoolTimeout

from dashboard import ids
from dashboard.figures import choropleth, empty_map
from dashboard.i18n import fiscal_year, t
from geodata.db import open_pool
from geodata.queries import MAP_LEVELS, data_status, map_layer
from geodata.settings import Settings

PLAN_LEVELS = ("village", "tambon", "local", "district", "province", "cluster")
DB_ERRORS = (psycopg.OperationalError, PoolTimeout)


def create_app(settings: Settings, pool: ConnectionPool | None = None) -> dash.Dash:
    """Build the app around one connection pool (created here unless a test passes one)."""
    pool = pool or open_pool(settings)
    app = dash.Dash(__name__, title="planmap", update_title=None)
    app.layout = _layout()
    _register(app, pool)
    return app


def _layout() -> html.Div:
    return html.Div(className="page", children=[
        dcc.Location(id=ids.URL),
        html.Header(className="header", children=[
            html.H1(t("app_title"), id=ids.TITLE),
            dcc.RadioItems(id=ids.LANG, options=[{"label": "ไทย", "value": "th"},
                                                {"label": "English", "value": "en"}],
                           value="th", inline=True, className="lang"),
        ]),
        html.Div(id=ids.BANNER, className="banner"),
        html.Div(className="controls", children=[
            dcc.RadioItems(id=ids.LEVEL, value="province", inline=True,
                           options=[{"label": t(level), "value": level} for level in MAP_LEVELS]),
            dcc.Dropdown(id=ids.YEAR, clearable=False, style={"width": "14rem"}),
            dcc.Dropdown(id=ids.PLAN_LEVEL, value="village", clearable=False, style={"width": "16rem"},
                         options=[{"label": t(level), "value": level} for level in PLAN_LEVELS]),
        ]),
        html.Div(id=ids.STATUS, className="status", role="status"),
        dcc.Graph(id=ids.MAP, className="map", config={"displaylogo": False}, figure=empty_map(),
                  style={"height": "78vh"}),
        dcc.Interval(id=ids.RETRY, interval=8000),
        dcc.Store(id=ids.DB_OK, data=True),
    ])


def _register(app: dash.Dash, pool: ConnectionPool) -> None:
    @app.callback(
        Output(ids.YEAR, "options"), Output(ids.YEAR, "value"), Output(ids.BANNER, "children"),
        Output(ids.DB_OK, "data"),
        Input(ids.LANG, "value"), Input(ids.RETRY, "n_intervals"),
        State(ids.YEAR, "value"), State(ids.DB_OK, "data"),
    )
    def status_bar(lang: str, _tick: int | None, year: int | None, was_ok: bool):
        """Polls the database: says plainly when it is down, and recovers when it is back."""
        try:
            with pool.connection() as conn:
                status = data_status(conn)
        except DB_ERRORS:
            down = html.Div(t("db_down", lang), className="alert")
            return dash.no_update, dash.no_update, down, False if was_ok else dash.no_update
        years = list(status.fiscal_years)
        options = [{"label": fiscal_year(y, lang), "value": y} for y in years]
        chosen = year if year in years else (years[-1] if years else None)
        notes = []
        if status.synthetic:
            notes.append(html.Div(t("synthetic", lang), className="synthetic"))
        if status.schematic:
            notes.append(html.Div(t("schematic", lang), className="schematic"))
        elif status.boundary_version:
            notes.append(html.Div(f"{t('boundaries', lang)}: {status.boundary_version}", className="source"))
        if year in years and dash.ctx.triggered_id == ids.RETRY and was_ok:
            return dash.no_update, dash.no_update, notes, dash.no_update
        return options, chosen, notes, True

    @app.callback(
        Output(ids.MAP, "figure"), Output(ids.STATUS, "children"),
        Input(ids.LEVEL, "value"), Input(ids.YEAR, "value"), Input(ids.PLAN_LEVEL, "value"),
        Input(ids.LANG, "value"), Input(ids.DB_OK, "data"),
    )
    def update_map(level: str, year: int | None, plan_level: str, lang: str, db_ok: bool):
        # Values posted by the browser are checked against the known lists, never trusted.
        if level not in MAP_LEVELS or plan_level not in PLAN_LEVELS:
            raise dash.exceptions.PreventUpdate
        try:
            with pool.connection() as conn:
                areas = map_layer(conn, level, int(year) if year else 0, plan_level)
        except DB_ERRORS:
            return dash.no_update, t("db_down", lang)
        message = "" if any(a.requested is not None for a in areas) else t("no_data", lang)
        return choropleth(areas, lang), message
