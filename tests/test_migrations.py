"""The models and the migration history agree, and the history runs both ways, on each database."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.cli import alembic_config
from app.db import get_engine
from app.models.base import include_in_autogenerate
from tests.conftest import reset_database


def _scratch_url(database_url: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A database of its own, so going down and up again leaves the shared one alone."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return url.update_query_dict({"options": "-csearch_path=migration_check"}).render_as_string(
            hide_password=False
        )
    return f"sqlite:///{tmp_path / 'migrations.db'}"


def _differences(url: str) -> list[object]:
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_in_autogenerate}
        )
        return compare_metadata(context, SQLModel.metadata)


def test_models_match_migrations_and_history_runs_down_and_up(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = _scratch_url(database_url, tmp_path)
    reset_database(url)
    config = alembic_config(url)
    command.upgrade(config, "head")
    assert _differences(url) == []
    command.downgrade(config, "base")
    tables = set(inspect(get_engine(url)).get_table_names()) - {"alembic_version"}
    assert tables == set()
    command.upgrade(config, "head")
    assert _differences(url) == []
    assert "events" in inspect(get_engine(url)).get_table_names()
