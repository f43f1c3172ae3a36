"""The reference data held in memory: loaded once per process, shared by every request."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.extraction import Lexicon, build_lexicon
from app.normalize.resolver import Resolver
from app.reference.gazetteer import Gazetteer, load_gazetteer
from app.reference.records import ActorRecord, EquipmentRecord, load_actors, load_equipment
from app.settings import Settings


@dataclass(frozen=True)
class Catalog:
    """Everything a request needs to read names and text, built from `seeds/`."""

    actors: list[ActorRecord]
    equipment: list[EquipmentRecord]
    gazetteer: Gazetteer
    resolver: Resolver
    lexicon: Lexicon


@lru_cache(maxsize=4)
def _load(seeds_dir: Path, cache_dir: Path, fuzzy_threshold: float) -> Catalog:
    actors = load_actors(seeds_dir)
    equipment = load_equipment(seeds_dir)
    gazetteer = load_gazetteer(cache_dir, seeds_dir)
    resolver = Resolver(actors, equipment, gazetteer, fuzzy_threshold=fuzzy_threshold)
    lexicon = build_lexicon(seeds_dir, cache_dir, gazetteer)
    catalog = Catalog(actors, equipment, gazetteer, resolver, lexicon)
    # Millions of long-lived objects: left to the collector, every full collection walks them
    # all (pauses of 100-200 ms in the middle of requests). Frozen, they are never scanned.
    gc.collect()
    gc.freeze()
    return catalog


def get_catalog(settings: Settings) -> Catalog:
    """Load (once) the catalog for these settings."""
    return _load(
        settings.seeds_dir.resolve(), settings.cache_dir.resolve(), settings.fuzzy_threshold
    )
