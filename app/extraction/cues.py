"""Event-pattern and cue-group data from `seeds/`, validated and expanded into matchable phrases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.extraction.textnorm import normalize_key
from app.reference.records import ReferenceDataError, read_json_lines

_VOWELS = set("aeiou")
_DOUBLING_FINALS = set("bdglmnprt")


class CueDataError(ReferenceDataError):
    """A cue file is malformed; the message names `file:line`."""


@dataclass(frozen=True, slots=True)
class EventPattern:
    """One cue set for an ACLED (sub-)type, with the clause features it needs or forbids."""

    id: str
    event_type: str | None
    sub_event_type: str | None
    rank: int
    phrases: frozenset[str]
    requires_any: tuple[str, ...]
    requires_all: tuple[str, ...]
    excludes_any: tuple[str, ...]
    label: bool
    object_any: tuple[str, ...] = ()


def inflect_verb(lemma: str) -> set[str]:
    """Regular verb forms of a (possibly multi-word) lemma: the first word is inflected."""
    head, _, tail = lemma.partition(" ")
    rest = f" {tail}" if tail else ""
    forms = {head}
    if head.endswith("e"):
        forms |= {head + "s", head + "d", head[:-1] + "ing"}
    elif head.endswith("y") and len(head) > 1 and head[-2] not in _VOWELS:
        forms |= {head[:-1] + "ies", head[:-1] + "ied", head + "ing"}
    elif head.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {head + "es", head + "ed", head + "ing"}
    else:
        forms |= {head + "s", head + "ed", head + "ing"}
        if (
            len(head) >= 3
            and head[-1] in _DOUBLING_FINALS
            and head[-2] in _VOWELS
            and head[-3] not in _VOWELS
        ):
            forms |= {head + head[-1] + "ed", head + head[-1] + "ing"}
    return {form + rest for form in forms}


def pluralize(noun: str) -> set[str]:
    """Singular and regular plural of a noun phrase (the last word takes the plural)."""
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return {noun, noun + "es"}
    if noun.endswith("y") and len(noun) > 1 and noun[-2] not in _VOWELS:
        return {noun, noun[:-1] + "ies"}
    if noun.endswith("man"):
        return {noun, noun[:-3] + "men"}
    return {noun, noun + "s"}


def expand_cues(obj: dict[str, Any]) -> frozenset[str]:
    """All normalized phrases of a cue object's verbs, nouns, forms and phrases."""
    out: set[str] = set()
    for lemma in obj.get("verbs") or ():
        out |= inflect_verb(lemma)
    for noun in obj.get("nouns") or ():
        out |= pluralize(noun)
    out |= set(obj.get("forms") or ())
    out |= set(obj.get("phrases") or ())
    return frozenset(key for key in (normalize_key(p) for p in out) if key)


def load_patterns(path: Path) -> list[EventPattern]:
    """Read `event_patterns.jsonl`; lines with `_header` document the format."""
    patterns: list[EventPattern] = []
    seen: set[str] = set()
    for where, obj in read_json_lines(path):
        if "_header" in obj:
            continue
        pid = obj.get("id")
        if not pid or pid in seen:
            raise CueDataError(f"{where}: missing or duplicate id {pid!r}")
        seen.add(pid)
        if bool(obj.get("event_type")) != bool(obj.get("sub_event_type")):
            raise CueDataError(f"{where}: event_type and sub_event_type go together")
        phrases = expand_cues(obj)
        if not phrases:
            raise CueDataError(f"{where}: no cues")
        patterns.append(
            EventPattern(
                id=pid,
                event_type=obj.get("event_type"),
                sub_event_type=obj.get("sub_event_type"),
                rank=int(obj.get("rank", 0)),
                phrases=phrases,
                requires_any=tuple(obj.get("requires_any") or ()),
                requires_all=tuple(obj.get("requires_all") or ()),
                excludes_any=tuple(obj.get("excludes_any") or ()),
                label=bool(obj.get("label")),
                object_any=tuple(obj.get("object_any") or ()),
            )
        )
    return patterns


def load_json(path: Path) -> dict[str, Any]:
    """Read one JSON cue file, naming the file on error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CueDataError(f"{path.name}:{exc.lineno}: invalid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise CueDataError(f"{path.name}:1: expected an object")
    return data
