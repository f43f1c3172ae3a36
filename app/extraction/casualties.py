"""Fatality and injury counts stated in a stretch of text."""

from __future__ import annotations

from app.extraction.lexicon import Lexicon
from app.extraction.quantities import Quantity, Token

_SINGULAR = frozenset({"a", "an", "one", "the", "another", "1"})
_WINDOW_AFTER = 8


def _phrase_at(tokens: list[Token], i: int, phrases: frozenset[str], end: int) -> int:
    """Length in tokens of the longest phrase starting at token i, or 0."""
    best = 0
    for width in (1, 2, 3, 4):
        if i + width > end:
            break
        if " ".join(t.text for t in tokens[i:i + width]) in phrases:
            best = width
    return best


def _phrase_before(tokens: list[Token], i: int, phrases: frozenset[str], start: int) -> bool:
    """Whether a phrase ends right before token i (skipping approximators like 'at least')."""
    for skip in (0, 1, 2):
        j = i - skip
        for width in (1, 2, 3, 4, 5):
            if j - width < start:
                break
            if " ".join(t.text for t in tokens[j - width:j]) in phrases:
                return True
    return False


def count_casualties(
    tokens: list[Token], start: int, end: int, quantities: list[Quantity], lexicon: Lexicon
) -> tuple[int | None, int | None]:
    """(killed, injured) in tokens [start, end): numbers tied to death/injury words, summed."""
    words = lexicon.words
    kill_forms, injure_forms = words["kill_forms"], words["injure_forms"]
    killed: dict[tuple[int, str], int] = {}
    injured: dict[tuple[int, str], int] = {}
    used: set[int] = set()
    for q in quantities:
        if q.tok_start < start or q.tok_end > end:
            continue
        noun = tokens[q.tok_end].text if q.tok_end < end else ""
        if _phrase_before(tokens, q.tok_start, words["kill_before"], start) and not (
            _phrase_before(tokens, q.tok_start, words["injure_before"], start)
            and tokens[q.tok_start - 1].text in words["injure_before"]
        ):
            if noun not in ("injured", "wounded", "hurt"):
                killed[(q.value, noun)] = q.value
                used.add(q.tok_start)
                continue
        if _phrase_before(tokens, q.tok_start, words["injure_before"], start):
            if noun in ("dead", "killed"):
                killed[(q.value, noun)] = q.value
            else:
                injured[(q.value, noun)] = q.value
            used.add(q.tok_start)
            continue
        for i in range(q.tok_end, min(end, q.tok_end + _WINDOW_AFTER)):
            text = tokens[i].text
            if text.isdigit() or text in ("and", "while", "but") and i > q.tok_end + 1:
                break
            if _phrase_at(tokens, i, kill_forms, end):
                if not _context_blocks(tokens, q.tok_start, words["not_fatal_context"]):
                    killed[(q.value, noun)] = q.value
                used.add(q.tok_start)
                break
            if _phrase_at(tokens, i, injure_forms, end):
                injured[(q.value, noun)] = q.value
                used.add(q.tok_start)
                break
    _singulars(tokens, start, end, words, killed, injured, used)
    dead = sum(killed.values()) if killed else None
    hurt = sum(injured.values()) if injured else None
    if dead is None and _has_phrase(tokens, start, end, words["zero_fatalities"]):
        dead = 0
    if hurt is None and _has_phrase(tokens, start, end, words["zero_injured"]):
        hurt = 0
    coded = _coded_as(tokens, start, end)
    if coded is not None:
        dead = coded
    return dead, hurt


def _context_blocks(tokens: list[Token], i: int, phrases: frozenset[str]) -> bool:
    """Counts right after 'coded as' or inside '(X reported N fatalities)' are not ours."""
    window = " ".join(t.text for t in tokens[max(0, i - 4):i])
    return any(p in window for p in phrases)


def _coded_as(tokens: list[Token], start: int, end: int) -> int | None:
    """An explicit 'fatalities coded as N' in an ACLED-style note wins."""
    for i in range(start, end - 3):
        if tokens[i].text == "coded" and tokens[i + 1].text == "as" and tokens[i + 2].text.isdigit():
            before = {t.text for t in tokens[max(start, i - 3):i]}
            after = {t.text for t in tokens[i + 3:i + 5]}
            if "fatalities" in before or "fatalities" in after or "fatality" in after:
                return int(tokens[i + 2].text)
    return None


def _has_phrase(tokens: list[Token], start: int, end: int, phrases: frozenset[str]) -> bool:
    """Whether any phrase occurs in tokens [start, end)."""
    return any(_phrase_at(tokens, i, phrases, end) for i in range(start, end))


def _singulars(tokens, start, end, words, killed, injured, used) -> None:
    """'a civilian was killed', 'killing a man', 'the driver died' each count one."""
    victims = words["victims"]
    for i in range(start, end - 1):
        if tokens[i].text not in _SINGULAR or i in used:
            continue
        j = i + 1
        # Allow a couple of modifiers: "a 28-year-old civilian man", "a local policeman".
        noun_at = -1
        for k in range(j, min(end, j + 5)):
            if tokens[k].text in victims or (
                k + 1 < end and f"{tokens[k].text} {tokens[k + 1].text}" in victims
            ):
                noun_at = k
                break
            if tokens[k].text.isdigit() and k > j + 1:
                break
        if noun_at < 0:
            continue
        noun = tokens[noun_at].text
        before_kill = _phrase_before(tokens, i, words["kill_before"], start)
        before_injure = _phrase_before(tokens, i, words["injure_before"], start)
        if before_kill and tokens[i - 1].text not in words["injure_before"]:
            killed.setdefault((1, noun + f"@{i}"), 1)
            continue
        if before_injure:
            injured.setdefault((1, noun + f"@{i}"), 1)
            continue
        for k in range(noun_at + 1, min(end, noun_at + 6)):
            text = tokens[k].text
            if text.isdigit() or text in ("and", "while", "but", "after", "when"):
                break
            if _phrase_at(tokens, k, words["kill_forms"], end):
                if tokens[k].text not in ("killing", "killings", "death", "deaths"):
                    killed.setdefault((1, noun + f"@{i}"), 1)
                break
            if _phrase_at(tokens, k, words["injure_forms"], end):
                if tokens[k].text not in ("injuring", "wounding"):
                    injured.setdefault((1, noun + f"@{i}"), 1)
                break
