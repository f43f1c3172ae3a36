"""Time `import acled` of a generated 100,000-row file into a fresh SQLite database, and into
PostgreSQL when DATABASE_URL names one (use a schema of its own: `?options=-csearch_path%3Dbench`).

    .venv/bin/python bench/import_bench.py
    DATABASE_URL='postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench' \
        .venv/bin/python bench/import_bench.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command

from app.cli import alembic_config
from app.db import get_engine
from app.schemas.imports import ImportReport
from app.services import imports as import_service
from app.services.catalog import Catalog, get_catalog
from app.services.seed import seed_reference
from app.settings import PROJECT_ROOT, get_settings
from bench.generate_events import generate

BENCH_DIR = PROJECT_ROOT / "data" / "bench"


def fresh_database(url: str, catalog: Catalog) -> None:
    """Empty database (or schema), migrated and seeded; none of it is timed."""
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        options = make_url(url).query.get("options", "")
        schema = str(options).split("search_path=")[-1] if "search_path=" in options else "public"
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    else:
        engine.dispose()
        path = Path(engine.url.database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    command.upgrade(alembic_config(url), "head")
    with Session(engine) as session:
        seed_reference(session=session, catalog=catalog)


def timed_import(url: str, catalog: Catalog, csv_path: Path) -> tuple[ImportReport, float]:
    """One import of the file, timed from opening it to the commit."""
    started = time.perf_counter()
    with Session(get_engine(url)) as session, csv_path.open(encoding="utf-8", newline="") as lines:
        report = import_service.import_csv(
            session=session, catalog=catalog, dataset="acled", lines=lines
        )
    return report, time.perf_counter() - started


def ensure_file(rows: int) -> Path:
    """The generated file of that many rows, written once and reused."""
    path = BENCH_DIR / f"acled_{rows}.csv"
    if not path.exists():
        generate(path, rows)
    return path


def run(url: str, catalog: Catalog, csv_path: Path, rows: int) -> None:
    backend = make_url(url).get_backend_name()
    fresh_database(url, catalog)
    report, seconds = timed_import(url, catalog, csv_path)
    print(
        f"{backend}: first import  {report.rows:,} rows ({report.inserted:,} inserted, "
        f"{report.skipped} skipped) in {seconds:.2f} s = {rows / seconds:,.0f} rows/s"
    )
    report, seconds = timed_import(url, catalog, csv_path)
    print(
        f"{backend}: re-import     {report.rows:,} rows ({report.updated:,} updated) "
        f"in {seconds:.2f} s = {rows / seconds:,.0f} rows/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Import speed on SQLite (and PostgreSQL).")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    settings = get_settings()
    catalog = get_catalog(settings)
    csv_path = ensure_file(args.rows)
    sqlite_url = f"sqlite:///{BENCH_DIR / 'import_bench.db'}"
    run(sqlite_url, catalog, csv_path, args.rows)
    if make_url(settings.database_url).get_backend_name() == "postgresql":
        run(settings.database_url, catalog, csv_path, args.rows)


if __name__ == "__main__":
    main()
