"""Small pieces the chain pages share: the grid settings, a page heading, a graph, an area's
name in the page's language."""

from __future__ import annotations

import psycopg
from dash import dcc, html

from dashboard import chain_figures, figures, i18n
from dashboard.i18n import t
from geodata import queries

GRID = {
    "className": "ag-theme-alpine",
    "defaultColDef": {
        "sortable": True,
        "resizable": True,
        "filter": True,
        "wrapHeaderText": True,
        "autoHeaderHeight": True,
    },
    "dashGridOptions": {
        "animateRows": False,
        "enableCellTextSelection": True,
        "tooltipShowDelay": 300,
        "localeText": {"noRowsToShow": "–"},
        "getLocaleText": i18n.grid_text_function(),  # the grid's own texts in the page's language
    },
}
# A grid as tall as its rows (a page of them), for lists that are often short.
AUTO_HEIGHT = {
    **GRID,
    "dashGridOptions": {
        **GRID["dashGridOptions"],
        "domLayout": "autoHeight",
        "pagination": True,
        "paginationPageSize": 20,
    },
    "style": {"height": None},
}


def head(title: str, *notes: str) -> list:
    return [html.H2(title), *[html.P(n, className="muted note") for n in notes if n]]


def graph(graph_id: str, height: str, figure: dict | None = None, *, tools: bool = True) -> dcc.Graph:
    config = figures.GRAPH_CONFIG if tools else figures.GRAPH_CONFIG_NO_TOOLS
    return dcc.Graph(
        id=graph_id, figure=figure or chain_figures.empty_figure(), config=config, style={"height": height}
    )


def area_name(conn: psycopg.Connection, code: str, lang: str) -> str:
    if code == "TH":
        return t("thailand", lang)
    area = queries.area(conn, code)
    return i18n.name(area, lang) if area else code
