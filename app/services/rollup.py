"""The monthly rollups behind charts (per country and type, and per actor): kept exact at
every commit.

Every write path ends in `Session.commit()`, so session listeners keep the rollups current.
Events created in the transaction are added as extra rows holding their own counts (charts sum
a group's rows), which costs the same however big the group already is. Groups where an event
was changed or deleted are recounted from `events`, and so is a group once its added rows
outnumber its types a few times over. Writers that bypass the ORM (the bulk import) note their
groups for a recount with `mark()`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
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

from app.models import Actor, ActorRollup, Event, EventActor, EventEquipment, EventRollup

RollupKey = tuple[str | None, dt.date | None]
_PENDING = "rollup_keys"
_CREATED = "rollup_created_events"
_CHUNK = 500  # ids per IN list, well inside every driver's parameter limit


def month_of(day: dt.date | None) -> dt.date | None:
    return day.replace(day=1) if day is not None else None


def mark(session: Session, keys: Iterable[RollupKey]) -> None:
    """Groups to recount before this session's next commit."""
    session.info.setdefault(_PENDING, set()).update(keys)


def refresh(
    connection: Connection,
    keys: Iterable[RollupKey],
    created: dict[int, RollupKey] | None = None,
) -> None:
    """Recount the given (country, month) groups from the events table, and add the counts of
    `created` events (id -> group) whose groups are not recounted anyway."""
    recount: dict[str | None, set[dt.date | None]] = defaultdict(set)
    for country, month in keys:
        recount[country].add(month)
    added = {
        event_id: key for event_id, key in (created or {}).items() if key[1] not in recount[key[0]]
    }
    countries = set(recount) | {country for country, _ in added.values()}
    postgres = connection.dialect.name == "postgresql"
    # Countries in one order, so two writers' advisory locks cannot deadlock.
    for country in sorted(countries, key=lambda c: c or ""):
        if postgres:
            # Writes to one country's groups run one at a time: each sees the earlier commit.
            lock = func.pg_advisory_xact_lock(func.hashtext(f"event_rollups:{country or ''}"))
            connection.execute(select(lock))
        if recount[country]:
            _recount(connection, country, recount[country])
    ids = sorted(added)
    for start in range(0, len(ids), _CHUNK):
        where = Event.id.in_(ids[start : start + _CHUNK])  # type: ignore[union-attr]
        connection.execute(_recount_events(connection, where))
        connection.execute(_recount_actors(connection, where))
    crowded: dict[str | None, set[dt.date | None]] = defaultdict(set)
    for country, month in set(added.values()):
        if _crowded(connection, country, month):
            crowded[country].add(month)
    for country, months in crowded.items():
        _recount(connection, country, months)


def _recount(connection: Connection, country: str | None, months: set[dt.date | None]) -> None:
    """Replace one country's rows for these months by a fresh count."""
    for events_window, month_window in _windows(months):
        where = and_(_same(Event.country_iso3, country), events_window)
        for table in (EventRollup, ActorRollup):
            connection.execute(
                delete(table).where(_same(table.country_iso3, country), month_window(table.month))
            )
        connection.execute(_recount_events(connection, where))
        connection.execute(_recount_actors(connection, where))


def _crowded(connection: Connection, country: str | None, month: dt.date | None) -> bool:
    """Whether a group's added rows outnumber its (type, sub-type) pairs a few times over."""
    pairs = connection.execute(
        select(EventRollup.event_type, EventRollup.sub_event_type).where(
            _same(EventRollup.country_iso3, country), _same(EventRollup.month, month)
        )
    ).all()
    return len(pairs) > 4 * len(set(pairs)) + 8


def rebuild(connection: Connection) -> None:
    """Recount everything (after a migration, or to repair a rollup edited by hand)."""
    for table in (EventRollup, ActorRollup):
        connection.execute(delete(table))
    connection.execute(_recount_events(connection, None))
    connection.execute(_recount_actors(connection, None))


def month_expression(column: Any, dialect: str) -> ColumnElement[Any]:
    """First day of the column's month, as a date on both databases."""
    if dialect == "postgresql":
        return cast(func.date_trunc("month", column), Date)
    return func.date(column, literal_column("'start of month'"))


_GROUP = ("country_iso3", "month", "event_type", "sub_event_type")
_SUMS = ("events", "fatalities", "equipment_quantity")


def _totals(events: Any) -> list[ColumnElement[Any]]:
    """Count, fatalities and equipment quantity of the events in a group."""
    quantity = (
        select(func.sum(EventEquipment.quantity))
        .where(EventEquipment.event_id == events.c.id)
        .scalar_subquery()
    )
    return [
        func.count(),
        func.coalesce(func.sum(events.c.fatalities), 0),
        func.coalesce(func.sum(quantity), 0),
    ]


def _grouping(events: Any, dialect: str) -> list[ColumnElement[Any]]:
    month = month_expression(events.c.event_date, dialect)
    return [events.c.country_iso3, month, events.c.event_type, events.c.sub_event_type]


def _recount_events(connection: Connection, where: ColumnElement[bool] | None) -> Any:
    events = Event.__table__  # type: ignore[attr-defined]
    group = _grouping(events, connection.dialect.name)
    counted = select(*group, *_totals(events)).group_by(*group)
    if where is not None:
        counted = counted.where(where)
    return insert(EventRollup).from_select([*_GROUP, *_SUMS], counted)


def _recount_actors(connection: Connection, where: ColumnElement[bool] | None) -> Any:
    """Each event once per actor it names and per ancestor of those actors."""
    lineage = select(Actor.id.label("actor_id"), Actor.id.label("ancestor_id")).cte(
        "lineage", recursive=True
    )
    lineage = lineage.union_all(
        select(lineage.c.actor_id, Actor.parent_id)
        .join(Actor, Actor.id == lineage.c.ancestor_id)
        .where(Actor.parent_id.is_not(None))  # type: ignore[union-attr]
    )
    linked = (
        select(lineage.c.ancestor_id, EventActor.event_id)
        .distinct()
        .join(lineage, lineage.c.actor_id == EventActor.actor_id)
        .join(Event, Event.id == EventActor.event_id)
    )
    if where is not None:
        linked = linked.where(where)
    pairs = linked.subquery()
    events = Event.__table__  # type: ignore[attr-defined]
    group = [pairs.c.ancestor_id, *_grouping(events, connection.dialect.name)]
    counted = (
        select(*group, *_totals(events))
        .select_from(pairs)
        .join(events, events.c.id == pairs.c.event_id)
        .group_by(*group)
    )
    return insert(ActorRollup).from_select(["actor_id", *_GROUP, *_SUMS], counted)


def _windows(
    months: set[dt.date | None],
) -> list[tuple[ColumnElement[bool], Callable[[Any], ColumnElement[bool]]]]:
    """(events condition, rollup month condition) pairs: one for undated events and one per run
    of consecutive months, so a bulk import recounts each country in one pass and an article
    dated across years recounts its months, not the years between."""
    windows: list[tuple[ColumnElement[bool], Callable[[Any], ColumnElement[bool]]]] = []
    if None in months:
        windows.append((Event.event_date.is_(None), lambda month: month.is_(None)))  # type: ignore[union-attr]
    runs: list[list[dt.date]] = []
    for month in sorted(m for m in months if m is not None):
        if runs and _next_month(runs[-1][1]) == month:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    for first, last in runs:
        windows.append(
            (
                and_(Event.event_date >= first, Event.event_date < _next_month(last)),  # type: ignore[operator]
                lambda month, first=first, last=last: month.between(first, last),  # type: ignore[misc]
            )
        )
    return windows


def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


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
    created = session.info.setdefault(_CREATED, {})
    for obj in session.new:
        if isinstance(obj, Event) and obj.id is not None:
            created[obj.id] = (obj.country_iso3, month_of(obj.event_date))
    # A changed or deleted event (one created earlier in this transaction too) has its groups,
    # old and new, recounted; its created entry then falls inside a recounted group.
    changed = [obj for obj in (*session.dirty, *session.deleted) if isinstance(obj, Event)]
    if changed:
        mark(session, (key for obj in changed for key in _event_keys(obj)))


@orm_event.listens_for(Session, "before_commit")
def _recount_touched(session: Session) -> None:
    session.flush()
    keys = session.info.pop(_PENDING, None)
    created = session.info.pop(_CREATED, None)
    if keys or created:
        refresh(session.connection(), keys or (), created)


@orm_event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_CREATED, None)
