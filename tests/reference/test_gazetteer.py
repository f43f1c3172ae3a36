"""The gazetteer on the real package data and seeds: names, variants, seeds and the cache."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.reference.gazetteer import (
    CACHE_FILE,
    REPO_ROOT,
    Gazetteer,
    GazetteerDataError,
    PlaceRecord,
    build_gazetteer,
    load_gazetteer,
    normalize_name,
)

SEEDS_DIR = REPO_ROOT / "seeds"
TEST_CACHE = REPO_ROOT / "data" / "test-cache"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """Built once into the git-ignored test cache, then reused by every test and run."""
    return load_gazetteer(TEST_CACHE, SEEDS_DIR)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, to check coordinates the way the scorer does."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def only_admin1(records: list[PlaceRecord]) -> PlaceRecord:
    """The single first-level division among lookup results."""
    divisions = [r for r in records if r.feature_type == "admin1"]
    assert len(divisions) == 1, divisions
    return divisions[0]


@pytest.mark.parametrize(
    "name", ["Kursk Oblast", "Kursk region", "Kurskaya oblast", "KURSK OBLAST"]
)
def test_kursk_oblast_found_under_its_variants(gazetteer: Gazetteer, name: str) -> None:
    oblast = only_admin1(gazetteer.lookup(name))
    assert oblast.id == "adm1:RU.41"
    assert oblast.name == oblast.admin1 == "Kursk Oblast"
    assert oblast.country_iso3 == "RUS"
    assert km(oblast.lat, oblast.lon, 51.7, 36.2) < 50
    assert gazetteer.admin1("RUS", name) == oblast


def test_bare_division_name_finds_division_and_city(gazetteer: Gazetteer) -> None:
    kinds = {(r.feature_type, r.country_iso3) for r in gazetteer.lookup("Kursk")}
    assert {("admin1", "RUS"), ("populated_place", "RUS")} <= kinds


def test_krasnoyarsk_first_hit_is_the_russian_city(gazetteer: Gazetteer) -> None:
    first = gazetteer.lookup("Krasnoyarsk")[0]
    assert first.country_iso3 == "RUS"
    assert km(first.lat, first.lon, 56.01, 92.87) < 30


def test_lookup_is_most_populous_first(gazetteer: Gazetteer) -> None:
    populations = [r.population for r in gazetteer.lookup("Springfield")]
    assert len(populations) > 3
    assert populations == sorted(populations, reverse=True)


def test_kiev_finds_kyiv(gazetteer: Gazetteer) -> None:
    hits = gazetteer.lookup("Kiev")
    assert any(
        r.name == "Kyiv" and r.country_iso3 == "UKR" and r.feature_type == "populated_place"
        for r in hits
    )
    assert all(r.country_iso3 == "UKR" for r in hits[:2])


def test_town_and_its_division(gazetteer: Gazetteer) -> None:
    orikhiv = next(r for r in gazetteer.lookup("Orikhiv") if r.country_iso3 == "UKR")
    division = gazetteer.admin1("UKR", "Zaporizhia")
    assert division is not None and division.name == "Zaporizhia Oblast"
    assert orikhiv.admin1 == division.name
    for spelling in ("Zaporizhzhia Oblast", "Zaporozhye region", "Zaporizka oblast"):
        assert gazetteer.admin1("UKR", spelling) == division


@pytest.mark.parametrize(
    ("iso3", "spelling", "canonical"),
    [
        ("UKR", "Kiev City", "Kyiv City"),
        ("SOM", "Jubbada Hoose", "Lower Juba"),
        ("SYR", "Idlib", "Idleb"),
        ("COD", "North Kivu", "Nord-Kivu"),
        ("RUS", "Chechen Republic", "Chechnya"),
    ],
)
def test_acled_style_division_names(
    gazetteer: Gazetteer, iso3: str, spelling: str, canonical: str
) -> None:
    division = gazetteer.admin1(iso3, spelling)
    assert division is not None and division.name == canonical


def test_extra_place_from_seeds(gazetteer: Gazetteer) -> None:
    robotyne = gazetteer.get("x:robotyne")
    assert robotyne is not None
    assert robotyne in gazetteer.lookup("Rabotino")
    assert robotyne.country_iso3 == "UKR" and robotyne.admin1 == "Zaporizhia Oblast"
    assert km(robotyne.lat, robotyne.lon, 47.44, 35.84) < 5


def test_place_alias_from_seeds(gazetteer: Gazetteer) -> None:
    deir = gazetteer.lookup("Deir al-Balah")
    assert deir and deir[0].country_iso3 == "PSE" and deir[0].feature_type == "populated_place"
    assert any(r.country_iso3 == "YEM" for r in gazetteer.lookup("Hodeidah"))


def test_countries(gazetteer: Gazetteer) -> None:
    congo = gazetteer.country("COD")
    assert congo is not None and congo.name == "Democratic Republic of Congo"
    assert gazetteer.lookup("Russian Federation")[0].id == "cty:RUS"
    assert gazetteer.lookup("Ivory Coast")[0].country_iso3 == "CIV"
    palestine = gazetteer.country("PSE")
    assert palestine is not None and palestine.name == "Palestine"
    iso3s = {r.country_iso3 for r in gazetteer.records}
    assert all(gazetteer.country(iso3) for iso3 in iso3s)


def test_names_cover_every_alias(gazetteer: Gazetteer) -> None:
    kursk = gazetteer.get("adm1:RU.41")
    assert kursk is not None
    pairs = {name for name, rec in gazetteer.names() if rec is kursk}
    assert {"Kursk Oblast", "Kursk region", *kursk.aliases} == pairs


def test_normalize_name() -> None:
    assert normalize_name("\u201cZaporizhzhia\u2019s\u201d") == "zaporizhzhia s"
    assert normalize_name("Zapor\u00ed\u017e\u017eja") == "zaporizzja"
    assert normalize_name("  Ta\u02bbizz -- \u0141\u00f3d\u017a ") == "ta izz lodz"
    assert normalize_name("BM-27 \u201cUragan\u201d") == "bm 27 uragan"
    text = "Mar\u2019yinka, Donets\u2019ka oblast"
    assert normalize_name(normalize_name(text)) == normalize_name(text)


def test_bad_seed_row_names_file_and_line(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    lines = (seeds / "places_extra.csv").read_text().splitlines()
    lines.append("broken-row,Broken,populated_place,UKR,Sumy Oblast,north,34.8,")
    (seeds / "places_extra.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(GazetteerDataError, match=rf"places_extra\.csv:{len(lines)}: lat"):
        build_gazetteer(tmp_path / "cache" / CACHE_FILE, seeds)


BUILD_IN_CHILD = """
import sys
from pathlib import Path
from app.reference.gazetteer import load_gazetteer
gazetteer = load_gazetteer(Path(sys.argv[1]), Path(sys.argv[2]))
assert gazetteer.get("x:gazetteer-test-hamlet"), "new seed row missing"
"""


def test_cache_is_rebuilt_when_a_seed_changes(tmp_path: Path, gazetteer: Gazetteer) -> None:
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    shutil.copytree(SEEDS_DIR, seeds)
    cache.mkdir()
    shutil.copy2(TEST_CACHE / CACHE_FILE, cache / CACHE_FILE)
    built = (cache / CACHE_FILE).stat().st_mtime_ns

    assert load_gazetteer(cache, seeds).get("x:gazetteer-test-hamlet") is None
    assert (cache / CACHE_FILE).stat().st_mtime_ns == built  # same inputs: file reused

    with (seeds / "places_extra.csv").open("a", encoding="utf-8") as fh:
        fh.write("gazetteer-test-hamlet,Zzyzx Hamlet,populated_place,UKR,Sumy,50.9,34.8,\n")
    # Two processes start at once on the stale cache: one builds, the other waits and reuses.
    children = [
        subprocess.Popen(
            [sys.executable, "-c", BUILD_IN_CHILD, str(cache), str(seeds)], cwd=REPO_ROOT
        )
        for _ in range(2)
    ]
    assert [child.wait(timeout=600) for child in children] == [0, 0]
    assert (cache / CACHE_FILE).stat().st_mtime_ns != built
    assert not list(cache.glob("*.tmp.pkl"))

    hamlet = load_gazetteer(cache, seeds).lookup("zzyzx hamlet")
    assert [r.id for r in hamlet] == ["x:gazetteer-test-hamlet"]
    assert hamlet[0].admin1 == "Sumy Oblast"
