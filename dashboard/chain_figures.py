"""Pure figure builders of the planning-chain pages: the escalation funnel, its shape against the
manual's FY2559 reference, the compliance map and the map of one need's path (data in, plotly
figure dict out; no database, no Dash). Names from data are HTML-escaped before they reach a
hover label.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from decimal import Decimal

from dashboard import i18n
from dashboard.figures import FONT, Legend, fit_view, map_labels, map_layout, map_meta
from dashboard.i18n import REFERENCE_FY2559, t
from geodata.areas import is_area_code, level_of
from geodata.chain import FunnelStep
from geodata.chain_view import PlanCounts, Trace
from geodata.queries import AreaRow, Indicators

# Steps kept inside the area's own plans in blue, the agencies' side in purple, funded in green.
STEP_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#807dba", "#6a51a3", "#238b45")
LATE_BREAKS = (0.0, 0.10, 0.25, 0.50, 1.0)  # share of plans late: upper bounds of the classes
LATE_COLOURS = ("#c7e9c0", "#fee8c8", "#fdbb84", "#e34a33", "#b30000")
PATH_COLOURS = {
    "cluster": "#efedf5",
    "province": "#deebf7",
    "district": "#9ecae1",
    "tambon": "#3182bd",
    "local": "#3182bd",
    "village": "#bd0026",
}


def _base(height: int) -> dict:
    return {
        "margin": {"l": 8, "r": 8, "t": 36, "b": 8},
        "height": height,
        "showlegend": False,
        "font": {"family": FONT, "size": 14},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"family": FONT, "size": 14}, "bgcolor": "white"},
    }


def step_name(step: FunnelStep, lang: str = "th") -> str:
    return t(f"funnel_{step.key}", lang)


# --------------------------------------------------------------------------- funnel


def funnel_figure(steps: Sequence[FunnelStep], lang: str = "th") -> dict:
    """The funnel by count (left) and by amount in ล้านบาท (right), one bar per step, each with
    the share kept from the step before in its hover label."""
    names = [step_name(s, lang) for s in steps]
    kept = [("–" if s.share_of_previous is None else i18n.percent(s.share_of_previous, lang)) for s in steps]
    lost = [("–" if s.lost_share is None else i18n.percent(s.lost_share, lang)) for s in steps]
    million = [round(float(s.amount) / 1_000_000, 2) for s in steps]
    customdata = [
        [n, f"{s.items:,}", i18n.million(s.amount, lang), k, lo] for n, s, k, lo in zip(names, steps, kept, lost)
    ]
    hover = (
        "<b>%{customdata[0]}</b><br>"
        f"{t('funnel_count', lang)}: %{{customdata[1]}}<br>"
        f"{t('m_requested', lang)}: %{{customdata[2]}}<br>"
        f"{t('col_kept', lang)}: %{{customdata[3]}}<br>"
        f"{t('col_lost', lang)}: %{{customdata[4]}}<extra></extra>"
    )
    common = {
        "type": "funnel",
        "y": names,
        "customdata": customdata,
        "hovertemplate": hover,
        "marker": {"color": list(STEP_COLOURS[: len(steps)]), "line": {"width": 0}},
        "connector": {"fillcolor": "#eef3f8", "line": {"width": 0}},
        "textposition": "auto",
        "textfont": {"size": 14},
        "constraintext": "none",
    }
    data = [
        {
            **common,
            "x": [s.items for s in steps],
            "name": t("funnel_count", lang),
            "text": [
                f"{s.items:,}" + (f" ({k})" if s.share_of_previous is not None else "") for s, k in zip(steps, kept)
            ],
            "textinfo": "text",
            "xaxis": "x",
            "yaxis": "y",
        },
        {
            **common,
            "x": million,
            "name": t("funnel_amount", lang),
            "text": [f"{Decimal(s.amount) / Decimal(1_000_000):,.2f}" for s in steps],  # as the table rounds
            "textinfo": "text",
            "xaxis": "x2",
            "yaxis": "y2",
        },
    ]
    layout = _base(440)
    layout.update(
        {
            "xaxis": {"domain": [0.0, 0.5], "visible": False},
            "xaxis2": {"domain": [0.53, 1.0], "visible": False},
            "yaxis": {
                "anchor": "x",
                "automargin": True,
                "categoryorder": "array",
                "categoryarray": names,
                "tickfont": {"size": 13},
                "ticklabelstandoff": 6,
            },
            "yaxis2": {"anchor": "x2", "matches": "y", "showticklabels": False},
            "annotations": [
                {
                    "text": f"<b>{t('funnel_count', lang)}</b>",
                    "xref": "x domain",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 1.0,
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 14},
                },
                {
                    "text": f"<b>{t('funnel_amount', lang)}</b>",
                    "xref": "x2 domain",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 1.0,
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 14},
                },
            ],
            "funnelgap": 0.12,
        }
    )
    return {"data": data, "layout": layout}


def shape_figure(indicators: Indicators, lang: str = "th") -> dict:
    """The manual's three indicators as shares of the projects the province proposed, for the
    area and for the FY2559 national reference (7,932 → 2,063 → 1,402)."""
    ref = REFERENCE_FY2559
    labels = [t("ind_proposed", lang), t("ind_requests", lang), t("ind_funded", lang)]

    def shares(proposed: int, requested: int, funded: int) -> list[float | None]:
        if not proposed:
            return [None, None, None]
        return [100.0, round(requested / proposed * 100, 1), round(funded / proposed * 100, 1)]

    area = shares(indicators.proposed_items, indicators.requested_items, indicators.funded_items)
    reference = shares(ref["proposed_items"], ref["requested_items"], ref["funded_items"])
    counts_area = [indicators.proposed_items, indicators.requested_items, indicators.funded_items]
    counts_ref = [ref["proposed_items"], ref["requested_items"], ref["funded_items"]]

    def trace(name: str, values: list, counts: list, colour: str) -> dict:
        return {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": labels,
            "x": values,
            "marker": {"color": colour},
            "text": [("–" if v is None else f"{v:,.1f}% ({c:,})") for v, c in zip(values, counts)],
            "textposition": "auto",
            "cliponaxis": False,
            "hovertemplate": f"{html.escape(name)}<br>%{{y}}: %{{text}}<extra></extra>",
        }

    data = [
        trace(t("shape_reference", lang), reference, counts_ref, "#bdbdbd"),
        trace(t("this_area", lang), area, counts_area, "#2171b5"),
    ]
    layout = _base(260)
    layout.update(
        {
            "barmode": "group",
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": -0.08, "yanchor": "top"},
            "xaxis": {"range": [0, 105], "ticksuffix": "%", "gridcolor": "#eeeeee"},
            "yaxis": {"autorange": "reversed", "automargin": True, "ticklabelstandoff": 8},
            "margin": {"l": 8, "r": 16, "t": 8, "b": 8},
        }
    )
    return {"data": data, "layout": layout}


# --------------------------------------------------------------------------- compliance


def late_class(counts: PlanCounts | None) -> int:
    """0 = no plans, 1 = all on time, 2… = share of plans late up to 10%, 25%, 50%, more."""
    if counts is None or not counts.plans:
        return 0
    share = counts.late_share or 0.0
    if share == 0:
        return 1
    for n, upper in enumerate(LATE_BREAKS[1:], start=2):
        if share <= upper:
            return n
    return len(LATE_BREAKS)


def late_legend(lang: str = "th") -> Legend:
    labels = (t("no_plans", lang), t("all_on_time", lang), "≤ 10%", "10 – 25%", "25 – 50%", "> 50%")
    return Legend(LATE_BREAKS, LATE_COLOURS, labels, t("compliance_map", lang))


def compliance_map(
    rows: Sequence[AreaRow],
    counts: Mapping[str, PlanCounts],
    *,
    lang: str = "th",
    geojson_url: str = "",
    bounds: tuple[float, float, float, float] | None = None,
    points: bool = False,
    outline: str | None = None,
    revision: str = "compliance",
) -> dict:
    """The sub-areas coloured by the share of their plans submitted late (villages as points,
    over the outline of their tambon ``outline`` taken from ``geojson_url``)."""
    legend = late_legend(lang)
    drawn = [r for r in rows if r.drawable and (not points or (r.lon is not None and r.lat is not None))]
    customdata = []
    for r in drawn:
        c = counts.get(r.code, PlanCounts())
        customdata.append(
            [
                html.escape(i18n.name(r, lang)),
                r.code,
                c.plans,
                c.late,
                i18n.percent(c.late_share, lang) if c.plans else "–",
                c.max_days_late or 0,
            ]
        )
    template = (
        "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
        f"{t('col_plans', lang)}: %{{customdata[2]:,}}<br>"
        f"{t('col_late', lang)}: %{{customdata[3]:,}} (%{{customdata[4]}})<br>"
        f"{t('col_days_late', lang)} max: %{{customdata[5]:,}}<extra></extra>"
    )
    z = [late_class(counts.get(r.code)) for r in drawn]
    n = len(legend.labels)
    if points:
        trace = {
            "type": "scattermap",
            "lon": [r.lon for r in drawn],
            "lat": [r.lat for r in drawn],
            "mode": "markers",
            "ids": [r.code for r in drawn],
            "marker": {
                "size": 15,
                "color": z,
                "cmin": -0.5,
                "cmax": n - 0.5,
                "colorscale": legend.colorscale,
                "showscale": True,
                "colorbar": legend.colorbar(),
                "opacity": 0.95,
            },
        }
    else:
        trace = {
            "type": "choroplethmap",
            "geojson": geojson_url,
            "featureidkey": "id",
            "locations": [r.code for r in drawn],
            "z": z,
            "zmin": -0.5,
            "zmax": n - 0.5,
            "colorscale": legend.colorscale,
            "colorbar": legend.colorbar(),
            "showscale": True,
            "marker": {"line": {"width": 0.6, "color": "#ffffff"}, "opacity": 0.92},
        }
    trace.update({"customdata": customdata, "hovertemplate": template, "name": t("compliance_map", lang)})
    data = [trace]
    if points and outline and geojson_url:
        data.insert(
            0,
            {
                "type": "choroplethmap",
                "geojson": geojson_url,
                "featureidkey": "id",
                "locations": [outline],
                "z": [0],
                "showscale": False,
                "hoverinfo": "skip",
                "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                "marker": {"line": {"width": 2, "color": "#555555"}},
                "name": "outline",
            },
        )
    center, zoom = fit_view(bounds, 700, 520)  # the first guess; the browser fits ``bounds`` (map_meta)
    meta = map_meta(bounds, map_labels(drawn, lang), lang=lang, points=points)
    return {"data": data, "layout": map_layout(center=center, zoom=zoom, revision=revision, meta=meta)}


# --------------------------------------------------------------------------- trace map


def trace_map(
    item: Trace,
    geojson_urls: Mapping[str, str],
    *,
    lang: str = "th",
    bounds: tuple[float, float, float, float] | None = None,
) -> dict:
    """The areas of the plans a need went through, widest first (province, district, tambon),
    and the village as a point on top. ``geojson_urls`` maps an area level to its geometry URL."""
    by_area: dict[str, list] = {}
    for s in item.steps:
        by_area.setdefault(s.plan_area_code, []).append(s)
    order = sorted(by_area, key=lambda c: 1 if c.startswith("C") else len(c))
    data: list[dict] = []
    for code in order:
        steps = by_area[code]
        level = _area_level(code)
        name = html.escape(i18n.pick(steps[0].plan_area_th, steps[0].plan_area_en, lang) or "")
        label = html.escape(" / ".join(dict.fromkeys(i18n.plan_level(s.plan_level, lang) for s in steps)))
        colour = PATH_COLOURS.get(steps[0].plan_level, "#3182bd")
        hover = f"<b>{label}</b><br>{name} ({code})<extra></extra>"
        if level == "village":
            located = next((s for s in steps if s.area_code == code and s.lon is not None), None)
            if located is not None:
                data.append(
                    {
                        "type": "scattermap",
                        "lon": [located.lon],
                        "lat": [located.lat],
                        "mode": "markers",
                        "marker": {"size": 18, "color": colour},
                        "name": f"{label}: {name}",
                        "hovertemplate": hover,
                    }
                )
            continue
        url = geojson_urls.get(level)
        if not url:
            continue
        data.append(
            {
                "type": "choroplethmap",
                "geojson": url,
                "featureidkey": "id",
                "locations": [code],
                "z": [1],
                "zmin": 0,
                "zmax": 1,
                "showscale": False,
                "colorscale": [[0, colour], [1, colour]],
                "marker": {"opacity": 0.75 if level == "tambon" else 0.55, "line": {"width": 1.5, "color": "#08306b"}},
                "name": f"{label}: {name}",
                "showlegend": True,
                "hovertemplate": hover,
            }
        )
    if not any(d["type"] == "scattermap" for d in data):
        located = next((s for s in item.steps if s.lon is not None and s.lat is not None), None)
        if located is not None:
            name = html.escape(i18n.pick(located.area_th, located.area_en, lang))
            data.append(
                {
                    "type": "scattermap",
                    "lon": [located.lon],
                    "lat": [located.lat],
                    "mode": "markers",
                    "marker": {"size": 18, "color": PATH_COLOURS["village"]},
                    "name": f"{t('step_area', lang)}: {name}",
                    "hovertemplate": f"<b>{t('step_area', lang)}</b><br>{name}<extra></extra>",
                }
            )
    center, zoom = fit_view(bounds, 620, 480)  # the first guess; the browser fits ``bounds`` (map_meta)
    layout = map_layout(center=center, zoom=zoom, revision=f"trace:{item.item_id}", meta=map_meta(bounds, lang=lang))
    layout.update(
        {
            "showlegend": True,
            # under the map (plotly widens the bottom margin for it), not over the fitted district
            "legend": {"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "font": {"size": 13}},
        }
    )
    return {"data": data, "layout": layout}


def _area_level(code: str) -> str:
    return level_of(code) if is_area_code(code) else "country"


def empty_figure(message: str = "") -> dict:
    layout = _base(200)
    layout.update(
        {
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [{"text": html.escape(message), "showarrow": False, "font": {"size": 15}}]
            if message
            else [],
        }
    )
    return {"data": [], "layout": layout}
