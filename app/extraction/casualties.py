"""Fatality and injury counts stated in a stretch of text."""

from __future__ import annotations

from app.extraction.lexicon import Lexicon
from app.extraction.quantities import Quantity, Token

_DETERMINERS = frozenset({"a", "an", "one", "the", "another", "1"})
_OBJECT_PRONOUNS = frozenset({"him", "her"})
_LINKS = frozenset({"and", "as", "well", "including", "plus", "along", "with"})
_SINGULAR_AUX = frozenset({"was", "is", "has", "had"})
_WINDOW_AFTER = 12


def _phrase_at(tokens: list[Token], i: int, phrases: frozenset[str], end: int) -> int:
    """Length in tokens of the longest phrase starting at token i, or 0."""
    best = 0
    for width in (1, 2, 3, 4, 5):
        if i + width > end:
            break
        if " ".join(t.text for t in tokens[i:i + width]) in phrases:
            best = width
    return best


def _phrase_ending(tokens: list[Token], i: int, phrases: frozenset[str], start: int) -> int:
    """Length of the longest phrase ending right before token i (0 if none)."""
    best = 0
    for width in (1, 2, 3, 4, 5):
        if i - width < start:
            break
        if " ".join(t.text for t in tokens[i - width:i]) in phrases:
            best = width
    return best


def _before(tokens: list[Token], i: int, phrases: frozenset[str], start: int, skip) -> bool:
    """A phrase right before token i, allowing approximators such as 'at least' between."""
    j = i
    for _ in range(3):
        if _phrase_ending(tokens, j, phrases, start):
            return True
        width = _phrase_ending(tokens, j, skip, start)
        if not width:
            return False
        j -= width
    return False


def count_casualties(
    tokens: list[Token], start: int, end: int, quantities: list[Quantity], lexicon: Lexicon
) -> tuple[int | None, int | None]:
    """(killed, injured) in tokens [start, end): counts tied to death/injury words, summed."""
    words = lexicon.words
    explicit = _explicit_coding(tokens, start, end, quantities, words)
    if explicit is not None:
        dead: int | None = explicit
    else:
        dead = None
    approx = frozenset(lexicon.numbers.approximators)
    kill_at = _form_positions(tokens, start, end, words["kill_forms"], words)
    hurt_at = _form_positions(tokens, start, end, words["injure_forms"], words)
    killed: list[int] = []
    injured: list[int] = []
    consumed: set[int] = set()
    inside = [q for q in quantities if start <= q.tok_start and q.tok_end <= end]
    for chain in _chains(inside, tokens):
        first, last = chain[0], chain[-1]
        values = [q.value for q in chain
                  if not (q.tok_end < end and tokens[q.tok_end].text in words["non_human"])]
        if not values:
            continue
        if _before(tokens, first.tok_start, words["kill_before"], start, approx) and not (
            tokens[first.tok_start - 1].text in words["injure_before"]
            and tokens[first.tok_start - 1].text not in words["kill_before"]
        ):
            if not _background(tokens, first.tok_start - 1, start, words):
                killed.extend(values)
            continue
        if _before(tokens, first.tok_start, words["injure_before"], start, approx):
            injured.extend(values)
            continue
        limit = min(end, last.tok_end + _WINDOW_AFTER)
        nxt = [q.tok_start for q in inside if q.tok_start >= last.tok_end]
        if nxt:
            limit = min(limit, nxt[0])
        for i in range(last.tok_end, limit):
            if i in kill_at:
                if not kill_at[i]:
                    killed.extend(values)
                consumed.add(i)
                break
            if i in hurt_at:
                injured.extend(values)
                consumed.add(i)
                break
    killed += _singulars(tokens, start, end, kill_at, consumed, words, words["kill_before"])
    injured += _singulars(tokens, start, end, hurt_at, consumed, words, words["injure_before"])
    if dead is None:
        dead = sum(killed) if killed else None
    hurt = sum(injured) if injured else None
    if dead is None and _has_phrase(tokens, start, end, words["zero_fatalities"]):
        dead = 0
    if hurt is None and _has_phrase(tokens, start, end, words["zero_injured"]):
        hurt = 0
    return dead, hurt


def _form_positions(tokens, start, end, forms, words) -> dict[int, bool]:
    """Token index -> is-background for each death (or injury) word in the range."""
    out: dict[int, bool] = {}
    i = start
    while i < end:
        width = _phrase_at(tokens, i, forms, end)
        if width:
            out[i] = _background(tokens, i, start, words)
            i += width
        else:
            i += 1
    return out


def _background(tokens: list[Token], i: int, start: int, words) -> bool:
    """'over the killing of', 'who killed', 'the murder case': a death that is not this event's."""
    window = " ".join(t.text for t in tokens[max(start, i - 3):i + 2])
    return any(p in window for p in words["background_deaths"])


def _chains(quantities: list[Quantity], tokens: list[Token]) -> list[list[Quantity]]:
    """Counts joined by 'and' ('4 policemen and 1 commando') share their verb."""
    chains: list[list[Quantity]] = []
    for q in sorted(quantities, key=lambda q: q.tok_start):
        if chains:
            prev = chains[-1][-1]
            between = [t.text for t in tokens[prev.tok_end:q.tok_start]]
            if len(between) <= 4 and any(w in _LINKS for w in between) and not any(
                w in ("killed", "injured", "wounded", "dead", "died") for w in between
            ):
                chains[-1].append(q)
                continue
        chains.append([q])
    return chains


def _singulars(tokens, start, end, positions, consumed, words, before_forms) -> list[int]:
    """'a civilian was killed', 'killed him', 'the driver died': one each."""
    out: list[int] = []
    for i, background in positions.items():
        if background or i in consumed:
            continue
        text = tokens[i].text
        # Active verb followed by a singular object: "killed a civilian", "killing him".
        if text in before_forms:
            j = i + 1
            while j < end and tokens[j].text in ("at", "least", "reportedly"):
                j += 1
            if j < end and (tokens[j].text in _OBJECT_PRONOUNS or tokens[j].text in ("a", "an")):
                out.append(1)
                continue
        # Passive or intransitive with a singular subject: "a man was killed", "the woman died".
        aux = tokens[i - 1].text if i - 1 >= start else ""
        if aux in _SINGULAR_AUX or text in ("died", "dies", "succumbed", "perished"):
            for k in range(i - 1, max(start, i - 10) - 1, -1):
                word = tokens[k].text
                if word in _DETERMINERS:
                    if k + 1 < i and tokens[k + 1].text.isdigit():
                        break
                    out.append(1)
                    break
                if word in ("were", "are", "and", "they", "two", "both", "who", "which"):
                    break
    return out


def _explicit_coding(tokens, start, end, quantities, words) -> int | None:
    """ACLED's own bookkeeping in a note: 'coded as N', 'N fatalities', '... split across M'."""
    values = {q.tok_start: q.value for q in quantities}
    ends = {q.tok_end: q for q in quantities}
    to_event = None
    coded = None
    plain = None
    split_total = None
    split_events = None
    for i in range(start, end):
        text = tokens[i].text
        if text in ("fatalities", "fatality", "deaths", "death") and i - 1 >= start:
            q = ends.get(i)
            if q is None:
                continue
            after = " ".join(t.text for t in tokens[i + 1:i + 5])
            before = " ".join(t.text for t in tokens[max(start, q.tok_start - 3):q.tok_start])
            if after.startswith(("coded to this event", "coded to the event")):
                to_event = q.value
            elif after.startswith(("split among", "split across", "split between")):
                split_total = q.value
                rest = [values[j] for j in range(i + 3, min(end, i + 6)) if j in values]
                split_events = rest[0] if rest else None
            elif "reported" in before or "claimed" in before:
                continue
            elif after.startswith("coded") or text in ("deaths", "death"):
                continue
            else:
                plain = q.value if plain is None else plain
        if text == "coded" and i + 2 < end and tokens[i + 1].text == "as":
            window = " ".join(t.text for t in tokens[max(start, i - 4):i + 6])
            if "fatalit" in window and (i + 2) in values:
                coded = values[i + 2]
    if to_event is not None:
        return to_event
    if coded is not None and split_total is None:
        return coded
    if split_total is not None:
        return split_total // split_events if split_events else split_total
    return plain


def _has_phrase(tokens: list[Token], start: int, end: int, phrases: frozenset[str]) -> bool:
    """Whether any phrase occurs in tokens [start, end)."""
    return any(_phrase_at(tokens, i, phrases, end) for i in range(start, end))
