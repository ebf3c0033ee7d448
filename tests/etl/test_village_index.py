"""The village index, and the locator with it, on the national village list (2022).

The index is built once per module from ``muban_derived.csv.gz`` (75,274 rows, < 1 s) and one
real rename from the raw XML's history (37010409 บ้านดอนก่อ, formerly บ้านก่อนาดี, 2020-06-11).
Texts are ThaiME proposal titles (thaime 2020, the province column as ``province``) or made from
them; each expected code is checked against the list's name or number.
"""

from __future__ import annotations

import csv
import gzip

import pytest

from etl.locate import PENALTY, Locator
from etl.village_index import VillageIndex
from tests.helpers import shared_data_dir

FORMER = [("37010409", "บ้านก่อนาดี")]


@pytest.fixture(scope="module")
def index() -> VillageIndex:
    path = shared_data_dir() / "villages" / "muban_list_2022" / "muban_derived.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        rows = [(r["muban_code"], r["name_th"], not r["obsolete"]) for r in csv.DictReader(fh)]
    return VillageIndex.from_rows(rows, FORMER)


@pytest.fixture(scope="module")
def plain() -> Locator:
    return Locator()


@pytest.fixture(scope="module")
def locator(index: VillageIndex) -> Locator:
    return Locator(villages=index)


# --------------------------------------------------------------------------- the index


def test_index_from_rows(index: VillageIndex) -> None:
    assert len(index) == 75_274
    assert index.village("41110505").name_th == "บ้านโนนหอม"  # type: ignore[union-attr]
    assert index.village("10190410").current is False  # type: ignore[union-attr]  # Bangkok's former หมู่
    assert index.village("41110525") is None
    assert index.has_tambon("411105") and not index.has_tambon("103701")  # แขวงทุ่งพญาไท: no หมู่บ้าน


def test_match_exact_typo_former_and_ambiguous(index: VillageIndex) -> None:
    exact = index.match("411105", "บ้านโนนหอม  ตำบลอ้อมกอ")
    assert exact is not None and exact.codes == ("41110505",) and exact.how == "exact"
    no_tone = index.match("500708", "บ้านมวงคำ")  # ม่วงคำ without its tone mark
    assert no_tone is not None and no_tone.codes == ("50070803",) and no_tone.how == "fuzzy"
    typo = index.match("400506", "บ้านห้วยบอง")
    assert typo is not None and typo.codes == ("40050606",) and typo.how == "fuzzy"
    assert index.match("400506", "บ้านห้วยยาง") is None  # not ห้วยยอด: another name, not a typo
    former = index.match("370104", "บ้านก่อนาดี")
    assert former is not None and former.codes == ("37010409",) and former.how == "former"
    shared = index.match("370104", "บ้านปลาค้าว")
    assert shared is not None and shared.codes == ("37010401", "37010402", "37010403", "37010410")
    assert index.match("411105", "บ้านไม่มีในรายชื่อ") is None
    assert index.match("999999", "บ้านโนนหอม") is None


def test_from_rows_skips_bad_codes_and_unknown_former_names() -> None:
    index = VillageIndex.from_rows(
        [("41110505", "บ้านโนนหอม", True), ("411105", "ตำบล", True), ("41110500", "x", True)],
        [("41110505", "บ้านโนนหอมเก่า"), ("41110599", "บ้านอื่น")],
    )
    assert len(index) == 1
    assert index.match("411105", "บ้านโนนหอมเก่า").how == "former"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- the locator with it


def test_village_by_name_in_a_known_tambon(plain: Locator, locator: Locator) -> None:
    text = "โครงการก่อสร้างฝายน้ำล้นคอนกรีตเสริมเหล็ก  ลำห้วยม่วง  บ้านโนนหอม  ตำบลอ้อมกอ  อำเภอบ้านดุง  จังหวัดอุดรธานี"
    assert plain.locate(text, province="อุดรธานี").code == "411105"
    found = locator.locate(text, province="อุดรธานี")
    assert (found.code, found.precision) == ("41110505", "village")
    assert "village by name บ้านโนนหอม" in found.note
    assert found.confidence == PENALTY["village by name"]


def test_village_by_name_with_a_typo_and_a_former_name(locator: Locator) -> None:
    typo = locator.locate("ก่อสร้างลำเหมือง บ้านมวงคำ ตำบลโป่งแยง อำเภอแม่ริม", province="เชียงใหม่")
    assert typo.code == "50070803" and "typo มวงคำ→ม่วงคำ" in typo.note
    assert typo.confidence < PENALTY["village by name"]
    renamed = locator.locate("ขุดลอกหนองสาธารณะ บ้านก่อนาดี ตำบลปลาค้าว อำเภอเมืองอำนาจเจริญ", province="อำนาจเจริญ")
    assert renamed.code == "37010409" and "former name" in renamed.note


def test_village_name_shared_in_the_tambon_is_not_guessed(locator: Locator) -> None:
    found = locator.locate("ปรับปรุงถนน บ้านปลาค้าว ตำบลปลาค้าว อำเภอเมืองอำนาจเจริญ", province="อำนาจเจริญ")
    assert found.code == "370104" and "ambiguous village บ้านปลาค้าว" in found.note


def test_number_and_name_disagree_keeps_the_number(locator: Locator) -> None:
    text = "ก่อสร้างฝายน้ำล้น หมู่ที่ 3 บ้านโนนหอม ตำบลอ้อมกอ อำเภอบ้านดุง จังหวัดอุดรธานี"
    found = locator.locate(text, province="อุดรธานี")
    assert found.code == "41110503"  # หมู่ที่ 3 is บ้านโคกคำไหล in the list
    assert "หมู่ที่ 3 is บ้านโคกคำไหล in the village list, not บ้านโนนหอม" in found.note
    assert found.confidence == PENALTY["village disagrees"]
    agree = locator.locate(text.replace("หมู่ที่ 3", "หมู่ที่ 5"), province="อุดรธานี")
    assert (agree.code, agree.confidence, agree.note) == ("41110505", 1.0, "")


def test_number_missing_from_the_list(plain: Locator, locator: Locator) -> None:
    # Real title: the list's บ้านห้วยบง is หมู่ที่ 6; there is no หมู่ที่ 16 in หนองไผ่.
    text = (
        "โครงการขุดลอกแหล่งน้ำลำห้วยสาธารณะประโยชน์  บ้านห้วยบง  หมู่ที่ 16  ตำบลหนองไผ่  อำเภอชุมแพ  "
        "จังหวัดขอนแก่น  ปริมาตรดินขุดไม่น้อยกว่า  10,300  ลบ.ม."
    )
    assert plain.locate(text, province="ขอนแก่น").code == "40050616"
    found = locator.locate(text, province="ขอนแก่น")
    assert found.code == "40050606" and "บ้านห้วยบง is หมู่ที่ 6 in the village list" in found.note
    # No name to go by: the tambon, not an invented village.
    bare = locator.locate("ขุดลอกลำห้วย หมู่ที่ 16 ตำบลหนองไผ่ อำเภอชุมแพ", province="ขอนแก่น")
    assert (bare.code, bare.precision) == ("400506", "tambon")
    assert "no หมู่ที่ 16 in tambon 400506 in the village list" in bare.note
    listed = locator.locate("ขุดลอกลำห้วย หมู่ที่ 3,16 ตำบลหนองไผ่ อำเภอชุมแพ", province="ขอนแก่น")
    assert (listed.code, listed.others) == ("40050603", ())


def test_road_between_two_villages_by_name(plain: Locator, locator: Locator) -> None:
    text = (
        "ซ่อมสร้างผิวทางแอสฟัลติกคอนกรีตโดยวิธี Pavement In-Place Recycling สายบ้านใหม่-บ้านหว้าน ตำบลตระแสง อำเภอเมือง จังหวัดสุรินทร์"
    )
    assert plain.locate(text, province="สุรินทร์").code == "320122"
    found = locator.locate(text, province="สุรินทร์")
    assert (found.code, found.others, found.ends) == ("32012203", ("32012204",), ("32012204",))


def test_without_an_index_numbers_are_trusted_as_before(plain: Locator) -> None:
    found = plain.locate("หมู่ที่ 3 บ้านโนนหอม ตำบลอ้อมกอ อำเภอบ้านดุง", province="อุดรธานี")
    assert (found.code, found.confidence, found.note) == ("41110503", 1.0, "")
