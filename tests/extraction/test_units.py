"""Unit tests of the recognisers: normalization, numbers, dates, sentences, casualties."""

from __future__ import annotations

from datetime import date

import pytest

from app.extraction import Lexicon, extract
from app.extraction.cues import inflect_verb, pluralize
from app.extraction.dates import find_dates
from app.extraction.quantities import find_calibres, find_quantities, tokens_of
from app.extraction.sentences import split_sentences
from app.extraction.textnorm import normalize_key, normalize_text


def test_normalized_text_maps_back_to_original_offsets() -> None:
    text = "BM-27 “Uragan” near Dnipró"
    norm = normalize_text(text)
    assert norm.norm == "bm 27 uragan near dnipro"
    start = norm.norm.index("uragan")
    assert text[slice(*norm.original_span(start, start + 6))] == "Uragan"
    assert normalize_key("M-1978/1989 Koksan") == "m 1978 1989 koksan"
    assert normalize_key("M1989") == normalize_key("M-1989") == "m 1989"


def test_inflection_rules() -> None:
    assert {"shells", "shelled", "shelling"} <= inflect_verb("shell")
    assert {"repelled", "repelling"} <= inflect_verb("repel")
    assert {"opened fire", "opening fire"} <= inflect_verb("open fire")
    assert {"militiamen"} <= pluralize("militiaman")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,000 troops", 12000),
        ("fifty people", 50),
        ("twenty-five soldiers", 25),
        ("two hundred shells", 200),
        ("dozens of people", 12),
        ("hundreds of residents", 100),
        ("1.5 million shells", 1_500_000),
    ],
)
def test_quantities(text: str, value: int, small_lexicon: Lexicon) -> None:
    tokens = tokens_of(normalize_text(text))
    found = find_quantities(text, tokens, small_lexicon.numbers, [])
    assert found and found[0].value == value


def test_no_quantity_inside_designations(small_lexicon: Lexicon) -> None:
    text = "@Archer83Able posted a T-72 photo"
    tokens = tokens_of(normalize_text(text))
    assert find_quantities(text, tokens, small_lexicon.numbers, []) == []


def test_calibres() -> None:
    assert [c[0] for c in find_calibres("a 170 mm gun, a 152-mm gun and a 122mm one")] == [
        170.0,
        152.0,
        122.0,
    ]


@pytest.mark.parametrize(
    ("text", "published", "expected", "precision"),
    [
        ("On 13 March 2023, forces shelled", None, date(2023, 3, 13), "day"),
        ("on March 13, 2023 police", None, date(2023, 3, 13), "day"),
        ("clashes on 2 Aug near", date(2024, 8, 10), date(2024, 8, 2), "day"),
        ("dated 2024-11-14 in", None, date(2024, 11, 14), "day"),
        ("reported on Saturday that", date(2024, 11, 16), date(2024, 11, 16), "day"),
        ("yesterday troops", date(2024, 11, 16), date(2024, 11, 15), "day"),
        ("last week troops", date(2024, 11, 16), date(2024, 11, 6), "week"),
        ("this year troops", date(2024, 11, 16), date(2024, 1, 1), "year"),
        ("in 2023 troops", None, date(2023, 1, 1), "year"),
    ],
)
def test_dates(text, published, expected, precision, small_lexicon: Lexicon) -> None:
    found = find_dates(text, small_lexicon.numbers, published)
    assert found and found[0].value == expected and found[0].precision == precision


def test_sentences_survive_abbreviations(small_lexicon: Lexicon) -> None:
    text = "Gen. Smith said U.S. troops left. Police came.\nNext line"
    spans = split_sentences(text, small_lexicon.abbreviations)
    assert [text[a:b] for a, b in spans] == [
        "Gen. Smith said U.S. troops left.",
        "Police came.",
        "Next line",
    ]


@pytest.mark.parametrize(
    ("text", "dead", "hurt"),
    [
        ("On 1 May 2024, gunmen killed 3 soldiers near Balcad.", 3, None),
        ("On 1 May 2024, a civilian man was killed in Mandera.", 1, None),
        ("On 1 May 2024, police shot protesters in Dhaka, killing two and injuring 4.", 2, 4),
        ("On 1 May 2024, a bomb exploded in Mogadishu, leaving 5 dead.", 5, None),
        ("On 1 May 2024, 3 people died after a blast in Mogadishu.", 3, None),
        ("On 1 May 2024, Russian forces shelled Kharkiv. There were no casualties.", 0, None),
        ("On 1 May 2024, a mine killed 14 soldiers and 6 police officers in Balcad.", 20, None),
    ],
)
def test_casualties(text: str, dead, hurt, small_lexicon: Lexicon) -> None:
    event = extract(text, small_lexicon).events[0]
    assert (event.fatalities, event.injured) == (dead, hurt)


def test_metonym_subject_is_actor_and_locative_is_place(small_lexicon: Lexicon) -> None:
    event = extract("Moscow sent troops to Kyiv on 2 May 2024.", small_lexicon).events[0]
    assert any(a.text == "Moscow" and a.country_iso3 == "RUS" for a in event.actors)
    assert event.location is not None and event.location.name == "Kyiv"


def test_equipment_beats_place(small_lexicon: Lexicon) -> None:
    result = extract("North Korea shipped Koksan howitzers to Russia.", small_lexicon)
    kinds = {m.text: m.kind for m in result.mentions}
    assert kinds["Koksan"] == "equipment"


def test_generic_actors_take_the_event_country(small_lexicon: Lexicon) -> None:
    event = extract(
        "On 5 June 2024, police dispersed protesters in Kisumu with tear gas.", small_lexicon
    ).events[0]
    names = {a.name for a in event.actors}
    assert {"Police Forces of Kenya", "Protesters (Kenya)"} <= names


def test_empty_and_blank_text(small_lexicon: Lexicon) -> None:
    assert extract("", small_lexicon).events == ()
    assert extract("   \n ", small_lexicon).mentions == ()
