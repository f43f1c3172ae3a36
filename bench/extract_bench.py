"""Benchmark `extract()` on a ~600-word news article, and the lexicon build (cold and warm).

    .venv/bin/python bench/extract_bench.py [--runs 200] [--cache-dir data/cache] [--cold]

`--cold` removes the compiled lexicon pickle first so the build is measured from the seeds and
the gazetteer cache (the gazetteer's own cache is left alone).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.extraction import build_lexicon, extract  # noqa: E402
from app.reference.gazetteer import load_gazetteer  # noqa: E402

# Paragraphs written for this benchmark: wire-style reporting on several conflicts.
PARAGRAPHS = [
    "On 12 May 2024, Russian forces shelled Kharkiv and nearby villages with artillery and "
    "multiple rocket launchers, killing three civilians and injuring eleven others, regional "
    "officials said. The strikes damaged a school, a hospital and several residential buildings.",
    "Ukrainian forces repelled two assaults near Pokrovsk, Donetsk region, the General Staff "
    "reported on Saturday, adding that around 40 Russian soldiers were killed in the fighting.",
    "North Korea has delivered about 50 M1989 Koksan self-propelled howitzers and dozens of "
    "BM-27 Uragan launchers to Russia, according to Ukrainian intelligence. Satellite images "
    "show the systems on a railway platform near Krasnoyarsk.",
    "In Kenya, police fired tear gas to disperse hundreds of protesters in Nairobi who were "
    "demanding lower fuel prices. At least 25 people were arrested, and two demonstrators were "
    "taken to hospital with injuries.",
    "Al Shabaab militants attacked a military base near Balcad (Balcad, Middle Shabelle) early "
    "on Tuesday, triggering a gun battle with government soldiers that lasted several hours. "
    "Five militants and two soldiers died, a local elder told reporters.",
    "A roadside bomb exploded near Mogadishu on 10 May 2024, killing a driver and wounding four "
    "passengers. No group claimed responsibility, but officials blamed Al Shabaab.",
    "In Bangladesh, rioters burned tyres and threw stones at police in Dhaka during a strike "
    "called by opposition parties, leaving one person dead and dozens injured.",
    "Meanwhile, Moscow provided Pyongyang with air defence systems, the Financial Times "
    "reported, citing officials familiar with the matter. Analysts said the transfer would "
    "strengthen the alliance between the two governments.",
    "Israeli aircraft struck a house in Khan Younis overnight, killing at least six people, "
    "including two children, according to local health officials. The army said it targeted "
    "a militant commander.",
    "This year, North Korea sent 12,000 troops to the Kursk region to support Russian forces, "
    "and thousands more are expected to arrive in the coming months, officials said.",
    "Gunmen abducted twelve passengers from a bus near Kisumu on Monday. Police said a search "
    "operation was under way and that two suspects had been detained.",
]


def build_article(words: int = 600) -> str:
    """Repeat the paragraphs until the article is about `words` words long."""
    out: list[str] = []
    count = 0
    i = 0
    while count < words:
        paragraph = PARAGRAPHS[i % len(PARAGRAPHS)]
        out.append(paragraph)
        count += len(paragraph.split())
        i += 1
    return "\n\n".join(out)


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seeds-dir", default=str(REPO / "seeds"))
    parser.add_argument("--cache-dir", default=str(REPO / "data" / "cache"))
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    seeds, cache = Path(args.seeds_dir), Path(args.cache_dir)
    if args.cold:
        for stale in (cache / "extraction").glob("lexicon-*.pkl"):
            stale.unlink()
    gazetteer = load_gazetteer(cache, seeds)
    started = time.perf_counter()
    lexicon = build_lexicon(seeds, cache, gazetteer)
    first = time.perf_counter() - started
    started = time.perf_counter()
    build_lexicon(seeds, cache, gazetteer)
    warm = time.perf_counter() - started
    article = build_article()
    published = date(2024, 5, 14)
    for _ in range(10):
        extract(article, lexicon, published_at=published)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = extract(article, lexicon, published_at=published)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"article: {len(article.split())} words, {len(article)} chars, "
        f"{len(result.events)} events, {len(result.mentions)} mentions"
    )
    print(
        f"extract: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms over {args.runs} runs"
    )
    print(
        f"lexicon: first build {first:.2f} s ({'cold' if args.cold else 'as found'}), "
        f"warm {warm:.2f} s, {len(lexicon.places)} places, {len(lexicon.actors)} actors, "
        f"{len(lexicon.equipment)} equipment"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
