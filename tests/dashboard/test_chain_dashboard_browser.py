"""The planning-chain pages in a real headless Chromium (1400×1000): from the map page a plan
item's trace link opens its trace; a committee member opens a shared link to the funnel, traces a funded need found by searching its title, reads the overdue
plans and the possible duplicates, switches to English, and reloads the link to the same trace.
Screenshots are saved in tests/artifacts/chain-*.png for people to look at."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest
from selenium.common.exceptions import ElementNotInteractableException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from etl.demo_load import load_demo
from etl.geoload import load_boundaries
from geodata import queries
from geodata.chain import chain, funnel
from geodata.compliance import plan_compliance
from geodata.db import open_pool
from geodata.settings import Settings
from tests.browser import chromium, serving, wait_for
from tests.dashboard.test_map_browser import _assert_framed, _margins, _wait_fitted

pytestmark = pytest.mark.browser

FY = 2569


def _graph(graph_id: str) -> str:
    return f"document.querySelector('#{graph_id} .js-plotly-plot')"


def _map_drawn(graph_id: str) -> str:
    gd = _graph(graph_id)
    return (
        f"{gd} && {gd}.data && {gd}.data.length && {gd}._fullLayout.map && {gd}._fullLayout.map._subplot"
        f" && {gd}._fullLayout.map._subplot.map.loaded() && !{gd}._fullLayout.map._subplot.map.isMoving()"
    )


def _settled(browser) -> None:
    wait_for(browser, "!document.querySelector('._dash-loading-callback')")
    time.sleep(0.8)


def _text(browser, element_id: str) -> str:
    return browser.execute_script(f"const e = document.getElementById('{element_id}'); return e ? e.innerText : ''")


def _shot(browser, artifacts: Path, name: str) -> None:
    """The whole page (the window made as tall as the page), then back to 1400×1000."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(height + 140, 3200))
    time.sleep(0.8)
    browser.save_screenshot(str(artifacts / name))
    browser.set_window_size(1400, 1000)


def _click_when_ready(browser, selector: str, timeout: float = 20.0) -> None:
    """Click a grid cell once the grid has settled: ag-grid re-renders rows while it loads, so
    the element found a moment ago may be replaced or not yet interactable."""
    deadline = time.monotonic() + timeout
    while True:
        element = browser.find_element(By.CSS_SELECTOR, selector)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        try:
            element.click()
            return
        except (ElementNotInteractableException, StaleElementReferenceException):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture()
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def test_funnel_trace_and_compliance_from_a_shared_link(
    db: Settings, conn: psycopg.Connection, shared_data: Path, browser, artifacts: Path
) -> None:
    load_boundaries(conn, [shared_data / "boundaries"])
    load_demo(conn, "tiny")
    funded = conn.execute(
        "SELECT a.plan_item_id, a.title, o.name_th AS agency FROM allocations a"
        " JOIN organisations o ON o.id = a.agency_id JOIN plan_items i ON i.id = a.plan_item_id"
        " WHERE a.status = 'funded' AND a.funding_source = 'agency' AND a.fiscal_year = %s"
        " AND a.area_code LIKE '37%%' AND i.location_precision = 'village' ORDER BY a.id LIMIT 1",
        [FY],
    ).fetchone()
    steps = chain(conn, funded["plan_item_id"])
    root = steps[0].item_id
    pool = open_pool(db, wait=True)
    with pool, serving(create_app(db, pool)) as url:
        # 0. from the map page, a plan item's "trace" link opens the trace view
        browser.get(url + f"?area=37&fy={FY}")
        link = wait_for(
            browser,
            "document.querySelector(\"#items-grid .ag-row[row-index='0'] .ag-cell[col-id='trace']\")",
            timeout=30,
        )
        first = browser.execute_script("return arguments[0].closest('.ag-row').getAttribute('row-id')", link)
        _click_when_ready(browser, "#items-grid .ag-row[row-index='0'] .ag-cell[col-id='trace']")
        wait_for(browser, f"window.location.search.endsWith('view=trace&item={first}')")
        wait_for(browser, "document.querySelectorAll('#trace-timeline li.step.selected').length === 1")

        # 1. the funnel, from a link someone shared
        browser.get(url + f"?area=37&fy={FY}&view=funnel")
        wait_for(browser, f"{_graph('funnel-graph')} && {_graph('funnel-graph')}.data.length === 2", timeout=30)
        shown = browser.execute_script(f"return {_graph('funnel-graph')}.data[0].x")
        assert shown == [s.items for s in funnel(conn, "37", FY)]
        wait_for(browser, "document.getElementById('funnel-funded') && document.getElementById('funnel-shape')")
        text = browser.execute_script("return document.body.innerText")
        assert "ได้รับงบประมาณจากส่วนราชการ" in text and "7,932" in text and "ล้านบาท" in text
        assert not browser.execute_script(
            "const m = document.getElementById('map'); return m && m.offsetParent !== null"
        )  # the map page is hidden
        _settled(browser)
        _shot(browser, artifacts, "chain-funnel-th.png")

        # 2. trace a need: search its title, pick it in the results
        browser.find_element("css selector", "#view-tab-trace").click()
        wait_for(browser, "window.location.search.includes('view=trace')")
        search = wait_for(browser, "document.getElementById('trace-search')")
        search.send_keys(funded["title"], Keys.ENTER)
        wait_for(browser, f"document.querySelector(\"#trace-results .ag-row[row-id='{root}'] .ag-cell\")")
        _click_when_ready(browser, f"#trace-results .ag-row[row-id='{root}'] .ag-cell")
        wait_for(browser, f"window.location.search.includes('item={root}')")
        wait_for(browser, f"document.querySelectorAll('#trace-timeline li.step').length === {len(steps)}")
        assert _text(browser, "trace-outcome").startswith(f"ได้รับงบประมาณจาก {funded['agency']}")
        levels = browser.execute_script(
            "return [...document.querySelectorAll('#trace-timeline li.step')].map(li => li.className.split(' ')[1])"
        )
        assert levels == [f"level-{s.plan_level}" for s in steps]
        assert "ได้รับจัดสรร" in _text(browser, "trace-timeline")
        wait_for(browser, _map_drawn("trace-map"), timeout=30)
        drawn = browser.execute_script(f"return {_graph('trace-map')}.data.flatMap(t => t.locations || [])")
        code = steps[0].area_code
        assert drawn == [code[:2], code[:4], code[:6]]
        shared = browser.current_url
        district = queries.area_bounds(conn, code[:4])  # the trace map frames the need's district whole
        _wait_fitted(browser, district, _graph("trace-map"))
        _assert_framed(_margins(browser, district, _graph("trace-map")), district, "trace map")
        _settled(browser)
        _shot(browser, artifacts, "chain-trace-th.png")

        # 3. calendar compliance: the overdue plans of the province
        browser.find_element("css selector", "#view-tab-compliance").click()
        wait_for(browser, "window.location.search.includes('view=compliance')")
        late = [p for p in plan_compliance(conn, "37", FY) if p.status == "late"]
        wait_for(browser, f"document.getElementById('late-plans-head').innerText.includes('{len(late):,}')")
        wait_for(browser, "document.querySelectorAll('#late-plans .ag-row').length > 0")
        first = browser.execute_script(
            "return document.querySelector(\"#late-plans .ag-row[row-index='0']\").innerText"
        )
        worst = max(late, key=lambda p: p.days_late)
        assert str(worst.days_late) in first
        wait_for(browser, _map_drawn("compliance-map"), timeout=30)
        province = queries.area_bounds(conn, "37")  # the compliance map frames the province whole
        _wait_fitted(browser, province, _graph("compliance-map"))
        _assert_framed(_margins(browser, province, _graph("compliance-map")), province, "compliance map")
        _settled(browser)
        _shot(browser, artifacts, "chain-compliance-th.png")

        # 4. the possible duplicates, in English
        browser.find_element("css selector", "#view-tab-overlaps").click()
        wait_for(browser, "window.location.search.includes('view=overlaps')")
        browser.find_element("css selector", "#lang input[value='en']").click()
        wait_for(browser, "document.getElementById('overlaps-head').innerText.includes('Possibly duplicated')")
        wait_for(browser, "document.querySelectorAll('#overlaps-grid .ag-row').length > 0")
        assert "Agency (function) budget" in _text(browser, "overlaps-grid")
        _settled(browser)
        _shot(browser, artifacts, "chain-overlaps-en.png")

        # 5. the shared trace link opens the same trace
        browser.get("about:blank")
        browser.get(shared)
        wait_for(browser, f"document.querySelectorAll('#trace-timeline li.step').length === {len(steps)}", timeout=30)
        assert _text(browser, "trace-outcome").startswith(f"ได้รับงบประมาณจาก {funded['agency']}")
        assert browser.current_url == shared
