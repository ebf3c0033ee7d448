"""Need against funding: the bivariate map, its legend, the list of areas with high need and low
funding, and the hotspot map. Pure functions of the view's rows (no database, no Dash callbacks).

The bivariate map crosses two rates of the same areas, each cut into thirds (terciles) among
the areas that have both: TPMAP target poor per 1,000 persons surveyed, and the budget allocated
in the area per registered inhabitant. Thirds are relative to the areas on the map (a "high"
need in one province is not a national threshold) and the legend says so with the cut values.
An area lacking either figure is "no data", never a class.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from dash import html as dhtml

from dashboard import figures, i18n
from dashboard.i18n import t
from dashboard.metrics import metric_value
from geodata.hotspots import HotspotResult
from geodata.queries import AreaRow

NEED_AXIS = "need_poor"
FUNDING_AXIS = "allocated_pc"
# Joshua Stevens' pink–blue scheme: rows need low → high, columns funding low → high; high need
# with low funding (row 2, column 0) is the strongest pink, the cells a committee looks for.
BIVARIATE = (
    ("#e8e8e8", "#ace4e4", "#5ac8c8"),
    ("#dfb0d6", "#a5add3", "#5698b9"),
    ("#be64ac", "#8c62aa", "#3b4994"),
)
NO_DATA = "#ffffff"  # white under grey outlines: the low-low cell is already a light grey
HOTSPOT_COLOURS = {"hot": "#d7301f", "cold": "#2166ac", "ns": "#f7f7f7", "island": "#c9b99b"}


@dataclass(frozen=True)
class Bivariate:
    """Each area's (need third, funding third), 0 low … 2 high, or None without both figures."""

    cells: dict[str, tuple[int, int] | None]
    need_cuts: tuple[float, float] | None  # upper bounds of the low and middle thirds
    funding_cuts: tuple[float, float] | None
    need: dict[str, float | None]
    funding: dict[str, float | None]
    without_need: int
    without_funding: int
    no_budget: bool = False  # no allocation at all in the view: funding unknown, not zero

    @property
    def classified(self) -> int:
        return sum(c is not None for c in self.cells.values())


def _thirds(values: Sequence[float]) -> tuple[float, float] | None:
    """Upper bounds of the low and middle thirds. When many values tie (most tambons get no
    allocation of their own: 0 baht) the middle third would be empty: then the values above the
    low bound are split at their median, so no class is empty by construction."""
    data = np.asarray(values, dtype=float)
    if len(data) < 3:
        return None
    low, high = (float(q) for q in np.quantile(data, [1 / 3, 2 / 3]))
    above = data[data > low]
    if above.size < 2:
        return None
    if not ((data > low) & (data <= high)).any():
        high = float(np.median(above))
    return (low, high) if high > low else None


def _third(value: float, cuts: tuple[float, float]) -> int:
    return 0 if value <= cuts[0] else 1 if value <= cuts[1] else 2


def bivariate(rows: Sequence[AreaRow]) -> Bivariate:
    """Thirds of need and of funding per capita among the areas that have both."""
    need = {r.code: metric_value(r.current, NEED_AXIS, r.population, need=r.need) for r in rows}
    no_budget = not any(r.current.allocations for r in rows)
    funding = {r.code: None if no_budget else _funding(r) for r in rows}
    both = [c for c in need if need[c] is not None and funding[c] is not None]
    need_cuts = _thirds([need[c] for c in both])
    funding_cuts = _thirds([funding[c] for c in both])
    cells: dict[str, tuple[int, int] | None] = {}
    for r in rows:
        n, f = need[r.code], funding[r.code]
        ok = n is not None and f is not None and need_cuts and funding_cuts
        cells[r.code] = (_third(n, need_cuts), _third(f, funding_cuts)) if ok else None
    return Bivariate(
        cells,
        need_cuts,
        funding_cuts,
        need,
        funding,
        without_need=sum(v is None for v in need.values()),
        without_funding=sum(need[c] is not None and funding[c] is None for c in need),
        no_budget=no_budget,
    )


def _funding(row: AreaRow) -> float | None:
    """Allocated per inhabitant; an area with a population and no allocation got 0 baht (a
    figure), an area without a population has no per-capita figure at all."""
    if not row.population:
        return None
    return float(row.current.allocated) / row.population


def bivariate_map(
    rows: Sequence[AreaRow],
    result: Bivariate,
    *,
    lang: str = "th",
    geojson_url: str = "",
    bounds: tuple[float, float, float, float] | None = None,
    revision: str = "need",
) -> dict:
    """Choropleth of the nine classes (z = 1…9, 0 = no data), hover with both figures."""
    drawn = [r for r in rows if r.drawable]
    steps = [NO_DATA] + [BIVARIATE[i][j] for i in range(3) for j in range(3)]
    z, custom = [], []
    for r in drawn:
        cell = result.cells.get(r.code)
        z.append(0 if cell is None else 1 + cell[0] * 3 + cell[1])
        need, funding = result.need.get(r.code), result.funding.get(r.code)
        custom.append(
            [
                html.escape(i18n.name(r, lang)),
                r.code,
                "–" if need is None else f"{need:,.1f}",
                "–" if funding is None else f"{funding:,.2f}",
                cell_name(cell, lang),
            ]
        )
    template = (
        "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
        f"{t('m_need_poor', lang)}: %{{customdata[2]}}<br>"
        f"{t('m_allocated_pc', lang)}: %{{customdata[3]}} {t('baht_unit', lang)}<br>"
        "%{customdata[4]}<extra></extra>"
    )
    trace = {"name": t("need_vs_funding", lang), "showscale": False, "marker": {"line": {"color": "#8c8c8c"}}}
    return _class_map(
        drawn, z, steps, custom, template, trace, lang=lang, url=geojson_url, bounds=bounds, revision=revision
    )


def _class_map(
    drawn: Sequence[AreaRow],
    z: Sequence[int],
    steps: Sequence[str],
    custom: list[list],
    template: str,
    extra: dict,
    *,
    lang: str,
    url: str,
    bounds: tuple[float, float, float, float] | None,
    revision: str,
) -> dict:
    """A choropleth of class numbers ``z`` (0 … len(steps) - 1) in flat ``steps`` colours,
    framed on ``bounds`` in the browser with the areas named (``extra``: the trace's own keys)."""
    marker = {"line": {"width": 0.7, "color": "#9e9e9e"}, "opacity": 0.95}
    marker["line"].update(extra.pop("marker", {}).get("line", {}))
    trace = {
        "type": "choroplethmap",
        "geojson": url,
        "featureidkey": "id",
        "locations": [r.code for r in drawn],
        "z": list(z),
        "zmin": -0.5,
        "zmax": len(steps) - 0.5,
        "colorscale": figures.stepped_colorscale(steps),
        "marker": marker,
        "customdata": custom,
        "hovertemplate": template,
        **extra,
    }
    center, zoom = figures.fit_view(bounds or figures.THAILAND_BOUNDS)
    meta = figures.map_meta(bounds, figures.map_labels(drawn, lang), lang=lang)
    return {"data": [trace], "layout": figures.map_layout(center=center, zoom=zoom, revision=revision, meta=meta)}


def cell_name(cell: tuple[int, int] | None, lang: str) -> str:
    if cell is None:
        return t("no_value", lang)
    need, funding = cell
    return t("bv_cell", lang, need=t(f"bv_level_{need}", lang), funding=t(f"bv_level_{funding}", lang))


def bivariate_legend(result: Bivariate, lang: str = "th") -> dhtml.Div:
    """A 3×3 grid a committee can read: need rises upwards, funding per head to the right, with
    the cut values of each third and the count of areas without data."""
    if result.no_budget:
        return dhtml.Div(t("bv_no_budget", lang), className="note")
    if result.need_cuts is None or result.funding_cuts is None:
        return dhtml.Div(t("bv_too_few", lang), className="note")
    n1, n2 = result.need_cuts
    f1, f2 = result.funding_cuts
    need_ticks = (f"≤ {n1:,.1f}", f"{n1:,.1f}–{n2:,.1f}", f"> {n2:,.1f}")
    funding_ticks = (f"≤ {f1:,.0f}", f"{f1:,.0f}–{f2:,.0f}", f"> {f2:,.0f}")
    rows = []
    for i in (2, 1, 0):  # high need on top
        cells = [dhtml.Th(need_ticks[i], className="bv-tick")]
        for j in range(3):
            cells.append(
                dhtml.Td(
                    className="bv-cell",
                    style={"background": BIVARIATE[i][j]},
                    title=cell_name((i, j), lang),
                    children="!" if (i, j) == (2, 0) else "",
                )
            )
        rows.append(dhtml.Tr(cells))
    rows.append(dhtml.Tr([dhtml.Th(""), *[dhtml.Th(tick, className="bv-tick") for tick in funding_ticks]]))
    return dhtml.Div(
        className="bv-legend",
        children=[
            dhtml.Div(f"↑ {t('m_need_poor', lang)}", className="bv-axis"),
            dhtml.Table(rows, className="bv-grid"),
            dhtml.Div(
                f"{t('m_allocated_pc', lang)} ({t('baht_unit', lang)}/{t('person', lang)}) →", className="bv-axis"
            ),
            dhtml.P(t("bv_thirds", lang), className="muted note"),
            dhtml.P(
                [
                    dhtml.Span(style={"background": NO_DATA}, className="bv-swatch"),
                    " " + t("no_value", lang),
                ],
                className="muted note",
            ),
            dhtml.P(
                t("bv_missing", lang, need=result.without_need, funding=result.without_funding),
                className="muted note",
            ),
        ],
    )


def neglected(rows: Sequence[AreaRow], result: Bivariate, lang: str = "th") -> list[dict]:
    """Areas in the high-need, low-funding cell, the neediest first (the committee's list)."""
    out = []
    for r in rows:
        if result.cells.get(r.code) == (2, 0):
            out.append(
                {
                    "code": r.code,
                    "name": i18n.name(r, lang),
                    "need_poor": round(result.need[r.code], 2),
                    "target_poor": r.need.target_poor if r.need else None,
                    "allocated_pc": round(result.funding[r.code], 2),
                    "allocated": float(r.current.allocated),
                    "population": r.population,
                }
            )
    out.sort(key=lambda d: (-d["need_poor"], d["allocated_pc"], d["code"]))
    for n, d in enumerate(out, start=1):
        d["rank"] = n
    return out


def hotspot_map(
    rows: Sequence[AreaRow],
    result: HotspotResult,
    *,
    metric: str,
    lang: str = "th",
    geojson_url: str = "",
    bounds: tuple[float, float, float, float] | None = None,
    revision: str = "hotspots",
) -> dict:
    """Getis-Ord Gi* classes (hot, cold, not significant, island, no data) with each area's value,
    z, pseudo p-value and local Moran quadrant in the hover."""
    order = ("nodata", "island", "ns", "cold", "hot")
    colours = [figures.NO_DATA_COLOUR, HOTSPOT_COLOURS["island"], HOTSPOT_COLOURS["ns"]]
    colours += [HOTSPOT_COLOURS["cold"], HOTSPOT_COLOURS["hot"]]
    found = result.by_code()
    drawn = [r for r in rows if r.drawable]
    z, custom = [], []
    for r in drawn:
        h = found.get(r.code)
        cls = h.gi_class if h else "nodata"
        z.append(order.index(cls))
        custom.append(
            [
                html.escape(i18n.name(r, lang)),
                r.code,
                figures.format_value(h.value if h else None, metric, lang),
                t(f"hs_{cls}", lang),
                "–" if h is None or h.gi_z is None else f"{h.gi_z:+.2f}",
                "–" if h is None or h.gi_p is None else f"{h.gi_p:.3f}",
                t(f"hs_moran_{h.moran_class if h else 'nodata'}", lang),
            ]
        )
    template = (
        "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
        f"{t(f'm_{metric}', lang)}: %{{customdata[2]}}<br>"
        "<b>%{customdata[3]}</b> (Gi* z %{customdata[4]}, p %{customdata[5]})<br>"
        f"{t('hs_moran', lang)}: %{{customdata[6]}}<extra></extra>"
    )
    legend = figures.Legend(
        (1, 2, 3, 4), tuple(colours[1:]), tuple(t(f"hs_{c}", lang) for c in order), t(f"m_{metric}", lang)
    )
    trace = {"name": t("hotspots", lang), "showscale": True, "colorbar": legend.colorbar()}
    return _class_map(
        drawn, z, colours, custom, template, trace, lang=lang, url=geojson_url, bounds=bounds, revision=revision
    )
