"""Event locations on the real lexicon: place chains, capitals read as places, country context."""

from __future__ import annotations

import pytest

from app.extraction import Lexicon, extract


def _location(text: str, lexicon: Lexicon) -> tuple[str, str | None] | None:
    events = extract(text, lexicon).events
    assert events, text
    loc = events[0].location
    return None if loc is None else (loc.name, loc.country_iso3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A generic region word closing a chain is the head's own region, not another country's.
        ("On 3 July 2024, party supporters were beaten in Mulanje (Mulanje, Southern).", "MWI"),
        # A capital followed by "city" is where the event happened, not the government.
        ("On 9 July 2024, students staged a protest in the Gulistan area, Dhaka city.", "BGD"),
        ("On 6 July 2024, a youth wing held a demonstration in central Ankara.", "TUR"),
        # A demonym names an actor's country; it does not outweigh a town known in one country.
        ("On 2 July 2024, armed Somali herders attacked farmers in Kitui.", "KEN"),
        # A country named as an actor elsewhere does not drop the town of the event.
        ("On 5 July 2024, residents protested in Burco town against Israel's recognition.", "SOM"),
    ],
)
def test_event_location_country(text: str, expected: str, real_lexicon: Lexicon) -> None:
    got = _location(text, real_lexicon)
    assert got is not None and got[1] == expected, got


def test_capital_as_actor_is_not_the_location(real_lexicon: Lexicon) -> None:
    got = _location("On 4 July 2024, Moscow sent troops to Kursk Oblast.", real_lexicon)
    assert got == ("Kursk Oblast", "RUS")


@pytest.mark.parametrize(
    "text",
    [
        "On 6 July 2024, militants attacked a convoy near Xaaji-Cali village.",
        "Non-violent activity: on 6 July 2024, NGO workers were detained by police.",
    ],
)
def test_word_parts_and_acronyms_are_not_places(text: str, real_lexicon: Lexicon) -> None:
    assert all(p.text not in ("Cali", "Non", "NGO") for p in _places(text, real_lexicon))


def _places(text: str, lexicon: Lexicon) -> list:
    return [m for m in extract(text, lexicon).mentions if m.kind == "location"]


def test_without_a_place_the_state_actor_gives_the_country(real_lexicon: Lexicon) -> None:
    text = "On 4 July 2024, Kenyan police shot dead a student during a march."
    loc = extract(text, real_lexicon).events[0].location
    assert loc is not None and (loc.country_iso3, loc.precision) == ("KEN", "country")
    assert text[slice(*loc.span)] == loc.text and "Kenya" in loc.text
