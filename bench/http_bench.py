"""Extraction and ingest through real HTTP: a uvicorn server on loopback, a bench database.

    .venv/bin/python bench/http_bench.py [--runs 200] [--articles 300] [--database-url URL]

Starts `conflict-events serve` on a free port against a fresh database (SQLite under
data/bench/ unless --database-url names another), migrates and seeds it, then reports median and
p95 milliseconds of `POST /api/v1/extract` for a ~600-word article, and articles per second
stored by `POST /api/v1/articles` (each text distinct, so each one is extracted and written).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.extract_bench import build_article  # noqa: E402

BIN = REPO / ".venv" / "bin" / "conflict-events"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(env: dict[str, str]) -> None:
    for step in ("migrate", "seed"):
        subprocess.run([str(BIN), step], env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    database = REPO / "data" / "bench" / "http.db"
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": args.database_url or f"sqlite:///{database}"}
    _prepare(env)
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(120):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.5)
            article = build_article(600)
            body = {"text": article, "published_at": "2024-05-14"}
            for _ in range(10):
                client.post("/api/v1/extract", json=body)
            timings = []
            for _ in range(args.runs):
                started = time.perf_counter()
                response = client.post("/api/v1/extract", json=body)
                timings.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            started = time.perf_counter()
            for number in range(args.articles):
                text = f"{article}\nBulletin {number}."
                client.post("/api/v1/articles", json={**body, "text": text}).raise_for_status()
            rate = args.articles / (time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)
    words = len(article.split())
    p95 = statistics.quantiles(timings, n=100)[94]
    print(
        f"POST /api/v1/extract, {words}-word article, {args.runs} runs over HTTP: "
        f"median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms"
    )
    print(
        f"POST /api/v1/articles into {env['DATABASE_URL'].split(':')[0]}: "
        f"{rate:.1f} articles/s ({args.articles} distinct articles, one client)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
