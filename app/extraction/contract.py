"""Plain-dict view of an Extraction in the shape of the `POST /api/v1/extract` contract."""

from __future__ import annotations

from typing import Any

from app.extraction.types import (
    ActorRef,
    EquipmentRef,
    Event,
    Extraction,
    LocationRef,
    Mention,
    SourceRef,
)

MENTION_GROUPS = {
    "actor": "actors",
    "equipment": "equipment",
    "location": "locations",
    "quantity": "quantities",
    "date": "dates",
}


def actor_dict(actor: ActorRef) -> dict[str, Any]:
    """One actor as contract JSON."""
    return {
        "name": actor.name,
        "id": actor.id,
        "kind": actor.kind,
        "country_iso3": actor.country_iso3,
        "role": actor.role,
        "text": actor.text,
        "span": list(actor.span),
        "rule": actor.rule,
    }


def location_dict(location: LocationRef | None) -> dict[str, Any] | None:
    """The event location as contract JSON."""
    if location is None:
        return None
    return {
        "name": location.name,
        "id": location.id,
        "admin1": location.admin1,
        "country_iso3": location.country_iso3,
        "lat": location.lat,
        "lon": location.lon,
        "precision": location.precision,
        "text": location.text,
        "span": list(location.span),
        "rule": location.rule,
    }


def equipment_dict(item: EquipmentRef) -> dict[str, Any]:
    """One equipment item as contract JSON."""
    return {
        "name": item.name,
        "id": item.id,
        "category": item.category,
        "caliber_mm": item.caliber_mm,
        "quantity": item.quantity,
        "text": item.text,
        "span": list(item.span),
        "rule": item.rule,
    }


def source_dict(source: SourceRef) -> dict[str, Any]:
    """One attribution as contract JSON, with whom it cites."""
    return {
        "name": source.name,
        "id": source.id,
        "text": source.text,
        "span": list(source.span),
        "citing": [source_dict(c) for c in source.citing],
    }


def event_dict(event: Event) -> dict[str, Any]:
    """One event as contract JSON."""
    return {
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "date_precision": event.date_precision,
        "actors": [actor_dict(a) for a in event.actors],
        "location": location_dict(event.location),
        "fatalities": event.fatalities,
        "injured": event.injured,
        "equipment": [equipment_dict(q) for q in event.equipment],
        "reported_by": [source_dict(s) for s in event.reported_by],
        "evidence": {"text": event.evidence.text, "span": list(event.evidence.span)},
    }


def mention_dict(mention: Mention) -> dict[str, Any]:
    """One mention as contract JSON."""
    return {
        "text": mention.text,
        "span": list(mention.span),
        "entity_id": mention.entity_id,
        "value": mention.value,
        "rule": mention.rule,
    }


def extraction_dict(extraction: Extraction) -> dict[str, Any]:
    """The whole response body of `POST /api/v1/extract`."""
    mentions: dict[str, list[dict[str, Any]]] = {group: [] for group in MENTION_GROUPS.values()}
    for mention in extraction.mentions:
        mentions[MENTION_GROUPS[mention.kind]].append(mention_dict(mention))
    return {"events": [event_dict(e) for e in extraction.events], "mentions": mentions}
