"""Structured events: resolve names, store, read back in the contract's shape, update, delete."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, delete, insert, select
from sqlmodel import Session, SQLModel

from app.errors import InvalidInput, NotFound
from app.models import DeletedEvent, Event, EventActor, EventEquipment, EventSource
from app.models.base import utc_now
from app.reference.gazetteer import PlaceRecord
from app.schemas.events import (
    ActorIn,
    ActorOut,
    EquipmentIn,
    EquipmentOut,
    EventIn,
    EventOut,
    EventPatch,
    EvidenceOut,
    LocationIn,
    LocationOut,
    SourceIn,
    SourceOut,
)
from app.services.catalog import Catalog
from app.services.taxonomy import check_sub_event_type

_PRECISION_BY_FEATURE = {"country": "country", "admin1": "admin1", "admin2": "admin2"}


@dataclass(frozen=True)
class _Links:
    """An event's actor, equipment and source rows (table rows or model instances alike)."""

    actors: list[Any]
    equipment: list[Any]
    sources: list[Any]


def create_events(
    *, session: Session, catalog: Catalog, events: Sequence[EventIn]
) -> list[EventOut]:
    """Store a batch of structured events in one transaction: all or nothing."""
    for position, event_in in enumerate(events):
        check_sub_event_type(
            event_in.event_type, event_in.sub_event_type, where=f"events[{position}]"
        )
    stored = [add_event(session=session, catalog=catalog, event_in=e) for e in events]
    session.commit()
    return present_events(session=session, catalog=catalog, events=stored)


def add_event(
    *,
    session: Session,
    catalog: Catalog,
    event_in: EventIn,
    article_id: int | None = None,
    fuzzy: bool = True,
) -> Event:
    """Resolve and add one event with its links; flushes, never commits.

    `fuzzy=False` is for the extractor's own output: it already matched every name exactly
    against the same lexicon, so a name it left without an id stays as written.
    """
    event = Event(
        article_id=article_id,
        event_type=event_in.event_type,
        sub_event_type=event_in.sub_event_type,
        event_date=event_in.event_date,
        date_precision=event_in.date_precision or ("day" if event_in.event_date else None),
        fatalities=event_in.fatalities,
        injured=event_in.injured,
        notes=event_in.notes,
        status=event_in.status or "reported",
    )
    if event_in.evidence is not None:
        event.evidence_text = event_in.evidence.text
        event.evidence_start, event.evidence_end = event_in.evidence.span or (None, None)
    actor_countries = _actor_countries(catalog, event_in.actors, fuzzy)
    _apply_location(event, catalog, event_in.location, actor_countries, fuzzy)
    session.add(event)
    session.flush()
    _add_links(
        session,
        catalog,
        event,
        event_in.actors,
        event_in.equipment,
        event_in.reported_by,
        article_id,
        fuzzy,
    )
    return event


def get_event(*, session: Session, catalog: Catalog, event_id: int) -> EventOut:
    """One stored event in the contract's shape."""
    return present_events(session=session, catalog=catalog, events=[_load(session, event_id)])[0]


def update_event(
    *, session: Session, catalog: Catalog, event_id: int, patch: EventPatch
) -> EventOut:
    """Change only the fields given; lists given replace the stored ones."""
    event = _load(session, event_id)
    given = patch.model_fields_set
    event_type = (
        patch.event_type if "event_type" in given and patch.event_type else event.event_type
    )
    sub_type = patch.sub_event_type if "sub_event_type" in given else event.sub_event_type
    check_sub_event_type(event_type, sub_type, where="body")
    for field in ("event_date", "date_precision", "fatalities", "injured", "notes"):
        if field in given:
            setattr(event, field, getattr(patch, field))
    event.event_type = event_type
    event.sub_event_type = sub_type
    event.status = patch.status or event.status
    if "location" in given:
        countries = _actor_countries(catalog, patch.actors or [], fuzzy=True)
        _apply_location(event, catalog, patch.location, countries, fuzzy=True)
    replace = {
        name: getattr(patch, name)
        for name in ("actors", "equipment", "reported_by")
        if name in given
    }
    for name, model in (
        ("actors", EventActor),
        ("equipment", EventEquipment),
        ("reported_by", EventSource),
    ):
        if name in replace:
            session.execute(delete(model).where(model.event_id == event.id))  # type: ignore[arg-type]
    _add_links(
        session,
        catalog,
        event,
        replace.get("actors") or [],
        replace.get("equipment") or [],
        replace.get("reported_by") or [],
        event.article_id,
        fuzzy=True,
    )
    event.updated_at = utc_now()
    session.add(event)
    session.commit()
    return get_event(session=session, catalog=catalog, event_id=event_id)


def delete_event(*, session: Session, event_id: int) -> None:
    """Delete an event and leave a tombstone for mirrors."""
    event = _load(session, event_id)
    session.delete(event)
    session.merge(DeletedEvent(event_id=event_id, deleted_at=utc_now()))
    session.commit()


def present_events(
    *, session: Session, catalog: Catalog, events: Sequence[Event | Row[Any]]
) -> list[EventOut]:
    """Read the links of many events (instances or `events` table rows) at once and shape them
    as the contract says."""
    ids = [e.id for e in events]
    links = _load_links(session, ids)
    return [_present(catalog, e, links.get(e.id)) for e in events]  # type: ignore[arg-type]


def _load(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"event {event_id} does not exist")
    return event


def _actor_countries(catalog: Catalog, actors: Sequence[ActorIn], fuzzy: bool) -> list[str]:
    countries = []
    for actor in actors:
        resolution = catalog.resolver.actor(actor.id or actor.name or "", fuzzy=fuzzy)
        record = catalog.resolver.actors.get(resolution.id or "")
        if record and record.country_iso3:
            countries.append(record.country_iso3)
    return countries


def _apply_location(
    event: Event,
    catalog: Catalog,
    location: LocationIn | None,
    actor_countries: list[str],
    fuzzy: bool,
) -> None:
    """Fill the event's place columns from a name, an id or coordinates."""
    event.place_id = event.location_name = event.admin1 = event.admin2 = None
    event.country_iso3 = event.latitude = event.longitude = event.geo_precision = None
    event.location_text = event.location_start = event.location_end = None
    event.location_resolved = True
    if location is None:
        return
    event.location_text = location.text
    event.location_start, event.location_end = location.span or (None, None)
    record: PlaceRecord | None = None
    if location.id or location.name:
        hint = location.country_iso3 or (actor_countries[-1] if actor_countries else None)
        resolution = catalog.resolver.place(
            location.id or location.name or "", country_iso3=hint, fuzzy=fuzzy
        )
        record = catalog.resolver.place_record(resolution)
        if record is None and location.id and not location.name:
            raise InvalidInput(f"unknown place id {location.id!r}")
    if record is not None:
        event.place_id = record.id
        event.location_name = record.name
        event.country_iso3 = record.country_iso3
        event.admin1 = record.admin1 if record.feature_type != "country" else None
        event.latitude, event.longitude = record.lat, record.lon
        event.geo_precision = _PRECISION_BY_FEATURE.get(record.feature_type, "point")
    else:
        event.location_resolved = location.name is None
        event.location_name = location.name
        event.country_iso3 = location.country_iso3
        event.admin1 = location.admin1
    if location.lat is not None and location.lon is not None:
        event.latitude, event.longitude = location.lat, location.lon
        if record is None:
            nearest = catalog.resolver.nearest_place(location.lat, location.lon)
            if nearest is not None:
                event.country_iso3 = event.country_iso3 or nearest.country_iso3
                event.admin1 = event.admin1 or nearest.admin1
    if location.precision:
        event.geo_precision = location.precision
    elif event.geo_precision is None and event.latitude is not None:
        event.geo_precision = "point"


def _add_links(
    session: Session,
    catalog: Catalog,
    event: Event,
    actors: Sequence[ActorIn],
    equipment: Sequence[EquipmentIn],
    sources: Sequence[SourceIn],
    article_id: int | None,
    fuzzy: bool,
) -> None:
    """Resolve and store an event's links. Actor and equipment rows go in as one bulk insert
    each: building a model instance per link was a quarter of an article's ingest."""
    resolver = catalog.resolver
    actor_rows = []
    for actor in actors:
        found = resolver.actor(actor.id or actor.name or "", fuzzy=fuzzy)
        if found.id is None and actor.id and not actor.name:
            raise InvalidInput(f"unknown actor id {actor.id!r}")
        actor_rows.append(
            {
                "event_id": event.id,
                "actor_id": found.id,
                "name": found.name,
                "kind": None if found.id else actor.kind,
                "country_iso3": None if found.id else actor.country_iso3,
                "role": actor.role,
                "text": actor.text,
                "span_start": actor.span[0] if actor.span else None,
                "span_end": actor.span[1] if actor.span else None,
                "rule": f"resolve:{found.method}",
            }
        )
    equipment_rows = []
    for item in equipment:
        found = resolver.equipment_model(item.id or item.name or "", fuzzy=fuzzy)
        if found.id is None and item.id and not item.name:
            raise InvalidInput(f"unknown equipment id {item.id!r}")
        equipment_rows.append(
            {
                "event_id": event.id,
                "equipment_id": found.id,
                "name": found.name,
                "quantity": item.quantity,
                "text": item.text,
                "span_start": item.span[0] if item.span else None,
                "span_end": item.span[1] if item.span else None,
                "rule": f"resolve:{found.method}",
            }
        )
    for model, rows in ((EventActor, actor_rows), (EventEquipment, equipment_rows)):
        if rows:
            session.execute(insert(model), rows)
    for source in sources:
        _add_source(session, catalog, event, source, article_id, None, fuzzy)
    session.flush()


def _add_source(
    session: Session,
    catalog: Catalog,
    event: Event,
    source: SourceIn,
    article_id: int | None,
    cited_by: int | None,
    fuzzy: bool,
) -> None:
    found = catalog.resolver.actor(source.id or source.name or "", fuzzy=fuzzy)
    row = EventSource(
        event_id=event.id,  # type: ignore[arg-type]
        article_id=article_id,
        actor_id=found.id,
        name=found.name,
        cited_by_id=cited_by,
        text=source.text,
        span_start=source.span[0] if source.span else None,
        span_end=source.span[1] if source.span else None,
    )
    session.add(row)
    session.flush()
    for cited in source.citing:
        _add_source(session, catalog, event, cited, article_id, row.id, fuzzy)


def _load_links(session: Session, event_ids: list[int | None]) -> dict[int, _Links]:
    ids = [i for i in event_ids if i is not None]
    if not ids:
        return {}
    actors, equipment, sources = (
        _rows_by_event(session, model, ids) for model in (EventActor, EventEquipment, EventSource)
    )
    return {i: _Links(actors[i], equipment[i], sources[i]) for i in ids}


def _rows_by_event(
    session: Session, model: type[SQLModel], ids: list[int]
) -> defaultdict[int, list[Row[Any]]]:
    """A link table's rows per event, in insertion order.

    Plain table rows carry the same attribute names as the models and skip the ORM's
    per-instance bookkeeping, a fifth of a 100-event page's time.
    """
    table = model.__table__  # type: ignore[attr-defined]
    grouped: defaultdict[int, list[Row[Any]]] = defaultdict(list)
    query = select(table).where(table.c.event_id.in_(ids)).order_by(table.c.id)
    for row in session.execute(query):
        grouped[row.event_id].append(row)
    return grouped


def _span(start: int | None, end: int | None) -> tuple[int, int] | None:
    return (start, end) if start is not None and end is not None else None


def _present(catalog: Catalog, event: Event | Row[Any], links: _Links | None) -> EventOut:
    links = links or _Links([], [], [])
    resolver = catalog.resolver
    actors = []
    for row in links.actors:
        record = resolver.actors.get(row.actor_id or "")
        actors.append(
            ActorOut(
                name=row.name,
                id=row.actor_id,
                kind=record.kind if record else row.kind,  # type: ignore[arg-type]
                country_iso3=record.country_iso3 if record else row.country_iso3,
                role=row.role,  # type: ignore[arg-type]
                text=row.text,
                span=_span(row.span_start, row.span_end),
                resolved=row.actor_id is not None,
            )
        )
    equipment = []
    for item in links.equipment:
        model = resolver.equipment.get(item.equipment_id or "")
        equipment.append(
            EquipmentOut(
                name=item.name,
                id=item.equipment_id,
                category=model.category if model else None,
                caliber_mm=model.caliber_mm if model else None,
                quantity=item.quantity,
                text=item.text,
                span=_span(item.span_start, item.span_end),
                resolved=item.equipment_id is not None,
            )
        )
    location = None
    if event.location_name or event.latitude is not None:
        location = LocationOut(
            name=event.location_name or "",
            id=event.place_id,
            admin1=event.admin1,
            country_iso3=event.country_iso3,
            lat=event.latitude,
            lon=event.longitude,
            precision=event.geo_precision,  # type: ignore[arg-type]
            text=event.location_text,
            span=_span(event.location_start, event.location_end),
            resolved=event.location_resolved,
        )
    evidence = None
    span = _span(event.evidence_start, event.evidence_end)
    if event.evidence_text and span:
        evidence = EvidenceOut(text=event.evidence_text, span=span)
    return EventOut(
        id=event.id,
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        event_date=event.event_date,
        date_precision=event.date_precision,
        actors=actors,
        location=location,
        fatalities=event.fatalities,
        injured=event.injured,
        equipment=equipment,
        reported_by=_source_tree(links.sources),
        evidence=evidence,
        notes=event.notes,
        status=event.status,
        article_id=event.article_id,
        created_at=as_utc(event.created_at),
        updated_at=as_utc(event.updated_at),
    )


def _source_tree(rows: list[Any]) -> list[SourceOut]:
    children: dict[int | None, list[Any]] = defaultdict(list)
    for row in rows:
        children[row.cited_by_id].append(row)

    def build(row: Any) -> SourceOut:
        return SourceOut(
            name=row.name,
            id=row.actor_id,
            text=row.text,
            span=_span(row.span_start, row.span_end),
            citing=[build(child) for child in children[row.id]],
            article_id=row.article_id,
        )

    return [build(row) for row in children[None]]


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """Every stored time is UTC; SQLite drops the zone and PostgreSQL answers in its own."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def deleted_since(*, session: Session, since: dt.datetime | None, limit: int) -> list[DeletedEvent]:
    """Tombstones newer than `since`, oldest first, for mirrors that sync deletions."""
    statement = select(DeletedEvent).order_by(DeletedEvent.deleted_at, DeletedEvent.event_id)  # type: ignore[arg-type]
    if since is not None:
        statement = statement.where(DeletedEvent.deleted_at > since)  # type: ignore[arg-type]
    return list(session.scalars(statement.limit(limit)))
