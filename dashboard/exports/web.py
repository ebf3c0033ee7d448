"""The dashboard's download route: ``/_planmap/export/<kind>.<fmt>?<the page's query string>``.

The query string is the view's URL state, parsed and validated exactly as the page does, so a
download is the view on screen; nothing else posted by the browser is used.

A pooled connection is held only while the database is read, never while a file waits for a
worker or is drawn, so exports cannot take the page's connections; files are drawn in the app's
worker processes (``workers``), so their CPU and garbage collections do not stall the page's
callbacks either. Exports being made go through the app's bounded queue: when it is full the
tab gets a page (429) that retries by itself. Rendered files are kept per data version and view,
and a file already made is served without taking a place in the queue.
"""

from __future__ import annotations

import threading
from concurrent.futures.process import BrokenProcessPool

import geopandas as gpd
from flask import Flask, Response, abort, request
from psycopg_pool import ConnectionPool

from dashboard import auth
from dashboard.exports.busy import busy_response
from dashboard.exports.cache import CacheKey
from dashboard.exports.capacity import ExportCapacity
from dashboard.exports.fonts import thai_fonts
from dashboard.exports.mapimage import render_map
from dashboard.exports.model import ExportMeta, MapView
from dashboard.exports.names import content_disposition
from dashboard.exports.queue import QueueFull
from dashboard.exports.service import KINDS, Export, ExportError, read, render
from dashboard.request import DB_ERRORS, NotAllowed, Resolver, View, opened
from geodata import queries

ROUTE = "/_planmap/export"
WARM_ROUTE = f"{ROUTE}/workers.warm"  # asked by the page once shown (assets/export_progress.js)
EXTENSION = "planmap_exports"


def register_downloads(
    server: Flask,
    pool: ConnectionPool,
    resolver: Resolver | None = None,
    capacity: ExportCapacity | None = None,
) -> None:
    """Add the download route to the Dash app's Flask server (validating as the page does,
    through the same resolver; queueing and caching in the app's own ``capacity``)."""
    resolver = resolver or Resolver()
    capacity = capacity or ExportCapacity()

    warming = threading.Event()

    def warm() -> Response:
        """Start a render worker ahead of the first export (a spawned process imports matplotlib,
        geopandas and the fonts for about 3 s: the first national map took 5.6 s instead of 2.3 s).
        Asked by the page once it is shown, so a server that is never looked at starts none."""
        if not warming.is_set():
            warming.set()
            threading.Thread(target=_warm_workers, args=(capacity,), name="planmap-export-warm", daemon=True).start()
        return Response(status=204, headers={"Cache-Control": "no-store"})

    def download(kind: str, fmt: str) -> Response:
        if f"{ROUTE}/{kind}.{fmt}" == WARM_ROUTE:  # the same route, so the same access decision
            return warm()
        if fmt not in KINDS.get(kind, ()):
            abort(404)
        try:
            search = "?" + request.query_string.decode("utf-8", "replace")
            with opened(pool, resolver, search, auth.current().scope) as (conn, view):
                key = CacheKey(queries.data_version(conn), kind, fmt, view.search)
            if view.refused:  # an area or item outside the reader's scope: nothing is made
                return Response("not allowed", 403, mimetype="text/plain")
            result = capacity.cache.get(key)
            if result is None:
                with capacity.queue.slot():
                    result = _made(pool, resolver, capacity, view, kind, fmt)
        except QueueFull as full:
            return busy_response(view.state.lang, full.retry_after, f"{kind}.{fmt}{view.search}")
        except DB_ERRORS:
            return Response("The database cannot be reached right now.", 503, mimetype="text/plain")
        except NotAllowed:
            return Response("sign in first", 401, mimetype="text/plain")
        except ExportError as exc:
            return Response(str(exc), 400, mimetype="text/plain")
        except BrokenProcessPool:  # a render worker died (out of memory?); the next one starts anew
            return Response("The export could not be drawn; please try again.", 503, mimetype="text/plain")
        return Response(
            result.data,
            mimetype=result.mimetype,
            headers={"Content-Disposition": content_disposition(result.filename), "Cache-Control": "no-store"},
        )

    server.add_url_rule(f"{ROUTE}/<kind>.<fmt>", endpoint="planmap_download", view_func=download)
    server.extensions[EXTENSION] = capacity  # where an operator or a test finds this app's queue


def _made(
    pool: ConnectionPool, resolver: Resolver, capacity: ExportCapacity, view: View, kind: str, fmt: str
) -> Export:
    """One export in its turn: read on a pooled connection, give it back, then draw in a worker
    process. The file may have been made while this one waited, so the cache is asked again."""
    with opened(pool, resolver, view.state, view.scope) as (conn, view):
        # The version is read before the data: a load committing in between leaves newer data
        # under the older key (never asked for again), never older data under the newer one.
        key = CacheKey(queries.data_version(conn), kind, fmt, view.search)
        found = capacity.cache.get(key)
        if found is not None:
            return found
        reads = read(conn, view.state, kind, fmt)
    result = capacity.workers.run(render, reads)
    capacity.cache.put(key, result)
    return result


def _warm_workers(capacity: ExportCapacity) -> None:
    try:
        capacity.workers.run(warm_up, None)
    except Exception:  # noqa: BLE001 - a failed warm-up only means the first export starts the worker
        pass


def warm_up(_: object = None) -> int:
    """In a render worker: load what every export needs (the modules, the Thai font, matplotlib's
    font and text caches) by drawing a small map of nothing; returns the image's size."""
    thai_fonts()
    frame = gpd.GeoDataFrame({"code": [], "name_th": [], "name_en": [], "gap": []}, geometry=[], crs="EPSG:4326")
    view = MapView(ExportMeta(title="แผนที่", fiscal_year=2569), "TH", "ประเทศไทย", "province", "gap", frame)
    return len(render_map(view, "png", dpi=20))


def download_href(prefix: str, kind: str, fmt: str, search: str | None) -> str:
    """The link of one download for the view in ``search`` (the page's own query string)."""
    return f"{prefix.rstrip('/')}{ROUTE}/{kind}.{fmt}{search or ''}"
