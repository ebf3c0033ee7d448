"""One request path: a URL's query string (the page's, the download route's, or the CLI's
``--view``) becomes one validated :class:`View` here, and nowhere else.

``parse`` (``dashboard.state``) drops what is malformed; :meth:`Resolver.resolve` then checks
what only the database knows (the area exists, the year, sector and agency are loaded, the traced
item exists) and fills what the link leaves open from the data. The options it validates
against are read once per data version (how many import runs have loaded data, read on the server, never
taken from the browser) and kept by the resolver, so the five callbacks of one click read them
once. This is also the one place where access to areas will be checked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from dashboard.state import ViewState, parse, to_search, validate
from geodata import chain_view, queries
from geodata.accounts import EVERYTHING, Scope
from geodata.areas import COUNTRY
from geodata.queries import Filters, Options

DB_ERRORS = (psycopg.OperationalError, PoolTimeout)


class NotAllowed(PermissionError):
    """The reader may read no area at all (signed out with anonymous reading off)."""


@dataclass(frozen=True)
class View:
    """A validated view of the dashboard and the options it was validated against."""

    state: ViewState
    options: Options
    scope: Scope = EVERYTHING
    refused: bool = False  # the link asked for an area or item outside the reader's scope
    country_frame: bool = False  # a reader of some areas asked for the country: see resolve()
    other_ignored: str | None = None  # the comparison area asked for and dropped (unknown or not the reader's)

    @property
    def filters(self) -> Filters:
        s = self.state
        return Filters(s.fy or 0, s.plan or "province", s.sector, s.agency, s.source)

    @property
    def search(self) -> str:
        """The canonical query string (what the link of this view is)."""
        return to_search(self.state, self.options.default_view(None, self.state.fy, None))


class Resolver:
    """Turns query strings into validated views, reading the options once per data version."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[int, Options] | None = None

    def options(self, conn: psycopg.Connection) -> Options:
        version = queries.data_version(conn)
        with self._lock:
            if self._cached and self._cached[0] == version:
                return self._cached[1]
        opts = queries.options(conn)
        with self._lock:
            self._cached = (version, opts)
        return opts

    def resolve(self, conn: psycopg.Connection, state: ViewState | str | None, scope: Scope) -> View:
        """A parsed state (or a query string) checked against the database and the reader's
        scope: an area or traced item outside it is refused like one that does not exist (the
        reader's own area is shown instead, and nothing of the other is read).

        A reader of some areas who asks for the country gets ``country_frame``: the view's area
        is their home area (so cards, tables and exports hold only their figures), and only the
        map draws the country's outline with their own provinces in it."""
        if not scope.any("viewer"):
            raise NotAllowed("no area to read")
        if not isinstance(state, ViewState):
            state = parse(state)
        opts = self.options(conn)
        refused = False
        country_frame = state.area == COUNTRY and not scope.national()
        if not scope.covers(state.area):
            refused = state.area != COUNTRY  # the country is where every link starts: no refusal to say
            state = state.with_area(home(scope))
        exists = queries.area(conn, state.area) is not None
        area = None if state.item is None else chain_view.item_area(conn, state.item)
        if area is not None and not scope.covers(area):
            area, refused = None, True
        other_ok = state.other is None or (scope.covers(state.other) and queries.area(conn, state.other) is not None)
        checked = validate(
            state,
            area_exists=exists,
            fiscal_years=opts.fiscal_years,
            default_year=opts.default_year(),
            default_view=opts.default_view,
            sectors=opts.sectors,
            agency_ids=opts.agency_ids(),
            item_exists=state.item is None or area is not None,
            other_exists=other_ok,
        )
        return View(checked, opts, scope, refused, country_frame, None if other_ok else state.other)


def home(scope: Scope) -> str:
    """Where a reader's views start: the country, or the first of its own areas."""
    if scope.national():
        return COUNTRY
    codes = sorted(scope.codes("viewer"), key=lambda c: (c.startswith("C"), len(c), c))
    return codes[0] if codes else COUNTRY


@contextmanager
def opened(
    pool: ConnectionPool, resolver: Resolver, search: str | ViewState | None, scope: Scope
) -> Iterator[tuple[psycopg.Connection, View]]:
    """A pooled connection and the validated view of ``search`` within ``scope``; database
    errors propagate (callers say "database down" in their own way)."""
    with pool.connection() as conn:
        yield conn, resolver.resolve(conn, search, scope)
