"""Thin command-line adapters over the loaders (registered as ``planmap`` sub-commands)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import psycopg
from tqdm import tqdm

from etl.bounds import Limits
from etl.db import query
from etl.demo import SIZES
from etl.demo_load import load_demo
from etl.geoload import load_boundaries
from etl.health import DECISION_OPTIONS, Decisions
from etl.importer import ImportReport, import_budget, import_plans, write_difference, write_rejects
from etl.layouts import MappingError
from etl.locate import Locator
from etl.match_load import run_matching
from etl.need import load_need
from etl.population import load_population
from etl.records import PLAN_LEVELS
from etl.refresh import refresh_cmd
from etl.sources import KINDS, SourceError, find_source, list_sources, remove_legacy, remove_source
from etl.village_index import read_village_index
from etl.villages import load_villages
from geodata import audit
from geodata.accounts import load_user
from geodata.boundaries import BoundaryError
from geodata.db import connect
from geodata.gazetteer import load_clusters, read_clusters
from geodata.prepare import prepare_database
from geodata.review import decide
from geodata.settings import load_settings
from geodata.webgeom_store import refresh_cluster_web_geometry


@click.group()
def geo() -> None:
    """Geography: official boundaries, provincial clusters, villages and population."""


@geo.command(name="load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def geo_load(paths: tuple[Path, ...]) -> None:
    """Load boundary files (GeoJSON, GeoPackage, shapefile, zip or folder) for provinces,
    districts and tambons; report codes that differ from the gazetteer."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn:
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
    with connect(settings, autocommit=True) as conn:
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
@click.option(
    "--size",
    type=click.Choice(list(SIZES)),
    default="small",
    show_default=True,
    help="tiny: 2 provinces; small: 6; medium: all 77, few items; national: ≈75,000 villages, ≈1,000,000 items.",
)
@click.option("--seed", type=int, default=2568, show_default=True)
@click.option(
    "--boundaries",
    "boundaries",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Boundary files or folder to load first (default: PLANMAP_BOUNDARIES). "
    "Without any, the demo draws a schematic map.",
)
def demo(size: str, seed: int, boundaries: tuple[Path, ...]) -> None:
    """Generate and load a deterministic SYNTHETIC planning dataset on the real gazetteer."""
    settings = load_settings()
    paths = list(boundaries) or ([settings.boundaries] if settings.boundaries else [])
    with connect(settings, autocommit=True) as conn:
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
        click.echo(
            "note: the map is schematic; load real boundaries with "
            "`planmap geo load PATH` or `planmap demo --boundaries PATH`."
        )


@click.group(name="import")
def import_group() -> None:
    """Import plan and budget files (CSV, XLSX, gzip) as provinces send them."""


import_group.add_command(refresh_cmd)  # planmap import refresh: the full refresh


def _common(func):  # noqa: ANN001, ANN202 - click decorator stacking
    func = click.option(
        "--mapping",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Extra header → field mapping for unusual layouts.",
    )(func)
    func = click.option(
        "--dry-run",
        is_flag=True,
        help="Read, check and show the difference against the current version; write nothing but the run record.",
    )(func)
    func = click.option(
        "--source",
        "source_name",
        default=None,
        help="The source's name (default: each file is its own source, named by the file). Importing a"
        " source again replaces its previous version: unchanged rows stay, changed rows update, rows no"
        " longer in it retire.",
    )(func)
    func = click.option(
        "--difference",
        "difference_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Where to write the difference CSV (default: PLANMAP_DATA_DIR/differences/run-N.csv).",
    )(func)
    func = click.option(
        "--allow-rejects", is_flag=True, help="Load the valid rows even when others are rejected (exit 0)."
    )(func)
    func = click.option(
        "--rejects",
        "rejects_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Where to write the reject report CSV (default: PLANMAP_DATA_DIR/rejects/run-N.csv).",
    )(func)
    return click.argument(
        "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
    )(func)


_DECISION_HELP = {
    "implausible_years": "Rows in implausible fiscal years (outside the window around the file's year, one item"
    " spread over decades): drop them, or keep them as they are.",
    "drag_filled_dates": "Dates filled down a column one day per row: give those rows the year the file implies"
    " (file-year), or keep the dates' years.",
    "summary_rows": "Rows that sum other rows (subtotals, a total matching the file name): drop or keep them.",
}


def _decision(name: str):  # noqa: ANN202 - click decorator
    option, actions = DECISION_OPTIONS[name]
    return click.option(option, name, type=click.Choice(actions), default=None, help=_DECISION_HELP[name])


@import_group.command(name="plans")
@click.option("--level", type=click.Choice(list(PLAN_LEVELS)), required=True, help="Which plan the rows belong to.")
@click.option(
    "--fiscal-year",
    type=int,
    default=None,
    help="The files' fiscal year (BE): used when a row says none, and the year data-health checks"
    " judge the rows' years against.",
)
@click.option(
    "--cycle",
    type=click.Choice(["annual", "one-off"]),
    default=None,
    help="Plans of the manual's annual cycle (judged against the planning calendar) or a one-off"
    " programme (calendar not applicable). Default: annual for the planmap template, one-off"
    " for other layouts.",
)
@_decision("implausible_years")
@_decision("drag_filled_dates")
@_decision("summary_rows")
@_common
def import_plans_cmd(
    files,
    level,
    fiscal_year,
    cycle,
    implausible_years,
    drag_filled_dates,
    summary_rows,  # noqa: ANN001
    mapping,
    dry_run,
    allow_rejects,
    rejects_path,
    source_name,
    difference_path,
) -> None:
    """Import plan items (planmap template, local project lists, …)."""
    settings = load_settings()
    decisions = Decisions(
        implausible_years=implausible_years, drag_filled_dates=drag_filled_dates, summary_rows=summary_rows
    )
    with _importing(), connect(settings, autocommit=True) as conn:
        prepare_database(conn, settings)
        report = import_plans(
            conn,
            files,
            level=level,
            fiscal_year=fiscal_year,
            mapping_file=mapping,
            allow_rejects=allow_rejects,
            dry_run=dry_run,
            progress=_bar("reading"),
            decisions=decisions,
            cycle=cycle.replace("-", "_") if cycle else None,
            limits=Limits.from_settings(settings),
            source_name=source_name,
            locator=Locator(villages=read_village_index(conn)),
        )
    _conclude(report, settings.data_dir, rejects_path, difference_path)


@import_group.command(name="budget")
@click.option(
    "--status",
    type=click.Choice(["funded", "requested"]),
    default="funded",
    show_default=True,
    help="What the rows are: funded (Budget Act/Bill) or requested (agency budget requests).",
)
@click.option(
    "--fiscal-year",
    type=int,
    default=None,
    help="The document's fiscal year (BE) when its REF_DOC does not say (default: the year most lines are in).",
)
@_decision("implausible_years")
@_common
def import_budget_cmd(
    files,
    status,
    fiscal_year,
    implausible_years,
    mapping,
    dry_run,
    allow_rejects,  # noqa: ANN001
    rejects_path,
    source_name,
    difference_path,
) -> None:
    """Import budget line items (the national Budget Bill CSV layout)."""
    settings = load_settings()
    with _importing(), connect(settings, autocommit=True) as conn:
        prepare_database(conn, settings)
        report = import_budget(
            conn,
            files,
            mapping_file=mapping,
            status=status,
            allow_rejects=allow_rejects,
            dry_run=dry_run,
            progress=_bar("reading"),
            fiscal_year=fiscal_year,
            decisions=Decisions(implausible_years=implausible_years),
            limits=Limits.from_settings(settings),
            source_name=source_name,
            locator=Locator(villages=read_village_index(conn)),
        )
    _conclude(report, settings.data_dir, rejects_path, difference_path)


@geo.command(name="villages")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def geo_villages(path: Path) -> None:
    """Load the national village list (a folder of geocode<CC>.xml[.gz] files, or a CSV with
    muban_code, name_th, name_en, obsolete): villages, their former names, approximate points."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn, _importing():
        prepare_database(conn, settings)
        report = load_villages(conn, path)
    click.echo(report.describe())


@geo.command(name="population")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--allow-rejects", is_flag=True, help="Load the valid rows when some are rejected (listed).")
def geo_population(path: Path, allow_rejects: bool) -> None:
    """Load registered population by year (DOPA, 31 December) per province, district and tambon
    (CSV: year, referencedate, level, geocode, total, male, female, households)."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn, _importing():
        prepare_database(conn, settings)
        report = load_population(conn, path, allow_rejects=allow_rejects)
    click.echo(report.describe())


@contextmanager
def _importing() -> Iterator[None]:
    """An import that fails on the database or on its mapping file ends with one clear line and
    exit code 1, not a traceback (the run itself is recorded as failed by the loader)."""
    try:
        yield
    except (MappingError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    except psycopg.Error as exc:
        notes = " ".join(getattr(exc, "__notes__", ()))
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise click.ClickException(f"import failed in the database ({type(exc).__name__}: {first}). {notes}") from None


def _bar(label: str):  # noqa: ANN202
    return lambda items: tqdm(items, desc=label, unit="file", leave=False)


def _conclude(
    report: ImportReport, data_dir: Path, rejects_path: Path | None, difference_path: Path | None = None
) -> None:
    click.echo(report.summary())
    result = report.result
    if result.difference.changes:
        path = write_difference(
            result.difference, difference_path or data_dir / "differences" / f"run-{result.run_id}.csv"
        )
        click.echo(f"difference against the current version: {path}")
    if result.problems or result.findings:
        path = write_rejects(
            result.problems, rejects_path or data_dir / "rejects" / f"run-{result.run_id}.csv", result.findings
        )
        click.echo(f"reject and warning report: {path}")
    if result.status == "rejected":
        raise click.ClickException(
            f"{result.rejected_rows:,} row(s) rejected: nothing was loaded."
            " Fix the source, or use --allow-rejects to load the valid rows."
        )
    if result.held:
        raise click.ClickException(
            f"{sum(f.needs_decision for f in result.findings):,} data-health finding(s) need a decision:"
            " nothing was loaded."
        )


@import_group.command(name="need")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_need_cmd(folder: Path) -> None:
    """Load TPMAP need (จปฐ. survey and welfare-card target poor) from a folder of
    YY_<CC>_{village,tambol,amphur}_{common,11111}.csv files with the province and country tables."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn, _importing():
        prepare_database(conn, settings)
        report = load_need(conn, folder)
    click.echo(report.describe())


@click.group(name="source")
def source_group() -> None:
    """Sources of plans and budget: list them, remove one."""


@source_group.command(name="list")
@click.option("--kind", type=click.Choice(KINDS), default=None)
def source_list(kind: str | None) -> None:
    """Every source with its current rows, amount and retired rows."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn:
        prepare_database(conn, settings)
        found = list_sources(conn, kind)
    for s in found:
        click.echo(
            f"{s.kind:<7} {s.name:<48} {s.rows:>9,} rows {s.amount:>20,.2f} baht  retired {s.retired:,}"
            f"  FY {s.fiscal_year or '-'}  {s.owner_area or ''}"
        )
    if not found:
        click.echo("no sources yet (planmap import plans|budget FILE)")


@source_group.command(name="remove")
@click.argument("name")
@click.option("--kind", type=click.Choice(KINDS), required=True, help="plans or budget.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def source_remove(name: str, kind: str, yes: bool) -> None:
    """Remove a source and everything it loaded (rows, their history, plans only it made)."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn:
        prepare_database(conn, settings)
        try:
            source = find_source(conn, kind, name)
        except SourceError as exc:
            raise click.ClickException(str(exc)) from None
        if not yes:
            click.confirm(
                f"remove {kind} source {name!r}: {source.rows:,} rows, {source.amount:,.2f} baht?", abort=True
            )
        remove_source(conn, kind, name, audit.cli_actor())
    click.echo(f"removed {kind} source {name!r}: {source.rows:,} rows, {source.amount:,.2f} baht")


@source_group.command(name="remove-legacy")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def source_remove_legacy(yes: bool) -> None:
    """Remove plan items imported before sources existed (then import their files again)."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn:
        prepare_database(conn, settings)
        if not yes:
            click.confirm("remove every plan item imported before sources existed?", abort=True)
        n = remove_legacy(conn, audit.cli_actor())
    click.echo(f"removed {n:,} plan items imported before sources existed")


@click.group(name="match")
def match_group() -> None:
    """Link allocations to the plan items they fund when files carry no reference."""


@match_group.command(name="run")
@click.option("--fiscal-year", type=int, default=None, help="Only this fiscal year (BE).")
def match_run(fiscal_year: int | None) -> None:
    """Link confident matches automatically and list the rest for review."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn:
        prepare_database(conn, settings)
        click.echo(run_matching(conn, fiscal_year=fiscal_year).describe())


@match_group.command(name="review")
@click.option("--limit", type=int, default=50, show_default=True)
def match_review(limit: int) -> None:
    """Show suggestions waiting for a planning officer's decision."""
    with connect(load_settings(), autocommit=True) as conn:
        rows = conn.execute(query("match_review_list"), {"limit": limit}).fetchall()
    for r in rows:
        click.echo(
            f"{r['confidence']:.2f}  {r['allocation_key']}  ←→  {r['item_key']}\n"
            f"      budget: {r['allocation_title']}\n      plan:   {r['item_title']}"
        )
    if not rows:
        click.echo("nothing waiting for review")


@match_group.command(name="decide")
@click.argument("allocation_key")
@click.argument("item_key")
@click.argument("decision", type=click.Choice(["accept", "reject"]))
@click.option("--by", required=True, help="The account that decides: an officer of the suggestion's area.")
def match_decide(allocation_key: str, item_key: str, decision: str, by: str) -> None:
    """Accept or reject one suggestion; decisions survive re-imports."""
    settings = load_settings()
    with connect(settings, autocommit=True) as conn:
        user = load_user(conn, username=by)
        if user is None:
            raise click.ClickException(f"no enabled account named {by!r} (planmap user add)")
        try:
            found = decide(conn, allocation_key, item_key, decision + "ed", user.username, scope=user.scope)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        if not found:
            raise click.ClickException(
                f"no suggestion {allocation_key} ←→ {item_key} in the review list of {by}'s officer areas"
            )
        click.echo(run_matching(conn).describe())


@click.group(name="template")
def template_group() -> None:
    """Blank files to fill in: the plan template `planmap import plans` reads with no mapping."""


@template_group.command(name="plans")
@click.option("--level", type=click.Choice(list(PLAN_LEVELS)), required=True, help="Which plan the file is for.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write it (default: planmap-template-<level>[-<area>].xlsx in this folder).",
)
@click.option(
    "--area",
    default=None,
    help="Offer only the codes within this area: province (37), district (3701), tambon (370101) or cluster"
    " (C05). Default: the whole country.",
)
def template_plans(level: str, output: Path | None, area: str | None) -> None:
    """Write the XLSX template of one plan level: Thai headers, code and sector lists, instructions.

    Without a reachable database the area-code column gets a format check instead of the list."""
    from etl.template import LEVEL_NAMES, default_filename, plans_template
    from geodata.areas import is_area_code
    from geodata.pgcluster import ClusterError

    if area is not None and not is_area_code(area):
        raise click.BadParameter(f"{area!r} is not an area code", param_hint="--area")
    within = [area] if area else None
    try:
        with connect(load_settings(), autocommit=True) as conn:
            made = plans_template(conn, level, within)
    except (psycopg.Error, ClusterError) as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        made = plans_template(None, level, within, offline=reason)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    path = output or Path(default_filename(level, area))
    path.write_bytes(made.data)
    offered = "no code list" if made.codes is None else f"{made.codes:,} area codes in its list"
    click.echo(f"wrote {path}: the {LEVEL_NAMES[level][1].lower()} template ({level}), {offered}")
    if made.note:
        click.echo(f"note: {made.note}")
    click.echo(f"fill it in, then: planmap import plans --level {level} {path}")
