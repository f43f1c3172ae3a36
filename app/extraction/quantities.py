"""Numbers in text: digits with separators, number words, vague counts, and calibres."""

from __future__ import annotations

import bisect
import re
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from app.extraction.lexicon import NumberWords
from app.extraction.textnorm import NormText

# Determiners that only count as a number in front of a scale word ("a hundred").
_WEAK_UNITS = frozenset({"a", "an", "single", "lone", "both", "pair", "couple"})
# The leading `(?=\d)` adds no condition (a digit must come next anyway) but lets the engine
# skip ahead to digits instead of trying the word boundary at every character.
_CALIBRE = re.compile(
    r"(?=\d)\b(\d{2,3}(?:[.,]\d)?)\s?-?\s?(mm|millimet(?:er|re)s?)\b", re.IGNORECASE
)


class Token(NamedTuple):
    """A normalized token with its original character span."""

    text: str
    start: int
    end: int


class Quantity(NamedTuple):
    """A count found in the text; the counted noun starts at token `tok_end`."""

    value: int
    start: int
    end: int
    tok_start: int
    tok_end: int
    vague: bool
    approximate: bool


def tokens_of(norm: NormText) -> list[Token]:
    """The normalized tokens with original spans."""
    texts = norm.texts
    if len(texts) != len(norm.token_starts):
        s = norm.norm
        texts = tuple(s[a:b] for a, b in zip(norm.token_starts, norm.token_ends, strict=True))
    return list(map(_new_token, zip(texts, norm.orig_starts, norm.orig_ends, strict=True)))


# Builds a Token from one tuple in C, skipping the Python-level `__new__` of the named tuple.
_new_token = partial(tuple.__new__, Token)


def find_calibres(text: str) -> list[tuple[float, int, int]]:
    """Calibres such as `170 mm`, `170-mm`, `170mm` as (millimetres, start, end)."""
    return [
        (float(m.group(1).replace(",", ".")), m.start(), m.end()) for m in _CALIBRE.finditer(text)
    ]


def find_quantities(
    text: str, tokens: list[Token], words: NumberWords, skip: list[tuple[int, int]]
) -> list[Quantity]:
    """Every count in the text outside the skipped spans (dates, names, calibres)."""
    out: list[Quantity] = []
    blocked = _blocked_tokens(tokens, skip)
    i = 0
    starters = _starters(words)
    approximators = frozenset(words.approximators)
    # Only tokens a number can start with are visited; the rest would just be stepped over.
    candidates = [
        k
        for k, (word, is_blocked) in enumerate(zip(map(_TEXT, tokens), blocked, strict=True))
        if not is_blocked and (word.isdigit() or word in starters)
    ]
    for candidate in candidates:
        if candidate < i:
            continue  # inside the number read last
        i = candidate
        if tokens[i].text.isdigit() and _glued(text, tokens[i]):
            i += 1
            continue
        found = _read_number(text, tokens, i, words, blocked)
        if found is None:
            i += 1
            continue
        value, j, vague = found
        if _identifier(tokens, i, j, words):
            i = j
            continue
        approximate = vague or any(
            _phrase(tokens, i - width, i) in approximators for width in (1, 2, 3) if i >= width
        )
        out.append(Quantity(value, tokens[i].start, tokens[j - 1].end, i, j, vague, approximate))
        i = j
    return out


def _identifier(tokens: list[Token], i: int, j: int, words: NumberWords) -> bool:
    """'Battalion 377', 'a 53-year-old', '11pm': numbers that name or measure, not count."""
    if i and tokens[i - 1].text in words.identifier_before:
        return True
    n = len(tokens)
    return any(
        _phrase(tokens, j, j + width) in words.identifier_after
        for width in (1, 2)
        if j + width <= n
    )


def _phrase(tokens: list[Token], start: int, end: int) -> str:
    """Texts of tokens [start, end) joined by spaces; one- and two-word phrases, the common
    cases, are built without a generator."""
    width = end - start
    if width == 1:
        return tokens[start].text
    if width == 2:
        return f"{tokens[start].text} {tokens[start + 1].text}"
    return " ".join([t.text for t in tokens[start:end]])


def _starters(words: NumberWords) -> frozenset[str]:
    """Words a number can start with."""
    cached = _STARTERS.get(id(words))
    if cached is None or cached[0] is not words:
        heads = {k.split()[0] for k in words.vague} | set(words.units) | set(words.tens)
        cached = (words, frozenset(heads))
        _STARTERS[id(words)] = cached
    return cached[1]


_STARTERS: dict[int, tuple[NumberWords, frozenset[str]]] = {}


def _glued(text: str, token: Token) -> bool:
    """Digits inside a name or designation (`Archer83Able`, `T-72`, `COVID-19`) are no count."""
    before = text[token.start - 1] if token.start else " "
    after = text[token.end] if token.end < len(text) else " "
    if before.isalpha() or (after.isalpha() and after not in "smkKM"):
        return True
    return before == "-" and token.start >= 2 and text[token.start - 2].isalpha()


def _blocked_tokens(tokens: list[Token], skip: list[tuple[int, int]]) -> list[bool]:
    """Tokens inside any skipped span.

    Each span bisects its token range (tokens are in order), so the work follows the spans, not
    every token of the text.
    """
    blocked = [False] * len(tokens)
    if not skip:
        return blocked
    starts = list(map(_START, tokens))
    ends = list(map(_END, tokens))
    for a, b in skip:
        # Tokens overlapping [a, b): the first ending after a up to the last starting before b.
        first = bisect.bisect_right(ends, a)
        last = bisect.bisect_left(starts, b, first)
        if first < last:
            blocked[first:last] = [True] * (last - first)
    return blocked


_TEXT = itemgetter(0)
_START = itemgetter(1)
_END = itemgetter(2)


def _read_number(
    text: str, tokens: list[Token], i: int, words: NumberWords, blocked: list[bool]
) -> tuple[int, int, bool] | None:
    """Read a number starting at token i: (value, index after it, vague?) or None."""
    tok = tokens[i].text
    n = len(tokens)
    if tok.isdigit():
        value_text = tok
        j = i + 1
        # Thousands separators and decimals live in the original text between tokens.
        while j < n and tokens[j].text.isdigit() and len(tokens[j].text) == 3 and not blocked[j]:
            gap = text[tokens[j - 1].end : tokens[j].start]
            if gap not in (",", "'", "\u202f", " ", "\u00a0") or len(tokens[j - 1].text) > 3:
                break
            if gap == " " and not (j - 1 == i and len(value_text) <= 3):
                break
            value_text += tokens[j].text
            j += 1
        number: float = int(value_text)
        if j < n and tokens[j].text.isdigit() and text[tokens[j - 1].end : tokens[j].start] == ".":
            number = float(f"{value_text}.{tokens[j].text}")
            j += 1
        if j < n and tokens[j].text in words.scales:
            number *= words.scales[tokens[j].text]
            j += 1
        if len(value_text) > 9:
            return None
        return int(number), j, False
    two = f"{tok} {tokens[i + 1].text}" if i + 1 < n else ""
    if two in words.vague:
        return words.vague[two], i + 2, True
    if tok in words.vague and not (i + 1 < n and tokens[i + 1].text in words.scales):
        if tok in ("some", "many") and i + 1 < n and tokens[i + 1].text.isdigit():
            return None
        return words.vague[tok], i + 1, True
    if tok in words.units or tok in words.tens:
        total = 0
        current = 0
        j = i
        seen = False
        while j < n and not blocked[j]:
            word = tokens[j].text
            if word in words.tens:
                current += words.tens[word]
            elif word in words.units and (not seen or word not in _WEAK_UNITS):
                current += words.units[word]
            elif word in words.scales and seen:
                current = max(current, 1) * words.scales[word]
                if words.scales[word] >= 1000:
                    total += current
                    current = 0
            elif (
                word == "and"
                and seen
                and j + 1 < n
                and (tokens[j + 1].text in words.units or tokens[j + 1].text in words.tens)
            ):
                pass
            else:
                break
            seen = True
            j += 1
        value = total + current
        if tok in _WEAK_UNITS and j == i + 1:
            return None
        if tok == "dozen" or (j > i and tokens[j - 1].text == "dozen" and j - i == 1):
            return 12, j, False
        return value, j, False
    return None
