"""The monthly rollup behind charts: kept exact by recounting, at commit, what a write touched.

Every write path ends in `Session.commit()`, so two session listeners keep `event_rollups`
current: after each flush they note the (country, month) of each added, changed or deleted
event, old and new; before the commit they recount those groups from `events`. Writers that
bypass the ORM (the bulk import) note their groups with `mark()`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    and_,
    cast,
    delete,
    func,
    insert,
    inspect,
    literal_column,
    select,
)
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session, UOWTransaction

from app.models import Event, EventEquipment, EventRollup

RollupKey = tuple[str | None, dt.date | None]
_PENDING = "rollup_keys"


def month_of(day: dt.date | None) -> dt.date | None:
    return day.replace(day=1) if day is not None else None


def mark(session: Session, keys: Iterable[RollupKey]) -> None:
    """Groups to recount before this session's next commit."""
    session.info.setdefault(_PENDING, set()).update(keys)


def refresh(connection: Connection, keys: Iterable[RollupKey]) -> None:
    """Recount the given (country, month) groups from the events table."""
    by_country: dict[str | None, set[dt.date | None]] = defaultdict(set)
    for country, month in keys:
        by_country[country].add(month)
    postgres = connection.dialect.name == "postgresql"
    # Countries in one order, so two writers' advisory locks cannot deadlock.
    for country in sorted(by_country, key=lambda c: c or ""):
        if postgres:
            # Recounts of one country run one at a time: the later one sees the earlier commit.
            lock = func.pg_advisory_xact_lock(func.hashtext(f"event_rollups:{country or ''}"))
            connection.execute(select(lock))
        for events_window, rollup_window in _windows(by_country[country]):
            in_country = _same(Event.country_iso3, country)
            connection.execute(
                delete(EventRollup).where(_same(EventRollup.country_iso3, country), rollup_window)
            )
            connection.execute(_recount(connection, and_(in_country, events_window)))


def rebuild(connection: Connection) -> None:
    """Recount everything (after a migration, or to repair a rollup edited by hand)."""
    connection.execute(delete(EventRollup))
    connection.execute(_recount(connection, None))


def month_expression(column: Any, dialect: str) -> ColumnElement[Any]:
    """First day of the column's month, as a date on both databases."""
    if dialect == "postgresql":
        return cast(func.date_trunc("month", column), Date)
    return func.date(column, literal_column("'start of month'"))


def _recount(connection: Connection, where: ColumnElement[bool] | None) -> Any:
    month = month_expression(Event.event_date, connection.dialect.name)
    per_event_quantity = (
        select(EventEquipment.event_id, func.sum(EventEquipment.quantity).label("quantity"))
        .group_by(EventEquipment.event_id)
        .subquery()
    )
    counted = (
        select(
            Event.country_iso3,
            month,
            Event.event_type,
            Event.sub_event_type,
            func.count(),
            func.coalesce(func.sum(Event.fatalities), 0),
            func.coalesce(func.sum(per_event_quantity.c.quantity), 0),
        )
        .select_from(Event)
        .outerjoin(per_event_quantity, per_event_quantity.c.event_id == Event.id)
        .group_by(Event.country_iso3, month, Event.event_type, Event.sub_event_type)
    )
    if where is not None:
        counted = counted.where(where)
    columns = [
        "country_iso3", "month", "event_type", "sub_event_type",
        "events", "fatalities", "equipment_quantity",
    ]  # fmt: skip
    return insert(EventRollup).from_select(columns, counted)


def _windows(
    months: set[dt.date | None],
) -> list[tuple[ColumnElement[bool], ColumnElement[bool]]]:
    """(events condition, rollup condition) pairs covering the months: undated, and one span."""
    windows = []
    if None in months:
        windows.append((Event.event_date.is_(None), EventRollup.month.is_(None)))  # type: ignore[union-attr]
    dated = sorted(m for m in months if m is not None)
    if dated:
        first, last = dated[0], dated[-1]
        after = (last + dt.timedelta(days=32)).replace(day=1)
        windows.append(
            (
                and_(Event.event_date >= first, Event.event_date < after),  # type: ignore[operator]
                EventRollup.month.between(first, last),  # type: ignore[union-attr]
            )
        )
    return windows


def _same(column: Any, value: str | None) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value  # type: ignore[no-any-return]


def _event_keys(event: Event) -> set[RollupKey]:
    """The group an event counts in now, and the one it counted in before this flush."""
    keys = {(event.country_iso3, month_of(event.event_date))}
    state = inspect(event)
    country, day = state.attrs.country_iso3.history, state.attrs.event_date.history
    if country.deleted or day.deleted:
        old_country = country.deleted[0] if country.deleted else event.country_iso3
        old_day = day.deleted[0] if day.deleted else event.event_date
        keys.add((old_country, month_of(old_day)))
    return keys


@orm_event.listens_for(Session, "after_flush")
def _note_flushed_events(session: Session, _flush: UOWTransaction) -> None:
    touched = [
        obj for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, Event)
    ]
    if touched:
        mark(session, (key for obj in touched for key in _event_keys(obj)))


@orm_event.listens_for(Session, "before_commit")
def _recount_touched(session: Session) -> None:
    session.flush()
    keys = session.info.pop(_PENDING, None)
    if keys:
        refresh(session.connection(), keys)


@orm_event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    session.info.pop(_PENDING, None)
