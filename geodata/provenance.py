"""The source line of exports: which loads the numbers come from (from ``import_runs``)."""

from __future__ import annotations

import psycopg

from geodata.db import query

_KIND = {"plans": ("แผน", "plans"), "budget": ("งบประมาณ", "budget"), "demo": ("ข้อมูลสาธิต", "demo")}


def source_line(conn: psycopg.Connection, lang: str = "th", limit: int = 240) -> str:
    """'แผน: a.xlsx, b.xlsx · งบประมาณ: 2022-3-1.csv.gz …' (distinct sources per kind, newest first)."""
    seen: dict[str, list[str]] = {}
    for row in conn.execute(query("provenance")).fetchall():
        names = seen.setdefault(row["kind"], [])
        if row["source"] not in names:
            names.append(row["source"])
    parts = [f"{_KIND[k][1 if lang == 'en' else 0]}: {', '.join(v)}" for k, v in seen.items()]
    text = " · ".join(parts) or ("no data loaded" if lang == "en" else "ยังไม่มีข้อมูล")
    return text if len(text) <= limit else text[: limit - 1] + "…"
