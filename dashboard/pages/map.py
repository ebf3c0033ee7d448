"""The map page (``view=map``, the default): the map of the selected area's children with the
list of what it cannot draw and the notes on what the data supports, the KPI cards and the
manual's indicators, the ranking of the children, and the plan items and allocations.

Everything reads the pre-aggregates through ``geodata.queries``; figures and tables come from
the pure builders in ``dashboard.figures`` and ``dashboard.views``.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import psycopg
from dash import Input, Output, dcc, html

from dashboard import figures, i18n, ids, posted, views
from dashboard.context import Context, version_of
from dashboard.controls import labelled
from dashboard.i18n import t
from dashboard.pages.trace import trace_column
from dashboard.request import View
from geodata import queries
from geodata.areas import COUNTRY

NAME = "map"
MAP_OUT = {
    "figure": Output(ids.MAP, "figure"),
    "side": Output(ids.SIDE, "children"),
    "notes": Output(ids.STATUS, "children"),
    "ranking": Output(ids.RANKING, "rowData"),
    "ranking_columns": Output(ids.RANKING, "columnDefs"),
    "ranking_title": Output(ids.RANKING_TITLE, "children"),
}
SUMMARY_OUT = {
    "crumbs": Output(ids.CRUMBS, "children"),
    "cards": Output(ids.CARDS, "children"),
    "indicators": Output(ids.INDICATORS, "children"),
}
ITEMS_OUT = {
    "items": Output(ids.ITEMS, "rowData"),
    "item_columns": Output(ids.ITEMS, "columnDefs"),
    "items_count": Output(ids.ITEMS_COUNT, "children"),
    "allocations": Output(ids.ALLOCATIONS, "rowData"),
    "allocation_columns": Output(ids.ALLOCATIONS, "columnDefs"),
    "allocations_count": Output(ids.ALLOCATIONS_COUNT, "children"),
}


def layout() -> list:
    """The map with the cards beside it, the ranking and the item grids."""
    grid = {
        "getRowId": "params.data.id",
        "className": "ag-theme-alpine",
        "defaultColDef": {"sortable": True, "resizable": True, "filter": True},
        "dashGridOptions": {
            "pagination": True,
            "paginationPageSize": 50,
            "enableCellTextSelection": True,
            "tooltipShowDelay": 300,
            "getLocaleText": i18n.grid_text_function(),
        },
        "style": {"height": "420px"},
    }
    return [
        html.Main(
            className="main",
            children=[
                html.Div(
                    className="map-col",
                    children=[
                        dcc.Loading(
                            dcc.Graph(
                                id=ids.MAP,
                                className="map",
                                figure=figures.empty_map(),
                                config=figures.MAP_GRAPH_CONFIG,
                                style={"height": "max(460px, calc(100vh - 345px))"},
                            ),
                            delay_show=400,
                            type="dot",
                        ),
                        html.Div(t("map_hint"), id=ids.MAP_HINT, className="hint"),
                        html.Nav(id=ids.EXPORTS, className="exports", **{"aria-label": "downloads"}),
                    ],
                ),
                html.Div(
                    className="side-col",
                    children=[
                        html.Div(id=ids.CARDS, className="cards"),
                        html.Div(id=ids.SIDE),
                        html.Div(id=ids.INDICATORS),
                    ],
                ),
            ],
        ),
        html.Section(
            className="tables",
            children=[
                html.Div(
                    className="ranking",
                    children=[
                        html.Div(
                            className="table-head",
                            children=[
                                html.H2(t("ranking"), id=ids.RANKING_TITLE),
                                labelled(ids.RANK_BY, dcc.RadioItems(id=ids.RANK_BY, value="gap", inline=True)),
                            ],
                        ),
                        dag.AgGrid(
                            id=ids.RANKING,
                            rowData=[],
                            columnDefs=views.ranking_columns(),
                            getRowId="params.data.code",
                            className="ag-theme-alpine",
                            defaultColDef={"sortable": True, "resizable": True, "filter": True},
                            dashGridOptions={
                                "animateRows": False,
                                "tooltipShowDelay": 300,
                                "getLocaleText": i18n.grid_text_function(),
                            },
                            style={"height": "360px"},
                        ),
                    ],
                ),
                html.Div(
                    className="items",
                    children=[
                        dcc.Input(
                            id=ids.SEARCH,
                            type="search",
                            debounce=True,
                            placeholder=t("search"),
                            className="search",
                            maxLength=100,
                        ),
                        dcc.Tabs(
                            id=ids.TABS,
                            value="items",
                            children=[
                                dcc.Tab(
                                    label=t("tab_items"),
                                    value="items",
                                    id=ids.TAB_ITEMS,
                                    children=[
                                        html.Div(id=ids.ITEMS_COUNT, className="muted"),
                                        dag.AgGrid(id=ids.ITEMS, rowData=[], columnDefs=item_columns(), **grid),
                                    ],
                                ),
                                dcc.Tab(
                                    label=t("tab_allocations"),
                                    value="allocations",
                                    id=ids.TAB_ALLOCATIONS,
                                    children=[
                                        html.Div(id=ids.ALLOCATIONS_COUNT, className="muted"),
                                        dag.AgGrid(
                                            id=ids.ALLOCATIONS,
                                            rowData=[],
                                            columnDefs=views.allocation_columns(),
                                            **grid,
                                        ),
                                    ],
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ]


def item_columns(lang: str = "th") -> list[dict]:
    """The plan items grid's columns, with the link to the trace view after the title."""
    columns = views.item_columns(lang)
    return [columns[0], trace_column(lang), *columns[1:]]


# --------------------------------------------------------------------------- renders


def render_map(ctx: Context, search: str | None, db: dict | None) -> dict[str, Any]:
    """Map, the list of what it cannot draw, the notes on what the data can support, and the
    ranking of the children."""
    version = version_of(db)

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        if view.country_frame:
            return _country_frame(ctx, conn, view, version)
        state, lang = view.state, view.state.lang
        filters = view.filters
        parent = views.map_parent(state)
        rows = queries.children(conn, parent, state.level, filters, previous=state.compare, supply=True)
        summary = queries.summary(conn, parent, filters)
        bounds = queries.area_bounds(conn, parent) if parent != "TH" else None
        linked = summary.coverage.linked if summary else True
        revision = f"{parent}:{state.level}"
        geo = views.geometry_path(state.level, state)
        if state.level == "village":
            fig = figures.village_map(
                rows,
                metric=state.metric,
                lang=lang,
                outline_url=ctx.geojson_url(*geo, version),
                outline_code=parent,
                selected=state.area,
                method=state.classes,
                change=state.compare,
                bounds=bounds,
                tiles=state.tiles,
                revision=revision,
                linked=linked,
            )
        else:
            fig = figures.area_map(
                rows,
                metric=state.metric,
                lang=lang,
                geojson_url=ctx.geojson_url(*geo, version),
                method=state.classes,
                change=state.compare,
                bounds=bounds,
                tiles=state.tiles,
                revision=revision,
                linked=linked,
            )
        notes = views.map_notes(summary, view.options, state, national=view.scope.national())
        if state.level == "village" and any(r.approximate for r in rows):
            notes.append(html.Div(t("approximate_villages", lang), className="note", id="note-approximate"))
        if not any(v is not None for v in figures.area_values(rows, state.metric)):
            notes.insert(0, html.Div(t("no_value", lang), className="note"))
        return {
            "figure": fig,
            "side": views.side_list(rows, summary, state) if summary else html.Div(),
            "notes": notes,
            "ranking": views.ranking_rows(rows, state.rank, lang, linked=linked),
            "ranking_columns": views.ranking_columns(lang, linked),
            "ranking_title": t("ranking" if linked else "ranking_requested", lang),
        }

    return ctx.render(
        search,
        MAP_OUT,
        build,
        page=NAME,
        empty=lambda lang: {
            "figure": figures.empty_map(),
            "side": html.Div(),
            "notes": t("no_data", lang),
            "ranking": [],
            "ranking_columns": views.ranking_columns(lang),
            "ranking_title": t("ranking", lang),
        },
        down=lambda lang: {"notes": t("db_down", lang)},
    )


def _country_frame(ctx: Context, conn: psycopg.Connection, view: View, version: int | None) -> dict[str, Any]:
    """The country for a reader of some areas: every province's outline, and the figures of only
    the provinces the reader may see (the legend's classes come from theirs alone). No national
    total is read: the cards and tables stay on the reader's home area."""
    country = view.state.with_area(COUNTRY)
    lang = country.lang
    rows = queries.children(conn, COUNTRY, "province", view.filters, previous=country.compare, supply=True)
    own = [r for r in rows if view.scope.covers(r.code)]
    summaries = [queries.summary(conn, r.code, view.filters) for r in own]
    linked = all(x.coverage.linked for x in summaries if x is not None)
    url = ctx.geojson_url(*views.geometry_path("province", country), version)
    fig = figures.area_map(
        own,
        metric=country.metric,
        lang=lang,
        geojson_url=url,
        method=country.classes,
        change=country.compare,
        tiles=country.tiles,
        revision="TH:frame",
        linked=linked,
    )
    others = [r.code for r in rows if not view.scope.covers(r.code) and r.drawable]
    note = html.Div(t("country_frame", lang), className="note")
    return {
        "figure": figures.with_outline(fig, others, url),
        "side": html.Div(),
        "notes": [note],
        "ranking": views.ranking_rows(own, country.rank, lang, linked=linked),
        "ranking_columns": views.ranking_columns(lang, linked),
        "ranking_title": t("ranking" if linked else "ranking_requested", lang),
    }


def render_summary(ctx: Context, search: str | None, db: dict | None) -> dict[str, Any]:
    """Breadcrumbs (on every page), KPI cards and the manual's indicators of the selected area."""

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        state = view.state
        chain = queries.breadcrumbs(conn, state.area, state.fy)
        summary = queries.summary(conn, state.area, view.filters)
        if summary is None:
            return {"crumbs": [], "cards": [], "indicators": html.Div()}
        return {
            "crumbs": views.breadcrumbs(chain, state, view.scope.covers),
            "cards": views.cards(summary, state),
            "indicators": views.indicators(summary.indicators, summary.previous_indicators, state),
        }

    return ctx.render(
        search, SUMMARY_OUT, build, empty=lambda lang: {"crumbs": [], "cards": [], "indicators": html.Div()}
    )


def render_items(ctx: Context, search: object, db: object, text: object) -> dict[str, Any]:
    """Plan items and allocations of the selected area (one page each, largest first)."""
    text = posted.text(text)

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        state, lang = view.state, view.state.lang
        items = queries.plan_items_page(conn, state.area, view.filters, text)
        allocations = queries.allocations_page(conn, state.area, view.filters, text)
        summary = queries.summary(conn, state.area, view.filters)
        linked = summary.coverage.linked if summary else True
        return {
            "items": views.item_rows(items, lang, linked, with_shared=True),
            "item_columns": item_columns(lang),
            "items_count": views.showing(items, lang),
            "allocations": views.allocation_rows(allocations, lang),
            "allocation_columns": views.allocation_columns(lang),
            "allocations_count": views.showing(allocations, lang),
        }

    return ctx.render(
        search,
        ITEMS_OUT,
        build,
        page=NAME,
        empty=lambda lang: {
            "items": [],
            "item_columns": item_columns(lang),
            "items_count": "",
            "allocations": [],
            "allocation_columns": views.allocation_columns(lang),
            "allocations_count": "",
        },
    )


# --------------------------------------------------------------------------- wiring


def register(app: dash.Dash, ctx: Context) -> None:
    page = {"search": Input(ids.URL, "search"), "db": Input(ids.DB_OK, "data")}

    @app.callback(output=MAP_OUT, inputs=page)
    def _map(search, db):
        return render_map(ctx, search, db)

    @app.callback(output=SUMMARY_OUT, inputs=page)
    def _summary(search, db):
        return render_summary(ctx, search, db)

    @app.callback(output=ITEMS_OUT, inputs={**page, "text": Input(ids.SEARCH, "value")})
    def _items(search, db, text):
        return render_items(ctx, search, db, text)
