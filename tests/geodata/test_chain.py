"""The planning chain on the demo data, checked against the generator's own truth."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import psycopg
import pytest

from geodata.chain import FUNNEL_STEPS, chain, funnel, root_needs

FY = 2569


@pytest.fixture()
def demo(demo_conn: psycopg.Connection) -> psycopg.Connection:
    return demo_conn


def _truth(conn: psycopg.Connection) -> pd.DataFrame:
    """The items as written by the generator, read back plainly (no recursion in SQL)."""
    rows = conn.execute(
        "SELECT i.id, i.escalated_to_id AS up, p.level, i.beyond_capacity AS beyond, i.requested_amount AS amount,"
        " i.area_code, i.fiscal_year FROM plan_items i JOIN plans p ON p.id = i.plan_id"
    ).fetchall()
    return pd.DataFrame(rows).set_index("id")


def test_chain_of_a_village_need_follows_the_links(demo: psycopg.Connection) -> None:
    items = _truth(demo)
    funded = demo.execute(
        "SELECT a.plan_item_id FROM allocations a WHERE a.status = 'funded' AND a.funding_source = 'agency'"
        " ORDER BY a.id LIMIT 1"
    ).fetchone()["plan_item_id"]
    # Walk down from the funded province item to its village root using the plain table.
    expected_ids = [funded]
    while True:
        below = items.index[items["up"] == expected_ids[0]]
        if len(below) == 0:
            break
        expected_ids.insert(0, int(min(below)))
    root = expected_ids[0]
    steps = chain(demo, root)
    cursor, upward = root, [root]
    while pd.notna(items.loc[cursor, "up"]):
        cursor = int(items.loc[cursor, "up"])
        upward.append(cursor)
    assert [s.item_id for s in steps] == upward
    assert [s.plan_level for s in steps][:1] == ["village"]
    assert funded in [s.item_id for s in steps]
    assert any(a["status"] == "funded" for s in steps for a in s.allocations)
    assert len({s.title for s in steps}) == 1  # the same need at every level
    # From the middle of the chain, the path is the same.
    assert [s.item_id for s in chain(demo, funded)][-len(upward) :] == upward[-len(upward) :]


def test_root_needs_count_each_need_once(demo: psycopg.Connection) -> None:
    items = _truth(demo)
    year = items[items["fiscal_year"] == FY]
    roots = year[~year.index.isin(items["up"].dropna().astype(int))]
    assert root_needs(demo, "TH", FY) == (len(roots), Decimal(roots["amount"].sum()))
    in_37 = roots[roots["area_code"].str.startswith("37")]
    assert root_needs(demo, "37", FY) == (len(in_37), Decimal(in_37["amount"].sum()))


def test_funnel_equals_hand_computed_sums(demo: psycopg.Connection) -> None:
    items = _truth(demo)
    allocs = pd.DataFrame(
        demo.execute(
            "SELECT plan_item_id, status, funding_source FROM allocations WHERE fiscal_year = %s", [FY]
        ).fetchall()
    )
    villages = items[
        (items["level"] == "village") & (items["fiscal_year"] == FY) & items["area_code"].str.startswith("22")
    ]
    counts = [0] * 8
    amounts = [Decimal(0)] * 8
    for root, row in villages.iterrows():
        path, cursor = [root], root
        while pd.notna(items.loc[cursor, "up"]):
            cursor = int(items.loc[cursor, "up"])
            path.append(cursor)
        levels = {items.loc[i, "level"] for i in path}
        linked = allocs[allocs["plan_item_id"].isin(path)]
        reached = [
            True,
            bool(row["beyond"]),
            bool(levels & {"tambon", "local"}),
            "district" in levels,
            "province" in levels,
            any(items.loc[i, "level"] == "province" and items.loc[i, "beyond"] for i in path),
            bool(((linked["funding_source"] == "agency") & linked["status"].isin(["requested", "funded"])).any()),
            bool(((linked["funding_source"] == "agency") & (linked["status"] == "funded")).any()),
        ]
        for k, ok in enumerate(reached):
            if ok:
                counts[k] += 1
                amounts[k] += row["amount"]
    steps = funnel(demo, "22", FY)
    assert [s.key for s in steps] == list(FUNNEL_STEPS)
    assert [s.items for s in steps] == counts
    assert [s.amount for s in steps] == amounts
    print(
        "\n"
        + "\n".join(
            f"{s.key:32} {s.items:6,} {s.amount:>18,.2f}"
            f" {'' if s.share_of_previous is None else f'{s.share_of_previous:6.1%}'}"
            for s in steps
        )
    )
    assert counts[0] > counts[1] > counts[2] > 0
    assert all(a >= b for a, b in zip(counts, counts[1:]))  # a funnel only narrows
