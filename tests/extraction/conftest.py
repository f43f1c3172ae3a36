"""Lexicons for the extraction tests: a small fixture one and the real one from seeds/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.extraction import Lexicon, build_lexicon
from app.extraction.lexicon import compile_lexicon, places_from_records
from app.reference.gazetteer import load_gazetteer
from app.reference.records import load_actors, load_equipment

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CACHE = REPO / "data" / "test-cache"


@dataclass(frozen=True)
class _Place:
    id: str
    name: str
    feature_type: str
    country_iso3: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int
    aliases: tuple[str, ...]


def fixture_lexicon() -> Lexicon:
    """A lexicon from the fixture actors/equipment/places and the project's cue files."""
    rows = json.loads((FIXTURES / "places.json").read_text(encoding="utf-8"))
    records = [_Place(*row[:8], tuple(row[8])) for row in rows]
    names = [(n, r) for r in records for n in (r.name, *r.aliases)]
    places, pairs = places_from_records(records, names)
    return compile_lexicon(
        load_actors(FIXTURES), load_equipment(FIXTURES), places, pairs, SEEDS, "fixture"
    )


@pytest.fixture(scope="session")
def small_lexicon() -> Lexicon:
    return fixture_lexicon()


@pytest.fixture(scope="session")
def real_lexicon() -> Lexicon:
    return build_lexicon(SEEDS, CACHE, load_gazetteer(CACHE, SEEDS))
