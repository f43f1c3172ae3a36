"""Token-normalized view of a text with a map back to the original character offsets."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters and digits are separate tokens so `M1989`, `M-1989` and `M 1989` read alike.
_TOKEN = re.compile(r"[^\W\d_]+|\d+")


def _fold_char(ch: str) -> str:
    """One character folded to a single lowercase base character, or a space for punctuation."""
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if len(base) == 1 and (base.isalnum()):
        return base
    if len(base) > 1 and base[0].isalnum():
        return base[0]
    return " "


_FOLD_TABLE = {i: _fold_char(chr(i)) for i in range(0x3000)}


def fold(text: str) -> str:
    """Map every character to one folded character, keeping offsets unchanged."""
    folded = text.translate(_FOLD_TABLE)
    if text.isascii():
        return folded
    return "".join(
        ch if ord(src) < 0x3000 else _fold_char(src) for ch, src in zip(folded, text, strict=True)
    )


_ASCII_TOKEN = re.compile(r"[a-z]+|[0-9]+")


def normalize_key(text: str) -> str:
    """The normal form of a lexicon phrase: folded tokens joined by single spaces."""
    if text.isascii():
        return " ".join(_ASCII_TOKEN.findall(text.lower()))
    return " ".join(_TOKEN.findall(fold(text)))


@dataclass(frozen=True, slots=True)
class NormText:
    """Token-normalized text; `starts[i]`/`ends[i]` are the original offsets of its char i."""

    norm: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    token_starts: tuple[int, ...]
    token_ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalized range [start, end)."""
        return self.starts[start], self.ends[end - 1]


def normalize_text(text: str) -> NormText:
    """Build the normalized view: one space between tokens, each char mapped to its source."""
    folded = fold(text)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    tok_s: list[int] = []
    tok_e: list[int] = []
    pos = 0
    for match in _TOKEN.finditer(folded):
        s, e = match.span()
        if parts:
            parts.append(" ")
            starts.append(s)
            ends.append(s)
            pos += 1
        parts.append(match.group())
        tok_s.append(pos)
        starts.extend(range(s, e))
        ends.extend(range(s + 1, e + 1))
        pos += e - s
        tok_e.append(pos)
    return NormText("".join(parts), tuple(starts), tuple(ends), tuple(tok_s), tuple(tok_e))
