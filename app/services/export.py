"""Streamed exports of matching events as CSV (ACLED's column names) or GeoJSON (RFC 7946)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.errors import InvalidInput
from app.models import Event
from app.schemas.events import EventOut
from app.services import events as event_service
from app.services.catalog import Catalog
from app.services.query import EventFilter, SortOrder, event_conditions, ordered

# ACLED export names where a field exists, then ours.
CSV_COLUMNS = (
    "event_id", "event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2",
    "assoc_actor_2", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities", "injured", "equipment", "date_precision", "status",
    "article_ids", "updated_at",
)  # fmt: skip
_BATCH = 1_000
_INITIATING = ("initiator", "supplier")
_RECEIVING = ("target", "recipient")


def check_fields(fields: list[str] | None, allowed: tuple[str, ...]) -> None:
    """Unknown field names are a client error, not silently dropped columns."""
    unknown = [name for name in fields or [] if name not in allowed]
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}; choose from: {', '.join(allowed)}")


def flat_row(event: EventOut) -> dict[str, Any]:
    """One event as an ACLED-style flat record."""
    initiators = [a.name for a in event.actors if a.role in _INITIATING]
    receivers = [a.name for a in event.actors if a.role in _RECEIVING]
    associated = [a.name for a in event.actors if a.role == "associated"]
    location = event.location
    articles = sorted(
        {s.article_id for s in event.reported_by if s.article_id}
        | ({event.article_id} if event.article_id else set())
    )
    return {
        "event_id": event.id,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": initiators[0] if initiators else None,
        "assoc_actor_1": "; ".join(initiators[1:] + associated) or None,
        "actor2": receivers[0] if receivers else None,
        "assoc_actor_2": "; ".join(receivers[1:]) or None,
        "country": location.country_iso3 if location else None,
        "admin1": location.admin1 if location else None,
        "location": location.name if location else None,
        "latitude": location.lat if location else None,
        "longitude": location.lon if location else None,
        "geo_precision": location.precision if location else None,
        "source": "; ".join(s.name for s in event.reported_by) or None,
        "notes": event.notes or (event.evidence.text if event.evidence else None),
        "fatalities": event.fatalities,
        "injured": event.injured,
        "equipment": "; ".join(
            f"{q.name} x{q.quantity}" if q.quantity is not None else q.name for q in event.equipment
        )
        or None,
        "date_precision": event.date_precision,
        "status": event.status,
        "article_ids": ";".join(str(a) for a in articles) or None,
        "updated_at": event.updated_at.isoformat() if event.updated_at else None,
    }


def export_events(
    *,
    engine: Engine,
    catalog: Catalog,
    filters: EventFilter,
    sort: SortOrder,
    fields: list[str] | None,
    media: str,
) -> Iterator[str]:
    """Validate now (so errors are still 4xx), then stream CSV or GeoJSON."""
    conditions = event_conditions(catalog, filters)
    if media == "csv":
        check_fields(fields, CSV_COLUMNS)
        return _csv(engine, catalog, conditions, sort, fields, filters.q)
    check_fields(fields, tuple(EventOut.model_fields))
    return _geojson(engine, catalog, conditions, sort, fields, filters.q)


def _csv(
    engine: Engine,
    catalog: Catalog,
    conditions: list[ColumnElement[bool]],
    sort: SortOrder,
    fields: list[str] | None,
    q: str | None,
) -> Iterator[str]:
    columns = fields or list(CSV_COLUMNS)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    yield _drain(buffer)
    for batch in _batches(engine, catalog, conditions, sort, q):
        for event in batch:
            writer.writerow(flat_row(event))
        yield _drain(buffer)


def _geojson(
    engine: Engine,
    catalog: Catalog,
    conditions: list[ColumnElement[bool]],
    sort: SortOrder,
    fields: list[str] | None,
    q: str | None,
) -> Iterator[str]:
    """A FeatureCollection; events without coordinates have a null geometry, as RFC 7946 allows."""
    yield '{"type":"FeatureCollection","features":['
    first = True
    for batch in _batches(engine, catalog, conditions, sort, q):
        for event in batch:
            properties = event.model_dump(mode="json", include=set(fields) if fields else None)
            location = event.location
            geometry = None
            if location is not None and location.lat is not None and location.lon is not None:
                geometry = {"type": "Point", "coordinates": [location.lon, location.lat]}
            feature = {
                "type": "Feature",
                "id": event.id,
                "geometry": geometry,
                "properties": properties,
            }
            yield ("" if first else ",") + json.dumps(feature, separators=(",", ":"))
            first = False
    yield "]}"


def _batches(
    engine: Engine,
    catalog: Catalog,
    conditions: list[ColumnElement[bool]],
    sort: SortOrder,
    q: str | None,
) -> Iterator[list[EventOut]]:
    """Read matching events through a streaming cursor, a batch at a time (constant memory)."""
    with Session(engine) as session:
        table = Event.__table__  # type: ignore[attr-defined]
        statement = ordered(select(table).where(*conditions), sort, q).execution_options(
            yield_per=_BATCH
        )
        for partition in session.execute(statement).partitions(_BATCH):
            yield event_service.present_events(session=session, catalog=catalog, events=partition)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
