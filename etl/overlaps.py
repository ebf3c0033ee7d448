"""Find possibly duplicated projects (DESIGN §1: no duplicated projects in the same area).

Two records overlap when they are in the same tambon and fiscal year, come from different
sources (an agency's allocation, a local plan, a province plan, local funding …), are not on
the same escalation chain (that would be one need, correctly followed), and their normalised
titles are at least ``SIMILAR`` alike. One row per pair of chains, the most similar pair as the
evidence. The result is stored in ``overlap_pairs`` for the dashboard.

A high string ratio is not enough: the shared text must be specific to one project. Titles that
are only an expense category ("ค่าที่ดินและสิ่งก่อสร้าง"), a programme name or a standard item
of the price list ("รถโดยสารขนาด 12 ที่นั่ง (ดีเซล) …") are generic: :func:`generic_keys`
finds them by what they have in common with other records, and such a record is never half of
a pair. And the two titles must name the same site below the tambon (a village number, a
village, a canal, a school …): two agencies buying the same van for offices in one แขวง are
not one project bought twice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import psycopg
from psycopg.rows import tuple_row
from rapidfuzz import fuzz, process

from etl.db import query
from etl.matching import normalise_title
from etl.normalize import clean_text

SIMILAR = 0.90
GENERIC_SOURCES = 3  # the same words from this many sources nationwide: a category or standard item
GENERIC_CHAINS = 3  # … or from this many records of one tambon and year
MIN_SPECIFIC = 6  # a title with fewer letters than this once places and numbers are gone says nothing
_QUANTITY = re.compile(r"\d+")
_VILLAGE = re.compile(r"#\d+")
_ADMIN_PLACE = re.compile(r"(?:ตำบล|อำเภอ|จังหวัด|แขวง|เขต|ต\.|อ\.|จ\.)\s*\S+")
_NOT_LETTER = re.compile(r"[\W\d_#]")
_SITE = re.compile(r"(?:หมู่ที่|หมู่|ม\.)\s*(\d{1,2})|(?:บ้าน|ห้วย|คลอง|หนอง|ลำ|บึง|วัด|โรงเรียน|สาย|ฝาย)\s*([^\s\d(),.-]+)")


@dataclass(frozen=True)
class Record:
    kind: str
    id: int
    fiscal_year: int
    tambon_code: str
    source: str
    title: str
    amount: Decimal
    chain: str


def object_key(title: str) -> str:
    """What a title says once places (ตำบล/อำเภอ … names) and quantities are gone; the village
    number (#N) stays, because it makes the words specific to one place."""
    return _key_of_normalised(normalise_title(title))


class _Titles(dict):
    """Each distinct title normalised once, with its object key: a national list repeats the same
    titles many times, and normalising is most of the cost of the duplicate search."""

    def __missing__(self, title: str) -> tuple[str, str]:
        text = normalise_title(title)
        self[title] = value = (text, _key_of_normalised(text))
        return value


def _key_of_normalised(text: str) -> str:
    villages = " ".join(_VILLAGE.findall(text))
    return " ".join(_QUANTITY.sub(" ", _VILLAGE.sub(" ", text)).split() + villages.split())


def sites(title: str) -> set[str]:
    """The places below the tambon a title names: village numbers ('#3') and named sites
    ('บ้านม่วงคำ', 'คลองแม่ข่า')."""
    text = _ADMIN_PLACE.sub(" ", clean_text(title) or "")  # "จังหวัดนนทบุรี" names no วัด
    out = set()
    for match in _SITE.finditer(text):
        out.add(f"#{int(match.group(1))}" if match.group(1) else match.group(0).replace(" ", ""))
    return out


def generic_keys(records: Iterable[Record], titles: _Titles | None = None) -> set[str]:
    """Object keys too common to tell one project: shared by :data:`GENERIC_SOURCES` sources
    nationwide without naming a village, shared by :data:`GENERIC_CHAINS` chains in one tambon and
    year, or too short to say anything."""
    titles = _Titles() if titles is None else titles
    records = list(records)
    return _generic(records, [titles[r.title][1] for r in records])


def _generic(records: list[Record], keys: list[str]) -> set[str]:
    """:func:`generic_keys` of ``records`` whose object keys are ``keys`` (in the same order)."""
    sources: dict[str, set[str]] = defaultdict(set)
    chains: dict[tuple[int, str, str], set[str]] = defaultdict(set)
    for r, key in zip(records, keys):
        sources[key].add(r.source)
        chains[(r.fiscal_year, r.tambon_code, key)].add(r.chain)
    generic = {k for k, s in sources.items() if len(s) >= GENERIC_SOURCES and not _VILLAGE.search(k)}
    generic |= {k for (_, _, k), c in chains.items() if len(c) >= GENERIC_CHAINS}
    generic |= {k for k in sources if len(_NOT_LETTER.sub("", k)) < MIN_SPECIFIC}
    return generic


class _Sites(dict):
    """:func:`sites` of each distinct title, found once."""

    def __missing__(self, title: str) -> set[str]:
        self[title] = value = sites(title)
        return value


def find_overlaps(records: list[Record], threshold: float = SIMILAR) -> list[tuple[Record, Record, float]]:
    titles = _Titles()
    keys = [titles[r.title][1] for r in records]
    generic = _generic(records, keys)
    groups: dict[tuple[int, str], list[Record]] = defaultdict(list)
    for r, key in zip(records, keys):
        if key not in generic:
            groups[(r.fiscal_year, r.tambon_code)].append(r)
    places = _Sites()
    # scores are float32 percentages: a pair below this one cannot reach the threshold (the exact
    # test is made below, on the same value as always)
    cut = threshold * 100 - 0.01
    best: dict[tuple[str, str], tuple[Record, Record, float]] = {}
    for group in groups.values():
        # a pair needs two chains and two sources: a group without them has none
        if len(group) < 2 or len({r.chain for r in group}) < 2 or len({r.source for r in group}) < 2:
            continue
        texts = [titles[r.title][0] for r in group]
        scores = process.cdist(texts, texts, scorer=fuzz.token_sort_ratio, workers=1)
        rows, cols = (scores >= cut).nonzero()  # row-major: i, then j, as the loops were
        for i, j in zip(rows.tolist(), cols.tolist()):
            if j <= i:
                continue
            a, b = group[i], group[j]
            score = float(scores[i][j]) / 100
            if score < threshold or a.chain == b.chain or a.source == b.source:
                continue
            if not places[a.title] & places[b.title]:
                continue
            key = tuple(sorted((a.chain, b.chain)))
            if key not in best or score > best[key][2]:
                best[key] = (a, b, score)
    return sorted(best.values(), key=lambda t: (t[0].fiscal_year, t[0].tambon_code, -t[2]))


def refresh_overlaps(conn: psycopg.Connection) -> int:
    """Recompute the overlap list (one transaction); returns how many pairs were found."""
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
        # the columns in Record's order; tuples, not dicts: 150,000 records on the national demo
        records = [Record(*r) for r in cur.execute(query("overlap_candidates")).fetchall()]
        pairs = find_overlaps(records)
        cur.execute("DELETE FROM overlap_pairs")
        with cur.copy(
            "COPY overlap_pairs (fiscal_year, tambon_code, a_kind, a_id, a_source, a_title, a_amount,"
            " b_kind, b_id, b_source, b_title, b_amount, similarity) FROM STDIN"
        ) as copy:
            for a, b, score in pairs:
                copy.write_row(
                    [
                        a.fiscal_year,
                        a.tambon_code,
                        a.kind,
                        a.id,
                        a.source,
                        a.title,
                        a.amount,
                        b.kind,
                        b.id,
                        b.source,
                        b.title,
                        b.amount,
                        round(score, 4),
                    ]
                )
    return len(pairs)
