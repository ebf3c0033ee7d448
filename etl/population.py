"""Registered population by year (``planmap geo population``): DOPA's counts of 31 December per
province, district and tambon, as published (``population_derived.csv`` of the DOPA 2017–2021
files; one row per year and unit).

Per-capita figures need a population for the fiscal year they show: the dashboard takes the
count nearest the fiscal year (``population_for`` in the database) and says which year it used.
Every row of the file is stored under its own code, known to the gazetteer or not, so every
loaded total equals the source's; a unit without a figure stays without one (never zero).
The years in the file replace those years in the database, in one transaction; loading the same
file again changes nothing.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg
from psycopg.rows import tuple_row

from etl import runs
from etl.db import query, run_script
from geodata.areas import LENGTH_BY_LEVEL

LEVELS = ("country", "province", "district", "tambon")
REQUIRED = ("year", "referencedate", "level", "geocode", "total")


class PopulationFileError(ValueError):
    """A row that cannot be loaded: names the file, row, field and value."""


@dataclass(frozen=True)
class PopulationRow:
    code: str
    year_be: int
    reference_date: date
    level: str
    total: int | None
    male: int | None
    female: int | None
    households: int | None


@dataclass(frozen=True)
class PopulationReport:
    run_id: int
    years_be: tuple[int, ...]
    rows: int
    by_level: dict[str, int]
    national: dict[int, int | None]  # year BE → the file's country total
    without_figure: int  # rows the source leaves blank
    not_in_gazetteer: int  # codes stored but unknown to the gazetteer
    added: int
    changed: int
    removed: int
    rejected: tuple[str, ...] = ()

    def describe(self) -> str:
        years = ", ".join(str(y) for y in self.years_be)
        levels = ", ".join(f"{n:,} {level}" for level, n in self.by_level.items())
        national = "; ".join(f"{y}: {t:,}" if t is not None else f"{y}: —" for y, t in self.national.items())
        return (
            f"population 31 Dec of {years} BE: {self.rows:,} rows ({levels}); country {national}\n"
            f"  {self.without_figure} rows without a figure in the source (kept empty, not zero);"
            f" {self.not_in_gazetteer} codes the gazetteer does not know (kept)\n"
            f"  {self.added:,} added, {self.changed:,} changed, {self.removed:,} removed (import run {self.run_id})"
            + "".join(f"\n  rejected: {r}" for r in self.rejected)
        )


def read_population(path: Path, *, allow_rejects: bool = False) -> tuple[list[PopulationRow], list[str]]:
    """Every row of the file, checked, and the rows rejected (file, row, field, value, why).
    A rejected row stops the load unless ``allow_rejects``: then it is left out and reported
    (DOPA's 2020 file has one, a tambon written "7265" next to the same tambon as 720205)."""
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
    if missing:
        raise PopulationFileError(f"{path.name}: missing column(s) {', '.join(missing)}")
    rows: list[PopulationRow] = []
    rejects: list[str] = []
    seen: dict[tuple[str, int], tuple[int, int]] = {}  # (code, year) → (line, index in rows)
    for line, rec in enumerate(reader, start=2):

        def bad(field: str, why: str, rec: dict = rec, line: int = line) -> PopulationFileError:
            return PopulationFileError(f"{path.name}, row {line}, field {field} = {rec.get(field)!r}: {why}")

        level = (rec["level"] or "").strip()
        if level not in LEVELS:
            raise bad("level", "expected country, province, district or tambon")
        code = (rec["geocode"] or "").strip()
        if level == "country":
            code = "TH"
        elif not (code.isdigit() and len(code) == LENGTH_BY_LEVEL[level]):
            rejects.append(str(bad("geocode", f"a {level} code has {LENGTH_BY_LEVEL[level]} digits")))
            continue
        try:
            year_ce = int(rec["year"])
            reference = date.fromisoformat((rec["referencedate"] or "").strip())
        except ValueError:
            raise bad("year", "expected a year and a reference date (YYYY-MM-DD)") from None
        if not 1900 <= year_ce <= 2200 or reference.year != year_ce:
            raise bad("year", "the year and the reference date disagree or are impossible")
        counts = {}
        for field in ("total", "male", "female", "households"):
            text = (rec.get(field) or "").strip()
            if not text:
                counts[field] = None
                continue
            if not text.isdigit():
                raise bad(field, "expected a whole number of people (or empty)")
            counts[field] = int(text)
        row = PopulationRow(code, year_ce + 543, reference, level, **counts)
        key = (code, row.year_be)
        if key in seen:
            # DOPA lists แม่เมาะ (5202) twice in 2017–2019, once without figures: the empty one
            # adds nothing; two different figures for one unit and year are an error.
            other = rows[seen[key][1]]
            if row.total is not None and other.total is not None and row != other:
                raise bad(
                    "geocode", f"the same unit and year appears twice with different figures (row {seen[key][0]})"
                )
            if other.total is None:
                rows[seen[key][1]] = row
            continue
        seen[key] = (line, len(rows))
        rows.append(row)
    if rejects and not allow_rejects:
        raise PopulationFileError(
            f"{len(rejects)} row(s) rejected, nothing loaded (use --allow-rejects to load the others):\n  "
            + "\n  ".join(rejects[:20])
        )
    if not rows:
        raise PopulationFileError(f"{path.name}: no population rows")
    return rows, rejects


def load_population(conn: psycopg.Connection, path: Path, *, allow_rejects: bool = False) -> PopulationReport:
    """Read and check the file, then replace its years in one transaction."""
    rows, rejects = read_population(path, allow_rejects=allow_rejects)
    years = tuple(sorted({r.year_be for r in rows}))
    by_level: dict[str, int] = {}
    for r in rows:
        by_level[r.level] = by_level.get(r.level, 0) + 1
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
        run_id = runs.start(cur, "population", str(path))
        run_script(cur, "population_stage")
        with cur.copy(
            "COPY stage_population (code, year_be, reference_date, total, male, female, households) FROM STDIN"
        ) as copy:
            for r in rows:
                copy.write_row((r.code, r.year_be, r.reference_date, r.total, r.male, r.female, r.households))
        removed = cur.execute(query("population_retire"), {"years": list(years)}).rowcount
        added, changed = cur.execute(query("population_apply"), {"run_id": run_id}).fetchone()
        unknown = cur.execute(query("population_unknown")).fetchone()[0]
        report = PopulationReport(
            run_id=run_id,
            years_be=years,
            rows=len(rows),
            by_level=by_level,
            national={y: next((r.total for r in rows if r.code == "TH" and r.year_be == y), None) for y in years},
            without_figure=sum(r.total is None for r in rows),
            not_in_gazetteer=unknown,
            added=added,
            changed=changed,
            removed=removed,
            rejected=tuple(rejects),
        )
        runs.finish(
            cur,
            run_id,
            "loaded",
            {"rows": len(rows), **by_level},
            {
                "years_be": list(years),
                "added": added,
                "changed": changed,
                "removed": removed,
                "unknown": unknown,
                "rejected": rejects,
            },
        )
    return report
