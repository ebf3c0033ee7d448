"""Processes that draw exports for the dashboard.

A national map is seconds of matplotlib and shapely work that holds the GIL and sets off
garbage collections of a few hundred milliseconds; drawn on a thread of the web process, every
page callback stalls with it (measured during a storm of national tambon exports: the geometry
route's 2-5 ms became up to 0.45-0.6 s, the map callback's p50 tripled). Drawn in worker
processes, the web process only waits, and the renders run side by side on separate CPUs."""

from __future__ import annotations

import multiprocessing
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

A = TypeVar("A")
R = TypeVar("R")


class RenderWorkers:
    """A pool of ``processes`` worker processes, started at the first render (an app that never
    exports never starts one) and started again if one dies; one per app."""

    def __init__(self, processes: int = 2) -> None:
        self.processes = processes
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def run(self, fn: Callable[[A], R], arg: A) -> R:
        """``fn(arg)`` in a worker process (both picklable); its exception is raised here."""
        pool = self._started()
        try:
            return pool.submit(fn, arg).result()
        except BrokenProcessPool:
            with self._lock:  # a worker died (killed, out of memory): the next render starts anew
                if self._pool is pool:
                    self._pool = None
            raise

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, never fork: the web process has threads (the pool's, the server's)
                self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"))
                weakref.finalize(self, self._pool.shutdown, wait=False, cancel_futures=True)
            return self._pool
