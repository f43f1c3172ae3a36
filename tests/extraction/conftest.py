"""Lexicons for the extraction tests: a small fixture one always, the real one when seeded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.extraction import Lexicon, build_lexicon
from app.extraction.lexicon import compile_lexicon, places_from_records
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


def real_seeds_ready() -> bool:
    """Whether the shared reference data (actors, equipment, gazetteer) is in place."""
    try:
        import app.reference.gazetteer  # noqa: F401
    except ImportError:
        return False
    return all((SEEDS / name).exists() for name in ("actors.jsonl", "equipment.jsonl"))


@pytest.fixture(scope="session")
def small_lexicon() -> Lexicon:
    return fixture_lexicon()


@pytest.fixture(scope="session")
def real_lexicon() -> Lexicon:
    if not real_seeds_ready():
        pytest.skip("real seeds or gazetteer not available yet")
    from app.reference.gazetteer import load_gazetteer

    try:
        load_gazetteer(CACHE, SEEDS)
    except Exception as exc:  # the gazetteer is another module's; report, do not fail here
        pytest.skip(f"gazetteer does not load: {exc}")
    return build_lexicon(SEEDS, CACHE)
