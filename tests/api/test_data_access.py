"""What frontends and analysts use: GeoJSON, CSV, fields, sync, stats, spatial filters, caching."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient

from tests.api.test_events import KOKSAN_TRANSFER


def _seed_events(client: TestClient) -> list[dict[str, Any]]:
    shelling = {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "event_date": "2024-12-03",
        "actors": [{"name": "Russian forces", "role": "initiator"}],
        "equipment": [{"name": "BM-21 Grad", "quantity": 4}],
        "location": {"name": "Kharkiv"},
        "fatalities": 2,
    }
    response = client.post("/api/v1/events", json=[KOKSAN_TRANSFER, shelling])
    assert response.status_code == 201, response.text
    return response.json()


def test_geojson_is_a_feature_collection_with_lon_lat(client: TestClient) -> None:
    transfer, _ = _seed_events(client)
    response = client.get("/api/v1/events", params={"region": "Kursk Oblast", "format": "geojson"})
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "Point"
    assert (lat, lon) == (transfer["location"]["lat"], transfer["location"]["lon"])
    assert feature["properties"]["sub_event_type"] == "Arms transfer"
    by_accept = client.get("/api/v1/events", headers={"accept": "application/geo+json"}).json()
    assert len(by_accept["features"]) == 2


def test_csv_uses_acled_column_names(client: TestClient) -> None:
    _seed_events(client)
    response = client.get("/api/v1/events", params={"format": "csv", "sort": "event_date"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["event_type"] for r in rows] == [
        "Strategic developments",
        "Explosions/Remote violence",
    ]
    transfer, shelling = rows
    assert (transfer["actor1"], transfer["actor2"], transfer["admin1"]) == (
        "North Korea",
        "Russia",
        "Kursk Oblast",
    )
    assert transfer["equipment"] == "M1989 Koksan x50"
    assert shelling["actor1"] == "Military Forces of Russia" and shelling["fatalities"] == "2"
    picked = client.get(
        "/api/v1/events", params={"format": "csv", "fields": "event_id,location"}
    ).text
    assert picked.splitlines()[0] == "event_id,location"
    assert (
        client.get("/api/v1/events", params={"format": "csv", "fields": "nope"}).status_code == 422
    )


def test_fields_pick_json_keys(client: TestClient) -> None:
    _seed_events(client)
    page = client.get("/api/v1/events", params={"fields": "id,event_type"}).json()
    assert all(set(e) == {"id", "event_type"} for e in page["data"]) and page["total"] == 2


def test_sync_feeds_changes_and_deletions(client: TestClient) -> None:
    transfer, shelling = _seed_events(client)
    mark = client.get(f"/api/v1/events/{shelling['id']}").json()["updated_at"]
    client.patch(f"/api/v1/events/{transfer['id']}", json={"status": "confirmed"})
    changed = client.get("/api/v1/events", params={"updated_since": mark}).json()["data"]
    assert [e["id"] for e in changed] == [transfer["id"]]
    client.delete(f"/api/v1/events/{shelling['id']}")
    deleted = client.get("/api/v1/events/deleted", params={"since": mark}).json()
    assert [d["event_id"] for d in deleted] == [shelling["id"]]


def test_stats_group_in_sql(client: TestClient) -> None:
    _seed_events(client)
    by_month = client.get("/api/v1/stats/events", params={"group_by": "month"}).json()
    assert by_month["data"] == [
        {"month": "2024-11-01", "events": 1, "fatalities": 0, "equipment_quantity": 50},
        {"month": "2024-12-01", "events": 1, "fatalities": 2, "equipment_quantity": 4},
    ]
    russia = client.get(
        "/api/v1/stats/events", params={"group_by": "month", "actor": "Russia"}
    ).json()
    assert [row["events"] for row in russia["data"]] == [1, 1]
    two = client.get("/api/v1/stats/events", params={"group_by": "country,event_type"}).json()[
        "data"
    ]
    assert {(r["country"], r["event_type"]) for r in two} == {
        ("RUS", "Strategic developments"),
        ("UKR", "Explosions/Remote violence"),
    }
    by_equipment = client.get("/api/v1/stats/events", params={"group_by": "equipment"}).json()[
        "data"
    ]
    assert {r["equipment"]: r["equipment_quantity"] for r in by_equipment} == {
        "M1989 Koksan": 50,
        "BM-21 Grad": 4,
    }
    week = client.get("/api/v1/stats/events", params={"group_by": "week"}).json()["data"]
    assert [r["week"] for r in week] == ["2024-11-11", "2024-12-02"]
    assert client.get("/api/v1/stats/events", params={"group_by": "planet"}).status_code == 422


def test_near_radius_on_both_sides_of_the_edge(client: TestClient) -> None:
    _, shelling = _seed_events(client)
    lat, lon = shelling["location"]["lat"], shelling["location"]["lon"]
    near = client.get(
        "/api/v1/events", params={"near": f"{lat + 0.1},{lon}", "radius_km": 15}
    ).json()
    assert [e["id"] for e in near["data"]] == [shelling["id"]]
    far = client.get("/api/v1/events", params={"near": f"{lat + 0.1},{lon}", "radius_km": 5}).json()
    assert far["total"] == 0
    assert client.get("/api/v1/events", params={"near": "1,2"}).status_code == 422


def test_etag_and_last_modified_give_304(client: TestClient) -> None:
    transfer, _ = _seed_events(client)
    first = client.get(f"/api/v1/events/{transfer['id']}")
    etag = first.headers["etag"]
    assert first.headers["last-modified"]
    again = client.get(f"/api/v1/events/{transfer['id']}", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    since = client.get(
        f"/api/v1/events/{transfer['id']}",
        headers={"if-modified-since": first.headers["last-modified"]},
    )
    assert since.status_code == 304
    client.patch(f"/api/v1/events/{transfer['id']}", json={"fatalities": 1})
    changed = client.get(f"/api/v1/events/{transfer['id']}", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_full_text_search_finds_words_in_notes_and_ranks_them(client: TestClient) -> None:
    notes = [
        "Russian artillery shelled the outskirts of the town overnight.",
        "Shelling hit a school; artillery shells and more artillery fire followed.",
        "Protesters marched peacefully to the city hall.",
    ]
    body = [{"event_type": "Protests", "notes": text} for text in notes]
    created = client.post("/api/v1/events", json=body).json()
    found = client.get("/api/v1/events", params={"q": "artillery"}).json()
    assert {e["id"] for e in found["data"]} == {created[0]["id"], created[1]["id"]}
    both_words = client.get("/api/v1/events", params={"q": "shelled outskirts"}).json()
    assert [e["id"] for e in both_words["data"]] == [created[0]["id"]]
    ranked = client.get("/api/v1/events", params={"q": "artillery", "sort": "relevance"}).json()
    assert ranked["data"][0]["id"] == created[1]["id"]
    odd = client.get("/api/v1/events", params={"q": 'artillery" )(*'}).json()
    assert odd["total"] == 2
    client.patch(f"/api/v1/events/{created[2]['id']}", json={"notes": "Artillery duel reported."})
    assert client.get("/api/v1/events", params={"q": "artillery"}).json()["total"] == 3
    assert client.get("/api/v1/events", params={"q": "!!!"}).status_code == 422
