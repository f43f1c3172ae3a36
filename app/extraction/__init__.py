"""Rule-based extraction of ACLED-style events from news text (pure: no web, no database)."""

from app.extraction.extract import extract
from app.extraction.lexicon import Lexicon, build_lexicon
from app.extraction.types import (
    ActorRef,
    EquipmentRef,
    Event,
    Evidence,
    Extraction,
    LocationRef,
    Mention,
    SourceRef,
    Span,
)

__all__ = [
    "ActorRef",
    "EquipmentRef",
    "Event",
    "Evidence",
    "Extraction",
    "Lexicon",
    "LocationRef",
    "Mention",
    "SourceRef",
    "Span",
    "build_lexicon",
    "extract",
]
