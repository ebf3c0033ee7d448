"""``planmap export``: the dashboard's exports from the command line (same code, same numbers)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from dashboard.exports.service import KINDS, ExportError, export
from dashboard.request import Resolver
from dashboard.state import parse
from geodata.accounts import EVERYTHING
from geodata.areas import is_area_code
from geodata.db import connect
from geodata.settings import load_settings


@click.command(name="export")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("--area", default="TH", show_default=True, help="DOPA area code (C01… for a cluster).")
@click.option("--all-provinces", is_flag=True, help="One file per province (the batch for a meeting round).")
@click.option("--fiscal-year", type=int, default=None, help="Fiscal year, BE (default: the latest loaded).")
@click.option(
    "--format",
    "fmt",
    default=None,
    help="Format (map: png/svg/pdf, pack: pptx/pdf, tables: xlsx/csv, layer: gpkg/geojson).",
)
@click.option("--view", default="", help="A dashboard URL query (?plan=…&metric=…) to export exactly that view.")
@click.option("--lang", type=click.Choice(["th", "en"]), default=None)
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True
)
def export_cmd(
    kind: str,
    area: str,
    all_provinces: bool,
    fiscal_year: int | None,
    fmt: str | None,
    view: str,
    lang: str | None,
    out_dir: Path,
) -> None:
    """Export a map, a meeting pack, a table or a GIS layer of a view."""
    fmt = fmt or KINDS[kind][0]
    base = parse(view if view.startswith("?") or not view else "?" + view)
    if lang:
        base = replace(base, lang=lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    resolver = Resolver()
    with connect(load_settings(), autocommit=True) as conn:
        codes = (
            [
                r["code"]
                for r in conn.execute(
                    "SELECT code FROM areas WHERE level = 'province' AND status = 'current' ORDER BY code"
                )
            ]
            if all_provinces
            else [area]
        )
        loaded = resolver.options(conn).fiscal_years
        for year in {fiscal_year, base.fy} - {None}:
            if year not in loaded:
                shown = ", ".join(map(str, loaded)) or "none"
                raise click.ClickException(f"fiscal year {year} is not loaded (loaded: {shown})")
        for code in codes:
            if not is_area_code(code):
                raise click.ClickException(f"not an area code: {code!r}")
            state = resolver.resolve(conn, replace(base.with_area(code), fy=fiscal_year or base.fy), EVERYTHING).state
            if state.area != code:
                raise click.ClickException(f"unknown area {code!r}")
            try:
                result = export(conn, state, kind, fmt)
            except ExportError as exc:
                raise click.ClickException(str(exc)) from None
            path = out_dir / result.filename
            path.write_bytes(result.data)
            click.echo(f"{path}  ({len(result.data) / 1024:,.0f} KB)")


__all__ = ["export_cmd"]
