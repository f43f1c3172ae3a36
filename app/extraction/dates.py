"""Absolute and relative date expressions, resolved against the publication date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter

from app.extraction.lexicon import NumberWords
from app.extraction.quantities import Token, tokens_of
from app.extraction.textnorm import normalize_text


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date read from the text, with how precise it is and whether it needed an anchor."""

    value: date
    precision: str
    start: int
    end: int
    relative: bool


# A leading `(?=\d)` adds no condition (a digit must come next anyway) but lets the engine skip
# ahead to digits instead of trying the boundary test at every character.
_ISO = re.compile(r"(?=\d)\b(\d{4})-(\d{2})-(\d{2})\b")
_SLASH = re.compile(r"(?=\d)(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
# Relative-date phrases are read up to this many words long.
_MAX_PHRASE_WORDS = 4


@lru_cache(maxsize=8)
def _relative_heads_cached(
    weekdays: tuple[str, ...], phrases: tuple[str, ...]
) -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    widths: dict[str, set[int]] = {}
    for phrase in phrases:
        words = phrase.split()
        widths.setdefault(words[0], set()).add(len(words))
    by_head = {
        head: tuple(w for w in range(_MAX_PHRASE_WORDS, 0, -1) if w in found)
        for head, found in widths.items()
    }
    return frozenset(phrase.split()[0] for phrase in weekdays + phrases), by_head


def _relative_heads(words: NumberWords) -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """First words of weekday and relative-date phrases, to skip texts without any, and for
    each first word the lengths (longest first) its relative-date phrases have, so only those
    are tried ("the" starts one four-word phrase only)."""
    phrases = tuple(words.relative_days) + tuple(words.relative_periods)
    return _relative_heads_cached(tuple(words.weekdays), phrases)


def _safe(year: int, month: int, day: int) -> date | None:
    """A date, or None when the parts do not form one."""
    try:
        if 1900 <= year <= 2100:
            return date(year, month, day)
    except ValueError:
        return None
    return None


def find_dates(
    text: str, words: NumberWords, published_at: date | None, tokens: list[Token] | None = None
) -> list[DateMention]:
    """All dates in the text, in order; yearless dates take the year of the context."""
    if tokens is None:
        tokens = tokens_of(normalize_text(text))
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    def add(value: date | None, precision: str, a: int, b: int, relative: bool) -> None:
        if value is not None and free(a, b):
            found.append(DateMention(value, precision, a, b, relative))
            taken.append((a, b))

    yearless: list[tuple[int, int, int, int]] = []
    if "-" in text:
        for m in _ISO.finditer(text):
            add(_safe(int(m.group(1)), int(m.group(2)), int(m.group(3))), "day", *m.span(), False)
    for value, precision, a, b in _token_dates(text, tokens, words):
        if isinstance(value, tuple):
            if free(a, b):
                yearless.append((a, b, value[0], value[1]))
                taken.append((a, b))
        else:
            add(value, precision, a, b, False)
    if "/" in text:
        for m in _SLASH.finditer(text):
            if not free(*m.span()):
                continue
            day, month = int(m.group(1)), int(m.group(2))
            if m.group(3):
                year = int(m.group(3))
                year += 2000 if year < 100 else 0
                add(_safe(year, month, day), "day", *m.span(), False)
            elif 1 <= month <= 12 and 1 <= day <= 31:
                yearless.append((m.start(), m.end(), month, day))
                taken.append(m.span())
    context_year = next((d.value.year for d in found if d.precision == "day"), None)
    if context_year is None and published_at is not None:
        context_year = published_at.year
    for a, b, month, day in yearless:
        if context_year is not None:
            value = _safe(context_year, month, day)
            if value and published_at and value > published_at + timedelta(days=2):
                value = _safe(context_year - 1, month, day)
            if value:
                found.append(DateMention(value, "day", a, b, False))
    if published_at is not None:
        _relative(tokens, text, words, published_at, add)
    found.sort(key=lambda d: d.start)
    return found


_TEXT = itemgetter(0)
_ORDINAL = frozenset({"st", "nd", "rd", "th"})
_YEAR_LEAD = frozenset({"in", "during", "since", "of", "throughout"})
_PART = {"early": 1, "mid": 15, "late": 28}


def _token_dates(text: str, tokens: list[Token], words: NumberWords):
    """Day-month(-year), month-day(-year), month-year and 'in YEAR' read from tokens.

    Yields (date or (month, day) when the year is missing, precision, start, end).
    """
    months = words.months
    n = len(tokens)
    i = 0
    # Only digits, month names and year leads can begin a date; other tokens are stepped over.
    candidates = [
        k
        for k, word in enumerate(map(_TEXT, tokens))
        if word.isdigit() or word in months or word in _YEAR_LEAD
    ]
    for candidate in candidates:
        if candidate < i:
            continue  # inside the date read last
        i = candidate
        tok = tokens[i]
        word = tok.text
        if word.isdigit() and len(word) <= 2 and 1 <= int(word) <= 31:
            j = i + 1
            if j < n and tokens[j].text in _ORDINAL and tokens[j].start == tok.end:
                j += 1
            if j < n and tokens[j].text == "of":
                j += 1
            if j < n and tokens[j].text in months and text[tokens[j].start].isalpha():
                month = months[tokens[j].text]
                k = j + 1
                if k < n and len(tokens[k].text) == 4 and tokens[k].text.isdigit():
                    yield (
                        _safe(int(tokens[k].text), month, int(word)),
                        "day",
                        tok.start,
                        tokens[k].end,
                    )
                    i = k + 1
                    continue
                yield (month, int(word)), "day", tok.start, tokens[j].end
                i = j + 1
                continue
        elif word in months and text[tok.start].isupper():
            month = months[word]
            j = i + 1
            if (
                j < n
                and tokens[j].text.isdigit()
                and len(tokens[j].text) <= 2
                and (1 <= int(tokens[j].text) <= 31)
            ):
                day = int(tokens[j].text)
                k = j + 1
                if k < n and tokens[k].text in _ORDINAL and tokens[k].start == tokens[j].end:
                    k += 1
                if k < n and len(tokens[k].text) == 4 and tokens[k].text.isdigit():
                    yield _safe(int(tokens[k].text), month, day), "day", tok.start, tokens[k].end
                    i = k + 1
                    continue
                yield (month, day), "day", tok.start, tokens[k - 1].end
                i = k
                continue
            if j < n and len(tokens[j].text) == 4 and tokens[j].text.isdigit():
                part = tokens[i - 1].text if i else ""
                start = tokens[i - 1].start if part in _PART else tok.start
                yield (
                    _safe(int(tokens[j].text), month, _PART.get(part, 15)),
                    "month",
                    start,
                    tokens[j].end,
                )
                i = j + 1
                continue
        elif (
            word in _YEAR_LEAD
            and i + 1 < n
            and len(tokens[i + 1].text) == 4
            and (tokens[i + 1].text.isdigit())
        ):
            year = tokens[i + 1]
            yield _safe(int(year.text), 1, 1), "year", year.start, year.end
            i += 2
            continue


def _relative(tokens: list[Token], text: str, words: NumberWords, anchor: date, add) -> None:
    """Weekday names and phrases such as 'yesterday' or 'last week' resolved on the anchor."""
    heads, widths = _relative_heads(words)
    n = len(tokens)
    for i in [k for k, word in enumerate(map(_TEXT, tokens)) if word in heads]:
        tok = tokens[i]
        if tok.text in words.weekdays and text[tok.start].isupper():
            lead = tokens[i - 1] if i and tokens[i - 1].text in ("on", "last", "this") else tok
            back = (anchor.weekday() - words.weekdays[tok.text]) % 7
            add(anchor - timedelta(days=back), "day", lead.start, tok.end, True)
            continue
        for width in widths.get(tok.text, ()):
            if i + width > n:
                continue
            phrase = " ".join(t.text for t in tokens[i : i + width])
            span = (tok.start, tokens[i + width - 1].end)
            if phrase in words.relative_days:
                add(anchor + timedelta(days=words.relative_days[phrase]), "day", *span, True)
                break
            if phrase in words.relative_periods:
                _add_period(words.relative_periods[phrase], anchor, span, add)
                break


def _add_period(period: tuple[str, int], anchor: date, span: tuple[int, int], add) -> None:
    """A week, weekend, month or year relative to the anchor, at ACLED's reference day."""
    unit, offset = period
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=offset)
        add(monday + timedelta(days=2), "week", *span, True)
    elif unit == "weekend":
        saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
        add(saturday, "week", *span, True)
    elif unit == "month":
        month_index = anchor.year * 12 + anchor.month - 1 + offset
        add(_safe(month_index // 12, month_index % 12 + 1, 15), "month", *span, True)
    elif unit == "year":
        add(_safe(anchor.year + offset, 1, 1), "year", *span, True)
