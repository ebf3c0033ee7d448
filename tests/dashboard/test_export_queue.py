"""The download route's parts without a database: the queue admits workers + waiting and refuses
the rest at once, and gives a slot back however an export ends; the cache serves a file again,
forgets the least recently used by bytes, and never answers a new data version with an old file;
the busy page speaks the view's language and escapes; the render workers run in a process."""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass

import pytest

from dashboard.exports.busy import busy_page
from dashboard.exports.cache import CacheKey, ExportCache
from dashboard.exports.queue import ExportQueue, QueueFull
from dashboard.exports.workers import RenderWorkers


@dataclass(frozen=True)
class File:
    data: bytes


def _key(version: int = 1, search: str = "?fy=2569", kind: str = "map") -> CacheKey:
    return CacheKey(version, kind, "png", search)


def test_the_queue_admits_workers_and_waiting_and_refuses_the_rest_at_once() -> None:
    queue = ExportQueue(workers=2, waiting=1)
    release = threading.Event()
    inside, entered = [], threading.Semaphore(0)

    def export() -> None:
        with queue.slot():
            inside.append(1)
            entered.release()
            release.wait(10)

    threads = [threading.Thread(target=export) for _ in range(3)]
    for thread in threads:
        thread.start()
    assert entered.acquire(timeout=5) and entered.acquire(timeout=5)
    time.sleep(0.1)
    assert len(inside) == 2  # the third waits for a worker
    started = time.monotonic()
    with pytest.raises(QueueFull) as full, queue.slot():
        pass
    assert time.monotonic() - started < 0.5  # refused at once, not after a wait
    assert 2 <= full.value.retry_after <= 30
    release.set()
    for thread in threads:
        thread.join(5)
    assert len(inside) == 3


def test_a_failed_export_gives_its_slot_back() -> None:
    queue = ExportQueue(workers=1, waiting=0)
    for _ in range(3):
        with pytest.raises(RuntimeError), queue.slot():
            raise RuntimeError("render failed")
    with queue.slot():
        with pytest.raises(QueueFull), queue.slot():
            pass


def test_retry_after_follows_how_long_exports_take() -> None:
    queue = ExportQueue(workers=2, waiting=0)
    for _ in range(20):
        with queue.slot():
            pass
    assert queue.retry_after() == 2  # quick exports: the shortest wait
    queue._measured(1000.0)  # one export of a quarter hour
    assert queue.retry_after() == 30  # never longer than the longest


def test_the_cache_serves_a_file_again_and_forgets_the_least_recently_used_by_bytes() -> None:
    cache = ExportCache(max_bytes=250)
    a, b, c = _key(search="?a"), _key(search="?b"), _key(search="?c")
    cache.put(a, File(b"x" * 100))
    cache.put(b, File(b"y" * 100))
    assert cache.get(a) == File(b"x" * 100)  # a is now the most recently used
    cache.put(c, File(b"z" * 100))
    assert cache.get(b) is None and cache.get(a) and cache.get(c)
    assert cache.size == 200 and len(cache) == 2
    cache.put(_key(search="?huge"), File(b"h" * 300))  # larger than the whole cache: not kept
    assert cache.get(_key(search="?huge")) is None and cache.size == 200
    cache.put(a, File(b"x" * 50))  # the same key again: replaced, counted once
    assert cache.size == 150


def test_a_new_data_version_misses_and_frees_the_old_files() -> None:
    cache = ExportCache()
    cache.put(_key(1), File(b"old"))
    assert cache.get(_key(1)) == File(b"old")
    assert cache.get(_key(2)) is None
    cache.put(_key(2, kind="pack"), File(b"new"))
    assert cache.get(_key(1)) is None and len(cache) == 1


def test_the_cache_is_safe_across_threads() -> None:
    cache = ExportCache(max_bytes=10_000)

    def churn(n: int) -> None:
        for i in range(500):
            cache.put(_key(search=f"?{n}-{i % 37}"), File(b"." * (i % 97)))
            cache.get(_key(search=f"?{n}-{i % 11}"))

    threads = [threading.Thread(target=churn, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 0 < cache.size <= 10_000
    assert cache.size == sum(len(cache.get(k).data) for k in list(cache._files))


def test_the_busy_page_speaks_the_views_language_and_escapes() -> None:
    thai = busy_page("th", 7, 'map.png?area=<script>&x="1"')
    assert '<html lang="th">' in thai and '<meta http-equiv="refresh" content="7">' in thai
    assert "กำลังเตรียมไฟล์ส่งออกอื่น" in thai and "7 วินาที" in thai
    assert "<script>" not in thai and "&lt;script&gt;" in thai and "&quot;1&quot;" in thai
    english = busy_page("en", 3, "map.png")
    assert '<html lang="en">' in english and "preparing other exports" in english and "every 3 seconds" in english


def test_render_workers_run_in_another_process_and_raise_its_errors() -> None:
    workers = RenderWorkers(1)
    try:
        assert workers.run(math.factorial, 5) == 120
        assert workers.run(_pid, None) != os.getpid()
        with pytest.raises(ValueError):
            workers.run(math.sqrt, -1)
    finally:
        workers.close()


def _pid(_: object) -> int:
    return os.getpid()
