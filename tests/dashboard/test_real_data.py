"""The dashboard and its exports on the real files (not the demo): real boundaries, the FY2565
Budget Bill and the 2020 ThaiME proposals, imported with the decisions a planning officer takes
on their data-health findings. What a committee member sees must be true: map + the list beside
it = the cards, to the satang, for requests and allocations; money with no area is listed with its
amount; nothing says "0 % funded" when nothing is linked; the first screen opens where the data
is; the data page names the gaps. Screenshots and a rendered pack page land in tests/artifacts/.
"""

from __future__ import annotations

import io
import subprocess
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import psycopg
import pytest
from pptx import Presentation

from dashboard import ids, shell
from dashboard.app import create_app
from dashboard.context import Context
from dashboard.exports.service import export
from dashboard.metrics import reconcile
from dashboard.pages import compliance, overlaps
from dashboard.pages import data as data_page
from dashboard.pages import map as map_page
from dashboard.state import ViewState
from etl.geoload import load_boundaries
from etl.health import Decisions
from etl.importer import import_budget, import_plans
from etl.locate import Locator
from geodata import queries
from geodata.accounts import EVERYTHING
from geodata.db import connect, open_pool
from geodata.queries import Filters
from geodata.settings import Settings
from tests.browser import chromium, serving, wait_for
from tests.helpers import cluster_settings, dashboard_context

pytestmark = [pytest.mark.real_data, pytest.mark.slow]

DB = {"ok": True, "version": 1}


@pytest.fixture(scope="module")
def real(pg_cluster, shared_data: Path) -> Iterator[Settings]:  # noqa: ANN001 - the session's cluster
    """One database holding the real files, for the read-only tests of this module."""
    from tests.helpers import TEMPLATE

    name = "t_real_data"
    pg_cluster.ensure_database(name, template=TEMPLATE)
    settings = cluster_settings(pg_cluster, name)
    locator = Locator()
    with connect(settings, autocommit=True) as conn:
        load_boundaries(conn, [shared_data / "boundaries"])
        bill = import_budget(
            conn,
            sorted((shared_data / "budget" / "fy2565_kaogeek_napatswift").glob("*.csv.gz")),
            allow_rejects=True,
            locator=locator,
            decisions=Decisions(implausible_years="drop"),
        )
        plans = import_plans(
            conn,
            sorted((shared_data / "plans" / "thaime_2020_loan_proposals" / "raw_by_province").iterdir()),
            level="local",
            allow_rejects=True,
            locator=locator,
            decisions=Decisions(drag_filled_dates="file-year", summary_rows="drop"),
        )
        assert bill.result.status == plans.result.status == "loaded"
    try:
        yield settings
    finally:
        pg_cluster.drop_database(name)


@pytest.fixture(scope="module")
def callbacks(real: Settings) -> Iterator[Context]:
    with dashboard_context(real) as ctx:
        yield ctx


@pytest.fixture()
def conn(real: Settings) -> Iterator[psycopg.Connection]:
    with connect(real) as connection:
        yield connection


def _text(component) -> str:  # noqa: ANN001
    import json

    return json.dumps(
        component.to_plotly_json() if hasattr(component, "to_plotly_json") else component,
        default=str,
        ensure_ascii=False,
    )


def test_first_screen_opens_where_the_data_is(callbacks: Context) -> None:
    out = shell.navigate(callbacks, ids.URL, "")
    assert (out["plan"], out["fy"], out["metric"]) == ("local", 2563, "requested")
    assert out["search"] == "?fy=2563"
    shown = map_page.render_map(callbacks, "?fy=2563", DB)
    fig, notes, ranking, columns, title = (
        shown[k] for k in ("figure", "notes", "ranking", "ranking_columns", "ranking_title")
    )
    text = _text(notes)
    assert "ระดับแผนและปีที่มีข้อมูลมากที่สุด" in text and "พ.ศ. 2565: งบประมาณ 31,605 รายการ" in text
    assert "ยังไม่ได้นำเข้างบประมาณของปีงบประมาณนี้" in text
    assert [c["field"] for c in columns if c["field"] in ("gap", "share")] == []
    assert title.startswith("พื้นที่เรียงตามวงเงินที่เสนอ") and ranking[0]["gap"] is None
    assert fig["data"][1]["locations"]  # provinces coloured by requests


@pytest.mark.parametrize("search", ["?fy=2565&metric=allocated", "?area=40&fy=2563", "?area=10&fy=2565&level=tambon"])
def test_map_plus_list_equals_the_cards_to_the_satang(
    callbacks: Context, conn: psycopg.Connection, search: str
) -> None:
    state = callbacks.resolver.resolve(conn, search, EVERYTHING).state
    filters = Filters(state.fy, state.plan)
    parent = state.area
    rows = queries.children(conn, parent, state.level, filters, previous=False, supply=True)
    summary = queries.summary(conn, parent, filters)
    parts = reconcile(rows, summary.total, summary.own)
    listed = parts["on_map"] + parts["own"] + parts["wider"] + parts["undrawn"]
    assert (listed.items, listed.requested, listed.allocations, listed.allocated) == (
        summary.total.items,
        summary.total.requested,
        summary.total.allocations,
        summary.total.allocated,
    )
    like = "%" if parent == "TH" else parent + "%"
    source = conn.execute(
        "SELECT count(*) AS n, coalesce(sum(amount), 0) AS a FROM allocations"
        " WHERE fiscal_year = %s AND (area_code LIKE %s OR %s = 'TH')",
        [state.fy, like, parent],
    ).fetchone()
    assert (summary.total.allocations, summary.total.allocated) == (source["n"], source["a"])
    items = conn.execute(
        "SELECT count(*) AS n, coalesce(sum(requested_amount), 0) AS a FROM plan_items"
        " WHERE fiscal_year = %s AND (area_code LIKE %s OR %s = 'TH')",
        [state.fy, like, parent],
    ).fetchone()
    assert (summary.total.items, summary.total.requested) == (items["n"], items["a"])
    side = _text(map_page.render_map(callbacks, search, DB)["side"])
    assert f"{summary.total.allocated / 1_000_000:,.2f} ล้านบาท" in side


def test_money_of_no_area_is_listed_with_its_amount(callbacks: Context, conn: psycopg.Connection) -> None:
    national = conn.execute("SELECT sum(amount) AS a, count(*) AS n FROM allocations WHERE area_code = 'TH'").fetchone()
    clusters = conn.execute("SELECT sum(amount) AS a FROM allocations WHERE area_code LIKE 'C%%'").fetchone()
    assert national["a"] > Decimal("2_000_000_000_000")  # 92 % of the Bill names no area below the country
    side = _text(map_page.render_map(callbacks, "?fy=2565&metric=allocated", DB)["side"])
    assert "ไม่ระบุพื้นที่ (ระดับประเทศ หรืองบส่วนกลางของหน่วยงาน)" in side
    assert f"{national['a'] / 1_000_000:,.2f} ล้านบาท" in side and f"{national['n']:,}" in side
    assert "ระดับกลุ่มจังหวัด" in side and f"{clusters['a'] / 1_000_000:,.2f} ล้านบาท" in side


def test_nothing_says_zero_funded_without_links(callbacks: Context, real: Settings, artifacts: Path) -> None:
    cards = map_page.render_summary(callbacks, "?fy=2565&metric=gap", DB)["cards"]
    values = {c.id: c.children[0].children for c in cards}
    assert values["card-funded"] == values["card-gap"] == values["card-share"] == "ยังไม่ได้เชื่อมโยง"
    assert values["card-coverage"] == "0.0%"
    fig = map_page.render_map(callbacks, "?fy=2565&metric=gap&plan=local", DB)["figure"]
    assert "ยังไม่ได้เชื่อมโยง" in fig["data"][1]["colorbar"]["title"]["text"]
    en_cards = _text(map_page.render_summary(callbacks, "?fy=2563&lang=en", DB)["cards"])
    assert "no budget data" in en_cards and "0.0% funded" not in en_cards.lower()
    items = map_page.render_items(callbacks, "?area=40&fy=2563", DB, None)["items"]
    own = [r for r in items if not r.get("shared")]
    assert own and {r["status"] for r in own} == {"ยังไม่ได้เชื่อมโยง"} and own[0]["funded"] is None
    # items naming Khon Kaen among other places are listed after, as shared, never as funded or not
    assert all(r["status"].startswith("ร่วมกับพื้นที่อื่น") for r in items if r.get("shared"))
    with connect(real) as conn:
        state = ViewState(area="40", level="district", fy=2563, plan="local", metric="gap")
        ranking = export(conn, state, "ranking", "csv").data.decode("utf-8-sig")
        assert "ยังไม่ได้รับจัดสรร (บาท)" not in ranking and "สัดส่วนได้รับจัดสรร" not in ranking
        assert "วงเงินที่เสนอ (บาท)" in ranking and "งบที่จัดสรรในพื้นที่ (บาท)" in ranking
        layer = gpd.read_file(io.BytesIO(export(conn, state, "layer", "gpkg").data), layer="district_40")
        assert layer["share_amount"].isna().all() and layer["requested"].notna().any()
        pack = export(conn, state, "pack", "pptx")
        slides = Presentation(io.BytesIO(pack.data)).slides
        kpi = " ".join(s.text_frame.text for s in slides[2].shapes if s.has_text_frame)
        assert "ไม่มีข้อมูลงบประมาณ" in kpi and "0.0%" not in kpi
        sources = " ".join(s.text_frame.text for s in slides[7].shapes if s.has_text_frame)
        assert "ไม่มีเล่ม 3.5, 3.8" in sources  # the data page's gaps, on the sources slide
        pdf = export(conn, state, "pack", "pdf")
        (artifacts / "real-pack-40.pdf").write_bytes(pdf.data)
        for page in (3, 4, 5, 8):
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "60",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-png",
                    "-singlefile",
                    str(artifacts / "real-pack-40.pdf"),
                    str(artifacts / f"real-pack-40-p{page}"),
                ],
                check=True,
            )


def test_compliance_and_overlaps_on_the_real_files(callbacks: Context) -> None:
    head = _text(compliance.render(callbacks, "?fy=2563&view=compliance", DB)["head"])
    assert "ไม่อยู่ในรอบปฏิทินการจัดทำแผนประจำปี" in head and "ส่งแผนล่าช้า" not in head
    notices = _text(compliance.render(callbacks, "?fy=2565&view=compliance", DB)["levels"])
    assert "ไม่มีวันที่หน่วยงานแจ้งจังหวัด" in notices
    pairs = overlaps.render(callbacks, "?fy=2565&view=overlaps", DB)["rows"]
    assert pairs == []


def test_data_page_names_the_gaps(callbacks: Context) -> None:
    page = _text(data_page.render_page(callbacks, "?view=data", DB)["content"])
    assert "ร่าง พ.ร.บ. งบประมาณ 2022.3: ไม่มีเล่ม 3.5, 3.8" in page
    assert "เทียบกันในปีเดียวกันไม่ได้" in page  # plans FY2563, budget FY2565
    assert "231ขอนแก่น" in page and "ตัดออก" in page and "ใช้ปีของไฟล์" in page
    assert "รอการตัดสินใจ" not in page.split("การนำเข้าล่าสุด")[0]  # the held runs were superseded


@pytest.mark.browser
def test_real_screens_in_chromium(real: Settings, artifacts: Path) -> None:
    pool = open_pool(real, wait=True)
    browser = chromium()
    try:
        with pool, serving(create_app(real, pool)) as url:
            browser.set_window_size(1600, 1000)
            for name, query, wait in (
                ("real-first-screen", "", "document.querySelector('#note-inventory')"),
                ("real-fy2565-allocated", "?fy=2565&metric=allocated", "document.querySelector('#card-coverage')"),
                ("real-data-page", "?view=data", "document.querySelector('#data-gaps')"),
            ):
                browser.get(url + query)
                wait_for(browser, wait, timeout=40)
                time.sleep(2.5)
                browser.save_screenshot(str(artifacts / f"{name}.png"))
    finally:
        browser.quit()
