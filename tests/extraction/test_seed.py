"""The must-haves of the seed article (what `score.py seed` checks), on both lexicons."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from app.extraction import Extraction, Lexicon, extract
from app.extraction.contract import extraction_dict

TEXT = (Path(__file__).resolve().parent / "golden" / "article-koksan-kursk.txt").read_text(
    encoding="utf-8"
)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _must_haves(result: Extraction) -> dict[str, bool]:
    out = extraction_dict(result)
    events = out["events"]
    actors = [a for e in events for a in e["actors"]]
    equipment = [q for e in events for q in e["equipment"]]
    locations = [e["location"] or {} for e in events]
    koksan = [q for q in equipment if "koksan" in q["name"].lower()]
    return {
        "koksan one name": len({q["name"] for q in koksan}) == 1,
        "koksan 50": any(q["quantity"] == 50 for q in koksan),
        "koksan 170 mm": any(q["caliber_mm"] == 170 for q in koksan),
        "mlrs 20 is bm-27": any(
            q["quantity"] == 20 and "bm-27" in q["name"].lower() for q in equipment
        ),
        "arms transfer prk -> rus": any(
            e["sub_event_type"] == "Arms transfer"
            and any(a["country_iso3"] == "PRK" and a["role"] == "supplier" for a in e["actors"])
            and any(a["country_iso3"] == "RUS" and a["role"] == "recipient" for a in e["actors"])
            for e in events
        ),
        "kursk in russia": any(
            "kursk" in (loc.get("name") or "").lower() and loc.get("country_iso3") == "RUS"
            for loc in locations
        )
        and not any(
            "kursk" in (loc.get("name") or "").lower() and loc.get("country_iso3") != "RUS"
            for loc in locations
        ),
        "krasnoyarsk located": any(
            "krasnoyarsk" in (loc.get("name") or "").lower()
            and loc.get("lat") is not None
            and _km(56.01, 92.87, loc["lat"], loc["lon"]) < 30
            for loc in locations
        ),
        "metonyms are actors": not any(
            (loc.get("name") or "").lower() in ("pyongyang", "moscow") for loc in locations
        )
        and any(a["text"] == "Pyongyang" and a["country_iso3"] == "PRK" for a in actors)
        and any(a["text"] == "Moscow" and a["country_iso3"] == "RUS" for a in actors),
        "12,000 troops deployed": any(
            e["sub_event_type"] == "Troop deployment"
            and any(a["country_iso3"] == "PRK" for a in e["actors"])
            and "12,000" in e["evidence"]["text"]
            for e in events
        ),
        "reported by the FT": any(
            "financial times" in s["name"].lower() for e in events for s in e["reported_by"]
        ),
        "spans slice": all(
            TEXT[a["span"][0] : a["span"][1]] == a["text"] for a in actors + equipment
        ),
    }


def test_seed_must_haves_fixture(small_lexicon: Lexicon) -> None:
    checks = _must_haves(extract(TEXT, small_lexicon, published_at=date(2024, 11, 16)))
    assert all(checks.values()), {k: v for k, v in checks.items() if not v}


def test_seed_must_haves_real(real_lexicon: Lexicon) -> None:
    checks = _must_haves(extract(TEXT, real_lexicon, published_at=date(2024, 11, 16)))
    assert all(checks.values()), {k: v for k, v in checks.items() if not v}


@pytest.mark.parametrize("published", [None, date(2024, 11, 16)])
def test_seed_first_event_is_arms_transfer(small_lexicon: Lexicon, published) -> None:
    result = extract(TEXT, small_lexicon, published_at=published)
    assert result.events[0].sub_event_type == "Arms transfer"
    assert result.events[0].location is not None
    assert result.events[0].location.name == "Kursk Oblast"
