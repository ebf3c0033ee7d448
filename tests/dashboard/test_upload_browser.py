"""The upload page in headless Chromium: an officer of Phitsanulok signs in, drops the province's
real workbook, runs the check, sees the counts, the map and the difference (screenshot
``tests/artifacts/upload-dryrun.png``), confirms, and finds the source in the list; then drops a
corrected copy (one amount changed, one row deleted), sees one changed and one retired row
(``upload-difference.png``), confirms, and the map's requested amount moves by exactly that; and drops
crafted bad files (a picture named ``plans.xlsx``, a workbook with an amount that is no number),
sees in plain words what is wrong (``upload-bad-type.png``, ``upload-bad-row.png``) and nothing
is loaded."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pytest
from selenium.webdriver.common.by import By

from dashboard import ids
from dashboard.app import create_app
from etl.normalize import parse_amount
from geodata.db import connect, open_pool
from geodata.settings import Settings
from tests.browser import chromium, serving, wait_for
from tests.helpers import add_account, demo_database, scratch_dir, shared_data_dir

pytestmark = [pytest.mark.browser, pytest.mark.real_data, pytest.mark.slow]

WORKBOOK = "131 พิษณุโลก (99คก491ลบ)อปท.xlsx"
OFFICER, PASSWORD = "officer.65", "a long password 1"


class Served(NamedTuple):
    url: str
    settings: Settings


@pytest.fixture(scope="module")
def served(pg_cluster, demo_template) -> Iterator[Served]:  # noqa: ANN001 - the session's cluster
    with demo_database(pg_cluster, "upload_browser") as demo:
        settings = demo.model_copy(update={"anonymous_read": False, "data_dir": scratch_dir("planmap-upload-b-")})
        add_account(settings, OFFICER, "officer", "65", password=PASSWORD)
        pool = open_pool(settings, wait=True)
        with pool, serving(create_app(settings, pool)) as url:
            yield Served(url, settings)


@pytest.fixture(scope="module")
def site(served: Served) -> str:
    return served.url


def _settled(browser) -> None:  # noqa: ANN001
    wait_for(browser, "!document.querySelector('._dash-loading-callback')", timeout=60)
    time.sleep(0.5)


def _open_upload_page(browser, site: str) -> None:  # noqa: ANN001
    """Sign the officer in through the form and open the upload page."""
    browser.get(site)
    wait_for(browser, "document.getElementById('username')")
    browser.find_element(By.ID, "username").send_keys(OFFICER)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, f"document.getElementById('{ids.PAGE}')")
    browser.get(site + "?area=65&view=upload")
    wait_for(browser, f"document.getElementById('{ids.UPLOAD}')")
    _settled(browser)


def _text_of(browser, element_id: str) -> str:  # noqa: ANN001
    return browser.execute_script(f"return document.getElementById('{element_id}')?.innerText || ''")


def _check(browser, path: Path) -> str:  # noqa: ANN001
    """Drop the file on the upload page and run the check; the result's text."""
    browser.find_element(By.CSS_SELECTOR, f"#{ids.UPLOAD} input[type=file]").send_keys(str(path))
    wait_for(browser, f"(document.getElementById('{ids.UPLOAD_FILE}')?.innerText || '').includes('XLSX')")
    browser.find_element(By.ID, ids.UPLOAD_CHECK).click()
    wait_for(browser, f"(document.getElementById('{ids.UPLOAD_RESULT}')?.innerText || '').includes('แถวที่อ่าน')", 90)
    _settled(browser)
    wait_for(browser, "document.querySelector('.upload-result .js-plotly-plot')")
    time.sleep(2)  # the map's geometry
    return browser.execute_script(f"return document.getElementById('{ids.UPLOAD_RESULT}').innerText")


def _whole_page(browser, path: Path) -> None:  # noqa: ANN001
    browser.execute_script("window.scrollTo(0, 0)")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(height + 140, 3600))
    time.sleep(1)
    browser.save_screenshot(str(path))
    browser.set_window_size(1400, 1000)


def _confirm(browser, stem: str) -> None:  # noqa: ANN001
    browser.find_element(By.ID, ids.UPLOAD_CONFIRM).click()
    wait_for(browser, f"(document.getElementById('{ids.UPLOAD_STATUS}')?.innerText || '').includes('นำเข้าแล้ว')", 90)
    wait_for(browser, f"(document.getElementById('{ids.UPLOAD_SOURCES}')?.innerText || '').includes('{stem}')", 30)
    _settled(browser)


def _corrected(original: Path, folder: Path) -> tuple[Path, Decimal]:
    """The workbook under its own name (the same source) with one row's amount changed and another
    row deleted; returns it and the change of the source's total, in baht."""
    folder.mkdir()
    copy = folder / original.name
    book = openpyxl.load_workbook(original)
    sheet = book.worksheets[0]
    changed, deleted = 5, 9  # spreadsheet rows (header in row 1); column 4 is the amount
    before = parse_amount(sheet.cell(changed, 4).value) + parse_amount(sheet.cell(deleted, 4).value)
    sheet.cell(changed, 4).value = 3_999_999
    sheet.delete_rows(deleted)
    book.save(copy)
    return copy, Decimal(3_999_999) - before


def _requested_on_the_map(browser, site: str, fiscal_year: int, level: str) -> Decimal:  # noqa: ANN001
    """The map page's requested amount for the province, to the satang (the card's tooltip)."""
    browser.get(f"{site}?area=65&fy={fiscal_year}&plan={level}")
    script = "document.querySelector('#card-requested .value')?.getAttribute('title')"
    wait_for(browser, script, timeout=60)
    # the first cards may be those of the page before its link was read: the value that stays
    seen = None
    for _ in range(60):
        _settled(browser)
        exact = browser.execute_script(f"return {script}")
        if exact == seen:
            return Decimal(exact.split()[0].replace(",", ""))
        seen = exact
    raise AssertionError(f"the requested card kept changing: {seen}")


def test_an_officer_uploads_in_the_browser(served: Served, artifacts: Path, tmp_path: Path) -> None:
    site = served.url
    browser = chromium()
    try:
        _open_upload_page(browser, site)
        source = shared_data_dir() / "plans" / "thaime_2020_loan_proposals" / "raw_by_province" / WORKBOOK
        copy = tmp_path / WORKBOOK
        shutil.copy(source, copy)
        text = _check(browser, copy)
        assert "ท่านไม่มีสิทธิ์" not in text and "ใหม่" in text
        _whole_page(browser, artifacts / "upload-dryrun.png")
        _confirm(browser, copy.stem)
        browser.execute_script(f"document.getElementById('{ids.UPLOAD_STATUS}').scrollIntoView({{block: 'start'}})")
        time.sleep(0.5)
        browser.save_screenshot(str(artifacts / "upload-confirmed.png"))

        with connect(served.settings) as conn:
            fiscal_year, level = (
                conn.execute(
                    "SELECT i.fiscal_year, p.level FROM plan_items i JOIN plans p ON p.id = i.plan_id"
                    " JOIN sources s ON s.id = i.source_id WHERE s.name = %s"
                    " GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1",
                    [copy.stem],
                )
                .fetchone()
                .values()
            )
        before = _requested_on_the_map(browser, site, fiscal_year, level)
        assert before >= Decimal("491353664.08"), before  # the workbook just loaded is on the map
        corrected, change = _corrected(source, tmp_path / "corrected")
        browser.get(site + "?area=65&view=upload")
        wait_for(browser, f"document.getElementById('{ids.UPLOAD}')")
        _settled(browser)
        text = _check(browser, corrected)
        counts: dict[str, str] = {}  # the count cards come first; the difference's rows after them
        for value, label in re.findall(r"([\d,]+)\n(ใหม่|เปลี่ยนแปลง|เลิกใช้|ไม่เปลี่ยน)\n", text):
            counts.setdefault(label, value)
        assert counts == {"ใหม่": "0", "เปลี่ยนแปลง": "1", "เลิกใช้": "1", "ไม่เปลี่ยน": "97"}, text[:600]
        assert "แถวว่างท้ายตาราง (1)" in text and "trailing" not in text  # the row openpyxl left blank, in Thai
        _whole_page(browser, artifacts / "upload-difference.png")
        _confirm(browser, copy.stem)
        assert _requested_on_the_map(browser, site, fiscal_year, level) - before == change != 0
    finally:
        browser.quit()


def _loaded(settings: Settings) -> dict[str, int]:
    """Plan items, sources and plan imports that loaded: what a refused file must leave as it was."""
    with connect(settings) as conn:
        return conn.execute(
            "SELECT (SELECT count(*) FROM plan_items) AS items, (SELECT count(*) FROM sources) AS sources,"
            " (SELECT count(*) FROM import_runs WHERE kind = 'plans' AND status = 'loaded') AS runs"
        ).fetchone()


def _bad_workbook(path: Path) -> Path:
    """A real workbook with the plan columns: one good row, then an amount that is no number."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ชื่อโครงการ", "วงเงิน", "รหัสพื้นที่", "ปีงบประมาณ"])
    sheet.append(["ก่อสร้างถนนสายทดสอบเบราว์เซอร์", 350000, "6501", 2569])
    sheet.append(["ขุดลอกคลองทดสอบเบราว์เซอร์", "abc", "6502", 2569])
    book.save(path)
    return path


def _screenshot(browser, element_id: str, path: Path) -> None:  # noqa: ANN001
    browser.execute_script(f"document.getElementById('{element_id}').scrollIntoView({{block: 'center'}})")
    time.sleep(0.3)
    browser.save_screenshot(str(path))


def test_bad_files_say_what_is_wrong_and_load_nothing(served: Served, artifacts: Path, tmp_path: Path) -> None:
    before = _loaded(served.settings)
    browser = chromium()
    try:
        _open_upload_page(browser, served.url)
        drop = browser.find_element(By.CSS_SELECTOR, f"#{ids.UPLOAD} input[type=file]")

        # (1) a picture named plans.xlsx: refused by its content the moment it is dropped
        picture = tmp_path / "plans.xlsx"
        picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
        drop.send_keys(str(picture))
        wait_for(browser, f"(document.getElementById('{ids.UPLOAD_FILE}')?.innerText || '').includes('ไม่รับไฟล์นี้')")
        _settled(browser)
        refused = _text_of(browser, ids.UPLOAD_FILE)
        assert "ไม่ใช่ CSV หรือ Excel (.xlsx)" in refused and "Traceback" not in refused
        assert browser.execute_script(f"return document.querySelector('#{ids.UPLOAD_FILE} .alert') !== null")
        _screenshot(browser, ids.UPLOAD, artifacts / "upload-bad-type.png")
        browser.find_element(By.ID, ids.UPLOAD_CHECK).click()  # no file was kept: nothing to check
        wait_for(browser, f"(document.getElementById('{ids.UPLOAD_RESULT}')?.innerText || '').includes('ยังไม่มีไฟล์')")
        browser.find_element(By.ID, ids.UPLOAD_CONFIRM).click()
        wait_for(browser, f"(document.getElementById('{ids.UPLOAD_STATUS}')?.innerText || '').includes('ยังไม่มีไฟล์')")
        assert _loaded(served.settings) == before

        # (2) a real workbook whose second row has the amount "abc": the dry run names the cell
        workbook = _bad_workbook(tmp_path / "แผนทดสอบ.xlsx")
        drop.send_keys(str(workbook))
        wait_for(browser, f"(document.getElementById('{ids.UPLOAD_FILE}')?.innerText || '').includes('XLSX')")
        browser.find_element(By.ID, ids.UPLOAD_CHECK).click()
        wait_for(browser, f"(document.getElementById('{ids.UPLOAD_RESULT}')?.innerText || '').includes('แถวที่อ่าน')", 60)
        _settled(browser)
        result = _text_of(browser, ids.UPLOAD_RESULT)
        assert "Traceback" not in result and "จะไม่นำเข้าข้อมูลใด ๆ" in result
        rejects = browser.execute_script(
            "return [...document.querySelectorAll('.upload-result table.chain-table')].map("
            "t => [...t.querySelectorAll('tbody tr')].map(r => [...r.cells].map(c => c.innerText)))[0] || []"
        )
        assert len(rejects) == 1, rejects
        (file, _sheet, row, field, value, reason) = rejects[0]
        assert (file, row, field, value) == (workbook.name, "3", "วงเงิน", "abc")  # the cell, in Thai words
        assert reason.startswith("ไม่ใช่ตัวเลข") and "Traceback" not in reason
        assert _loaded(served.settings) == before  # a dry run loads nothing
        browser.find_element(By.ID, ids.UPLOAD_CONFIRM).click()
        wait_for(
            browser,
            f"(document.getElementById('{ids.UPLOAD_STATUS}')?.innerText || '').includes('จะไม่นำเข้าข้อมูลใด ๆ')",
            60,
        )
        _settled(browser)
        assert "นำเข้าแล้ว" not in _text_of(browser, ids.UPLOAD_STATUS)
        browser.execute_script("window.scrollTo(0, 0)")
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1400, min(height + 140, 3600))
        time.sleep(1)
        browser.save_screenshot(str(artifacts / "upload-bad-row.png"))
        assert _loaded(served.settings) == before
    finally:
        browser.quit()
