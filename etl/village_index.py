"""Villages (หมู่บ้าน) of each tambon, for :class:`etl.locate.Locator`.

Built from plain rows, no database here: ``(code, name_th, current)`` for every village of the
national list (8-digit DOPA code = tambon code + two-digit หมู่ที่) and ``(code, former_name_th)``
for villages renamed (the caller reads ``areas`` level 'village' and ``area_former_names``).

Two questions are answered, both inside one tambon:

* :meth:`VillageIndex.village`: is there a village หมู่ที่ n, and is it current?
* :meth:`VillageIndex.match`: which village is ``บ้านX``? Names are compared without the
  ``บ้าน`` prefix, with the locator's name keys (as written, without spaces, each part of
  "บ้านสามเรือน (บ้านเกาะลอย)") and its typo tolerance (rapidfuzz on names without tone marks,
  :data:`etl.locate.FUZZY_CUTOFF`). Current names first, then former names (→ the current
  code); abolished villages are never matched by name. A name shared by several villages of
  the tambon (4,674 pairs in the 2022 list: บ้านหนองบัว หมู่ 1 and หมู่ 10) gives every code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import psycopg
from psycopg.rows import tuple_row

from etl.db import query
from etl.thai_names import NAME_END, NameIndex, name_token

__all__ = ["Village", "VillageIndex", "VillageMatch"]

_PREFIX = re.compile(r"^\s*บ้าน\s*")
# A village name may run into the next word only when that word links places: "บ้านโนนสูงถึงบ้าน…"
_RUN_ON_OK = re.compile(r"ถึง|ไป|เชื่อม|และ|สาย|ซอย|จาก|ต่อ|ทาง")


@dataclass(frozen=True)
class Village:
    code: str
    name_th: str
    current: bool


@dataclass(frozen=True)
class VillageMatch:
    """Villages a written name matches: ``how`` says how (a typo, a former name)."""

    codes: tuple[str, ...]
    name: str  # the list's name (without บ้าน) that matched
    how: Literal["exact", "fuzzy", "run-on", "former"]


def _bare(name: str) -> str:
    """ "บ้านหนองบัว" → "หนองบัว"; parts in brackets lose their บ้าน too."""
    return re.sub(r"(?<=\()\s*บ้าน", "", _PREFIX.sub("", name)).strip()


class VillageIndex:
    """The national village list, by tambon. Build once with :meth:`from_rows`."""

    def __init__(self, villages: dict[str, Village], former: dict[str, tuple[str, ...]]) -> None:
        self._villages = villages
        self._former = former
        self._tambons: dict[str, list[Village]] = {}
        for v in villages.values():
            self._tambons.setdefault(v.code[:6], []).append(v)
        self._names: dict[str, tuple[NameIndex, NameIndex]] = {}  # built on first use

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[str, str, bool]],
        former: Iterable[tuple[str, str]] = (),
    ) -> VillageIndex:
        """``rows``: (8-digit code, name_th, current); ``former``: (code, former name_th)."""
        villages: dict[str, Village] = {}
        for code, name, current in rows:
            code = str(code).strip()
            if len(code) != 8 or not code.isdigit() or code.endswith("00"):
                continue
            villages[code] = Village(code, (name or "").strip(), bool(current))
        old: dict[str, list[str]] = {}
        for code, name in former:
            code, name = str(code).strip(), (name or "").strip()
            if code in villages and name and name not in old.setdefault(code, []):
                old[code].append(name)
        return cls(villages, {k: tuple(v) for k, v in old.items()})

    def __len__(self) -> int:
        return len(self._villages)

    def village(self, code: str) -> Village | None:
        """The village with this 8-digit code, current or abolished."""
        return self._villages.get(code)

    def has_tambon(self, tambon: str) -> bool:
        """Whether the list has any village in this tambon (fully municipal tambons and
        Bangkok's แขวง have none)."""
        return tambon in self._tambons

    def villages_in(self, tambon: str) -> tuple[Village, ...]:
        return tuple(sorted(self._tambons.get(tambon, ()), key=lambda v: v.code))

    def match(self, tambon: str, written: str) -> VillageMatch | None:
        """The villages of ``tambon`` that ``written`` names. ``written`` is the text from the
        name on (with or without บ้าน); it may go on past the name ("บ้านม่วงคำ ตำบล…")."""
        rest = _bare(written)
        if not rest:
            return None
        current, former = self._indexes(tambon)
        token = name_token(rest)
        for index, how in ((current, "exact"), (former, "former")):
            found, run_on = index.exact(rest)
            if found:
                return VillageMatch(found.codes, found.name, how)  # type: ignore[arg-type]
        if found := current.fuzzy(token):
            return VillageMatch(found.codes, found.name, "fuzzy")
        found, run_on = current.exact(rest)
        if run_on and _RUN_ON_OK.match(rest, len(run_on.name)) and not NAME_END.match(rest, len(run_on.name)):
            return VillageMatch(run_on.codes, run_on.name, "run-on")
        return None

    def _indexes(self, tambon: str) -> tuple[NameIndex, NameIndex]:
        if tambon not in self._names:
            villages = [v for v in self._tambons.get(tambon, ()) if v.current and v.name_th]
            current = NameIndex((_bare(v.name_th), v.code) for v in villages)
            former = NameIndex((_bare(name), v.code) for v in villages for name in self._former.get(v.code, ()))
            self._names[tambon] = (current, former)
        return self._names[tambon]


def read_village_index(conn: psycopg.Connection) -> VillageIndex | None:
    """The village list loaded by ``planmap geo villages`` (None before it is loaded: the locator
    then takes any หมู่ที่ number, as it did without a list). Demo villages never count."""
    with conn.cursor(row_factory=tuple_row) as cur:
        rows = cur.execute(query("village_index")).fetchall()
        if not rows:
            return None
        former = cur.execute(query("village_index_former")).fetchall()
    return VillageIndex.from_rows(rows, former)
