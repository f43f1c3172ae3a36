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
