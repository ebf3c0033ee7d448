"""The dashboard in a real headless Chromium (1400×1000, a projector-like window): drill from the
country to a village with real clicks on the map and back with the breadcrumbs; change metric,
plan level, year and language; reload a shared link and get the same view; database down.
Screenshots are saved in tests/artifacts/ for people to look at."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from selenium.webdriver.common.action_chains import ActionChains

from dashboard.app import create_app
from etl.demo_load import load_demo
from etl.geoload import load_boundaries
from geodata.db import open_pool
from geodata.settings import Settings, load_settings
from tests.browser import chromium, serving, wait_for

pytestmark = pytest.mark.browser

GD = "document.querySelector('#map .js-plotly-plot')"
MAP_DRAWN = (
    f"{GD} && {GD}.data && {GD}.data.length && {GD}._fullLayout.map"
    f" && {GD}._fullLayout.map._subplot && {GD}._fullLayout.map._subplot.map.loaded()"
)


@pytest.fixture()
def browser():
    driver = chromium()
    yield driver
    driver.quit()


@contextmanager
def _dashboard(settings: Settings) -> Iterator[str]:
    pool = open_pool(settings, wait=True)
    with pool, serving(create_app(settings, pool)) as url:
        yield url


def _locations(browser) -> list[str]:
    return browser.execute_script(f"return {GD}.data.flatMap(t => t.locations || t.ids || []);")


def _wait_view(browser, area_prefix: str | None, *, at_least: int = 1) -> None:
    """Wait until the map shows areas inside ``area_prefix`` (None: any) and has settled."""
    check = "true" if area_prefix is None else f"d.every(c => c.startsWith('{area_prefix}'))"
    wait_for(
        browser,
        f"{MAP_DRAWN} && (() => {{ const d = {GD}.data.flatMap(t => t.ids || t.locations || [])"
        f".filter(c => c.length > 0); return d.length >= {at_least} && {check}; }})()",
        timeout=30,
    )
    wait_for(
        browser,
        f"!{GD}._fullLayout.map._subplot.map.isMoving() && !document.querySelector('._dash-loading-callback')",
        timeout=20,
    )
    time.sleep(0.8)


def _click_map(browser, lon: float, lat: float) -> None:
    """A real mouse click on the map canvas at a geographic position."""
    x, y, w, h = browser.execute_script(
        f"const m = {GD}._fullLayout.map._subplot.map; const p = m.project([arguments[0], arguments[1]]);"
        " const c = m.getCanvas(); return [p.x, p.y, c.clientWidth, c.clientHeight];",
        lon,
        lat,
    )
    canvas = browser.find_element("css selector", "#map canvas.maplibregl-canvas")
    ActionChains(browser).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2)).click().perform()


def _inside(conn: psycopg.Connection, code: str) -> tuple[float, float]:
    """The point deepest inside an area's drawn polygon (clicks near a border may miss)."""
    row = conn.execute(
        "SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT (ST_MaximumInscribedCircle("
        "ST_GeomFromGeoJSON(geojson))).center AS p FROM area_web_geom WHERE code = %s) x",
        [code],
    ).fetchone()
    return row["lon"], row["lat"]


def _choose(browser, control: str, value: str) -> None:
    """Pick an option of a Dash dropdown by its value, as a user would."""
    browser.find_element("css selector", f"#{control}").click()
    option = wait_for(browser, f"document.querySelector(\".dash-dropdown-option input[value='{value}']\")")
    option.find_element("xpath", "./ancestor::label").click()


def _crumbs(browser) -> str:
    return browser.execute_script("return document.getElementById('breadcrumbs').innerText")


def test_drill_from_the_country_to_a_village_and_back(
    db: Settings, conn: psycopg.Connection, shared_data: Path, browser, artifacts: Path
) -> None:
    load_boundaries(conn, [shared_data / "boundaries"])
    load_demo(conn, "tiny")
    village = conn.execute(
        "SELECT code, name_th, ST_X(point) AS lon, ST_Y(point) AS lat FROM areas WHERE parent_code = '370101'"
        " AND point IS NOT NULL ORDER BY code LIMIT 1"
    ).fetchone()
    with _dashboard(db) as url:
        browser.get(url)
        _wait_view(browser, None, at_least=77)
        text = wait_for(browser, "document.querySelector('#card-gap') && document.body.innerText")
        assert "ข้อมูลสังเคราะห์" in text and "ล้านบาท" in text and "ปีงบประมาณ พ.ศ. 2569" in text
        assert len(_locations(browser)) == 77 and "ประเทศไทย" in _crumbs(browser)
        assert "fy=2569" in browser.execute_script("return window.location.search")
        browser.save_screenshot(str(artifacts / "dashboard-first-load-th.png"))

        for code, child_prefix, shot in (
            ("37", "37", "dashboard-province-th.png"),
            ("3701", "3701", "dashboard-district-th.png"),
            ("370101", "370101", "dashboard-tambon-villages-th.png"),
        ):
            _click_map(browser, *_inside(conn, code))
            wait_for(browser, f"window.location.search.includes('area={code}&')", timeout=20)
            _wait_view(browser, child_prefix)
            assert "อำนาจเจริญ" in _crumbs(browser)
            browser.save_screenshot(str(artifacts / shot))

        _click_map(browser, village["lon"], village["lat"])
        wait_for(browser, f"window.location.search.includes('area={village['code']}')", timeout=20)
        wait_for(browser, f"document.getElementById('breadcrumbs').innerText.includes('{village['name_th']}')")
        _wait_view(browser, "370101")
        browser.save_screenshot(str(artifacts / "dashboard-village-th.png"))

        browser.find_element("css selector", "#crumb-37").click()  # back up to the province
        wait_for(browser, "window.location.search.startsWith('?area=37&')")
        _wait_view(browser, "37")
        assert all(len(c) == 4 for c in _locations(browser))
        browser.find_element("css selector", "#crumb-TH").click()  # and to the country
        wait_for(browser, "!window.location.search.includes('area=')")
        _wait_view(browser, None, at_least=77)
        assert len(_locations(browser)) == 77


def test_controls_language_and_a_shared_link(demo_db: Settings, browser, artifacts: Path) -> None:
    with _dashboard(demo_db) as url:
        browser.get(url + "?area=37")
        _wait_view(browser, "37")
        _choose(browser, "metric", "share_amount")
        wait_for(browser, "window.location.search.includes('metric=share_amount')")
        _choose(browser, "plan-level", "village")
        wait_for(browser, "window.location.search.includes('plan=village')")
        _choose(browser, "fiscal-year", "2568")
        wait_for(browser, "window.location.search.includes('fy=2568')")
        wait_for(browser, "document.getElementById('fiscal-year').innerText.includes('2568')")
        _choose(browser, "fiscal-year", "2569")  # back: 2569 has a year before it
        wait_for(browser, "window.location.search.includes('fy=2569')")
        browser.find_element("css selector", "#compare input").click()
        wait_for(browser, "window.location.search.includes('cmp=1')")
        browser.find_element("css selector", "#lang input[value='en']").click()
        wait_for(browser, "window.location.search.includes('lang=en')")
        wait_for(
            browser,
            "document.body.innerText.includes('SYNTHETIC demonstration data')"
            " && document.body.innerText.includes('Funded share (by amount)')"
            " && document.body.innerText.includes('Village / community plan')",
        )
        _wait_view(browser, "37")
        wait_for(browser, f"{GD}.data[1].colorbar.title.text.includes('change from previous year')")
        shared = browser.current_url
        before = browser.execute_script(
            f"return [{GD}.data[1].locations, {GD}.data[1].z, document.getElementById('breadcrumbs').innerText,"
            " document.getElementById('cards').innerText]"
        )
        browser.save_screenshot(str(artifacts / "dashboard-controls-en.png"))

        browser.get("about:blank")
        browser.get(shared)  # a committee member opens the link
        _wait_view(browser, "37")
        wait_for(browser, "document.getElementById('cards').innerText.includes('M baht')")
        after = browser.execute_script(
            f"return [{GD}.data[1].locations, {GD}.data[1].z, document.getElementById('breadcrumbs').innerText,"
            " document.getElementById('cards').innerText]"
        )
        assert after == before and browser.current_url == shared
        assert "FY 2569 (BE)" in browser.execute_script("return document.getElementById('fiscal-year').innerText")

        browser.get(url + "?area=99999&metric=<script>&fy=abc")  # a malformed link
        _wait_view(browser, None, at_least=2)
        wait_for(browser, "window.location.search === '?fy=2569'")
        wait_for(browser, "document.getElementById('breadcrumbs').innerText.trim() === 'ประเทศไทย'")


def test_database_down_is_said_plainly(browser, artifacts: Path) -> None:
    settings = load_settings(database_url="postgresql://nobody:x@127.0.0.1:9/none", anonymous_read=True)
    pool = open_pool(settings)
    with pool, serving(create_app(settings, pool)) as url:
        browser.get(url)
        wait_for(browser, "document.body.innerText.includes('เชื่อมต่อฐานข้อมูลไม่ได้')", timeout=30)
        browser.save_screenshot(str(artifacts / "map-db-down.png"))
