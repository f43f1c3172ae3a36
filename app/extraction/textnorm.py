"""Token-normalized view of a text with a map back to the original character offsets."""

from __future__ import annotations

import bisect
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
    """Token-normalized text: tokens joined by single spaces, each token 1:1 with its source.

    Folding maps every character to exactly one character, so a token's normalized characters
    line up with the original ones: offset p inside token k is `orig_starts[k] + p - starts[k]`.
    """

    norm: str
    token_starts: tuple[int, ...]
    token_ends: tuple[int, ...]
    orig_starts: tuple[int, ...]
    orig_ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalized range [start, end)."""
        first = bisect.bisect_right(self.token_starts, start) - 1
        last = bisect.bisect_right(self.token_starts, end - 1) - 1
        return (
            self.orig_starts[first] + start - self.token_starts[first],
            self.orig_starts[last] + end - self.token_starts[last],
        )


def normalize_text(text: str) -> NormText:
    """Build the normalized view: one space between tokens, each mapped to its source span."""
    folded = fold(text)
    parts: list[str] = []
    tok_s: list[int] = []
    tok_e: list[int] = []
    orig_s: list[int] = []
    orig_e: list[int] = []
    pos = 0
    for match in _TOKEN.finditer(folded):
        s, e = match.span()
        tok_s.append(pos)
        pos += e - s
        tok_e.append(pos)
        pos += 1
        orig_s.append(s)
        orig_e.append(e)
        parts.append(match.group())
    return NormText(" ".join(parts), tuple(tok_s), tuple(tok_e), tuple(orig_s), tuple(orig_e))
