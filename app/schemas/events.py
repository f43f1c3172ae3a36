"""Event shapes: what /extract returns, what /events accepts and returns (one family)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.schemas.common import (
    ActorKind,
    CleanStr,
    DatePrecision,
    EventType,
    Iso3,
    Precision,
    Role,
    Span,
    Status,
)

Name = Annotated[CleanStr, Field(min_length=1, max_length=255)]
Surface = Annotated[CleanStr, Field(max_length=255)]


class _Input(BaseModel):
    """Inputs ignore fields they do not use, so /extract output can be posted back unchanged."""

    model_config = ConfigDict(extra="ignore")


class _NamedInput(_Input):
    name: Name | None = Field(
        default=None, description="Any name or alias, resolved to the canonical entity"
    )
    id: Annotated[str, Field(max_length=64)] | None = Field(
        default=None, description="Canonical id; wins over `name` when both are given"
    )
    text: Surface | None = Field(default=None, description="Surface form in the source text")
    span: Span | None = Field(default=None, description="[start, end) character offsets of `text`")

    @model_validator(mode="after")
    def _name_or_id(self) -> _NamedInput:
        if not self.name and not self.id:
            raise ValueError("give a name or an id")
        return self


class ActorIn(_NamedInput):
    """An actor named freely: 'Pyongyang', 'Putin's forces', or an id."""

    role: Role = Field(default="associated", description="The actor's part in the event")
    kind: ActorKind | None = Field(
        default=None, description="Kept for names that match no known actor ('Civilians (Kenya)')"
    )
    country_iso3: Iso3 | None = Field(default=None, description="Kept for unresolved names")


class EquipmentIn(_NamedInput):
    """A weapon system named freely ('Koksan'), with how many."""

    quantity: Annotated[int, Field(ge=0, le=10_000_000)] | None = Field(
        default=None, description="How many were involved (null when not stated)"
    )


class SourceIn(_NamedInput):
    """Who reported the event; `citing` names whom they relied on."""

    citing: list[SourceIn] = Field(default_factory=list, description="Sources the reporter cited")


class LocationIn(_Input):
    """A place by name or alias ('Kursk region'), by id, or by coordinates."""

    name: Name | None = Field(default=None, description="Place name or alias")
    id: Annotated[str, Field(max_length=64)] | None = Field(
        default=None, description="Gazetteer id"
    )
    lat: Annotated[float, Field(ge=-90, le=90)] | None = Field(
        default=None, description="WGS84 latitude"
    )
    lon: Annotated[float, Field(ge=-180, le=180)] | None = Field(
        default=None, description="WGS84 longitude"
    )
    country_iso3: Iso3 | None = Field(
        default=None, description="Helps pick among places of one name"
    )
    admin1: Name | None = Field(default=None, description="First-level division, if known")
    precision: Precision | None = Field(default=None, description="How precise the place is")
    text: Surface | None = Field(default=None, description="Surface form in the source text")
    span: Span | None = Field(default=None, description="[start, end) character offsets of `text`")

    @model_validator(mode="after")
    def _something_to_place(self) -> LocationIn:
        if not (self.name or self.id) and (self.lat is None or self.lon is None):
            raise ValueError("give a name, an id, or both lat and lon")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon go together")
        return self


class EvidenceOut(BaseModel):
    """The sentence(s) an event was read from."""

    text: str = Field(description="The evidence text")
    span: Span


class EvidenceIn(_Input):
    text: CleanStr = Field(max_length=20_000, description="The evidence text")
    span: Span | None = Field(default=None, description="[start, end) character offsets of `text`")


_EXAMPLE_EVENT: dict[str, Any] = {
    "event_type": "Strategic developments",
    "sub_event_type": "Arms transfer",
    "event_date": "2024-11-16",
    "actors": [{"name": "Pyongyang", "role": "supplier"}, {"name": "Moscow", "role": "recipient"}],
    "equipment": [{"name": "Koksan", "quantity": 50}],
    "location": {"name": "Kursk region"},
    "reported_by": [{"name": "Financial Times", "citing": [{"name": "Ukrainian intelligence"}]}],
}


class EventIn(_Input):
    """A structured event; names are resolved to canonical entities on the way in."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [_EXAMPLE_EVENT]})

    event_type: EventType = Field(description="One of ACLED's six event types")
    sub_event_type: Name | None = Field(
        default=None,
        description="ACLED sub-event type, or the project's own under Strategic developments",
    )
    event_date: dt.date | None = Field(default=None, description="The day the event happened")
    date_precision: DatePrecision | None = Field(
        default=None, description="How precise event_date is"
    )
    actors: list[ActorIn] = Field(default_factory=list, max_length=50, description="Who took part")
    location: LocationIn | None = Field(default=None, description="Where it happened")
    fatalities: Annotated[int, Field(ge=0, le=10_000_000)] | None = Field(
        default=None, description="Deaths the sources state (null when none stated)"
    )
    injured: Annotated[int, Field(ge=0, le=10_000_000)] | None = Field(
        default=None, description="Injuries the sources state (null when none stated)"
    )
    equipment: list[EquipmentIn] = Field(
        default_factory=list, max_length=50, description="Weapons involved"
    )
    reported_by: list[SourceIn] = Field(
        default_factory=list, max_length=20, description="Who reported it"
    )
    notes: CleanStr | None = Field(default=None, max_length=20_000, description="Free-text summary")
    status: Status | None = Field(
        default=None, description="reported (default), confirmed or disputed"
    )
    evidence: EvidenceIn | None = Field(default=None, description="Text the event was read from")


class EventPatch(_Input):
    """A partial update: only the fields given change; a given list replaces the stored one."""

    event_type: EventType | None = Field(default=None, description="One of ACLED's six event types")
    sub_event_type: Name | None = Field(default=None, description="Sub-event type")
    event_date: dt.date | None = Field(default=None, description="The day the event happened")
    date_precision: DatePrecision | None = Field(
        default=None, description="How precise event_date is"
    )
    actors: list[ActorIn] | None = Field(
        default=None, max_length=50, description="Replaces the actors"
    )
    location: LocationIn | None = Field(default=None, description="Replaces the location")
    fatalities: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Deaths stated"
    )
    injured: Annotated[int, Field(ge=0)] | None = Field(default=None, description="Injuries stated")
    equipment: list[EquipmentIn] | None = Field(
        default=None, max_length=50, description="Replaces the equipment"
    )
    reported_by: list[SourceIn] | None = Field(
        default=None, max_length=20, description="Replaces the sources"
    )
    notes: CleanStr | None = Field(default=None, max_length=20_000, description="Free-text summary")
    status: Status | None = Field(default=None, description="reported, confirmed or disputed")


class ActorOut(BaseModel):
    """An actor as read: canonical entity plus the words it was found under."""

    name: str = Field(description="Canonical name, or the name as written when unresolved")
    id: str | None = Field(default=None, description="Canonical actor id (null when unresolved)")
    kind: ActorKind | None = Field(default=None, description="What sort of actor it is")
    country_iso3: str | None = Field(default=None, description="ISO3 of the actor's country")
    role: Role = Field(description="The actor's part in the event")
    text: str | None = Field(default=None, description="Surface form in the text")
    span: Span | None = Field(default=None, description="[start, end) character offsets of `text`")
    resolved: bool = Field(default=True, description="False when the name matched no known actor")


class LocationOut(BaseModel):
    """Where an event happened, with coordinates."""

    name: str = Field(description="Canonical place name, or the name as written when unresolved")
    id: str | None = Field(default=None, description="Gazetteer id (null when unresolved)")
    admin1: str | None = Field(default=None, description="First-level division")
    country_iso3: str | None = Field(default=None, description="ISO3 country code")
    lat: float | None = Field(default=None, description="WGS84 latitude")
    lon: float | None = Field(default=None, description="WGS84 longitude")
    precision: Precision | None = Field(
        default=None, description="point, admin2, admin1 or country"
    )
    text: str | None = Field(default=None, description="Surface form in the text")
    span: Span | None = Field(default=None, description="[start, end) character offsets of `text`")
    resolved: bool = Field(default=True, description="False when the name matched no known place")


class EquipmentOut(BaseModel):
    """A weapon system involved, with its catalogue facts and quantity."""

    name: str = Field(description="Canonical designation, or the name as written when unresolved")
    id: str | None = Field(default=None, description="Catalogue id (null when unresolved)")
    category: str | None = Field(default=None, description="Catalogue category")
    caliber_mm: float | None = Field(default=None, description="Calibre in millimetres")
    quantity: int | None = Field(default=None, description="How many (null when not stated)")
    text: str | None = Field(default=None, description="Surface form in the text")
    span: Span | None = Field(default=None, description="[start, end) character offsets of `text`")
    resolved: bool = Field(
        default=True, description="False when the name matched no catalogue entry"
    )


class SourceOut(BaseModel):
    """Who reported the event, and whom they cited."""

    name: str = Field(description="Reporter's canonical name, or as written")
    id: str | None = Field(default=None, description="Actor id of the reporter, when known")
    text: str | None = Field(default=None, description="Surface form in the text")
    span: Span | None = Field(default=None, description="[start, end) character offsets of `text`")
    citing: list[SourceOut] = Field(default_factory=list, description="Sources the reporter cited")
    article_id: int | None = Field(default=None, description="Stored article it came from, if any")


class EventOut(BaseModel):
    """A coded event in the shape the contract fixes (extraction and storage alike)."""

    id: int | None = Field(default=None, description="Stored event id (absent from /extract)")
    event_type: str = Field(description="One of ACLED's six event types")
    sub_event_type: str | None = Field(default=None, description="Sub-event type")
    event_date: dt.date | None = Field(default=None, description="The day the event happened")
    date_precision: str | None = Field(default=None, description="day, week, month or year")
    actors: list[ActorOut] = Field(default_factory=list, description="Who took part, with roles")
    location: LocationOut | None = Field(default=None, description="Where it happened")
    fatalities: int | None = Field(
        default=None, description="Deaths stated (null when none stated)"
    )
    injured: int | None = Field(default=None, description="Injuries stated (null when none stated)")
    equipment: list[EquipmentOut] = Field(
        default_factory=list, description="Weapons with quantities"
    )
    reported_by: list[SourceOut] = Field(default_factory=list, description="Who reported it")
    evidence: EvidenceOut | None = Field(default=None, description="Text the event was read from")
    notes: str | None = Field(default=None, description="Free-text summary")
    status: str | None = Field(default=None, description="reported, confirmed or disputed")
    article_id: int | None = Field(default=None, description="Article the event was extracted from")
    created_at: dt.datetime | None = Field(default=None, description="When it was stored (UTC)")
    updated_at: dt.datetime | None = Field(default=None, description="When it last changed (UTC)")


class EventPage(BaseModel):
    """One page of events, newest first unless `sort` says otherwise."""

    data: list[EventOut] = Field(description="The events on this page")
    total: int = Field(
        description="How many events match the filters; counting stops at the server's cap "
        "(10,000 by default) unless `include_total=true`"
    )
    total_is_exact: bool = Field(
        default=True, description="False when `total` is a lower bound: at least that many match"
    )
    limit: int = Field(description="Page size used")
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page"
    )


class DeletedEventOut(BaseModel):
    """A deleted event's id and when it went."""

    event_id: int = Field(description="Id the event had")
    deleted_at: dt.datetime = Field(description="When it was deleted (UTC)")
