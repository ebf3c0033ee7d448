"""Villages in the locator: precision of the ThaiME 2020 proposals before and after the index.

    .venv/bin/python -m tests.benchmarks.locate_villages

Reads the 51 provincial ThaiME workbooks (31,501 proposals) the way ``planmap import plans``
does (:func:`etl.readers.read_tables`, then the title + the province column, as
``etl.records._plan_place`` passes them), locates every proposal with ``Locator()`` and with
``Locator(villages=…)`` built from the national village list (``muban_derived.csv.gz``, former
names from the ``<rename>`` history of the raw Geocode XML), and prints the counts per precision,
tambon-or-better, items with several areas, items with a far end, and what changed.
"""

from __future__ import annotations

import csv
import gzip
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from etl.locate import Location, Locator
from etl.readers import read_tables
from etl.village_index import VillageIndex
from tests.helpers import shared_data_dir

PRECISIONS = ("village", "tambon", "district", "province", "none")
_NS = "{http://hoerstemeier.com/tambon/}"


def villages_dir() -> Path:
    return shared_data_dir() / "villages" / "muban_list_2022"


def village_rows(folder: Path) -> list[tuple[str, str, bool]]:
    with gzip.open(folder / "muban_derived.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        return [(r["muban_code"], r["name_th"], not r["obsolete"]) for r in csv.DictReader(fh)]


def former_names(folder: Path) -> Iterator[tuple[str, str]]:
    """(village code, old name) from every ``<rename oldname=…>`` of a Muban entity."""
    for path in sorted((folder / "raw" / "Geocode").glob("geocode*.xml.gz")):
        with gzip.open(path) as fh:
            root = ET.parse(fh).getroot()
        for entity in root.iter(f"{_NS}entity"):
            if entity.get("type") != "Muban":
                continue
            for rename in entity.iter(f"{_NS}rename"):
                if rename.get("oldname"):
                    yield entity.get("geocode", ""), rename.get("oldname", "")


def proposals() -> list[tuple[str, str | None]]:
    folder = shared_data_dir() / "plans" / "thaime_2020_loan_proposals" / "raw_by_province"
    rows = []
    for path in sorted(folder.iterdir()):
        for table in read_tables(path, "plans"):
            for row in table.rows:
                title, province = row.values.get("title"), row.values.get("province")
                rows.append((str(title or ""), str(province) if province else None))
    return rows


def run(locator: Locator, rows: list[tuple[str, str | None]]) -> tuple[list[Location], float]:
    start = time.perf_counter()
    found = [locator.locate(text, province=province) for text, province in rows]
    return found, time.perf_counter() - start


def main() -> None:
    folder = villages_dir()
    rows = proposals()
    start = time.perf_counter()
    former = list(former_names(folder))
    index = VillageIndex.from_rows(village_rows(folder), former)
    built = time.perf_counter() - start
    before, t_before = run(Locator(), rows)
    after, t_after = run(Locator(villages=index), rows)
    print(
        f"{len(rows):,} ThaiME proposals; village index: {len(index):,} villages, {len(former):,} former names ({built:.1f} s)"
    )
    print(f"{'precision':<22}{'before':>10}{'after':>10}{'change':>10}")
    count_b, count_a = Counter(f.precision for f in before), Counter(f.precision for f in after)
    for p in PRECISIONS:
        print(f"{p:<22}{count_b[p]:>10,}{count_a[p]:>10,}{count_a[p] - count_b[p]:>+10,}")
    lines = {
        "tambon or better": lambda f: f.precision in ("village", "tambon"),
        "several areas": lambda f: bool(f.others),
        "with a far end": lambda f: bool(f.ends),
        "village by name": lambda f: "village by name" in f.note,
        "village disagrees": lambda f: "in the village list, not" in f.note,
        "no such หมู่ที่": lambda f: "in the village list" in f.note and "no หมู่ที่" in f.note,
    }
    for label, test in lines.items():
        b, a = sum(map(test, before)), sum(map(test, after))
        print(f"{label:<22}{b:>10,}{a:>10,}{a - b:>+10,}")
    moves = Counter(
        f"{b.precision}→{a.precision}" for b, a in zip(before, after, strict=True) if b.precision != a.precision
    )
    print("precision changes:", ", ".join(f"{k} {v:,}" for k, v in moves.most_common()) or "none")
    changed = sum(b.code != a.code for b, a in zip(before, after, strict=True))
    print(f"code changed: {changed:,}; time {t_before:.1f} s before, {t_after:.1f} s after")


if __name__ == "__main__":
    main()
