"""The national village list as areas of the gazetteer (``planmap geo villages``).

The list (DOPA village geocodes as compiled in ``muban_list_2022``: one XML file per province,
or its derived CSV) gives every village's 8-digit code, Thai and English name, whether it is
obsolete, and the names it had before a Royal Gazette rename. Villages become ``areas`` rows
under their tambon, so the dashboard lists every village of a tambon and the locator can resolve
``บ้านX`` and old names. The list has no coordinates: a village is drawn at a point placed inside
its tambon's boundary, always marked approximate.

Everything is read and checked first; then one transaction writes the villages, their former
names and points, with its run record. Loading the same list again changes nothing. Villages
the database already has and the list lacks (a หมู่ที่ an import named, or a demo village) are
kept and counted in the report.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import psycopg
import shapely
from psycopg.rows import tuple_row

from etl import runs
from etl.db import query, run_script
from geodata.village_points import place_villages

NS = "{http://hoerstemeier.com/tambon/}"
VILLAGE_CODE = re.compile(r"^[0-9]{8}$")


@dataclass(frozen=True)
class Village:
    code: str
    name_th: str
    name_en: str | None
    current: bool
    source: str  # file and line or element, for error messages


@dataclass(frozen=True)
class FormerName:
    code: str
    name_th: str
    name_en: str | None
    renamed_on: date | None


@dataclass(frozen=True)
class VillageList:
    villages: tuple[Village, ...]
    former: tuple[FormerName, ...]
    files: tuple[str, ...]
    unnamed: int = 0  # villages without a name in the list, named "หมู่ที่ n"

    @property
    def has_history(self) -> bool:
        """The XML files carry rename history; the derived CSV does not."""
        return any(not f.endswith((".csv", ".csv.gz")) for f in self.files)


@dataclass(frozen=True)
class VillageReport:
    run_id: int
    current: int
    obsolete: int
    former_names: int
    added: int
    changed: int
    points_placed: int
    unnamed: int
    unknown_tambons: tuple[str, ...]  # villages skipped: their tambon is not in the gazetteer
    kept_not_in_list: int  # villages in the database the list does not have

    def describe(self) -> str:
        lines = [
            f"villages: {self.current:,} current, {self.obsolete:,} obsolete, {self.former_names:,} former names"
            f" ({self.added:,} added, {self.changed:,} changed; {self.points_placed:,} approximate points placed)",
        ]
        if self.unnamed:
            lines.append(f"  {self.unnamed} villages have no name in the list: shown as หมู่ที่ n")
        if self.unknown_tambons:
            lines.append(
                f"  skipped: villages of {len(self.unknown_tambons)} tambon(s) the gazetteer does not know: "
                + ", ".join(self.unknown_tambons[:20])
            )
        if self.kept_not_in_list:
            lines.append(f"  kept: {self.kept_not_in_list:,} villages already in the database that the list lacks")
        lines.append(f"import run {self.run_id}")
        return "\n".join(lines)


class VillageListError(ValueError):
    """A file of the list that cannot be loaded; says which file, which village and why."""


def read_village_list(path: Path) -> VillageList:
    """Read a folder of ``geocode<CC>.xml[.gz]`` files, one such file, or the derived CSV."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("geocode*.xml*") if p.name.endswith((".xml", ".xml.gz")))
        if not files:
            raise VillageListError(f"{path}: no geocode<CC>.xml or .xml.gz files in this folder")
    elif path.is_file():
        files = [path]
    else:
        raise VillageListError(f"{path}: no such file or folder")
    villages: list[Village] = []
    former: list[FormerName] = []
    for file in files:
        if file.name.endswith((".csv", ".csv.gz")):
            villages.extend(_read_csv(file))
        else:
            v, f = _read_xml(file)
            villages.extend(v)
            former.extend(f)
    _check(villages)
    # a village the list gives no name (35 in 2022, e.g. in Thanyaburi) is called by its number
    unnamed = sum(not v.name_th for v in villages)
    villages = [v if v.name_th else replace(v, name_th=f"หมู่ที่ {int(v.code[-2:])}") for v in villages]
    return VillageList(tuple(villages), tuple(_unique_former(former, villages)), tuple(map(str, files)), unnamed)


def _open_text(path: Path) -> io.TextIOBase:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return io.StringIO(raw.decode("utf-8-sig"))


def _read_xml(path: Path) -> tuple[list[Village], list[FormerName]]:
    try:
        root = ET.parse(_open_text(path)).getroot()
    except ET.ParseError as exc:
        raise VillageListError(f"{path}: not a readable XML file ({exc})") from exc
    villages: list[Village] = []
    former: list[FormerName] = []
    for entity in root.iter(NS + "entity"):
        if entity.get("type") != "Muban":
            continue
        code = entity.get("geocode") or ""
        where = f"{path.name}, village {code or '(no geocode)'} {entity.get('name') or ''}".rstrip()
        villages.append(
            Village(
                code,
                (entity.get("name") or "").strip(),
                (entity.get("english") or "").strip() or None,
                entity.get("obsolete", "").lower() not in ("true", "1"),
                where,
            )
        )
        for rename in entity.iter(NS + "rename"):
            old = (rename.get("oldname") or "").strip()
            if old:
                former.append(
                    FormerName(
                        code, old, (rename.get("oldenglish") or "").strip() or None, _date(rename.get("effective"))
                    )
                )
    return villages, former


def _read_csv(path: Path) -> Iterator[Village]:
    reader = csv.DictReader(_open_text(path))
    missing = {"muban_code", "name_th"} - set(reader.fieldnames or ())
    if missing:
        raise VillageListError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    for line, row in enumerate(reader, start=2):
        yield Village(
            (row.get("muban_code") or "").strip(),
            (row.get("name_th") or "").strip(),
            (row.get("name_en") or "").strip() or None,
            (row.get("obsolete") or "").strip().lower() not in ("true", "1"),
            f"{path.name}, row {line}",
        )


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _check(villages: list[Village]) -> None:
    seen: dict[str, str] = {}
    for v in villages:
        if not VILLAGE_CODE.match(v.code):
            raise VillageListError(f"{v.source}: field geocode {v.code!r} is not an 8-digit village code")
        if v.code in seen:
            raise VillageListError(f"{v.source}: village code {v.code} appears twice (also {seen[v.code]})")
        seen[v.code] = v.source
    if not villages:
        raise VillageListError("the village list holds no village")


def _unique_former(former: Iterable[FormerName], villages: Iterable[Village]) -> Iterator[FormerName]:
    """One row per (code, old name), the latest rename kept; an old name equal to the current
    name (a rename of the English only) says nothing."""
    current = {v.code: v.name_th for v in villages}
    best: dict[tuple[str, str], FormerName] = {}
    for f in former:
        if f.name_th == current.get(f.code):
            continue
        key = (f.code, f.name_th)
        if key not in best or (f.renamed_on or date.min) > (best[key].renamed_on or date.min):
            best[key] = f
    yield from sorted(best.values(), key=lambda f: (f.code, f.name_th))


def load_villages(conn: psycopg.Connection, path: Path) -> VillageReport:
    """Read and check the list, then write it in one transaction (see the module docstring)."""
    listing = read_village_list(path)
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as cur:
        run_id = runs.start(cur, "villages", ", ".join(listing.files) if len(listing.files) < 4 else str(path))
        run_script(cur, "villages_stage")
        with cur.copy("COPY stage_village_list (code, name_th, name_en, current) FROM STDIN") as copy:
            for v in listing.villages:
                copy.write_row((v.code, v.name_th, v.name_en, v.current))
        with cur.copy("COPY stage_village_former (code, name_th, name_en, renamed_on) FROM STDIN") as copy:
            for f in listing.former:
                copy.write_row((f.code, f.name_th, f.name_en, f.renamed_on))
        unknown = tuple(r[0] for r in cur.execute(query("villages_unknown_tambons")).fetchall())
        added, changed = cur.execute(query("villages_apply")).fetchone()
        if listing.has_history:  # a CSV says nothing about renames: the ones stored stay
            run_script(cur, "villages_former")
        placed = place_village_points(cur)
        kept = cur.execute(query("villages_not_in_list")).fetchone()[0]
        report = VillageReport(
            run_id=run_id,
            current=sum(v.current for v in listing.villages),
            obsolete=sum(not v.current for v in listing.villages),
            former_names=len(listing.former),
            added=added,
            changed=changed,
            points_placed=placed,
            unnamed=listing.unnamed,
            unknown_tambons=unknown,
            kept_not_in_list=kept,
        )
        runs.finish(
            cur,
            run_id,
            "loaded",
            {"current": report.current, "obsolete": report.obsolete, "former_names": report.former_names},
            {"added": added, "changed": changed, "points_placed": placed, "unknown_tambons": list(unknown)},
        )
    return report


def place_village_points(cur: psycopg.Cursor, tambons: Sequence[str] | None = None) -> int:
    """Approximate points (:func:`geodata.village_points.place_villages`) for the current villages
    without a surveyed point, inside their tambon's boundary or, on the schematic map, its
    rectangle; only points that moved are written. Run after the village list, after new tambon
    boundaries and by the demo (``tambons``: only those). Returns how many villages were placed."""
    run_script(cur, "villages_points_stage")
    params = {"tambons": list(tambons) if tambons is not None else None}
    rows = cur.execute(query("villages_to_place"), params).fetchall()
    placed = 0
    with cur.copy("COPY stage_village_points (code, point) FROM STDIN") as copy:
        for _tambon, geom_wkb, codes in rows:
            for code, point in place_villages(shapely.from_wkb(geom_wkb), codes).items():
                copy.write_row((code, shapely.to_wkb(shapely.set_srid(point, 4326), hex=True, include_srid=True)))
                placed += 1
    run_script(cur, "villages_points")
    return placed
