"""Pure figure builders: data in, plotly figure out (no database, no Dash).

The choropleth takes its geometry from a URL (``geojson_url``) that the app serves once per data
version, so a callback sends only codes, class numbers and hover texts; plotly.js fetches and
caches the geometry itself. Names from data are HTML-escaped before they reach a hover label.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard import i18n
from dashboard.i18n import t
from dashboard.metrics import (
    AMOUNT_METRICS,
    LINKED_METRICS,
    NEED_METRICS,
    NEED_SHARE_METRICS,
    PER_CAPITA_METRICS,
    SHARE_METRICS,
    class_breaks,
    class_index,
    metric_change,
    metric_value,
)
from geodata.queries import AreaRow

THAILAND_BOUNDS = (97.3, 5.6, 105.7, 20.5)  # (west, south, east, north) of the country's map
THAILAND_CENTER = {"lat": 13.0, "lon": 101.0}
THAILAND_ZOOM = 4.4
FIT_PADDING = 12  # px between the selected area's bounds and the edge of the map panel
LABEL_LIMIT = 400  # name the areas of a view of at most this many (the browser drops what does not fit)
NO_DATA_COLOUR = "#d9d9d9"
NOT_LINKED_COLOUR = "#9fb3c8"  # areas with requests whose funding is not linked: not "no data", not 0 %
LINE_COLOUR = "#ffffff"
OUTLINE_FILL = "#f3f3f3"  # areas drawn only as context (outside the reader's scope)
PALETTES = {  # ColorBrewer, five classes
    "need": ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),  # more = more unmet need
    "supply": ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),  # more = more funded
}
# Change from the year before, coloured by what it means, from the largest fall to the largest
# rise with "no change" in the middle: red is worse, green is better (ColorBrewer RdYlGn); a
# change that is neither (more requests, more items) goes from purple to orange (PuOr).
CHANGE_GOOD_UP = (
    "#a50026", "#d73027", "#f46d43", "#fdae61", "#fee08b", "#ffffbf",
    "#d9ef8b", "#a6d96a", "#66bd63", "#1a9850", "#006837",
)  # fmt: skip
CHANGE_GOOD_DOWN = tuple(reversed(CHANGE_GOOD_UP))
CHANGE_NEUTRAL = (
    "#2d004b", "#542788", "#8073ac", "#b2abd2", "#d8daeb", "#f7f7f7",
    "#fee0b6", "#fdb863", "#e08214", "#b35806", "#7f3b08",
)  # fmt: skip
SUPPLY_METRICS = frozenset({"funded", "share_amount", "share_count", "allocated", "allocated_pc"})
BETTER_WHEN_UP = SUPPLY_METRICS  # more funding, a larger funded share
BETTER_WHEN_DOWN = frozenset({"gap", "gap_pc"})  # a smaller unfunded gap
FONT = "Noto Sans Thai, Sarabun, Tahoma, sans-serif"
# plotly.js's "open-street-map" style (the street tiles of tiles=1) fetches its tiles from here;
# the Content-Security-Policy (dashboard.security) allows these origins and no other.
STREET_STYLE = "open-street-map"
TILE_ORIGINS = ("https://tile.openstreetmap.org",)
# dcc.Graph configs: no plotly logo and no links to Plotly's cloud or Chart Studio in the modebar
# (maps zoom with the wheel); charts without tools have no modebar and leave the wheel to the page.
_NO_CLOUD = {"displaylogo": False, "showLink": False, "showEditInChartStudio": False, "showSendToCloud": False}
GRAPH_CONFIG = {**_NO_CLOUD, "scrollZoom": True}
GRAPH_CONFIG_NO_TOOLS = {**_NO_CLOUD, "displayModeBar": False}
# The main map: zoom in, zoom out and reset only (plotly's own PNG is not offered); the browser
# script (assets/map_fit.js) adds a download button that is planmap's own map export.
MAP_TOOLS = ["zoomInMap", "zoomOutMap", "resetViewMap"]
MAP_GRAPH_CONFIG = {**_NO_CLOUD, "scrollZoom": True, "modeBarButtons": [MAP_TOOLS], "displayModeBar": True}


# --------------------------------------------------------------------------- formatting


def format_value(value: float | None, metric: str, lang: str = "th", *, change: bool = False) -> str:
    """A metric value as people read it: ล้านบาท for amounts, % for shares, counts, baht per head."""
    if value is None:
        return t("no_value", lang)
    sign = "+" if change and value > 0 else ""
    if metric in AMOUNT_METRICS:
        return sign + i18n.million(value, lang)
    if metric in SHARE_METRICS:
        return f"{value * 100:+,.1f} pp" if change else i18n.percent(value, lang)
    if metric in PER_CAPITA_METRICS:
        return f"{sign}{value:,.2f} {t('baht_unit', lang)}"
    if metric == "need_poor":
        return f"{value:,.1f} {t('per_1000_surveyed', lang)}"
    if metric in NEED_SHARE_METRICS:
        return i18n.percent(value, lang)
    return f"{sign}{value:,.0f}"


def _tick(value: float, metric: str, change: bool = False) -> str:
    if metric in AMOUNT_METRICS:
        return i18n.millions_number(value)
    if metric in SHARE_METRICS:
        return f"{value * 100:+,.1f} pp" if change else f"{value * 100:,.1f}%"
    if metric in PER_CAPITA_METRICS:
        return f"{value:,.2f}"
    if metric == "need_poor":
        return f"{value:,.1f}"
    if metric in NEED_SHARE_METRICS:
        return f"{value * 100:,.1f}%"
    return f"{value:,.0f}"


def legend_unit(metric: str, lang: str = "th", change: bool = False) -> str:
    if metric in AMOUNT_METRICS:
        return t("million", lang)
    if metric in PER_CAPITA_METRICS:
        return f"{t('baht_unit', lang)}/{'คน' if lang == 'th' else 'person'}"
    if metric in SHARE_METRICS:
        return "pp" if change else "%"
    if metric == "need_poor":
        return t("per_1000_surveyed", lang)
    if metric in NEED_SHARE_METRICS:
        return t("pct_surveyed", lang)
    return t("ind_projects", lang)


def class_labels(breaks: Sequence[float], metric: str, lower: float | None = None, change: bool = False) -> list[str]:
    """Legend texts of the classes: '≤ 1.20', '1.20 – 3.40', … (amounts in ล้านบาท; a change of
    a share in percentage points)."""
    labels = []
    previous = lower
    for n, upper in enumerate(breaks):
        if n == 0 and (previous is None or math.isclose(previous, upper)):
            labels.append(f"≤ {_tick(upper, metric, change)}")
        else:
            start = previous if previous is not None else upper
            labels.append(f"{_tick(start, metric, change)} – {_tick(upper, metric, change)}")
        previous = upper
    return labels


# --------------------------------------------------------------------------- map view


def stepped_colorscale(steps: Sequence[str]) -> list[list]:
    """A plotly colour scale with one flat step per class number 0 … len(steps) - 1 (used with
    ``zmin=-0.5, zmax=len(steps) - 0.5``): classes, never a gradient."""
    n = len(steps)
    scale: list[list] = []
    for k, colour in enumerate(steps):
        scale.append([k / n, colour])
        scale.append([(k + 1) / n, colour])
    return scale


@dataclass(frozen=True)
class Legend:
    breaks: tuple[float, ...]
    colours: tuple[str, ...]  # one per data class
    labels: tuple[str, ...]  # "no data" first, then one per data class
    title: str

    @property
    def colorscale(self) -> list[list]:
        """Stepped scale over class numbers 0 (no data) … n."""
        return stepped_colorscale((NO_DATA_COLOUR, *self.colours))

    def colorbar(self) -> dict:
        """A stepped colour bar whose boxes keep their height however few classes there are:
        its length is the classes plus the title's lines (the title sits inside that length)."""
        n = len(self.labels)
        title_lines = self.title.count("<br>") + 1
        return {
            "title": {"text": self.title, "side": "top", "font": {"size": 14}},
            "tickmode": "array",
            "tickvals": list(range(n)),
            "ticktext": list(self.labels),
            "ticks": "",
            "thickness": 18,
            "lenmode": "pixels",
            "len": 30 * n + 20 * title_lines + 12,
            "x": 0.005,
            "xanchor": "left",
            "y": 0.02,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.85)",
            "tickfont": {"size": 13},
        }


def build_legend(
    values: Sequence[float | None],
    metric: str,
    lang: str = "th",
    method: str = "quantile",
    change: bool = False,
    note: str = "",
) -> Legend:
    """Classes of the values (quantiles or natural breaks) with colours and texts; ``note`` (the
    survey or population year the figures rest on) is the title's last line."""
    breaks = class_breaks(values, method)
    present = [v for v in values if v is not None]
    lower = min(present) if present else None
    if change and breaks:
        colours = change_colours(lower if lower is not None else breaks[0], breaks, change_palette(metric))
    else:
        palette = PALETTES["supply" if metric in SUPPLY_METRICS else "need"]
        colours = list(palette[len(palette) - len(breaks) :]) if breaks else []
    unit = f"({legend_unit(metric, lang, change)})"
    if change:  # three short lines, so the legend stays narrow: what, the change in what unit, colours
        title = f"{t(f'm_{metric}', lang)}<br>{t('change_of', lang)} {unit}<br>{change_meaning(metric, lang)}"
    else:
        title = f"{t(f'm_{metric}', lang)}<br>{unit}"
    if note:
        title += f"<br>{note}"
    labels = (t("no_value", lang), *class_labels(breaks, metric, lower, change))
    return Legend(tuple(breaks), tuple(colours), labels, title)


def source_note(rows: Sequence[AreaRow], metric: str, lang: str = "th") -> str:
    """Which survey or population count a need or per-capita figure rests on ("" for the others):
    a need figure is of one survey year, never of the fiscal year shown."""
    if metric in NEED_METRICS:
        years = sorted({r.need.survey_year_be for r in rows if r.need is not None})
        return t("need_source", lang).format(years=", ".join(map(str, years))) if years else t("need_none", lang)
    if metric in PER_CAPITA_METRICS:
        years = sorted({r.population_year for r in rows if r.population_year is not None})
        if not years:
            return t("population_none", lang)
        return t("population_source", lang).format(years=", ".join(map(str, years)))
    return ""


def change_palette(metric: str) -> tuple[str, ...]:
    """The colours of a change of ``metric``, from the largest fall to the largest rise."""
    if metric in BETTER_WHEN_UP:
        return CHANGE_GOOD_UP
    if metric in BETTER_WHEN_DOWN:
        return CHANGE_GOOD_DOWN
    return CHANGE_NEUTRAL


def change_colours(lower: float, breaks: Sequence[float], palette: Sequence[str]) -> list[str]:
    """One colour per class of a change: the classes of falls take shades of one side (the
    largest fall the darkest), the classes of rises the other's, a class across zero the middle."""
    middle = len(palette) // 2
    edges = [lower, *breaks]
    signs = [
        -1 if hi < 0 else 1 if lo > 0 or (n == 0 and lo == hi and hi > 0) else 0
        for n, (lo, hi) in enumerate(zip(edges[:-1], edges[1:]))
    ]

    def steps(k: int) -> list[int]:
        """How far from the middle the k shades of one side are (spread out, never pale)."""
        if k >= middle:
            return list(range(1, middle + 1))[-k:]
        if k == 1:
            return [round((middle + 2) / 2)]
        return [round(2 + (middle - 2) * i / (k - 1)) for i in range(k)]

    falls = iter(reversed(steps(signs.count(-1))))
    rises = iter(steps(signs.count(1)))
    return [
        palette[middle - next(falls)] if sign < 0 else palette[middle + next(rises)] if sign > 0 else palette[middle]
        for sign in signs
    ]


def change_meaning(metric: str, lang: str = "th") -> str:
    """What the colours of a change say: better/worse, or only more/less."""
    if metric in BETTER_WHEN_UP:
        return t("change_good_up", lang)
    if metric in BETTER_WHEN_DOWN:
        return t("change_good_down", lang)
    return t("change_neutral", lang)


def area_values(rows: Sequence[AreaRow], metric: str, change: bool = False) -> list[float | None]:
    if change:
        return [metric_change(r.current, r.previous, metric, r.population) for r in rows]
    return [metric_value(r.current, metric, r.population, need=r.need) for r in rows]


def not_linked_legend(metric: str, lang: str = "th") -> Legend:
    """One class for every area with requests: the metric counts linked funding, and the money
    is not linked to plan items (DESIGN §3.7), so no area can be coloured by it."""
    title = f"{t(f'm_{metric}', lang)}<br>({t('not_linked', lang)})"
    return Legend((1.0,), (NOT_LINKED_COLOUR,), (t("no_value", lang), t("not_linked", lang)), title)


def _not_linked_classes(rows: Sequence[AreaRow]) -> list[float | None]:
    """Class 1 (not linked) for the areas with requests, no data for the others."""
    return [1.0 if r.current.items else None for r in rows]


def _legend_and_values(
    rows: Sequence[AreaRow], metric: str, lang: str, method: str, change: bool, linked: bool
) -> tuple[Legend, list[float | None]]:
    if not linked and metric in LINKED_METRICS:
        return not_linked_legend(metric, lang), _not_linked_classes(rows)
    values = area_values(rows, metric, change)
    return build_legend(values, metric, lang, method, change, source_note(rows, metric, lang)), values


def _display(value: float, metric: str) -> float:
    """The number the hover label formats: millions for amounts, percent (points) for shares."""
    if metric in AMOUNT_METRICS:
        return round(value / 1_000_000, 4)
    if metric in SHARE_METRICS or metric in NEED_SHARE_METRICS:
        return round(value * 100, 2)
    return round(value, 2)


def _value_format(metric: str, lang: str, change: bool) -> str:
    sign = "+" if change else ""
    if metric in AMOUNT_METRICS:
        return f"%{{customdata[2]:{sign},.2f}} {t('million', lang)}"
    if metric in SHARE_METRICS:
        return f"%{{customdata[2]:{sign}.1f}}" + (" pp" if change else "%")
    if metric in PER_CAPITA_METRICS:
        return f"%{{customdata[2]:{sign},.2f}} {t('baht_unit', lang)}"
    if metric == "need_poor":
        return f"%{{customdata[2]:,.1f}} {t('per_1000_surveyed', lang)}"
    if metric in NEED_SHARE_METRICS:
        return "%{customdata[2]:.1f}%"
    return f"%{{customdata[2]:{sign},.0f}}"


def _hover(
    rows: Sequence[AreaRow], values: Sequence[float | None], metric: str, lang: str, change: bool, linked: bool = True
) -> tuple[list[list], str]:
    """Hover data of the areas with a value, as numbers (formatted by plotly.js with d3-format,
    so a national map sends numbers, not thousands of formatted strings); names escaped. Without
    links the funded lines give way to the money allocated in the area and "not linked"."""
    customdata = []
    for r, v in zip(rows, values):
        c = r.current
        customdata.append(
            [
                html.escape(i18n.name(r, lang)),
                r.code,
                _display(v, metric) if v is not None else 0,
                round(float(c.requested) / 1_000_000, 4),
                round(float(c.funded) / 1_000_000, 4),
                round(float(c.gap) / 1_000_000, 4),
                round((c.share_amount or 0.0) * 100, 2),
                c.items,
                round(float(c.allocated) / 1_000_000, 4),
            ]
        )
    unit = t("million", lang)
    head = "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
    if not linked:
        metric_line = (
            ""
            if metric in LINKED_METRICS
            else f"{t(f'm_{metric}', lang)}: <b>{_value_format(metric, lang, change)}</b><br>"
        )
        template = (
            head + metric_line + f"{t('m_requested', lang)}: %{{customdata[3]:,.2f}} {unit}<br>"
            f"{t('m_allocated', lang)}: %{{customdata[8]:,.2f}} {unit}<br>"
            f"{t('m_funded', lang)}: {t('not_linked', lang)}<br>"
            f"{t('m_items', lang)}: %{{customdata[7]:,}}<extra></extra>"
        )
        return customdata, template
    metric_label = t(f"m_{metric}", lang) + (f" ({t('change_of', lang)})" if change else "")
    template = (
        head + f"{metric_label}: <b>{_value_format(metric, lang, change)}</b><br>"
        f"{t('m_requested', lang)}: %{{customdata[3]:,.2f}} {unit}<br>"
        f"{t('m_funded', lang)}: %{{customdata[4]:,.2f}} {unit}<br>"
        f"{t('m_gap', lang)}: %{{customdata[5]:,.2f}} {unit}<br>"
        f"{t('m_share_amount', lang)}: %{{customdata[6]:.1f}}%<br>"
        f"{t('m_items', lang)}: %{{customdata[7]:,}}<extra></extra>"
    )
    return customdata, template


def _no_data_hover(rows: Sequence[AreaRow], lang: str) -> tuple[list[list[str]], str]:
    return (
        [[html.escape(i18n.name(r, lang)), r.code] for r in rows],
        "<b>%{customdata[0]}</b> (%{customdata[1]})<br>" + t("no_value", lang) + "<extra></extra>",
    )


def _split(rows: Sequence[AreaRow], values: Sequence[float | None]) -> tuple[list, list, list]:
    with_value = [(r, v) for r, v in zip(rows, values) if v is not None]
    without = [r for r, v in zip(rows, values) if v is None]
    return [r for r, _ in with_value], [v for _, v in with_value], without


def fit_view(
    bounds: tuple[float, float, float, float] | None, width: int = 800, height: int = 640
) -> tuple[dict, float]:
    """Centre and zoom that show ``bounds`` (west, south, east, north) in a map of that size
    (MapLibre: the world is 512 px wide at zoom 0). Only the first guess: the browser fits the
    bounds the figure carries (``map_meta``) on the panel's real size."""
    if bounds is None:
        return dict(THAILAND_CENTER), THAILAND_ZOOM
    west, south, east, north = bounds
    lon_span = max(east - west, 0.005) * 1.15
    zoom_x = math.log2(width * 360 / (512 * lon_span))
    y = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    zoom_y = math.log2(height * 2 * math.pi / (512 * max(abs(y(north) - y(south)), 1e-6) * 1.15))
    zoom = max(3.0, min(zoom_x, zoom_y, 15.0))
    return {"lat": (south + north) / 2, "lon": (west + east) / 2}, round(zoom, 2)


def map_labels(rows: Sequence[AreaRow], lang: str = "th") -> list[list]:
    """[code, name, lon, lat] of the areas a view names on the map (lon/lat: the area's label point,
    None without one: the browser then uses the middle of its outline). Names are plain text (the
    browser sets them as text, never as HTML). None of a view with more than ``LABEL_LIMIT``."""
    if len(rows) > LABEL_LIMIT:
        return []
    return [
        [
            r.code,
            i18n.name(r, lang),
            None if r.lon is None else round(r.lon, 5),
            None if r.lat is None else round(r.lat, 5),
        ]
        for r in rows
        if r.drawable
    ]


def map_meta(
    bounds: tuple[float, float, float, float] | None,
    labels: Sequence[Sequence] = (),
    *,
    lang: str = "th",
    points: bool = False,
    export: bool = False,
) -> dict:
    """What the browser script (assets/map_fit.js) reads from ``layout.meta.planmap``: the bounds to
    fit on the panel's real size, the names to place where they fit, the download button's title."""
    west, south, east, north = bounds or THAILAND_BOUNDS
    meta: dict = {
        "bounds": [round(west, 5), round(south, 5), round(east, 5), round(north, 5)],
        "padding": FIT_PADDING,
        "labels": [list(label) for label in labels],
        "points": points,  # labels of points (villages) go beside their marker
    }
    if export:
        meta["download"] = t("map_download", lang)
    return meta


def map_layout(
    *,
    center: dict | None = None,
    zoom: float = THAILAND_ZOOM,
    tiles: bool = False,
    revision: str = "map",
    meta: dict | None = None,
) -> dict:
    layout = {
        "map": {
            "style": STREET_STYLE if tiles else "white-bg",
            "center": center or dict(THAILAND_CENTER),
            "zoom": zoom,
        },
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "showlegend": False,
        "uirevision": revision,
        "font": {"family": FONT, "size": 14},
        "paper_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"family": FONT, "size": 15}, "bgcolor": "white"},
    }
    if meta is not None:
        layout["meta"] = {"planmap": meta}
    return layout


def empty_map() -> dict:
    """A blank map (plain background) shown before data arrives or while the database is down."""
    return {"data": [{"type": "choroplethmap", "locations": [], "z": []}], "layout": map_layout(meta=map_meta(None))}


def area_map(
    rows: Sequence[AreaRow],
    *,
    metric: str = "gap",
    lang: str = "th",
    geojson_url: str = "",
    method: str = "quantile",
    change: bool = False,
    bounds: tuple[float, float, float, float] | None = None,
    tiles: bool = False,
    revision: str = "map",
    linked: bool = True,
    labels: bool = True,
) -> dict:
    """Choropleth of the drawable areas of a view, in legend classes with a grey "no data" class.

    The trace's ``z`` is the class number (0 = no data), so the colour bar is the legend. The
    figure is a plain plotly figure dict (``go.Figure(fig)`` accepts it): building it without
    plotly's validators keeps a national tambon map fast. ``layout.meta.planmap`` carries the
    bounds of the view (the country's without ``bounds``) and the names of its areas, which the
    browser fits and places on the panel's real size.
    """
    drawn = [r for r in rows if r.drawable]
    legend, values = _legend_and_values(drawn, metric, lang, method, change, linked)
    with_value, present, without = _split(drawn, values)
    center, zoom = fit_view(bounds or THAILAND_BOUNDS)
    meta = map_meta(bounds, map_labels(drawn, lang) if labels else [], lang=lang, export=True)
    common = {
        "type": "choroplethmap",
        "geojson": geojson_url,
        "featureidkey": "id",
        "zmin": -0.5,
        "zmax": len(legend.labels) - 0.5,
        "colorscale": legend.colorscale,
        "marker": {"line": {"width": 0.6, "color": LINE_COLOUR}, "opacity": 0.92},
    }
    no_data, no_data_template = _no_data_hover(without, lang)
    customdata, template = _hover(with_value, present, metric, lang, change, linked)
    data = [
        {
            **common,
            "locations": [r.code for r in without],
            "z": [0] * len(without),
            "showscale": False,
            "customdata": no_data,
            "hovertemplate": no_data_template,
            "name": t("no_value", lang),
        },
        {
            **common,
            "locations": [r.code for r in with_value],
            "z": [class_index(v, legend.breaks) for v in present],
            "colorbar": legend.colorbar(),
            "showscale": True,
            "customdata": customdata,
            "hovertemplate": template,
            "name": t(f"m_{metric}", lang),
        },
    ]
    return {"data": data, "layout": map_layout(center=center, zoom=zoom, tiles=tiles, revision=revision, meta=meta)}


def with_outline(fig: dict, codes: Sequence[str], geojson_url: str) -> dict:
    """``fig`` over the plain outlines of ``codes`` (no value, no name, no hover, no click): the
    country frame of a reader who may see only some of its areas."""
    outline = {
        "type": "choroplethmap",
        "geojson": geojson_url,
        "featureidkey": "id",
        "locations": list(codes),
        "z": [0] * len(codes),
        "showscale": False,
        "colorscale": [[0, OUTLINE_FILL], [1, OUTLINE_FILL]],
        "marker": {"line": {"width": 0.6, "color": "#bdbdbd"}},
        "hoverinfo": "skip",
        "name": "",
    }
    return {**fig, "data": [outline, *fig["data"]]}


def village_map(
    rows: Sequence[AreaRow],
    *,
    metric: str = "gap",
    lang: str = "th",
    outline_url: str = "",
    outline_code: str | None = None,
    selected: str | None = None,
    method: str = "quantile",
    change: bool = False,
    bounds: tuple[float, float, float, float] | None = None,
    tiles: bool = False,
    revision: str = "map",
    linked: bool = True,
) -> dict:
    """Villages as points (those with a location), over the outline of their tambon."""
    drawn = [r for r in rows if r.drawable and r.lon is not None and r.lat is not None]
    legend, values = _legend_and_values(drawn, metric, lang, method, change, linked)
    with_value, present, without = _split(drawn, values)
    center, zoom = fit_view(bounds or THAILAND_BOUNDS)
    meta = map_meta(bounds, map_labels(drawn, lang), lang=lang, points=True, export=True)
    data: list[dict] = []
    if outline_url and outline_code:
        data.append(
            {
                "type": "choroplethmap",
                "geojson": outline_url,
                "featureidkey": "id",
                "locations": [outline_code],
                "z": [0],
                "showscale": False,
                "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                "marker": {"line": {"width": 2, "color": "#555555"}},
                "hoverinfo": "skip",
                "name": "outline",
            }
        )
    marker = {"cmin": -0.5, "cmax": len(legend.labels) - 0.5, "colorscale": legend.colorscale, "opacity": 0.95}
    no_data, no_data_template = _no_data_hover(without, lang)
    customdata, template = _hover(with_value, present, metric, lang, change, linked)
    approximate = f" · {t('approximate_point', lang)}"
    for group, hover in ((without, no_data), (with_value, customdata)):
        for r, entry in zip(group, hover):
            if r.approximate:
                entry[0] += approximate
    for group, z, hover, tmpl, scale in (
        (without, [0] * len(without), no_data, no_data_template, False),
        (with_value, [class_index(v, legend.breaks) for v in present], customdata, template, True),
    ):
        # Markers only: map text would make MapLibre fetch glyphs from the internet (the names
        # are placed by the browser script, in the page's own fonts).
        data.append(
            {
                "type": "scattermap",
                "lon": [r.lon for r in group],
                "lat": [r.lat for r in group],
                "mode": "markers",
                "ids": [r.code for r in group],
                "marker": {
                    **marker,
                    "size": [22 if r.code == selected else 15 for r in group],
                    "color": z,
                    "showscale": scale,
                    **({"colorbar": legend.colorbar()} if scale else {}),
                },
                "customdata": hover,
                "hovertemplate": tmpl,
                "name": t("village", lang) if scale else t("no_value", lang),
            }
        )
    return {"data": data, "layout": map_layout(center=center, zoom=zoom, tiles=tiles, revision=revision, meta=meta)}
