"""The dashboard's Flask routes besides Dash's own: the geometry files the maps fetch, the
downloads (``dashboard.exports.web``), and gzip for callback and layout JSON."""

from __future__ import annotations

import gzip
import hashlib
import json

from flask import Flask, Response, abort, request

from dashboard.context import GEO_ROUTE, Context
from dashboard.exports.web import register_downloads
from dashboard.request import DB_ERRORS
from geodata import queries
from geodata.accounts import Scope
from geodata.areas import AREA_CODE, COUNTRY, MAP_LEVELS


def geometry(ctx: Context, level: str, within: str) -> Response:
    """One geometry file as GeoJSON (gzip when accepted); immutable per data version."""
    if level not in MAP_LEVELS or not AREA_CODE.match(within) or within.startswith("C") or len(within) > 2:
        abort(404)
    if not _may_draw(ctx.scope(), within):
        return Response("not allowed", 403, mimetype="text/plain")
    try:
        with ctx.pool.connection() as conn:
            features = queries.geometry_features(conn, level, within)
    except DB_ERRORS:
        return Response("database unavailable", status=503, mimetype="text/plain")
    body = (
        '{"type":"FeatureCollection","features":['
        + ",".join(
            f'{{"type":"Feature","id":{json.dumps(code)},"properties":{{}},"geometry":{geom}}}'
            for code, geom in features
        )
        + "]}"
    ).encode()
    etag = hashlib.sha256(body).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    headers = {"Cache-Control": "public, max-age=31536000, immutable", "ETag": f'"{etag}"', "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        body = gzip.compress(body, compresslevel=6)
        headers["Content-Encoding"] = "gzip"
    return Response(body, mimetype="application/geo+json", headers=headers)


def _may_draw(scope: Scope, within: str) -> bool:
    """The country's outline is every reader's; a province's inside only its readers'."""
    if within == COUNTRY or scope.covers(within):
        return True
    return any(code.startswith(within) for code in scope.codes("viewer"))


def gzip_response(response: Response) -> Response:
    """Compress callback and layout JSON when the browser accepts it (flask-compress is not a
    dependency): a national map response shrinks about 15×."""
    if (
        response.direct_passthrough
        or response.status_code != 200
        or "Content-Encoding" in response.headers
        or "gzip" not in request.headers.get("Accept-Encoding", "")
        or not (response.mimetype or "").startswith(("application/json", "text/html"))
    ):
        return response
    body = response.get_data()
    if len(body) < 1024:
        return response
    response.set_data(gzip.compress(body, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response


def register_routes(server: Flask, ctx: Context, prefix: str) -> None:
    server.add_url_rule(
        f"{prefix}{GEO_ROUTE}/<level>/<within>.json",
        "planmap_geometry",
        lambda level, within: geometry(ctx, level, within),
    )
    register_downloads(server, ctx.pool, ctx.resolver, ctx.exports)
    server.after_request(gzip_response)
