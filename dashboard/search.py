"""Place search: one box that finds a cluster, province, district, tambon or village by its Thai or
English name and jumps there.

Names are compared in one folded form: Thai without tone marks (and ำ as า), as the importer's
locator compares them, so "เชียงใหม" finds เชียงใหม่; English lower-cased without spaces or
punctuation. A name is found when it equals the typed text, starts with it or holds it, or
else when rapidfuzz rates it close (a typo: "นครราชสีมมา"). Results are ranked by how they
matched, then wider areas first (a province before the tambons of the same name), and only
areas in the reader's scope are returned.

The index of about ten thousand names is read once per data version (``queries.places``) and
kept by :class:`PlaceIndex`; a search is a few milliseconds.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash
import psycopg
from dash import Input, Output, State
from rapidfuzz import fuzz, process

from dashboard import i18n, ids, posted
from dashboard.context import Context
from dashboard.request import DB_ERRORS
from dashboard.state import parse
from geodata import queries
from geodata.queries import Place

MIN_LENGTH = 2  # characters typed before anything is looked up
LIMIT = 12  # results shown
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio on folded names (the importer's locator uses 85 on Thai)
_TONE_MARKS = str.maketrans("", "", "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c")
_NOT_WORD = re.compile(r"[^0-9a-z\u0e00-\u0e7f]+")
# What people type before a name: the level's word or its abbreviation ("จ.นครราชสีมา").
_PREFIXES = re.compile(
    r"^(?:จังหวัด|จ\.|อำเภอ|อ\.|เขต|ตำบล|ต\.|แขวง|หมู่บ้าน|กลุ่มจังหวัด"
    r"|province|changwat|amphoe|district|khet|tambon|khwaeng|village)\s*",
    re.IGNORECASE,
)
_LEVEL_RANK = {"province": 0, "cluster": 1, "district": 2, "tambon": 3, "village": 4}
_HOW_RANK = {"exact": 0, "prefix": 1, "contains": 2, "fuzzy": 3}


def fold(text: str) -> str:
    """The form names are compared in: NFC, lower case, Thai tone marks dropped, ำ as า, spaces
    and punctuation gone; a level word typed before the name is dropped too."""
    text = unicodedata.normalize("NFC", text).strip()
    text = text.replace("\u0e4d\u0e32", "\u0e33")  # ํา typed as two characters
    text = _PREFIXES.sub("", text.lower())
    text = text.translate(_TONE_MARKS).replace("\u0e33", "\u0e32")
    return _NOT_WORD.sub("", text)


@dataclass(frozen=True)
class Hit:
    place: Place
    how: str  # exact | prefix | contains | fuzzy
    score: float


class PlaceIndex:
    """Folded names → places, rebuilt when the data version changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._places: list[Place] = []
        self._keys: list[str] = []  # folded names
        self._owner: list[int] = []  # the place of each key

    def load(self, conn: psycopg.Connection) -> None:
        version = queries.data_version(conn)
        with self._lock:
            if self._version == version:
                return
        found = queries.places(conn)
        keys, owner = [], []
        for n, place in enumerate(found):
            for name in {place.name_th, place.name_en}:
                key = fold(name) if name else ""
                if key:
                    keys.append(key)
                    owner.append(n)
        with self._lock:
            self._places, self._keys, self._owner, self._version = found, keys, owner, version

    def places(self) -> list[Place]:
        with self._lock:
            return list(self._places)

    def siblings(self, code: str) -> list[str]:
        """The areas of the same level in the same parent (a district's districts of its province;
        clusters: every cluster), in code order."""
        with self._lock:
            places = self._places
        if code.startswith("C"):
            return [p.code for p in places if p.code.startswith("C")]
        parent = code[:-2]
        return [
            p.code
            for p in places
            if len(p.code) == len(code) and p.code.startswith(parent) and not p.code.startswith("C")
        ]

    def search(self, text: str, allowed: Callable[[str], bool], limit: int = LIMIT) -> list[Hit]:
        """The places whose name best matches ``text`` among those ``allowed`` (the reader's scope)."""
        query = fold(text)
        if len(query) < MIN_LENGTH:
            return []
        with self._lock:
            places, keys, owner = self._places, self._keys, self._owner
        best: dict[int, Hit] = {}

        def offer(n: int, how: str, score: float) -> None:
            old = best.get(n)
            if old is None or (_HOW_RANK[how], -score) < (_HOW_RANK[old.how], -old.score):
                best[n] = Hit(places[n], how, score)

        for i, key in enumerate(keys):
            if query in key:
                how = "exact" if key == query else "prefix" if key.startswith(query) else "contains"
                offer(owner[i], how, 100.0 * len(query) / len(key))
        if len(best) < limit and len(query) >= 3:
            for _key, score, i in process.extract(query, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=200):
                offer(owner[i], "fuzzy", score)
        hits = [h for h in best.values() if allowed(h.place.code)]
        hits.sort(
            key=lambda h: (
                _HOW_RANK[h.how],
                -round(h.score) if h.how == "fuzzy" else 0,
                _LEVEL_RANK.get(h.place.level, 9),
                -h.score,
                h.place.code,
            )
        )
        return hits[:limit]


def label(place: Place, lang: str = "th") -> str:
    """How a result reads: its name, its level, and the district and province it lies in."""
    name = i18n.name(place, lang)
    level = i18n.area_level(place.level, lang)
    within = [
        i18n.pick(place.district_th, place.district_en, lang) if place.level in ("tambon", "village") else None,
        i18n.pick(place.province_th, place.province_en, lang),
    ]
    where = " · ".join(w for w in within if w)
    return f"{name} ({level})" + (f" — {where}" if where else "")


def options(hits: list[Hit], typed: str, lang: str = "th") -> list[dict]:
    """Dropdown options of the hits. Each carries the typed text as its ``search`` value: the
    dropdown filters its options by what is typed, and a typo's match must not be filtered away."""
    return [{"label": label(h.place, lang), "value": h.place.code, "search": typed} for h in hits]


# --------------------------------------------------------------------------- the header's box

_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection pool → its index
_INDEXES_LOCK = threading.Lock()


def index_for(pool: object) -> PlaceIndex:
    """The place index of a connection pool's database (one per app)."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(pool)
        if index is None:
            index = _INDEXES[pool] = PlaceIndex()
        return index


def loaded(pool: object, conn: psycopg.Connection) -> PlaceIndex:
    """The pool's place index, read again if the data changed."""
    index = index_for(pool)
    index.load(conn)
    return index


def place_options(ctx: Context, typed: object, search: object) -> list[dict] | Any:
    """The header box's options for what is typed: the best matches among the reader's areas
    (nothing while fewer than two characters are typed; unchanged while the database is down).
    When the box closes (a place picked) its text is cleared: the options stay, for the box
    drops a picked value that is not among its options, and that would undo the jump."""
    if typed is None:
        return dash.no_update
    text = posted.text(typed, 60)
    if text is None or len(fold(text)) < MIN_LENGTH:
        return []
    lang = parse(search).lang
    scope = ctx.scope()
    if not scope.any("viewer"):
        return []
    try:
        with ctx.pool.connection() as conn:
            index = loaded(ctx.pool, conn)
    except DB_ERRORS:
        return dash.no_update
    return options(index.search(text, scope.covers), typed if isinstance(typed, str) else text, lang)


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(
        Output(ids.PLACE, "options"),
        Input(ids.PLACE, "search_value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def _places(typed, search):
        return place_options(ctx, typed, search)
