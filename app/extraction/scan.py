"""Find lexicon phrases in a text: entity hits (longest first, then earliest) and cue hits."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from app.extraction.lexicon import ACTOR, ENTITY_ORDER, EQUIP, PLACE, Lexicon
from app.extraction.textnorm import NormText


class Hit(NamedTuple):
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


# Builds a Hit from one tuple in C, skipping the Python-level `__new__` of the named tuple.
_new_hit = partial(tuple.__new__, Hit)


def scan(text: str, norm: NormText, lexicon: Lexicon) -> ScanResult:
    """Run the automaton once over the normalized text and sort hits into entities and cues."""
    s = norm.norm
    text_size = len(text)
    orig_starts, orig_ends = norm.orig_starts, norm.orig_ends
    count = len(norm.token_starts)
    token_starts = norm.token_starts
    token_at_end = dict(zip(norm.token_ends, range(1, count + 1), strict=True))
    entity_candidates: list[tuple[int, int, int, int, Hit]] = []
    cue_hits: list[Hit] = []
    table = lexicon.values
    new_hit = _new_hit
    for padded_end, code in lexicon.automaton.iter(f" {s} "):
        end_n = padded_end - 1
        tok_end = token_at_end[end_n]
        if code >= 0:
            length, width, cue_entries, entity_entries = table[code]
            start_n = end_n - length
            tok_start = tok_end - width
        else:
            packed = -code - 1
            length = packed & 1023
            cue_entries = ()
            entity_entries = ((PLACE, packed >> 10, ""),)
            start_n = end_n - length
            # Place-only keys carry no token count: the match starts on a token start.
            tok_start = bisect_left(token_starts, start_n, 0, tok_end)
        start = orig_starts[tok_start]
        end = orig_ends[tok_end - 1]
        # Whole words only in the original too: `Archer` is not a place in `@Archer83Able`.
        if start and (text[start - 1].isalnum() or text[start - 1] == "@"):
            continue
        if end < text_size and text[end].isalnum() and text[end] != "s":
            continue
        key = s[start_n:end_n]
        if cue_entries:
            cue_hits.append(new_hit((start, end, tok_start, tok_end, key, cue_entries)))
        if not entity_entries:
            continue
        kept = []
        place_ok = None
        for entry in entity_entries:
            category = entry[0]
            if category == PLACE:
                if place_ok is None:
                    place_ok = _place_ok(text, start, end)
                if place_ok:
                    kept.append(entry)
            elif category == ACTOR:
                flag = entry[2].split("|", 1)[-1]
                if not flag or _case_ok(text, start, end, flag):
                    kept.append(entry)
            elif category == EQUIP:
                if not entry[2] or _case_ok(text, start, end, entry[2]):
                    kept.append(entry)
            else:
                kept.append(entry)
        # The lexicon stores entity entries in ENTITY_ORDER already: `kept` needs no sort.
        if kept:
            # Longest in tokens, then in characters, then earliest: the key is built here, where
            # its parts are at hand, rather than by a key function per hit.
            entity_candidates.append(
                (
                    tok_start - tok_end,
                    start - end,
                    start,
                    ENTITY_ORDER[kept[0][0]],
                    new_hit((start, end, tok_start, tok_end, key, tuple(kept))),
                )
            )
    entity_candidates.sort()
    occupied = bytearray(count + 1)
    chosen: list[Hit] = []
    for hit in map(_HIT, entity_candidates):
        a, b = hit.tok_start, hit.tok_end
        if occupied.find(1, a, b) >= 0:
            continue
        occupied[a:b] = b"\x01" * (b - a)
        chosen.append(hit)
    chosen.sort(key=_START)
    # By start, longest first: two stable sorts on C-level keys (no span repeats in cues).
    cue_hits.sort(key=_END, reverse=True)
    cue_hits.sort(key=_START)
    return ScanResult(tuple(chosen), tuple(cue_hits))


_START = itemgetter(0)
_END = itemgetter(1)
_HIT = itemgetter(4)
