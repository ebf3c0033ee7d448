"""Thin command-line adapters over the loaders (registered as ``planmap`` sub-commands)."""

from __future__ import annotations

from pathlib import Path

import click

from etl.demo import SIZES
from etl.demo_load import load_demo
from etl.geoload import load_boundaries
from geodata.boundaries import BoundaryError
from geodata.db import connect
from geodata.gazetteer import load_clusters, read_clusters
from geodata.prepare import prepare_database
from geodata.settings import load_settings
from geodata.webgeom_store import refresh_cluster_web_geometry


@click.group()
def geo() -> None:
    """Geography: official boundaries and provincial clusters."""


@geo.command(name="load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def geo_load(paths: tuple[Path, ...]) -> None:
    """Load boundary files (GeoJSON, GeoPackage, shapefile, zip or folder) for provinces,
    districts and tambons; report codes that differ from the gazetteer."""
    settings = load_settings()
    with connect(settings) as conn:
        prepare_database(conn, settings)
        try:
            report = load_boundaries(conn, list(paths))
        except (BoundaryError, ValueError) as exc:
            raise click.ClickException(f"nothing loaded: {exc}") from None
    click.echo(report.describe())


@geo.command(name="clusters")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def geo_clusters(path: Path) -> None:
    """Replace provincial cluster membership with a CSV (cluster_id, cluster_name_th, …)."""
    settings = load_settings()
    with connect(settings) as conn:
        prepare_database(conn, settings)
        try:
            members = read_clusters(path)
        except ValueError as exc:
            raise click.ClickException(f"nothing loaded: {exc}") from None
        n = load_clusters(conn, members)
        with conn.transaction(), conn.cursor() as cur:
            refresh_cluster_web_geometry(cur)
    click.echo(f"{n} clusters, {len(members)} provinces from {path}")


@click.command()
@click.option("--size", type=click.Choice(list(SIZES)), default="small", show_default=True,
              help="tiny: 2 provinces; small: 6; medium: all 77, few items; national: ≈75,000 villages, ≈1,000,000 items.")
@click.option("--seed", type=int, default=2568, show_default=True)
@click.option("--boundaries", "boundaries", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Boundary files or folder to load first (default: PLANMAP_BOUNDARIES). "
                   "Without any, the demo draws a schematic map.")
def demo(size: str, seed: int, boundaries: tuple[Path, ...]) -> None:
    """Generate and load a deterministic SYNTHETIC planning dataset on the real gazetteer."""
    settings = load_settings()
    paths = list(boundaries) or ([settings.boundaries] if settings.boundaries else [])
    with connect(settings) as conn:
        for line in prepare_database(conn, settings):
            click.echo(line)
        if paths:
            try:
                click.echo(load_boundaries(conn, paths).describe())
            except (BoundaryError, ValueError) as exc:
                raise click.ClickException(f"nothing loaded: {exc}") from None
        report = load_demo(conn, size, seed)
    click.echo(report.describe())
    if report.schematic:
        click.echo("note: the map is schematic; load real boundaries with "
                   "`planmap geo load PATH` or `planmap demo --boundaries PATH`.")
