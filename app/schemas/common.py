"""Field types shared by every schema."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

Role = Literal["initiator", "target", "supplier", "recipient", "associated"]
ActorKind = Literal[
    "state", "state_forces", "government", "rebel_group", "militia", "civilians", "protesters",
    "rioters", "person", "international_org", "media", "other",
]  # fmt: skip
Precision = Literal["point", "admin2", "admin1", "country"]
DatePrecision = Literal["day", "week", "month", "year"]
Status = Literal["reported", "confirmed", "disputed"]
EventType = Literal[
    "Battles", "Violence against civilians", "Explosions/Remote violence", "Riots", "Protests",
    "Strategic developments",
]  # fmt: skip


def _reject_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


CleanStr = Annotated[str, AfterValidator(_reject_nul)]
Span = Annotated[
    tuple[int, int],
    Field(description="[start, end) offsets in the text; text[start:end] is the surface form"),
]
Iso3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 country code")]
