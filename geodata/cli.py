"""``planmap``: one command line, composed of groups that each package contributes.

geodata owns the ``db`` group and discovers the others (``geo``, ``demo``, ``serve``, ``import`` …)
through the ``planmap.commands`` entry-point group, so it never imports etl or dashboard
(the dependency rule etl → geodata ← dashboard holds for the command line too).
"""

from __future__ import annotations

import sys
from importlib.metadata import entry_points

import click
import psycopg

from geodata import pgcluster
from geodata.db import connect
from geodata.prepare import prepare_database
from geodata.settings import load_settings
from geodata.user_cli import user_group


class _Group(click.Group):
    """A click group that adds the sub-commands other packages register."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *(ep.name for ep in _plugins())})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        found = super().get_command(ctx, name)
        if found is not None:
            return found
        for ep in _plugins():
            if ep.name == name:
                return ep.load()
        return None

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        """Turn expected operational failures into one plain message instead of a traceback."""
        try:
            return super().invoke(ctx)
        except pgcluster.ClusterError as exc:
            raise click.ClickException(str(exc)) from None
        except psycopg.OperationalError as exc:
            raise click.ClickException(
                f"cannot reach the database ({exc}). Is it running? Try: planmap db status"
            ) from None


def _plugins():
    return entry_points(group="planmap.commands")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """planmap: development needs against budget, from province to village."""


main.add_command(user_group)


@main.group()
def db() -> None:
    """The database: a private PostGIS cluster, or the server in PLANMAP_DATABASE_URL."""


def _private_cluster() -> pgcluster.PrivateCluster:
    settings = load_settings()
    if not settings.private:
        raise click.ClickException("PLANMAP_DATABASE_URL is set: planmap uses that server and does not manage it")
    return pgcluster.PrivateCluster(settings)


@db.command()
def start() -> None:
    """Start the private cluster (initialising it the first time) and migrate the schema."""
    settings = load_settings()
    if settings.private:
        click.echo(_private_cluster().start())
    with connect(settings, autocommit=True) as conn:
        for line in prepare_database(conn, settings):
            click.echo(line)


@db.command()
def stop() -> None:
    """Stop the private cluster."""
    click.echo(_private_cluster().stop())


@db.command()
def status() -> None:
    """Say whether the private cluster runs, where and on which port."""
    settings = load_settings()
    if not settings.private:
        click.echo("using PLANMAP_DATABASE_URL (not managed by planmap)")
        return
    click.echo(_private_cluster().status().describe())


@db.command()
def url() -> None:
    """Print the database URL (contains the password of the private cluster)."""
    click.echo(pgcluster.database_url(load_settings()))


@db.command(name="migrate")
def migrate_cmd() -> None:
    """Apply pending schema migrations, sync the gazetteer and the provincial clusters."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn:
        for line in prepare_database(conn, settings):
            click.echo(line)


if __name__ == "__main__":
    sys.exit(main())
