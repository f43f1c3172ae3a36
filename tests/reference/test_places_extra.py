"""The curated villages and second-level districts of seeds/places_extra.csv resolve as meant."""

from __future__ import annotations

import math

import pytest

from app.reference.gazetteer import REPO_ROOT, Gazetteer, load_gazetteer

TEST_CACHE = REPO_ROOT / "data" / "test-cache"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer(TEST_CACHE, REPO_ROOT / "seeds")


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@pytest.mark.parametrize(
    ("name", "iso3", "admin1", "lat", "lon"),
    [
        ("Lastochkino", "UKR", "Donetsk Oblast", 48.14, 37.64),  # Russian spelling
        ("Paraskoviyivka", "UKR", "Donetsk Oblast", 48.645, 38.045),  # -yiv- variant
        ("Staromaiorske", "UKR", "Donetsk Oblast", 47.705, 36.93),
        ("Pylna", "UKR", "Kharkiv Oblast", 50.31, 36.45),
        ("Nikolaevo-Darino", "RUS", "Kursk Oblast", 51.25, 35.08),
        ("Eringeti", "COD", "Nord-Kivu", 0.59, 29.74),
        ("Mucojo", "MOZ", "Cabo Delgado", -12.08, 40.47),
        ("Tawila", "SDN", "North Darfur", 13.48, 24.87),
    ],
)
def test_curated_village_resolves_in_its_division(
    gazetteer: Gazetteer, name: str, iso3: str, admin1: str, lat: float, lon: float
) -> None:
    hits = [r for r in gazetteer.lookup(name) if r.country_iso3 == iso3 and r.admin1 == admin1]
    assert hits, f"{name} not found in {admin1}"
    assert min(km(r.lat, r.lon, lat, lon) for r in hits) < 5


@pytest.mark.parametrize(
    ("name", "iso3", "admin1"),
    [
        ("Pokrovsky district", "UKR", "Donetsk Oblast"),
        ("Kupianskyi Raion", "UKR", "Kharkiv Oblast"),
        ("Sudzha district", "RUS", "Kursk Oblast"),
        ("territoire de Rutshuru", "COD", "Nord-Kivu"),
        ("Kala-Balge", "NGA", "Borno"),
        ("Soum", "BFA", "Sahel"),
        ("cercle de Bankass", "MLI", "Mopti"),
    ],
)
def test_second_level_district_resolves(
    gazetteer: Gazetteer, name: str, iso3: str, admin1: str
) -> None:
    hits = [r for r in gazetteer.lookup(name) if r.feature_type == "admin2"]
    assert [(r.country_iso3, r.admin1) for r in hits] == [(iso3, admin1)]
    division = gazetteer.admin1(iso3, admin1)
    assert division is not None
    # A district lies within a few hundred km of its division's main town, never abroad.
    assert km(hits[0].lat, hits[0].lon, division.lat, division.lon) < 400
