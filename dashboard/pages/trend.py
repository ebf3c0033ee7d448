"""The trend over the years (``view=trend``): for the selected area, requested, funded and the
money allocated in the area for every loaded fiscal year, as a chart and a table.

Each year's figures are that year's KPI cards (``queries.trend`` is ``queries.summary`` once per
year, with the view's plan level, sector, agency and source), so the two can never disagree;
funded (and the gap and share) is shown only for the years whose money is linked to plan items,
as on the cards.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import dash
import psycopg
from dash import Input, Output, html

from dashboard import chain_figures, i18n, ids
from dashboard.context import Context
from dashboard.figures import FONT
from dashboard.i18n import t
from dashboard.pages.common import area_name, graph, head
from dashboard.request import View
from geodata import queries
from geodata.queries import Summary

NAME = "trend"
OUT = {
    "head": Output(ids.TREND_HEAD, "children"),
    "figure": Output(ids.TREND_GRAPH, "figure"),
    "table": Output(ids.TREND_TABLE, "children"),
}
# (key, colour): the series of the chart, in the order of the cards
SERIES = (("requested", "#fd8d3c"), ("funded", "#238b45"), ("allocated", "#2171b5"))
_SERIES_LABEL = {"requested": "m_requested", "funded": "m_funded", "allocated": "m_allocated"}


def layout() -> html.Div:
    return html.Div(
        className="chain-page trend-page",
        children=[
            html.Div(id=ids.TREND_HEAD, className="chain-head"),
            html.Div(className="panel", children=[graph(ids.TREND_GRAPH, "400px", tools=False)]),
            html.Div(id=ids.TREND_TABLE, className="panel"),
        ],
    )


def _million(amount: object) -> float:
    return round(float(amount) / 1_000_000, 2)


def values(summary: Summary, planned: bool = True) -> dict[str, float | None]:
    """One year's points of the chart, in millions of baht: requested and funded only where plans
    of this level are loaded that year (else there is nothing to say, not zero), funded only where
    the money is linked to plan items, allocated only where a budget is loaded (as the cards)."""
    total, coverage = summary.total, summary.coverage
    return {
        "requested": _million(total.requested) if planned else None,
        "funded": _million(total.funded) if coverage.linked and planned else None,
        "allocated": None if coverage.state == "no_supply" else _million(total.allocated),
    }


def figure(
    years: Sequence[tuple[int, Summary]], selected: int | None, lang: str = "th", planned: Collection[int] | None = None
) -> dict:
    """Grouped bars of requested, funded and allocated per fiscal year (millions of baht), the
    selected year marked."""
    x = [str(year) for year, _ in years]
    points = [values(s, planned is None or year in planned) for year, s in years]
    unit = t("million", lang)
    data = [
        {
            "type": "bar",
            "name": t(_SERIES_LABEL[key], lang),
            "x": x,
            "y": [p[key] for p in points],
            "marker": {"color": colour},
            "hovertemplate": f"%{{x}} · %{{fullData.name}}<br>%{{y:,.2f}} {unit}<extra></extra>",
        }
        for key, colour in SERIES
    ]
    shapes = []
    if selected is not None and str(selected) in x:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x.index(str(selected)) - 0.5,
                "x1": x.index(str(selected)) + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": "#fff3bf",
                "opacity": 0.6,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    return {
        "data": data,
        "layout": {
            "barmode": "group",
            "height": 400,
            "margin": {"l": 70, "r": 12, "t": 40, "b": 56},
            "font": {"family": FONT, "size": 14},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "hoverlabel": {"font": {"family": FONT, "size": 14}, "bgcolor": "white"},
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "xaxis": {"type": "category", "title": {"text": t("trend_year", lang)}},
            "yaxis": {"title": {"text": unit}, "tickformat": ",.0f", "gridcolor": "#eee", "rangemode": "tozero"},
            "shapes": shapes,
        },
    }


def _num(text: str) -> html.Td:
    return html.Td(text, className="num")


def table(
    years: Sequence[tuple[int, Summary]], selected: int | None, lang: str = "th", planned: Collection[int] | None = None
) -> html.Table:
    """The cards' figures year by year (newest first), in the cards' words where the money is not
    linked or no budget is loaded, and "no plans loaded" for a year without plans of this level
    (``planned``: the years that have them; None: every year)."""
    head_row = html.Tr(
        [
            html.Th(t("fiscal_year", lang)),
            html.Th(t("card_items", lang)),
            html.Th(t("m_requested", lang)),
            html.Th(t("m_funded", lang)),
            html.Th(t("m_gap", lang)),
            html.Th(t("card_share", lang)),
            html.Th(t("m_allocated", lang)),
        ]
    )
    body = []
    for year, s in sorted(years, key=lambda y: -y[0]):
        total, coverage = s.total, s.coverage
        word = t("not_linked" if coverage.state == "not_linked" else "no_supply", lang)
        linked = coverage.linked
        unplanned = planned is not None and year not in planned  # not zero: nothing to know
        if unplanned:
            linked, word = False, t("no_plans_loaded", lang)
        body.append(
            html.Tr(
                id=f"trend-{year}",
                className="selected" if year == selected else "",
                children=[
                    html.Td(i18n.fiscal_year(year, lang, short=True)),
                    _num(word if unplanned else i18n.count(total.items, lang)),
                    _num(word if unplanned else i18n.million(total.requested, lang)),
                    _num(i18n.million(total.funded, lang) if linked else word),
                    _num(i18n.million(total.gap, lang) if linked else word),
                    _num(i18n.percent(total.share_amount, lang) if linked else word),
                    _num(word if coverage.state == "no_supply" else i18n.million(total.allocated, lang)),
                ],
            )
        )
    return html.Table([html.Thead(head_row), html.Tbody(body)], className="chain-table trend-table")


def render(ctx: Context, search: str | None, db: dict | None) -> dict[str, Any]:
    """The heading, the chart and the table of the selected area over every loaded fiscal year."""

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        state, lang = view.state, view.state.lang
        years = queries.trend(conn, state.area, view.filters, view.options.fiscal_years)
        plan = state.plan or "province"
        planned = {y for level, y, n, _ in view.options.demand if level == plan and n}
        filtered = any(v is not None for v in (state.sector, state.agency, state.source))
        note = t(
            "trend_note",
            lang,
            plan=i18n.plan_level(state.plan or "province", lang),
            filters=t("trend_filtered", lang) if filtered else "",
        )
        return {
            "head": head(t("trend_title", lang, area=area_name(conn, state.area, lang)), note),
            "figure": figure(years, state.fy, lang, planned),
            "table": table(years, state.fy, lang, planned),
        }

    return ctx.render(
        search,
        OUT,
        build,
        page=NAME,
        empty=lambda lang: {"head": head(t("no_data", lang)), "figure": chain_figures.empty_figure(), "table": None},
        down=lambda lang: {"head": head(t("db_down", lang))},
    )


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(output=OUT, inputs={"search": Input(ids.URL, "search"), "db": Input(ids.DB_OK, "data")})
    def _render(search, db):
        return render(ctx, search, db)
