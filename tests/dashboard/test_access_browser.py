"""Accounts and roles in a real headless Chromium (1400×1000), with reading closed to those not
signed in: a viewer of Amnat Charoen signs in through the sign-in page, lands on the province,
drills to a district, opens a crafted link to another province and is told it is out of scope
(and shown nothing of it), sees no review or audit tab, and signs out. An officer accepts a
matching suggestion on the review page; an admin reads the decision, in the officer's name, on
the audit page. Screenshots are saved in tests/artifacts/access-*.png for people to look at."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from dashboard import ids
from dashboard.app import create_app
from dashboard.auth import LOGIN_TEXT
from dashboard.i18n import t
from geodata.db import connect, open_pool
from geodata.settings import Settings
from tests.browser import chromium, serving, wait_for
from tests.dashboard.test_access import _suggestion
from tests.helpers import add_account, demo_database

pytestmark = pytest.mark.browser

PROVINCE, OTHER = "37", "22"  # Amnat Charoen, Chanthaburi
PROVINCE_NAME, OTHER_NAME = "อำนาจเจริญ", "จันทบุรี"
VIEWER, OFFICER, ADMIN = "viewer.37", "officer.37", "admin"
PASSWORD = "a long password 1"
GD = f"document.querySelector('#{ids.MAP} .js-plotly-plot')"


@dataclass
class Site:
    settings: Settings
    url: str
    suggestion: dict


@pytest.fixture(scope="module")
def site(pg_cluster, demo_template) -> Iterator[Site]:  # noqa: ANN001 - the session's cluster
    """The demo with reading closed to those not signed in, three accounts and one suggestion to
    decide on, served on a free port."""
    with demo_database(pg_cluster, "access_browser") as demo:
        settings = demo.model_copy(update={"anonymous_read": False})
        with connect(settings) as conn:
            suggestion = _suggestion(conn)
            conn.commit()
        add_account(settings, VIEWER, "viewer", PROVINCE, password=PASSWORD)
        add_account(settings, OFFICER, "officer", PROVINCE, password=PASSWORD)
        add_account(settings, ADMIN, "admin", "TH", password=PASSWORD)
        pool = open_pool(settings, wait=True)
        with pool, serving(create_app(settings, pool)) as url:
            yield Site(settings, url, suggestion)


@pytest.fixture()
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def _text(browser, element_id: str) -> str:
    return browser.execute_script(f"const e = document.getElementById('{element_id}'); return e ? e.innerText : ''")


def _shows(element_id: str, text: str) -> str:
    """A script: the element is on the page and its text holds ``text``."""
    return f"(document.getElementById('{element_id}')?.innerText || '').includes({json.dumps(text)})"


def _body(browser) -> str:
    return browser.execute_script("return document.body.innerText")


def _settled(browser) -> None:
    wait_for(browser, "!document.querySelector('._dash-loading-callback')")
    time.sleep(0.3)


def _shot(browser, artifacts: Path, name: str) -> None:
    """The whole page from its top (the window made as tall as the page), then back to 1400×1000."""
    browser.execute_script("window.scrollTo(0, 0)")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(height + 140, 3200))
    time.sleep(0.5)
    browser.save_screenshot(str(artifacts / name))
    browser.set_window_size(1400, 1000)


def _map_shows(browser, prefix: str, level: int | None = None) -> None:
    """Wait until the map draws areas inside ``prefix`` only (of code length ``level``), and has
    stopped moving; plain outlines (no hover) are not counted."""
    size = f" && d.every(c => c.length === {level})" if level else ""
    wait_for(
        browser,
        f"{GD} && {GD}.data && {GD}.data.length && {GD}._fullLayout.map && {GD}._fullLayout.map._subplot"
        f" && {GD}._fullLayout.map._subplot.map.loaded() && !{GD}._fullLayout.map._subplot.map.isMoving()"
        f" && (() => {{ const d = {GD}.data.filter(t => t.hoverinfo !== 'skip')"
        ".flatMap(t => t.ids || t.locations || []).filter(c => c.length > 0);"
        f" return d.length > 0 && d.every(c => c.startsWith('{prefix}')){size}; }})()",
        timeout=30,
    )


def _sign_in(browser, url: str, username: str, *, shot: Path | None = None) -> None:
    """Open the site, get sent to the sign-in page, fill in the Thai form and submit it."""
    browser.get(url)
    wait_for(browser, "window.location.pathname === '/login' && document.getElementById('username')")
    assert "next=" in browser.execute_script("return window.location.search")
    page = _body(browser)
    for key in ("title", "username", "password", "submit"):
        assert LOGIN_TEXT[key][0] in page, key  # the form speaks Thai
    if shot is not None:
        browser.save_screenshot(str(shot))
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, f"window.location.pathname === '/' && document.getElementById('{ids.PAGE}')")
    wait_for(browser, "document.querySelector('.account .who')?.title")
    assert browser.execute_script("return document.querySelector('.account .who').title") == username


def _sign_out(browser) -> None:
    browser.find_element(By.CSS_SELECTOR, ".account form.sign-out button[type=submit]").click()
    wait_for(browser, "window.location.pathname === '/login' && document.getElementById('username')")


def _tab_visible(browser, view: str) -> bool:
    return browser.execute_script(
        f"const e = document.getElementById('{ids.VIEW_TAB}-{view}'); return !!e && e.offsetParent !== null"
    )


def _click(browser, selector: str, timeout: float = 20.0) -> None:
    """Click an element that Dash or the grid may re-render while it loads."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            element = browser.find_element(By.CSS_SELECTOR, selector)
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
            element.click()
            return
        except StaleElementReferenceException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_a_viewer_stays_in_the_province_and_signs_out(site: Site, browser, artifacts: Path) -> None:
    _sign_in(browser, site.url, VIEWER, shot=artifacts / "access-login-th.png")

    # the map opens on the country frame: the viewer's province in colour, every other one an
    # outline without name or value; the breadcrumbs, cards and ranking are the province's
    wait_for(browser, _shows(ids.CRUMBS, PROVINCE_NAME), timeout=30)
    _map_shows(browser, PROVINCE)
    outlines = browser.execute_script(
        f"return {GD}.data.filter(t => t.hoverinfo === 'skip').flatMap(t => t.locations || [])"
    )
    assert len(outlines) == 76 and PROVINCE not in outlines and OTHER in outlines
    assert t("country_frame") in _body(browser)
    assert _tab_visible(browser, "map") and _tab_visible(browser, "funnel")
    assert not _tab_visible(browser, "review") and not _tab_visible(browser, "audit")
    assert not browser.find_elements(By.ID, ids.REVIEW_LIST) and not browser.find_elements(By.ID, ids.AUDIT_CONTENT)
    assert _text(browser, ids.NOTICE).strip() == ""
    assert OTHER_NAME not in _body(browser)
    _settled(browser)
    _shot(browser, artifacts, "access-viewer-home-th.png")

    # into the province (its one row in the ranking), then one level down: a district
    ranking = f"[...document.querySelectorAll('#{ids.RANKING} .ag-row')].map(r => r.getAttribute('row-id'))"
    assert wait_for(browser, f"{ranking}.length && {ranking}") == [PROVINCE]
    _click(browser, f"#{ids.RANKING} .ag-row[row-id='{PROVINCE}'] .ag-cell")
    wait_for(browser, f"window.location.search.includes('area={PROVINCE}&')")
    _map_shows(browser, PROVINCE, level=4)
    row = f"#{ids.RANKING} .ag-row[row-index='0']"
    wait_for(
        browser,
        f'document.querySelector("{row}") && document.querySelector("{row}").getAttribute(\'row-id\').length === 4',
    )
    code = browser.find_element(By.CSS_SELECTOR, row).get_attribute("row-id")
    assert code.startswith(PROVINCE), code
    _click(browser, f"{row} .ag-cell")
    wait_for(browser, f"window.location.search.includes('area={code}&')")
    _map_shows(browser, code)
    crumbs = _text(browser, ids.CRUMBS)
    assert PROVINCE_NAME in crumbs and crumbs.count("›") == 3, crumbs  # country › cluster › province › district
    _settled(browser)
    _shot(browser, artifacts, "access-viewer-district-th.png")

    # a crafted link to another province: said plainly, and nothing of it shown
    browser.get(site.url + f"?area={OTHER}")
    wait_for(browser, _shows(ids.NOTICE, t("out_of_scope")))
    assert _text(browser, ids.NOTICE).strip() == t("out_of_scope")
    wait_for(browser, f"window.location.search.includes('area={PROVINCE}&')")
    _map_shows(browser, PROVINCE)
    _settled(browser)
    assert browser.execute_script(
        f"const e = document.getElementById('{ids.NOTICE}'); return e.offsetParent !== null && e.offsetHeight > 0"
    )  # the notice is on screen, not only in the page
    page = _body(browser)
    assert OTHER_NAME not in page and OTHER_NAME not in browser.page_source
    assert PROVINCE_NAME in _text(browser, ids.CRUMBS)
    assert not _tab_visible(browser, "review") and not _tab_visible(browser, "audit")
    _shot(browser, artifacts, "access-out-of-scope-th.png")

    # sign out: back at the sign-in page, and the map is closed again
    _sign_out(browser)
    browser.get(site.url)
    wait_for(browser, "window.location.pathname === '/login' && document.getElementById('username')")
    assert LOGIN_TEXT["title"][0] in _body(browser)


def test_an_officer_decides_and_the_admin_reads_it_in_the_audit(site: Site, browser, artifacts: Path) -> None:
    key, item = site.suggestion["allocation_key"], site.suggestion["item_key"]
    _sign_in(browser, site.url, OFFICER)
    wait_for(browser, _shows(ids.CRUMBS, PROVINCE_NAME), timeout=30)
    assert _tab_visible(browser, "review") and not _tab_visible(browser, "audit")

    # the review page: accept the suggestion
    _click(browser, f"#{ids.VIEW_TAB}-review")
    wait_for(browser, "window.location.search.includes('view=review')")
    wait_for(browser, _shows(ids.REVIEW_HEAD, PROVINCE_NAME))
    rows = "document.querySelectorAll('tr.suggestion')"
    wait_for(browser, f"[...{rows}].some(r => r.innerText.includes('{key}'))")
    index = browser.execute_script(f"return [...{rows}].findIndex(r => r.innerText.includes('{key}'))")
    assert t("pending") in browser.execute_script(f"return {rows}[{index}].innerText")
    _click(browser, f"tr.suggestion:nth-of-type({index + 1}) button.accept")
    saved = t("review_saved", decision=t("decision_accepted"), title=f"{key} → {item}")
    wait_for(browser, _shows(ids.REVIEW_STATUS, saved))
    wait_for(browser, f"{rows}[{index}].classList.contains('accepted')")
    assert t("decision_accepted") in browser.execute_script(f"return {rows}[{index}].innerText")
    _settled(browser)
    _shot(browser, artifacts, "access-review-th.png")

    with connect(site.settings) as conn:
        history = conn.execute(
            "SELECT decision, decided_by FROM match_decision_history WHERE allocation_key = %s AND item_key = %s",
            [key, item],
        ).fetchall()
        latest = conn.execute(
            "SELECT decision, decided_by FROM match_decisions WHERE allocation_key = %s AND item_key = %s",
            [key, item],
        ).fetchall()
    assert [dict(r) for r in history] == [{"decision": "accepted", "decided_by": OFFICER}]
    assert [dict(r) for r in latest] == [{"decision": "accepted", "decided_by": OFFICER}]

    # the admin, after the officer signed out, reads the decision on the audit page
    _sign_out(browser)
    _sign_in(browser, site.url, ADMIN)
    assert _tab_visible(browser, "review") and _tab_visible(browser, "audit")
    _click(browser, f"#{ids.VIEW_TAB}-audit")
    wait_for(browser, "window.location.search.includes('view=audit')")
    table = f"#{ids.AUDIT_CONTENT} table.audit-table tbody tr"
    wait_for(browser, f"document.querySelectorAll('{table}').length > 0", timeout=20)
    entries = browser.execute_script(
        f"return [...document.querySelectorAll('{table}')].map(r => [...r.cells].map(c => c.innerText))"
    )
    decisions = [e for e in entries if e[1] == OFFICER and e[3] == "decision"]
    assert len(decisions) == 1, entries
    assert decisions[0][4] == f"{key} → {item}" and '"accepted"' in decisions[0][5]
    assert [e[3] for e in entries if e[1] == OFFICER][::-1] == ["login", "decision", "logout"]
    head = _text(browser, ids.AUDIT_CONTENT)
    assert t("audit_actor") in head and t("audit_action") in head
    _settled(browser)
    _shot(browser, artifacts, "access-audit-th.png")
