"""The Thai gazetteer in the database: every area exists, with or without polygons.

Codes and names come from the ``geothai`` package (current DOPA codes plus abolished codes with
their successors), so an item can be placed in any tambon even before boundary files are
loaded, and an old record holding an abolished code still finds where it went.
Provincial clusters come from a CSV (replaceable data: membership changed over the years).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import geothai
import psycopg
from geothai.abolished import abolished_areas

from geodata.areas import level_of, parent_of
from geodata.db import query

COUNTRY = ("TH", "country", None, "ประเทศไทย", "Thailand")
CLUSTER_COLUMNS = ("cluster_id", "cluster_name_th", "cluster_name_en", "province_code")


@dataclass(frozen=True)
class GazetteerArea:
    """One area as the gazetteer knows it (current or abolished, with its successors)."""

    code: str
    level: str
    parent_code: str | None
    name_th: str
    name_en: str | None
    status: str = "current"
    successor_codes: tuple[str, ...] = field(default=())


def current_areas() -> Iterator[GazetteerArea]:
    """Country, provinces, districts and tambons as geothai knows them today."""
    yield GazetteerArea(*COUNTRY)
    for p in geothai.provinces():
        yield GazetteerArea(p.code, "province", "TH", p.name_th, p.name_en)
        for d in geothai.districts(p.code):
            yield GazetteerArea(d.code, "district", p.code, d.name_th, d.name_en)
            for s in geothai.subdistricts(d.code):
                yield GazetteerArea(s.code, "tambon", d.code, s.name_th, s.name_en)


def abolished_rows(known: set[str]) -> list[GazetteerArea]:
    """Abolished districts/tambons not reused by a current code, parents first."""
    rows = [
        GazetteerArea(
            a.code,
            level_of(a.code),
            parent_of(a.code),
            a.name_th,
            a.name_en,
            status="abolished",
            successor_codes=tuple(a.successors),
        )
        for a in abolished_areas()
        if a.code not in known and a.level != "province"
    ]
    return sorted(rows, key=lambda r: (len(r.code), r.code))


def gazetteer_rows() -> list[GazetteerArea]:
    """All areas to store: current first, then abolished ones (whose parents may be abolished)."""
    rows = list(current_areas())
    known = {r.code for r in rows}
    extra = abolished_rows(known)
    # An abolished tambon whose district is gone entirely still needs a parent row.
    present = known | {r.code for r in extra}
    return rows + [r for r in extra if r.parent_code in present]


def sync_gazetteer(conn: psycopg.Connection) -> int:
    """Insert or update every gazetteer area; returns how many rows changed. Idempotent."""
    rows = gazetteer_rows()
    with conn.transaction():
        conn.execute(query("gazetteer_stage"))
        with conn.cursor().copy(
            "COPY stage_areas (code, level, parent_code, name_th, name_en, status, successor_codes, ord) FROM STDIN"
        ) as copy:
            for order, r in enumerate(rows):
                copy.write_row(
                    [r.code, r.level, r.parent_code, r.name_th, r.name_en, r.status, list(r.successor_codes), order]
                )
        return conn.execute(query("gazetteer_merge")).rowcount


@dataclass(frozen=True)
class ClusterMember:
    cluster_code: str
    name_th: str
    name_en: str
    province_code: str


def default_clusters_csv() -> Path:
    """The packaged 2017 designation (18 clusters, 76 provinces; Bangkok belongs to none)."""
    return Path(str(files("geodata").joinpath("data", "province_clusters_2560.csv")))


def read_clusters(path: Path) -> list[ClusterMember]:
    """Read a clusters CSV; every problem names the file, line, field and value."""
    known = {p.code for p in geothai.provinces()}
    members: list[ClusterMember] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CLUSTER_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; found {reader.fieldnames}")
        for line, rec in enumerate(reader, start=2):
            code = (rec["cluster_id"] or "").strip()
            province = (rec["province_code"] or "").strip().zfill(2)
            if not (len(code) == 3 and code[0] == "C" and code[1:].isdigit()):
                raise ValueError(f"{path}:{line}: cluster_id {code!r} is not like C01")
            if province not in known:
                raise ValueError(f"{path}:{line}: province_code {rec['province_code']!r} is not a province")
            if province in seen:
                raise ValueError(f"{path}:{line}: province {province} already in a cluster (line {seen[province]})")
            seen[province] = line
            members.append(
                ClusterMember(code, rec["cluster_name_th"].strip(), (rec["cluster_name_en"] or "").strip(), province)
            )
    if not members:
        raise ValueError(f"{path}: no clusters")
    return members


def load_clusters(conn: psycopg.Connection, members: Iterable[ClusterMember]) -> int:
    """Replace cluster areas and membership with ``members`` (one transaction)."""
    members = list(members)
    with conn.transaction():
        conn.execute("DELETE FROM cluster_provinces")
        names = {m.cluster_code: (m.name_th, m.name_en) for m in members}
        conn.execute("DELETE FROM areas WHERE level = 'cluster' AND NOT (code = ANY(%s))", [list(names)])
        for code, (name_th, name_en) in sorted(names.items()):
            conn.execute(query("cluster_upsert"), {"code": code, "name_th": name_th, "name_en": name_en})
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO cluster_provinces (cluster_code, province_code) VALUES (%s, %s)",
                [(m.cluster_code, m.province_code) for m in members],
            )
    return len(names)
