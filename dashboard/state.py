"""The view state, which lives in the URL's query string (a shared link reproduces the view).

``parse`` checks every value against a known list or a strict pattern and drops what does not
fit (a malformed link falls back to the national view); ``validate`` then checks the values
that only the database knows (the area exists, the fiscal year, sector and agency are loaded).
Only this small state travels between browser and server; never data frames.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from dashboard.metrics import CLASS_METHODS, METRICS
from geodata.areas import AREA_CODE, FUNDING_SOURCES, ID_MAX, PLAN_LEVELS, level_of

LANGS = ("th", "en")
RANKINGS = ("gap", "share", "pc")
# The sections of the page: the map (default) and the planning-chain pages (DESIGN §1).
VIEWS = (
    "map",
    "trend",
    "need",
    "compare",
    "funnel",
    "trace",
    "compliance",
    "overlaps",
    "review",
    "data",
    "upload",
    "audit",
)
# Which levels a map of an area may show (first = default): the children, or finer.
MAP_LEVELS_FOR = {
    "country": ("province", "cluster", "district", "tambon"),
    "cluster": ("province",),
    "province": ("district", "tambon"),
    "district": ("tambon", "village"),
    "tambon": ("village",),
    "village": ("village",),
}
# Metric names a link may use besides the METRICS keys: the names the README documents.
METRIC_ALIASES = {
    "share": "share_amount",
    "per_capita": "requested_pc",
    "requested_per_capita": "requested_pc",
    "gap_per_capita": "gap_pc",
}
_YEAR = re.compile(r"^2[4-7][0-9]{2}$")
_INT = re.compile(r"^[0-9]{1,12}$")
_MAX_TEXT = 120
MAX_SEARCH = 2000  # the dashboard's own links are a few hundred characters


@dataclass(frozen=True)
class ViewState:
    area: str = "TH"
    level: str = "province"  # the level of the areas drawn on the map
    metric: str | None = None  # None: chosen from the data (the gap where funding is linked)
    plan: str | None = None  # plan level of the demand shown (None: chosen from the data)
    fy: int | None = None  # fiscal year, BE (None: chosen from the data)
    sector: str | None = None
    agency: int | None = None
    source: str | None = None
    compare: bool = False  # map shows the change from the year before
    classes: str = "quantile"
    lang: str = "th"
    tiles: bool = False
    rank: str = "gap"
    view: str = "map"  # section of the page (VIEWS)
    item: int | None = None  # the plan item the trace view follows
    other: str | None = None  # the area the compare view sets beside the selected one (``vs``)

    @property
    def area_level(self) -> str:
        return level_of(self.area)

    def with_area(self, code: str) -> ViewState:
        """Select another area; the map shows its children (or the villages around a village)."""
        return replace(self, area=code, level=MAP_LEVELS_FOR[level_of(code)][0])


DEFAULT = ViewState()


def _one(query: Mapping[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    if not values:
        return None
    value = values[0].strip()
    return value if value and len(value) <= _MAX_TEXT and value.isprintable() else None


# Query keys whose value must be one of a known list (key, ViewState field, allowed values),
# and on/off switches ('1' = on).
_CHOICES = (
    ("metric", "metric", METRICS),
    ("plan", "plan", PLAN_LEVELS),
    ("source", "source", FUNDING_SOURCES),
    ("cls", "classes", CLASS_METHODS),
    ("lang", "lang", LANGS),
    ("rank", "rank", RANKINGS),
    ("view", "view", VIEWS),
)
_FLAGS = (("cmp", "compare"), ("tiles", "tiles"))


def parse(search: object) -> ViewState:
    """The state in a query string ('?area=37&metric=gap…'); whatever is malformed is ignored.
    The browser posts it, so it may be anything: a value that is not a short enough string is
    no query; a value with NUL or another unprintable character is no value."""
    if not isinstance(search, str) or len(search) > MAX_SEARCH:
        return DEFAULT
    try:
        query = parse_qs(search.lstrip("?"), keep_blank_values=False, max_num_fields=40)
    except ValueError:
        return DEFAULT
    state = DEFAULT
    area = _one(query, "area")
    if area and AREA_CODE.match(area):
        state = state.with_area(area)
    level = _one(query, "level")
    if level in MAP_LEVELS_FOR[state.area_level]:
        state = replace(state, level=level)
    for key, field, allowed in _CHOICES:
        value = _one(query, key)
        if key == "metric" and value in METRIC_ALIASES:
            value = METRIC_ALIASES[value]
        if value in allowed:
            state = replace(state, **{field: value})
    for key, field in _FLAGS:
        if _one(query, key) == "1":
            state = replace(state, **{field: True})
    fy = _one(query, "fy")
    if fy and _YEAR.match(fy):
        state = replace(state, fy=int(fy))
    sector = _one(query, "sector")
    if sector:
        state = replace(state, sector=sector)
    agency = _one(query, "agency")
    if agency and _INT.match(agency):
        state = replace(state, agency=int(agency))
    item = _one(query, "item")
    if item and _INT.match(item) and 0 < int(item) <= ID_MAX:
        state = replace(state, item=int(item))
    other = _one(query, "vs")
    if other and AREA_CODE.fullmatch(other) and other != state.area:
        state = replace(state, other=other)
    return state


def asked_other(search: object) -> str | None:
    """The comparison area a link asks for (``vs``), as written (at most 20 characters), whether
    or not it fits: the page says when it was ignored."""
    if not isinstance(search, str) or len(search) > MAX_SEARCH:
        return None
    try:
        value = _one(parse_qs(search.lstrip("?"), max_num_fields=40), "vs")
    except ValueError:
        return None
    return value[:20] if value else None


def to_search(state: ViewState, defaults: tuple[str, int | None, str] | None = None) -> str:
    """The canonical query string of a state (defaults left out, so links stay short).
    ``defaults`` are the data's plan level and metric for the state's year
    (``Options.default_view(None, fy, None)``); without them the fixed ones (province, gap)."""
    plan_default, _year, metric_default = defaults or _fixed_defaults(None, None, None)
    pairs: list[tuple[str, str]] = []
    if state.area != DEFAULT.area:
        pairs.append(("area", state.area))
    if state.level != MAP_LEVELS_FOR[state.area_level][0]:
        pairs.append(("level", state.level))
    for key, value, default in (
        ("metric", state.metric, metric_default),
        ("plan", state.plan, plan_default),
        ("cls", state.classes, DEFAULT.classes),
        ("rank", state.rank, DEFAULT.rank),
        ("lang", state.lang, DEFAULT.lang),
    ):
        if value is not None and value != default:
            pairs.append((key, value))
    if state.fy is not None:
        pairs.append(("fy", str(state.fy)))
    if state.sector is not None:
        pairs.append(("sector", state.sector))
    if state.agency is not None:
        pairs.append(("agency", str(state.agency)))
    if state.source is not None:
        pairs.append(("source", state.source))
    if state.compare:
        pairs.append(("cmp", "1"))
    if state.tiles:
        pairs.append(("tiles", "1"))
    if state.view != DEFAULT.view:
        pairs.append(("view", state.view))
    if state.item is not None:
        pairs.append(("item", str(state.item)))
    if state.other is not None:
        pairs.append(("vs", state.other))
    return "?" + urlencode(pairs) if pairs else ""


DefaultView = Callable[[str | None, int | None, str | None], tuple[str, int | None, str]]


def _fixed_defaults(plan: str | None, fy: int | None, metric: str | None) -> tuple[str, int | None, str]:
    return plan or "province", fy, metric or "gap"


def validate(
    state: ViewState,
    *,
    area_exists: bool,
    fiscal_years: Collection[int],
    sectors: Collection[str],
    agency_ids: Collection[int],
    item_exists: bool = True,
    other_exists: bool = True,
    default_year: int | None = None,
    default_view: DefaultView = _fixed_defaults,
) -> ViewState:
    """Replace what the database does not know: an unknown area → the national view; a fiscal
    year not loaded → ``default_year`` (else the latest); an unknown sector or agency → no
    filter; an unknown plan item → none traced. What the link leaves open (fiscal year, plan
    level, metric) comes from ``default_view`` (``Options.default_view``: from the data)."""
    if not area_exists:
        state = replace(state, area="TH", level=DEFAULT.level)
    years = sorted(fiscal_years)
    if state.fy is not None and state.fy not in years:
        state = replace(state, fy=None)
    plan, fy, metric = default_view(state.plan, state.fy, state.metric)
    state = replace(state, plan=plan, fy=fy, metric=metric)
    if state.fy not in years:
        fallback = default_year if default_year in years else (years[-1] if years else None)
        state = replace(state, fy=fallback)
    if state.sector is not None and state.sector not in sectors:
        state = replace(state, sector=None)
    if state.agency is not None and state.agency not in agency_ids:
        state = replace(state, agency=None)
    if state.item is not None and not item_exists:
        state = replace(state, item=None)
    if state.other is not None and (not other_exists or state.other == state.area):
        state = replace(state, other=None)
    return state


# The query keys a link may carry, and the ViewState field each one sets.
_FIELDS = {
    "area": "area",
    "level": "level",
    "metric": "metric",
    "plan": "plan",
    "fy": "fy",
    "sector": "sector",
    "agency": "agency",
    "source": "source",
    "cmp": "compare",
    "cls": "classes",
    "lang": "lang",
    "tiles": "tiles",
    "rank": "rank",
    "view": "view",
    "item": "item",
}


def ignored(search: object, state: ViewState, skip: Collection[str] = ()) -> list[str]:
    """What of a link (``search``) the view shown (``state``, parsed and validated) did not use:
    'metric=nope', 'fy=2400' … in the link's order; keys in ``skip`` are not reported (an area
    outside the reader's scope is said by its own notice). Values are shortened to 40 characters."""
    if not isinstance(search, str) or not search.strip("?"):
        return []
    if len(search) > MAX_SEARCH:
        return ["…"]
    try:
        query = parse_qs(search.lstrip("?"), keep_blank_values=True, max_num_fields=40)
    except ValueError:
        return ["…"]
    out = []
    for key, values in query.items():
        if key not in _FIELDS or key in skip or not values:
            continue
        value = values[0].strip()
        have = getattr(state, _FIELDS[key])
        if key == "metric":
            used = METRIC_ALIASES.get(value, value) == have
        elif key in ("cmp", "tiles"):
            used = value in ("", "0", "1") and (value == "1") == have
        else:
            used = value == ("" if have is None else str(have))
        if not used:
            out.append(f"{key}={value[:40]}" + ("…" if len(value) > 40 else ""))
    return out
