"""Match supply to demand when the files carry no reference (DESIGN §3.6).

An allocation and a plan item are the same project when they are in the same fiscal year, in
the same place (one area contains the other, compared at the finest precision both have) and
their titles say the same thing. Titles are normalised Thai text (digits, spaces, the filler
words every title has) compared with rapidfuzz; the place and the amount adjust the score.
Matches at or above ``AUTO_LINK`` are linked automatically; those between ``REVIEW`` and
``AUTO_LINK`` go to a review list a planning officer accepts or rejects. Nothing is linked
silently below the automatic threshold.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz, process

from etl.normalize import clean_text

AUTO_LINK = 0.90
REVIEW = 0.60

_FILLER = re.compile(
    r"โครงการ|ก่อสร้าง|ปรับปรุง|ซ่อมแซม|พัฒนา|ส่งเสริม|จัดซื้อ|ค่า|งาน|เพื่อ|บ้าน|ตำบล|อำเภอ|จังหวัด|"
    r"หมู่ที่|หมู่|ม\.|ต\.|อ\.|จ\."
)
# Places are compared by code, so the place names after these words are dropped from titles.
_PLACE = re.compile(r"(?:ตำบล|อำเภอ|จังหวัด|แขวง|เขต|ต\.|อ\.|จ\.)\s*\S+")
_PUNCT = re.compile(r"[\s\-–—_.,;:()\[\]\"'/]+")
_VILLAGE_NO = re.compile(r"(?:หมู่ที่|หมู่|ม\.)\s*(\d{1,2})")


@dataclass(frozen=True)
class Demand:
    key: object  # plan item id (or any key the caller uses)
    fiscal_year: int
    area_code: str
    title: str
    amount: Decimal


@dataclass(frozen=True)
class Supply:
    key: object  # allocation id / source key
    fiscal_year: int
    area_code: str
    title: str
    amount: Decimal


@dataclass(frozen=True)
class Match:
    supply: object
    demand: object
    confidence: float
    title_score: float
    same_area: bool

    @property
    def automatic(self) -> bool:
        return self.confidence >= AUTO_LINK


def normalise_title(title: str) -> str:
    """Title reduced to what tells projects apart: the words of the work and the place names.

    Thai digits become Arabic, the village number is kept as "#N", filler words that every
    title shares ("โครงการ", "ก่อสร้าง", "บ้าน", …) and punctuation are dropped.
    """
    text = clean_text(title) or ""
    villages = " ".join(f"#{int(n)}" for n in _VILLAGE_NO.findall(text))
    text = _FILLER.sub(" ", _VILLAGE_NO.sub(" ", _PLACE.sub(" ", text)))
    return (_PUNCT.sub(" ", text).strip() + " " + villages).strip()


def _amount_factor(demand: Decimal, supply: Decimal) -> float:
    """Funded amounts are usually at most what was requested: far above it is suspicious."""
    if demand <= 0:
        return 0.9
    ratio = float(supply / demand)
    if 0.3 <= ratio <= 1.05:
        return 1.0
    return 0.85 if ratio <= 1.5 else 0.7


def _area_factor(demand_code: str, supply_code: str) -> tuple[bool, float] | None:
    """Places must nest; the same finest area scores full, a wider supply area a little less."""
    if demand_code == supply_code:
        return True, 1.0
    if demand_code.startswith(supply_code) or supply_code.startswith(demand_code):
        gap = abs(len(demand_code) - len(supply_code)) // 2
        return False, max(0.75, 1.0 - 0.07 * gap)
    return None


def match(demand: Sequence[Demand], supply: Sequence[Supply], *, min_confidence: float = REVIEW) -> list[Match]:
    """Best demand item for each supply row (one-to-one: an item is funded by its best match).

    Candidates share the fiscal year and the province (codes nest, so the province prefix is a
    cheap first cut); titles are scored in bulk with ``rapidfuzz.process.cdist``.
    """
    by_group: dict[tuple[int, str], list[Demand]] = defaultdict(list)
    for d in demand:
        by_group[(d.fiscal_year, d.area_code[:2])].append(d)
    proposals: list[Match] = []
    supply_groups: dict[tuple[int, str], list[Supply]] = defaultdict(list)
    for s in supply:
        supply_groups[(s.fiscal_year, s.area_code[:2])].append(s)
    for group, supplies in supply_groups.items():
        candidates = by_group.get(group, [])
        if not candidates:
            continue
        scores = process.cdist(
            [normalise_title(s.title) for s in supplies],
            [normalise_title(d.title) for d in candidates],
            scorer=fuzz.token_sort_ratio,
            workers=1,
        )
        for i, s in enumerate(supplies):
            for j, d in enumerate(candidates):
                title_score = float(scores[i][j]) / 100
                if title_score < min_confidence:
                    continue
                area = _area_factor(d.area_code, s.area_code)
                if area is None:
                    continue
                same, factor = area
                confidence = round(title_score * factor * _amount_factor(d.amount, s.amount), 4)
                if confidence >= min_confidence:
                    proposals.append(Match(s.key, d.key, confidence, title_score, same))
    return _one_to_one(proposals)


def _one_to_one(proposals: Iterable[Match]) -> list[Match]:
    """Greedy by confidence: each supply row and each demand item is used once."""
    used_supply: set[object] = set()
    used_demand: set[object] = set()
    chosen: list[Match] = []
    for m in sorted(proposals, key=lambda m: (-m.confidence, str(m.supply), str(m.demand))):
        if m.supply in used_supply or m.demand in used_demand:
            continue
        used_supply.add(m.supply)
        used_demand.add(m.demand)
        chosen.append(m)
    return chosen


@dataclass(frozen=True)
class Quality:
    threshold: float
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


def evaluate(matches: Sequence[Match], truth: dict[object, object], threshold: float) -> Quality:
    """Precision and recall of the matches at ``threshold`` against supply → demand truth
    (supply rows that fund nothing are absent from ``truth``)."""
    kept = [m for m in matches if m.confidence >= threshold]
    tp = sum(1 for m in kept if truth.get(m.supply) == m.demand)
    fp = len(kept) - tp
    fn = len(truth) - tp
    return Quality(threshold, tp, fp, fn)
