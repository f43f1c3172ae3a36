"""Properties that hold for any input: spans slice to their text, output is deterministic."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extraction import Extraction, Lexicon, extract
from tests.extraction.conftest import fixture_lexicon

_LEXICON: Lexicon = fixture_lexicon()
_WORDS = [
    "On",
    "13",
    "March",
    "2023",
    ",",
    "Russian",
    "forces",
    "shelled",
    "Zarichne",
    "Zaporizhia",
    "killing",
    "two",
    "civilians",
    ".",
    "North",
    "Korea",
    "sent",
    "12,000",
    "troops",
    "to",
    "Kursk",
    "Oblast",
    "M-1978/1989",
    "Koksan",
    "BM-27",
    "“Uragan”",
    "Pyongyang",
    "Moscow",
    "police",
    "protesters",
    "dispersed",
    "tear",
    "gas",
    "yesterday",
    "\n",
    "Kyiv",
    "near",
    "drone",
    "strike",
    "fifty",
    "dozens",
    "wounded",
    "Ünïcödé",
    "İstanbul",
    "ß",
    "'s",
    "(",
    ")",
]
_texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_WORDS), max_size=60).map(" ".join),
)


def _spans(result: Extraction):
    for mention in result.mentions:
        yield mention.span, mention.text
    for event in result.events:
        yield event.evidence.span, event.evidence.text
        for actor in event.actors:
            yield actor.span, actor.text
        for item in event.equipment:
            yield item.span, item.text
        if event.location is not None:
            yield event.location.span, event.location.text
        stack = list(event.reported_by)
        while stack:
            source = stack.pop()
            yield source.span, source.text
            stack.extend(source.citing)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts)
def test_every_span_slices_to_its_text(text: str) -> None:
    result = extract(text, _LEXICON)
    for (start, end), surface in _spans(result):
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == surface


@settings(max_examples=150, deadline=None)
@given(_texts)
def test_output_is_deterministic(text: str) -> None:
    assert extract(text, _LEXICON) == extract(text, _LEXICON)
