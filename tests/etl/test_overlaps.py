"""Overlap detection needs specific shared content: the real Budget Bill's expense-category
labels and standard price-list items bought by several agencies at one address are not
duplicates; the same work in the same village from two sources is."""

from __future__ import annotations

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
