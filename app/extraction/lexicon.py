"""The compiled matchers: one Aho-Corasick automaton over actors, equipment, places and cues."""

from __future__ import annotations

import hashlib
import logging
import math
import os
import pickle
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

from app.extraction.cues import EventPattern, expand_cues, load_json, load_patterns
from app.extraction.textnorm import normalize_key
from app.reference.gazetteer import Gazetteer, version_key
from app.reference.records import ActorRecord, EquipmentRecord, load_actors, load_equipment

log = logging.getLogger(__name__)

# Bump when the compiled layout changes so stale caches are ignored.
LEXICON_FORMAT = 10

# Word lists of `words` that are also compiled into the automaton, so one pass finds them.
PHRASE_SETS = (
    "kill_forms",
    "kill_before",
    "injure_forms",
    "injure_before",
    "zero_fatalities",
    "zero_injured",
    "background_deaths",
    "approximators",
    "citing",
    "before_source",
    "after_source",
)

# Entry categories stored in the automaton.
ACTOR, EQUIP, PLACE, GENERIC, CUE, GROUP = "A", "E", "P", "G", "C", "Q"
# On one span, a weapon name beats an actor, an actor a generic noun, and all beat a place.
ENTITY_ORDER = {EQUIP: 0, ACTOR: 1, GENERIC: 2, PLACE: 3}


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """An actor as the extractor needs it."""

    id: str
    name: str
    kind: str
    country_iso3: str | None
    parent: str | None


@dataclass(frozen=True, slots=True)
class EquipmentEntry:
    """A weapon system as the extractor needs it."""

    id: str
    name: str
    category: str
    caliber_mm: float | None
    origin_iso3: str | None


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """A gazetteer place as the extractor needs it."""

    id: str
    name: str
    feature_type: str
    country_iso3: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int


_FEATURES = ("country", "admin1", "admin2", "populated_place", "other")


class PlaceTable:
    """Places stored by column: unpickles in a fraction of the time 240k objects would take."""

    def __init__(self, places: list[PlaceEntry]) -> None:
        """Columns from entries; repeated strings are shared so the pickle stays small."""
        shared: dict[str, str] = {}

        def share(value: str | None) -> str | None:
            return None if value is None else shared.setdefault(value, value)

        self.ids = [p.id for p in places]
        self.names = [p.name for p in places]
        self.types = bytes(
            _FEATURES.index(p.feature_type) if p.feature_type in _FEATURES else 4 for p in places
        )
        self.countries = [share(p.country_iso3) for p in places]
        self.admin1 = [share(p.admin1) for p in places]
        self.lat = array("d", (p.lat if p.lat is not None else math.nan for p in places))
        self.lon = array("d", (p.lon if p.lon is not None else math.nan for p in places))
        self.population = array("q", (p.population for p in places))

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int) -> PlaceEntry:
        lat, lon = self.lat[index], self.lon[index]
        return PlaceEntry(
            self.ids[index],
            self.names[index],
            _FEATURES[self.types[index]],
            self.countries[index],
            self.admin1[index],
            None if math.isnan(lat) else lat,
            None if math.isnan(lon) else lon,
            self.population[index],
        )

    def feature_type(self, index: int) -> str:
        """Feature type without building the entry."""
        return _FEATURES[self.types[index]]


@dataclass(frozen=True, slots=True)
class GenericActor:
    """A class of actor named by a common noun that takes the event's country."""

    name: str
    kind: str
    suffix: str | None
    label: str | None


@dataclass(frozen=True, slots=True)
class NumberWords:
    """Number, month, weekday and relative-date words from `number_words.json`."""

    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    vague: dict[str, int]
    approximators: tuple[str, ...]
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    relative_periods: dict[str, tuple[str, int]]
    identifier_before: frozenset[str] = frozenset()
    identifier_after: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Immutable compiled lexicon; safe to share between threads (read-only)."""

    automaton: Any
    # Per key: (characters, tokens, cue entries, entity entries); see compile_lexicon.
    values: tuple[tuple[int, int, tuple, tuple], ...]
    actors: tuple[ActorEntry, ...]
    equipment: tuple[EquipmentEntry, ...]
    places: PlaceTable
    place_groups: tuple[tuple[int, ...], ...]
    patterns: tuple[EventPattern, ...]
    generics: dict[str, GenericActor]
    actor_by_id: dict[str, int]
    country_place: dict[str, int]
    admin1_by_key: dict[str, tuple[tuple[str, str], ...]]
    admin1_place: dict[tuple[str, str], int]
    words: dict[str, frozenset[str]]
    numbers: NumberWords
    abbreviations: frozenset[str]
    version: str
    # Cue entries of suppressor patterns (no sub-event type) and of note-label patterns, exactly
    # as stored in the automaton, so each hit is tested with one set operation.
    suppressor_cues: frozenset[tuple[str, int, str]]
    label_cues: frozenset[tuple[str, int, str]]
    # Cue groups some pattern wants as its object, the only ones a scope needs to index.
    object_groups: frozenset[str]
    # Feature string (`cue:<group>`) of every cue group, formatted once rather than per scope.
    group_features: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    def state_child(self, iso3: str | None, suffix: str) -> ActorEntry | None:
        """The `ISO3-SUFFIX` actor (forces, police, government) of a state, if seeded."""
        if not iso3:
            return None
        index = self.actor_by_id.get(f"{iso3}-{suffix}")
        return self.actors[index] if index is not None else None

    def state(self, iso3: str | None) -> ActorEntry | None:
        """The state actor for an ISO3 code, if seeded."""
        index = self.actor_by_id.get(iso3 or "")
        return self.actors[index] if index is not None else None


def _file_digest(paths: Iterable[Path], extra: str) -> str:
    """Hash of the contents (small files) or size+mtime (large files) of the inputs."""
    digest = hashlib.sha1(f"{LEXICON_FORMAT}|{extra}".encode())
    for path in sorted(paths):
        if not path.exists():
            digest.update(f"{path.name}:missing".encode())
            continue
        stat = path.stat()
        if stat.st_size < 8_000_000:
            digest.update(path.name.encode() + path.read_bytes())
        else:
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def places_from_records(
    records: Iterable[Any], names: Iterable[tuple[str, Any]]
) -> tuple[list[PlaceEntry], list[tuple[str, int]]]:
    """Convert gazetteer records (anything with PlaceRecord's fields) to entries and names."""
    places: list[PlaceEntry] = []
    index_of: dict[str, int] = {}
    for rec in records:
        index_of[rec.id] = len(places)
        places.append(
            PlaceEntry(
                rec.id,
                rec.name,
                rec.feature_type,
                rec.country_iso3,
                rec.admin1,
                rec.lat,
                rec.lon,
                int(rec.population or 0),
            )
        )
    pairs = [(name, index_of[rec.id]) for name, rec in names if rec.id in index_of]
    return places, pairs


def _alias_needs_case(alias: str) -> bool:
    """Short upper-case abbreviations (`FT`, `IS`) only match with the same case."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(letters) <= 5 and all(c.isupper() for c in letters)


def compile_lexicon(
    actors: list[ActorRecord],
    equipment: list[EquipmentRecord],
    places: list[PlaceEntry],
    place_names: list[tuple[str, int]],
    seeds_dir: Path,
    version: str,
) -> Lexicon:
    """Build the automaton and lookup tables from loaded reference data and cue files."""
    patterns = load_patterns(seeds_dir / "event_patterns.jsonl")
    cues = load_json(seeds_dir / "extraction_cues.json")
    numbers_raw = load_json(seeds_dir / "number_words.json")
    entries: dict[str, list[tuple[str, Any, str]]] = defaultdict(list)

    actor_entries = [ActorEntry(a.id, a.name, a.kind, a.country_iso3, a.parent) for a in actors]
    actor_by_id = {a.id: i for i, a in enumerate(actor_entries)}
    for index, record in enumerate(actors):
        names = [(record.name, "name")] + [(a.name, a.type) for a in record.aliases]
        for surface, alias_type in names:
            key = normalize_key(surface)
            if not key:
                continue
            flag = surface if _alias_needs_case(surface) else ""
            entries[key].append((ACTOR, index, f"{alias_type}|{flag}"))
            if alias_type == "demonym" and not key.endswith("s"):
                entries[key + "s"].append((ACTOR, index, f"demonym-plural|{flag}"))

    equipment_entries = [
        EquipmentEntry(e.id, e.name, e.category, e.caliber_mm, e.origin_iso3) for e in equipment
    ]
    for index, record in enumerate(equipment):
        for surface in (record.name, *record.aliases):
            key = normalize_key(surface)
            if not key:
                continue
            flag = surface if _alias_needs_case(surface) else ""
            entries[key].append((EQUIP, index, flag))
            if key[-1].isalpha() and not key.endswith("s"):
                entries[key + "s"].append((EQUIP, index, flag))

    common = frozenset(normalize_key(w) for w in cues.get("common_words", []))
    by_place_key: dict[str, set[int]] = defaultdict(set)
    seen_surface: dict[str, str] = {}
    for surface, index in place_names:
        key = seen_surface.get(surface)
        if key is None:
            key = seen_surface[surface] = normalize_key(surface)
        if len(key) < 3 or len(key) > 1000 or key.isdigit():
            continue
        commonplace = key in common or (" " in key and all(t in common for t in key.split()))
        if commonplace and places[index].feature_type not in ("country", "admin1"):
            continue
        by_place_key[key].add(index)
    place_groups: list[tuple[int, ...]] = []
    rank: dict[int, tuple[int, int, str]] = {}

    def order_of(i: int) -> tuple[int, int, str]:
        found = rank.get(i)
        if found is None:
            place = places[i]
            found = rank[i] = (_feature_rank(place.feature_type), -place.population, place.id)
        return found

    for key, indices in by_place_key.items():
        ordered = tuple(indices) if len(indices) == 1 else tuple(sorted(indices, key=order_of))
        entries[key].append((PLACE, len(place_groups), ""))
        place_groups.append(ordered)

    generics: dict[str, GenericActor] = {}
    for name, spec in cues.get("generic_actors", {}).items():
        generics[name] = GenericActor(name, spec["kind"], spec.get("suffix"), spec.get("label"))
        for key in expand_cues(spec):
            entries[key].append((GENERIC, name, ""))

    for index, pattern in enumerate(patterns):
        for key in pattern.phrases:
            entries[key].append((CUE, index, ""))
    for name, spec in cues.get("groups", {}).items():
        for key in expand_cues(spec):
            entries[key].append((GROUP, name, ""))

    country_place: dict[str, int] = {}
    admin1_place: dict[tuple[str, str], int] = {}
    admin1_keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for index, place in enumerate(places):
        if place.feature_type == "country" and place.country_iso3:
            country_place.setdefault(place.country_iso3, index)
        elif place.feature_type == "admin1" and place.country_iso3:
            admin1_place.setdefault((place.country_iso3, normalize_key(place.name)), index)
    for surface, index in place_names:
        place = places[index]
        if place.feature_type == "admin1" and place.country_iso3:
            admin1_keys[normalize_key(surface)].add((place.country_iso3, place.name))

    def word_set(values: Iterable[str]) -> frozenset[str]:
        return frozenset(k for k in (normalize_key(v) for v in values) if k)

    casualties = cues.get("casualties", {})
    attribution = cues.get("attribution", {})
    place_context = cues.get("place_context", {})
    metonym = cues.get("metonym_actor_context", {})
    roles = cues.get("roles", {})
    words = {
        "common": common,
        "force_nouns": word_set(cues.get("force_nouns", [])),
        "police_nouns": word_set(cues.get("police_nouns", [])),
        "government_nouns": word_set(cues.get("government_nouns", [])),
        "protester_roles": expand_cues(cues.get("protester_roles", {})),
        "kill_forms": word_set(casualties.get("kill_forms", [])),
        "kill_before": word_set(casualties.get("kill_verbs_before_number", [])),
        "injure_forms": word_set(casualties.get("injure_forms", [])),
        "injure_before": word_set(casualties.get("injure_verbs_before_number", [])),
        "zero_fatalities": word_set(casualties.get("zero_fatalities", [])),
        "zero_injured": word_set(casualties.get("zero_injured", [])),
        "not_fatal_context": word_set(casualties.get("not_fatal_context", [])),
        "victims": word_set(casualties.get("victim_nouns_singular", [])),
        "non_human": word_set(casualties.get("non_human_nouns", [])),
        "background_deaths": word_set(casualties.get("background_deaths", [])),
        "after_source": word_set(attribution.get("after_source", [])),
        "before_source": word_set(attribution.get("before_source", [])),
        "citing": word_set(attribution.get("citing", [])),
        "source_nouns": word_set(attribution.get("source_nouns", [])),
        "region_words": word_set(place_context.get("region_words", [])),
        "admin2_words": word_set(place_context.get("admin2_words", [])),
        "near_words": word_set(place_context.get("near_words", [])),
        "place_nouns": word_set(place_context.get("place_nouns", [])),
        "facility_words": word_set(place_context.get("facility_words", [])),
        "coded_as": word_set(place_context.get("coded_as", [])),
        "place_lead": expand_cues(cues.get("groups", {}).get("locative", {}))
        | word_set(place_context.get("coded_as", [])),
        "metonym_after": word_set(metonym.get("after", [])),
        "metonym_troops": word_set(metonym.get("troop_before_from", [])),
        "place_before": word_set(metonym.get("place_before", [])),
        "demonym_not_actor": word_set(cues.get("demonym_not_actor_before", [])),
        "locative": expand_cues(cues.get("groups", {}).get("locative", {})),
        "recipient_verbs": word_set(roles.get("recipient_subject_verbs", [])),
        "passive_aux": word_set(roles.get("passive_aux", [])),
        "agent_markers": word_set(roles.get("agent_markers", [])),
        "source_markers": word_set(roles.get("source_markers", [])),
        "destination_markers": word_set(roles.get("destination_markers", [])),
    }
    numbers = NumberWords(
        units={normalize_key(k): v for k, v in numbers_raw["units"].items()},
        tens={normalize_key(k): v for k, v in numbers_raw["tens"].items()},
        scales={normalize_key(k): v for k, v in numbers_raw["scales"].items()},
        vague={normalize_key(k): v for k, v in numbers_raw["vague"].items()},
        approximators=tuple(normalize_key(k) for k in numbers_raw["approximators"]),
        months={normalize_key(k): v for k, v in numbers_raw["months"].items()},
        weekdays={normalize_key(k): v for k, v in numbers_raw["weekdays"].items()},
        relative_days={normalize_key(k): v for k, v in numbers_raw["relative_days"].items()},
        relative_periods={
            normalize_key(k): (v[0], int(v[1])) for k, v in numbers_raw["relative_periods"].items()
        },
        identifier_before=frozenset(
            normalize_key(k) for k in numbers_raw.get("identifier_before", [])
        ),
        identifier_after=frozenset(
            normalize_key(k) for k in numbers_raw.get("identifier_after", [])
        ),
    )
    words["approximators"] = frozenset(numbers.approximators)
    for name in PHRASE_SETS:
        for key in words[name]:
            entries[key].append((GROUP, f"@{name}", ""))

    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    value_table: list[tuple[int, int, tuple, tuple]] = []
    for key, values in entries.items():
        # Split once here so the per-text scan does no sorting of entry kinds.
        cue_entries = tuple(v for v in values if v[0] in (CUE, GROUP))
        # Entities in ENTITY_ORDER (stable), so a scan that drops some keeps the rest in order.
        entity_entries = tuple(
            sorted((v for v in values if v[0] not in (CUE, GROUP)), key=_entity_rank)
        )
        if not cue_entries and len(entity_entries) == 1 and entity_entries[0][0] == PLACE:
            # Most keys are place names only: encode group and length in one negative int (the
            # automaton stores 32 bits, so there is no room for the token count too).
            code = -((int(entity_entries[0][1]) << 10 | len(key)) + 1)
        else:
            code = len(value_table)
            # The token count lets a scan find the first token of a match from its last one.
            value_table.append((len(key), key.count(" ") + 1, cue_entries, entity_entries))
        # Keys are stored between spaces and texts scanned padded with spaces, so only whole-token
        # matches are ever reported (no work on the many matches inside words).
        automaton.add_word(f" {key} ", code)
    automaton.make_automaton()

    group_heads = {
        normalize_key(k): v for k, v in cues.get("named_group_heads", {}).get("heads", {}).items()
    }
    return Lexicon(
        automaton=automaton,
        actors=tuple(actor_entries),
        equipment=tuple(equipment_entries),
        places=PlaceTable(places),
        values=tuple(value_table),
        place_groups=tuple(place_groups),
        patterns=tuple(patterns),
        generics=generics,
        actor_by_id=actor_by_id,
        country_place=country_place,
        admin1_by_key={k: tuple(sorted(v)) for k, v in admin1_keys.items()},
        admin1_place=admin1_place,
        words=words,
        numbers=numbers,
        abbreviations=frozenset(a.casefold() for a in cues.get("sentence_abbreviations", [])),
        version=version,
        suppressor_cues=frozenset(
            (CUE, i, "") for i, p in enumerate(patterns) if p.sub_event_type is None
        ),
        label_cues=frozenset((CUE, i, "") for i, p in enumerate(patterns) if p.label),
        object_groups=frozenset(g for p in patterns for g in p.object_any),
        group_features={
            name: f"cue:{name}"
            for name in (*cues.get("groups", {}), *(f"@{n}" for n in PHRASE_SETS))
        },
        extra={
            "named_group_heads": group_heads,
            "named_group_last_words": frozenset(k.split()[-1] for k in group_heads),
            "default_event": (
                cues.get("default_event", {}).get("event_type", "Strategic developments"),
                cues.get("default_event", {}).get("sub_event_type", "Other"),
            ),
        },
    )


def _entity_rank(entry: tuple[str, Any, str]) -> int:
    return ENTITY_ORDER[entry[0]]


def _feature_rank(feature_type: str) -> int:
    """Countries and first-level divisions outrank towns of the same name."""
    return {"country": 0, "admin1": 1}.get(feature_type, 2)


def build_lexicon(seeds_dir: Path, cache_dir: Path, gazetteer: Gazetteer) -> Lexicon:
    """Load seeds and gazetteer into a Lexicon, reusing a pickled build keyed by input hashes."""
    seeds_dir, cache_dir = Path(seeds_dir), Path(cache_dir)
    code = Path(__file__).resolve().parent
    inputs = [
        seeds_dir / name
        for name in (
            "actors.jsonl",
            "actor_templates.json",
            "equipment.jsonl",
            "event_patterns.jsonl",
            "extraction_cues.json",
            "number_words.json",
        )
    ]
    inputs += [code / "lexicon.py", code / "cues.py", code / "textnorm.py"]
    version = _file_digest(inputs, version_key(seeds_dir))
    cached = cache_dir / "extraction" / f"lexicon-{version}.pkl"
    if cached.exists():
        try:
            with cached.open("rb") as handle:
                lexicon = pickle.load(handle)
            if isinstance(lexicon, Lexicon):
                return lexicon
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            log.warning("ignoring unreadable lexicon cache %s", cached)
    actors = load_actors(seeds_dir) if (seeds_dir / "actors.jsonl").exists() else []
    equipment = load_equipment(seeds_dir) if (seeds_dir / "equipment.jsonl").exists() else []
    places, place_names = places_from_records(gazetteer.records, gazetteer.names())
    lexicon = compile_lexicon(actors, equipment, places, place_names, seeds_dir, version)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(prefix=cached.name, suffix=".tmp", dir=cached.parent)
        with os.fdopen(handle, "wb") as out:
            pickle.dump(lexicon, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp_name, cached)
        # Other processes may be reading older builds: removing them is best effort.
        for stale in cached.parent.glob("lexicon-*.pkl"):
            if stale != cached:
                stale.unlink(missing_ok=True)
    except OSError:
        log.warning("could not write lexicon cache %s", cached)
    return lexicon
