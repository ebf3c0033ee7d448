"""The dashboard by keyboard, at phone width and on paper, in a real headless Chromium on the tiny
demo: Tab reaches the section tabs and the ranking, Enter on a ranking row drills down, the map's
area list takes a keyboard from the country to a tambon; at 390 px
nothing scrolls sideways and the map comes before the cards; the browser's print (A4 landscape)
shows the map, not a blank box. Screenshots and the printed page are left in tests/artifacts/."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from geodata.db import open_pool
from geodata.settings import Settings
from tests.browser import chromium, serving, wait_for

pytestmark = pytest.mark.browser

GD = "document.querySelector('#map .js-plotly-plot')"
MAP_DRAWN = (
    f"{GD} && {GD}.data && {GD}.data.length > 1 && {GD}._fullLayout.map"
    f" && {GD}._fullLayout.map._subplot && {GD}._fullLayout.map._subplot.map.loaded()"
)
RANKED = "document.querySelectorAll('#ranking .ag-center-cols-container .ag-row').length > 0"


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


def _settle(browser) -> None:
    wait_for(browser, MAP_DRAWN, timeout=40)
    wait_for(browser, "!document.querySelector('._dash-loading-callback')", timeout=20)
    time.sleep(0.8)


def _active(browser) -> str:
    """Where the keyboard focus is: the id, class and row of the focused element."""
    return browser.execute_script(
        "const e = document.activeElement; const row = e && e.closest && e.closest('.ag-row');"
        " return [e.id, e.className, e.closest && e.closest('#ranking') ? 'ranking' : '',"
        " row ? row.getAttribute('row-id') : ''].join('|');"
    )


def _tab_until(browser, check: str, limit: int = 120) -> str:
    """Press Tab until the focused element satisfies ``check`` (JS on ``e``)."""
    for _ in range(limit):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if browser.execute_script(f"const e = document.activeElement; return !!(e && ({check}));"):
            return _active(browser)
    raise AssertionError(f"Tab never reached {check}; focus is on {_active(browser)}")


def _keys_until(browser, check: str, limit: int = 150) -> str:
    """Move the focus by keyboard until the focused element satisfies ``check`` (JS on ``e``):
    Tab forwards, opening the map's area list (Enter on its summary) when it is closed; then
    Shift+Tab backwards (the focus may be on a link past the wanted one after a drill-down)."""
    found = f"const e = document.activeElement; return !!(e && ({check}));"
    closed = (
        "const e = document.activeElement; return !!(e && e.tagName === 'SUMMARY'"
        " && e.classList.contains('area-list-head') && !e.parentNode.open);"
    )
    for keys in (Keys.TAB, Keys.SHIFT + Keys.TAB):
        for _ in range(limit):
            if browser.execute_script(found):
                return _active(browser)
            if browser.execute_script(closed):
                ActionChains(browser).send_keys(Keys.ENTER).perform()
                time.sleep(0.2)
                continue
            ActionChains(browser).send_keys(keys).perform()
    raise AssertionError(f"the keyboard never reached {check}; focus is on {_active(browser)}")


def test_keyboard_reaches_tabs_and_ranking_and_enter_drills_down(demo_db: Settings, browser, artifacts: Path) -> None:
    with _dashboard(demo_db) as url:
        browser.get(url)
        _settle(browser)
        wait_for(browser, RANKED, timeout=30)
        first = browser.execute_script(
            "return document.querySelector('#ranking .ag-center-cols-container .ag-row[row-index=\"0\"]')"
            ".getAttribute('row-id')"
        )
        # the section tabs are in the Tab order, with a visible focus ring, and Enter opens one
        browser.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        _tab_until(browser, "e.getAttribute('role') === 'tab' && e.classList.contains('view-tab')")
        ring = browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
        assert ring not in ("none", ""), ring
        browser.save_screenshot(str(artifacts / "access-focus-tab-th.png"))
        # the dropdowns are named by their visible labels for screen readers
        named = browser.execute_script(
            "return [...document.querySelectorAll('#metric[aria-labelledby], #fiscal-year[aria-labelledby]')]"
            ".map(e => document.getElementById(e.getAttribute('aria-labelledby')).textContent)"
        )
        assert "ตัวชี้วัดบนแผนที่" in named and "ปีงบประมาณ" in named, named
        # the export links and the breadcrumbs are links: reachable, named
        names = browser.execute_script(
            "return [...document.querySelectorAll('#exports a.export-link')].map(a => a.textContent)"
        )
        assert names and all(names)
        # into the ranking: Tab reaches its header, arrow down to the first row, Enter drills down
        _tab_until(browser, "e.closest && e.closest('#ranking') !== null")
        for _ in range(3):
            if "|ranking|" in _active(browser) and _active(browser).rsplit("|", 1)[1]:
                break
            ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()
            time.sleep(0.2)
        assert _active(browser).endswith(f"|ranking|{first}"), _active(browser)
        browser.save_screenshot(str(artifacts / "access-focus-ranking-th.png"))
        ActionChains(browser).send_keys(Keys.ENTER).perform()
        wait_for(browser, f"window.location.search.includes('area={first}')", timeout=20)
        wait_for(browser, f"document.getElementById('breadcrumbs').innerText.length > 0 && {MAP_DRAWN}", timeout=30)
        # the ranking grid is named for screen readers by its title
        assert (
            browser.execute_script(
                "return document.querySelector('#ranking [role=grid], #ranking [role=treegrid]')"
                ".getAttribute('aria-labelledby')"
            )
            == "ranking-title"
        )
        # a section tab opens with Enter: focus the first tab, Tab to the next one, Enter
        browser.execute_script("document.querySelector('.view-tab[role=tab]').focus()")
        ActionChains(browser).send_keys(Keys.TAB).perform()
        second = browser.execute_script("return document.activeElement.id")
        assert second.startswith("view-tab-") and second != "view-tab-map", second
        ActionChains(browser).send_keys(Keys.ENTER).perform()
        wait_for(browser, f"window.location.search.includes('view={second.removeprefix('view-tab-')}')", timeout=20)

        # the map's areas as a list: from the country to a tambon by keyboard only (Tab to the
        # list, Enter opens it, Tab to an area, Enter drills down), each area named for screen readers
        browser.get(url)
        _settle(browser)
        for target, name in (("37", "อำนาจเจริญ"), ("3701", "เมืองอำนาจเจริญ"), ("370101", "บุ่ง")):
            link = (
                "e.classList.contains('area-link')"
                f" && new URLSearchParams(e.getAttribute('href').split('?')[1]).get('area') === '{target}'"
            )
            _keys_until(browser, link)
            label = browser.execute_script("return document.activeElement.getAttribute('aria-label')")
            assert label.startswith(name) and "เปิดดูรายละเอียด" in label, label
            ring = browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
            assert ring not in ("none", ""), ring
            if target == "370101":
                browser.save_screenshot(str(artifacts / "issue12-keyboard-arealist.png"))
            ActionChains(browser).send_keys(Keys.ENTER).perform()
            wait_for(browser, f"new URLSearchParams(window.location.search).get('area') === '{target}'", timeout=20)
            wait_for(browser, f"document.getElementById('breadcrumbs').innerText.includes('{name}')", timeout=20)
            _settle(browser)
        assert "บุ่ง" in browser.execute_script("return document.getElementById('breadcrumbs').innerText")


def test_phone_width_has_no_sideways_scrolling_and_the_map_comes_first(
    demo_db: Settings, browser, artifacts: Path
) -> None:
    browser.set_window_size(390, 844)
    with _dashboard(demo_db) as url:
        browser.get(url + "?area=37")
        _settle(browser)
        wait_for(browser, "document.querySelector('#card-requested .value')")
        width = browser.execute_script("return window.innerWidth")
        wide = browser.execute_script(
            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > document.documentElement.clientWidth + 1 && e.getClientRects().length && !e.closest('.ag-root-wrapper, .js-plotly-plot,"
            " .side, .indicators, .panel, .data-table, .chain-table'))"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)"
        )
        scroll, client = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client <= width <= 390, (scroll, client, width, wide)
        # every card's value is shown whole (nothing cut at the card's edge)
        cut = browser.execute_script(
            "return [...document.querySelectorAll('.card .value')].filter(v => v.scrollWidth > v.clientWidth + 1)"
            ".map(v => v.textContent)"
        )
        assert cut == []
        map_top, cards_top = browser.execute_script(
            "return [document.getElementById('map').getBoundingClientRect().top,"
            " document.getElementById('cards').getBoundingClientRect().top]"
        )
        assert map_top < cards_top
        browser.save_screenshot(str(artifacts / "access-phone-390-top.png"))
        browser.execute_script("document.getElementById('map').scrollIntoView()")
        time.sleep(0.3)
        browser.save_screenshot(str(artifacts / "access-phone-390-map.png"))
        browser.execute_script("document.getElementById('cards').scrollIntoView()")
        time.sleep(0.3)
        browser.save_screenshot(str(artifacts / "access-phone-390-cards.png"))


def _pdf_pages(pdf: Path, prefix: Path) -> list[Path]:
    tool = shutil.which("pdftoppm")
    if not tool:
        pytest.fail("pdftoppm (poppler-utils) is required to look at the printed page")
    subprocess.run([tool, "-r", "60", "-png", str(pdf), str(prefix)], check=True)
    return sorted(prefix.parent.glob(prefix.name + "-*.png"))


def test_browser_print_shows_the_map_on_a4_landscape(demo_db: Settings, browser, artifacts: Path, tmp_path) -> None:
    with _dashboard(demo_db) as url:
        browser.get(url + "?area=37")
        _settle(browser)
        wait_for(browser, RANKED, timeout=30)
        wait_for(browser, "(document.getElementById('map-print') || {}).src", timeout=30)
        printed = browser.execute_cdp_cmd(
            "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True, "landscape": True}
        )
        # a table longer than its panel prints every row (on screen AG Grid draws only those in view)
        browser.get(url + "?area=37&level=tambon")
        _settle(browser)
        wait_for(browser, RANKED, timeout=30)
        names, drawn = browser.execute_script(
            "const api = dash_ag_grid.getApi('ranking'); const out = [];"
            " api.forEachNodeAfterFilterAndSort(n => out.push([n.data.rank, n.data.name]));"
            " return [out, document.querySelectorAll('#ranking .ag-center-cols-container .ag-row').length];"
        )
        assert len(names) > drawn + 5, (len(names), drawn)  # longer than what the grid draws on screen
        long_table = browser.execute_cdp_cmd(
            "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True, "landscape": True}
        )
        # after printing, the page is back as it was on screen
        wait_for(browser, "!document.querySelector('.grid-print, .grid-on-paper')", timeout=10)
    pdf = tmp_path / "print.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    pages = _pdf_pages(pdf, tmp_path / "print")
    assert pages
    first = Image.open(pages[0]).convert("RGB")
    shutil.copy(pages[0], artifacts / "access-print-a4-p1.png")
    w, h = first.size
    assert w > h  # landscape
    # A4 landscape at 60 dpi: 701 × 496 px
    assert abs(w - 701) <= 3 and abs(h - 496) <= 3, (w, h)
    # where the map prints (left part of the page, under the header), the page is not blank
    area = first.crop((int(w * 0.05), int(h * 0.25), int(w * 0.5), int(h * 0.75)))
    stat = ImageStat.Stat(area)
    assert max(stat.stddev) > 8, stat.stddev
    colours = len(set(area.getdata()))
    assert colours > 20, colours

    # every area of the ranking is on paper, each on its line with its rank
    pdf = tmp_path / "table.pdf"
    pdf.write_bytes(base64.b64decode(long_table["data"]))
    text = _pdf_text(pdf)
    missing = [(k, n) for k, n in names if not re.search(rf"(^|\s){k}\s+{re.escape(n)}(\s|$)", text, re.M)]
    assert not missing, (len(names), missing)
    last = next(k for k in range(1, 20) if names[-1][1] in _pdf_text(pdf, k))  # the page the table ends on
    tool = shutil.which("pdftoppm")
    subprocess.run(
        [
            tool,
            "-r",
            "90",
            "-f",
            str(last),
            "-l",
            str(last),
            "-png",
            "-singlefile",
            str(pdf),
            str(artifacts / "issue12-print-table"),
        ],
        check=True,
    )


def _pdf_text(pdf: Path, page: int | None = None) -> str:
    """The printed text (one page, or all)."""
    tool = shutil.which("pdftotext")
    if not tool:
        pytest.fail("pdftotext (poppler-utils) is required to read the printed page")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run([tool, *pages, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
