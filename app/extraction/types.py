"""Plain, frozen result types of the extractor; the HTTP layer maps these onto the contract JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor taking part in an event, with the surface form it was read from."""

    name: str
    id: str | None
    kind: str
    country_iso3: str | None
    role: str
    text: str
    span: Span
    rule: str


@dataclass(frozen=True, slots=True)
class LocationRef:
    """Where an event happened, resolved to a gazetteer place when possible."""

    name: str
    id: str | None
    admin1: str | None
    country_iso3: str | None
    lat: float | None
    lon: float | None
    precision: str
    text: str
    span: Span
    rule: str


@dataclass(frozen=True, slots=True)
class EquipmentRef:
    """A weapon system attached to an event, with the quantity the text gives for it."""

    name: str
    id: str
    category: str
    caliber_mm: float | None
    quantity: int | None
    text: str
    span: Span
    rule: str


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Who reported a claim, and whom they cited."""

    name: str
    id: str | None
    text: str
    span: Span
    citing: tuple[SourceRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence(s) an event was read from."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event: ACLED type and sub-type, who, where, when, how many dead, with what."""

    event_type: str
    sub_event_type: str
    event_date: date | None
    date_precision: str | None
    actors: tuple[ActorRef, ...]
    location: LocationRef | None
    fatalities: int | None
    injured: int | None
    equipment: tuple[EquipmentRef, ...]
    reported_by: tuple[SourceRef, ...]
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Mention:
    """A recognised stretch of text, kept with its canonical entity and the rule that found it."""

    kind: str
    text: str
    span: Span
    entity_id: str | None
    value: str | int | None
    rule: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one text: events (main event first) and all mentions."""

    events: tuple[Event, ...]
    mentions: tuple[Mention, ...]
