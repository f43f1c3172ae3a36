"""SQLModel tables; importing this package registers every table on the metadata."""

from app.models.events import (
    ActorRollup,
    Article,
    DeletedEvent,
    Event,
    EventActor,
    EventEquipment,
    EventRollup,
    EventSource,
    Mention,
)
from app.models.reference import (
    Actor,
    ActorAlias,
    EquipmentAlias,
    EquipmentModel,
    Place,
    PlaceAlias,
)

__all__ = [
    "Actor",
    "ActorAlias",
    "ActorRollup",
    "Article",
    "DeletedEvent",
    "EquipmentAlias",
    "EquipmentModel",
    "Event",
    "EventActor",
    "EventEquipment",
    "EventRollup",
    "EventSource",
    "Mention",
    "Place",
    "PlaceAlias",
]
