"""Fatality and injury counts stated in a stretch of text."""

from __future__ import annotations

import bisect
from operator import attrgetter

from app.extraction.lexicon import Lexicon
from app.extraction.phrases import PhraseIndex
from app.extraction.quantities import Quantity, Token

_DETERMINERS = frozenset({"a", "an", "one", "the", "another", "1"})
_OBJECT_PRONOUNS = frozenset({"him", "her"})
_OBJECT_STARTS = frozenset(
    {
        "a",
        "an",
        "the",
        "his",
        "her",
        "him",
        "them",
        "their",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "several",
        "dozens",
        "at",
    }
)
_LINKS = frozenset({"and", "as", "well", "including", "plus", "along", "with"})
_SINGULAR_AUX = frozenset({"was", "is", "has", "had"})
_WINDOW_AFTER = 12
_TOK_START = attrgetter("tok_start")
_TOK_END = attrgetter("tok_end")


def _before(index: PhraseIndex, i: int, name: str, start: int) -> bool:
    """A phrase right before token i, allowing approximators such as 'at least' between."""
    j = i
    for _ in range(3):
        if index.ending(name, j, start):
            return True
        width = index.ending("approximators", j, start)
        if not width:
            return False
        j -= width
    return False


def count_casualties(
    tokens: list[Token],
    start: int,
    end: int,
    quantities: list[Quantity],
    lexicon: Lexicon,
    index: PhraseIndex,
    sentence_of: list[int] | None = None,
) -> tuple[int | None, int | None]:
    """(killed, injured) in tokens [start, end): counts tied to death/injury words, summed.

    `quantities` are in text order, as `find_quantities` returns them (starts and ends rising).
    """
    words = lexicon.words
    explicit = _explicit_coding(tokens, start, end, quantities, words)
    if explicit is not None:
        dead: int | None = explicit
    else:
        dead = None
    kill_at = _form_positions(index, start, end, "kill_forms")
    hurt_at = _form_positions(index, start, end, "injure_forms")
    killed: list[int] = []
    injured: list[int] = []
    consumed: set[int] = set()
    # The counts of this range are one run of the list: bisected, not filtered from all.
    low = bisect.bisect_left(quantities, start, key=_TOK_START)
    inside = quantities[low : bisect.bisect_right(quantities, end, low, key=_TOK_END)]
    starts = sorted(q.tok_start for q in inside)
    for chain in _chains(inside, tokens, words["kill_forms"], words["injure_forms"]):
        first, last = chain[0], chain[-1]
        values = [
            q.value
            for q in chain
            if not (q.tok_end < end and tokens[q.tok_end].text in words["non_human"])
        ]
        if not values:
            continue
        if _before(index, first.tok_start, "kill_before", start) and not (
            tokens[first.tok_start - 1].text in words["injure_before"]
            and tokens[first.tok_start - 1].text not in words["kill_before"]
        ):
            if not _background(index, first.tok_start - 1, start):
                killed.extend(values)
            continue
        if _before(index, first.tok_start, "injure_before", start):
            injured.extend(values)
            continue
        if (
            last.tok_end + 1 < end
            and tokens[last.tok_end].text == "of"
            and tokens[last.tok_end + 1].text in ("the", "them", "those", "whom")
        ):
            continue  # "2 of the victims": a part of a count already made
        limit = min(end, last.tok_end + _WINDOW_AFTER)
        k = bisect.bisect_left(starts, last.tok_end)
        if k < len(starts):
            limit = min(limit, starts[k])
        if sentence_of is not None:
            here = sentence_of[last.tok_start]
            limit = next((k for k in range(last.tok_end, limit) if sentence_of[k] != here), limit)
        for i in range(last.tok_end, limit):
            if i in kill_at:
                following = tokens[i + 1].text if i + 1 < end else ""
                active = tokens[i].text in ("killed", "shot", "kill", "kills") and (
                    following in _OBJECT_STARTS or following.isdigit()
                )
                if not kill_at[i] and not active:
                    killed.extend(values)
                consumed.add(i)
                break
            if i in hurt_at:
                injured.extend(values)
                consumed.add(i)
                break
    killed += _singulars(
        tokens, start, end, kill_at, consumed, index, "kill_before", words["victims"]
    )
    injured += _singulars(tokens, start, end, hurt_at, consumed, index, "injure_before")
    if dead is None:
        dead = sum(killed) if killed else None
    hurt = sum(injured) if injured else None
    if dead is None and index.any_in("zero_fatalities", start, end):
        dead = 0
    if hurt is None and index.any_in("zero_injured", start, end):
        hurt = 0
    return dead, hurt


def _form_positions(index: PhraseIndex, start: int, end: int, name: str) -> dict[int, bool]:
    """Token index -> is-background for each death (or injury) word in the range."""
    return {i: _background(index, i, start) for i, _ in index.positions(name, start, end)}


def _background(index: PhraseIndex, i: int, start: int) -> bool:
    """'over the killing of', 'who killed', 'the murder case': a death that is not this event's."""
    return any(index.at("background_deaths", j, i + 3) for j in range(max(start, i - 3), i + 2))


def _chains(
    quantities: list[Quantity],
    tokens: list[Token],
    kill_forms: frozenset[str],
    injure_forms: frozenset[str],
) -> list[list[Quantity]]:
    """Counts joined by 'and' ('4 policemen and 1 commando') share their verb.

    The two form sets are checked apart so no union is built on every call.
    """
    chains: list[list[Quantity]] = []
    for q in sorted(quantities, key=lambda q: q.tok_start):
        if chains:
            prev = chains[-1][-1]
            between = [t.text for t in tokens[prev.tok_end : q.tok_start]]
            if (
                len(between) <= 4
                and any(w in _LINKS for w in between)
                and not any(w in kill_forms or w in injure_forms for w in between)
            ):
                chains[-1].append(q)
                continue
        chains.append([q])
    return chains


def _singulars(
    tokens, start, end, positions, consumed, index, before_name, index_victims=frozenset()
) -> list[int]:
    """'a civilian was killed', 'killed him', 'the driver died': one each."""
    out: list[int] = []
    for i, background in positions.items():
        if background or i in consumed:
            continue
        text = tokens[i].text
        # Active verb followed by a singular object: "killed a civilian", "killing him".
        width = index.at(before_name, i, end)
        if width:
            j = i + width
            while j < end and tokens[j].text in ("at", "least", "reportedly"):
                j += 1
            if j < end and (
                tokens[j].text in _OBJECT_PRONOUNS
                or tokens[j].text in ("a", "an", "the", "his")
                or tokens[j].text in index_victims
            ):
                out.append(1)
                continue
        # Passive or intransitive with a singular subject: "a man was killed", "the woman died".
        near = {t.text for t in tokens[max(start, i - 3) : i]}
        singular = bool(near & _SINGULAR_AUX) and not near & {"were", "are", "have"}
        if singular or text in ("died", "dies", "succumbed", "perished", "to"):
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
    """ACLED's own bookkeeping in a note: 'coded as N', 'N fatalities', '... split across M'.

    The look-ups by token are built only once a bookkeeping word turns up, as most texts have
    none and this runs once per event.
    """
    values: dict[int, int] | None = None
    ends: dict[int, Quantity] | None = None
    to_event = None
    coded = None
    plain = None
    split_total = None
    split_events = None
    for i in range(start, end):
        text = tokens[i].text
        if text in ("fatalities", "fatality", "deaths", "death") and i - 1 >= start:
            if ends is None:
                ends = {x.tok_end: x for x in quantities}
            q = ends.get(i)
            if q is None:
                continue
            after = " ".join(t.text for t in tokens[i + 1 : i + 5])
            before = " ".join(t.text for t in tokens[max(start, q.tok_start - 3) : q.tok_start])
            if after.startswith(("coded to this event", "coded to the event")):
                to_event = q.value
            elif after.startswith(("split among", "split across", "split between")):
                split_total = q.value
                if values is None:
                    values = {x.tok_start: x.value for x in quantities}
                rest = [values[j] for j in range(i + 3, min(end, i + 6)) if j in values]
                split_events = rest[0] if rest else None
            elif not (
                "reported" in before
                or "claimed" in before
                or after.startswith("coded")
                or text in ("deaths", "death")
            ):
                plain = q.value if plain is None else plain
        if text == "coded" and i + 2 < end and tokens[i + 1].text == "as":
            window = " ".join(t.text for t in tokens[max(start, i - 4) : i + 6])
            if values is None:
                values = {x.tok_start: x.value for x in quantities}
            if "fatalit" in window and (i + 2) in values:
                coded = values[i + 2]
    if to_event is not None:
        return to_event
    if coded is not None and split_total is None:
        return coded
    if split_total is not None:
        return split_total // split_events if split_events else split_total
    return plain
