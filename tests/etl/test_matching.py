"""Matching supply to demand: precision/recall on a labelled set from the demo's ground truth,
and review decisions that survive re-importing the same files."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import geothai
import pandas as pd
import psycopg
import pytest

from etl.demo import SIZES, generate
from etl.importer import import_budget, import_plans
from etl.match_load import run_matching
from etl.matching import AUTO_LINK, REVIEW, Demand, Supply, evaluate, match, normalise_title
from geodata.gazetteer import default_clusters_csv, read_clusters
from geodata.review import decide
from tests.etl.matching_labels import labelled_set


@pytest.fixture(scope="module")
def demo_labels():
    tambons = pd.DataFrame(
        [
            (s.code, s.name_th)
            for p in geothai.provinces()
            for d in geothai.districts(p.code)
            for s in geothai.subdistricts(d.code)
        ],
        columns=["code", "name_th"],
    )
    clusters = {m.province_code: m.cluster_code for m in read_clusters(default_clusters_csv())}
    return labelled_set(generate(tambons, SIZES["small"], clusters))


def test_precision_at_the_automatic_threshold(demo_labels) -> None:
    matches = match(demo_labels.demand, demo_labels.supply)
    for threshold in (REVIEW, 0.8, AUTO_LINK):
        q = evaluate(matches, demo_labels.truth, threshold)
        print(f"threshold {threshold}: precision {q.precision:.3f}, recall {q.recall:.3f} ({q})")
    auto = evaluate(matches, demo_labels.truth, AUTO_LINK)
    assert auto.true_positive > 100
    assert auto.precision >= 0.95
    review = evaluate(matches, demo_labels.truth, REVIEW)
    assert review.recall >= 0.95  # what is not linked automatically is at least offered for review
    assert len(demo_labels.truth) < len(demo_labels.supply)  # distractors exist and must match nothing


def test_places_must_nest_and_years_agree() -> None:
    demand = [Demand(1, 2568, "37010103", "ก่อสร้างถนน คสล. หมู่ที่ 3", Decimal("100000"))]
    same = Supply("a", 2568, "370101", "โครงการก่อสร้างถนน คสล. ม.3 ตำบลบุ่ง", Decimal("90000"))
    elsewhere = Supply("b", 2568, "370201", "ก่อสร้างถนน คสล. หมู่ที่ 3", Decimal("90000"))
    other_year = Supply("c", 2569, "37010103", "ก่อสร้างถนน คสล. หมู่ที่ 3", Decimal("90000"))
    found = match(demand, [same, elsewhere, other_year])
    assert [(m.supply, m.demand) for m in found] == [("a", 1)]
    assert normalise_title("โครงการ ก่อสร้างถนน ม.3 ตำบลบุ่ง") == normalise_title("ก่อสร้างถนน หมู่ที่ 3")


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


PLAN = ["เลขที่อ้างอิง", "ชื่อโครงการ", "วงเงิน", "รหัสพื้นที่", "ปีงบประมาณ"]
BILL = ["ITEM_ID", "MINISTRY", "BUDGETARY_UNIT", "ITEM_DESCRIPTION", "FISCAL_YEAR", "AMOUNT"]


def test_review_decisions_survive_reimports(conn: psycopg.Connection, tmp_path: Path) -> None:
    plans = _csv(
        tmp_path / "province_plan.csv",
        PLAN,
        [
            ["P1", "ก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3 บ้านหนองบัว", "2000000", "37010103", "2568"],
            ["P2", "ขุดลอกลำห้วยสาธารณะ หมู่ที่ 5 บ้านโนนแก", "800000", "37010105", "2568"],
            ["P3", "ก่อสร้างลานกีฬาชุมชน หมู่ที่ 7", "500000", "37010107", "2568"],
        ],
    )
    bill = _csv(
        tmp_path / "bill.csv",
        BILL,
        [
            [
                "B1",
                "กระทรวงมหาดไทย",
                "กรมส่งเสริมการปกครองท้องถิ่น",
                "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3 บ้านหนองบัว ตำบลบุ่ง อำเภอเมืองอำนาจเจริญ จังหวัดอำนาจเจริญ",
                "2025",
                "1,800,000",
            ],
            [
                "B2",
                "กระทรวงเกษตรและสหกรณ์",
                "กรมชลประทาน",
                "ขุดลอกห้วยสาธารณะ ม.5 ตำบลบุ่ง อำเภอเมืองอำนาจเจริญ จังหวัดอำนาจเจริญ",
                "2025",
                "700,000",
            ],
        ],
    )
    assert import_plans(conn, [plans], level="province").result.status == "loaded"
    assert import_budget(conn, [bill]).result.status == "loaded"
    first = run_matching(conn)
    print(first.describe())
    links = {
        r["source_key"]: (r["item_key"], r["match_method"])
        for r in conn.execute(
            "SELECT a.source_key, i.item_key, a.match_method FROM allocations a JOIN plan_items i ON i.id = a.plan_item_id"
        )
    }
    assert links == {"budget-bill:B1:2568": ("P1", "auto")}
    review = conn.execute("SELECT allocation_key, item_key, confidence FROM match_review").fetchall()
    assert [(r["allocation_key"], r["item_key"]) for r in review] == [("budget-bill:B2:2568", "P2")]
    assert REVIEW <= review[0]["confidence"] < AUTO_LINK
    # The officer accepts the suggestion; the link holds after both files are imported again.
    assert decide(conn, "budget-bill:B2:2568", "P2", "accepted", "planning officer") == 1
    import_plans(conn, [plans], level="province")
    import_budget(conn, [bill])
    run_matching(conn)
    after = {
        r["source_key"]: (r["item_key"], r["match_method"])
        for r in conn.execute(
            "SELECT a.source_key, i.item_key, a.match_method FROM allocations a JOIN plan_items i ON i.id = a.plan_item_id"
        )
    }
    assert after == {"budget-bill:B1:2568": ("P1", "auto"), "budget-bill:B2:2568": ("P2", "reviewed")}
    assert conn.execute("SELECT count(*) AS n FROM match_review").fetchone()["n"] == 0
    # A rejected automatic match is never linked again.
    conn.execute("INSERT INTO match_review SELECT 'budget-bill:B1:2568', 'province', '37', 2568, 'P1', 0.95, 0.95")
    assert decide(conn, "budget-bill:B1:2568", "P1", "rejected", "planning officer") == 1
    run_matching(conn)
    final = conn.execute("SELECT source_key FROM allocations WHERE plan_item_id IS NOT NULL ORDER BY 1").fetchall()
    assert [r["source_key"] for r in final] == ["budget-bill:B2:2568"]
