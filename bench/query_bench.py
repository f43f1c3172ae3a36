"""Latency of typical frontend queries at 1,000,000 events, in-process through the ASGI app.

Loads a generated ACLED-format file through the import path into SQLite (and PostgreSQL with
`--postgres`), then times ~200 runs of each query with varied parameters and prints the median
and p99 in milliseconds.

    .venv/bin/python bench/query_bench.py                 # SQLite, 1M events
    .venv/bin/python bench/query_bench.py --postgres --no-sqlite
    .venv/bin/python bench/query_bench.py --reuse         # keep the loaded databases
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import get_engine
from app.main import create_app
from app.models import Event
from app.services.catalog import Catalog, get_catalog
from app.settings import Settings, get_settings
from bench.import_bench import BENCH_DIR, ensure_file, fresh_database, timed_import

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench"
TARGET_P99_MS = 50.0

Query = Callable[[random.Random], tuple[str, dict[str, str]]]


def load(url: str, catalog: Catalog, csv_path: Path, rows: int, reuse: bool) -> None:
    """Fresh database with `rows` events from the file, unless it already holds them."""
    if reuse:
        try:
            with get_engine(url).connect() as connection:
                count = connection.scalar(select(func.count()).select_from(Event))
            if count == rows:
                print(f"{_backend(url)}: reusing {count:,} events")
                return
        except SQLAlchemyError:
            pass  # a missing or half-built database is simply rebuilt
    fresh_database(url, catalog)
    report, seconds = timed_import(url, catalog, csv_path)
    print(
        f"{_backend(url)}: imported {report.inserted:,} events in {seconds:.0f} s "
        f"({report.rows / seconds:,.0f} rows/s)"
    )


def sample_parameters(csv_path: Path, limit: int = 200_000) -> dict[str, list[tuple[str, ...]]]:
    """Realistic parameter values read back from the generated file."""
    regions: dict[str, set[str]] = defaultdict(set)
    points: list[tuple[str, ...]] = []
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            if number >= limit:
                break
            regions[row["country"]].add(row["admin1"])
            if number % 50 == 0:
                points.append((row["latitude"], row["longitude"]))
    pairs = [(country, admin1) for country, names in regions.items() for admin1 in names]
    return {"actor_region": pairs, "points": points, "countries": [(c,) for c in regions]}


def queries(samples: dict[str, list[tuple[str, ...]]]) -> dict[str, Query]:
    """The frontend's typical calls, each drawing fresh parameters per run."""

    def date_window(rng: random.Random) -> dict[str, str]:
        start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(1_700))
        return {"date_from": str(start), "date_to": str(start + dt.timedelta(days=90))}

    def actor_region(rng: random.Random) -> tuple[str, dict[str, str]]:
        country, admin1 = rng.choice(samples["actor_region"])
        params = {"actor": country, "region": admin1, "limit": "100", **date_window(rng)}
        return "/api/v1/events", params

    def bbox(rng: random.Random) -> tuple[str, dict[str, str]]:
        lat, lon = (float(v) for v in rng.choice(samples["points"]))
        box = f"{lon - 0.5:.4f},{lat - 0.5:.4f},{lon + 0.5:.4f},{lat + 0.5:.4f}"
        return "/api/v1/events", {"bbox": box, "limit": "100"}

    def stats_month(rng: random.Random) -> tuple[str, dict[str, str]]:
        country = rng.choice(samples["countries"])[0]
        return "/api/v1/stats/events", {"group_by": "month", "country": country}

    def stats_month_actor(rng: random.Random) -> tuple[str, dict[str, str]]:
        # A state by name: its forces, police and government count under it.
        state = rng.choice(samples["countries"])[0]
        return "/api/v1/stats/events", {"group_by": "month", "actor": state}

    def stats_month_all(rng: random.Random) -> tuple[str, dict[str, str]]:
        return "/api/v1/stats/events", {"group_by": "month"}

    return {
        "actor+region+dates limit 100": actor_region,
        "bbox 1x1 deg limit 100": bbox,
        "stats by month, one country": stats_month,
        "stats by month, one state actor": stats_month_actor,
        "stats by month, all events": stats_month_all,
    }


def measure(url: str, csv_path: Path, runs: int) -> None:
    """Median and p99 per query through the ASGI app in this process."""
    settings = Settings(database_url=url, cache_dir=get_settings().cache_dir)
    samples = sample_parameters(csv_path)
    rng = random.Random(11)
    with TestClient(create_app(settings)) as client:
        for name, query in queries(samples).items():
            path, params = query(rng)
            if client.get(path, params=params).status_code == 404:
                print(f"{_backend(url)}: {name}: endpoint missing, skipped")
                continue
            for _ in range(5):
                path, params = query(rng)
                client.get(path, params=params)
            timings = []
            for _ in range(runs):
                path, params = query(rng)
                started = time.perf_counter()
                response = client.get(path, params=params)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.text
            timings.sort()
            p99 = timings[max(0, int(len(timings) * 0.99) - 1)]
            verdict = "ok" if p99 <= TARGET_P99_MS else "MISSES 50 ms"
            print(
                f"{_backend(url)}: {name:32} median {statistics.median(timings):7.1f} ms   "
                f"p99 {p99:7.1f} ms   {verdict}"
            )


def _backend(url: str) -> str:
    return make_url(url).get_backend_name()


def main() -> None:
    parser = argparse.ArgumentParser(description="Query latency at scale (SQLite, PostgreSQL).")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep databases already loaded")
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    catalog = get_catalog(get_settings())
    csv_path = ensure_file(args.rows)
    urls = [] if args.no_sqlite else [f"sqlite:///{BENCH_DIR / 'query_bench.db'}"]
    if args.postgres:
        urls.append(args.postgres_url)
    for url in urls:
        load(url, catalog, csv_path, args.rows, args.reuse)
        measure(url, csv_path, args.runs)


if __name__ == "__main__":
    main()
