"""Resolve a free-text name to a canonical entity: exact alias first, then a fuzzy match."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from app.reference.gazetteer import Gazetteer, PlaceRecord, normalize_name
from app.reference.records import ActorRecord, EquipmentRecord

EntityType = Literal["actor", "equipment", "place"]
Method = Literal["id", "exact", "fuzzy", "unresolved"]

# Words that say a name means a first-level division rather than a town of the same name.
_REGION_WORDS = frozenset(
    {"region", "oblast", "province", "governorate", "state", "krai", "district", "county"}
)
# Larger places are fuzzy-matched; scanning every village would be slow and error-prone.
_FUZZY_PLACE_MIN_POPULATION = 50_000
# When one alias names several actors, the broader one is the safer reading.
_ACTOR_KIND_PRIORITY = {"state": 0, "state_forces": 1, "government": 2}


@dataclass(frozen=True, slots=True)
class Resolution:
    """How a name was read: the entity (if any), the alias it matched, and how sure we are."""

    query: str
    type: EntityType
    method: Method
    score: float
    id: str | None
    name: str
    matched: str | None

    @property
    def resolved(self) -> bool:
        return self.id is not None


class _AliasIndex:
    """Normalized alias -> entity ids, with a fuzzy fallback over the same keys."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.ids: dict[str, list[str]] = defaultdict(list)
        self.surface: dict[str, str] = {}
        for surface, entity_id in pairs:
            key = normalize_name(surface)
            if key and entity_id not in self.ids[key]:
                self.ids[key].append(entity_id)
                self.surface.setdefault(key, surface)
        self.keys = list(self.ids)
        self.fuzzy = lru_cache(maxsize=8192)(self._fuzzy)  # names recur across posts

    def exact(self, query: str) -> tuple[str, list[str]] | None:
        key = normalize_name(query)
        return (key, self.ids[key]) if key in self.ids else None

    def _fuzzy(self, query: str, threshold: float) -> tuple[str, float, list[str]] | None:
        found = process.extractOne(
            normalize_name(query), self.keys, scorer=fuzz.ratio, score_cutoff=threshold
        )
        if found is None:
            return None
        key, score, _ = found
        return key, float(score), self.ids[key]


class Resolver:
    """Reads names the way every write path needs them read."""

    def __init__(
        self,
        actors: list[ActorRecord],
        equipment: list[EquipmentRecord],
        gazetteer: Gazetteer,
        *,
        fuzzy_threshold: float,
    ) -> None:
        self.actors = {a.id: a for a in actors}
        self.equipment = {e.id: e for e in equipment}
        self.gazetteer = gazetteer
        self.threshold = fuzzy_threshold
        self._actor_index = _AliasIndex(
            (surface, a.id) for a in actors for surface in (a.name, *(x.name for x in a.aliases))
        )
        self._equipment_index = _AliasIndex(
            (surface, e.id) for e in equipment for surface in (e.name, *e.aliases)
        )
        self._grid: dict[tuple[int, int], list[PlaceRecord]] | None = None
        self._children: dict[str, list[str]] = defaultdict(list)
        for entity in (*actors, *equipment):
            if entity.parent:
                self._children[entity.parent].append(entity.id)
        self._place_index = _AliasIndex(
            (surface, record.id)
            for surface, record in gazetteer.names()
            if record.feature_type in ("country", "admin1")
            or record.population >= _FUZZY_PLACE_MIN_POPULATION
        )

    def actor(self, name: str, *, fuzzy: bool = True) -> Resolution:
        """Pyongyang -> North Korea; Putin's forces -> Military Forces of Russia."""
        if name in self.actors:
            return Resolution(name, "actor", "id", 100.0, name, self.actors[name].name, name)
        return self._resolve(
            name, "actor", self._actor_index, self._pick_actor, self._actor_name, fuzzy
        )

    def equipment_model(self, name: str, *, fuzzy: bool = True) -> Resolution:
        """M-1978/1989 Koksan -> M1989 Koksan."""
        if name in self.equipment:
            record = self.equipment[name]
            return Resolution(name, "equipment", "id", 100.0, name, record.name, name)
        return self._resolve(
            name,
            "equipment",
            self._equipment_index,
            lambda ids: ids[0],
            lambda entity_id: self.equipment[entity_id].name,
            fuzzy,
        )

    def place(
        self, name: str, *, country_iso3: str | None = None, fuzzy: bool = True
    ) -> Resolution:
        """Kursk region -> Kursk Oblast; a shared town name prefers the given country."""
        record = self.gazetteer.get(name)
        if record is not None:
            return Resolution(name, "place", "id", 100.0, record.id, record.name, name)
        candidates = self.gazetteer.lookup(name)
        if candidates:
            best = self._pick_place(name, candidates, country_iso3)
            return Resolution(name, "place", "exact", 100.0, best.id, best.name, best.name)
        found = self._place_index.fuzzy(name, self.threshold) if fuzzy else None
        if found is None:
            return Resolution(name, "place", "unresolved", 0.0, None, name, None)
        key, score, ids = found
        records = [r for r in (self.gazetteer.get(i) for i in ids) if r is not None]
        best = self._pick_place(name, records, country_iso3)
        return Resolution(
            name, "place", "fuzzy", score, best.id, best.name, self._place_index.surface[key]
        )

    def nearest_place(self, lat: float, lon: float) -> PlaceRecord | None:
        """The closest populated place within about one degree, to fill country and admin1."""
        if self._grid is None:
            self._grid = defaultdict(list)
            for record in self.gazetteer.records:
                if record.feature_type == "populated_place":
                    self._grid[(int(record.lat // 1), int(record.lon // 1))].append(record)
        cell_lat, cell_lon = int(lat // 1), int(lon // 1)
        nearby = [
            record
            for d_lat in (-1, 0, 1)
            for d_lon in (-1, 0, 1)
            for record in self._grid.get((cell_lat + d_lat, cell_lon + d_lon), ())
        ]
        scale = math.cos(math.radians(lat))
        return min(
            nearby,
            key=lambda r: (r.lat - lat) ** 2 + ((r.lon - lon) * scale) ** 2,
            default=None,
        )

    def place_record(self, resolution: Resolution) -> PlaceRecord | None:
        return self.gazetteer.get(resolution.id) if resolution.id else None

    def with_descendants(self, entity_id: str) -> set[str]:
        """An actor or system with everything under it (Russia's forces; an M109's variants)."""
        found: set[str] = set()
        stack = [entity_id]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(self._children[current])
        return found

    def _resolve(
        self,
        name: str,
        entity_type: EntityType,
        index: _AliasIndex,
        pick: Callable[[list[str]], str],
        display: Callable[[str], str],
        fuzzy: bool,
    ) -> Resolution:
        exact = index.exact(name)
        if exact is not None:
            key, ids = exact
            chosen = pick(ids)
            return Resolution(
                name, entity_type, "exact", 100.0, chosen, display(chosen), index.surface[key]
            )
        close = index.fuzzy(name, self.threshold) if fuzzy else None
        if close is not None:
            key, score, ids = close
            chosen = pick(ids)
            return Resolution(
                name, entity_type, "fuzzy", score, chosen, display(chosen), index.surface[key]
            )
        return Resolution(name, entity_type, "unresolved", 0.0, None, name, None)

    def _pick_actor(self, ids: list[str]) -> str:
        return min(ids, key=lambda i: _ACTOR_KIND_PRIORITY.get(self.actors[i].kind, 9))

    def _actor_name(self, actor_id: str) -> str:
        return self.actors[actor_id].name

    @staticmethod
    def _pick_place(name: str, records: list[PlaceRecord], country_iso3: str | None) -> PlaceRecord:
        wants_region = bool(_REGION_WORDS & set(normalize_name(name).split()))

        def rank(record: PlaceRecord) -> tuple[int, int, int]:
            in_country = country_iso3 is not None and record.country_iso3 == country_iso3
            is_region = record.feature_type == "admin1"
            return (-int(in_country), -int(is_region == wants_region), -record.population)

        return min(records, key=rank)
