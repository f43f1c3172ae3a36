"""Article and extraction shapes (CONTRACT.md: /extract and /articles)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import CleanStr, Span
from app.schemas.events import EventOut

_SEED_EXAMPLE = {
    "text": (
        "North Korea is supplying Russia with long-range artillery systems, the British daily "
        "Financial Times reported, citing data from Ukrainian intelligence. The Financial Times "
        "reported on Saturday that around 50 M1989 Koksan self-propelled howitzers with a caliber "
        "of 170 mm will be delivered to the Kursk Oblast."
    ),
    "published_at": "2024-11-16",
    "source": "Financial Times",
}


class ArticleIn(BaseModel):
    """A raw news text and what is known about it."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [_SEED_EXAMPLE]})

    text: Annotated[CleanStr, Field(min_length=1, max_length=500_000)] = Field(
        description="The article text, as published"
    )
    published_at: dt.date | None = Field(
        default=None, description="Publication date; anchors relative dates such as 'on Saturday'"
    )
    url: Annotated[CleanStr, Field(max_length=2048)] | None = Field(
        default=None, description="Where it was published"
    )
    title: Annotated[CleanStr, Field(max_length=1024)] | None = Field(
        default=None, description="Headline"
    )
    source: Annotated[CleanStr, Field(max_length=255)] | None = Field(
        default=None, description="Outlet that published the text"
    )


class MentionOut(BaseModel):
    """A stretch of text read as an entity, a number or a date."""

    text: str = Field(description="Surface form")
    span: Span
    rule: str | None = Field(default=None, description="The pattern or rule that matched")
    id: str | None = Field(default=None, description="Canonical entity id, when it is one")
    name: str | None = Field(default=None, description="Canonical name, when it is an entity")
    kind: str | None = Field(default=None, description="Actor kind (actor mentions)")
    country_iso3: str | None = Field(default=None, description="Country of the actor or place")
    category: str | None = Field(default=None, description="Equipment category")
    caliber_mm: float | None = Field(default=None, description="Equipment calibre")
    admin1: str | None = Field(default=None, description="First-level division (place mentions)")
    lat: float | None = Field(default=None, description="Latitude (place mentions)")
    lon: float | None = Field(default=None, description="Longitude (place mentions)")
    value: str | int | None = Field(
        default=None, description="Number or ISO date (quantities, dates)"
    )


class Mentions(BaseModel):
    """Every mention found, by kind."""

    actors: list[MentionOut] = Field(default_factory=list, description="Actor mentions")
    equipment: list[MentionOut] = Field(default_factory=list, description="Equipment mentions")
    locations: list[MentionOut] = Field(default_factory=list, description="Place mentions")
    quantities: list[MentionOut] = Field(default_factory=list, description="Numbers and amounts")
    dates: list[MentionOut] = Field(default_factory=list, description="Dates, resolved to ISO")


class ExtractionOut(BaseModel):
    """Coded events read from a text (main event first), and all mentions."""

    events: list[EventOut] = Field(description="Events ordered by where their evidence starts")
    mentions: Mentions = Field(description="Everything recognised in the text")


class ArticleOut(ExtractionOut):
    """A stored article with what was read from it."""

    id: int = Field(description="Article id")
    content_hash: str = Field(
        description="SHA-256 of the text; posting the same text again is a no-op"
    )
    url: str | None = Field(default=None, description="Where it was published")
    title: str | None = Field(default=None, description="Headline")
    source: str | None = Field(default=None, description="Outlet")
    published_at: dt.date | None = Field(default=None, description="Publication date")
    created_at: dt.datetime = Field(description="When it was stored (UTC)")
    text: str = Field(description="The article text")
