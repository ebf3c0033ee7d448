"""A labelled matching set built from the demo generator's ground truth.

The demo links every allocation to the plan item it funds. Here those links are hidden and the
allocations are made to look like what agencies actually send: titles rewritten ("โครงการ"
added, "หมู่ที่ 3" written "ม.3", the village name dropped), places given more coarsely (tambon or
district instead of the village), and a share of allocations whose item is missing from the
plans (they must match nothing). The truth stays known, so precision and recall can be measured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from etl.demo import DemoData
from etl.matching import Demand, Supply

_VILLAGE = re.compile(r"หมู่ที่ (\d+)")
_VILLAGE_NAME = re.compile(r"\s*บ้าน\S+")


@dataclass(frozen=True)
class LabelledSet:
    demand: list[Demand]
    supply: list[Supply]
    truth: dict[object, object]  # supply key → demand key (absent: funds nothing in the plans)


def _rewrite(title: str, rng: np.random.Generator) -> str:
    if rng.random() < 0.5:
        title = "โครงการ" + title
    if rng.random() < 0.5:
        title = _VILLAGE.sub(lambda m: f"ม.{m.group(1)}", title)
    if rng.random() < 0.3:
        title = _VILLAGE_NAME.sub("", title, count=1)
    return title


def labelled_set(data: DemoData, *, seed: int = 7, missing_share: float = 0.1) -> LabelledSet:
    """Province-level demand and the agency allocations that fund it, links hidden."""
    rng = np.random.default_rng(seed)
    items = data.items[data.items["level"] == "province"]
    allocations = data.allocations[data.allocations["funding_source"] == "agency"]
    missing = set(items["id"].to_numpy()[rng.random(len(items)) < missing_share])
    demand = [
        Demand(int(r.id), int(r.fiscal_year), r.area_code, r.title, Decimal(int(r.requested)) / 100)
        for r in items.itertuples()
        if r.id not in missing
    ]
    supply, truth = [], {}
    for r in allocations.itertuples():
        widen = rng.choice([len(r.area_code), 6, 4], p=[0.5, 0.3, 0.2])
        area = r.area_code[: min(widen, len(r.area_code))]
        key = r.source_key
        supply.append(Supply(key, int(r.fiscal_year), area, _rewrite(r.title, rng), Decimal(int(r.amount)) / 100))
        # Twins planted as overlaps fund no province item: they are distractors like the missing.
        if not pd.isna(r.item_id) and r.item_id not in missing:
            truth[key] = int(r.item_id)
    return LabelledSet(demand, supply, truth)
