"""Find lexicon phrases in a text: entity hits (longest first, then earliest) and cue hits."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from app.extraction.lexicon import ACTOR, CUE, EQUIP, GENERIC, GROUP, PLACE, Lexicon
from app.extraction.textnorm import NormText

# On one span, a weapon name beats an actor, an actor a generic noun, and all beat a place.
_CATEGORY_ORDER = {EQUIP: 0, ACTOR: 1, GENERIC: 2, PLACE: 3}


@dataclass(frozen=True, slots=True)
class Hit:
    """One matched phrase: original span, token range, normalized key and its lexicon entries."""

    start: int
    end: int
    tok_start: int
    tok_end: int
    key: str
    entries: tuple[tuple[str, object, str], ...]

    def has(self, category: str) -> bool:
        """Whether any entry is of the category."""
        return any(entry[0] == category for entry in self.entries)

    def of(self, category: str) -> list[tuple[str, object, str]]:
        """Entries of one category."""
        return [entry for entry in self.entries if entry[0] == category]


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Entity hits (non-overlapping, in text order) and cue hits (all, in text order)."""

    entities: tuple[Hit, ...]
    cues: tuple[Hit, ...]


def _case_ok(text: str, start: int, end: int, flag: str) -> bool:
    """Case-sensitive aliases must appear with the same letters and case."""
    if not flag:
        return True
    surface = "".join(c for c in text[start:end] if c.isalnum())
    wanted = "".join(c for c in flag if c.isalnum())
    return surface == wanted or surface == wanted + "s"


def _place_ok(text: str, start: int, end: int) -> bool:
    """Place names count only when capitalised and not shouted in an all-caps line."""
    first = text[start]
    if not first.isupper() and not first.isdigit():
        return False
    surface = text[start:end]
    return not (len(surface) > 4 and surface.isupper() and " " not in surface)


def scan(text: str, norm: NormText, lexicon: Lexicon) -> ScanResult:
    """Run the automaton once over the normalized text and sort hits into entities and cues."""
    s = norm.norm
    size = len(s)
    tok_starts = norm.token_starts
    entity_candidates: list[Hit] = []
    cue_hits: list[Hit] = []
    for end_index, (length, values) in lexicon.automaton.iter(s):
        start_n = end_index - length + 1
        end_n = end_index + 1
        if (start_n and s[start_n - 1] != " ") or (end_n < size and s[end_n] != " "):
            continue
        start, end = norm.original_span(start_n, end_n)
        tok_start = bisect.bisect_left(tok_starts, start_n)
        tok_end = bisect.bisect_left(tok_starts, end_n)
        kept_entities = []
        kept_cues = []
        for entry in values:
            category = entry[0]
            if category in (CUE, GROUP):
                kept_cues.append(entry)
            elif category == PLACE:
                if _place_ok(text, start, end):
                    kept_entities.append(entry)
            elif category in (ACTOR, EQUIP):
                flag = entry[2].split("|", 1)[-1] if category == ACTOR else entry[2]
                if _case_ok(text, start, end, flag):
                    kept_entities.append(entry)
            else:
                kept_entities.append(entry)
        key = s[start_n:end_n]
        if kept_entities:
            kept_entities.sort(key=lambda e: _CATEGORY_ORDER[e[0]])
            entity_candidates.append(Hit(start, end, tok_start, tok_end, key, tuple(kept_entities)))
        if kept_cues:
            cue_hits.append(Hit(start, end, tok_start, tok_end, key, tuple(kept_cues)))
    entity_candidates.sort(
        key=lambda h: (
            -(h.tok_end - h.tok_start),
            -(h.end - h.start),
            h.start,
            _CATEGORY_ORDER[h.entries[0][0]],
        )
    )
    taken: list[tuple[int, int]] = []
    chosen: list[Hit] = []
    for hit in entity_candidates:
        if any(hit.tok_start < te and ts < hit.tok_end for ts, te in taken):
            continue
        taken.append((hit.tok_start, hit.tok_end))
        chosen.append(hit)
    chosen.sort(key=lambda h: h.start)
    cue_hits.sort(key=lambda h: (h.start, -h.end))
    return ScanResult(tuple(chosen), tuple(cue_hits))
