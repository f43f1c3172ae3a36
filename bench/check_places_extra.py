"""Audit seeds/places_extra.csv against the rest of the gazetteer (a curation aid, not a test).

For every row it reports
- DUP: its name or an alias already resolves to a non-seed place of the same country within
  10 km (the row adds nothing; drop it), and
- FAR: its point lies more than 150 km from every packaged place of its stated first-level
  division, or more than 40 km from them while a place of another division is much nearer
  (likely a slip in the coordinates or the division).

    .venv/bin/python bench/check_places_extra.py [--file PATH] [--drop-dups]

`--file` audits another file of the same columns (rows being curated before they join the seed).

`--drop-dups` rewrites the file without the DUP rows, and prints as `ALIAS country,name,alias`
the place_aliases.csv rows that would carry a DUP row's other spellings over to the packaged
place, when that place is the only one of its name in the country (place_aliases.csv attaches an
alias to the most populous place of the name, so a shared name would get it in the wrong place).
Exit status 1 when anything is FAR.
"""

from __future__ import annotations

import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

from app.reference.gazetteer import DEFAULT_SEEDS_DIR, load_gazetteer, normalize_name

DUP_KM = 10.0
FAR_KM = 150.0
NEAR_OTHER_KM = 40.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def main(argv: list[str]) -> int:
    path = Path(argv[argv.index("--file") + 1]) if "--file" in argv else None
    path = path or DEFAULT_SEEDS_DIR / "places_extra.csv"
    gazetteer = load_gazetteer()
    by_division: dict[tuple[str, str | None], list[tuple[float, float]]] = defaultdict(list)
    by_country: dict[str, list[tuple[float, float, str | None]]] = defaultdict(list)
    for rec in gazetteer.records:
        if rec.id.startswith("gn:"):
            by_division[(rec.country_iso3, rec.admin1)].append((rec.lat, rec.lon))
            by_country[rec.country_iso3].append((rec.lat, rec.lon, rec.admin1))
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    keep, dups, far = [], 0, 0
    for line, row in enumerate(rows, start=2):
        lat, lon, iso3 = float(row["lat"]), float(row["lon"]), row["country_iso3"]
        if row["feature_type"] == "other":
            keep.append(row)  # facilities share names with the villages they stand by
            continue
        names = [row["name"], *(a for a in row["aliases"].split(";") if a.strip())]
        hit = None
        for name in names:
            for rec in gazetteer.lookup(name):
                if (
                    not rec.id.startswith("x:")
                    and rec.country_iso3 == iso3
                    and rec.feature_type not in ("country", "admin1")
                    and km(lat, lon, rec.lat, rec.lon) <= DUP_KM
                ):
                    hit = (name, rec)
                    break
            if hit:
                break
        if hit:
            dups += 1
            name, rec = hit
            same_name = [
                r for r in gazetteer.lookup(rec.name)
                if r.country_iso3 == iso3 and r.feature_type not in ("country", "admin1")
            ]  # fmt: skip
            if [r.id for r in same_name] == [rec.id]:
                known = {normalize_name(n) for n in (rec.name, *rec.aliases)}
                for alias in names:
                    if normalize_name(alias) not in known:
                        known.add(normalize_name(alias))
                        print(f"ALIAS {iso3},{rec.name},{alias}")
            print(f"DUP {path.name}:{line} {row['id']}: {name!r} is {rec.id} {rec.name} "
                  f"({km(lat, lon, rec.lat, rec.lon):.1f} km)")  # fmt: skip
        else:
            keep.append(row)
        if not row["admin1"]:
            continue
        admin1 = gazetteer.admin1(iso3, row["admin1"])
        division = admin1.name if admin1 else row["admin1"]
        same = min((km(lat, lon, a, b) for a, b in by_division[(iso3, division)]), default=1e9)
        other = min(
            (km(lat, lon, a, b) for a, b, d in by_country[iso3] if d != division), default=1e9
        )
        if same > FAR_KM or (same > NEAR_OTHER_KM and other < same / 3):
            far += 1
            print(f"FAR {path.name}:{line} {row['id']}: {same:.0f} km from any place of "
                  f"{division}, {other:.0f} km from another division's")  # fmt: skip
    print(f"{len(rows)} rows, {dups} DUP, {far} FAR")
    if "--drop-dups" in argv and dups:
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(keep)
        print(f"wrote {len(keep)} rows to {path}")
    return 1 if far else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
