"""Find possibly duplicated projects (DESIGN §1: no duplicated projects in the same area).

Two records overlap when they are in the same tambon and fiscal year, come from different
sources (an agency's allocation, a local plan, a province plan, local funding …), are not on
the same escalation chain (that would be one need, correctly followed), and their normalised
titles are at least ``SIMILAR`` alike. One row per pair of chains, the most similar pair as the
evidence. The result is stored in ``overlap_pairs`` for the dashboard.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import psycopg
from psycopg.rows import dict_row
from rapidfuzz import fuzz, process

from etl.matching import normalise_title
from geodata.db import query

SIMILAR = 0.90


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


def find_overlaps(records: list[Record], threshold: float = SIMILAR) -> list[tuple[Record, Record, float]]:
    groups: dict[tuple[int, str], list[Record]] = defaultdict(list)
    for r in records:
        groups[(r.fiscal_year, r.tambon_code)].append(r)
    best: dict[tuple[str, str], tuple[Record, Record, float]] = {}
    for group in groups.values():
        if len(group) < 2 or len({r.chain for r in group}) < 2:
            continue
        titles = [normalise_title(r.title) for r in group]
        scores = process.cdist(titles, titles, scorer=fuzz.token_sort_ratio, workers=1)
        for i, a in enumerate(group):
            for j in range(i + 1, len(group)):
                b = group[j]
                score = float(scores[i][j]) / 100
                if score < threshold or a.chain == b.chain or a.source == b.source:
                    continue
                key = tuple(sorted((a.chain, b.chain)))
                if key not in best or score > best[key][2]:
                    best[key] = (a, b, score)
    return sorted(best.values(), key=lambda t: (t[0].fiscal_year, t[0].tambon_code, -t[2]))


def refresh_overlaps(conn: psycopg.Connection) -> int:
    """Recompute the overlap list (one transaction); returns how many pairs were found."""
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        records = [Record(**r) for r in cur.execute(query("overlap_candidates")).fetchall()]
        pairs = find_overlaps(records)
        cur.execute("DELETE FROM overlap_pairs")
        with cur.copy("COPY overlap_pairs (fiscal_year, tambon_code, a_kind, a_id, a_source, a_title, a_amount,"
                      " b_kind, b_id, b_source, b_title, b_amount, similarity) FROM STDIN") as copy:
            for a, b, score in pairs:
                copy.write_row([a.fiscal_year, a.tambon_code, a.kind, a.id, a.source, a.title, a.amount,
                                b.kind, b.id, b.source, b.title, b.amount, round(score, 4)])
    return len(pairs)
