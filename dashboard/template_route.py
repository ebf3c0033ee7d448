"""The plan template for download: ``/_planmap/template/<level>.xlsx[?area=<code>]``, for officers.

The file is the one ``planmap template plans`` writes (the XLSX ``planmap import plans`` reads
with no mapping). The dashboard may not import etl, which makes it, so the maker is found through
the ``planmap.templates`` entry point (as geodata finds the command groups); without one the
route answers 404. Its code list covers the officer's own areas, or ``area`` when the officer
may act there (403 otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.metadata import entry_points

from flask import Flask, Response, abort, request
from psycopg_pool import ConnectionPool

from dashboard import auth
from dashboard.exports.names import content_disposition
from dashboard.request import DB_ERRORS
from geodata.areas import AREA_CODE, COUNTRY, PLAN_LEVELS

ROUTE = "/_planmap/template"
ENDPOINT = "planmap_template"
ROLE = "officer"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@cache
def _maker() -> Callable | None:
    """``template_bytes(conn, level, within)`` as registered by the package that makes it."""
    found = entry_points(group="planmap.templates", name="plans")
    return next(iter(found)).load() if found else None


def register_template(server: Flask, pool: ConnectionPool, prefix: str = "/") -> None:
    """Add the template download to the app's Flask server (its access entry: ``ROUTES``)."""

    def download(level: str) -> Response:
        maker = _maker()
        if level not in PLAN_LEVELS or maker is None:
            abort(404)
        scope = auth.current().scope
        area = request.args.get("area") or None
        if area is not None and not AREA_CODE.match(area):
            abort(404)
        if area is not None and not scope.covers(area, ROLE):
            return Response("not allowed", 403, mimetype="text/plain")
        within = [area] if area and area != COUNTRY else scope.within(ROLE)
        try:
            with pool.connection() as conn:
                data = maker(conn, level, within)
        except DB_ERRORS:
            return Response("The database cannot be reached right now.", 503, mimetype="text/plain")
        except ValueError:  # an area the gazetteer does not know
            abort(404)
        name = f"planmap-template-{level}{'-' + area if area else ''}.xlsx"
        return Response(
            data,
            mimetype=XLSX,
            headers={"Content-Disposition": content_disposition(name), "Cache-Control": "no-store"},
        )

    server.add_url_rule(f"{prefix.rstrip('/')}{ROUTE}/<level>.xlsx", ENDPOINT, download)
