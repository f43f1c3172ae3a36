"""Where the lexicon's word lists occur in a text, by token, from the one automaton pass."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from app.extraction.lexicon import GROUP
from app.extraction.scan import Hit

# Word lists compiled into the automaton as `@name` groups (see lexicon.PHRASE_SETS).
PREFIX = "@"


_EMPTY: dict[int, int] = {}
_NO_POSITIONS: tuple[list[int], list[tuple[int, int]]] = ([], [])


@dataclass(frozen=True, slots=True)
class PhraseIndex:
    """For each word list: token where a phrase starts/ends -> its longest length in tokens.

    `ordered` holds each list's (start, length) pairs sorted by start, with the starts apart,
    so range queries (made once per event) bisect instead of scanning and sorting every hit.
    """

    starts: dict[str, dict[int, int]]
    ends: dict[str, dict[int, int]]
    ordered: dict[str, tuple[list[int], list[tuple[int, int]]]]

    def at(self, name: str, i: int, end: int) -> int:
        """Length of the longest phrase of `name` starting at token i and ending by `end`."""
        width = self.starts.get(name, _EMPTY).get(i, 0)
        return width if i + width <= end else 0

    def ending(self, name: str, i: int, start: int) -> int:
        """Length of the longest phrase of `name` ending right before token i, from `start`."""
        width = self.ends.get(name, _EMPTY).get(i, 0)
        return width if i - width >= start else 0

    def ends_before_any(self, name: str, first: int, last: int) -> bool:
        """Whether a phrase of `name` ends right before one of tokens [first, last].

        Same as `ending(name, j, 0)` for each j, but a text without the list skips the loop.
        """
        by_end = self.ends.get(name, _EMPTY)
        return bool(by_end) and any(0 < by_end.get(j, 0) <= j for j in range(first, last + 1))

    def _starting_in(self, name: str, start: int, end: int) -> list[tuple[int, int]]:
        """(start token, length) of each phrase of `name` starting in [start, end), in order."""
        keys, pairs = self.ordered.get(name, _NO_POSITIONS)
        low = bisect.bisect_left(keys, start)
        return pairs[low : bisect.bisect_left(keys, end, low)]

    def any_in(self, name: str, start: int, end: int) -> bool:
        """Whether a phrase of `name` lies inside tokens [start, end)."""
        return any(i + w <= end for i, w in self._starting_in(name, start, end))

    def positions(self, name: str, start: int, end: int) -> list[tuple[int, int]]:
        """(start token, length) of each phrase of `name` inside [start, end), in order."""
        return [(i, w) for i, w in self._starting_in(name, start, end) if i + w <= end]


def build_phrase_index(hits: Iterable[Hit]) -> PhraseIndex:
    """Collect the `@` word-list hits of a scan."""
    starts: dict[str, dict[int, int]] = {}
    ends: dict[str, dict[int, int]] = {}
    for hit in hits:
        width = hit.tok_end - hit.tok_start
        for entry in hit.entries:
            if entry[0] != GROUP:
                continue
            name = str(entry[1])
            if not name.startswith(PREFIX):
                continue
            name = name[1:]
            by_start = starts.setdefault(name, {})
            if width > by_start.get(hit.tok_start, 0):
                by_start[hit.tok_start] = width
            by_end = ends.setdefault(name, {})
            if width > by_end.get(hit.tok_end, 0):
                by_end[hit.tok_end] = width
    ordered: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
    for name, by_start in starts.items():
        pairs = sorted(by_start.items())
        ordered[name] = ([i for i, _ in pairs], pairs)
    return PhraseIndex(starts, ends, ordered)
