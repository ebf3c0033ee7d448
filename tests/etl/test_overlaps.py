"""Overlap detection needs specific shared content: the real Budget Bill's expense-category
labels and standard price-list items bought by several agencies at one address are not
duplicates; the same work in the same village from two sources is."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from etl.overlaps import Record, find_overlaps, generic_keys, object_key, sites


def _rec(n: int, title: str, source: str, tambon: str = "103002") -> Record:
    return Record("allocation", n, 2565, tambon, source, title, Decimal(1000), f"a{n}")


VAN = (
    "รถโดยสารขนาด 12 ที่นั่ง (ดีเซล) ปริมาตรกระบอกสูบไม่ต่ำกว่า 2,400 ซีซี หรือกำลังเครื่องยนต์สูงสุดไม่ต่ำกว่า"
    " 90 กิโลวัตต์ {agency} ตำบลตลาดขวัญ อำเภอเมืองนนทบุรี จังหวัดนนทบุรี {n} คัน"
)


def test_category_labels_and_standard_items_are_never_pairs() -> None:
    # Real pairs the first round reported as 100% duplicates (FY2565 Bill, Police vs Comptroller General).
    labels = [_rec(n, "ค่าที่ดินและสิ่งก่อสร้าง", f"agency funding:{350 if n % 2 else 54}") for n in range(6)]
    assert object_key("ค่าที่ดินและสิ่งก่อสร้าง") in generic_keys(labels)
    assert find_overlaps(labels) == []
    vans = [
        _rec(1, VAN.format(agency="กรมสุขภาพจิต", n=5), "agency funding:79", "120101"),
        _rec(2, VAN.format(agency="กรมอนามัย", n=1), "agency funding:88", "120101"),
    ]
    assert sites(vans[0].title) == set()  # "จังหวัดนนทบุรี" names no วัด
    assert find_overlaps(vans) == []


def test_the_same_work_in_the_same_village_is_a_pair() -> None:
    local = Record("plan_item", 1, 2565, "370101", "local plan", "ก่อสร้างถนน คสล. หมู่ที่ 3 บ้านม่วงคำ", Decimal(500000), "i1")
    agency = Record(
        "allocation",
        2,
        2565,
        "370101",
        "agency funding:7",
        "โครงการก่อสร้างถนน คสล. ม.3 บ้านม่วงคำ ตำบลบุ่ง",
        Decimal(480000),
        "a2",
    )
    other_village = Record(
        "allocation", 3, 2565, "370101", "agency funding:8", "ก่อสร้างถนน คสล. หมู่ที่ 5 บ้านนาหว้า", Decimal(480000), "a3"
    )
    pairs = find_overlaps([local, agency, other_village])
    assert [(a.id, b.id) for a, b, _ in pairs] == [(1, 2)]


def _reference(records: list[Record], threshold: float = 0.90) -> list[tuple[int, int, float]]:
    """find_overlaps as first written (every pair of every group scored and tested in turn)."""
    from collections import defaultdict

    from rapidfuzz import fuzz

    from etl.matching import normalise_title

    generic = generic_keys(records)
    groups: dict = defaultdict(list)
    for r in records:
        if object_key(r.title) not in generic:
            groups[(r.fiscal_year, r.tambon_code)].append(r)
    best: dict = {}
    for group in groups.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                score = fuzz.token_sort_ratio(normalise_title(a.title), normalise_title(b.title)) / 100
                if score < threshold or a.chain == b.chain or a.source == b.source:
                    continue
                if not sites(a.title) & sites(b.title):
                    continue
                key = tuple(sorted((a.chain, b.chain)))
                if key not in best or score > best[key][2]:
                    best[key] = (a, b, score)
    ordered = sorted(best.values(), key=lambda t: (t[0].fiscal_year, t[0].tambon_code, -t[2]))
    return [(a.id, b.id, round(s, 4)) for a, b, s in ordered]


def test_find_overlaps_equals_the_pair_by_pair_search() -> None:
    # seeded near-duplicates over a few tambons, sources and chains (some shared): the bulk search
    # (scores filtered in one array operation, sites found once per title) finds the same pairs
    import random

    rng = random.Random(2568)
    works = ["ก่อสร้างถนน คสล.", "ขุดลอกคลอง", "ก่อสร้างฝายกั้นน้ำ", "ปรับปรุงระบบประปา", "ซ่อมแซมถนนลูกรัง"]
    places = ["บ้านม่วงคำ", "บ้านนาหว้า", "คลองแม่ข่า", "วัดป่าแดง"]
    sources = ["local plan", "district plan", "agency funding:7", "agency funding:8", "local funding:-"]
    records = []
    for n in range(600):
        title = f"{rng.choice(works)} หมู่ที่ {rng.randint(1, 4)} {rng.choice(places)}"
        if rng.random() < 0.3:
            title += f" ยาว {rng.randint(100, 999)} เมตร"
        records.append(
            Record(
                rng.choice(["plan_item", "allocation"]),
                n,
                rng.choice([2568, 2569]),
                rng.choice(["370101", "370102", "370103"]),
                rng.choice(sources),
                title,
                Decimal(rng.randint(1, 9) * 100000),
                f"c{rng.randint(0, 250)}",
            )
        )
    found = [(a.id, b.id, round(s, 4)) for a, b, s in find_overlaps(records)]
    assert found and found == _reference(records)


_PAIRS = (
    "SELECT fiscal_year, tambon_code, a_kind, a_id, a_source, a_title, a_amount, b_kind, b_id, b_source, b_title,"
    " b_amount, similarity FROM overlap_pairs"
)
_RECORDS = (
    "SELECT kind, id, fiscal_year, tambon_code, source, title, amount, chain, object_key, path FROM overlap_records"
)


def _state(conn) -> tuple[list, list]:  # noqa: ANN001
    return sorted(map(repr, conn.execute(_PAIRS).fetchall())), sorted(map(repr, conn.execute(_RECORDS).fetchall()))


def test_the_refresh_after_a_load_equals_the_full_refresh(demo_conn) -> None:  # noqa: ANN001
    # seeded loads into the tiny demo near its planted duplicates: new versions of sources with
    # changed titles and places, retired rows, escalations, budget files, a removed source; after
    # each, the list the load left (refreshed where it could change) is the full refresh's, row for row
    import random

    import psycopg

    from etl.load import load_budget, load_plans
    from etl.overlaps import refresh_overlaps
    from etl.records import AsWritten, BudgetRecord, Outcome, Place, PlanRecord
    from etl.sources import remove_source

    conn: psycopg.Connection = demo_conn
    rng = random.Random(2568)
    near = conn.execute(
        "SELECT DISTINCT r.tambon_code, r.fiscal_year, r.title FROM overlap_pairs o"
        " JOIN overlap_records r ON r.kind = o.a_kind AND r.id = o.a_id ORDER BY 1, 2, 3 LIMIT 40"
    ).fetchall()
    assert near, "the demo plants duplicates"
    tambons = sorted({r["tambon_code"] for r in near})
    extra = ["", " หมู่ที่ 3", " บ้านนาหว้า", " ยาว 250 เมตร", " (ต่อเนื่อง)"]

    def title() -> str:
        base = rng.choice(near)["title"]
        return base + rng.choice(extra) if rng.random() < 0.5 else base

    def plans(name: str, n: int, level: str) -> list[PlanRecord]:
        out = []
        for row in range(1, n + 1):
            t, where, amount = title(), rng.choice(tambons), Decimal(rng.randint(1, 90) * 10_000)
            fy = rng.choice(near)["fiscal_year"]
            out.append(
                PlanRecord(
                    f"{name}.xlsx", None, row, f"{name}-{row}", t, amount, fy, Place(where, "tambon", 1.0),
                    where[:2], None, None, None, None, False,
                    f"{name}-{rng.randint(1, row - 1)}" if row > 1 and rng.random() < 0.3 else None,
                    None, AsWritten(t, where, str(amount), str(fy)),
                )
            )  # fmt: skip
        return out

    def budget(name: str, n: int) -> list[BudgetRecord]:
        out = []
        for row in range(1, n + 1):
            t, where = title(), rng.choice(tambons)
            out.append(
                BudgetRecord(
                    f"{name}.xlsx", None, row, f"{name}-{row}", t, Decimal(rng.randint(1, 90) * 10_000),
                    rng.choice(near)["fiscal_year"], Place(where, "tambon", 1.0), f"agency {rng.randint(1, 4)}",
                    None, None, "agency", False,
                )
            )  # fmt: skip
        return out

    def changed(records: list, keep: float) -> list:
        # a new version: some rows kept, some with another title or place, some gone
        out = []
        for r in records:
            roll = rng.random()
            if roll < keep:
                out.append(r)
            elif roll < keep + (1 - keep) / 3:
                t = title()
                written = {"written": AsWritten(t, r.place.code, str(r.amount), "")} if hasattr(r, "written") else {}
                out.append(dataclasses.replace(r, title=t, **written))
            elif roll < keep + 2 * (1 - keep) / 3:
                where = Place(rng.choice(tambons), "tambon", 1.0)
                written = (
                    {"written": AsWritten(r.title, where.code, str(r.amount), "")} if hasattr(r, "written") else {}
                )
                out.append(dataclasses.replace(r, place=where, **written))
        return out

    def check(step: str) -> list:
        after_load = _state(conn)
        with conn.transaction(force_rollback=True):
            refresh_overlaps(conn)
            full = _state(conn)
        assert after_load == full, step
        return after_load[0]

    seen = [check("the demo")]
    versions: dict[str, list] = {}
    for step in range(6):
        for name, level in (("local-a", "local"), ("district-b", "district")):
            versions[name] = changed(versions[name], 0.6) if name in versions else plans(name, 30, level)
            res = load_plans(
                conn, Outcome(records=versions[name]), level=level, source=name, checksum=f"{name}{step}",
                allow_rejects=True, source_of=lambda f: f.removesuffix(".xlsx"),
            )  # fmt: skip
            assert res.status == "loaded", (step, name, res.problems[:3])
            seen.append(check(f"step {step}: {name}"))
        name = f"bill-{step % 2}"
        versions[name] = changed(versions[name], 0.6) if name in versions else budget(name, 25)
        res = load_budget(
            conn, Outcome(records=versions[name]), source=name, checksum=f"{name}{step}", allow_rejects=True,
            source_of=lambda f: f.removesuffix(".xlsx"),
        )  # fmt: skip
        assert res.status == "loaded", (step, name, res.problems[:3])
        seen.append(check(f"step {step}: {name}"))
        if step == 3:
            remove_source(conn, "plans", "local-a", "test")
            versions.pop("local-a")
            seen.append(check("local-a removed"))
    assert len({repr(s) for s in seen}) > len(seen) // 2, "the loads changed the list"
