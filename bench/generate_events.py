"""Write a realistic, generated ACLED-format CSV for benchmarks (no row comes from any dataset).

Actors come from the seeded catalog (state forces written ACLED-style with regime years, armed
groups by name, civilians/protesters/rioters by country), places from the gazetteer with their
coordinates and admin1, dates spread over five years, and every event type and sub-event type.

    .venv/bin/python bench/generate_events.py data/bench/acled_1m.csv --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.reference.gazetteer import PlaceRecord
from app.services.catalog import Catalog, get_catalog
from app.services.taxonomy import event_taxonomy
from app.settings import get_settings

COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]  # fmt: skip
# Share of events per type, roughly as in a conflict-heavy slice of ACLED.
TYPE_WEIGHTS = {
    "Battles": 0.22,
    "Explosions/Remote violence": 0.30,
    "Violence against civilians": 0.12,
    "Protests": 0.20,
    "Riots": 0.06,
    "Strategic developments": 0.10,
}
DISORDER = {t: "Political violence" for t in TYPE_WEIGHTS} | {
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
}
FIRST_DAY = dt.date(2020, 1, 1)
DAYS = (dt.date(2024, 12, 31) - FIRST_DAY).days + 1
COUNTRIES = 40
PLACES_PER_COUNTRY = 400


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    numeric: str
    forces: list[str]
    groups: list[str]
    places: list[PlaceRecord]


def build_countries(catalog: Catalog, rng: random.Random) -> list[Country]:
    """Countries with seeded forces, armed groups first, each with many gazetteer places."""
    places: dict[str, list[PlaceRecord]] = defaultdict(list)
    for record in catalog.gazetteer.records:
        if record.feature_type == "populated_place" and record.admin1:
            places[record.country_iso3].append(record)
    forces: dict[str, list[str]] = defaultdict(list)
    groups: dict[str, list[str]] = defaultdict(list)
    for actor in catalog.actors:
        if not actor.country_iso3:
            continue
        if actor.kind == "state_forces" and actor.name.startswith(("Military", "Police")):
            forces[actor.country_iso3].append(f"{actor.name} ({rng.choice((2000, 2014, 2019))}-)")
        elif actor.kind in ("rebel_group", "militia"):
            groups[actor.country_iso3].append(actor.name)
    ranked = sorted(
        (iso3 for iso3 in forces if len(places[iso3]) >= 50),
        key=lambda iso3: (-min(len(groups[iso3]), 3), -len(places[iso3])),
    )[:COUNTRIES]
    countries = []
    for iso3 in ranked:
        record = catalog.gazetteer.country(iso3)
        name = record.name if record else iso3
        numeric = pycountry.countries.get(alpha_3=iso3)
        chosen = sorted(places[iso3], key=lambda p: -p.population)[:PLACES_PER_COUNTRY]
        countries.append(
            Country(
                iso3=iso3,
                name=name,
                numeric=numeric.numeric if numeric else "",
                forces=forces[iso3],
                groups=groups[iso3] or [f"Unidentified Armed Group ({name})"],
                places=chosen,
            )
        )
    return countries


def generate(path: Path, rows: int, seed: int = 7) -> Path:
    """Write `rows` events to `path` and return it."""
    rng = random.Random(seed)
    catalog = get_catalog(get_settings())
    countries = build_countries(catalog, rng)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(countries))]
    taxonomy = event_taxonomy()
    types = list(TYPE_WEIGHTS)
    outlets = [a.name for a in catalog.actors if a.kind == "media"] or ["Local media"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(1, rows + 1):
            country = rng.choices(countries, weights)[0]
            foreign = rng.choices(countries, weights)[0]
            place = rng.choice(country.places)
            event_type = rng.choices(types, list(TYPE_WEIGHTS.values()))[0]
            sub_type = rng.choice(taxonomy[event_type])
            date = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
            actor1, actor2, inter1, inter2 = _actors(rng, event_type, country, foreign)
            fatalities = 0 if rng.random() < 0.6 else int(rng.expovariate(0.25))
            writer.writerow(
                (
                    f"{country.iso3}{number}",
                    date.isoformat(),
                    date.year,
                    rng.choices(("1", "2", "3"), (0.85, 0.1, 0.05))[0],
                    "Demonstrations"
                    if event_type in ("Protests", "Riots")
                    else "Political violence",
                    event_type,
                    sub_type,
                    actor1,
                    "",
                    inter1,
                    actor2,
                    "",
                    inter2,
                    f"{inter1}-{inter2}" if actor2 else f"{inter1} only",
                    "Civilians targeted" if "Civilians" in actor2 else "",
                    country.numeric,
                    "",
                    country.name,
                    place.admin1,
                    "",
                    "",
                    place.name,
                    f"{place.lat:.4f}",
                    f"{place.lon:.4f}",
                    rng.choices(("1", "2", "3"), (0.7, 0.25, 0.05))[0],
                    "; ".join(rng.sample(outlets, rng.choice((1, 1, 2)))),
                    "National",
                    f"On {date:%d %B %Y}, {actor1} {sub_type.lower()} in {place.name}.",
                    fatalities,
                    "",
                    int(time.mktime(date.timetuple())),
                )
            )
    return path


def _actors(
    rng: random.Random, event_type: str, country: Country, foreign: Country
) -> tuple[str, str, str, str]:
    forces = rng.choice(country.forces)
    if event_type in ("Protests", "Riots"):
        kind = "Protesters" if event_type == "Protests" else "Rioters"
        return f"{kind} ({country.name})", "", kind, ""
    armed = rng.choice(country.groups)
    if event_type == "Violence against civilians":
        if rng.random() < 0.5:
            return forces, f"Civilians ({country.name})", "State forces", "Civilians"
        return armed, f"Civilians ({country.name})", "Rebel group", "Civilians"
    if rng.random() < 0.3 and foreign is not country:
        return rng.choice(foreign.forces), forces, "External/Other forces", "State forces"
    return forces, armed, "State forces", "Rebel group"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", default=Path("data/bench/acled_1m.csv"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    generate(args.path, args.rows, args.seed)
    print(f"wrote {args.rows:,} rows to {args.path} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
