"""A deterministic synthetic planning dataset on the real gazetteer (``planmap demo``).

Everything it writes is marked ``is_synthetic`` (villages, organisations, plans, items,
allocations) and the dashboard says so. Where the gazetteer already holds real villages (the
national village list, ``planmap geo villages``) the demo's items use those villages instead
of invented ones; only tambons without any get invented villages. The shape follows the Ministry's process (DESIGN §1):
village needs, some beyond the village's capacity, escalated village → tambon → local →
district → province (→ cluster), province items sent to agencies, some of them put into budget
requests and some funded — tuned so the national funnel resembles FY2559 (7,932 proposed →
2,063 in requests → 1,402 funded). Area-wide items (district-wide, province-wide) are included.

The generator is vectorised with numpy (one seeded Generator, no global state) so the national
size (≈75,000 villages, ≈1,000,000 plan items) builds in about a minute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.areas import LEVEL_BY_LENGTH

SECTORS = (
    "โครงสร้างพื้นฐาน",
    "แหล่งน้ำและการเกษตร",
    "เศรษฐกิจและอาชีพ",
    "สังคมและสาธารณสุข",
    "การศึกษา",
    "ทรัพยากรธรรมชาติและสิ่งแวดล้อม",
    "ความมั่นคงและความปลอดภัย",
    "การท่องเที่ยว",
)
# Title templates per sector; {v} is filled with the place ("หมู่ที่ 3 บ้านหนองบัว").
TEMPLATES = (
    ("ก่อสร้างถนนคอนกรีตเสริมเหล็ก {v}", "ซ่อมแซมถนนลูกรัง {v}", "ติดตั้งไฟฟ้าส่องสว่างทางสาธารณะ {v}", "ก่อสร้างรางระบายน้ำ {v}"),
    ("ขุดลอกลำห้วยสาธารณะ {v}", "ก่อสร้างฝายชะลอน้ำ {v}", "ขยายเขตประปาหมู่บ้าน {v}", "ขุดเจาะบ่อบาดาลเพื่อการเกษตร {v}"),
    ("ส่งเสริมอาชีพกลุ่มแม่บ้าน {v}", "พัฒนาผลิตภัณฑ์ชุมชน {v}", "จัดตั้งตลาดชุมชน {v}"),
    ("ก่อสร้างศูนย์พัฒนาเด็กเล็ก {v}", "ส่งเสริมสุขภาพผู้สูงอายุ {v}", "ปรับปรุงอาคารอเนกประสงค์ {v}"),
    ("ปรับปรุงห้องเรียนโรงเรียน {v}", "จัดซื้อครุภัณฑ์การศึกษา {v}"),
    ("ปลูกป่าชุมชน {v}", "จัดการขยะมูลฝอยชุมชน {v}"),
    ("ติดตั้งกล้องวงจรปิด {v}", "ป้องกันและแก้ไขปัญหายาเสพติด {v}"),
    ("พัฒนาแหล่งท่องเที่ยวชุมชน {v}", "ก่อสร้างลานวัฒนธรรม {v}"),
)
_SYLLABLES = (
    "หนอง",
    "โนน",
    "ดอน",
    "นา",
    "ป่า",
    "ห้วย",
    "โคก",
    "บึง",
    "สระ",
    "ท่า",
    "วัง",
    "ม่วง",
    "แก",
    "ยาง",
    "บัว",
    "ไผ่",
    "ทอง",
    "คำ",
    "แดง",
    "ใหม่",
    "เหนือ",
    "ใต้",
    "หลวง",
    "งาม",
)
AGENCIES = (
    ("กรมทางหลวงชนบท", "กระทรวงคมนาคม"),
    ("กรมชลประทาน", "กระทรวงเกษตรและสหกรณ์"),
    ("กรมส่งเสริมการเกษตร", "กระทรวงเกษตรและสหกรณ์"),
    ("กรมการพัฒนาชุมชน", "กระทรวงมหาดไทย"),
    ("กรมส่งเสริมการปกครองท้องถิ่น", "กระทรวงมหาดไทย"),
    ("กรมอนามัย", "กระทรวงสาธารณสุข"),
    ("กรมทรัพยากรน้ำ", "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    ("กรมการท่องเที่ยว", "กระทรวงการท่องเที่ยวและกีฬา"),
)
SECTOR_AGENCY = (0, 1, 3, 5, 4, 6, 3, 7)  # the agency usually funding each sector

# Shares along the chain, per item at the level.
P_BEYOND = {"village": 0.40, "tambon": 0.55, "local": 0.55, "district": 0.60, "province": 1.0}
P_ESCALATED = 0.75  # of beyond-capacity items, share taken up at the next level
P_IN_REQUEST = 2063 / 7932  # FY2559: province items put into agency budget requests
P_FUNDED = 1402 / 2063  # FY2559: of those, funded
P_LATE_NOTICE = 0.15  # agencies notifying the province later than 30 days
P_OVERLAP = 0.05  # locally funded items an agency funds again (a duplicate)


@dataclass(frozen=True)
class DemoSize:
    name: str
    provinces: tuple[str, ...] | None  # None = all 77
    items_per_village: float
    villages_per_tambon: tuple[int, int] = (5, 16)


SIZES = {
    "tiny": DemoSize("tiny", ("37", "22"), 2.0),
    "small": DemoSize("small", ("10", "22", "30", "37", "50", "84"), 3.0),
    "medium": DemoSize("medium", None, 1.5),
    "national": DemoSize("national", None, 4.3),
}
FISCAL_YEARS = (2568, 2569)


@dataclass(frozen=True)
class DemoData:
    """Frames ready to COPY; ids are local (1…n) and become database ids by adding a base."""

    villages: pd.DataFrame  # code, parent_code, number, name_th, name_en, synthetic (False: a real
    # village of the gazetteer the demo uses, never written by the demo)
    organisations: pd.DataFrame  # id, kind, name_th, area_code, parent_id
    plans: pd.DataFrame  # id, level, area_code, owner_id, fiscal_year, submitted_on
    items: pd.DataFrame  # id, plan_id, item_key, title, sector, area_code, precision,
    # fiscal_year, requested (satang, int64), beyond, escalated_to_id
    allocations: pd.DataFrame  # source_key, fiscal_year, agency_id, funding_source, title, sector,
    # area_code, precision, amount (satang), status, notified_on, item_id


def village_table(
    tambons: pd.DataFrame,
    size: DemoSize,
    rng: np.random.Generator,
    real: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The demo's villages, in code order: a tambon the gazetteer already has current real villages
    for (the national village list, or villages an import named) uses those, codes and names as
    they are (``synthetic`` False); every other tambon gets 5–16 invented หมู่ with invented names.

    ``real`` holds the gazetteer's non-synthetic villages (code, parent_code, name_th, name_en,
    current). Invented numbers start after the highest real one of the tambon (an abolished
    village keeps its code), so an invented code never names a real village. The random draws
    depend only on the tambons that get invented villages, so the table is the same for the same
    seed and database content.
    """
    if real is None:
        real = pd.DataFrame(columns=["code", "parent_code", "name_th", "name_en", "current"])
    real = real[real["parent_code"].isin(tambons["code"])].sort_values("code")
    used = real[real["current"].astype(bool)]
    invent = tambons[~tambons["code"].isin(used["parent_code"])]
    highest = real.groupby("parent_code")["code"].max().str[-2:].astype(int)
    start = invent["code"].map(highest).fillna(0).astype(int).to_numpy()
    lo, hi = size.villages_per_tambon
    counts = np.minimum(rng.integers(lo, hi + 1, len(invent)), 99 - start)
    tambon = np.repeat(invent["code"].to_numpy(), counts)
    number = (
        np.concatenate([np.arange(s + 1, s + c + 1) for s, c in zip(start, counts)])
        if len(counts)
        else np.array([], int)
    )
    a = rng.integers(0, len(_SYLLABLES), len(tambon))
    b = rng.integers(0, len(_SYLLABLES), len(tambon))
    syl = np.array(_SYLLABLES, dtype=object)
    names = "บ้าน" + syl[a] + syl[b]
    invented = pd.DataFrame(
        {
            "code": [f"{t}{n:02d}" for t, n in zip(tambon, number)],
            "parent_code": tambon,
            "number": number,
            "name_th": names,
            "name_en": [f"Village {n} (synthetic)" for n in number],
            "synthetic": True,
        }
    )
    if used.empty:
        return invented
    kept = pd.DataFrame(
        {
            "code": used["code"].to_numpy(),
            "parent_code": used["parent_code"].to_numpy(),
            "number": used["code"].str[-2:].astype(int).to_numpy(),
            "name_th": used["name_th"].to_numpy(),
            "name_en": used["name_en"].to_numpy(),
            "synthetic": False,
        }
    )
    return pd.concat([invented, kept], ignore_index=True).sort_values("code", ignore_index=True)


def _titles(sector: np.ndarray, place: Sequence[str], rng: np.random.Generator) -> np.ndarray:
    pick = rng.random(len(sector))
    out = np.empty(len(sector), dtype=object)
    for s, templates in enumerate(TEMPLATES):
        idx = np.flatnonzero(sector == s)
        choice = (pick[idx] * len(templates)).astype(int)
        for t, template in enumerate(templates):
            sel = idx[choice == t]
            out[sel] = [template.format(v=place[i]) for i in sel]
    return out


def _amounts(rng: np.random.Generator, n: int, median_baht: float, sigma: float = 0.8) -> np.ndarray:
    """Requested amounts in satang, rounded to 1,000 baht (as plans state them)."""
    baht = np.exp(rng.normal(np.log(median_baht), sigma, n))
    return (np.maximum(np.round(baht / 1000), 1) * 1000 * 100).astype(np.int64)


def generate(
    tambons: pd.DataFrame,
    size: DemoSize,
    clusters: dict[str, str],
    seed: int = 2568,
    real_villages: pd.DataFrame | None = None,
) -> DemoData:
    """Build the whole synthetic dataset from the gazetteer's tambons (code, name_th), the
    cluster of each province (province code → cluster code) and the gazetteer's real villages
    (see :func:`village_table`; none: every village is invented)."""
    rng = np.random.default_rng(seed)
    if size.provinces is not None:
        tambons = tambons[tambons["code"].str[:2].isin(size.provinces)]
    tambons = tambons.sort_values("code").reset_index(drop=True)
    villages = village_table(tambons, size, rng, real_villages)
    orgs = _organisations(tambons)
    org_by_area = dict(zip(orgs.loc[orgs["kind"] == "sao", "area_code"], orgs.loc[orgs["kind"] == "sao", "id"]))
    agency_ids = orgs.loc[orgs["kind"] == "agency", "id"].to_numpy()

    plans: list[dict] = []
    frames: list[pd.DataFrame] = []
    allocs: list[pd.DataFrame] = []
    next_item = 1
    for fy in FISCAL_YEARS:
        chain = _Chain(rng, fy, plans, org_by_area)
        v_items = chain.level_items(
            "village",
            villages["code"].to_numpy(),
            villages["code"].to_numpy(),
            _village_places(villages),
            per_area=size.items_per_village,
            median=250_000,
            start=next_item,
        )
        levels = [v_items]
        current = v_items
        for level, widen, median in (
            ("tambon", 6, 600_000),
            ("local", 6, 900_000),
            ("district", 4, 2_000_000),
            ("province", 2, 5_000_000),
        ):
            start = int(levels[-1]["id"].max()) + 1 if len(levels[-1]) else next_item
            up = chain.escalate(current, level, widen, start)
            own_start = int(up["id"].max()) + 1 if len(up) else start
            own = chain.area_wide(level, widen, tambons, median, own_start)
            current = pd.concat([up, own], ignore_index=True)
            levels.append(current)
        current["beyond"] = True  # a province sends every item beyond its own budget to agencies
        levels.append(chain.to_clusters(current, clusters, int(current["id"].max()) + 1))
        items = pd.concat(levels, ignore_index=True)
        next_item = int(items["id"].max()) + 1
        frames.append(items)
        allocs.append(_allocations(items, fy, agency_ids, rng))
    plan_frame = pd.DataFrame(plans)
    return DemoData(
        villages, orgs, plan_frame, pd.concat(frames, ignore_index=True), pd.concat(allocs, ignore_index=True)
    )


def _village_places(villages: pd.DataFrame) -> list[str]:
    """ "หมู่ที่ 3 บ้านหนองบัว"; a village the list gives no name is already called "หมู่ที่ n"."""
    return [
        name if str(name).startswith("หมู่ที่") else f"หมู่ที่ {n} {name}"
        for n, name in zip(villages["number"], villages["name_th"])
    ]


class _Chain:
    """Builds the items of one fiscal year level by level; owns the plan registry for that year."""

    def __init__(self, rng: np.random.Generator, fy: int, plans: list[dict], org_by_area: dict[str, int]):
        self.rng, self.fy, self.plans, self.org_by_area = rng, fy, plans, org_by_area
        self.plan_ids: dict[tuple[str, str], int] = {}

    def plan_id(self, level: str, area: str) -> int:
        key = (level, area)
        if key not in self.plan_ids:
            pid = len(self.plans) + 1
            self.plan_ids[key] = pid
            owner = self.org_by_area.get(area) if level == "local" else None
            submitted, late = _submitted_on(level, self.fy, self.rng)
            self.plans.append(
                {
                    "id": pid,
                    "level": level,
                    "area_code": area,
                    "owner_id": owner,
                    "fiscal_year": self.fy,
                    "submitted_on": submitted,
                    "late": late,
                }
            )
        return self.plan_ids[key]

    def plan_ids_for(self, level: str, areas: np.ndarray) -> np.ndarray:
        return np.array([self.plan_id(level, a) for a in areas], dtype=np.int64)

    def level_items(
        self,
        level: str,
        plan_areas: np.ndarray,
        item_areas: np.ndarray,
        places: Sequence[str],
        per_area: float,
        median: float,
        start: int,
    ) -> pd.DataFrame:
        counts = self.rng.poisson(per_area, len(plan_areas))
        idx = np.repeat(np.arange(len(plan_areas)), counts)
        n = len(idx)
        sector = self.rng.integers(0, len(SECTORS), n)
        titles = _titles(sector, [places[i] for i in idx], self.rng)
        return self._frame(
            level, plan_areas[idx], item_areas[idx], titles, sector, _amounts(self.rng, n, median), start
        )

    def escalate(self, below: pd.DataFrame, level: str, widen: int, start: int) -> pd.DataFrame:
        """Items of ``below`` beyond capacity and taken up: the same need at ``level``."""
        beyond = self.rng.random(len(below)) < P_BEYOND[below["level"].iat[0]] if len(below) else np.array([], bool)
        below["beyond"] = beyond
        taken = beyond & (self.rng.random(len(below)) < P_ESCALATED)
        src = below[taken]
        plan_area = src["area_code"].str[:widen].to_numpy()
        up = self._frame(
            level,
            plan_area,
            src["area_code"].to_numpy(),
            src["title"].to_numpy(),
            src["sector_idx"].to_numpy(),
            src["requested"].to_numpy(),
            start,
        )
        below.loc[taken, "escalated_to_id"] = up["id"].to_numpy()
        return up

    def to_clusters(self, province_items: pd.DataFrame, clusters: dict[str, str], start: int) -> pd.DataFrame:
        """Some province items also appear in their cluster's plan (cross-province projects)."""
        cluster = province_items["area_code"].str[:2].map(clusters)
        taken = cluster.notna().to_numpy() & (self.rng.random(len(province_items)) < 0.08)
        src = province_items[taken]
        up = self._frame(
            "cluster",
            cluster[taken].to_numpy(),
            src["area_code"].to_numpy(),
            src["title"].to_numpy(),
            src["sector_idx"].to_numpy(),
            src["requested"].to_numpy(),
            start,
        )
        province_items.loc[taken, "escalated_to_id"] = up["id"].to_numpy()
        return up

    def area_wide(self, level: str, widen: int, tambons: pd.DataFrame, median: float, start: int) -> pd.DataFrame:
        """Items a level plans for its whole area (district-wide, province-wide …)."""
        if level in ("tambon", "local"):
            return self._frame(
                level,
                np.array([], object),
                np.array([], object),
                np.array([], object),
                np.array([], int),
                np.array([], np.int64),
                start,
            )
        areas = np.unique(tambons["code"].str[:widen].to_numpy())
        name = {"district": "ทั้งอำเภอ", "province": "ทั้งจังหวัด"}[level]
        return self.level_items(level, areas, areas, [name] * len(areas), per_area=2.0, median=median, start=start)

    def _frame(self, level, plan_areas, item_areas, titles, sector, requested, start) -> pd.DataFrame:
        n = len(titles)
        ids = np.arange(start, start + n, dtype=np.int64)
        item_areas = np.asarray(item_areas, dtype=object)
        precision = np.array([LEVEL_BY_LENGTH[len(a)] for a in item_areas], dtype=object)
        return pd.DataFrame(
            {
                "id": ids,
                "plan_id": self.plan_ids_for(level, np.asarray(plan_areas, dtype=object)),
                "level": level,
                "item_key": [f"demo-{self.fy}-{i}" for i in ids],
                "title": titles,
                "sector_idx": sector,
                "area_code": item_areas,
                "precision": precision,
                "fiscal_year": self.fy,
                "requested": requested,
                "beyond": False,
                "escalated_to_id": pd.array([pd.NA] * n, dtype="Int64"),
            }
        )


# The default planning calendar (mirrors migration 0007): months of each level's window, in the
# calendar year FY − 543 − 2 (CE).
DEMO_WINDOWS = {
    "village": (1, 2),
    "tambon": (3, 5),
    "local": (3, 5),
    "district": (4, 5),
    "province": (7, 9),
    "cluster": (7, 9),
}
P_LATE_PLAN = 0.10  # plans submitted after their window closed


def _submitted_on(level: str, fy: int, rng: np.random.Generator) -> tuple[dt.date, bool]:
    """A submission date inside the level's window, or (for about 10%) 5–45 days after it."""
    year = fy - 543 - 2
    start, end = DEMO_WINDOWS[level]
    window_end = dt.date(year + (end == 12), end % 12 + 1, 1) - dt.timedelta(days=1)
    if rng.random() < P_LATE_PLAN:
        return window_end + dt.timedelta(days=int(rng.integers(5, 46))), True
    first = dt.date(year, start, 1)
    return first + dt.timedelta(days=int(rng.integers(0, (window_end - first).days + 1))), False


def _organisations(tambons: pd.DataFrame) -> pd.DataFrame:
    rows = []
    ministries = sorted({m for _, m in AGENCIES})
    for m in ministries:
        rows.append({"kind": "ministry", "name_th": m, "area_code": None, "parent": None})
    for name, ministry in AGENCIES:
        rows.append({"kind": "agency", "name_th": name, "area_code": None, "parent": ministry})
    for code, name in zip(tambons["code"], tambons["name_th"]):
        rows.append({"kind": "sao", "name_th": f"องค์การบริหารส่วนตำบล{name}", "area_code": code, "parent": None})
    frame = pd.DataFrame(rows)
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    id_by_name = dict(
        zip(frame.loc[frame["kind"] == "ministry", "name_th"], frame.loc[frame["kind"] == "ministry", "id"])
    )
    frame["parent_id"] = frame["parent"].map(id_by_name).astype("Int64")
    return frame.drop(columns="parent")


def _allocations(items: pd.DataFrame, fy: int, agency_ids: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Province items sent to agencies: some in budget requests, some of those funded;
    plus local-government funding of some local-plan items kept at their level."""
    prov = items[items["level"] == "province"]
    in_request = rng.random(len(prov)) < P_IN_REQUEST
    funded = in_request & (rng.random(len(prov)) < P_FUNDED)
    req = prov[in_request]
    fund_share = rng.uniform(0.6, 1.0, len(req))
    amount = np.round(req["requested"].to_numpy() * fund_share / 100_000).astype(np.int64) * 100_000
    status = np.where(funded[in_request], "funded", "requested")
    act_day = dt.date(fy - 544, 10, 1)  # the Budget Act takes effect with the fiscal year
    late = rng.random(len(req)) < P_LATE_NOTICE
    delay = np.where(late, rng.integers(31, 90, len(req)), rng.integers(5, 30, len(req)))
    notified = [act_day + dt.timedelta(days=int(d)) if s == "funded" else None for d, s in zip(delay, status)]
    late_notice = late & (status == "funded")
    agency = agency_ids[np.array(SECTOR_AGENCY)[req["sector_idx"].to_numpy()]]
    agency_rows = pd.DataFrame(
        {
            "source_key": [f"demo-alloc-{fy}-{i}" for i in req["id"]],
            "fiscal_year": fy,
            "agency_id": agency,
            "funding_source": "agency",
            "title": req["title"].to_numpy(),
            "sector_idx": req["sector_idx"].to_numpy(),
            "area_code": req["area_code"].to_numpy(),
            "precision": req["precision"].to_numpy(),
            "amount": amount,
            "status": status,
            "notified_on": notified,
            "late_notice": late_notice,
            "item_id": req["id"].to_numpy(),
        }
    )
    local = items[(items["level"] == "local") & items["escalated_to_id"].isna()]
    pick = local[rng.random(len(local)) < 0.35]
    local_rows = pd.DataFrame(
        {
            "source_key": [f"demo-local-{fy}-{i}" for i in pick["id"]],
            "fiscal_year": fy,
            "agency_id": pd.NA,
            "funding_source": "local",
            "title": pick["title"].to_numpy(),
            "sector_idx": pick["sector_idx"].to_numpy(),
            "area_code": pick["area_code"].to_numpy(),
            "precision": pick["precision"].to_numpy(),
            "amount": pick["requested"].to_numpy(),
            "status": "funded",
            "notified_on": None,
            "late_notice": False,
            "item_id": pick["id"].to_numpy(),
        }
    )
    # Overlaps (DESIGN §1, "no duplicated projects in the same area"): an agency funds, in the
    # same tambon and year, a project the local government already funds from its own budget.
    twin = pick[rng.random(len(pick)) < P_OVERLAP]
    overlap_rows = pd.DataFrame(
        {
            "source_key": [f"demo-overlap-{fy}-{i}" for i in twin["id"]],
            "fiscal_year": fy,
            "agency_id": agency_ids[np.array(SECTOR_AGENCY)[twin["sector_idx"].to_numpy()]],
            "funding_source": "agency",
            "title": twin["title"].to_numpy(),
            "sector_idx": twin["sector_idx"].to_numpy(),
            "area_code": twin["area_code"].str[:6].to_numpy(),
            "precision": "tambon",
            "amount": twin["requested"].to_numpy(),
            "status": "funded",
            "notified_on": [act_day + dt.timedelta(days=10)] * len(twin),
            "late_notice": False,
            "item_id": pd.array([pd.NA] * len(twin), dtype="Int64"),
            "overlaps_item": twin["id"].to_numpy(),
        }
    )
    return pd.concat([agency_rows, local_rows, overlap_rows], ignore_index=True)
