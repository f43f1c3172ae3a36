"""Typed records read from the reference-data files in `seeds/`, validated line by line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACTOR_KINDS = frozenset(
    {
        "state",
        "state_forces",
        "government",
        "rebel_group",
        "militia",
        "civilians",
        "protesters",
        "rioters",
        "person",
        "international_org",
        "media",
        "other",
    }
)
ALIAS_TYPES = frozenset({"name", "abbreviation", "demonym", "metonym", "leader"})
EQUIPMENT_CATEGORIES = frozenset(
    {
        "towed artillery",
        "self-propelled artillery",
        "multiple rocket launcher",
        "mortar",
        "main battle tank",
        "infantry fighting vehicle",
        "armoured personnel carrier",
        "air defence system",
        "ballistic missile",
        "cruise missile",
        "anti-ship missile",
        "anti-tank weapon",
        "glide bomb",
        "loitering munition",
        "drone",
        "combat aircraft",
        "transport aircraft",
        "helicopter",
        "warship",
        "submarine",
        "small arms",
        "ammunition",
        "electronic warfare",
        "vehicle",
    }
)
_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


class ReferenceDataError(ValueError):
    """A seeds file is malformed; the message names `file:line`."""


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class ActorRecord:
    id: str
    name: str
    kind: str
    country_iso3: str | None
    parent: str | None
    aliases: tuple[Alias, ...]


@dataclass(frozen=True, slots=True)
class EquipmentRecord:
    id: str
    name: str
    category: str
    caliber_mm: float | None
    origin_iso3: str | None
    parent: str | None
    aliases: tuple[str, ...]


def read_json_lines(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (`file:line`, object) for each non-blank line, so errors can say where."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReferenceDataError(f"{where}: invalid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise ReferenceDataError(f"{where}: expected an object")
            yield where, obj


def _require(where: str, obj: dict[str, Any], key: str) -> Any:
    value = obj.get(key)
    if value in (None, ""):
        raise ReferenceDataError(f"{where}: missing '{key}'")
    return value


def _check_id(where: str, value: str, seen: set[str], parent: str | None) -> None:
    if not _ID.match(value):
        raise ReferenceDataError(f"{where}: bad id {value!r}")
    if value in seen:
        raise ReferenceDataError(f"{where}: duplicate id {value!r}")
    if parent is not None and parent not in seen:
        raise ReferenceDataError(f"{where}: parent {parent!r} is not defined above")
    seen.add(value)


def _expand_templates(
    records: list[ActorRecord], templates: dict[str, list[str]]
) -> list[ActorRecord]:
    """Give each state's child actors the phrasings built from the state's names and demonyms."""
    by_id = {record.id: record for record in records}
    expanded: list[ActorRecord] = []
    for record in records:
        suffix = record.id.rsplit("-", 1)[-1] if record.parent else ""
        state = by_id.get(record.parent or "")
        patterns = templates.get(suffix, []) if state and state.kind == "state" else []
        if not patterns or state is None:
            expanded.append(record)
            continue
        demonyms = [a.name for a in state.aliases if a.type == "demonym"]
        names = [state.name] + [a.name for a in state.aliases if a.type == "name"]
        extra: list[Alias] = []
        for pattern in patterns:
            fills = demonyms if "{demonym}" in pattern else names
            for fill in fills:
                extra.append(Alias(pattern.format(demonym=fill, name=fill), "name"))
        known = {a.name.casefold() for a in record.aliases}
        unique: list[Alias] = []
        for alias in extra:
            if alias.name.casefold() not in known:
                known.add(alias.name.casefold())
                unique.append(alias)
        expanded.append(
            ActorRecord(
                record.id,
                record.name,
                record.kind,
                record.country_iso3,
                record.parent,
                record.aliases + tuple(unique),
            )
        )
    return expanded


def load_actors(seeds_dir: Path) -> list[ActorRecord]:
    """Read `actors.jsonl` and expand `actor_templates.json` into aliases."""
    records: list[ActorRecord] = []
    seen: set[str] = set()
    for where, obj in read_json_lines(seeds_dir / "actors.jsonl"):
        kind = _require(where, obj, "kind")
        if kind not in ACTOR_KINDS:
            raise ReferenceDataError(f"{where}: unknown kind {kind!r}")
        aliases = []
        for alias in obj.get("aliases") or []:
            if (
                not isinstance(alias, dict)
                or alias.get("type") not in ALIAS_TYPES
                or not alias.get("name")
            ):
                raise ReferenceDataError(f"{where}: bad alias {alias!r}")
            aliases.append(Alias(alias["name"], alias["type"]))
        record = ActorRecord(
            id=_require(where, obj, "id"),
            name=_require(where, obj, "name"),
            kind=kind,
            country_iso3=obj.get("country_iso3"),
            parent=obj.get("parent"),
            aliases=tuple(aliases),
        )
        _check_id(where, record.id, seen, record.parent)
        records.append(record)
    templates_path = seeds_dir / "actor_templates.json"
    templates = (
        json.loads(templates_path.read_text(encoding="utf-8")) if templates_path.exists() else {}
    )
    return _expand_templates(records, templates)


def load_equipment(seeds_dir: Path) -> list[EquipmentRecord]:
    """Read `equipment.jsonl`."""
    records: list[EquipmentRecord] = []
    seen: set[str] = set()
    for where, obj in read_json_lines(seeds_dir / "equipment.jsonl"):
        category = _require(where, obj, "category")
        if category not in EQUIPMENT_CATEGORIES:
            raise ReferenceDataError(f"{where}: unknown category {category!r}")
        caliber = obj.get("caliber_mm")
        if caliber is not None and not isinstance(caliber, (int, float)):
            raise ReferenceDataError(f"{where}: caliber_mm must be a number")
        aliases = obj.get("aliases") or []
        if not all(isinstance(a, str) and a for a in aliases):
            raise ReferenceDataError(f"{where}: aliases must be non-empty strings")
        record = EquipmentRecord(
            id=_require(where, obj, "id"),
            name=_require(where, obj, "name"),
            category=category,
            caliber_mm=float(caliber) if caliber is not None else None,
            origin_iso3=obj.get("origin_iso3"),
            parent=obj.get("parent"),
            aliases=tuple(aliases),
        )
        _check_id(where, record.id, seen, record.parent)
        records.append(record)
    return records
