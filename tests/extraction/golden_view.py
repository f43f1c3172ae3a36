"""The stable summary of an extraction that golden files pin down."""

from __future__ import annotations

from typing import Any

from app.extraction import Extraction


def summary(extraction: Extraction) -> dict[str, Any]:
    """Events reduced to the coded fields (no rule names or mention lists)."""
    events = []
    for event in extraction.events:
        location = event.location
        events.append(
            {
                "event_type": event.event_type,
                "sub_event_type": event.sub_event_type,
                "event_date": event.event_date.isoformat() if event.event_date else None,
                "date_precision": event.date_precision,
                "actors": [[a.name, a.kind, a.country_iso3, a.role, a.text] for a in event.actors],
                "location": (
                    [location.name, location.country_iso3, location.precision, location.text]
                    if location
                    else None
                ),
                "fatalities": event.fatalities,
                "injured": event.injured,
                "equipment": [[q.name, q.quantity, q.caliber_mm] for q in event.equipment],
                "reported_by": [[s.name, [c.name for c in s.citing]] for s in event.reported_by],
                "evidence_start": event.evidence.span[0],
            }
        )
    return {"events": events}
