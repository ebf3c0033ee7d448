"""The map page in a real headless Chromium: schematic and real maps, Thai/English, database down.
Screenshots are saved in tests/artifacts/ for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from dashboard.app import create_app
from etl.demo_load import load_demo
from etl.geoload import load_boundaries
from geodata.db import open_pool
from geodata.settings import Settings, load_settings
from tests.browser import chromium, serving, wait_for

pytestmark = pytest.mark.browser

MAP_TRACES = "document.querySelector('#map .js-plotly-plot') && document.querySelector('#map .js-plotly-plot').data"


@pytest.fixture()
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def _located(browser) -> list[str]:
    return browser.execute_script(
        "const gd = document.querySelector('#map .js-plotly-plot');"
        "return gd.data.flatMap(t => t.locations);")


@contextmanager
def _dashboard(settings: Settings, browser, banner: str) -> Iterator[str]:
    """Serve the app on ``settings``' database, open it, wait for the map and the ``banner`` note;
    yield the page text."""
    pool = open_pool(settings, wait=True)
    with pool, serving(create_app(settings, pool)) as url:
        browser.get(url)
        wait_for(browser, MAP_TRACES)
        yield wait_for(browser, f"document.querySelector('.banner {banner}') && document.body.innerText")


def test_schematic_map_in_thai(db: Settings, conn: psycopg.Connection, browser, artifacts: Path) -> None:
    load_demo(conn, "tiny")
    with _dashboard(db, browser, ".schematic") as text:
        assert "ข้อมูลสังเคราะห์" in text and "แผนที่แผนผัง" in text
        assert "ปีงบประมาณ พ.ศ. 2569" in text
        assert sorted(set(_located(browser))) == sorted(
            r["code"] for r in conn.execute("SELECT code FROM areas WHERE level = 'province' AND status = 'current'"))
        browser.save_screenshot(str(artifacts / "map-schematic-th.png"))


def test_real_boundaries_and_english(db: Settings, conn: psycopg.Connection, shared_data: Path, browser,
                                     artifacts: Path) -> None:
    load_boundaries(conn, [shared_data / "boundaries"])
    load_demo(conn, "tiny")
    with _dashboard(db, browser, ".source") as text:
        assert "tha_adm3.geojson" in text and "แผนที่แผนผัง" not in text
        assert len(_located(browser)) == 77
        browser.save_screenshot(str(artifacts / "map-real-th.png"))
        browser.find_element("css selector", "#lang input[value='en']").click()
        wait_for(browser, "document.body.innerText.includes('SYNTHETIC demonstration data')")
        wait_for(browser, "document.body.innerText.includes('FY 2569 (BE)')")
        browser.save_screenshot(str(artifacts / "map-real-en.png"))


def test_database_down_is_said_plainly(browser, artifacts: Path) -> None:
    settings = load_settings(database_url="postgresql://nobody:x@127.0.0.1:9/none")
    pool = open_pool(settings)
    with pool, serving(create_app(settings, pool)) as url:
        browser.get(url)
        wait_for(browser, "document.body.innerText.includes('เชื่อมต่อฐานข้อมูลไม่ได้')", timeout=30)
        browser.save_screenshot(str(artifacts / "map-db-down.png"))
