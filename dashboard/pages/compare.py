"""Two areas side by side (``view=compare``): the selected area and the one in the URL's ``vs``
(two provinces of a cluster, two districts…), each with its KPI cards, the manual's indicators
and a small map of its children.

The second area is checked like the first (``Resolver.resolve``): one that does not exist or is
outside the reader's areas is dropped from the link, and the page's notice says so. Both sides
use the view's filters and fiscal year, so each side's cards are the cards the map page shows
for that area.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import dash
import psycopg
from dash import Input, Output, dcc, html

from dashboard import figures, i18n, ids, posted, views
from dashboard import search as place_search
from dashboard.context import Context, unchanged, version_of
from dashboard.figures import Legend
from dashboard.i18n import t
from dashboard.metrics import LINKED_METRICS, class_index
from dashboard.pages.common import area_name, head
from dashboard.request import View
from dashboard.state import ViewState, to_search
from geodata import queries
from geodata.areas import COUNTRY
from geodata.queries import AreaRow, Summary

NAME = "compare"
SIDES = ("a", "b")
OUT = {
    "head": Output(ids.COMPARE_HEAD, "children"),
    **{f"map_{s}": Output(f"{ids.COMPARE_MAP}-{s}", "figure") for s in SIDES},
    **{f"side_{s}": Output(f"{ids.COMPARE_SIDE}-{s}", "children") for s in SIDES},
}
PICK_OUT = {
    "options": Output(ids.COMPARE_PICK, "options"),
    "placeholder": Output(ids.COMPARE_PICK, "placeholder"),
    "labels": Output(ids.COMPARE_PICK, "labels"),
}
# the second line of the shared legend's title (both maps are coloured in one classification)
ONE_LEGEND = {"th": "สีเดียวกัน = ค่าเดียวกัน<br>ทั้งสองแผนที่", "en": "Same colour = same values<br>on both maps"}
SUGGESTIONS = 8  # links to areas beside the selected one
MAP_SIZE = (560, 320)  # the small maps' width and height (px), for the zoom that fits the area


def layout() -> html.Div:
    def column(side: str) -> html.Div:
        return html.Div(
            className=f"panel compare-col compare-{side}",
            children=[
                dcc.Graph(
                    id=f"{ids.COMPARE_MAP}-{side}",
                    figure=figures.empty_map(),
                    config=figures.GRAPH_CONFIG_NO_TOOLS,
                    style={"height": f"{MAP_SIZE[1]}px"},
                ),
                html.Div(id=f"{ids.COMPARE_SIDE}-{side}"),
            ],
        )

    return html.Div(
        className="chain-page compare-page",
        children=[
            html.Div(id=ids.COMPARE_HEAD, className="chain-head"),
            dcc.Dropdown(
                id=ids.COMPARE_PICK,
                options=[],
                placeholder=t("compare_pick"),
                clearable=False,
                search_order="original",
                maxHeight=360,
                className="compare-pick",
            ),
            html.Div(className="compare-grid", children=[column(s) for s in SIDES]),
        ],
    )


# --------------------------------------------------------------------------- pieces


def reid(components: list, prefix: str) -> html.Div:
    """``components`` in one block with every id prefixed, so that two areas' cards (``card-gap``,
    ``indicator-ind_funded`` …) can stand on one page without sharing an id."""
    block = html.Div(components, className="compare-block")
    for component in block._traverse():
        if isinstance(getattr(component, "id", None), str):
            component.id = f"{prefix}-{component.id}"
    return block


@dataclass(frozen=True)
class SideMap:
    """What one side's small map draws: the children of ``parent`` at ``state.level``."""

    state: ViewState  # the view moved to this side's area
    parent: str
    rows: list[AreaRow]
    bounds: tuple[float, float, float, float] | None
    linked: bool

    @property
    def drawn(self) -> list[AreaRow]:
        """The rows the map draws (villages: those with a point), as figures.area_map/village_map do."""
        points = self.state.level == "village"
        return [r for r in self.rows if r.drawable and (not points or (r.lon is not None and r.lat is not None))]


def side_map(conn: psycopg.Connection, view: View, summary: Summary) -> SideMap:
    at = view.state.with_area(summary.area.code)
    parent = views.map_parent(at)
    rows = queries.children(conn, parent, at.level, view.filters, previous=False, supply=True)
    bounds = queries.area_bounds(conn, parent) if parent != COUNTRY else None
    return SideMap(at, parent, list(rows), bounds, summary.coverage.linked)


def one_legend(sides: list[SideMap], state: ViewState) -> Legend | None:
    """One classification over both sides' values, so a colour means the same on both maps (the
    legend says so). None when a side cannot be coloured by the metric (funding not linked to
    plan items: each side then shows the one "not linked" class)."""
    metric, lang = state.metric, state.lang
    if any(not s.linked and metric in LINKED_METRICS for s in sides):
        return None
    drawn = [r for s in sides for r in s.drawn]
    values = figures.area_values(drawn, metric)
    legend = figures.build_legend(values, metric, lang, state.classes, False, figures.source_note(drawn, metric, lang))
    return replace(legend, title=f"{legend.title}<br>{ONE_LEGEND['en' if lang == 'en' else 'th']}")


def with_legend(fig: dict, legend: Legend, side: SideMap, metric: str) -> dict:
    """``fig`` (figures.area_map or village_map of ``side``) recoloured in ``legend``'s classes:
    the same breaks, colours and legend on both sides of the comparison."""
    values = dict(zip((r.code for r in side.drawn), figures.area_values(side.drawn, metric)))
    top = len(legend.labels) - 0.5
    for trace in fig["data"]:
        if trace.get("name") == "outline":  # a village map's tambon outline
            continue
        if trace["type"] == "choroplethmap":
            trace.update({"zmax": top, "colorscale": legend.colorscale})
            if trace.get("showscale"):
                trace["z"] = [class_index(values.get(c), legend.breaks) for c in trace["locations"]]
                trace["colorbar"] = legend.colorbar()
        elif trace["type"] == "scattermap":
            marker = trace["marker"]
            marker.update({"cmax": top, "colorscale": legend.colorscale})
            if marker.get("showscale"):
                marker["color"] = [class_index(values.get(c), legend.breaks) for c in trace["ids"]]
                marker["colorbar"] = legend.colorbar()
    return fig


def small_map(ctx: Context, view: View, data: SideMap, side: str, version: int, legend: Legend | None = None) -> dict:
    """The map of an area's children (a village: its tambon's villages), small, in ``legend``'s
    classes when it is given (the classes of both sides)."""
    state = view.state
    at, parent, rows, bounds, linked = data.state, data.parent, data.rows, data.bounds, data.linked
    geo = views.geometry_path(at.level, at)
    common = {
        "metric": state.metric,
        "lang": state.lang,
        "method": state.classes,
        "bounds": bounds,
        "tiles": state.tiles,
        "revision": f"compare-{side}:{parent}:{at.level}",
        "linked": linked,
    }
    if at.level == "village":
        fig = figures.village_map(
            rows, outline_url=ctx.geojson_url(*geo, version), outline_code=parent, selected=at.area, **common
        )
    else:
        fig = figures.area_map(rows, geojson_url=ctx.geojson_url(*geo, version), **common)
    if legend is not None:
        fig = with_legend(fig, legend, data, state.metric)
    for trace in fig["data"]:  # the legend beside the small map (plotly widens the margin), not over it
        bar = trace.get("colorbar") or trace.get("marker", {}).get("colorbar")
        if bar:
            bar.update({"x": 1.0, "xanchor": "left", "xpad": 8, "bgcolor": "rgba(0,0,0,0)"})
    center, zoom = figures.fit_view(bounds, *MAP_SIZE)  # the first guess; the browser fits the bounds
    fig["layout"]["map"] = {**fig["layout"].get("map", {}), "center": center, "zoom": zoom}
    return fig


def side(summary: Summary, state: ViewState, which: str) -> html.Div:
    """One area's heading (with a link that opens it on the map), cards and indicators."""
    lang = state.lang
    code = summary.area.code
    name = t("thailand", lang) if code == COUNTRY else i18n.name(summary.area, lang)
    opened = to_search(replace(state.with_area(code), view="map", other=None))
    return html.Div(
        [
            html.H3(
                [
                    html.Span(name, className="compare-name"),
                    html.Span(f" ({i18n.area_level(summary.area.level, lang)})", className="muted"),
                    " ",
                    dcc.Link(t("compare_open", lang), href=opened or "?", className="compare-open"),
                ]
            ),
            reid(views.cards(summary, state), f"compare-{which}"),
            reid([views.indicators(summary.indicators, summary.previous_indicators, state)], f"compare-{which}"),
        ]
    )


def suggestions(
    conn: psycopg.Connection, view: View, index: place_search.PlaceIndex, limit: int = SUGGESTIONS
) -> list[str]:
    """Areas to set beside the selected one: the other provinces of its cluster, the other
    districts (tambons, villages) of its province (district, tambon); the reader's only."""
    state = view.state
    code, level = state.area, state.area_level
    if level == "province" and state.fy is not None:
        cluster = queries.cluster_of(conn, code, state.fy)
        near = queries.cluster_members(conn, cluster, state.fy) if cluster else []
    elif level == "country":
        near = []
    else:
        near = index.siblings(code)
    return [c for c in near if c != code and view.scope.covers(c)][:limit]


# --------------------------------------------------------------------------- renders


def render(ctx: Context, search: str | None, db: dict | None) -> dict[str, Any]:
    """Both areas' cards, indicators and small maps, with links to swap them or stop comparing."""
    version = version_of(db)

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        state, lang = view.state, view.state.lang
        filters = view.filters
        first = queries.summary(conn, state.area, filters)
        second = queries.summary(conn, state.other, filters) if state.other else None
        out: dict[str, Any] = {}
        maps = {w: side_map(conn, view, s) for w, s in zip(SIDES, (first, second), strict=True) if s is not None}
        legend = one_legend(list(maps.values()), state) if len(maps) == 2 else None
        for which, summary in zip(SIDES, (first, second), strict=True):
            if summary is None:
                out[f"map_{which}"] = figures.empty_map()
                out[f"side_{which}"] = html.Div()
                continue
            out[f"map_{which}"] = small_map(ctx, view, maps[which], which, version, legend)
            out[f"side_{which}"] = side(summary, state, which)
        name_a = area_name(conn, state.area, lang)
        year = i18n.fiscal_year(state.fy, lang) if state.fy else ""
        if second is None:
            near = suggestions(conn, view, place_search.loaded(ctx.pool, conn))
            names = queries.areas(conn, near)
            links = [
                dcc.Link(i18n.name(names[c], lang), href=to_search(replace(state, other=c)), className="suggestion")
                for c in near
                if c in names
            ]
            out["head"] = [
                *head(t("view_compare", lang) + (f" · {year}" if year else ""), t("compare_none", lang, area=name_a)),
                html.Div([t("compare_suggest", lang), *links], className="suggestions") if links else None,
            ]
            out["side_b"] = html.P(t("compare_none", lang, area=name_a), className="muted compare-empty")
            return out
        name_b = area_name(conn, state.other, lang)
        swapped = replace(state.with_area(state.other), other=state.area)
        out["head"] = [
            *head(t("compare_title", lang, a=name_a, b=name_b) + (f" · {year}" if year else "")),
            html.Div(
                className="compare-actions",
                children=[
                    dcc.Link(t("compare_swap", lang), href=to_search(swapped), className="compare-swap"),
                    " · ",
                    dcc.Link(t("compare_clear", lang), href=to_search(replace(state, other=None)) or "?"),
                ],
            ),
        ]
        return out

    return ctx.render(
        search,
        OUT,
        build,
        page=NAME,
        empty=lambda lang: {"head": head(t("no_data", lang))},
        down=lambda lang: {"head": head(t("db_down", lang))},
    )


def pick_options(ctx: Context, search: object, typed: object, trigger: object = None) -> dict[str, Any]:
    """The compare picker's options: what matches the typed text among the reader's areas, or
    (nothing typed) the areas beside the selected one. Its text cleared as it closes (an area
    picked), the options stay: the picker would drop a picked value missing from them."""
    if typed is None and trigger == ids.COMPARE_PICK:
        return unchanged(PICK_OUT)
    text = posted.text(typed, 60)

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        lang = view.state.lang
        index = place_search.loaded(ctx.pool, conn)
        labels = {"search": t("place_type", lang), "no_options_found": t("place_none", lang)}
        common = {"placeholder": t("compare_pick", lang), "labels": labels}
        if text is not None and len(place_search.fold(text)) >= place_search.MIN_LENGTH:
            hits = [h for h in index.search(text, view.scope.covers) if h.place.code != view.state.area]
            return {"options": place_search.options(hits, typed if isinstance(typed, str) else text, lang), **common}
        near = set(suggestions(conn, view, index, limit=40))
        found = [p for p in index.places() if p.code in near]
        return {"options": [{"label": place_search.label(p, lang), "value": p.code} for p in found], **common}

    return ctx.render(search, PICK_OUT, build, page=NAME)


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(output=OUT, inputs={"search": Input(ids.URL, "search"), "db": Input(ids.DB_OK, "data")})
    def _render(search, db):
        return render(ctx, search, db)

    @app.callback(
        output=PICK_OUT,
        inputs={"search": Input(ids.URL, "search"), "typed": Input(ids.COMPARE_PICK, "search_value")},
    )
    def _pick(search, typed):
        return pick_options(ctx, search, typed, posted.trigger().id)
