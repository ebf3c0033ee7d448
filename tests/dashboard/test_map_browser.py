"""The map in a real headless Chromium over the real boundaries: every view frames the selected
area whole with a small margin at a projector's, a laptop's and a phone's size (measured with
MapLibre's own ``getBounds`` and ``project``), the country fills the panel's height, the areas
are named where their names fit without overlapping, in the page's language, and the toolbar is
zoom, reset and planmap's own download. Screenshots are saved in tests/artifacts/."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from dashboard import figures
from dashboard.figures import FIT_PADDING, THAILAND_BOUNDS
from etl.demo_load import load_demo
from etl.geoload import load_boundaries
from geodata import queries
from geodata.queries import AreaRow, Totals
from tests.browser import chromium, wait_for
from tests.dashboard.test_dashboard_browser import GD, _choose, _dashboard

pytestmark = pytest.mark.browser

SIZES = ((1600, 1000), (1000, 700), (390, 844))
ONE = Totals(3, Decimal("5000000"), 1, Decimal("0"), 0, Decimal(0))
MAP = f"{GD}._fullLayout.map._subplot.map"


def graph(selector: str) -> str:
    """The plotly graph div of a dcc.Graph (``#map``, ``#compare-map-a`` …), as a JS expression."""
    return f"document.querySelector('{selector} .js-plotly-plot')"


def _fitted(gd: str) -> str:
    """JS: the map of ``gd`` is drawn and fitted to the bounds whose key is ``arguments[0]``."""
    m = f"{gd}._fullLayout.map._subplot.map"
    return (
        f"{gd} && {gd}.data && {gd}.data.some(t => (t.locations || t.lon || []).length)"  # not the blank map
        f" && {gd}._fullLayout && {gd}._fullLayout.map && {gd}._fullLayout.map._subplot"
        f" && {m}.loaded() && {gd}._planmapMap && {gd}._planmapMap.key"
        f" && {gd}._planmapMap.key.endsWith(arguments[0]) && !{m}.isMoving()"
    )


@pytest.fixture()
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def _key(bounds: tuple[float, ...]) -> str:
    return "|" + ",".join(_js_number(round(b, 5)) for b in bounds)


def _js_number(x: float) -> str:
    """How JavaScript writes a number (the fit key joins the bounds as JavaScript does)."""
    return str(int(x)) if float(x).is_integer() else repr(x)


def _wait_fitted(browser, bounds: tuple[float, ...], gd: str = GD) -> None:
    """Wait until the map of ``gd`` (any planmap map: the main one by default) is fitted to ``bounds``."""
    key = _key(bounds)
    deadline = time.monotonic() + 40
    while not browser.execute_script(f"return !!({_fitted(gd)})", key):
        if time.monotonic() > deadline:
            raise AssertionError(f"the map was not fitted to {bounds}")
        time.sleep(0.2)
    wait_for(browser, "!document.querySelector('._dash-loading-callback')", timeout=20)
    time.sleep(0.6)


def _margins(browser, bounds: tuple[float, ...], gd: str = GD) -> dict:
    """Pixels between the area's bounds and each edge of the map of ``gd``, and what MapLibre shows."""
    return browser.execute_script(
        f"const m = {gd}._fullLayout.map._subplot.map; const b = arguments[0]; const c = m.getCanvas();"
        " const nw = m.project([b[0], b[3]]), se = m.project([b[2], b[1]]);"
        " const v = m.getBounds();"
        " return {left: nw.x, top: nw.y, right: c.clientWidth - se.x, bottom: c.clientHeight - se.y,"
        " width: c.clientWidth, height: c.clientHeight,"
        f" legend: (() => {{ const l = {gd}.querySelector('.colorbar');"
        "  return l ? l.getBoundingClientRect().right - c.getBoundingClientRect().left : 0; })(),"
        " visible: [v.getWest(), v.getSouth(), v.getEast(), v.getNorth()]};",
        list(bounds),
    )


def _assert_framed(m: dict, bounds: tuple[float, ...], what: str) -> None:
    west, south, east, north = m["visible"]
    assert west <= bounds[0] and south <= bounds[1] and east >= bounds[2] and north >= bounds[3], (what, m)
    edges = [m["left"], m["top"], m["right"], m["bottom"]]
    assert min(edges) >= FIT_PADDING - 2, (what, m)  # a small margin on every side
    # … and no more than that on the tighter axis: the area fills the panel one way (on a wide
    # panel the left margin keeps the legend clear of it)
    tight = FIT_PADDING + 2
    left = tight + (m["legend"] if 0 < m["legend"] < 0.3 * m["width"] else 0)
    fills_height = m["top"] <= tight and m["bottom"] <= tight
    fills_width = m["right"] <= tight and m["left"] <= left
    assert fills_height or fills_width, (what, m)
    if 0 < m["legend"] < 0.3 * m["width"]:
        assert m["left"] >= m["legend"] + FIT_PADDING - 2, (what, m)  # the legend is clear of the area


def _labels(browser) -> list[dict]:
    return browser.execute_script(
        "return [...document.querySelectorAll('#map .map-label')]"
        ".filter(e => getComputedStyle(e).visibility === 'visible')"
        ".map(e => { const r = e.getBoundingClientRect();"
        " return {text: e.textContent, l: r.left, t: r.top, r: r.right, b: r.bottom}; });"
    )


def _shot(browser, path: Path) -> None:
    """The map panel alone (it may reach below the window: the page scrolls it into view)."""
    element = browser.find_element("css selector", "#map")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", element)
    time.sleep(0.4)
    element.screenshot(str(path))


def _no_overlaps(labels: list[dict]) -> bool:
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if a["l"] < b["r"] and a["r"] > b["l"] and a["t"] < b["b"] and a["b"] > b["t"]:
                return False
    return True


def test_every_view_frames_its_area_at_every_size(
    db, conn: psycopg.Connection, shared_data: Path, browser, artifacts: Path
) -> None:
    load_boundaries(conn, [shared_data / "boundaries"])
    load_demo(conn, "tiny")
    conn.commit()
    cluster = conn.execute(
        "SELECT cluster_code FROM cluster_provinces WHERE province_code = '30' ORDER BY valid_from_fy DESC LIMIT 1"
    ).fetchone()["cluster_code"]
    views = {  # name: (query, the area whose bounds the view must show)
        "country": ("", None),
        "cluster": (f"?area={cluster}", cluster),
        "province": ("?area=30", "30"),
        "district": ("?area=3001", "3001"),
        "tambon": ("?area=370101", "370101"),
        "province-tambons": ("?area=30&level=tambon", "30"),
    }
    bounds = {name: queries.area_bounds(conn, code) if code else THAILAND_BOUNDS for name, (_, code) in views.items()}
    measured = []
    with _dashboard(db) as url:
        for width, height in SIZES:
            browser.set_window_size(width, height)
            for name, (query, _) in views.items():
                browser.get(url + query)
                _wait_fitted(browser, bounds[name])
                m = _margins(browser, bounds[name])
                measured.append((width, name, m))
                _assert_framed(m, bounds[name], f"{name} at {width}×{height}")
                if name == "country" and m["width"] / m["height"] < 1.6:
                    assert m["top"] <= FIT_PADDING + 2 and m["bottom"] <= FIT_PADDING + 2, m  # fills the height
                _shot(browser, artifacts / f"map-fit-{name}-{width}x{height}.png")
    for width, name, m in measured:
        print(width, name, {k: round(v) for k, v in m.items() if k in ("left", "top", "right", "bottom", "legend")})


def test_names_toolbar_reset_and_resize(
    db, conn: psycopg.Connection, shared_data: Path, browser, artifacts: Path
) -> None:
    load_boundaries(conn, [shared_data / "boundaries"])
    load_demo(conn, "tiny")
    conn.commit()
    province = queries.area_bounds(conn, "30")
    district = queries.area_bounds(conn, "3001")
    browser.set_window_size(1600, 1000)
    with _dashboard(db) as url:
        # province → districts: named in Thai, none over another
        browser.get(url + "?area=30")
        _wait_fitted(browser, province)
        names = wait_for(browser, "document.querySelectorAll('#map .map-label').length")
        labels = _labels(browser)
        assert names >= 30 and len(labels) >= 15, labels
        assert all(any("\u0e00" <= c <= "\u0e7f" for c in label["text"]) for label in labels) and _no_overlaps(labels)
        _shot(browser, artifacts / "map-labels-province-th.png")

        # the toolbar: zoom in/out, reset, and planmap's own map export; no plotly PNG, no cloud
        titles = browser.execute_script(
            "return [...document.querySelectorAll('#map .modebar-btn')].map(b => b.getAttribute('data-title'))"
        )
        assert len(titles) == 4 and not any("png" in (t or "").lower() and "แผนที่" not in t for t in titles[:3])
        href = browser.execute_script("return document.querySelector('#map .planmap-download').getAttribute('href')")
        assert "/_planmap/export/map.png?" in href and "area=30" in href

        # a reader's zoom is theirs until the view changes; reset returns to the fitted view
        fitted = browser.execute_script(f"return {MAP}.getZoom()")
        browser.find_element("css selector", "#map .modebar-btn[data-val='in']").click()
        wait_for(browser, f"{MAP}.getZoom() > {fitted} + 0.01 && !{MAP}.isMoving()")
        zoomed = browser.execute_script(f"return {MAP}.getZoom()")
        _choose(browser, "metric", "requested")
        wait_for(browser, "window.location.search.includes('metric=requested')")
        wait_for(browser, f"{GD}.data[1].name !== undefined && !document.querySelector('._dash-loading-callback')")
        time.sleep(1.0)
        assert abs(browser.execute_script(f"return {MAP}.getZoom()") - zoomed) < 1e-3  # kept
        browser.find_element(
            "css selector", "#map .modebar-btn[data-attr='resetViewMap'], #map .modebar-btn[data-title*='eset']"
        ).click()
        time.sleep(0.8)
        _assert_framed(_margins(browser, province), province, "after reset")

        # the panel changes size: the view is fitted again
        browser.set_window_size(1000, 700)
        time.sleep(1.5)
        _assert_framed(_margins(browser, province), province, "after resize")
        _choose(browser, "metric", "items")  # a new figure of the same view keeps the fitted view
        wait_for(browser, "window.location.search.includes('metric=items')")
        wait_for(browser, "!document.querySelector('._dash-loading-callback')")
        time.sleep(1.0)
        _assert_framed(_margins(browser, province), province, "after a new metric")

        # district → tambons, in English with the toggle
        browser.set_window_size(1600, 1000)
        browser.get(url + "?area=3001&lang=en")
        _wait_fitted(browser, district)
        wait_for(browser, "document.querySelectorAll('#map .map-label').length")
        labels = _labels(browser)
        assert len(labels) >= 5 and _no_overlaps(labels), labels
        assert all(label["text"].isascii() for label in labels), labels
        _shot(browser, artifacts / "map-labels-district-en.png")

        # a change from the year before: green is better, red is worse, and the legend says so
        amnat = queries.area_bounds(conn, "37")
        browser.get(url + "?area=37&metric=funded&cmp=1")
        _wait_fitted(browser, amnat)
        wait_for(browser, f"{GD}.data[1].colorbar && {GD}.data[1].colorbar.title.text.includes('เขียว = ดีขึ้น')")
        _shot(browser, artifacts / "map-change-funded-th.png")

        # a legend of one class: its boxes and texts stay clear of its title
        districts = conn.execute("SELECT code, name_th FROM areas WHERE parent_code = '37' ORDER BY code").fetchall()
        rows = [
            AreaRow(d["code"], "district", d["name_th"], None, None, True, None, None, ONE, Totals()) for d in districts
        ]
        geojson = browser.execute_script(f"return {GD}.data[0].geojson")
        one = figures.area_map(rows, metric="requested", geojson_url=geojson, bounds=amnat, revision="one-class")
        assert len(one["data"][1]["colorbar"]["ticktext"]) == 2
        browser.execute_script("window.dash_clientside.set_props('map', {figure: arguments[0]})", one)
        wait_for(browser, f"{GD}.layout.uirevision === 'one-class'")
        _wait_fitted(browser, amnat)
        box = browser.execute_script(
            f"const t = {GD}.querySelector('.colorbar .cbtitle').getBoundingClientRect();"
            f" const l = [...{GD}.querySelectorAll('.colorbar .cbaxis text')].map(e => e.getBoundingClientRect());"
            " return {title: t.bottom, labels: Math.min(...l.map(r => r.top))};"
        )
        assert box["title"] <= box["labels"], box  # the title ends above the highest class label
        _shot(browser, artifacts / "map-legend-one-class-th.png")

        # the national map: provinces named where they fit
        browser.get(url)
        _wait_fitted(browser, THAILAND_BOUNDS)
        labels = _labels(browser)
        assert len(labels) >= 10 and _no_overlaps(labels), labels
        _shot(browser, artifacts / "map-labels-country-th.png")
