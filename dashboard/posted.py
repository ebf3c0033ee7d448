"""The values the browser posts to a callback, checked where they come in.

Whoever holds the page can post any JSON in place of a value: a list where a text belongs, a
number for the database poll's store, NUL characters in a search box. Callbacks read their
inputs through these functions, so the code behind them sees only the types it expects: a value
of the wrong type counts as absent, and a text loses what PostgreSQL and UTF-8 cannot carry. The
URL's query string is checked in its own place, :func:`dashboard.state.parse`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any, NamedTuple

import dash

from geodata.areas import AREA_CODE, SEARCH_MAX

# Control characters (NUL among them: PostgreSQL text cannot hold it) go from posted text.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def text(value: object, max_len: int = SEARCH_MAX) -> str | None:
    """A typed text: without control characters and lone surrogates, stripped, at most ``max_len``
    characters; None when ``value`` is not a string or nothing is left of it."""
    if not isinstance(value, str):
        return None
    valid = value.encode("utf-8", "ignore").decode("utf-8")  # drops lone surrogates
    cleaned = _CONTROLS.sub("", valid).strip()[:max_len].strip()
    return cleaned or None


def mapping(value: object) -> dict[str, Any]:
    """A posted object (a click, a grid cell, a store), or an empty one."""
    return value if isinstance(value, dict) else {}


def element(value: object, index: int) -> Any:
    """The ``index``-th element of a posted list, or None (not a list, or too short)."""
    return value[index] if isinstance(value, list) and -len(value) <= index < len(value) else None


def integer(value: object, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` (JSON's true and false are not numbers here)."""
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


def choice(value: object, allowed: Collection[str]) -> str | None:
    """One of the ``allowed`` texts, or None."""
    return value if isinstance(value, str) and value in allowed else None


def ticked(value: object, option: str = "1") -> bool | None:
    """Whether a checklist's ``option`` is ticked; None when the value is not a checklist's
    (a list)."""
    return option in value if isinstance(value, list) else None


def area_code(value: object) -> str | None:
    """An area code, whole (``AREA_CODE.match`` alone would let a trailing newline through)."""
    return value if isinstance(value, str) and AREA_CODE.fullmatch(value) else None


class Trigger(NamedTuple):
    """The input that changed: its id (a pattern-matching id is a dict) and its posted value."""

    id: str | dict[str, Any] | None
    value: Any


def trigger() -> Trigger:
    """The input that changed, read from the property id the browser posted (``<id>.<property>``,
    a pattern-matching id as JSON); its id is None when there is none or it is malformed, where
    ``dash.ctx.triggered_id`` would raise."""
    first = dash.ctx.triggered[0] if dash.ctx.triggered else {}
    prop_id, value = first.get("prop_id"), first.get("value")
    if not isinstance(prop_id, str) or "." not in prop_id:
        return Trigger(None, value)
    component = prop_id.rpartition(".")[0]
    if not component.startswith("{"):
        return Trigger(component or None, value)
    try:
        parsed = json.loads(component)
    except ValueError:
        return Trigger(None, value)
    return Trigger(parsed if isinstance(parsed, dict) else None, value)
