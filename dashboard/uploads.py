"""Uploaded files kept on the server between the dry run and the officer's confirmation, the
import functions found through the ``planmap.imports`` entry point, and the reports' download
route ``/_planmap/upload/<token>/<what>.xlsx`` (officers; only the uploader's own token).

The browser holds nothing but a random token (in a ``dcc.Store``): the bytes, the uploader's
account name and the choices of the last dry run live in ``PLANMAP_DATA_DIR/uploads/<token>/``
(mode 700) and are removed after :data:`EXPIRE_SECONDS`, on cancel and after a load. Confirming
re-runs the import from those bytes and choices; nothing the browser posts at that moment but the
token is used, and the token must belong to the signed-in account.

The dashboard may not import etl (etl → geodata ← dashboard); :func:`facade` loads ``etl.upload``
through its entry point (None when the package is not installed: the page says so).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from flask import Flask, Response, abort

from dashboard import auth
from dashboard.exports.names import content_disposition
from geodata.settings import Settings

ROUTE = "/_planmap/upload"
ENDPOINT = "planmap_upload_report"
ROLE = "officer"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPIRE_SECONDS = 3600
REPORTS = ("rejects", "difference")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}\Z")
_DATA, _META = "data.bin", "meta.json"
_BASE64_ROOM = 64 * 1024  # the rest of a callback's JSON besides the file


@cache
def facade() -> ModuleType | None:
    """``etl.upload`` as registered by the package that imports (see its docstring)."""
    found = entry_points(group="planmap.imports", name="upload")
    return next(iter(found)).load() if found else None


def max_bytes(settings: Settings) -> int:
    """The largest file the page takes: the import limit, and what fits in a request body as
    base64 (raise ``PLANMAP_MAX_REQUEST_KB`` for larger uploads)."""
    body = settings.max_request_kb * 1024 - _BASE64_ROOM
    return max(1, min(settings.import_max_mb * 2**20, body * 3 // 4))


@dataclass(frozen=True)
class Stored:
    token: str
    folder: Path
    user: str
    filename: str
    created: float
    choices: dict  # the last dry run's kind, level, fiscal_year, source_name, decisions, allow_rejects

    @property
    def data(self) -> bytes:
        return (self.folder / _DATA).read_bytes()

    def report(self, what: str) -> Path:
        return self.folder / f"{what}.xlsx"


def _root(settings: Settings) -> Path:
    root = Path(settings.data_dir) / "uploads"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def sweep(settings: Settings, now: float | None = None) -> int:
    """Remove the uploads older than :data:`EXPIRE_SECONDS`; returns how many."""
    now = time.time() if now is None else now
    gone = 0
    for folder in _root(settings).iterdir():
        try:
            created = json.loads((folder / _META).read_text(encoding="utf-8"))["created"]
        except (OSError, ValueError, KeyError, TypeError):
            created = folder.stat().st_mtime
        if now - created > EXPIRE_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            gone += 1
    return gone


def save(settings: Settings, user: str, filename: str, data: bytes) -> str:
    """Keep an upload for ``user``; returns its token."""
    sweep(settings)
    token = secrets.token_urlsafe(24)
    folder = _root(settings) / token
    folder.mkdir(mode=0o700)
    (folder / _DATA).write_bytes(data)
    _write_meta(folder, {"user": user, "filename": filename, "created": time.time(), "choices": {}})
    return token


def _write_meta(folder: Path, meta: dict) -> None:
    path = folder / _META
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)


def load(settings: Settings, token: object, user: str) -> Stored | None:
    """The upload of ``token`` when it exists, has not expired and belongs to ``user``."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    folder = _root(settings) / token
    try:
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("user") != user or not (folder / _DATA).is_file():
        return None
    created = meta.get("created")
    if not isinstance(created, int | float) or time.time() - created > EXPIRE_SECONDS:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return Stored(token, folder, user, str(meta.get("filename") or ""), float(created), dict(meta.get("choices") or {}))


def remember(stored: Stored, choices: dict, reports: Iterable[tuple[str, bytes]] = ()) -> None:
    """Record the choices of a dry run (what a confirmation will load) and its reports."""
    for what, data in reports:
        stored.report(what).write_bytes(data)
    _write_meta(
        stored.folder,
        {"user": stored.user, "filename": stored.filename, "created": stored.created, "choices": choices},
    )


def drop(stored: Stored) -> None:
    shutil.rmtree(stored.folder, ignore_errors=True)


def register_upload_reports(server: Flask, settings: Settings, prefix: str = "/") -> None:
    """The reject report and the difference of the signed-in officer's last dry run, as Excel."""

    def download(token: str, what: str) -> Response:
        principal = auth.current()
        if what not in REPORTS or not principal.signed_in:
            abort(404)
        stored = load(settings, token, principal.name)
        if stored is None or not stored.report(what).is_file():
            abort(404)
        name = f"{what}-{stored.choices.get('source_name') or 'upload'}.xlsx"
        return Response(
            stored.report(what).read_bytes(),
            mimetype=XLSX,
            headers={"Content-Disposition": content_disposition(name), "Cache-Control": "no-store"},
        )

    server.add_url_rule(f"{prefix.rstrip('/')}{ROUTE}/<token>/<what>.xlsx", ENDPOINT, download)
