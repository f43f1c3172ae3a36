"""Canonical entities (actors, equipment, places) and the aliases they are found under."""

from __future__ import annotations

from sqlalchemy import Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel


class Actor(SQLModel, table=True):
    """A state, armed group, force, person, outlet or organisation."""

    __tablename__ = "actors"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(index=True, max_length=255)
    kind: str = Field(index=True, max_length=32)
    country_iso3: str | None = Field(default=None, index=True, max_length=3)
    parent_id: str | None = Field(default=None, foreign_key="actors.id", index=True, max_length=64)


class ActorAlias(SQLModel, table=True):
    """Another name of an actor, typed: name, abbreviation, demonym, metonym, leader."""

    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "name_norm"),)

    id: int | None = Field(default=None, primary_key=True)
    actor_id: str = Field(foreign_key="actors.id", index=True, max_length=64, ondelete="CASCADE")
    name: str = Field(max_length=255)
    name_norm: str = Field(index=True, max_length=255)
    alias_type: str = Field(max_length=16)


class EquipmentModel(SQLModel, table=True):
    """A weapon system or model, e.g. M1989 Koksan (170 mm self-propelled gun)."""

    __tablename__ = "equipment_models"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(index=True, max_length=255)
    category: str = Field(index=True, max_length=64)
    caliber_mm: float | None = None
    origin_iso3: str | None = Field(default=None, max_length=3)
    parent_id: str | None = Field(
        default=None, foreign_key="equipment_models.id", index=True, max_length=64
    )


class EquipmentAlias(SQLModel, table=True):
    """Another designation of a weapon system (M-1978/1989 Koksan, 9P140 Uragan)."""

    __tablename__ = "equipment_aliases"
    __table_args__ = (UniqueConstraint("equipment_id", "name_norm"),)

    id: int | None = Field(default=None, primary_key=True)
    equipment_id: str = Field(
        foreign_key="equipment_models.id", index=True, max_length=64, ondelete="CASCADE"
    )
    name: str = Field(max_length=255)
    name_norm: str = Field(index=True, max_length=255)


class Place(SQLModel, table=True):
    """A country, first-level division or populated place from the gazetteer."""

    __tablename__ = "places"
    __table_args__ = (Index("ix_places_country_admin1", "country_iso3", "admin1"),)

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=255)
    name_norm: str = Field(sa_column=Column(String(255), index=True, nullable=False))
    feature_type: str = Field(index=True, max_length=32)
    country_iso3: str = Field(max_length=3)
    admin1: str | None = Field(default=None, max_length=255)
    latitude: float
    longitude: float
    population: int = 0
    source_id: str | None = Field(default=None, max_length=32)


class PlaceAlias(SQLModel, table=True):
    """Another spelling of a place (Kiev, Kursk region)."""

    __tablename__ = "place_aliases"
    __table_args__ = (UniqueConstraint("place_id", "name_norm"),)

    id: int | None = Field(default=None, primary_key=True)
    place_id: str = Field(foreign_key="places.id", index=True, max_length=64, ondelete="CASCADE")
    name: str = Field(max_length=255)
    name_norm: str = Field(index=True, max_length=255)
