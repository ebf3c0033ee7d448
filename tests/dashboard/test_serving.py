"""``planmap serve`` as it runs in production: gunicorn in a subprocess on a free port over the
demo database, asked over real sockets (and by a real Chromium) what a deployment relies on: the
security headers and a policy the page works under, the host check, the body limit, forwarded
headers believed only when configured, a graceful reload on HUP and a stop on TERM."""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from geodata.settings import Settings
from tests.browser import chromium, wait_for
from tests.helpers import demo_database, free_port

PLANMAP = Path(sys.executable).with_name("planmap")


@dataclass
class Served:
    """A running ``planmap serve``: its process, port and everything it printed."""

    process: subprocess.Popen
    port: int
    lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def request(
        self, method: str = "GET", path: str = "/", headers: dict[str, str] | None = None, body: bytes | None = None
    ) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response

    def workers(self) -> set[int]:
        """The master's child processes (the workers; no export has started a renderer)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return {int(pid) for pid in children.split()}

    def log_line(self, marker: str) -> str:
        """The last line printed that contains ``marker``, waiting a little for it (an access
        log line is written just after its response)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            found = [line for line in self.lines if marker in line]
            if found:
                return found[-1]
            time.sleep(0.1)
        raise AssertionError(f"no access log line for {marker}:\n" + "".join(self.lines[-20:]))


@contextmanager
def planmap_serve(settings: Settings, tmp: Path, **env: str | None) -> Iterator[Served]:
    """``planmap serve`` over ``settings``' database, started in ``tmp`` (no ``.env`` of the
    developer's; a test may write its own), until it answers; stopped with TERM at the end
    (killed if it hangs). ``env`` adds variables (None removes one)."""
    port = free_port()
    variables = {
        **os.environ,
        "PLANMAP_DATABASE_URL": settings.database_url or "",
        "PLANMAP_ANONYMOUS_READ": "true",
        "PLANMAP_PORT": str(port),
        "PLANMAP_WORKERS": "2",
        "PLANMAP_THREADS": "4",
        "PLANMAP_EXPORT_CACHE_MB": "0",
        **env,
    }
    variables = {name: value for name, value in variables.items() if value is not None}
    process = subprocess.Popen(
        [str(PLANMAP), "serve"],
        cwd=tmp,
        env=variables,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(process, port)
    reader = threading.Thread(target=lambda: served.lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        _wait_until_it_answers(served)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(timeout=5)


def _wait_until_it_answers(served: Served, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError("planmap serve exited:\n" + "".join(served.lines))
        try:
            if served.request().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError("planmap serve did not answer:\n" + "".join(served.lines))


def _database_sockets(pid: int, db_port: int) -> int:
    """How many TCP connections to the database port process ``pid`` holds (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == db_port and fields[9] in inodes:
                count += 1
    return count


def wait_for_condition(check, timeout: float = 20.0) -> None:  # noqa: ANN001 - a callable
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def demo_settings(pg_cluster, demo_template) -> Iterator[Settings]:  # noqa: ANN001 - session fixtures
    with demo_database(pg_cluster, "serving") as settings:
        yield settings


@pytest.fixture(scope="module")
def served(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with planmap_serve(demo_settings, tmp_path_factory.mktemp("serve")) as running:
        yield running


def test_the_page_carries_the_policy_and_the_security_headers(served: Served) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    conn.request("GET", "/")
    response = conn.getresponse()
    page = response.read().decode()
    assert response.status == 200 and "react-entry-point" in page
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "same-origin"
    policy = dict(d.split(" ", 1) for d in response.getheader("Content-Security-Policy").split("; "))
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    # every inline script the browser runs is allowed by its hash (the JSON config is not run)
    inline = re.findall(r"<script(?![^>]*\b(?:src|type=\"application/json\"))[^>]*>(.*?)</script>", page, re.S)
    inline = [s for s in inline if "alert(" not in s]  # Dash's IE-only comment, never parsed as a script
    assert inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    # every response carries them, not only the page
    assert served.request(path="/_favicon.ico").getheader("X-Content-Type-Options") == "nosniff"


def test_the_access_log_has_status_and_duration_and_no_query_string(served: Served) -> None:
    assert served.request(path="/logged-path?secret=hunter2").status == 200  # any path is the page
    line = served.log_line("/logged-path")
    assert re.search(r'"GET /logged-path HTTP/1.1" 200 \d+ \d+ms', line), line
    assert "hunter2" not in "".join(served.lines)


def test_a_host_not_trusted_is_refused(served: Served) -> None:
    assert served.request(headers={"Host": "planmap.attacker.example"}).status == 400
    assert served.request(headers={"Host": f"localhost:{served.port}"}).status == 200


def test_a_body_over_the_limit_is_refused_before_it_is_read(served: Served) -> None:
    """200 MB announced, 1 KB sent: the answer comes at once (a server reading the body would
    wait for the rest until the socket timed out)."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=15) as sock:
        sock.sendall(
            b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 209715200\r\n\r\n" + b"x" * 1024
        )
        assert sock.recv(64).startswith(b"HTTP/1.1 413")
    small = served.request("POST", "/_dash-update-component", {"Content-Type": "application/json"}, b"[]" * 1000)
    assert small.status != 413


def test_forwarded_headers_are_ignored_unless_a_proxy_is_trusted(
    served: Served, demo_settings: Settings, tmp_path: Path
) -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "planmap.attacker.example"}
    assert served.request(path="/not-forwarded", headers=forwarded).status == 200
    assert served.log_line("/not-forwarded").startswith("127.0.0.1 ")

    with planmap_serve(demo_settings, tmp_path, PLANMAP_TRUSTED_PROXIES="1") as behind_proxy:
        assert behind_proxy.request(path="/claimed-host", headers=forwarded).status == 400  # the host it claims
        trusted = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "localhost"}
        assert behind_proxy.request(path="/forwarded", headers=trusted).status == 200
        assert behind_proxy.log_line("/forwarded").startswith("203.0.113.9 ")


def test_workers_open_their_pools_after_the_fork_reload_on_hup_and_stop_on_term(
    demo_settings: Settings, tmp_path: Path
) -> None:
    """HUP while a client keeps asking: the changed ``.env`` applies (a third worker), every old
    worker is replaced, the port never stops answering."""
    db_port = urlsplit(demo_settings.database_url).port
    (tmp_path / ".env").write_text("PLANMAP_WORKERS=2\n")
    with planmap_serve(demo_settings, tmp_path, PLANMAP_WORKERS=None) as running:
        wait_for_condition(lambda: len(running.workers()) == 2)  # it answers once the first is up
        old = running.workers()
        wait_for_condition(lambda: all(_database_sockets(pid, db_port) for pid in running.workers()))
        assert _database_sockets(running.process.pid, db_port) == 0  # the master holds no connection

        statuses: list[int | str] = []
        stop = threading.Event()

        def keep_asking() -> None:
            while not stop.is_set():
                try:
                    statuses.append(running.request(path="/_favicon.ico").status)
                except OSError as exc:  # refused or reset: what a reload must never do
                    statuses.append(repr(exc))

        asker = threading.Thread(target=keep_asking)
        asker.start()
        try:
            time.sleep(0.5)
            (tmp_path / ".env").write_text("PLANMAP_WORKERS=3\n")
            running.process.send_signal(signal.SIGHUP)
            wait_for_condition(lambda: len(running.workers()) == 3 and not running.workers() & old, timeout=60)
            assert running.request().status == 200
            time.sleep(0.5)
        finally:
            stop.set()
            asker.join(timeout=40)
        assert len(statuses) > 5 and set(statuses) == {200}, statuses  # no request failed meanwhile

        (tmp_path / ".env").write_text("PLANMAP_WORKERS=many\n")  # a mistake keeps what runs
        running.process.send_signal(signal.SIGHUP)
        running.log_line("settings not reloaded, the running ones stay")
        assert running.request().status == 200 and running.process.poll() is None

        running.process.send_signal(signal.SIGTERM)
        assert running.process.wait(timeout=40) == 0
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", running.port), timeout=2).close()
    assert any("Handling signal: hup" in line for line in running.lines)


GD = "document.querySelector('#map .js-plotly-plot')"
MAP_DRAWN = (
    f"{GD} && {GD}.data && {GD}.data.length && {GD}._fullLayout.map"
    f" && {GD}._fullLayout.map._subplot && {GD}._fullLayout.map._subplot.map.loaded()"
)


@pytest.mark.browser
def test_the_map_renders_under_the_policy_without_violations(served: Served, artifacts: Path) -> None:
    """Through gunicorn, with the policy on: the national map draws (MapLibre's blob: worker,
    the geometry fetched from the app), the street-tile view asks nothing the policy refuses
    (without internet its tiles fail to load, which is not a violation), and the modebar has no
    plotly logo."""
    browser = chromium()
    try:
        for query in ("", "?tiles=1&area=37"):
            browser.get(served.url + query)
            wait_for(browser, f"{MAP_DRAWN} && {GD}.data.flatMap(t => t.locations || t.ids || []).length", timeout=40)
            time.sleep(1.5)  # let tile requests and late scripts report
            violations = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
            assert violations == [], violations
        assert browser.execute_script("return document.querySelector('.modebar-btn--logo')") is None
        browser.save_screenshot(str(artifacts / "serving-under-csp.png"))
    finally:
        browser.quit()
