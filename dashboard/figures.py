"""Pure figure builders: data in, plotly figure out (no database, no Dash)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard.i18n import baht, t
from geodata.queries import MapArea

THAILAND_CENTER = {"lat": 13.0, "lon": 101.0}
NO_DATA_COLOUR = "#d9d9d9"


def _map_layout(fig: go.Figure) -> go.Figure:
    """Plain background (no tiles, so it works offline), centred on Thailand."""
    fig.update_layout(
        map={"style": "white-bg", "center": THAILAND_CENTER, "zoom": 4.6},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False, uirevision="map",
    )
    return fig


def empty_map() -> go.Figure:
    """A blank map (plain background) shown before data arrives or while the database is down."""
    return _map_layout(go.Figure(go.Choroplethmap()))


def choropleth(areas: Sequence[MapArea], lang: str = "th") -> go.Figure:
    """Areas coloured by requested amount; areas without items drawn grey as 'no data'.

    Names come from data, so they are HTML-escaped before they reach the hover label.
    """
    features = [
        {"type": "Feature", "id": a.code, "properties": {}, "geometry": json.loads(a.geojson)}
        for a in areas
    ]
    geojson = {"type": "FeatureCollection", "features": features}
    with_value = [a for a in areas if a.requested is not None]
    without = [a for a in areas if a.requested is None]
    name = (lambda a: a.name_en or a.name_th) if lang == "en" else (lambda a: a.name_th)
    fig = go.Figure()
    if without:
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, locations=[a.code for a in without], z=[0] * len(without),
            featureidkey="id", colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]], showscale=False,
            marker_line_width=0.5, marker_line_color="white",
            customdata=[[html.escape(name(a)), a.code] for a in without],
            hovertemplate="%{customdata[0]} (%{customdata[1]})<br>" + t("no_value", lang) + "<extra></extra>",
            name=t("no_value", lang),
        ))
    if with_value:
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, locations=[a.code for a in with_value],
            z=[float(a.requested) for a in with_value], featureidkey="id",
            colorscale="YlOrRd", marker_line_width=0.5, marker_line_color="white",
            colorbar={"title": {"text": t("requested", lang)}},
            customdata=[[html.escape(name(a)), a.code, baht(a.requested, lang), a.items] for a in with_value],
            hovertemplate=("%{customdata[0]} (%{customdata[1]})<br>" + t("requested", lang)
                           + ": %{customdata[2]}<br>" + t("items", lang) + ": %{customdata[3]:,}<extra></extra>"),
            name=t("requested", lang),
        ))
    return _map_layout(fig)
