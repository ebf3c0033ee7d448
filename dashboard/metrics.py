"""Map metrics and legend classes: pure functions of the totals (no database, no Dash).

Classes are computed here, not by a library: quantiles (equal counts) and natural breaks
(Jenks/Fisher optimal classification on at most ``JENKS_SAMPLE`` order statistics, so a
national tambon map stays fast), always with a separate "no data" class.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from geodata.queries import NEED_DIMENSIONS, AreaRow, Need, Totals, sum_totals

# TPMAP need (one survey, not a fiscal year's money): target poor per 1,000 persons surveyed, and
# the share of persons surveyed who are target poor in each of the five dimensions.
NEED_SHARE_METRICS = tuple(f"need_{d}" for d in NEED_DIMENSIONS)
NEED_METRICS = ("need_poor", *NEED_SHARE_METRICS)
METRICS = (
    "gap",
    "requested",
    "funded",
    "share_amount",
    "share_count",
    "items",
    "requested_pc",
    "gap_pc",
    "allocated",
    "allocated_pc",
    *NEED_METRICS,
)
AMOUNT_METRICS = frozenset({"gap", "requested", "funded", "allocated"})
SHARE_METRICS = frozenset({"share_amount", "share_count"})
PER_CAPITA_METRICS = frozenset({"requested_pc", "gap_pc", "allocated_pc"})
# Metrics that count funding linked to plan items (DESIGN §3.6): without links they say nothing,
# and a view says "not linked" instead of 0 % funded (§3.7).
LINKED_METRICS = frozenset({"gap", "funded", "share_amount", "share_count", "gap_pc"})
CLASS_METHODS = ("quantile", "jenks")
CLASSES = 5
JENKS_SAMPLE = 600


def metric_value(
    totals: Totals, metric: str, population: int | None = None, *, linked: bool = True, need: Need | None = None
) -> float | None:
    """The value of ``metric`` for one area-year; None is "no data" (never 0 by default), and
    so is every funded metric when the money is not ``linked`` to plan items. Need metrics come
    from the area's TPMAP ``need`` (the survey, not the year's money)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    if metric in NEED_METRICS:
        return need_value(need, metric)
    if not linked and metric in LINKED_METRICS:
        return None
    if metric == "allocated":
        return float(totals.allocated) if totals.allocations else None
    if metric == "allocated_pc":
        return float(totals.allocated) / population if totals.allocations and population else None
    if not totals.items:
        return None
    if metric == "gap":
        return float(totals.gap)
    if metric == "requested":
        return float(totals.requested)
    if metric == "funded":
        return float(totals.funded)
    if metric == "share_amount":
        return totals.share_amount
    if metric == "share_count":
        return totals.share_count
    if metric == "items":
        return float(totals.items)
    if not population:
        return None
    base = totals.requested if metric == "requested_pc" else totals.gap
    return float(base) / population


def need_value(need: Need | None, metric: str) -> float | None:
    """A need metric of one area; None where the survey has no figure (not zero)."""
    if need is None:
        return None
    if metric == "need_poor":
        return need.poor_per_1000
    return need.dimension_share(metric.removeprefix("need_"))


def metric_change(
    current: Totals, previous: Totals, metric: str, population: int | None = None, *, linked: bool = True
) -> float | None:
    """This year's value minus last year's; no data when either year has none (and for need,
    which is one survey, not a yearly figure)."""
    if metric in NEED_METRICS:
        return None
    now = metric_value(current, metric, population, linked=linked)
    before = metric_value(previous, metric, population, linked=linked)
    if now is None or before is None:
        return None
    return now - before


def quantile_breaks(values: Sequence[float], k: int = CLASSES) -> list[float]:
    """Upper bounds of (at most) ``k`` classes holding about equal numbers of areas."""
    data = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if data.size == 0:
        return []
    qs = np.quantile(data, np.linspace(0, 1, k + 1)[1:], method="linear")
    breaks: list[float] = []
    for q in qs:
        q = float(q)
        if not breaks or q > breaks[-1]:
            breaks.append(q)
    breaks[-1] = float(data.max())
    return breaks


def jenks_breaks(values: Sequence[float], k: int = CLASSES, sample: int = JENKS_SAMPLE) -> list[float]:
    """Natural breaks: upper bounds of ``k`` classes minimising the within-class squared deviations
    (Fisher's exact dynamic programme on the sorted values, or on ``sample`` evenly spaced order
    statistics when there are more; the last bound is always the maximum)."""
    data = np.sort(np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float))
    if data.size == 0:
        return []
    unique = np.unique(data)
    if unique.size <= k:
        return [float(u) for u in unique]
    x = data if data.size <= sample else data[np.linspace(0, data.size - 1, sample).round().astype(int)]
    n = x.size
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    # ssd[j, i] = squared deviations of x[j:i] (a class from j to i-1), for j < i.
    j = np.arange(n + 1)[:, None]
    i = np.arange(n + 1)[None, :]
    count = np.where(i > j, i - j, 1)
    ssd = (s2[i] - s2[j]) - (s1[i] - s1[j]) ** 2 / count
    ssd = np.where(i > j, np.maximum(ssd, 0.0), np.inf)
    cost = ssd[0].copy()  # one class: x[0:i]
    back = np.zeros((k, n + 1), dtype=int)
    for c in range(1, k):
        total = cost[:, None] + ssd  # last class starts at j
        back[c] = np.argmin(total, axis=0)
        cost = total[back[c], np.arange(n + 1)]
    ends = [n]
    for c in range(k - 1, 0, -1):
        ends.append(back[c][ends[-1]])
    ends = sorted(set(e for e in ends if e > 0))
    breaks = [float(x[e - 1]) for e in ends]
    breaks[-1] = float(data.max())
    return sorted(set(breaks))


def class_breaks(values: Sequence[float | None], method: str = "quantile", k: int = CLASSES) -> list[float]:
    if method not in CLASS_METHODS:
        raise ValueError(f"unknown classification {method!r}")
    return jenks_breaks(values, k) if method == "jenks" else quantile_breaks(values, k)


def class_index(value: float | None, breaks: Sequence[float]) -> int:
    """0 for no data, 1…len(breaks) for the class whose upper bound is the first ≥ value."""
    if value is None or not breaks or not math.isfinite(value):
        return 0
    for n, upper in enumerate(breaks, start=1):
        if value <= upper:
            return n
    return len(breaks)


def reconcile(rows: Sequence[AreaRow], total: Totals, own: Totals) -> dict[str, Totals]:
    """Split an area's total into what the map draws and what it cannot (DESIGN §3.2, §3.8), for
    plan items and allocations alike: on the map; tagged to the area itself ('own': province-wide,
    and at the country the money of no area below it, an agency's central budget); tagged between
    the area and the drawn level ('wider': a province's district-wide items on a tambon map, the
    clusters' own money on the country's map); and areas of the drawn level without geometry.
    The parts add up to the total to the satang."""
    drawn = sum_totals(r.current for r in rows if r.drawable)
    undrawn = sum_totals(r.current for r in rows if not r.drawable)
    return {"on_map": drawn, "own": own, "wider": total - own - drawn - undrawn, "undrawn": undrawn, "total": total}
