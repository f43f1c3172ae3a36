"""Shared column helpers and the metadata naming convention that keeps migrations diffable."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """Timestamps are always timezone-aware UTC."""
    return datetime.now(UTC)


def timestamp_field(*, index: bool = False, **kwargs: Any) -> Any:
    """A timezone-aware UTC timestamp column that defaults to now."""
    return Field(
        default_factory=utc_now,
        sa_type=DateTime(timezone=True),  # type: ignore[call-overload]
        index=index,
        **kwargs,
    )


# Full-text search objects live outside the models (FTS5 tables, a generated tsvector column);
# migration 0003 owns them, so autogenerate must not propose dropping them.
_SEARCH_TABLES = ("events_fts",)
_SEARCH_COLUMNS = ("search_vector",)
_SEARCH_INDEXES = ("ix_events_search_vector",)


def include_in_autogenerate(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's include_object hook: leave the full-text search objects alone."""
    if not reflected or name is None:
        return True
    if type_ == "table":
        return not name.startswith(_SEARCH_TABLES)
    if type_ == "column":
        return name not in _SEARCH_COLUMNS
    if type_ == "index":
        return name not in _SEARCH_INDEXES
    return True
