"""Need against funding (``view=need``): where people's need (TPMAP) stands against the money
allocated per inhabitant, for the children of the selected area, and where need or the selected
rate clusters in space.

- The bivariate map crosses thirds of target poor per 1,000 surveyed with thirds of the budget
  allocated per inhabitant (``dashboard.need_figures``), with the list of areas of high need and
  low funding.
- The hotspot map runs Getis-Ord Gi* and local Moran's I (``geodata.hotspots``) on the map's
  metric when it is a rate (need or per capita), else on target poor per 1,000, over the Queen
  contiguity of the areas' web outlines, and says the method and the significance level.

Every figure says the survey and the population year it rests on; an area without a figure is
"no data", never zero or a class.
"""

from __future__ import annotations

from typing import Any

import dash
import psycopg
import shapely
from dash import Input, Output, dcc, html
from dash_ag_grid import AgGrid

from dashboard import figures, i18n, ids, need_figures, views
from dashboard.context import Context, version_of
from dashboard.figures import source_note
from dashboard.i18n import t
from dashboard.metrics import NEED_METRICS, PER_CAPITA_METRICS, metric_value
from dashboard.pages.common import AUTO_HEIGHT, area_name, head
from dashboard.request import View
from geodata import queries
from geodata.hotspots import HotspotResult, local_hotspots

NAME = "need"
OUT = {
    "head": Output(ids.NEED_HEAD, "children"),
    "bivariate": Output(ids.NEED_MAP, "figure"),
    "legend": Output(ids.NEED_LEGEND, "children"),
    "list": Output(ids.NEED_LIST, "rowData"),
    "list_columns": Output(ids.NEED_LIST, "columnDefs"),
    "list_title": Output(ids.NEED_LIST_TITLE, "children"),
    "hotspots": Output(ids.HOTSPOT_MAP, "figure"),
    "hotspot_note": Output(ids.HOTSPOT_NOTE, "children"),
}
HOTSPOT_METRICS = frozenset(NEED_METRICS) | PER_CAPITA_METRICS


def layout() -> html.Div:
    return html.Div(
        className="chain-page need-page",
        children=[
            html.Div(id=ids.NEED_HEAD, className="chain-head"),
            html.Div(
                className="need-row",
                children=[
                    html.Div(
                        className="panel need-map",
                        children=[
                            dcc.Graph(
                                id=ids.NEED_MAP,
                                figure=figures.empty_map(),
                                config=figures.MAP_GRAPH_CONFIG,
                                style={"height": "520px"},
                            ),
                        ],
                    ),
                    html.Div(id=ids.NEED_LEGEND, className="panel need-legend"),
                ],
            ),
            html.Div(
                className="panel",
                children=[
                    html.H3(id=ids.NEED_LIST_TITLE),
                    AgGrid(id=ids.NEED_LIST, rowData=[], columnDefs=[], **AUTO_HEIGHT),
                ],
            ),
            html.Div(
                className="panel need-map",
                children=[
                    html.Div(id=ids.HOTSPOT_NOTE),
                    dcc.Graph(
                        id=ids.HOTSPOT_MAP,
                        figure=figures.empty_map(),
                        config=figures.MAP_GRAPH_CONFIG,
                        style={"height": "520px"},
                    ),
                ],
            ),
        ],
    )


def list_columns(lang: str = "th") -> list[dict]:
    number = {"type": "rightAligned", "filter": "agNumberColumnFilter"}
    return [
        {"field": "rank", "headerName": t("col_rank", lang), "width": 80, "filter": False},
        {"field": "name", "headerName": t("col_area", lang), "flex": 2, "minWidth": 150},
        {"field": "need_poor", "headerName": t("m_need_poor", lang), "flex": 2, **number},
        {
            "field": "target_poor",
            "headerName": t("col_target_poor", lang),
            "flex": 1,
            "valueFormatter": {"function": "params.value == null ? '' : d3.format(',')(params.value)"},
            **number,
        },
        {
            "field": "allocated_pc",
            "headerName": f"{t('m_allocated_pc', lang)} ({t('baht_unit', lang)})",
            "flex": 2,
            "valueFormatter": {"function": "params.value == null ? '' : d3.format(',.2f')(params.value)"},
            **number,
        },
        {
            "field": "population",
            "headerName": t("col_population", lang),
            "flex": 1,
            "valueFormatter": {"function": "params.value == null ? '' : d3.format(',')(params.value)"},
            **number,
        },
        {"field": "code", "headerName": t("col_code", lang), "width": 100},
    ]


def hotspot_metric(metric: str | None) -> str:
    """The rate the hotspot map analyses: the map's metric when it is a rate, else need."""
    return metric if metric in HOTSPOT_METRICS else "need_poor"


def hotspots(rows: list, shapes: dict[str, str], metric: str) -> HotspotResult:
    """Gi* and local Moran of ``metric`` over the areas that have an outline."""
    drawn = [r for r in rows if r.code in shapes]
    return local_hotspots(
        [r.code for r in drawn],
        [shapely.from_geojson(shapes[r.code]) for r in drawn],
        [metric_value(r.current, metric, r.population, need=r.need) for r in drawn],
    )


def funding_coverage(rows: list, summary: queries.Summary | None, level: str, lang: str) -> str:
    """How much of the area's allocated money is tagged to areas of the drawn level: the rest
    (province- or district-wide lines) cannot be counted per head there, and the page says so."""
    if summary is None or not summary.total.allocated:
        return ""
    drawn = sum(r.current.allocated for r in rows)
    share = float(drawn / summary.total.allocated)
    return t(
        "bv_coverage",
        lang,
        total=i18n.million(summary.total.allocated, lang),
        share=i18n.percent(share, lang),
        level=i18n.area_level(level, lang),
    )


def hotspot_notes(hot: HotspotResult, lang: str) -> list[str]:
    """The caveats of a hotspot map in the page's language: what was left out, and that each area
    is tested on its own (about one in twenty can look significant by chance)."""
    classes = [a.gi_class for a in hot.areas]
    notes = []
    if hot.n == 0:
        notes.append(t("hs_too_few", lang))
    else:
        notes.append(t("hs_multiple", lang, n=hot.n))
    if classes.count("nodata") or classes.count("island"):
        notes.append(t("hs_left_out", lang, nodata=classes.count("nodata"), islands=classes.count("island")))
    return notes


def render(ctx: Context, search: str | None, db: dict | None) -> dict[str, Any]:
    """Both maps, the legend, the list and the notes for the selected area's children."""
    version = version_of(db)

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        state, lang = view.state, view.state.lang
        parent = views.map_parent(state)
        level = "tambon" if state.level == "village" else state.level
        if state.level == "village":
            parent = parent[:4]  # villages are points: the tambons of their district instead
        every = queries.children(conn, parent, level, view.filters, previous=False, supply=True)
        rows = [r for r in every if r.drawable]  # abolished codes and areas without outline are not counted
        bounds = queries.area_bounds(conn, parent) if parent != "TH" else None
        geo = views.geometry_path(level, state)
        url = ctx.geojson_url(*geo, version)
        result = need_figures.bivariate(rows)
        metric = hotspot_metric(state.metric)
        shapes = dict(queries.geometry_features(conn, *geo)) if geo else {}
        codes = {r.code for r in rows}
        hot = hotspots(rows, {c: g for c, g in shapes.items() if c in codes}, metric)
        name = area_name(conn, parent, lang)
        summary = queries.summary(conn, parent, view.filters)
        notes = [
            t(
                "need_note",
                lang,
                level=i18n.area_level(level, lang),
                fy=i18n.fiscal_year(view.filters.fiscal_year, lang),
            ),
            source_note(rows, "need_poor", lang) + " · " + source_note(rows, "allocated_pc", lang),
            funding_coverage(every, summary, level, lang),
        ]
        hot_note = [
            html.H3(t("hotspots_title", lang, metric=t(f"m_{metric}", lang))),
            html.P(t("hotspots_method", lang, alpha=f"{hot.alpha:.2f}", n=hot.n), className="muted note"),
            *[html.P(n, className="muted note") for n in hotspot_notes(hot, lang)],
            html.P(source_note(rows, metric, lang), className="muted note"),
        ]
        return {
            "head": head(t("need_title", lang, area=name), *notes),
            "bivariate": need_figures.bivariate_map(
                rows, result, lang=lang, geojson_url=url, bounds=bounds, revision=f"need:{parent}:{level}"
            ),
            "legend": need_figures.bivariate_legend(result, lang),
            "list": need_figures.neglected(rows, result, lang),
            "list_columns": list_columns(lang),
            "list_title": t("need_list_title", lang),
            "hotspots": need_figures.hotspot_map(
                rows, hot, metric=metric, lang=lang, geojson_url=url, bounds=bounds, revision=f"hot:{parent}:{level}"
            ),
            "hotspot_note": [n for n in hot_note if n is not None],
        }

    return ctx.render(
        search,
        OUT,
        build,
        page=NAME,
        empty=lambda lang: {"head": head(t("no_data", lang))},
        down=lambda lang: {"head": head(t("db_down", lang))},
    )


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(output=OUT, inputs={"search": Input(ids.URL, "search"), "db": Input(ids.DB_OK, "data")})
    def _render(search, db):
        return render(ctx, search, db)
