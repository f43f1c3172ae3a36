"""Articles through HTTP: extraction without storage, idempotent storage, and read-back."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

SEED_ARTICLE = (
    Path(__file__).parents[1] / "extraction" / "golden" / "article-koksan-kursk.txt"
).read_text(encoding="utf-8")
POST = {"text": SEED_ARTICLE, "published_at": "2024-11-16", "source": "Financial Times"}


def test_extract_stores_nothing_and_keeps_spans(client: TestClient) -> None:
    body = client.post("/api/v1/extract", json=POST).json()
    assert body["events"] and body["mentions"]["actors"]
    for event in body["events"]:
        start, end = event["evidence"]["span"]
        assert SEED_ARTICLE[start:end] == event["evidence"]["text"]
        for item in event["actors"] + event["equipment"]:
            assert SEED_ARTICLE[item["span"][0] : item["span"][1]] == item["text"]
    starts = [e["evidence"]["span"][0] for e in body["events"]]
    assert starts == sorted(starts)
    assert client.get("/api/v1/events").json()["total"] == 0


def test_seed_article_is_stored_once_and_found_by_metonym(client: TestClient) -> None:
    first = client.post("/api/v1/articles", json=POST)
    assert first.status_code == 201, first.text
    article = first.json()
    transfers = [e for e in article["events"] if e["sub_event_type"] == "Arms transfer"]
    equipment = {(q["name"], q["quantity"]) for e in transfers for q in e["equipment"]}
    assert {("M1989 Koksan", 50), ("BM-27 Uragan", 20)} <= equipment
    assert any(e["location"] and e["location"]["name"] == "Kursk Oblast" for e in transfers)
    kinds = {e["sub_event_type"] for e in article["events"]}
    assert {"Arms transfer", "Troop deployment", "Equipment sighting"} <= kinds
    assert all(e["reported_by"] for e in article["events"])
    again = client.post("/api/v1/articles", json=POST)
    assert again.status_code == 200
    assert again.json()["id"] == article["id"]
    found = client.get("/api/v1/events", params={"actor": "Pyongyang", "limit": 100}).json()
    stored_ids = {e["id"] for e in article["events"]}
    assert stored_ids and {e["id"] for e in found["data"]} <= stored_ids
    assert all(e["article_id"] == article["id"] and e["evidence"] for e in found["data"])
    read = client.get(f"/api/v1/articles/{article['id']}").json()
    assert read["text"] == SEED_ARTICLE and read["events"] == article["events"]
    assert any(
        m["text"] == "Pyongyang" and m["country_iso3"] == "PRK" for m in read["mentions"]["actors"]
    )


def test_concurrent_duplicate_posts_store_one_article(client: TestClient) -> None:
    body = {**POST, "text": SEED_ARTICLE + "\nUpdated at noon."}
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(
            pool.map(lambda _: client.post("/api/v1/articles", json=body).status_code, range(4))
        )
    assert statuses.count(201) == 1 and set(statuses) <= {200, 201}
    ids = {client.post("/api/v1/articles", json=body).json()["id"]}
    assert len(ids) == 1


def test_bad_articles_are_refused_cleanly(client: TestClient) -> None:
    assert client.post("/api/v1/articles", json={"text": ""}).status_code == 422
    assert client.post("/api/v1/articles", json={"text": "a\u0000b"}).status_code == 422
    assert client.post("/api/v1/extract", json={"text": 42}).status_code == 422
    assert (
        client.post("/api/v1/extract", json={"text": "x", "published_at": "soon"}).status_code
        == 422
    )
    assert client.get("/api/v1/articles/999999").status_code == 404
    assert client.post("/api/v1/articles", json={"text": "war " * 600_000}).status_code == 413
    assert client.get("/api/v1/events").json()["total"] == 0


def test_extracted_events_can_be_posted_back_unchanged(client: TestClient) -> None:
    extracted = client.post("/api/v1/extract", json=POST).json()["events"]
    response = client.post("/api/v1/events", json=extracted)
    assert response.status_code == 201, response.text
    stored = response.json()
    assert [e["sub_event_type"] for e in stored] == [e["sub_event_type"] for e in extracted]
    assert [[a["id"] for a in e["actors"]] for e in stored] == [
        [a["id"] for a in e["actors"]] for e in extracted
    ]
    assert [e["location"] and e["location"]["name"] for e in stored] == [
        e["location"] and e["location"]["name"] for e in extracted
    ]
