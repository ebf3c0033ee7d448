"""Rendered exports kept per data version and view, so the same national map asked for by a
room of people is drawn once per import, and a repeat costs no render slot.

A file is keyed by the data version (how many import runs have loaded data) it was read at: after a new
import no request computes an old key, so an old file is never served; the first file of a new
version also drops the old ones to free their memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple, Protocol

DEFAULT_MAX_BYTES = 256 * 1024 * 1024


class CacheKey(NamedTuple):
    version: int  # queries.data_version when the file's data was read
    kind: str
    fmt: str
    search: str  # the canonical query string of the validated view (View.search)


class Rendered(Protocol):
    """What is kept: anything with its bytes in ``data`` (an ``Export``)."""

    @property
    def data(self) -> bytes: ...


class ExportCache:
    """A thread-safe LRU of rendered files bounded by their total size in bytes (one per app)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._files: OrderedDict[CacheKey, Rendered] = OrderedDict()
        self._bytes = 0

    def get(self, key: CacheKey) -> Rendered | None:
        with self._lock:
            found = self._files.get(key)
            if found is not None:
                self._files.move_to_end(key)
            return found

    def put(self, key: CacheKey, file: Rendered) -> None:
        """Keep ``file``, dropping other data versions' files and then the least recently used
        until the total fits (a file larger than the whole cache is not kept)."""
        size = len(file.data)
        with self._lock:
            for old in [k for k in self._files if k.version != key.version or k == key]:
                self._drop(old)
            if size > self.max_bytes:
                return
            self._files[key] = file
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._files)))

    @property
    def size(self) -> int:
        """Bytes kept."""
        with self._lock:
            return self._bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._files)

    def _drop(self, key: CacheKey) -> None:
        self._bytes -= len(self._files.pop(key).data)
