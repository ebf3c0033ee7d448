"""What every page's callbacks share: the connection pool, the one request resolver, the
geometry URLs, and the skeleton of a render (is the page shown → resolve the view → no fiscal
year loaded → the database is down), written once.

Callbacks use Dash's flexible signatures: outputs are a dict of named ``Output``s, and a render
returns a dict of the same keys (any key left out stays as it is on the page). Tests call the
renders directly with a :class:`Context`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import dash
import psycopg
from psycopg_pool import ConnectionPool

from dashboard import posted
from dashboard.auth import Principal, current
from dashboard.exports.capacity import ExportCapacity
from dashboard.request import DB_ERRORS, NotAllowed, Resolver, View, opened
from dashboard.state import parse
from geodata.accounts import Scope
from geodata.areas import ID_MAX
from geodata.settings import Settings

GEO_ROUTE = "_planmap/geo"
Partial = dict[str, Any]


@dataclass(frozen=True)
class Context:
    pool: ConnectionPool
    resolver: Resolver = field(default_factory=Resolver)
    geo_prefix: str = f"/{GEO_ROUTE}"
    exports: ExportCapacity = field(default_factory=ExportCapacity)  # the download route's queue and cache
    principal: Callable[[], Principal] = current  # who is asking (tests pass their own)
    settings: Settings | None = None  # the app's settings (the upload page's limits, folder and imports)

    def scope(self) -> Scope:
        return self.principal().scope

    def geojson_url(self, level: str, within: str, version: int) -> str:
        """Where the browser fetches one geometry file (immutable per data version)."""
        return f"{self.geo_prefix.rstrip('/')}/{level}/{within}.json?v={version}"

    def render(
        self,
        search: str | None,
        keys: Mapping[str, object],
        build: Callable[[psycopg.Connection, View], Partial],
        *,
        page: str | None = None,
        empty: Callable[[str], Partial] | None = None,
        down: Callable[[str], Partial] | None = None,
    ) -> dict[str, Any]:
        """Run ``build`` on the validated view of ``search`` and fill the callback's outputs
        (``keys``): nothing changes while another page is shown; ``empty`` answers when no fiscal
        year is loaded, ``down`` when the database cannot be reached (both given the language)."""
        state = parse(search)
        if page is not None and state.view != page:
            return unchanged(keys)
        try:
            with opened(self.pool, self.resolver, state, self.scope()) as (conn, view):
                if view.state.fy is None and empty is not None:
                    return filled(keys, empty(view.state.lang))
                return filled(keys, build(conn, view))
        except DB_ERRORS:
            return filled(keys, down(state.lang) if down else {})
        except NotAllowed:
            return unchanged(keys)


def unchanged(keys: Mapping[str, object]) -> dict[str, Any]:
    return {k: dash.no_update for k in keys}


def filled(keys: Mapping[str, object], values: Partial) -> dict[str, Any]:
    """Every output of ``keys``: the given values, the rest left as they are."""
    unknown = set(values) - set(keys)
    if unknown:
        raise KeyError(f"not an output of this callback: {sorted(unknown)}")
    return {k: values.get(k, dash.no_update) for k in keys}


def version_of(db: object) -> int:
    """The data version the page's poll last saw (used only to name geometry URLs). The poll's
    store comes back from the browser, so anything but a dict with a whole version counts as 0."""
    return posted.integer(posted.mapping(db).get("version"), 0, ID_MAX) or 0
