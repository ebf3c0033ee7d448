"""The upload page in headless Chromium: an officer of Phitsanulok signs in, drops the province's
real workbook, runs the check, sees the counts, the map and the difference (screenshot
``tests/artifacts/upload-dryrun.png``), confirms, and finds the source in the list."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from dashboard import ids
from dashboard.app import create_app
from geodata.db import open_pool
from tests.browser import chromium, serving, wait_for
from tests.helpers import add_account, demo_database, scratch_dir, shared_data_dir

pytestmark = [pytest.mark.browser, pytest.mark.real_data, pytest.mark.slow]

WORKBOOK = "131 พิษณุโลก (99คก491ลบ)อปท.xlsx"
OFFICER, PASSWORD = "officer.65", "a long password 1"


@pytest.fixture(scope="module")
def site(pg_cluster, demo_template) -> Iterator[str]:  # noqa: ANN001 - the session's cluster
    with demo_database(pg_cluster, "upload_browser") as demo:
        settings = demo.model_copy(update={"anonymous_read": False, "data_dir": scratch_dir("planmap-upload-b-")})
        add_account(settings, OFFICER, "officer", "65", password=PASSWORD)
        pool = open_pool(settings, wait=True)
        with pool, serving(create_app(settings, pool)) as url:
            yield url


def _settled(browser) -> None:  # noqa: ANN001
    wait_for(browser, "!document.querySelector('._dash-loading-callback')", timeout=60)
    time.sleep(0.5)


def test_an_officer_uploads_in_the_browser(site: str, artifacts: Path, tmp_path: Path) -> None:
    browser = chromium()
    try:
        browser.get(site)
        wait_for(browser, "document.getElementById('username')")
        browser.find_element(By.ID, "username").send_keys(OFFICER)
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait_for(browser, f"document.getElementById('{ids.PAGE}')")
        browser.get(site + "?area=65&view=upload")
        wait_for(browser, f"document.getElementById('{ids.UPLOAD}')")
        _settled(browser)
        source = shared_data_dir() / "plans" / "thaime_2020_loan_proposals" / "raw_by_province" / WORKBOOK
        copy = tmp_path / WORKBOOK
        shutil.copy(source, copy)
        browser.find_element(By.CSS_SELECTOR, f"#{ids.UPLOAD} input[type=file]").send_keys(str(copy))
        wait_for(browser, f"(document.getElementById('{ids.UPLOAD_FILE}')?.innerText || '').includes('XLSX')")
        browser.find_element(By.ID, ids.UPLOAD_CHECK).click()
        wait_for(browser, f"(document.getElementById('{ids.UPLOAD_RESULT}')?.innerText || '').includes('แถวที่อ่าน')", 90)
        _settled(browser)
        wait_for(browser, "document.querySelector('.upload-result .js-plotly-plot')")
        time.sleep(2)  # the map's geometry
        text = browser.execute_script(f"return document.getElementById('{ids.UPLOAD_RESULT}').innerText")
        assert "ท่านไม่มีสิทธิ์" not in text and "ใหม่" in text
        browser.execute_script("window.scrollTo(0, 0)")
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1400, min(height + 140, 3600))
        time.sleep(1)
        browser.save_screenshot(str(artifacts / "upload-dryrun.png"))
        browser.set_window_size(1400, 1000)
        browser.find_element(By.ID, ids.UPLOAD_CONFIRM).click()
        wait_for(browser, f"(document.getElementById('{ids.UPLOAD_STATUS}')?.innerText || '').includes('นำเข้าแล้ว')", 90)
        wait_for(
            browser,
            f"(document.getElementById('{ids.UPLOAD_SOURCES}')?.innerText || '').includes('{copy.stem}')",
            30,
        )
        _settled(browser)
        browser.execute_script(f"document.getElementById('{ids.UPLOAD_STATUS}').scrollIntoView({{block: 'start'}})")
        time.sleep(0.5)
        browser.save_screenshot(str(artifacts / "upload-confirmed.png"))
    finally:
        browser.quit()
