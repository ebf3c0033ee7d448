"""A callback request whose shape Dash cannot read is answered 400 before Dash sees it, and
one the principal may not run (:mod:`dashboard.access`) 403.

Dash's dispatcher trusts the body of ``/_dash-update-component``: a list for a body, an unknown
``output``, ``inputs`` that are not a list of ``{id, property, value}`` or do not match the
callback in number make it raise, and the client gets a 500. The browser is not trusted
(:mod:`dashboard.posted` checks the values); this checks the envelope around them against the
app's own callback map.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request

from dashboard import access

ROUTE = "_dash-update-component"


def problem(body: object, callback_map: Mapping[str, Mapping[str, Any]]) -> str | None:
    """What makes ``body`` unreadable as a request for one of the app's callbacks, or None."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown output"
    spec = callback_map[output]
    for key in ("inputs", "state"):
        entries = body.get(key, [])
        expected = spec.get(key) or []
        if not isinstance(entries, list) or len(entries) != len(expected):
            return f"{key} do not match the callback"
        if not all(_entry_or_group(e) for e in entries):
            return f"{key} are not {{id, property, value}} entries"
    outputs = body.get("outputs")
    count = len(output[2:-2].split("...")) if output.startswith("..") else 1
    if count > 1:
        if not isinstance(outputs, list) or len(outputs) != count or not all(map(_entry_or_group, outputs)):
            return "outputs do not match the callback"
    elif not _entry_or_group(outputs):
        return "outputs do not match the callback"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds is not a list of texts"
    return None


def _entry(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("id"), (str, dict))
        and isinstance(value.get("property"), str)
        and all(isinstance(k, str) for k in (value["id"] if isinstance(value["id"], dict) else {}))
    )


def _entry_or_group(value: object) -> bool:
    """One entry, or the list of entries a pattern-matching (ALL) id stands for."""
    return _entry(value) or (isinstance(value, list) and all(map(_entry, value)))


def register_guard(server: Flask, callback_map: Mapping[str, Mapping[str, Any]], prefix: str = "/") -> None:
    """Answer malformed callback requests 400 (plain text) before Dash dispatches them."""
    path = f"{prefix.rstrip('/')}/{ROUTE}"

    def check() -> Response | None:
        if request.method != "POST" or request.path != path:
            return None
        body = request.get_json(silent=True)
        reason = problem(body, callback_map)
        if reason is not None:
            return Response(f"malformed callback request: {reason}", 400, mimetype="text/plain")
        refusal = access.callback_refusal(body["output"])
        return None if refusal is None else Response(refusal, 403, mimetype="text/plain")

    server.before_request(check)
