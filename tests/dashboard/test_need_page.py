"""Need against funding, on the tiny demo with the real population and the real TPMAP files of
its provinces: the need metrics equal hand computation from the source CSV, per-capita figures
say their population year, the bivariate classes and the high-need low-funding list follow the
thirds, "no data" stays distinct from zero, and (marked ``browser``) the page in Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from dashboard import need_figures, views
from dashboard.context import Context
from dashboard.figures import source_note
from dashboard.metrics import metric_change, metric_value
from dashboard.pages import need as need_page
from geodata import queries
from geodata.db import connect, open_pool
from geodata.queries import AreaRow, Need, Totals
from geodata.settings import Settings
from tests.browser import chromium, serving, wait_for
from tests.helpers import demo_database

DB = {"ok": True, "version": 1}
FY = 2569
PROVINCE = "37"
NEED = Path("need/tpmap_2561/raw/61")
POPULATION = Path("population/dopa_tambon_2017_2021/population_derived.csv.gz")


@dataclass
class World:
    settings: Settings
    ctx: Context


@pytest.fixture(scope="module")
def world(pg_cluster, demo_template, shared_data: Path, tmp_path_factory) -> Iterator[World]:  # noqa: ANN001
    from etl.need import load_need
    from etl.population import load_population

    folder = tmp_path_factory.mktemp("tpmap") / "61"
    folder.mkdir()
    for source in (shared_data / NEED).iterdir():  # the demo's provinces and the national tables
        if source.name.startswith(("61_37_", "61_22_", "61_province_", "61_country_")):
            shutil.copy(source, folder / source.name)
    from dashboard.auth import OPERATOR

    with demo_database(pg_cluster, "need") as demo:
        with connect(demo) as conn:
            load_population(conn, shared_data / POPULATION, allow_rejects=True)
            load_need(conn, folder)
            conn.commit()
        pool = open_pool(demo, wait=True)
        try:
            yield World(demo, Context(pool, principal=lambda: OPERATOR))
        finally:
            pool.close()


def _need(**counts: int) -> Need:
    base = dict(
        survey_year_be=2561,
        households=100,
        persons=400,
        failing_any=40,
        target_poor=20,
        poor_health=4,
        poor_living=6,
        poor_education=8,
        poor_income=10,
        poor_access=2,
    )
    return Need(**{**base, **counts})


def _row(code: str, need: Need | None, allocated: int, population: int | None) -> AreaRow:
    totals = Totals(allocations=1 if allocated else 0, allocated=Decimal(allocated))
    return AreaRow(code, "district", code, None, population, True, None, None, totals, Totals(), 2564, need)


def test_need_metrics_are_the_survey_figures() -> None:
    need = _need()
    assert metric_value(Totals(), "need_poor", need=need) == pytest.approx(50.0)  # 20 of 400 surveyed, per 1,000
    assert metric_value(Totals(), "need_income", need=need) == pytest.approx(10 / 400)
    assert metric_value(Totals(), "need_poor", need=None) is None  # no survey: no data, not 0
    assert metric_value(Totals(), "need_poor", need=_need(persons=0)) is None
    # one survey, no yearly change to show
    assert metric_change(Totals(), Totals(), "need_poor") is None
    funded = Totals(allocations=2, allocated=Decimal("1500000.00"))
    assert metric_value(funded, "allocated_pc", 3000) == pytest.approx(500.0)
    assert metric_value(funded, "allocated_pc", None) is None


def test_bivariate_thirds_and_the_list_of_high_need_low_funding() -> None:
    rows = [_row(f"37{n:02d}", _need(target_poor=10 * n), 1000 * (10 - n), 1000) for n in range(1, 10)]
    rows.append(_row("3799", None, 5000, 1000))  # no survey: no class, counted as missing
    result = need_figures.bivariate(rows)
    # need rises with n, funding falls with n: the neediest third is the least funded third
    assert result.cells["3709"] == (2, 0) and result.cells["3701"] == (0, 2)
    assert result.cells["3799"] is None and result.without_need == 1
    listed = need_figures.neglected(rows, result)
    assert [d["code"] for d in listed] == ["3709", "3708", "3707"]
    assert listed[0]["need_poor"] == pytest.approx(1000 * 90 / 400)

    # most areas got nothing of their own (0 baht): the tie is the low class, the rest split at their median
    zeros = [_row(f"40{n:02d}", _need(target_poor=n), 0 if n < 7 else 1000 * n, 1000) for n in range(1, 10)]
    cuts = need_figures.bivariate(zeros).funding_cuts
    assert cuts == (0.0, 8.0)

    # no budget loaded at all: funding is unknown, not "low"
    none = need_figures.bivariate([_row(f"41{n:02d}", _need(), 0, 1000) for n in range(1, 5)])
    assert none.no_budget and all(c is None for c in none.cells.values())


def test_the_page_on_the_demo_with_real_need_and_population(world: World, shared_data: Path) -> None:
    out = need_page.render(world.ctx, f"?area={PROVINCE}&fy={FY}&view=need", DB)
    head = str(out["head"])
    assert "2561" in head and "31 ธ.ค. 2564" in head  # the survey year and the population count used
    trace = out["bivariate"]["data"][0]
    assert len(trace["locations"]) == len(trace["z"]) > 0

    # each district's need on the page equals the TPMAP amphur files by hand
    common = pd.read_csv(shared_data / NEED / "61_37_amphur_common.csv.gz", dtype={"amphur_ID": str})
    poor = pd.read_csv(shared_data / NEED / "61_37_amphur_11111.csv.gz", dtype={"amphur_ID": str})
    joined = common.set_index("amphur_ID").join(poor.set_index("amphur_ID").drop(columns="province_ID"))
    by_hand = (1000 * joined["poor.JPT.MOFval.CNT"] / joined["HOUSEMEMBER_CNT"]).to_dict()
    on_page = {
        code: float(text.replace(",", "")) for _name, code, text, _f, _cell in trace["customdata"] if text != "–"
    }
    assert on_page and set(on_page) <= set(by_hand)
    for code, value in on_page.items():
        assert value == pytest.approx(by_hand[code], abs=0.05)  # shown with one decimal

    # the per-capita figure uses the count of 31 Dec 2564 (nearest FY 2569), by hand from the CSV
    population = pd.read_csv(shared_data / POPULATION, dtype={"geocode": str})
    counts = population[population["year"] == 2021].set_index("geocode")["total"]
    with connect(world.settings) as conn:
        rows = queries.children(conn, PROVINCE, "district", queries.Filters(FY, "province"), previous=False)
    row = next(r for r in rows if r.code == "3701")
    assert (row.population, row.population_year) == (int(counts["3701"]), 2564)
    assert metric_value(row.current, "allocated_pc", row.population) == (
        pytest.approx(float(row.current.allocated) / int(counts["3701"])) if row.current.allocations else None
    )
    assert source_note(rows, "allocated_pc") == "ประชากรทะเบียนราษฎร ณ 31 ธ.ค. 2564"

    # the hotspot map says its method and level, and every drawn area has a class
    assert "Getis-Ord Gi*" in str(out["hotspot_note"]) and "0.05" in str(out["hotspot_note"])
    hot = out["hotspots"]["data"][0]
    assert len(hot["z"]) == len(hot["locations"]) == len(trace["locations"])

    # Amnat Charoen's province row carries its survey; the ranking column shows it by hand
    with connect(world.settings) as conn:
        provinces = queries.children(conn, "TH", "province", queries.Filters(FY, "province"))
    ranking = {r["code"]: r for r in views.ranking_rows(provinces, "gap", linked=False)}
    province = pd.read_csv(shared_data / NEED / "61_province_common.csv.gz", dtype={"province_ID": str})
    province_poor = pd.read_csv(shared_data / NEED / "61_province_11111.csv.gz", dtype={"province_ID": str})
    persons = province.set_index("province_ID").loc[PROVINCE, "HOUSEMEMBER_CNT"]
    target = province_poor.set_index("province_ID").loc[PROVINCE, "poor.JPT.MOFval.CNT"]
    assert ranking[PROVINCE]["need_poor"] == pytest.approx(1000 * target / persons)


@pytest.mark.browser
def test_the_need_page_in_chromium(world: World, artifacts: Path) -> None:
    from dashboard.app import create_app

    browser = chromium()
    pool = open_pool(world.settings, wait=True)
    try:
        with pool, serving(create_app(world.settings, pool)) as url:
            browser.set_window_size(1600, 1000)
            browser.get(url + f"?area={PROVINCE}&fy={FY}&view=need")
            wait_for(browser, "document.querySelector('.bv-grid')", timeout=40)
            wait_for(
                browser,
                "[...document.querySelectorAll('.need-page .js-plotly-plot')].every(g => g._fullLayout"
                " && g._fullLayout.map && g._fullLayout.map._subplot && g._fullLayout.map._subplot.map.loaded())",
                timeout=40,
            )
            browser.execute_script("document.querySelector('.need-page').scrollIntoView()")
            browser.save_screenshot(str(artifacts / "need-bivariate-th.png"))
            browser.execute_script(f"document.getElementById('{need_page.ids.HOTSPOT_NOTE}').scrollIntoView()")
            browser.save_screenshot(str(artifacts / "need-hotspots-th.png"))
            text = browser.execute_script("return document.body.innerText")
            assert "จปฐ./TPMAP ปี 2561" in text and "Getis-Ord Gi*" in text
    finally:
        browser.quit()
