"""Absolute and relative date expressions, resolved against the publication date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from app.extraction.lexicon import NumberWords


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date read from the text, with how precise it is and whether it needed an anchor."""

    value: date
    precision: str
    start: int
    end: int
    relative: bool


@lru_cache(maxsize=8)
def _patterns(months: tuple[str, ...], weekdays: tuple[str, ...], relative: tuple[str, ...]):
    """Compiled date regexes for one set of month and weekday words."""
    month = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    weekday = "|".join(re.escape(w) for w in weekdays)
    rel = "|".join(sorted((re.escape(r) for r in relative), key=len, reverse=True))
    flags = re.IGNORECASE
    return {
        "iso": re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        "dmy": re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({month})\.?(?:,?\s+(\d{{4}}))?\b", flags
        ),
        "mdy": re.compile(
            rf"\b({month})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?", flags
        ),
        "slash": re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])"),
        "month_year": re.compile(rf"\b(?:(early|mid|late)[\s-]+)?({month})\s+(\d{{4}})\b", flags),
        "year": re.compile(r"\b(?:in|during|since|of|throughout)\s+(\d{4})\b", flags),
        "weekday": re.compile(rf"\b(?:on\s+|last\s+|this\s+)?({weekday})\b", flags),
        "relative": re.compile(rf"\b({rel})\b", flags),
    }


def _safe(year: int, month: int, day: int) -> date | None:
    """A date, or None when the parts do not form one."""
    try:
        if 1900 <= year <= 2100:
            return date(year, month, day)
    except ValueError:
        return None
    return None


def find_dates(text: str, words: NumberWords, published_at: date | None) -> list[DateMention]:
    """All dates in the text, in order; yearless dates take the year of the context."""
    relative_words = tuple(words.relative_days) + tuple(words.relative_periods)
    pats = _patterns(tuple(words.months), tuple(words.weekdays), relative_words)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    def add(value: date | None, precision: str, a: int, b: int, relative: bool) -> None:
        if value is not None and free(a, b):
            found.append(DateMention(value, precision, a, b, relative))
            taken.append((a, b))

    yearless: list[tuple[int, int, int, int]] = []
    for m in pats["iso"].finditer(text):
        add(_safe(int(m.group(1)), int(m.group(2)), int(m.group(3))), "day", *m.span(), False)
    for m in pats["dmy"].finditer(text):
        month = words.months[m.group(2).lower().rstrip(".")]
        if m.group(3):
            add(_safe(int(m.group(3)), month, int(m.group(1))), "day", *m.span(), False)
        elif free(*m.span()):
            yearless.append((m.start(), m.end(), month, int(m.group(1))))
            taken.append(m.span())
    for m in pats["mdy"].finditer(text):
        month = words.months[m.group(1).lower().rstrip(".")]
        if m.group(3):
            add(_safe(int(m.group(3)), month, int(m.group(2))), "day", *m.span(), False)
        elif free(*m.span()) and m.group(1)[0].isupper():
            yearless.append((m.start(), m.end(), month, int(m.group(2))))
            taken.append(m.span())
    for m in pats["slash"].finditer(text):
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
    for m in pats["month_year"].finditer(text):
        month = words.months[m.group(2).lower()]
        if not m.group(2)[0].isupper():
            continue
        day = {"early": 1, "late": 28}.get((m.group(1) or "").lower(), 15)
        add(_safe(int(m.group(3)), month, day), "month", *m.span(), False)
    for m in pats["year"].finditer(text):
        add(_safe(int(m.group(1)), 1, 1), "year", m.start(1), m.end(1), False)
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
        _relative(text, pats, words, published_at, add)
    found.sort(key=lambda d: d.start)
    return found


def _relative(text, pats, words: NumberWords, anchor: date, add) -> None:
    """Weekday names and phrases such as 'yesterday' or 'last week' resolved on the anchor."""
    for m in pats["weekday"].finditer(text):
        if not m.group(1)[0].isupper():
            continue
        target = words.weekdays[m.group(1).lower()]
        back = (anchor.weekday() - target) % 7
        add(anchor - timedelta(days=back), "day", *m.span(), True)
    for m in pats["relative"].finditer(text):
        phrase = " ".join(m.group(1).lower().split())
        if phrase in words.relative_days:
            add(anchor + timedelta(days=words.relative_days[phrase]), "day", *m.span(), True)
            continue
        unit, offset = words.relative_periods.get(phrase, ("", 0))
        if unit == "week":
            monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=offset)
            add(monday + timedelta(days=2), "week", *m.span(), True)
        elif unit == "weekend":
            saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
            add(saturday, "week", *m.span(), True)
        elif unit == "month":
            month_index = anchor.year * 12 + anchor.month - 1 + offset
            add(_safe(month_index // 12, month_index % 12 + 1, 15), "month", *m.span(), True)
        elif unit == "year":
            add(_safe(anchor.year + offset, 1, 1), "year", *m.span(), True)
