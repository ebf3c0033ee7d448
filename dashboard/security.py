"""What the app believes of a request and what it tells the browser to refuse.

A shared service sits behind a reverse proxy and is reached by many people, so the app:

- believes ``X-Forwarded-For/Proto/Host`` only from as many proxies as it is told are in front
  (``PLANMAP_TRUSTED_PROXIES``; none by default, so a client cannot claim another address);
- answers only the host names it is told (``PLANMAP_TRUSTED_HOSTS``; any other ``Host`` gets
  400), so links it builds never point at a name a client chose;
- refuses a body over ``PLANMAP_MAX_REQUEST_KB`` with 413 before anything reads it;
- sends a Content-Security-Policy that allows only its own scripts (and Dash's inline ones by
  hash), plus the framing, sniffing and referrer headers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import dash
from flask import Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.figures import TILE_ORIGINS
from geodata.settings import Settings

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def content_security_policy(script_hashes: Sequence[str], tile_origins: Sequence[str] = TILE_ORIGINS) -> str:
    """The policy of every response. Styles may be inline because Dash and plotly.js set style
    attributes on the nodes they draw; scripts may not (Dash's own inline scripts go by hash).
    MapLibre (the map) runs its workers from ``blob:`` URLs and decodes tiles into ``blob:``
    images; the street tiles (``tiles=1``) come from ``tile_origins``."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *tile_origins],
        "connect-src": ["'self'", *tile_origins],
        "font-src": ["'self'", "data:"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def trusted_hosts(settings: Settings) -> list[str]:
    return [host.strip() for host in settings.trusted_hosts.split(",") if host.strip()]


def register_security(app: dash.Dash, settings: Settings) -> None:
    """Install the proxy trust, the host check, the body limit and the headers on ``app``.

    Called right after the app is made, so the body limit runs before the hooks that read a
    body (sign-in, the callback checks); the policy is computed at the first response, once
    every callback (and any inline script of its own) exists."""
    server = app.server
    server.config["TRUSTED_HOSTS"] = trusted_hosts(settings)
    server.config["MAX_CONTENT_LENGTH"] = settings.max_request_kb * 1024
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    server.before_request(_refuse_large_body)
    server.after_request(_headers(lambda: content_security_policy(app.csp_hashes())))


def _refuse_large_body() -> None:
    """413 on the declared length, before a hook or Dash reads the body (a chunked body without
    a length is cut at the same limit by Werkzeug as it is read)."""
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        abort(413)


def _headers(policy: Callable[[], str]) -> Callable[[Response], Response]:
    policy = functools.cache(policy)  # computed once, at the first response

    def add(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy())
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return add
