"""TPMAP need per area (``planmap import need``): the จปฐ. basic-minimum-needs survey and the
welfare-card "target poor" counts as TPMAP publishes them, per village, tambon, district,
province and the country.

A folder holds, for one survey year ``YY`` (BE, two digits), the files
``YY_<CC>_{village,tambol,amphur}_{common,11111}.csv[.gz]``, ``YY_province_*`` and
``YY_country_*``. ``common`` has every surveyed household and person and the failures of each
of the 31 indicators; ``11111`` has the target poor (those failing an indicator who hold a
validated welfare card) in all five TPMAP dimensions. Each level is stored from its own table
(never summed from the level below), so every loaded total equals the source's; villages are
the one exception: a village split into survey sub-areas (the 2-digit suffix of its 10-digit id)
is their sum. Codes the gazetteer does not know (municipal pseudo-tambons ≥ 50, renumbered
villages) are stored and reported, and the dashboard finds no area for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
from psycopg.rows import tuple_row

from etl import runs
from etl.db import query, run_script
from geodata.areas import LENGTH_BY_LEVEL

INDICATORS = 31
FILE_NAME = re.compile(
    r"^(?P<yy>\d{2})_(?:(?P<cc>\d{2})_(?P<level>village|tambol|amphur)|(?P<top>province|country))_(?P<part>common|11111)\.csv(?:\.gz)?$"
)
LEVELS = {"village": "village", "tambol": "tambon", "amphur": "district", "province": "province", "country": "country"}
KEY = {"village": "village_ID", "tambol": "tumbol_ID", "amphur": "amphur_ID", "province": "province_ID"}
# a survey village id is the 8-digit village code and a 2-digit survey sub-area
CODE_LENGTH = {**LENGTH_BY_LEVEL, "village": LENGTH_BY_LEVEL["village"] + 2}
COMMON = {"household.CNT": "households", "HOUSEMEMBER_CNT": "persons"}
POOR = {
    "poor.JPT.CNT": "failing_any",
    "poor.JPT.MOFval.CNT": "target_poor",
    "poor.JPT.MOFval.health": "poor_health",
    "poor.JPT.MOFval.living": "poor_living",
    "poor.JPT.MOFval.education": "poor_education",
    "poor.JPT.MOFval.income": "poor_income",
    "poor.JPT.MOFval.accessibility": "poor_access",
}
ASSESSED = [f"indicator{n}.ALL" for n in range(1, INDICATORS + 1)]
FAILING = [f"indicator{n}.CNT" for n in range(1, INDICATORS + 1)]
COUNTS = list(COMMON.values()) + list(POOR.values())


class NeedFileError(ValueError):
    """A file or cell that cannot be loaded: names the file, row, field and value."""


@dataclass(frozen=True)
class NeedReport:
    run_id: int
    survey_year_be: int
    rows: dict[str, int]  # level → areas stored
    country: dict[str, int]  # the country table's totals
    provinces_sum: dict[str, int]  # the same totals summed over provinces (a check)
    not_in_gazetteer: dict[str, int]  # level → codes stored that are not areas
    source_rows: int  # rows read, all files

    def describe(self) -> str:
        levels = ", ".join(f"{n:,} {level}" for level, n in self.rows.items())
        unknown = ", ".join(f"{n:,} {level}" for level, n in self.not_in_gazetteer.items() if n)
        return (
            f"TPMAP need, survey {self.survey_year_be} BE: {levels} ({self.source_rows:,} source rows)\n"
            f"  country: {self.country['households']:,} households, {self.country['persons']:,} persons surveyed,"
            f" {self.country['target_poor']:,} target poor\n"
            f"  codes that are not areas of the gazetteer (stored, not drawn): {unknown or 'none'}\n"
            f"import run {self.run_id}"
        )


def read_need(folder: Path) -> tuple[int, pd.DataFrame, int]:
    """(survey year BE, one row per level and code with every count, source rows read)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NeedFileError(f"{folder}: not a folder of TPMAP files")
    parts: dict[tuple[str, str], list[pd.DataFrame]] = {}
    years: set[str] = set()
    read = 0
    for path in sorted(folder.rglob("*.csv*")):
        m = FILE_NAME.match(path.name)
        if not m:
            continue
        years.add(m["yy"])
        level = LEVELS[m["level"] or m["top"]]
        frame = _read(path, level, m["part"])
        read += len(frame)
        parts.setdefault((level, m["part"]), []).append(frame)
    if not parts:
        raise NeedFileError(f"{folder}: no TPMAP files (YY_<CC>_tambol_common.csv, YY_country_common.csv, …)")
    if len(years) != 1:
        raise NeedFileError(f"{folder}: files of several survey years ({', '.join(sorted(years))}); load one year")
    frames = []
    for level in LEVELS.values():
        common = parts.get((level, "common"))
        poor = parts.get((level, "11111"))
        if not common and not poor:
            continue
        if not common or not poor:
            have = "common" if common else "11111"
            raise NeedFileError(f"{folder}: the {level} level has only its {have} files; both parts are needed")
        joined = _join(pd.concat(common, ignore_index=True), pd.concat(poor, ignore_index=True), level)
        frames.append(joined)
    return 2500 + int(next(iter(years))), pd.concat(frames, ignore_index=True), read


def _read(path: Path, level: str, part: str) -> pd.DataFrame:
    key = KEY.get({"tambon": "tambol", "district": "amphur"}.get(level, level))
    try:
        frame = pd.read_csv(path, dtype={key: str} if key else None, keep_default_na=False)
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        raise NeedFileError(f"{path.name}: not a readable CSV file ({exc})") from exc
    wanted = list(COMMON) + ASSESSED + FAILING if part == "common" else list(POOR)
    missing = [c for c in wanted + ([key] if key else []) if c not in frame.columns]
    if missing:
        raise NeedFileError(f"{path.name}: missing column(s) {', '.join(missing[:5])}")
    if key is None:
        codes = pd.Series(["TH"] * len(frame))
    else:
        codes = frame[key].str.strip()
        # municipal communities (pseudo-tambon ≥ 50) may carry a letter in a village id: 340151A001
        pattern = r"[0-9]{6}[0-9A-Z]{4}" if level == "village" else rf"[0-9]{{{CODE_LENGTH[level]}}}"
        bad = ~codes.str.fullmatch(pattern)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise NeedFileError(
                f"{path.name}, row {row + 2}, field {key} = {codes.iloc[row]!r}: "
                f"expected a {CODE_LENGTH[level]}-digit {level} id"
            )
    out = pd.DataFrame({"code": codes.str[:8] if level == "village" else codes})
    for column in wanted:
        values = frame[column]
        if not pd.api.types.is_integer_dtype(values):  # a blank, text or fraction somewhere
            number = pd.to_numeric(values, errors="coerce")
            bad = number.isna() | (number != number.round())
        else:
            bad = values < 0
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise NeedFileError(
                f"{path.name}, row {row + 2}, field {column} = {values.iloc[row]!r}: expected a whole count ≥ 0"
            )
        out[column] = values.astype("int64")
    return out


def _join(common: pd.DataFrame, poor: pd.DataFrame, level: str) -> pd.DataFrame:
    grouped = common.groupby("code", sort=True)
    common = grouped.sum()
    common["source_rows"] = grouped.size()
    poor = poor.groupby("code", sort=True).sum()
    if set(common.index) != set(poor.index):
        only = sorted(set(common.index) ^ set(poor.index))[:5]
        raise NeedFileError(f"the {level} common and 11111 files name different areas, e.g. {', '.join(only)}")
    frame = common.join(poor).rename(columns={**COMMON, **POOR}).reset_index()
    frame.insert(1, "level", level)
    return frame


def load_need(conn: psycopg.Connection, folder: Path) -> NeedReport:
    """Read and check every file, then replace the survey year in one transaction."""
    year, frame, read = read_need(folder)
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
        run_id = runs.start(cur, "need", str(folder))
        run_script(cur, "need_stage")
        with cur.copy(
            "COPY stage_need (code, level, households, persons, failing_any, target_poor, poor_health, poor_living,"
            " poor_education, poor_income, poor_access, indicator_assessed, indicator_failing, source_rows)"
            " FROM STDIN"
        ) as copy:
            assessed = frame[ASSESSED].to_numpy()
            failing = frame[FAILING].to_numpy()
            for i, r in enumerate(frame[["code", "level", *COUNTS, "source_rows"]].itertuples(index=False)):
                copy.write_row((*r[:-1], assessed[i].tolist(), failing[i].tolist(), r[-1]))
        run_script(cur, "need_apply", {"year": year, "run_id": run_id})
        unknown = dict(cur.execute(query("need_unknown")).fetchall())
        country = frame[frame["level"] == "country"][COUNTS].sum().astype(int).to_dict()
        provinces = frame[frame["level"] == "province"][COUNTS].sum().astype(int).to_dict()
        rows = frame["level"].value_counts().reindex(list(LEVELS.values())).dropna().astype(int).to_dict()
        report = NeedReport(run_id, year, rows, country, provinces, {k: unknown.get(k, 0) for k in rows}, read)
        runs.finish(cur, run_id, "loaded", rows, {"survey_year_be": year, "country": country, "unknown": unknown})
    return report
