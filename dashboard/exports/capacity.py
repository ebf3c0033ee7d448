"""How much export work one app takes on: its queue of exports being prepared, the worker
processes that draw them and its cache of rendered files, sized from the settings. One instance
per app (kept on its ``Context``), so two apps in one process (tests) never share a queue, a
worker or a file."""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.exports.cache import ExportCache
from dashboard.exports.queue import ExportQueue
from dashboard.exports.workers import RenderWorkers
from geodata.settings import Settings


@dataclass(frozen=True)
class ExportCapacity:
    queue: ExportQueue = field(default_factory=ExportQueue)
    cache: ExportCache = field(default_factory=ExportCache)
    workers: RenderWorkers = field(default_factory=RenderWorkers)

    @classmethod
    def from_settings(cls, settings: Settings) -> ExportCapacity:
        return cls(
            ExportQueue(settings.export_workers, settings.export_queue),
            ExportCache(settings.export_cache_mb * 1024 * 1024),
            RenderWorkers(settings.export_workers),
        )
