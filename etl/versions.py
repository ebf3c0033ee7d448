"""Which row of a source's new version continues which row of its current version.

A row with a reference of its own (``item_ref``) is that reference. A row without one is found
by its text as written (:class:`etl.records.AsWritten`), in passes from the strictest to the
loosest, each taking rows in file order:

1. the same title, place, amount and the rest: the row is unchanged;
2. the same title and place: its amount or date was corrected;
3. the same title and amount: its place was corrected;
4. the same place, amount and the rest: its title was corrected;
5. the same title: its place and amount were corrected.

A row matched in a pass keeps the key (and so the id, links and decisions) of the row it
continues; the rest are new, and the current rows nothing matched retire. Nothing derived (the
locator's place, normalised names) takes part, so a better locator changes no identity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from etl.records import AsWritten, PlanRecord

PASSES: tuple[Callable[[AsWritten], tuple], ...] = (
    lambda w: (w.title, w.place, w.amount, w.other),
    lambda w: (w.title, w.place),
    lambda w: (w.title, w.amount),
    lambda w: (w.place, w.amount, w.other),
    lambda w: (w.title,),
)


def continue_keys(
    records: Sequence[PlanRecord],
    current: Mapping[str, Iterable[tuple[str, AsWritten]]],
    source_of: Callable[[str], str],
) -> list[PlanRecord]:
    """``records`` with the key of the current row each continues (``current``: per source name,
    its rows' keys and text as written, in file order)."""
    keys: dict[int, str] = {}  # index in records → key it continues
    for source, rows in current.items():
        old = list(rows)
        new = [i for i, r in enumerate(records) if not r.has_ref and r.written and source_of(r.file) == source]
        taken: set[str] = set()
        for signature in PASSES:
            waiting: dict[tuple, list[str]] = defaultdict(list)
            for key, written in old:
                if key not in taken:
                    waiting[signature(written)].append(key)
            for i in new:
                if i in keys:
                    continue
                queue = waiting.get(signature(records[i].written))
                if queue:
                    keys[i] = queue.pop(0)
                    taken.add(keys[i])
        # A new row whose text an older row once had (that row kept its key through a correction)
        # needs a key of its own.
        held = {key for key, _ in old}
        for i in new:
            if i not in keys and records[i].item_key in held:
                n = 2
                while f"{records[i].item_key}.{n}" in held:
                    n += 1
                keys[i] = f"{records[i].item_key}.{n}"
    return [replace(r, item_key=keys[i]) if i in keys and keys[i] != r.item_key else r for i, r in enumerate(records)]


def written_of(values: Sequence[str] | None) -> AsWritten | None:
    """The stored text of a row (``plan_items.as_written``)."""
    if not values or len(values) != 4:
        return None
    return AsWritten(*values)
