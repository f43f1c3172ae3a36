"""Token-normalized view of a text with a map back to the original character offsets."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from itertools import accumulate
from operator import add, sub

# Letters and digits are separate tokens so `M1989`, `M-1989` and `M 1989` read alike.
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
# The same tokens, captured so one `split` yields gaps and tokens alternately; folded ASCII text
# holds only [a-z0-9 ], where the ASCII classes say the same as the Unicode ones, only faster.
_TOKEN_SPLIT = re.compile(r"([^\W\d_]+|\d+)")
_ASCII_TOKEN_SPLIT = re.compile(r"([a-z]+|[0-9]+)")


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
    texts: tuple[str, ...] = ()

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
    splitter = _ASCII_TOKEN_SPLIT if folded.isascii() else _TOKEN_SPLIT
    # [gap, token, gap, token, ..., gap]: running lengths give every token's original span.
    pieces = splitter.split(folded)
    parts = pieces[1::2]
    offsets = list(accumulate(map(len, pieces)))
    lengths = list(map(len, parts))
    tok_e = tuple(map(add, accumulate(lengths), range(len(lengths))))
    return NormText(
        " ".join(parts),
        tuple(map(sub, tok_e, lengths)),
        tok_e,
        tuple(offsets[0:-1:2]),
        tuple(offsets[1::2]),
        tuple(parts),
    )
