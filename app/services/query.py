"""Event queries: every filter becomes SQL on indexed columns; names resolve first."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlmodel import Session

from app.errors import InvalidInput
from app.models import Event, EventActor, EventEquipment
from app.reference.gazetteer import normalize_name
from app.schemas.events import EventPage
from app.services import events as event_service
from app.services.catalog import Catalog
from app.services.text_search import TextMatch, TextRank, fts5_query

SortOrder = Literal["event_date", "-event_date", "relevance"]


@dataclass(frozen=True)
class EventFilter:
    """The filters `GET /api/v1/events` accepts, as given by the client."""

    actor: str | None = None
    actor_role: str | None = None
    country: str | None = None
    region: str | None = None
    location: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    equipment: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    bbox: str | None = None
    updated_since: dt.datetime | None = None
    article_id: int | None = None
    near: str | None = None
    radius_km: float | None = None
    q: str | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidInput("date_from is after date_to")


def list_events(
    *,
    session: Session,
    catalog: Catalog,
    filters: EventFilter,
    limit: int,
    cursor: str | None,
    sort: SortOrder,
    count_cap: int | None = None,
) -> EventPage:
    """One page of matching events, with their count (exact, or counted up to `count_cap`)."""
    offset = _decode_cursor(cursor)
    conditions = event_conditions(catalog, filters)
    total, total_is_exact = _count(session, conditions, count_cap)
    # Page ids first (often answered from an index alone), then read just those rows; one id
    # more than the page tells whether another page follows, whatever the count says.
    page = ordered(select(Event.id).where(*conditions), sort, filters.q)
    ids = list(session.scalars(page.offset(offset).limit(limit + 1)))
    more, ids = len(ids) > limit, ids[:limit]
    table = Event.__table__  # type: ignore[attr-defined]
    by_id = {e.id: e for e in session.execute(select(table).where(table.c.id.in_(ids)))}
    rows = [by_id[i] for i in ids]
    return EventPage(
        data=event_service.present_events(session=session, catalog=catalog, events=rows),
        total=total,
        total_is_exact=total_is_exact,
        limit=limit,
        next_cursor=_encode_cursor(offset + len(rows)) if more else None,
    )


def _count(
    session: Session, conditions: list[ColumnElement[bool]], cap: int | None
) -> tuple[int, bool]:
    """Matching events, counting no further than `cap`: a map pan should not count a million."""
    if cap is None:
        return session.scalar(select(func.count()).select_from(Event).where(*conditions)) or 0, True
    first = select(Event.id).where(*conditions).limit(cap + 1).subquery()
    counted = session.scalar(select(func.count()).select_from(first)) or 0
    return min(counted, cap), counted <= cap


def event_conditions(catalog: Catalog, filters: EventFilter) -> list[ColumnElement[bool]]:
    """Translate filters into SQL conditions on `events` (shared by lists, exports and stats)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.actor or filters.actor_role:
        conditions.append(_actor_condition(catalog, filters.actor, filters.actor_role))
    if filters.country:
        conditions.append(Event.country_iso3 == country_code(catalog, filters.country))
    if filters.region:
        conditions.append(_region_condition(catalog, filters.region))
    if filters.location:
        conditions.append(_location_condition(catalog, filters.location))
    if filters.event_type:
        conditions.append(Event.event_type == filters.event_type)
    if filters.sub_event_type:
        conditions.append(Event.sub_event_type == filters.sub_event_type)
    if filters.equipment:
        conditions.append(_equipment_condition(catalog, filters.equipment))
    if filters.date_from:
        conditions.append(Event.event_date >= filters.date_from)  # type: ignore[operator]
    if filters.date_to:
        conditions.append(Event.event_date <= filters.date_to)  # type: ignore[operator]
    if filters.bbox:
        min_lon, min_lat, max_lon, max_lat = parse_bbox(filters.bbox)
        conditions.append(Event.latitude.between(min_lat, max_lat))  # type: ignore[union-attr]
        conditions.append(Event.longitude.between(min_lon, max_lon))  # type: ignore[union-attr]
    if filters.near or filters.radius_km is not None:
        conditions.extend(_near_conditions(filters.near, filters.radius_km))
    if filters.q is not None:
        if not fts5_query(filters.q):
            raise InvalidInput("q needs at least one word")
        conditions.append(TextMatch(filters.q))
    if filters.updated_since:
        conditions.append(Event.updated_at > filters.updated_since)  # type: ignore[operator]
    if filters.article_id is not None:
        conditions.append(Event.article_id == filters.article_id)
    return conditions


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    """`min_lon,min_lat,max_lon,max_lat` in WGS84 degrees."""
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in raw.split(","))
    except ValueError as exc:
        raise InvalidInput("bbox must be min_lon,min_lat,max_lon,max_lat (four numbers)") from exc
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InvalidInput("bbox is out of range or its minimums exceed its maximums")
    return min_lon, min_lat, max_lon, max_lat


def _near_conditions(near: str | None, radius_km: float | None) -> list[ColumnElement[bool]]:
    """Within radius_km of a point: a box the lat/lon index can use, then a flat-earth distance.

    The distance uses arithmetic only (no trigonometry in SQL), so SQLite and PostgreSQL agree;
    scaling longitude by cos(latitude) is accurate to well under 1% at the radii maps ask for.
    """
    if not near or radius_km is None:
        raise InvalidInput("near and radius_km go together")
    try:
        lat, lon = (float(part) for part in near.split(","))
    except ValueError as exc:
        raise InvalidInput("near must be lat,lon (two numbers)") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not 0 < radius_km <= 2_000:
        raise InvalidInput("near must be a valid lat,lon and radius_km between 0 and 2000")
    km_per_degree = 111.32
    scale = max(math.cos(math.radians(lat)), 0.01)
    d_lat = radius_km / km_per_degree
    d_lon = min(radius_km / (km_per_degree * scale), 180.0)
    dy = (Event.latitude - lat) * km_per_degree  # type: ignore[operator]
    dx = (Event.longitude - lon) * (km_per_degree * scale)  # type: ignore[operator]
    return [
        Event.latitude.between(lat - d_lat, lat + d_lat),  # type: ignore[union-attr]
        Event.longitude.between(lon - d_lon, lon + d_lon),  # type: ignore[union-attr]
        dx * dx + dy * dy <= radius_km * radius_km,
    ]


def ordered(statement: Select[Any], sort: SortOrder, q: str | None) -> Select[Any]:
    """Newest first by default; `relevance` ranks text matches first (needs `q`)."""
    if sort == "relevance":
        if not q:
            raise InvalidInput("sort=relevance needs q")
        return statement.order_by(TextRank(q).desc(), Event.id.desc())  # type: ignore[union-attr]
    if sort == "event_date":
        return statement.order_by(Event.event_date.asc(), Event.id.asc())  # type: ignore[union-attr]
    return statement.order_by(Event.event_date.desc(), Event.id.desc())  # type: ignore[union-attr]


def _actor_condition(catalog: Catalog, actor: str | None, role: str | None) -> ColumnElement[bool]:
    """An alias finds the canonical actor's events; a parent includes its children's."""
    link = [EventActor.event_id == Event.id]
    if role:
        link.append(EventActor.role == role)
    if actor:
        found = catalog.resolver.actor(actor)
        if found.id is not None:
            link.append(EventActor.actor_id.in_(catalog.resolver.with_descendants(found.id)))  # type: ignore[union-attr]
        else:
            link.append(and_(EventActor.actor_id.is_(None), EventActor.name == actor))  # type: ignore[union-attr]
    return exists().where(*link)


def country_code(catalog: Catalog, country: str) -> str:
    """An ISO3 code, a country name or a state actor's alias, as an ISO3 code."""
    if len(country) == 3 and country.isalpha() and catalog.gazetteer.country(country.upper()):
        return country.upper()
    for record in catalog.gazetteer.lookup(country):
        if record.feature_type == "country":
            return record.country_iso3
    found = catalog.resolver.actor(country)
    record = catalog.resolver.actors.get(found.id or "")
    if record is not None and record.kind == "state" and record.country_iso3:
        return record.country_iso3
    raise InvalidInput(f"unknown country {country!r}: give an ISO3 code or a country name")


def _region_condition(catalog: Catalog, region: str) -> ColumnElement[bool]:
    """An admin1 name or alias matches that division's canonical name (in its country)."""
    divisions = [r for r in catalog.gazetteer.lookup(region) if r.feature_type == "admin1"]
    if not divisions:
        return func.lower(Event.admin1) == region.lower()
    return or_(
        *(and_(Event.admin1 == r.name, Event.country_iso3 == r.country_iso3) for r in divisions)
    )


def _location_condition(catalog: Catalog, location: str) -> ColumnElement[bool]:
    place_ids = [r.id for r in catalog.gazetteer.lookup(location)]
    by_name = func.lower(Event.location_name) == location.lower()
    return or_(Event.place_id.in_(place_ids), by_name) if place_ids else by_name  # type: ignore[union-attr]


def _equipment_condition(catalog: Catalog, equipment: str) -> ColumnElement[bool]:
    """A category ('multiple rocket launcher') or a system and its variants."""
    wanted = normalize_name(equipment)
    in_category = [e.id for e in catalog.equipment if normalize_name(e.category) == wanted]
    link = [EventEquipment.event_id == Event.id]
    if in_category:
        link.append(EventEquipment.equipment_id.in_(in_category))  # type: ignore[union-attr]
    else:
        found = catalog.resolver.equipment_model(equipment)
        if found.id is not None:
            family = catalog.resolver.with_descendants(found.id)
            link.append(EventEquipment.equipment_id.in_(family))  # type: ignore[union-attr]
        else:
            link.append(func.lower(EventEquipment.name) == equipment.lower())
    return exists().where(*link)


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        offset = json.loads(base64.urlsafe_b64decode(padded))["o"]
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput("cursor is not one this API issued") from exc
    if not isinstance(offset, int) or offset < 0:
        raise InvalidInput("cursor is not one this API issued")
    return offset
