"""Articles, coded events and the links that tie events to actors, equipment and sources."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field


class Article(SQLModel, table=True):
    """A posted news text; its content hash makes posting idempotent."""

    __tablename__ = "articles"

    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = Field(unique=True, max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))
    url: str | None = Field(default=None, max_length=2048)
    title: str | None = Field(default=None, max_length=1024)
    outlet: str | None = Field(default=None, max_length=255)
    published_at: dt.date | None = None
    created_at: dt.datetime = timestamp_field()


class Event(SQLModel, table=True):
    """One coded event: one day, one place, one pair of main actors (ACLED's unit)."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_event_date_id", "event_date", "id"),
        Index("ix_events_country_date", "country_iso3", "event_date"),
        Index("ix_events_admin1_date", "admin1", "event_date"),
        # Covering: a bbox query sorts by date and pages ids without touching the rows.
        Index("ix_events_lat_lon_date", "latitude", "longitude", "event_date", "id"),
        # Covering: per-country charts sum fatalities straight from the index.
        Index("ix_events_country_date_fatalities", "country_iso3", "event_date", "fatalities"),
        UniqueConstraint("dataset", "dataset_event_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int | None = Field(
        default=None, foreign_key="articles.id", index=True, ondelete="SET NULL"
    )
    event_date: dt.date | None = None
    date_precision: str | None = Field(default=None, max_length=8)
    event_type: str = Field(index=True, max_length=64)
    sub_event_type: str | None = Field(default=None, index=True, max_length=64)
    country_iso3: str | None = Field(default=None, max_length=3)
    admin1: str | None = Field(default=None, max_length=255)
    admin2: str | None = Field(default=None, max_length=255)
    location_name: str | None = Field(default=None, index=True, max_length=255)
    place_id: str | None = Field(default=None, foreign_key="places.id", index=True, max_length=64)
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: str | None = Field(default=None, max_length=8)
    location_text: str | None = Field(default=None, max_length=255)
    location_start: int | None = None
    location_end: int | None = None
    location_resolved: bool = True
    fatalities: int | None = None
    injured: int | None = None
    notes: str | None = Field(default=None, sa_column=Column(Text))
    status: str = Field(default="reported", max_length=16)
    evidence_text: str | None = Field(default=None, sa_column=Column(Text))
    evidence_start: int | None = None
    evidence_end: int | None = None
    dataset: str | None = Field(default=None, max_length=16)
    dataset_event_id: str | None = Field(default=None, max_length=64)
    created_at: dt.datetime = timestamp_field()
    updated_at: dt.datetime = timestamp_field(index=True)


class EventActor(SQLModel, table=True):
    """An actor's part in an event, with the words it was found under."""

    __tablename__ = "event_actors"
    __table_args__ = (
        Index("ix_event_actors_actor_role", "actor_id", "role"),
        # The actor filter's EXISTS probe: one lookup per event instead of a bitmap AND.
        Index("ix_event_actors_event_actor", "event_id", "actor_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id", index=True, ondelete="CASCADE")
    actor_id: str | None = Field(default=None, foreign_key="actors.id", max_length=64)
    name: str = Field(max_length=255)
    kind: str | None = Field(default=None, max_length=32)
    country_iso3: str | None = Field(default=None, max_length=3)
    role: str = Field(max_length=16)
    text: str | None = Field(default=None, max_length=255)
    span_start: int | None = None
    span_end: int | None = None
    rule: str | None = Field(default=None, max_length=64)


class EventEquipment(SQLModel, table=True):
    """A weapon system involved in an event, with how many."""

    __tablename__ = "event_equipment"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id", index=True, ondelete="CASCADE")
    equipment_id: str | None = Field(
        default=None, foreign_key="equipment_models.id", index=True, max_length=64
    )
    name: str = Field(max_length=255)
    quantity: int | None = None
    text: str | None = Field(default=None, max_length=255)
    span_start: int | None = None
    span_end: int | None = None
    rule: str | None = Field(default=None, max_length=64)


class EventSource(SQLModel, table=True):
    """Who reported an event (an outlet or the article), and whom they cited."""

    __tablename__ = "event_sources"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id", index=True, ondelete="CASCADE")
    article_id: int | None = Field(
        default=None, foreign_key="articles.id", index=True, ondelete="SET NULL"
    )
    actor_id: str | None = Field(default=None, foreign_key="actors.id", max_length=64)
    name: str = Field(max_length=255)
    cited_by_id: int | None = Field(
        default=None, foreign_key="event_sources.id", index=True, ondelete="CASCADE"
    )
    text: str | None = Field(default=None, max_length=255)
    span_start: int | None = None
    span_end: int | None = None


class Mention(SQLModel, table=True):
    """A span of an article read as an actor, equipment, place, quantity or date."""

    __tablename__ = "mentions"

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="articles.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)
    text: str = Field(max_length=512)
    span_start: int
    span_end: int
    entity_id: str | None = Field(default=None, index=True, max_length=64)
    value: str | None = Field(default=None, max_length=255)
    rule: str | None = Field(default=None, max_length=64)


class DeletedEvent(SQLModel, table=True):
    """A tombstone per deleted event, so mirrors can sync deletions."""

    __tablename__ = "deleted_events"

    event_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    deleted_at: dt.datetime = timestamp_field(index=True)


class EventRollup(SQLModel, table=True):
    """Events per country, month and type, kept current on every write: charts over everything
    read a few thousand rows instead of scanning the events table."""

    __tablename__ = "event_rollups"
    __table_args__ = (
        Index("ix_event_rollups_country_month", "country_iso3", "month"),
        Index("ix_event_rollups_month", "month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    country_iso3: str | None = Field(default=None, max_length=3)
    month: dt.date | None = None
    event_type: str = Field(max_length=64)
    sub_event_type: str | None = Field(default=None, max_length=64)
    events: int
    fatalities: int
    equipment_quantity: int


class ActorRollup(SQLModel, table=True):
    """The same counts per actor: an event counts once under each actor it names and under each
    of their parents, so "Russia" charts its forces' events too, without counting any twice."""

    __tablename__ = "actor_rollups"
    __table_args__ = (
        Index("ix_actor_rollups_actor_month", "actor_id", "month"),
        Index("ix_actor_rollups_country_month", "country_iso3", "month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    actor_id: str = Field(max_length=64)
    country_iso3: str | None = Field(default=None, max_length=3)
    month: dt.date | None = None
    event_type: str = Field(max_length=64)
    sub_event_type: str | None = Field(default=None, max_length=64)
    events: int
    fatalities: int
    equipment_quantity: int
