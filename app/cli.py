"""`conflict-events`: migrate, seed the reference data, and serve."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path

import typer
import uvicorn
from alembic import command
from alembic.config import Config
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlmodel import Session

from app.db import get_engine
from app.errors import InvalidInput
from app.schemas.imports import Dataset, ImportReport
from app.services import imports as import_service
from app.services import rollup
from app.services.catalog import get_catalog
from app.services.seed import seed_reference
from app.settings import PROJECT_ROOT, get_settings

cli = typer.Typer(help="Conflict Events API: set-up and service commands.", no_args_is_help=True)
import_cli = typer.Typer(help="Import an existing dataset's CSV export.", no_args_is_help=True)
cli.add_typer(import_cli, name="import")


def alembic_config(database_url: str) -> Config:
    """The project's Alembic config pointed at one database."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


@cli.command()
def migrate(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Apply the Alembic migrations up to REVISION."""
    command.upgrade(alembic_config(get_settings().database_url), revision)


@cli.command()
def seed() -> None:
    """Load actors, equipment and places from seeds/ into the database (safe to re-run)."""
    settings = get_settings()
    started = time.perf_counter()
    catalog = get_catalog(settings)
    with Session(get_engine(settings.database_url)) as session:
        report = seed_reference(session=session, catalog=catalog)
    for line in report.lines():
        typer.echo(line)
    typer.echo(f"seeded in {time.perf_counter() - started:.1f} s")


@cli.command("rebuild-rollups")
def rebuild_rollups() -> None:
    """Recount the chart rollups from the events (after deleting events with plain SQL)."""
    started = time.perf_counter()
    with Session(get_engine(get_settings().database_url)) as session:
        rollup.rebuild(session.connection())
        session.commit()
    typer.echo(f"rollups rebuilt in {time.perf_counter() - started:.1f} s")


@cli.command()
def serve(
    host: str | None = typer.Option(None, help="Interface (default from settings)"),
    port: int | None = typer.Option(None, help="Port (default from settings: PORT)"),
) -> None:
    """Serve the API with uvicorn."""
    settings = get_settings()
    uvicorn.run("app.main:app", host=host or settings.host, port=port or settings.port)


@cli.command("build-cache")
def build_cache(
    cache_dir: Path | None = typer.Option(None, help="Where to write the compiled files"),
) -> None:
    """Compile the gazetteer and matchers ahead of time (make run does it through `seed`)."""
    settings = get_settings()
    if cache_dir is not None:
        settings = settings.model_copy(update={"cache_dir": cache_dir})
    get_catalog(settings)
    typer.echo(f"cache ready in {settings.cache_dir}")


class OnErrorChoice(StrEnum):
    """What a bad row does to the import."""

    skip = "skip"
    reject = "reject"


_IMPORT_FILE = typer.Argument(
    ..., exists=True, dir_okay=False, readable=True, help="The CSV export, header line first"
)
_ON_ERROR = typer.Option(
    OnErrorChoice.skip,
    "--on-error",
    help="skip: report bad rows, store the rest; reject: store none",
)


@import_cli.command("acled")
def import_acled(file: Path = _IMPORT_FILE, on_error: OnErrorChoice = _ON_ERROR) -> None:
    """Import an ACLED export (re-importing updates the events stored from it)."""
    _run_import("acled", file, on_error)


@import_cli.command("ucdp")
def import_ucdp(file: Path = _IMPORT_FILE, on_error: OnErrorChoice = _ON_ERROR) -> None:
    """Import a UCDP GED export (re-importing updates the events stored from it)."""
    _run_import("ucdp", file, on_error)


def _run_import(dataset: Dataset, file: Path, on_error: OnErrorChoice) -> None:
    """Import with a progress bar on the terminal, then print the report."""
    settings = get_settings()
    console = Console(stderr=True)
    catalog = get_catalog(settings)
    started = time.perf_counter()
    columns = (
        TextColumn(f"{dataset} {file.name}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    try:
        with (
            Progress(*columns, console=console, disable=not console.is_terminal) as progress,
            file.open(encoding="utf-8-sig", newline="") as lines,
            Session(get_engine(settings.database_url)) as session,
        ):
            task = progress.add_task("import", total=_data_lines(file))
            report = import_service.import_csv(
                session=session,
                catalog=catalog,
                dataset=dataset,
                lines=lines,
                on_error=on_error.value,
                progress=lambda rows: progress.advance(task, rows),
            )
    except InvalidInput as exc:
        typer.echo(f"import failed: {exc.detail}", err=True)
        for error in exc.errors[:20]:
            typer.echo(f"  line {error.get('line')}: {error.get('message')}", err=True)
        raise typer.Exit(code=1) from exc
    _print_report(report, time.perf_counter() - started)


def _data_lines(file: Path) -> int:
    """Lines after the header: the progress bar's total (quoted line breaks overcount a little)."""
    count = 0
    with file.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return max(count - 1, 0)


def _print_report(report: ImportReport, seconds: float) -> None:
    rate = report.rows / max(seconds, 1e-9)
    typer.echo(
        f"{report.rows} rows: {report.inserted} inserted, {report.updated} updated, "
        f"{report.skipped} skipped in {seconds:.1f} s ({rate:,.0f} rows/s)"
    )
    for error in report.errors[:20]:
        typer.echo(f"  line {error.line}: {error.message}", err=True)
    if len(report.errors) > 20:
        typer.echo(f"  ... and {report.skipped - 20} more", err=True)
