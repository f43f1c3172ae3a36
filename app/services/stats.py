"""Aggregations for charts and maps: counts, fatalities and equipment quantities, in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any

from sqlalchemy import ColumnElement, Label, Select, cast, func, literal_column, select
from sqlalchemy.types import Date, String
from sqlmodel import Session

from app.errors import InvalidInput
from app.models import ActorRollup, Event, EventActor, EventEquipment, EventRollup
from app.services.catalog import Catalog
from app.services.query import EventFilter, country_code, event_conditions

# What the rollups can answer: group keys, and filters (dates only on whole months).
_ROLLUP_KEYS = {"country", "event_type", "sub_event_type", "month", "year"}
_ROLLUP_FILTERS = {"actor", "country", "event_type", "sub_event_type", "date_from", "date_to"}
GROUP_KEYS = (
    "country", "region", "location", "actor", "event_type", "sub_event_type", "equipment",
    "day", "week", "month", "year",
)  # fmt: skip


def event_stats(
    *, session: Session, catalog: Catalog, filters: EventFilter, group_by: list[str], limit: int
) -> dict[str, Any]:
    """Group matching events by one or two keys; largest groups first."""
    if not 1 <= len(group_by) <= 2 or len(set(group_by)) != len(group_by):
        raise InvalidInput("group_by takes one or two different keys")
    unknown = [key for key in group_by if key not in GROUP_KEYS]
    if unknown:
        raise InvalidInput(
            f"unknown group_by key {unknown[0]!r}; use one of: {', '.join(GROUP_KEYS)}"
        )
    dialect = session.get_bind().dialect.name
    statement = _from_rollup(catalog, filters, group_by, dialect)
    if statement is None:
        statement = _from_events(catalog, filters, group_by, dialect)
    rows = session.execute(statement.limit(limit)).mappings().all()
    return {
        "group_by": group_by,
        "data": [
            {
                **{key: row[key] for key in group_by},
                "events": int(row["events"]),
                "fatalities": int(row["fatalities"]),
                "equipment_quantity": int(row["equipment_quantity"]),
            }
            for row in rows
        ],
    }


def _from_events(
    catalog: Catalog, filters: EventFilter, group_by: list[str], dialect: str
) -> Select[Any]:
    """Any grouping under any filters, straight from the events and their links."""
    keys = [_key(key, dialect) for key in group_by]
    per_event_quantity = (
        select(EventEquipment.event_id, func.sum(EventEquipment.quantity).label("quantity"))
        .group_by(EventEquipment.event_id)
        .subquery()
    )
    quantity = (
        func.sum(EventEquipment.quantity)
        if "equipment" in group_by
        else func.sum(per_event_quantity.c.quantity)
    )
    joined = "actor" in group_by or "equipment" in group_by
    statement = select(
        *keys,
        # One row per event unless a link table is joined in; plain count(*) is then exact.
        (func.count(func.distinct(Event.id)) if joined else func.count()).label("events"),
        func.coalesce(func.sum(Event.fatalities), 0).label("fatalities"),
        func.coalesce(quantity, 0).label("equipment_quantity"),
    ).select_from(Event)
    if "actor" in group_by:
        statement = statement.join(EventActor, EventActor.event_id == Event.id)
    if "equipment" in group_by:
        statement = statement.join(EventEquipment, EventEquipment.event_id == Event.id)
    else:
        statement = statement.outerjoin(
            per_event_quantity, per_event_quantity.c.event_id == Event.id
        )
    return (
        statement.where(*event_conditions(catalog, filters))
        .group_by(*keys)
        .order_by(*(_ordering(key, label) for key, label in zip(group_by, keys, strict=True)))
    )


def _from_rollup(
    catalog: Catalog, filters: EventFilter, group_by: list[str], dialect: str
) -> Select[Any] | None:
    """The same answer from a monthly rollup, when keys and filters fit its groups."""
    if not set(group_by) <= _ROLLUP_KEYS or _has_other_filters(filters):
        return None
    if filters.date_from and filters.date_from.day != 1:
        return None
    if filters.date_to and (filters.date_to + dt.timedelta(days=1)).day != 1:
        return None
    rollup: type[EventRollup] | type[ActorRollup] = EventRollup
    conditions: list[ColumnElement[bool]] = []
    if filters.actor:
        actor_id = catalog.resolver.actor(filters.actor).id
        if actor_id is None:
            return None  # a name matched as written: only the events' links know it
        rollup = ActorRollup
        conditions.append(ActorRollup.actor_id == actor_id)
    if filters.country:
        conditions.append(rollup.country_iso3 == country_code(catalog, filters.country))
    if filters.event_type:
        conditions.append(rollup.event_type == filters.event_type)
    if filters.sub_event_type:
        conditions.append(rollup.sub_event_type == filters.sub_event_type)
    if filters.date_from:
        conditions.append(rollup.month >= filters.date_from)  # type: ignore[operator]
    if filters.date_to:
        conditions.append(rollup.month <= filters.date_to)  # type: ignore[operator]
    columns: dict[str, ColumnElement[Any]] = {
        "country": rollup.country_iso3,  # type: ignore[dict-item]
        "event_type": rollup.event_type,  # type: ignore[dict-item]
        "sub_event_type": rollup.sub_event_type,  # type: ignore[dict-item]
        "month": rollup.month,  # type: ignore[dict-item]
        "year": _year_of(rollup.month, dialect),
    }
    grouped = [columns[key] for key in group_by]
    # Periods are grouped as dates and only the groups are formatted: formatting every
    # rollup row first doubled the time of an all-events chart.
    keys = [
        (_date_label(column, dialect) if key in ("month", "year") else column).label(key)
        for key, column in zip(group_by, grouped, strict=True)
    ]
    return (
        select(
            *keys,
            func.sum(rollup.events).label("events"),
            func.sum(rollup.fatalities).label("fatalities"),
            func.sum(rollup.equipment_quantity).label("equipment_quantity"),
        )
        .where(*conditions)
        .group_by(*grouped)
        .order_by(*(_ordering(key, label) for key, label in zip(group_by, keys, strict=True)))
    )


def _has_other_filters(filters: EventFilter) -> bool:
    return any(
        getattr(filters, f.name) is not None
        for f in fields(filters)
        if f.name
        not in ("actor", "country", "event_type", "sub_event_type", "date_from", "date_to")
    )


def _date_label(column: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """Periods are labelled by their first day, as ISO text on both databases."""
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM-DD")
    return cast(column, String)


def _year_of(month: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return cast(func.date_trunc("year", month), Date)
    return func.date(month, literal_column("'start of year'"))


def _key(key: str, dialect: str) -> Label[Any]:
    """The SQL expression a group key stands for; periods are labelled by their first day."""
    columns: dict[str, ColumnElement[Any]] = {
        "country": Event.country_iso3,  # type: ignore[dict-item]
        "region": Event.admin1,  # type: ignore[dict-item]
        "location": Event.location_name,  # type: ignore[dict-item]
        "actor": EventActor.name,  # type: ignore[dict-item]
        "event_type": Event.event_type,  # type: ignore[dict-item]
        "sub_event_type": Event.sub_event_type,  # type: ignore[dict-item]
        "equipment": EventEquipment.name,  # type: ignore[dict-item]
        "day": cast(Event.event_date, String),
    }
    if key in columns:
        return columns[key].label(key)
    if dialect == "postgresql":
        trunc = func.date_trunc(key, Event.event_date)
        return func.to_char(cast(trunc, Date), "YYYY-MM-DD").label(key)
    modifiers = {
        "week": ("weekday 0", "-6 days"),
        "month": ("start of month",),
        "year": ("start of year",),
    }[key]
    return func.date(Event.event_date, *(literal_column(f"'{m}'") for m in modifiers)).label(key)


def _ordering(key: str, label: Label[Any]) -> Any:
    return (
        label.asc() if key in ("day", "week", "month", "year") else literal_column("events").desc()
    )
