"""Run matching against the database: link automatic matches, list the rest for review, and
record a planning officer's decisions (which survive re-imports; see migration 0006)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.rows import dict_row

from etl import runs
from etl.db import query, refresh_aggregates, run_script
from etl.matching import AUTO_LINK, Demand, Supply, match
from etl.overlaps import refresh_overlaps

FUNDED_LEVELS = ("province", "cluster")


@dataclass(frozen=True)
class MatchReport:
    supply: int
    demand: int
    automatic: int
    for_review: int

    def describe(self) -> str:
        return (
            f"matching: {self.supply:,} unlinked allocations against {self.demand:,} plan items —"
            f" {self.automatic:,} linked automatically (confidence ≥ {AUTO_LINK}),"
            f" {self.for_review:,} waiting for review"
        )


def run_matching(
    conn: psycopg.Connection, *, fiscal_year: int | None = None, levels: tuple[str, ...] = FUNDED_LEVELS
) -> MatchReport:
    """Match unlinked allocations to plan items and apply the result in one transaction, recorded
    as a run (it changes what is funded on the map: the data version moves with it)."""
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        scope = "automatic matching" + (f", FY {fiscal_year}" if fiscal_year else "")
        run_id = runs.start(cur, "matching", scope, details={"fiscal_year": fiscal_year, "levels": list(levels)})
        rows = cur.execute(query("match_candidates"), {"fiscal_year": fiscal_year, "levels": list(levels)}).fetchall()
        supply = [
            Supply(r["key"], r["fiscal_year"], r["area_code"], r["title"], r["amount"])
            for r in rows
            if r["side"] == "supply"
        ]
        demand = [
            Demand(int(r["key"]), r["fiscal_year"], r["area_code"], r["title"], r["amount"])
            for r in rows
            if r["side"] == "demand"
        ]
        matches = match(demand, supply)
        cur.execute(query("match_stage"))
        with cur.copy("COPY stage_matches (allocation_key, item_id, confidence, title_score) FROM STDIN") as copy:
            for m in matches:
                copy.write_row([m.supply, m.demand, m.confidence, m.title_score])
        run_script(cur, "match_apply", {"auto": AUTO_LINK})
        automatic = cur.execute("SELECT count(*) AS n FROM allocations WHERE match_method = 'auto'").fetchone()["n"]
        review = cur.execute("SELECT count(*) AS n FROM match_review").fetchone()["n"]
        refresh_aggregates(cur)
        refresh_overlaps(conn)  # links change which records are one chain
        report = MatchReport(len(supply), len(demand), automatic, review)
        runs.finish(
            cur,
            run_id,
            "loaded",
            {"supply": report.supply, "demand": report.demand, "automatic": automatic, "for_review": review},
        )
    return report
