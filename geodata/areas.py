"""The vocabulary everything else speaks: area codes and levels, plan levels, funding sources,
fiscal years, id limits and search patterns. It imports nothing of planmap, so every module can
import it.

DOPA codes nest by prefix (DESIGN §2): province ``37`` (2 digits), district ``3701`` (4), tambon
``370101`` (6), village ``37010103`` (8 = tambon + หมู่ที่). ``TH`` is the country and ``C01…`` the
provincial clusters, which sit between the country and their member provinces. Fiscal years
are Buddhist Era: FY N runs from 1 October of CE year N − 544 to 30 September of CE N − 543.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

COUNTRY = "TH"
LEVEL_BY_LENGTH = {2: "province", 4: "district", 6: "tambon", 8: "village"}
LENGTH_BY_LEVEL = {level: length for length, level in LEVEL_BY_LENGTH.items()}
AREA_LEVELS = ("country", "cluster", "province", "district", "tambon", "village")
MAP_LEVELS = ("cluster", "province", "district", "tambon")  # levels with polygons
# The level of an area's children (a cluster's are its member provinces; villages have none).
CHILD_LEVEL = {
    "country": "province",
    "cluster": "province",
    "province": "district",
    "district": "tambon",
    "tambon": "village",
    "village": "village",
}
PRECISIONS = ("village", "tambon", "district", "province", "cluster", "country", "none")
PLAN_LEVELS = ("village", "tambon", "local", "district", "province", "cluster")
FUNDING_SOURCES = ("agency", "province", "cluster", "local", "subsidy", "other")
AREA_CODE = re.compile(r"^(TH|C[0-9]{2}|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{8})\Z")

BE_OFFSET = 543
ID_MAX = 2**63 - 1  # PostgreSQL bigint
SEARCH_MAX = 100  # characters of a title search


def level_of(code: str) -> str:
    """The area level a well-formed code stands for ('TH' country, 'C05' cluster, by length else)."""
    if not isinstance(code, str) or not AREA_CODE.match(code):
        raise ValueError(f"not an area code: {code!r}")
    if code == COUNTRY:
        return "country"
    if code.startswith("C"):
        return "cluster"
    return LEVEL_BY_LENGTH[len(code)]


def precision_of(code: str) -> str:
    """How precisely a code places something: its level, and 'none' for the country."""
    level = level_of(code)
    return "none" if level == "country" else level


def common_area(codes: Sequence[str]) -> str:
    """The lowest area holding every one of ``codes``: codes nest, so it is their longest common
    prefix cut to a level (two tambons of one district → the district; two provinces → TH)."""
    codes = [c for c in codes if c and c != COUNTRY]
    if not codes:
        return COUNTRY
    length = min(len(c) for c in codes)
    while length >= 2 and len({c[:length] for c in codes}) > 1:
        length -= 2
    return codes[0][:length] if length >= 2 else COUNTRY


def is_area_code(value: object) -> bool:
    return isinstance(value, str) and bool(AREA_CODE.match(value))


def parent_of(code: str) -> str | None:
    """The enclosing area by prefix: a district's province, a province's country (clusters and
    the country have none here: cluster membership is data, by fiscal year)."""
    if code == COUNTRY or code.startswith("C"):
        return None
    return COUNTRY if len(code) == 2 else code[:-2]


def ancestor_codes(code: str) -> list[str]:
    """The codes above ``code`` by prefix, widest first, the code itself last ('TH' first)."""
    if code == COUNTRY:
        return [COUNTRY]
    if code.startswith("C"):
        return [COUNTRY, code]
    return [COUNTRY] + [code[:n] for n in (2, 4, 6, 8) if n <= len(code)]


def cut_to(code: str, level: str) -> str:
    """A code cut to a coarser level ('37010103' to a district: '3701'); unchanged when shorter."""
    length = LENGTH_BY_LEVEL[level]
    return code[:length] if len(code) >= length and code[:1].isdigit() else code


def fiscal_year_of(day: dt.date) -> int:
    """The Thai fiscal year (BE) a date falls in: FY N runs 1 Oct (N − 1) to 30 Sep N."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def current_fiscal_year(today: dt.date | None = None) -> int:
    """The fiscal year running today (or on ``today``)."""
    return fiscal_year_of(today or dt.date.today())


def is_id(value: object) -> bool:
    """A positive database id (bigint) as an int."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= ID_MAX


def like_pattern(text: str | None) -> str | None:
    """A bound ILIKE pattern that finds ``text`` anywhere (its own %, _ and \\ escaped), or None
    for an empty search; at most :data:`SEARCH_MAX` characters are used."""
    text = (text or "").strip()[:SEARCH_MAX]
    if not text:
        return None
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
