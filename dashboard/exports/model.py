"""The inputs of every export, as plain frozen dataclasses (no Dash, no database).

A caller (a Dash callback, the CLI) reads the data with ``geodata.queries`` and hands it over in
these shapes; every renderer is then a pure function of them, so tests build them by hand and
the numbers in an export are exactly the numbers the dashboard computed for the same view.

``area_frame`` turns the dashboard's ``AreaRow`` list plus web geometry into the one GeoDataFrame
layout that maps and GIS layers share: identity columns, then every metric (``None``/NaN = no
data, as on the dashboard's map), its value the year before and the change.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from dashboard import i18n
from dashboard.figures import source_note
from dashboard.i18n import t
from dashboard.metrics import LINKED_METRICS, METRICS, NEED_METRICS, metric_change, metric_value, reconcile
from geodata.queries import Area, AreaRow, Filters, Summary, Totals

YEARLY = tuple(m for m in METRICS if m not in NEED_METRICS)  # need is one survey: no year before
INDICATORS = 31  # จปฐ. 2560–2564: indicators 1–31, exported as need_ind01 … need_ind31
ID_COLUMNS = ("code", "name_th", "name_en", "level", "population", "population_year", "need_survey_year")
COUNT_COLUMNS = ("funded_items", "allocations")
CRS = "EPSG:4326"


@dataclass(frozen=True)
class ExportMeta:
    """What every export carries (DESIGN §5): title, filters, fiscal year, data date, source and
    boundary version. ``filters`` maps a shown label to a shown value, already in ``lang``."""

    title: str
    fiscal_year: int
    filters: Mapping[str, str] = field(default_factory=dict)
    data_date: dt.date | dt.datetime | None = None
    source: str = ""
    boundary_version: str | None = None
    lang: str = "th"
    synthetic: bool = False
    generated_at: dt.datetime | None = None

    def filter_text(self) -> str:
        return " · ".join(f"{k}: {v}" for k, v in self.filters.items()) or t("all", self.lang)

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs in ``lang``: the metadata block of tables, layers and slides."""
        lang = self.lang
        out = [
            (t("title", lang), self.title),
            (t("fiscal_year", lang), i18n.fiscal_year(self.fiscal_year, lang)),
            (t("filters", lang), self.filter_text()),
            (t("data_date", lang), i18n.when(self.data_date, lang)),
            (t("source", lang), self.source or t("unknown", lang)),
            (t("boundary_version", lang), self.boundary_version or t("unknown", lang)),
        ]
        if self.synthetic:
            out.append((t("data_kind", lang), t("synthetic", lang)))
        if self.generated_at is not None:
            out.append((t("generated_at", lang), i18n.when(self.generated_at, lang)))
        return out


@dataclass(frozen=True)
class MapView:
    """One map: the areas of ``level`` inside an area, coloured by ``metric``.

    ``frame`` has ``code``, ``name_th``, ``name_en``, a geometry (any CRS; None = not drawable)
    and a column named after the metric (or ``<metric>_change`` when ``change``). ``inset`` holds
    the provinces (``code`` + geometry) for the locator map; ``notes`` are lines shown beside the
    map for what it cannot draw (area-wide items, DESIGN §3.2) and the reconciled total.
    ``breaks`` fixes the legend's class upper bounds; without them quantiles are computed exactly
    as the dashboard does."""

    meta: ExportMeta
    area_code: str
    area_name_th: str
    level: str
    metric: str
    frame: gpd.GeoDataFrame
    area_name_en: str | None = None
    metric_label: str | None = None
    change: bool = False
    method: str = "quantile"
    breaks: Sequence[float] | None = None
    inset: gpd.GeoDataFrame | None = None
    notes: Sequence[str] = ()
    label_limit: int = 40  # name the areas on the map when there are at most this many
    linked: bool = True  # funding linked to plan items (else funded metrics: "not linked")
    outline: gpd.GeoDataFrame | None = None  # the mapped area's own boundary (a village map's tambon)

    @property
    def not_linked(self) -> bool:
        """The metric counts linked funding and the money is not linked: one 'not linked' class."""
        return not self.linked and self.metric in LINKED_METRICS

    @property
    def column(self) -> str:
        return f"{self.metric}_change" if self.change else self.metric

    def area_name(self) -> str:
        if self.area_code == "TH":
            return t("thailand", self.meta.lang)
        return (self.area_name_en or self.area_name_th) if self.meta.lang == "en" else self.area_name_th

    def label(self) -> str:
        text = self.metric_label or t(f"m_{self.metric}", self.meta.lang)
        return f"{text} — {t('change_of', self.meta.lang)}" if self.change else text


@dataclass(frozen=True)
class PackData:
    """A meeting pack: an area and fiscal year, its KPI summary, its children (for the ranking
    and the year-on-year table) and the map of those children."""

    meta: ExportMeta
    area: Area
    summary: Summary
    rows: Sequence[AreaRow]
    map_view: MapView
    top_n: int = 10
    data_lines: Sequence[str] = ()  # what is loaded and what it can support (the data page's figures)


# --------------------------------------------------------------------------- adapters


def _geometry(value: str | dict | BaseGeometry | None) -> BaseGeometry | None:
    if value is None or isinstance(value, BaseGeometry):
        return value
    return shape(json.loads(value) if isinstance(value, str) else value)


def _float(value) -> float | None:
    return None if value is None else float(value)


def area_frame(
    rows: Sequence[AreaRow],
    geometries: Mapping[str, str | dict | BaseGeometry] | Sequence[tuple[str, str]] = (),
    linked: bool = True,
) -> gpd.GeoDataFrame:
    """The aggregated layer of a view: one row per area with every metric this year, the year
    before (``<metric>_prev``) and the change (``<metric>_change``), computed with the dashboard's
    own ``metric_value`` so no number can differ from the page's. ``geometries`` is what
    ``geodata.queries.geometry_features`` returns (code, GeoJSON); villages without a polygon
    fall back to their point, areas with neither get no geometry (listed, not drawn). Without
    ``linked`` funding the funded metrics are empty (NaN), never 0."""
    shapes = dict(geometries)
    records = []
    for r in rows:
        geom = _geometry(shapes.get(r.code))
        if geom is None and r.lon is not None and r.lat is not None:
            geom = Point(r.lon, r.lat)
        rec: dict[str, object] = {
            "code": r.code,
            "name_th": r.name_th,
            "name_en": r.name_en,
            "level": r.level,
            "population": r.population,
            "population_year": r.population_year,
            "need_survey_year": r.need.survey_year_be if r.need else None,
        }
        for m in METRICS:
            rec[m] = metric_value(r.current, m, r.population, linked=linked, need=r.need)
        rec["funded_items"] = r.current.funded_items if linked else None
        rec["allocations"] = r.current.allocations
        for m in YEARLY:
            rec[f"{m}_prev"] = metric_value(r.previous, m, r.population, linked=linked)
            rec[f"{m}_change"] = metric_change(r.current, r.previous, m, r.population, linked=linked)
        for n in range(1, INDICATORS + 1):  # the จปฐ. indicators: share of those assessed who fail
            rec[f"need_ind{n:02d}"] = r.need.indicator_share(n) if r.need else None
        rec["geometry"] = geom
        records.append(rec)
    indicators = [f"need_ind{n:02d}" for n in range(1, INDICATORS + 1)]
    columns = [
        *ID_COLUMNS,
        *METRICS,
        *COUNT_COLUMNS,
        *(f"{m}_{s}" for s in ("prev", "change") for m in YEARLY),
        *indicators,
    ]
    frame = gpd.GeoDataFrame(records, columns=[*columns, "geometry"], geometry="geometry", crs=CRS)
    for m in [*METRICS, *(f"{m}_{s}" for s in ("prev", "change") for m in YEARLY), *indicators]:
        frame[m] = frame[m].astype("float64")
    for column in ("population", "population_year", "need_survey_year"):
        frame[column] = frame[column].astype("Int64")
    frame["funded_items"] = frame["funded_items"].astype("Int64")
    return frame


def geometry_frame(features: Sequence[tuple[str, str]] | Mapping[str, str | dict | BaseGeometry]) -> gpd.GeoDataFrame:
    """(code, GeoJSON) pairs, e.g. ``geometry_features(conn, "province", "TH")``, as a
    GeoDataFrame: the locator inset of ``MapView``."""
    pairs = list(features.items()) if isinstance(features, Mapping) else list(features)
    return gpd.GeoDataFrame({"code": [c for c, _ in pairs]}, geometry=[_geometry(g) for _, g in pairs], crs=CRS)


def filters_dict(
    filters: Filters, lang: str = "th", *, agency_name: str | None = None, area_level: str | None = None
) -> dict[str, str]:
    """The shown filters of a view (``ExportMeta.filters``) from the query filters."""
    out = {t("plan_level", lang): i18n.plan_level(filters.plan_level, lang)}
    if area_level:
        out[t("level_of_map", lang)] = i18n.area_level(area_level, lang)
    if filters.sector:
        out[t("sector", lang)] = filters.sector
    if filters.agency_id is not None:
        out[t("agency", lang)] = agency_name or str(filters.agency_id)
    if filters.funding_source:
        out[t("funding_source", lang)] = i18n.funding_source(filters.funding_source, lang)
    return out


def map_notes(
    rows: Sequence[AreaRow], summary: Summary, level: str, lang: str = "th", metric: str | None = None
) -> list[str]:
    """Beside-the-map lines that reconcile the map with the area total (DESIGN §3.2, §3.3, §3.8):
    on the map, tagged to the area itself (at the country: money of no area below it), tagged
    between the area and the drawn level (at the country: the clusters' own money), not
    drawable, and the total, each as items · requested · budget lines · allocated; then what the
    funded figures can say (the link coverage)."""
    parts = reconcile(rows, summary.total, summary.own)
    level_name = i18n.area_level(level, lang)
    if summary.area.level == "country":
        own_label, wider_label = t("unlocated", lang), t("cluster_level", lang)
    else:
        own_label = t("own_items", lang, level=i18n.area_level(summary.area.level, lang))
        wider_label = t("wider_items", lang, level=level_name)

    def line(label: str, totals: Totals) -> str:
        return (
            f"{label}: {totals.items:,} {t('ind_projects', lang)} · {i18n.million(totals.requested, lang)}"
            f" · {t('m_allocated', lang)} {totals.allocations:,} {t('budget_lines', lang)}"
            f" {i18n.million(totals.allocated, lang)}"
        )

    out = [line(t("on_map", lang), parts["on_map"])]
    for key, label in (("own", own_label), ("wider", wider_label), ("undrawn", t("not_drawn", lang, level=level_name))):
        if parts[key].has_data:
            out.append(line(label, parts[key]))
    out.append(line(t("area_total", lang), parts["total"]))
    coverage = summary.coverage
    if coverage.linked:
        out.append(t("linked_share", lang, share=i18n.percent(coverage.allocation_share, lang)))
    else:
        out.append(i18n.unlinked_reason(coverage, lang))
    if metric is not None and (note := source_note(rows, metric, lang)):
        out.append(note)  # the survey or population year a need or per-capita figure rests on
    if level == "village" and any(r.approximate for r in rows):
        out.append(t("approximate_villages", lang))
    return out
