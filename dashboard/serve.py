"""``planmap serve``: the dashboard under gunicorn, configured from the settings.

gunicorn's master process only binds the port and watches its workers; each worker builds its own
app (:meth:`PlanmapServer.load` runs in the worker, after the fork), so each has its own database
pool, export queue and caches, and no connection is ever shared across a fork. ``kill -HUP`` on
the master reads the settings (``.env``, the environment) again, starts new workers on the same
port and lets the old ones finish their requests; ``kill -TERM`` stops it gracefully. A new
release needs a restart: the master imports the code once and its workers inherit it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from pydantic import ValidationError

from geodata.db import warn_without_web_role
from geodata.settings import Settings, load_settings

# Path without the query string (a view's link is not a secret, but a future token might be),
# status, bytes, duration in milliseconds and the worker's pid, one line per request on stdout.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %(p)s'

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def gunicorn_options(settings: Settings, host: str, port: int) -> dict[str, Any]:
    """gunicorn's settings for planmap. Forwarded headers are left to the app (ProxyFix, as many
    proxies as ``PLANMAP_TRUSTED_PROXIES``): gunicorn's own trust of 127.0.0.1 would let any
    local client claim HTTPS or another script name. The control socket is off: its default path
    is per user, so two instances (two ports, or tests) would fight over it."""
    return {
        "bind": [bind_address(host, port)],
        "workers": settings.workers,
        "worker_class": "gthread",
        "threads": settings.threads,
        "proc_name": "planmap",
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "forwarded_allow_ips": "",
        "control_socket_disable": True,
    }


def first_request_alone(wsgi_app: WSGIApp) -> WSGIApp:
    """``wsgi_app`` serving its first request alone. Dash prepares itself at the first request
    (``Dash._setup_server``: the scripts it will serve) but marks that done before doing it, so the
    other requests of a page load reaching a fresh threaded worker at once are refused with 500
    ("dash is not a registered library"); a worker that never served the page itself sees only
    such requests."""
    lock = threading.Lock()
    ready = threading.Event()

    def serve(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not ready.is_set():
            with lock:
                if not ready.is_set():
                    try:
                        return wsgi_app(environ, start_response)
                    finally:
                        ready.set()
        return wsgi_app(environ, start_response)

    return serve


class PlanmapServer(BaseApplication):
    """gunicorn run from Python with planmap's settings (no gunicorn command line, config file or
    ``GUNICORN_CMD_ARGS`` is read, so what runs is what the settings say). ``host`` and ``port``
    override ``PLANMAP_HOST``/``PLANMAP_PORT`` (the command's ``--host``/``--port``)."""

    def __init__(self, host: str | None = None, port: int | None = None) -> None:
        # The code is imported here, once, in the master: workers fork with it loaded, so they
        # boot in a moment and share its memory. What a worker must own (the pool, the caches)
        # is made in load(), after the fork; importing starts no thread and opens nothing.
        import dashboard.app  # noqa: F401

        self.host, self.port = host, port
        self.settings: Settings | None = None
        super().__init__(prog="planmap serve")

    def load_config(self) -> None:
        """At start and on every HUP, in the master."""
        self.settings = self._read_settings()
        warn_without_web_role(self.settings)  # once, here, not once per worker
        host, port = self.host or self.settings.host, self.port or self.settings.port
        for name, value in gunicorn_options(self.settings, host, port).items():
            self.cfg.set(name, value)

    def _read_settings(self) -> Settings:
        """The settings as they are now; on a reload, a mistake in them keeps the running ones
        (said in the error log) instead of stopping the service."""
        try:
            return load_settings()
        except ValidationError as exc:
            if self.settings is None:
                raise
            logging.getLogger("gunicorn.error").error("settings not reloaded, the running ones stay: %s", exc)
            return self.settings

    def load(self) -> WSGIApp:
        """The app of one worker, built after the fork."""
        from dashboard.app import create_app

        server = create_app(self.settings).server
        server.wsgi_app = first_request_alone(server.wsgi_app)
        return server
