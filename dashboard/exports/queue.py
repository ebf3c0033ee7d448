"""The download route's own queue: a few exports prepared at once, a few more waiting, and the
rest told at once when to come back (HTTP 429 with ``Retry-After``).

Without it every export request became a thread waiting on the render lock, and a burst of
heavy exports piled up behind it; bounded here, a burst costs the server a known amount of
work and the page's callbacks keep the database pool to themselves.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

FIRST_GUESS = 5.0  # seconds a slot is held, until one has been measured
RETRY_BOUNDS = (2, 30)  # seconds: soon enough to feel alive, late enough not to hammer


class QueueFull(Exception):
    """Every worker is busy and the waiting room is full; come back after ``retry_after`` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"export queue full; retry after {retry_after} s")
        self.retry_after = retry_after


class ExportQueue:
    """At most ``workers`` exports inside :meth:`slot` at once and ``waiting`` more blocked at its
    door; one app's instance (the sizes come from the settings)."""

    def __init__(self, workers: int = 2, waiting: int = 4) -> None:
        if workers < 1 or waiting < 0:
            raise ValueError("an export queue needs at least one worker and no negative waiting room")
        self.workers, self.waiting = workers, waiting
        self._admitted = threading.BoundedSemaphore(workers + waiting)
        self._working = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._mean = FIRST_GUESS

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for a worker's turn, or raise :class:`QueueFull` at once when the waiting room is
        full; the turn is given back however the block ends."""
        if not self._admitted.acquire(blocking=False):
            raise QueueFull(self.retry_after())
        try:
            with self._working:
                start = time.monotonic()
                try:
                    yield
                finally:
                    self._measured(time.monotonic() - start)
        finally:
            self._admitted.release()

    def retry_after(self) -> int:
        """Seconds until a place in the waiting room is likely free: some worker finishes after
        about the mean slot time divided by the number of workers."""
        with self._lock:
            mean = self._mean
        low, high = RETRY_BOUNDS
        return max(low, min(high, math.ceil(mean / self.workers)))

    def _measured(self, seconds: float) -> None:
        with self._lock:
            self._mean = 0.7 * self._mean + 0.3 * seconds
