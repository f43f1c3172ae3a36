"""Real databases for every test: a SQLite file by default, PostgreSQL when DATABASE_URL says so.

The schema comes from the Alembic migrations and the reference data from the seed command,
once per session; each test then starts from empty event tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import delete, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from app.cli import alembic_config
from app.db import get_engine
from app.main import create_app
from app.models import ActorRollup, Article, DeletedEvent, Event, EventRollup
from app.services.catalog import Catalog, get_catalog
from app.services.seed import seed_reference
from app.settings import PROJECT_ROOT, Settings

TEST_CACHE = PROJECT_ROOT / "data" / "test-cache"


def _configured_url() -> str | None:
    url = Settings().database_url
    return url if make_url(url).get_backend_name() == "postgresql" else None


def reset_database(url: str) -> None:
    """Start from nothing: drop every table the previous run left."""
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        schema = engine.url.query.get("options", "")
        name = schema.split("search_path=")[-1] if "search_path=" in schema else "public"
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
    else:
        engine.dispose()
        path = Path(engine.url.database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """PostgreSQL when DATABASE_URL names it, else a SQLite file of this session."""
    return _configured_url() or f"sqlite:///{tmp_path_factory.mktemp('db') / 'events.db'}"


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, cache_dir=TEST_CACHE)


@pytest.fixture(scope="session")
def catalog(settings: Settings) -> Catalog:
    return get_catalog(settings)


@pytest.fixture(scope="session")
def engine(settings: Settings, catalog: Catalog) -> Engine:
    """A migrated, seeded database shared by the session."""
    reset_database(settings.database_url)
    command.upgrade(alembic_config(settings.database_url), "head")
    engine = get_engine(settings.database_url)
    with Session(engine) as session:
        seed_reference(session=session, catalog=catalog)
    return engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """HTTP through the ASGI app; event tables are emptied after each test."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client
    empty_event_tables(engine)


def empty_event_tables(engine: Engine) -> None:
    """Delete every event, article, tombstone and rollup row (links go by cascade)."""
    with Session(engine) as session:
        for model in (Event, Article, DeletedEvent, EventRollup, ActorRollup):
            session.execute(delete(model))
        session.commit()
