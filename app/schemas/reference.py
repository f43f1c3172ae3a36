"""Shapes of the reference entities and of a name-resolution decision."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field


class AliasOut(BaseModel):
    name: str = Field(description="The alias as written in the reference data")
    type: str | None = Field(
        default=None, description="name, abbreviation, demonym, metonym or leader"
    )


class ActorPublic(BaseModel):
    """A canonical actor."""

    id: str = Field(description="Stable actor id (ISO3 for states)")
    name: str = Field(description="Canonical name")
    kind: str = Field(description="What sort of actor it is")
    country_iso3: str | None = Field(default=None, description="ISO3 of the actor's country")
    parent_id: str | None = Field(default=None, description="Parent actor (a force's state)")
    aliases: list[AliasOut] = Field(
        default_factory=list, description="Other names it is found under"
    )


class EquipmentPublic(BaseModel):
    """A weapon system in the catalogue."""

    id: str = Field(description="Stable catalogue id")
    name: str = Field(description="Canonical designation")
    category: str = Field(description="Catalogue category")
    caliber_mm: float | None = Field(default=None, description="Calibre in millimetres")
    origin_iso3: str | None = Field(default=None, description="ISO3 of the designer's country")
    parent_id: str | None = Field(default=None, description="Base system of a variant")
    aliases: list[AliasOut] = Field(default_factory=list, description="Other designations")


class PlacePublic(BaseModel):
    """A place in the gazetteer."""

    id: str = Field(description="Gazetteer id (gn:<geonameid>, adm1:..., cty:<ISO3>, x:...)")
    name: str = Field(description="English name")
    feature_type: str = Field(description="country, admin1, admin2, populated_place or other")
    country_iso3: str = Field(description="ISO3 country code")
    admin1: str | None = Field(default=None, description="First-level division")
    lat: float = Field(description="WGS84 latitude")
    lon: float = Field(description="WGS84 longitude")
    population: int = Field(description="Population (GeoNames)")
    source_id: str | None = Field(default=None, description="GeoNames id")
    aliases: list[AliasOut] = Field(default_factory=list, description="Other spellings")


T = TypeVar("T")


class ReferencePage(BaseModel, Generic[T]):
    data: list[T] = Field(description="Matching entities")
    total: int = Field(description="How many match")
    limit: int = Field(description="Page size used")
    offset: int = Field(description="Entities skipped")


class Resolution(BaseModel):
    """How a free-text name was read, with the score that decided it."""

    query: str = Field(description="The name as given")
    type: Literal["actor", "equipment", "place"] = Field(
        description="What kind of entity was sought"
    )
    resolved: bool = Field(description="Whether a canonical entity was found")
    method: Literal["id", "exact", "fuzzy", "unresolved"] = Field(
        description="id, exact alias, fuzzy match above the threshold, or unresolved"
    )
    score: float = Field(description="Match score 0-100 (100 for exact)")
    matched: str | None = Field(default=None, description="The alias that matched")
    id: str | None = Field(default=None, description="Canonical id")
    name: str = Field(description="Canonical name, or the query when unresolved")
    entity: ActorPublic | EquipmentPublic | PlacePublic | None = Field(
        default=None, description="The canonical entity"
    )
