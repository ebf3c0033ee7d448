"""Read-side queries the dashboard and exports share (SQL in ``geodata/sql``, values bound).

Everything here reads the pre-aggregates (``agg_demand``, ``agg_demand_sector``,
``agg_supply_detail``) and the precomputed web geometry; only the paged item lists read
``plan_items`` / ``allocations``, for one area and with a LIMIT.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import psycopg

from geodata.db import query

MAP_LEVELS = ("cluster", "province", "district", "tambon")
AREA_LEVELS = ("country", "cluster", "province", "district", "tambon", "village")
PLAN_LEVELS = ("village", "tambon", "local", "district", "province", "cluster")
FUNDING_SOURCES = ("agency", "province", "cluster", "local", "subsidy", "other")
AREA_CODE = re.compile(r"^(TH|C[0-9]{2}|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{8})$")
_LEVEL_BY_LENGTH = {2: "province", 4: "district", 6: "tambon", 8: "village"}
ZERO = Decimal("0.00")


def level_of(code: str) -> str:
    """The area level a (well-formed) code stands for."""
    if not AREA_CODE.match(code):
        raise ValueError(f"not an area code: {code!r}")
    if code == "TH":
        return "country"
    if code.startswith("C"):
        return "cluster"
    return _LEVEL_BY_LENGTH[len(code)]


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
        return {"fiscal_year": self.fiscal_year, "plan_level": self.plan_level,
                "sector": self.sector, "agency_id": self.agency_id,
                "funding_source": self.funding_source}


@dataclass(frozen=True)
class Totals:
    """Demand and supply of one area in one fiscal year (amounts in baht, exact)."""

    items: int = 0
    requested: Decimal = ZERO
    funded_items: int = 0
    funded: Decimal = ZERO
    allocations: int = 0          # funded allocations (supply filters)
    allocated: Decimal = ZERO

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
        return Totals(self.items + other.items, self.requested + other.requested,
                      self.funded_items + other.funded_items, self.funded + other.funded,
                      self.allocations + other.allocations, self.allocated + other.allocated)

    def __sub__(self, other: Totals) -> Totals:
        return Totals(self.items - other.items, self.requested - other.requested,
                      self.funded_items - other.funded_items, self.funded - other.funded,
                      self.allocations - other.allocations, self.allocated - other.allocated)


def _totals(row: dict, prefix: str = "") -> Totals:
    def get(name: str, default):
        value = row.get(prefix + name)
        return default if value is None else value
    return Totals(int(get("items", 0)), get("requested", ZERO), int(get("funded_items", 0)),
                  get("funded", ZERO), int(get("allocations", 0)), get("allocated", ZERO))


@dataclass(frozen=True)
class Area:
    code: str
    level: str
    name_th: str
    name_en: str | None = None
    population: int | None = None
    parent_code: str | None = None

    def name(self, lang: str = "th") -> str:
        return (self.name_en or self.name_th) if lang == "en" else self.name_th


@dataclass(frozen=True)
class AreaRow:
    """One area of a map view with its totals this year and the year before."""

    code: str
    level: str
    name_th: str
    name_en: str | None
    population: int | None
    drawable: bool                 # has web geometry (or, for a village, a point)
    lon: float | None
    lat: float | None
    current: Totals
    previous: Totals

    def name(self, lang: str = "th") -> str:
        return (self.name_en or self.name_th) if lang == "en" else self.name_th


@dataclass(frozen=True)
class Indicators:
    """The manual's indicators (DESIGN §1) for an area and fiscal year."""

    proposed_items: int = 0            # province-plan items
    proposed_amount: Decimal = ZERO
    requested_items: int = 0           # agency allocations (requested or funded) for province items
    requested_amount: Decimal = ZERO
    funded_items: int = 0              # … of which funded
    funded_amount: Decimal = ZERO


@dataclass(frozen=True)
class Summary:
    """What the KPI cards show for the selected area."""

    area: Area
    total: Totals                      # the area and everything inside it
    own: Totals                        # tagged to exactly this area (area-wide items)
    previous: Totals                   # total, the fiscal year before
    indicators: Indicators
    previous_indicators: Indicators
    in_requests: Decimal = ZERO        # allocations with status 'requested' (supply filters)


@dataclass(frozen=True)
class Options:
    fiscal_years: tuple[int, ...]
    sectors: tuple[str, ...]
    agencies: tuple[tuple[int, str, str | None], ...]   # id, name_th, name_en
    demand_years: tuple[int, ...] = ()

    def agency_ids(self) -> set[int]:
        return {a[0] for a in self.agencies}

    def default_year(self, today: dt.date | None = None) -> int | None:
        """The year a view opens on: the latest with plan items that has begun, else the latest
        begun year with any data. Not simply the latest loaded: the Budget Bill carries
        multi-year obligations (leases) decades ahead, whose years hold almost nothing."""
        today = today or dt.date.today()
        current = today.year + 543 + (1 if today.month >= 10 else 0)  # fiscal year, BE
        for years in (self.demand_years, self.fiscal_years):
            begun = [y for y in years if y <= current]
            if begun:
                return max(begun)
        return max(self.fiscal_years) if self.fiscal_years else None


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


# --------------------------------------------------------------------------- dashboard reads


def dashboard_status(conn: psycopg.Connection) -> DashboardStatus:
    """Cheap status for the page's poll: synthetic/schematic flags, years, data version."""
    row = conn.execute(query("dash_status")).fetchone()
    return DashboardStatus(row["synthetic"], row["schematic"], tuple(row["fiscal_years"]),
                           row["boundary_version"], row["data_date"], int(row["data_version"]))


def options(conn: psycopg.Connection) -> Options:
    """Fiscal years, sectors and agencies the filters may offer (and validate against)."""
    row = conn.execute(query("dash_options")).fetchone()
    agencies = row["agencies"]
    if isinstance(agencies, str):
        agencies = json.loads(agencies)
    return Options(tuple(row["fiscal_years"]), tuple(row["sectors"]),
                   tuple((int(a[0]), a[1], a[2]) for a in agencies), tuple(row["demand_years"]))


def areas(conn: psycopg.Connection, codes: Sequence[str]) -> dict[str, Area]:
    """Areas by code (unknown codes are simply absent)."""
    rows = conn.execute(query("dash_areas"), {"codes": list(codes)}).fetchall()
    return {r["code"]: Area(r["code"], r["level"], r["name_th"], r["name_en"], r["population"],
                            r["parent_code"]) for r in rows}


def area(conn: psycopg.Connection, code: str) -> Area | None:
    if not isinstance(code, str) or not AREA_CODE.match(code):
        return None
    return areas(conn, [code]).get(code)


def cluster_of(conn: psycopg.Connection, province: str, fiscal_year: int) -> str | None:
    row = conn.execute(query("dash_cluster_of"), {"province": province, "fiscal_year": fiscal_year}).fetchone()
    return row["code"] if row else None


def cluster_members(conn: psycopg.Connection, cluster: str, fiscal_year: int) -> list[str]:
    return [r["code"] for r in conn.execute(
        query("dash_cluster_members"), {"cluster": cluster, "fiscal_year": fiscal_year}).fetchall()]


def ancestor_codes(code: str) -> list[str]:
    """The codes above ``code`` by prefix, widest first, the code itself last ('TH' first)."""
    if code == "TH":
        return ["TH"]
    if code.startswith("C"):
        return ["TH", code]
    return ["TH"] + [code[:n] for n in (2, 4, 6, 8) if n <= len(code)]


def breadcrumbs(conn: psycopg.Connection, code: str, fiscal_year: int) -> list[Area]:
    """The selected area and the areas above it, widest first (a province's cluster included)."""
    chain = ancestor_codes(code)
    if len(code) >= 2 and not code.startswith(("C", "T")):
        cluster = cluster_of(conn, code[:2], fiscal_year)
        if cluster:
            chain.insert(1, cluster)
    found = areas(conn, chain)
    return [found[c] for c in chain if c in found]


def children(conn: psycopg.Connection, parent: str, level: str, filters: Filters, *,
             previous: bool = True, supply: bool = True) -> list[AreaRow]:
    """The areas of ``level`` inside ``parent`` ('TH' = the whole country; a cluster = its
    member provinces that fiscal year) with their totals this year and (``previous``) the year
    before; funded allocations (``supply``) are read only when asked for."""
    if level not in AREA_LEVELS[1:]:
        raise ValueError(f"unknown area level {level!r}")
    parent_level = level_of(parent)
    cluster = parent if parent_level == "cluster" else None
    prefix = "%" if parent_level in ("country", "cluster") else parent + "%"
    rows = conn.execute(query("dash_children"), {
        **filters.params(), "level": level, "prefix": prefix, "cluster": cluster,
        "previous_year": filters.fiscal_year - 1 if previous else filters.fiscal_year,
        "with_supply": supply,
    }).fetchall()
    return [AreaRow(r["code"], r["level"], r["name_th"], r["name_en"], r["population"],
                    bool(r["drawable"]), r["lon"], r["lat"], _totals(r), _totals(r, "prev_"))
            for r in rows]


def summary(conn: psycopg.Connection, code: str, filters: Filters) -> Summary | None:
    """Cards of one area: totals and area-wide ('own') totals, the year before, indicators."""
    found = area(conn, code)
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

    def sup(year: int, scope: str, *, status: tuple[str, ...] = (), source: str | None = None,
            linked: str | None = None) -> tuple[int, Decimal]:
        n, amount = 0, ZERO
        for r in supply:
            if (r["fiscal_year"] == year and r["scope"] == scope
                    and (not status or r["status"] in status)
                    and (source is None or r["funding_source"] == source)
                    and (linked is None or r["linked_level"] == linked)):
                n += int(r["items"])
                amount += r["amount"]
        return n, amount

    def totals(year: int, scope: str) -> Totals:
        row = dem(year, scope, filters.plan_level)
        n, amount = sup(year, scope, status=("funded",), source=filters.funding_source)
        return Totals(int(row.get("items") or 0), row.get("requested") or ZERO,
                      int(row.get("funded_items") or 0), row.get("funded") or ZERO, n, amount)

    def indicators(year: int) -> Indicators:
        row = dem(year, "total", "province")
        req_n, req_amount = sup(year, "total", status=("requested", "funded"), source="agency",
                                linked="province")
        fund_n, fund_amount = sup(year, "total", status=("funded",), source="agency", linked="province")
        return Indicators(int(row.get("items") or 0), row.get("requested") or ZERO,
                          req_n, req_amount, fund_n, fund_amount)

    return Summary(found, totals(fy, "total"), totals(fy, "own"), totals(fy - 1, "total"),
                   indicators(fy), indicators(fy - 1),
                   sup(fy, "total", status=("requested",), source=filters.funding_source)[1])


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


def _patterns(conn: psycopg.Connection, code: str, fiscal_year: int) -> list[str]:
    """LIKE patterns of the area codes inside ``code`` (a cluster: its provinces and itself)."""
    if code == "TH":
        return ["%"]
    if code.startswith("C"):
        return [code] + [p + "%" for p in cluster_members(conn, code, fiscal_year)]
    return [code + "%"]


def _search(text: str | None) -> str | None:
    text = (text or "").strip()[:100]
    if not text:
        return None
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def plan_items_page(conn: psycopg.Connection, code: str, filters: Filters,
                    search: str | None = None, limit: int = 500) -> Page:
    """The plan items of an area for the filters, largest first, at most ``limit``."""
    rows = conn.execute(query("dash_items"), {
        **filters.params(), "patterns": _patterns(conn, code, filters.fiscal_year),
        "search": _search(search), "limit": limit,
    }).fetchall()
    return Page(rows, int(rows[0]["total"]) if rows else 0)


def allocations_page(conn: psycopg.Connection, code: str, filters: Filters,
                     search: str | None = None, limit: int = 500) -> Page:
    """The allocations of an area for the fiscal year and supply filters, largest first."""
    rows = conn.execute(query("dash_allocations"), {
        **filters.params(), "patterns": _patterns(conn, code, filters.fiscal_year),
        "search": _search(search), "limit": limit,
    }).fetchall()
    return Page(rows, int(rows[0]["total"]) if rows else 0)
