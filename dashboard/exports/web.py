"""The dashboard's download route: ``/_planmap/export/<kind>.<fmt>?<the page's query string>``.

The query string is the view's URL state, parsed and validated exactly as the page does, so a
download is the view on screen; nothing else posted by the browser is used.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request
from psycopg_pool import ConnectionPool

from dashboard.exports.names import content_disposition
from dashboard.exports.service import KINDS, ExportError, export
from dashboard.request import DB_ERRORS, Resolver, opened

ROUTE = "/_planmap/export"


def register_downloads(server: Flask, pool: ConnectionPool, resolver: Resolver | None = None) -> None:
    """Add the download route to the Dash app's Flask server (validating as the page does,
    through the same resolver)."""
    resolver = resolver or Resolver()

    def download(kind: str, fmt: str) -> Response:
        if fmt not in KINDS.get(kind, ()):
            abort(404)
        try:
            with opened(pool, resolver, "?" + request.query_string.decode("utf-8", "replace")) as (conn, view):
                result = export(conn, view.state, kind, fmt)
        except DB_ERRORS:
            return Response("The database cannot be reached right now.", 503, mimetype="text/plain")
        except ExportError as exc:
            return Response(str(exc), 400, mimetype="text/plain")
        return Response(
            result.data,
            mimetype=result.mimetype,
            headers={"Content-Disposition": content_disposition(result.filename), "Cache-Control": "no-store"},
        )

    server.add_url_rule(f"{ROUTE}/<kind>.<fmt>", endpoint="planmap_download", view_func=download)


def download_href(prefix: str, kind: str, fmt: str, search: str | None) -> str:
    """The link of one download for the view in ``search`` (the page's own query string)."""
    return f"{prefix.rstrip('/')}{ROUTE}/{kind}.{fmt}{search or ''}"
