"""Sentence boundaries that survive abbreviations, initials and quoted speech."""

from __future__ import annotations

import re

# Closing quotes and brackets may follow the stop: . " \u201d \u2019 ) ]
# The leading look-ahead repeats what both branches start with, so the engine skips to those
# characters instead of trying both branches at every position.
_CANDIDATE = re.compile("(?=[.!?\n])(?:[.!?]+[\"'\u201d\u2019)\\]]*\\s+|\n\\s*)")
_OPENERS = "\"'\u201c\u2018([\u2014-"
_WORD_BEFORE_STOP = re.compile(r"([\w.]+)\.$")
# Look back this far for the word before a stop; a match reaching the window's edge is redone.
_LOOKBACK = 64


def _word_before_stop(text: str, start: int, end: int) -> re.Match[str] | None:
    """The word ending in the stop at `end - 1`, searched near the stop, not over the sentence."""
    low = max(start, end - _LOOKBACK)
    found = _WORD_BEFORE_STOP.search(text[low:end])
    if found is not None and found.start() == 0 and low > start:
        found = _WORD_BEFORE_STOP.search(text[start:end])
    return found


def split_sentences(text: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """[start, end) spans of sentences; blank lines and headings are their own sentences."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        cut = m.end()
        if "\n" not in m.group():
            following = text[cut : cut + 1]
            if following and not (
                following.isupper() or following.isdigit() or following in _OPENERS
            ):
                continue
            word = _word_before_stop(text, start, m.start() + 1)
            if word:
                token = word.group(1).casefold().rstrip(".")
                if token in abbreviations or (len(token) == 1 and token.isalpha()):
                    continue
        piece_end = m.start() + len(m.group().rstrip())
        if text[start:piece_end].strip():
            spans.append(_trim(text, start, piece_end))
        start = cut
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
