"""``planmap import refresh``: rebuild every pre-aggregate of the dashboard from scratch.

A load refreshes only what it touched (:func:`etl.db.refresh_aggregates` with a
:class:`etl.db.Touched`); this command is the full refresh, for after a change made outside the
loaders or to check the incremental one. One transaction: readers see the old aggregates until it
commits, never half of the new ones."""

from __future__ import annotations

import time

import click

from etl.db import refresh_aggregates
from geodata.db import connect
from geodata.prepare import prepare_database
from geodata.settings import load_settings


@click.command(name="refresh")
def refresh_cmd() -> None:
    """Rebuild the dashboard's pre-aggregates of the whole country from plan items and allocations."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn:
        prepare_database(conn, settings)
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            refresh_aggregates(cur)
    click.echo(f"pre-aggregates rebuilt for the whole country in {time.perf_counter() - started:.1f} s")
