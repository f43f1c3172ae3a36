"""`conflict-events`: migrate, seed the reference data, and serve."""

from __future__ import annotations

import time
from pathlib import Path

import typer
import uvicorn
from alembic import command
from alembic.config import Config
from sqlmodel import Session

from app.db import get_engine
from app.services.catalog import get_catalog
from app.services.seed import seed_reference
from app.settings import PROJECT_ROOT, get_settings

cli = typer.Typer(help="Conflict Events API: set-up and service commands.", no_args_is_help=True)


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
