"""Helpers for browser tests: serve a Dash app on a free port in a thread, drive headless Chromium."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
    "--lang=th-TH",
)


@contextmanager
def serving(app) -> Iterator[str]:  # noqa: ANN001 - a Dash app
    """Run ``app`` (its Flask server) on 127.0.0.1 and a free port until the block ends."""
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def chromium() -> webdriver.Chrome:
    """Debian's Chromium with its matching driver; the tests fail (not skip) without them."""
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        pytest.fail("chromium and chromium-driver are required (make install installs them)")
    options = Options()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver), options=options)


def wait_for(browser: webdriver.Chrome, script: str, timeout: float = 20.0):  # noqa: ANN201
    """Poll a JavaScript expression until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = browser.execute_script(f"return {script}")
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.2)
