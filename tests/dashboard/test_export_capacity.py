"""The download route under load, on a real server over a small pool: a storm of heavy exports
does not take the page's connections (the geometry route and the map callback keep their normal
time, nobody is told "database down"), every export either arrives or is told to retry (429 with
``Retry-After`` and a page in the view's language), a file already made costs no render slot,
and a new import is never answered with an old file."""

from __future__ import annotations

import json
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

import dash
import psycopg
import pytest
from werkzeug.serving import make_server

from dashboard import i18n, ids
from dashboard.app import create_app
from dashboard.exports import web
from dashboard.exports.capacity import ExportCapacity
from dashboard.exports.service import ExportError
from dashboard.exports.web import EXTENSION
from geodata.db import open_pool
from geodata.settings import Settings
from tests.helpers import demo_database

POOL = 4
WORKERS, WAITING = 2, 4
NATIONAL_TAMBON = "?level=tambon&fy=2569"
STORM = [  # 12 at once, more than the pool's connections and than workers + waiting room
    (f"/_planmap/export/map.png{NATIONAL_TAMBON}", "image/png"),
    (f"/_planmap/export/pack.pdf{NATIONAL_TAMBON}&lang=en", "application/pdf"),
] * 6


@contextmanager
def _served(settings: Settings) -> Iterator[tuple[str, dash.Dash, ExportCapacity]]:
    """The whole app on a threaded server over its own pool: base URL, app, export capacity."""
    pool = open_pool(settings, wait=True)
    app = create_app(settings, pool)
    capacity = app.server.extensions[EXTENSION]
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app, capacity
    finally:
        server.shutdown()
        thread.join(timeout=5)
        capacity.workers.close()
        pool.close()


@pytest.fixture(scope="module")
def storm_app(pg_cluster, demo_template) -> Iterator[tuple[str, dash.Dash, ExportCapacity]]:  # noqa: ANN001
    with demo_database(pg_cluster, "storm") as demo:
        yield from _serve(demo, pool_max=POOL, export_workers=WORKERS, export_queue=WAITING)


def _serve(settings: Settings, **overrides: object) -> Iterator[tuple[str, dash.Dash, ExportCapacity]]:
    with _served(settings.model_copy(update=overrides)) as served:
        yield served


def _get(url: str, timeout: float = 300) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _map_callback(app: dash.Dash) -> bytes:
    """The body of the ``_dash-update-component`` call that renders the map page's map."""
    key = next(k for k in app.callback_map if f"..{ids.MAP}.figure..." in k)
    spec = app.callback_map[key]
    values = {f"{ids.URL}.search": "?fy=2569", f"{ids.DB_OK}.data": {"ok": True, "version": 1}}
    return json.dumps(
        {
            "output": key,
            "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
            "inputs": [{**i, "value": values[f"{i['id']}.{i['property']}"]} for i in spec["inputs"]],
            "changedPropIds": [f"{ids.URL}.search"],
            "state": [],
        }
    ).encode()


def _page_calls(base: str, body: bytes) -> tuple[float, float]:
    """A geometry file and a map render, as the page asks for them (seconds each); neither may
    say that the database is down."""
    start = time.perf_counter()
    status, _, _ = _get(f"{base}/_planmap/geo/province/TH.json?v=1", timeout=60)
    geo = time.perf_counter() - start
    assert status == 200, f"geometry route answered {status}"
    start = time.perf_counter()
    request = urllib.request.Request(
        f"{base}/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = response.read().decode()
    assert '"figure"' in answer
    assert json.dumps(i18n.t("db_down"))[1:-1] not in answer, "the map said 'database down'"
    return geo, time.perf_counter() - start


def _p50_max(seconds: list[float]) -> list[int]:
    return [round(statistics.median(seconds) * 1000), round(max(seconds) * 1000)]


@pytest.mark.slow
def test_a_storm_of_exports_leaves_the_page_its_connections(
    storm_app: tuple[str, dash.Dash, ExportCapacity],
) -> None:
    base, app, _ = storm_app
    body = _map_callback(app)
    _page_calls(base, body)  # warm: options, imports
    before = [_page_calls(base, body) for _ in range(10)]

    results: list[tuple[str, int, dict[str, str], bytes, str, float]] = []
    gate = threading.Barrier(len(STORM) + 1)

    def ask(url: str, mimetype: str) -> None:
        gate.wait()
        status, headers, data = _get(base + url)
        results.append((url, status, headers, data, mimetype, time.perf_counter() - start))

    threads = [threading.Thread(target=ask, args=export) for export in STORM]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    gate.wait()
    during = []
    while any(t.is_alive() for t in threads):
        during.append(_page_calls(base, body))
        time.sleep(0.02)  # a page's polls and clicks, not a busy loop taking a CPU of its own
    for thread in threads:
        thread.join()

    done = [r for r in results if r[1] == 200]
    told_to_retry = [r for r in results if r[1] == 429]
    figures = {
        "exports": len(results),
        "200": len(done),
        "429": len(told_to_retry),
        "last_completion_s": round(max(r[5] for r in done), 1),
        "geo_ms_p50_max_before": _p50_max([g for g, _ in before]),
        "geo_ms_p50_max_during": _p50_max([g for g, _ in during]),
        "map_callback_ms_p50_max_before": _p50_max([m for _, m in before]),
        "map_callback_ms_p50_max_during": _p50_max([m for _, m in during]),
        "page_calls_during": len(during),
    }
    print("\nconcurrent exports:", json.dumps(figures))
    for url, status, headers, data, mimetype, _ in results:
        assert status in (200, 429), (url, status, data[:200])
        if status == 200:
            assert headers["Content-Type"] == mimetype and len(data) > 1000, url
        else:
            assert int(headers["Retry-After"]) >= 1 and headers["Content-Type"].startswith("text/html")
            assert f'http-equiv="refresh" content="{headers["Retry-After"]}"'.encode() in data
            english = "lang=en" in url
            assert ("preparing other exports" in data.decode()) is english, url
    assert told_to_retry, "more requests than workers + waiting room at once, yet none was told to retry"
    assert len(done) >= WORKERS + WAITING, figures
    for which in (0, 1):  # the geometry route, the map callback
        normal, busy = [call[which] for call in before], [call[which] for call in during]
        assert statistics.median(busy) < 5 * statistics.median(normal) + 0.05, figures
        assert max(busy) < 5 * max(normal) + 1.0, figures  # the pool's timeout is 2 s


@pytest.fixture()
def small_app(demo_db: Settings) -> Iterator[tuple[str, dash.Dash, ExportCapacity]]:
    """One worker and no waiting room: the second export at once is told to retry."""
    yield from _serve(demo_db, export_workers=1, export_queue=0)


def _counting(capacity: ExportCapacity, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The renders the app's workers are asked for, as they happen."""
    renders: list[object] = []
    run: Callable = capacity.workers.run

    def counted(fn, arg):  # noqa: ANN001, ANN202
        renders.append(arg)
        return run(fn, arg)

    monkeypatch.setattr(capacity.workers, "run", counted)
    return renders


def test_a_file_already_made_needs_no_slot_and_a_new_import_is_made_again(
    small_app: tuple[str, dash.Dash, ExportCapacity], demo_db: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _, capacity = small_app
    renders = _counting(capacity, monkeypatch)
    ranking = f"{base}/_planmap/export/ranking.csv?area=37&level=district&fy=2569"
    first = _get(ranking)
    assert first[0] == 200 and len(renders) == 1
    with capacity.queue.slot():  # the only worker is busy: a new file must wait its turn
        again = _get(ranking)
        assert again[0] == 200 and again[2] == first[2] and len(renders) == 1  # from the cache
        status, headers, page = _get(f"{base}/_planmap/export/items.csv?area=37&fy=2569")
        assert status == 429 and int(headers["Retry-After"]) >= 1
        assert i18n.t("export_busy_title") in page.decode() and 'href="items.csv?area=37' in page.decode()
        status, _, page = _get(f"{base}/_planmap/export/items.csv?area=37&fy=2569&lang=en")
        assert status == 429 and "Retry now" in page.decode()
    with psycopg.connect(demo_db.database_url, autocommit=True) as conn:  # a new import
        conn.execute("INSERT INTO import_runs (kind, source, status) VALUES ('plans', 'test', 'loaded')")
    assert _get(ranking)[0] == 200 and len(renders) == 2  # made again, not the old file
    assert len(capacity.cache) == 1  # the old version's file is gone


def test_an_export_that_fails_gives_its_slot_back(
    small_app: tuple[str, dash.Dash, ExportCapacity], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _, capacity = small_app

    def unreadable(*args: object, **kwargs: object) -> None:
        raise ExportError("no fiscal year is loaded")

    def dead(*args: object) -> None:
        raise BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(web, "read", unreadable)
    for _ in range(2):  # one worker, no waiting room: a slot kept by a failure would answer 429
        assert _get(f"{base}/_planmap/export/map.png?area=37")[0] == 400
    monkeypatch.undo()
    monkeypatch.setattr(capacity.workers, "run", dead)
    for _ in range(2):
        assert _get(f"{base}/_planmap/export/ranking.csv?area=37")[0] == 503
    with capacity.queue.slot():  # free: no QueueFull
        pass
