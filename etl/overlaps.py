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
    return _generic_of((key, r.source, r.fiscal_year, r.tambon_code, r.chain) for r, key in zip(records, keys))


def _generic_of(rows: Iterable[tuple[str, str, int, str, str]]) -> set[str]:
    """The generic keys among rows of (object key, source, fiscal year, tambon, chain); whether a
    key is generic depends on the rows of that key only."""
    sources: dict[str, set[str]] = defaultdict(set)
    chains: dict[tuple[int, str, str], set[str]] = defaultdict(set)
    for key, source, fiscal_year, tambon_code, chain in rows:
        sources[key].add(source)
        chains[(fiscal_year, tambon_code, key)].add(chain)
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
    best, _ = _search(records, keys, _generic(records, keys), titles, threshold)
    return _ordered(best.values())


def _ordered(pairs: Iterable[tuple[Record, Record, float]]) -> list[tuple[Record, Record, float]]:
    return sorted(pairs, key=lambda t: (t[0].fiscal_year, t[0].tambon_code, -t[2]))


Pair = tuple[str, str]  # two chains, sorted


def _search(
    records: list[Record],
    keys: list[str],
    generic: set[str],
    titles: _Titles,
    threshold: float = SIMILAR,
    marked: frozenset[tuple[int, str]] | set[tuple[int, str]] = frozenset(),
) -> tuple[dict[Pair, tuple[Record, Record, float]], set[Pair]]:
    """The most similar pair of each two chains among ``records`` (in their order: ties go to the
    first found), and the chain pairs with a candidate in a ``marked`` tambon and year."""
    groups: dict[tuple[int, str], list[Record]] = defaultdict(list)
    for r, key in zip(records, keys):
        if key not in generic:
            groups[(r.fiscal_year, r.tambon_code)].append(r)
    places = _Sites()
    # scores are float32 percentages: a pair below this one cannot reach the threshold (the exact
    # test is made below, on the same value as always)
    cut = threshold * 100 - 0.01
    best: dict[Pair, tuple[Record, Record, float]] = {}
    seen: set[Pair] = set()
    for place, group in groups.items():
        # a pair needs two chains and two sources: a group without them has none
        if len(group) < 2 or len({r.chain for r in group}) < 2 or len({r.source for r in group}) < 2:
            continue
        in_marked = place in marked
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
            key = (a.chain, b.chain) if a.chain < b.chain else (b.chain, a.chain)
            if in_marked:
                seen.add(key)
            if key not in best or score > best[key][2]:
                best[key] = (a, b, score)
    return best, seen


# -- stored results ---------------------------------------------------------------------------

_RECORD_COLUMNS = "kind, id, fiscal_year, tambon_code, source, title, amount, chain"
_PAIR_COLUMNS = (
    "fiscal_year, tambon_code, a_kind, a_id, a_source, a_title, a_amount,"
    " b_kind, b_id, b_source, b_title, b_amount, similarity"
)


def refresh_overlaps(conn: psycopg.Connection) -> int:
    """Recompute the overlap list and the stored records it was found from (one transaction);
    returns how many pairs were found."""
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
        return _refresh_all(cur)


def _refresh_all(cur: psycopg.Cursor) -> int:
    # the columns in Record's order, then the path; tuples, not dicts: 150,000 records nationally
    rows = cur.execute(query("overlap_candidates")).fetchall()
    records = [Record(*r[:8]) for r in rows]
    titles = _Titles()
    keys = [titles[r.title][1] for r in records]
    best, _ = _search(records, keys, _generic(records, keys), titles)
    cur.execute("DELETE FROM overlap_pairs")
    _write_pairs(cur, best.values())
    cur.execute("TRUNCATE overlap_records")
    _write_records(cur, [(*r, key) for r, key in zip(rows, keys)])
    return len(best)


def _write_pairs(cur: psycopg.Cursor, pairs: Iterable[tuple[Record, Record, float]]) -> None:
    with cur.copy(f"COPY overlap_pairs ({_PAIR_COLUMNS}) FROM STDIN") as copy:
        for a, b, score in _ordered(pairs):
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


def _write_records(cur: psycopg.Cursor, rows: Iterable[tuple]) -> None:
    """Rows of (the candidate columns, path, object key) into overlap_records."""
    with cur.copy(f"COPY overlap_records ({_RECORD_COLUMNS}, path, object_key) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def refresh_overlaps_after_load(conn: psycopg.Connection, kind: str) -> int:
    """The overlap list after a load of ``kind`` (plans | budget) in the load's transaction,
    recomputed only where the load can change it; the same rows as :func:`refresh_overlaps`.

    Reads the load's temporary tables before_rows (the rows of its sources as they were, the
    retired ones included) and upserted_rows (rows added or changed). The records whose chain walk
    passed one of those rows (stored paths) are derived again; the tambons and years of the records
    that differ, and of those whose object key stopped or started being generic, are searched
    again, with every tambon and year holding one of their chains, so that each pair of chains
    with a candidate there is decided among all its candidates, in the order of the full search.
    Pairs of chains with no candidate there keep their stored row. Returns the number of pairs."""
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
        if not cur.execute("SELECT EXISTS (SELECT 1 FROM overlap_records)").fetchone()[0]:
            return _refresh_all(cur)  # never built (just migrated) or nothing placed before
        record_kind = "plan_item" if kind == "plans" else "allocation"
        cur.execute("DROP TABLE IF EXISTS overlap_scope")
        cur.execute("CREATE TEMP TABLE overlap_scope (kind text, id bigint, PRIMARY KEY (kind, id)) ON COMMIT DROP")
        cur.execute(
            "INSERT INTO overlap_scope SELECT %s, id FROM before_rows UNION SELECT %s, id FROM upserted_rows",
            [record_kind, record_kind],
        )
        if kind == "plans":  # records whose walk passed a changed item: their chain can change
            cur.execute(
                "INSERT INTO overlap_scope SELECT o.kind, o.id FROM overlap_records o"
                " WHERE o.path && (SELECT coalesce(array_agg(id), '{}') FROM overlap_scope)"
                " ON CONFLICT DO NOTHING"
            )
        cur.execute("ANALYZE overlap_scope")
        old = {
            (r[0], r[1]): r
            for r in cur.execute(
                f"SELECT {_RECORD_COLUMNS}, path, object_key FROM overlap_records JOIN overlap_scope USING (kind, id)"
            ).fetchall()
        }
        titles = _Titles()
        new = {(r[0], r[1]): (*r, titles[r[5]][1]) for r in cur.execute(query("overlap_scope_candidates")).fetchall()}
        changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        if not changed:
            return _pair_count(cur)
        before = [old[k] for k in changed if k in old]
        after = [new[k] for k in changed if k in new]
        keys = sorted({r[9] for r in before} | {r[9] for r in after})
        generic_before = _generic_among(cur, keys)
        cur.execute(
            "DELETE FROM overlap_records o USING unnest(%s::text[], %s::bigint[]) AS g (kind, id)"
            " WHERE o.kind = g.kind AND o.id = g.id",
            [[k[0] for k in before], [k[1] for k in before]],
        )
        _write_records(cur, after)
        flipped = sorted(generic_before ^ _generic_among(cur, keys))
        # the tambons and years to search again (S), then those holding any of their chains (S1)
        places = {(r[2], r[3]) for r in before} | {(r[2], r[3]) for r in after}
        places |= set(
            cur.execute(
                "SELECT DISTINCT fiscal_year, tambon_code FROM overlap_records WHERE object_key = ANY(%s)", [flipped]
            ).fetchall()
        )
        chains = {r[7] for r in before} | {
            c
            for (c,) in cur.execute(
                "SELECT DISTINCT chain FROM overlap_records o JOIN unnest(%s::int[], %s::text[]) AS g (fy, tambon)"
                " ON o.fiscal_year = g.fy AND o.tambon_code = g.tambon",
                _columns(places),
            ).fetchall()
        }
        wider = places | set(
            cur.execute(
                "SELECT DISTINCT fiscal_year, tambon_code FROM overlap_records WHERE chain = ANY(%s)", [sorted(chains)]
            ).fetchall()
        )
        rows = cur.execute(
            f"SELECT {_RECORD_COLUMNS}, object_key FROM overlap_records o"
            " JOIN unnest(%s::int[], %s::text[]) AS g (fy, tambon) ON o.fiscal_year = g.fy AND o.tambon_code = g.tambon"
            " ORDER BY kind DESC, id",  # plan items first: ties go to an item, as in the full search
            _columns(wider),
        ).fetchall()
        records = [Record(*r[:8]) for r in rows]
        record_keys = [r[8] for r in rows]
        generic = _generic_among(cur, sorted(set(record_keys)))
        best, seen = _search(records, record_keys, generic, titles, marked=places)
        # the stored pairs there, with the chains their records had before the load
        chain_before = {(r.kind, r.id): r.chain for r in records} | {(r[0], r[1]): r[7] for r in before}
        stored = cur.execute(
            "SELECT o.id, o.fiscal_year, o.tambon_code, a_kind, a_id, b_kind, b_id FROM overlap_pairs o"
            " JOIN unnest(%s::int[], %s::text[]) AS g (fy, tambon) ON o.fiscal_year = g.fy AND o.tambon_code = g.tambon",
            _columns(wider),
        ).fetchall()
        pair_of, unknown = {}, []
        for pair_id, fy, tambon, a_kind, a_id, b_kind, b_id in stored:
            a, b = chain_before.get((a_kind, a_id)), chain_before.get((b_kind, b_id))
            if a is None or b is None:  # a record no longer stored: the row cannot stand
                unknown.append(pair_id)
                continue
            pair_of[pair_id] = (a, b) if a < b else (b, a)
            if (fy, tambon) in places:
                seen.add(pair_of[pair_id])
        cur.execute(
            "DELETE FROM overlap_pairs WHERE id = ANY(%s)",
            [unknown + [i for i, pair in pair_of.items() if pair in seen]],
        )
        _write_pairs(cur, [best[pair] for pair in seen if pair in best])
        return _pair_count(cur)


def _columns(places: Iterable[tuple[int, str]]) -> list[list]:
    places = sorted(places)
    return [[p[0] for p in places], [p[1] for p in places]]


def _pair_count(cur: psycopg.Cursor) -> int:
    return cur.execute("SELECT count(*) FROM overlap_pairs").fetchone()[0]


def _generic_among(cur: psycopg.Cursor, keys: list[str]) -> set[str]:
    """Which of ``keys`` are generic, from the stored records of those keys nationwide."""
    rows = cur.execute(
        "SELECT object_key, source, fiscal_year, tambon_code, chain FROM overlap_records WHERE object_key = ANY(%s)",
        [keys],
    ).fetchall()
    return _generic_of(rows) & set(keys)
