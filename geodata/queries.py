"""Read-side queries the dashboard and exports share (SQL in ``geodata/sql``, values bound).

Everything here reads the pre-aggregates (``agg_demand``, ``agg_demand_sector``,
``agg_supply_detail``) and the precomputed web geometry; only the paged item lists read
``plan_items`` / ``allocations``, for one area and with a LIMIT.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal

import psycopg

from geodata.areas import (
    AREA_CODE,
    AREA_LEVELS,
    FUNDING_SOURCES,
    MAP_LEVELS,
    PLAN_LEVELS,
    ancestor_codes,
    current_fiscal_year,
    level_of,
    like_pattern,
)
from geodata.db import query

ZERO = Decimal("0.00")
# Population and need "for the latest year": a fiscal year beyond any count or survey.
LATEST_YEAR = 2700
# The largest rows an item or allocation list sends to the page (the grid shows 50 at a time; a
# search narrows the list, an export has every row).
PAGE_ROWS = 200
# Funded figures (DESIGN §3.6) mean something only where the allocations are linked to plan
# items: below this share of the allocated money linked, a view says "not linked" (§3.7).
LINK_COVERAGE_MIN = 0.5


# --------------------------------------------------------------------------- value objects


@dataclass(frozen=True)
class Filters:
    """What a view is filtered on: demand for one plan level, supply by source and agency."""

    fiscal_year: int
    plan_level: str = "province"
    sector: str | None = None
    agency_id: int | None = None
    funding_source: str | None = None

    def __post_init__(self) -> None:
        if self.plan_level not in PLAN_LEVELS:
            raise ValueError(f"unknown plan level {self.plan_level!r}")
        if self.funding_source is not None and self.funding_source not in FUNDING_SOURCES:
            raise ValueError(f"unknown funding source {self.funding_source!r}")

    def params(self) -> dict[str, object]:
        return {
            "fiscal_year": self.fiscal_year,
            "plan_level": self.plan_level,
            "sector": self.sector,
            "agency_id": self.agency_id,
            "funding_source": self.funding_source,
        }


@dataclass(frozen=True)
class Totals:
    """Demand and supply of one area in one fiscal year (amounts in baht, exact).

    ``funded`` is the linked, item-level figure (an allocation linked to the item or to an item
    it escalated to); ``allocated`` is the money allocated in the area whatever its links, of
    which ``linked_allocated`` is linked to a plan item and ``multi_year`` is this year's
    instalment of multi-year obligations (not the year's new funding). ``linked_requested`` is
    the requested amount of the items a funded allocation reaches."""

    items: int = 0
    requested: Decimal = ZERO
    funded_items: int = 0
    funded: Decimal = ZERO
    allocations: int = 0  # funded allocations (supply filters)
    allocated: Decimal = ZERO
    linked_requested: Decimal = ZERO
    linked_allocated: Decimal = ZERO
    multi_year: Decimal = ZERO

    @property
    def gap(self) -> Decimal:
        return self.requested - self.funded

    @property
    def share_amount(self) -> float | None:
        return float(self.funded / self.requested) if self.requested else None

    @property
    def share_count(self) -> float | None:
        return self.funded_items / self.items if self.items else None

    @property
    def has_data(self) -> bool:
        return bool(self.items or self.allocations)

    def __add__(self, other: Totals) -> Totals:
        return Totals(*(getattr(self, f) + getattr(other, f) for f in _TOTALS_FIELDS))

    def __sub__(self, other: Totals) -> Totals:
        return Totals(*(getattr(self, f) - getattr(other, f) for f in _TOTALS_FIELDS))


_TOTALS_FIELDS = tuple(f.name for f in fields(Totals))  # summed over thousands of areas: no astuple
_COUNT_FIELDS = frozenset({"items", "funded_items", "allocations"})


def sum_totals(many: Iterable[Totals]) -> Totals:
    """The sum of many totals, field by field (a national tambon map adds up 7,425 of them)."""
    rows = list(many)
    return Totals(
        *(sum((getattr(t, f) for t in rows), start=0 if f in _COUNT_FIELDS else ZERO) for f in _TOTALS_FIELDS)
    )


def _totals(row: dict, prefix: str = "") -> Totals:
    """Totals from a query row's columns (``prefix`` 'prev_' for the year before); NULL is zero."""
    get = row.get
    return Totals(
        *(int(get(prefix + f) or 0) if f in _COUNT_FIELDS else (get(prefix + f) or ZERO) for f in _TOTALS_FIELDS)
    )


@dataclass(frozen=True)
class Coverage:
    """How much of the money is linked to plan items (DESIGN §3.7), which decides whether funded
    figures can be shown. ``scope`` says whose money was judged: the area's, or the country's
    when the area has no allocations (an area without money is then truly unfunded)."""

    allocated: Decimal = ZERO
    linked_allocated: Decimal = ZERO
    requested: Decimal = ZERO
    linked_requested: Decimal = ZERO
    scope: str = "area"  # area | country

    @property
    def allocation_share(self) -> float | None:
        return float(self.linked_allocated / self.allocated) if self.allocated else None

    @property
    def request_share(self) -> float | None:
        return float(self.linked_requested / self.requested) if self.requested else None

    @property
    def state(self) -> str:
        """'linked': funded figures mean something; 'not_linked': money is allocated but too
        little of it is linked to plan items; 'no_supply': no allocation loaded for the year."""
        if not self.allocated:
            return "no_supply"
        return "linked" if (self.allocation_share or 0.0) >= LINK_COVERAGE_MIN else "not_linked"

    @property
    def linked(self) -> bool:
        return self.state == "linked"


NEED_DIMENSIONS = ("health", "living", "education", "income", "access")


@dataclass(frozen=True)
class Need:
    """TPMAP need of an area (one survey year): persons surveyed by the จปฐ. basic-minimum-needs
    survey, the "target poor" (fail an indicator and hold a validated welfare card), per
    dimension, and the failures of each of the 31 indicators (None for a cluster's sum)."""

    survey_year_be: int
    households: int
    persons: int
    failing_any: int
    target_poor: int
    poor_health: int
    poor_living: int
    poor_education: int
    poor_income: int
    poor_access: int
    indicator_assessed: tuple[int, ...] = ()
    indicator_failing: tuple[int, ...] = ()

    @property
    def poor_per_1000(self) -> float | None:
        """Target poor per 1,000 persons surveyed (the survey's own denominator)."""
        return 1000 * self.target_poor / self.persons if self.persons else None

    def dimension_share(self, dimension: str) -> float | None:
        """Share (0–1) of persons surveyed who are target poor in ``dimension``."""
        return getattr(self, f"poor_{dimension}") / self.persons if self.persons else None

    def indicator_share(self, number: int) -> float | None:
        """Share (0–1) of those assessed on indicator ``number`` (1–31) who fail it."""
        if len(self.indicator_assessed) < number or not self.indicator_assessed[number - 1]:
            return None
        return self.indicator_failing[number - 1] / self.indicator_assessed[number - 1]


@dataclass(frozen=True)
class Area:
    code: str
    level: str
    name_th: str
    name_en: str | None = None
    population: int | None = None  # registered population of the year nearest the fiscal year
    parent_code: str | None = None
    population_year: int | None = None  # BE year of that count (31 December)
    need: Need | None = None


@dataclass(frozen=True)
class AreaRow:
    """One area of a map view with its totals this year and the year before."""

    code: str
    level: str
    name_th: str
    name_en: str | None
    population: int | None
    drawable: bool  # has web geometry (or, for a village, a point)
    lon: float | None
    lat: float | None
    current: Totals
    previous: Totals
    population_year: int | None = None
    need: Need | None = None
    approximate: bool = False  # a village point placed inside its tambon by planmap, not surveyed


@dataclass(frozen=True)
class Indicators:
    """The manual's indicators (DESIGN §1) for an area and fiscal year."""

    proposed_items: int = 0  # province-plan items
    proposed_amount: Decimal = ZERO
    requested_items: int = 0  # agency allocations (requested or funded) for province items
    requested_amount: Decimal = ZERO
    funded_items: int = 0  # … of which funded
    funded_amount: Decimal = ZERO


@dataclass(frozen=True)
class Summary:
    """What the KPI cards show for the selected area."""

    area: Area
    total: Totals  # the area and everything inside it
    own: Totals  # tagged to exactly this area (area-wide items)
    previous: Totals  # total, the fiscal year before
    indicators: Indicators
    previous_indicators: Indicators
    in_requests: Decimal = ZERO  # allocations with status 'requested' (supply filters)
    coverage: Coverage = field(default_factory=Coverage)


@dataclass(frozen=True)
class Options:
    """What is loaded, nationally: the values the filters may offer and validate against, and
    the inventory the default view and the data notes are chosen from."""

    fiscal_years: tuple[int, ...]
    sectors: tuple[str, ...]
    agencies: tuple[tuple[int, str, str | None], ...]  # id, name_th, name_en
    demand_years: tuple[int, ...] = ()
    demand: tuple[tuple[str, int, int, Decimal], ...] = ()  # plan level, year, items, requested
    supply: tuple[tuple[int, int, Decimal, Decimal], ...] = ()  # year, allocations, amount, linked

    def agency_ids(self) -> set[int]:
        return {a[0] for a in self.agencies}

    def default_year(self, today: dt.date | None = None) -> int | None:
        """The year a view opens on: the begun year with the most plan items (the latest of those
        within a tenth of the most), else the latest begun year with any data. Not simply the
        latest loaded: a budget can carry years far ahead that hold almost nothing."""
        current = current_fiscal_year(today)
        by_year: dict[int, int] = {}
        for _level, year, items, _amount in self.demand:
            by_year[year] = by_year.get(year, 0) + items
        begun = {y: n for y, n in by_year.items() if y <= current}
        if begun:
            most = max(begun.values())
            return max(y for y, n in begun.items() if n >= 0.9 * most)
        for years in (self.demand_years, self.fiscal_years):
            started = [y for y in years if y <= current]
            if started:
                return max(started)
        return max(self.fiscal_years) if self.fiscal_years else None

    def default_plan(self, fiscal_year: int | None) -> str:
        """The plan level a view opens on: the provincial plan when it has items that year, else
        the level with the most items that year (the 2020 loan proposals are local plans)."""
        levels = {level: items for level, year, items, _ in self.demand if year == fiscal_year and items}
        if not levels or "province" in levels:
            return "province"
        return max(levels, key=lambda level: (levels[level], -PLAN_LEVELS.index(level)))

    def default_plan_year(self, plan: str, today: dt.date | None = None) -> int | None:
        """The latest begun year with items of ``plan`` (a link that names only the plan level)."""
        current = current_fiscal_year(today)
        years = [year for level, year, items, _ in self.demand if level == plan and items and year <= current]
        return max(years) if years else self.default_year(today)

    def linked(self, fiscal_year: int | None) -> bool:
        """Whether the year's allocations are linked to plan items enough for funded figures."""
        for year, _n, amount, linked in self.supply:
            if year == fiscal_year:
                return Coverage(amount, linked).linked
        return False

    def default_view(
        self, plan: str | None, fiscal_year: int | None, metric: str | None, today: dt.date | None = None
    ) -> tuple[str, int | None, str]:
        """Fill what a link leaves open from the data: the year and plan level that hold the most,
        and as the metric the unfunded gap only where funding is linked, else the requests, else
        (a year with a budget and no plans) the money allocated."""
        if fiscal_year is None:
            fiscal_year = self.default_plan_year(plan, today) if plan else self.default_year(today)
        plan = plan or self.default_plan(fiscal_year)
        if metric is None:
            demand = any(level == plan and year == fiscal_year and n for level, year, n, _ in self.demand)
            supply = any(year == fiscal_year and n for year, n, _a, _l in self.supply)
            metric = (
                "gap" if self.linked(fiscal_year) and demand else "requested" if demand or not supply else "allocated"
            )
        return plan, fiscal_year, metric


@dataclass(frozen=True)
class DashboardStatus:
    synthetic: bool
    schematic: bool
    fiscal_years: tuple[int, ...]
    boundary_version: str | None
    data_date: dt.datetime | None
    data_version: int = 0


@dataclass(frozen=True)
class Page:
    rows: list[dict] = field(default_factory=list)
    total: int = 0
    # items naming an area of the view but counted once at a wider area (never in ``total``)
    shared: list[dict] = field(default_factory=list)


# --------------------------------------------------------------------------- dashboard reads


def dashboard_status(conn: psycopg.Connection) -> DashboardStatus:
    """Cheap status for the page's poll: synthetic/schematic flags, years, data version."""
    row = conn.execute(query("dash_status")).fetchone()
    return DashboardStatus(
        row["synthetic"],
        row["schematic"],
        tuple(row["fiscal_years"]),
        row["boundary_version"],
        row["data_date"],
        int(row["data_version"]),
    )


def data_version(conn: psycopg.Connection) -> int:
    """How many import runs have loaded data (migration 0023): what cached reads of the loaded
    data are keyed by. It moves when a load or a matching commits, not when a run starts."""
    return int(conn.execute(query("data_version")).fetchone()["version"])


def options(conn: psycopg.Connection) -> Options:
    """Fiscal years, sectors and agencies the filters may offer (and validate against)."""
    row = conn.execute(query("dash_options")).fetchone()
    agencies = row["agencies"]
    if isinstance(agencies, str):
        agencies = json.loads(agencies)
    demand, supply = row["demand"], row["supply"]
    return Options(
        tuple(row["fiscal_years"]),
        tuple(row["sectors"]),
        tuple((int(a[0]), a[1], a[2]) for a in agencies),
        tuple(row["demand_years"]),
        tuple((d[0], int(d[1]), int(d[2]), Decimal(d[3])) for d in demand),
        tuple((int(s[0]), int(s[1]), Decimal(s[2]), Decimal(s[3])) for s in supply),
    )


def areas(conn: psycopg.Connection, codes: Sequence[str], fiscal_year: int | None = None) -> dict[str, Area]:
    """Areas by code (unknown codes are simply absent), with the population and need that go
    with ``fiscal_year`` (the latest when None)."""
    rows = conn.execute(
        query("dash_areas"), {"codes": list(codes), "fiscal_year": fiscal_year or LATEST_YEAR}
    ).fetchall()
    return {
        r["code"]: Area(
            r["code"],
            r["level"],
            r["name_th"],
            r["name_en"],
            r["population"],
            r["parent_code"],
            r["population_year"],
            _need(r),
        )
        for r in rows
    }


def area(conn: psycopg.Connection, code: str, fiscal_year: int | None = None) -> Area | None:
    if not isinstance(code, str) or not AREA_CODE.match(code):
        return None
    return areas(conn, [code], fiscal_year).get(code)


def _need(row: dict) -> Need | None:
    if row.get("need_year") is None:
        return None
    return Need(
        row["need_year"],
        *(int(row[f]) for f in ("households", "persons", "failing_any", "target_poor")),
        *(int(row[f"poor_{d}"]) for d in NEED_DIMENSIONS),
        tuple(row["indicator_assessed"] or ()),
        tuple(row["indicator_failing"] or ()),
    )


def cluster_of(conn: psycopg.Connection, province: str, fiscal_year: int) -> str | None:
    row = conn.execute(query("dash_cluster_of"), {"province": province, "fiscal_year": fiscal_year}).fetchone()
    return row["code"] if row else None


def cluster_members(conn: psycopg.Connection, cluster: str, fiscal_year: int) -> list[str]:
    return [
        r["code"]
        for r in conn.execute(
            query("dash_cluster_members"), {"cluster": cluster, "fiscal_year": fiscal_year}
        ).fetchall()
    ]


def breadcrumbs(conn: psycopg.Connection, code: str, fiscal_year: int) -> list[Area]:
    """The selected area and the areas above it, widest first (a province's cluster included)."""
    chain = ancestor_codes(code)
    if len(code) >= 2 and not code.startswith(("C", "T")):
        cluster = cluster_of(conn, code[:2], fiscal_year)
        if cluster:
            chain.insert(1, cluster)
    found = areas(conn, chain)
    return [found[c] for c in chain if c in found]


def children(
    conn: psycopg.Connection, parent: str, level: str, filters: Filters, *, previous: bool = True, supply: bool = True
) -> list[AreaRow]:
    """The areas of ``level`` inside ``parent`` ('TH' = the whole country; a cluster = its
    member provinces that fiscal year) with their totals this year and (``previous``) the year
    before; funded allocations (``supply``) are read only when asked for."""
    if level not in AREA_LEVELS[1:]:
        raise ValueError(f"unknown area level {level!r}")
    parent_level = level_of(parent)
    cluster = parent if parent_level == "cluster" else None
    prefix = "%" if parent_level in ("country", "cluster") else parent + "%"
    rows = conn.execute(
        query("dash_children"),
        {
            **filters.params(),
            "level": level,
            "prefix": prefix,
            "cluster": cluster,
            "previous_year": filters.fiscal_year - 1 if previous else filters.fiscal_year,
            "with_supply": supply,
        },
    ).fetchall()
    empty = Totals()
    return [
        AreaRow(
            r["code"],
            r["level"],
            r["name_th"],
            r["name_en"],
            r["population"],
            bool(r["drawable"]),
            r["lon"],
            r["lat"],
            _totals(r),
            _totals(r, "prev_") if previous else empty,
            r["population_year"],
            _need(r),
            bool(r["approximate"]),
        )
        for r in rows
    ]


def summary(conn: psycopg.Connection, code: str, filters: Filters) -> Summary | None:
    """Cards of one area: totals and area-wide ('own') totals, the year before, indicators."""
    found = area(conn, code, filters.fiscal_year)
    if found is None:
        return None
    params = {**filters.params(), "code": code}
    demand = conn.execute(query("dash_area_demand"), params).fetchall()
    supply = conn.execute(query("dash_area_supply"), params).fetchall()
    fy = filters.fiscal_year

    def dem(year: int, scope: str, plan_level: str) -> dict:
        for r in demand:
            if r["fiscal_year"] == year and r["scope"] == scope and r["plan_level"] == plan_level:
                return r
        return {}

    def sup(
        year: int,
        scope: str,
        *,
        status: tuple[str, ...] = (),
        source: str | None = None,
        linked: str | None = None,
        rows: list | None = None,
    ) -> tuple[int, Decimal, Decimal, Decimal]:
        """Allocations: count, amount, amount linked to a plan item, amount of multi-year instalments."""
        n, amount, linked_amount, multi = 0, ZERO, ZERO, ZERO
        for r in supply if rows is None else rows:
            if (
                r["fiscal_year"] == year
                and r["scope"] == scope
                and (not status or r["status"] in status)
                and (source is None or r["funding_source"] == source)
                and (linked is None or r["linked_level"] == linked)
            ):
                n += int(r["items"])
                amount += r["amount"]
                linked_amount += r["amount"] if r["linked_level"] else ZERO
                multi += r["amount"] if r["multi_year"] else ZERO
        return n, amount, linked_amount, multi

    def totals(year: int, scope: str) -> Totals:
        row = dem(year, scope, filters.plan_level)
        n, amount, linked_amount, multi = sup(year, scope, status=("funded",), source=filters.funding_source)
        return Totals(
            int(row.get("items") or 0),
            row.get("requested") or ZERO,
            int(row.get("funded_items") or 0),
            row.get("funded") or ZERO,
            n,
            amount,
            row.get("linked_requested") or ZERO,
            linked_amount,
            multi,
        )

    def indicators(year: int) -> Indicators:
        row = dem(year, "total", "province")
        req_n, req_amount, *_ = sup(year, "total", status=("requested", "funded"), source="agency", linked="province")
        fund_n, fund_amount, *_ = sup(year, "total", status=("funded",), source="agency", linked="province")
        return Indicators(
            int(row.get("items") or 0), row.get("requested") or ZERO, req_n, req_amount, fund_n, fund_amount
        )

    total = totals(fy, "total")
    coverage = Coverage(total.allocated, total.linked_allocated, total.requested, total.linked_requested)
    if not total.allocated and code != "TH":
        # No money in the area: judge the links by the country's money (is the area unfunded,
        # or is nothing linked anywhere?).
        national = conn.execute(query("dash_area_supply"), {**params, "code": "TH"}).fetchall()
        _n, amount, linked_amount, _m = sup(
            fy, "total", status=("funded",), source=filters.funding_source, rows=national
        )
        coverage = replace(coverage, allocated=amount, linked_allocated=linked_amount, scope="country")
    return Summary(
        found,
        total,
        totals(fy, "own"),
        totals(fy - 1, "total"),
        indicators(fy),
        indicators(fy - 1),
        sup(fy, "total", status=("requested",), source=filters.funding_source)[1],
        coverage,
    )


def geometry_features(conn: psycopg.Connection, level: str, within: str) -> list[tuple[str, str]]:
    """(code, GeoJSON geometry text) of the web geometry of ``level`` inside ``within``."""
    if level not in MAP_LEVELS:
        raise ValueError(f"unknown map level {level!r}")
    if not AREA_CODE.match(within) or within.startswith("C"):
        raise ValueError(f"not an area to cut geometry by: {within!r}")
    prefix = "%" if within == "TH" else within + "%"
    rows = conn.execute(query("dash_geometry"), {"level": level, "prefix": prefix}).fetchall()
    return [(r["code"], r["geojson"]) for r in rows]


def area_bounds(conn: psycopg.Connection, code: str) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of an area's web geometry, or None without geometry."""
    row = conn.execute(query("dash_bounds"), {"code": code}).fetchone()
    return None if row is None else (row["west"], row["south"], row["east"], row["north"])


def _prefixes(conn: psycopg.Connection, code: str, fiscal_year: int) -> list[str]:
    """Code prefixes of the areas inside ``code`` ('' = the whole country; a cluster: itself and
    its member provinces that fiscal year)."""
    if code == "TH":
        return [""]
    if code.startswith("C"):
        return [code, *cluster_members(conn, code, fiscal_year)]
    return [code]


def _ranges(prefixes: Sequence[str]) -> list[dict[str, str]]:
    """Each prefix as the code range [lo, hi) the prefix indexes serve ('' to U+FFFF: all).
    One query per range, with its bounds as values, so the planner sees how narrow it is."""
    return [{"lo": p, "hi": p + "\uffff"} for p in prefixes]


def _largest(pages: list[list[dict]], key: str, limit: int) -> list[dict]:
    rows = [r for page in pages for r in page]
    rows.sort(key=lambda r: (-r[key], r["id"]))
    return rows[:limit]


def plan_items_page(
    conn: psycopg.Connection, code: str, filters: Filters, search: str | None = None, limit: int = PAGE_ROWS
) -> Page:
    """The plan items of an area for the filters, largest first, at most ``limit``; ``total``
    from the pre-aggregates, or counted when a search narrows the list."""
    params = {**filters.params(), "search": like_pattern(search), "limit": limit, "code": code}
    ranges = _ranges(_prefixes(conn, code, filters.fiscal_year))
    rows = _largest(
        [conn.execute(query("dash_items"), {**params, **r}).fetchall() for r in ranges], "requested_amount", limit
    )
    if params["search"] is None:
        total = conn.execute(query("dash_items_total"), params).fetchone()["total"]
    else:
        total = sum(conn.execute(query("dash_items_count"), {**params, **r}).fetchone()["total"] for r in ranges)
    shared = _largest(
        [conn.execute(query("dash_items_shared"), {**params, **r}).fetchall() for r in ranges],
        "requested_amount",
        limit,
    )
    return Page(rows, int(total), shared)


def allocations_page(
    conn: psycopg.Connection, code: str, filters: Filters, search: str | None = None, limit: int = PAGE_ROWS
) -> Page:
    """The allocations of an area for the fiscal year and supply filters, largest first."""
    params = {**filters.params(), "search": like_pattern(search), "limit": limit}
    ranges = _ranges(_prefixes(conn, code, filters.fiscal_year))
    rows = _largest(
        [conn.execute(query("dash_allocations"), {**params, **r}).fetchall() for r in ranges], "amount", limit
    )
    total = sum(conn.execute(query("dash_allocations_count"), {**params, **r}).fetchone()["total"] for r in ranges)
    return Page(rows, int(total))


# --------------------------------------------------------------------------- place search, trend


@dataclass(frozen=True)
class Place:
    """An area the place search can find, with the district and province it lies in (names only)."""

    code: str
    level: str
    name_th: str
    name_en: str | None = None
    district_th: str | None = None
    district_en: str | None = None
    province_th: str | None = None
    province_en: str | None = None


def places(conn: psycopg.Connection) -> list[Place]:
    """Every current area from clusters down to villages (the place search's index; about ten
    thousand rows, read once per data version)."""
    return [Place(**r) for r in conn.execute(query("search_places")).fetchall()]


def trend(conn: psycopg.Connection, code: str, filters: Filters, years: Iterable[int]) -> list[tuple[int, Summary]]:
    """The cards' figures of one area for each of ``years`` (oldest first): :func:`summary` with
    the same filters for each year, so every year's numbers are the cards' numbers. Years the
    area is unknown in are left out."""
    out = []
    for year in sorted(set(years)):
        found = summary(conn, code, replace(filters, fiscal_year=year))
        if found is not None:
            out.append((year, found))
    return out
