"""Dependencies that keep route signatures short."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from app.db import get_engine, session_scope
from app.services.catalog import Catalog, get_catalog
from app.settings import Settings, get_settings


def _session(settings: Annotated[Settings, Depends(get_settings)]) -> Iterator[Session]:
    yield from session_scope(get_engine(settings.database_url))


def _catalog(settings: Annotated[Settings, Depends(get_settings)]) -> Catalog:
    return get_catalog(settings)


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(_session)]
CatalogDep = Annotated[Catalog, Depends(_catalog)]
