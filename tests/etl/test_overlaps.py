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
