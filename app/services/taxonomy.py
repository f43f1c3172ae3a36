"""ACLED's event types and sub-event types (plus ours), read from `seeds/event_types.json`."""

from __future__ import annotations

import json
from functools import lru_cache

from app.errors import InvalidInput
from app.settings import get_settings


@lru_cache
def event_taxonomy() -> dict[str, tuple[str, ...]]:
    """Event type -> its sub-event types, in ACLED's rank order."""
    raw = json.loads((get_settings().seeds_dir / "event_types.json").read_text(encoding="utf-8"))
    return {event_type: tuple(subs) for event_type, subs in raw.items()}


def check_sub_event_type(event_type: str, sub_event_type: str | None, *, where: str) -> None:
    """A sub-event type must belong to its event type."""
    allowed = event_taxonomy().get(event_type, ())
    if sub_event_type is not None and sub_event_type not in allowed:
        raise InvalidInput(
            f"'{sub_event_type}' is not a sub-event type of '{event_type}'",
            errors=[
                {"loc": [where, "sub_event_type"], "msg": f"expected one of: {', '.join(allowed)}"}
            ],
        )
