"""Structured events through HTTP: names resolve, queries find them, writes are all-or-nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings

KOKSAN_TRANSFER: dict[str, Any] = {
    "event_type": "Strategic developments",
    "sub_event_type": "Arms transfer",
    "event_date": "2024-11-16",
    "actors": [{"name": "Pyongyang", "role": "supplier"}, {"name": "Moscow", "role": "recipient"}],
    "equipment": [{"name": "Koksan", "quantity": 50}],
    "location": {"name": "Kursk region"},
    "reported_by": [{"name": "Financial Times", "citing": [{"name": "Ukrainian intelligence"}]}],
}


def _post(client: TestClient, body: Any) -> list[dict[str, Any]]:
    response = client.post("/api/v1/events", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_names_resolve_to_canonical_entities(client: TestClient) -> None:
    [event] = _post(client, KOKSAN_TRANSFER)
    supplier, recipient = event["actors"]
    assert (supplier["name"], supplier["country_iso3"], supplier["role"]) == (
        "North Korea",
        "PRK",
        "supplier",
    )
    assert (recipient["name"], recipient["country_iso3"], recipient["role"]) == (
        "Russia",
        "RUS",
        "recipient",
    )
    assert supplier["resolved"] and recipient["resolved"]
    [koksan] = event["equipment"]
    assert koksan["name"] == "M1989 Koksan"
    assert koksan["quantity"] == 50
    assert koksan["caliber_mm"] == 170
    location = event["location"]
    assert location["name"] == "Kursk Oblast"
    assert location["country_iso3"] == "RUS"
    assert location["precision"] == "admin1"
    assert abs(location["lat"] - 51.7) < 0.6 and abs(location["lon"] - 36.2) < 0.8
    [source] = event["reported_by"]
    assert source["name"] == "Financial Times"
    assert source["citing"][0]["name"]


def test_queries_find_the_event_by_alias_canonical_name_and_region(client: TestClient) -> None:
    [event] = _post(client, KOKSAN_TRANSFER)
    _post(
        client,
        {
            **KOKSAN_TRANSFER,
            "actors": [{"name": "Kyiv", "role": "initiator"}],
            "location": {"name": "Kharkiv"},
            "equipment": [],
        },
    )
    for query in (
        "actor=North%20Korea",
        "actor=Pyongyang",
        "actor=PRK",
        "region=Kursk%20Oblast",
        "region=Kursk%20region",
        "equipment=Koksan",
        "equipment=self-propelled%20artillery",
        "country=RUS",
        "country=Russia",
        "actor=Moscow&actor_role=recipient",
        "date_from=2024-11-01&date_to=2024-11-30&actor=North%20Korea",
        "bbox=35,51,38,53",
    ):
        page = client.get(f"/api/v1/events?{query}").json()
        assert [e["id"] for e in page["data"]] == [event["id"]], query
        assert page["total"] == 1


def test_parent_actor_includes_children(client: TestClient) -> None:
    [event] = _post(
        client, {**KOKSAN_TRANSFER, "actors": [{"name": "Putin's forces", "role": "initiator"}]}
    )
    assert event["actors"][0]["name"] == "Military Forces of Russia"
    found = client.get("/api/v1/events?actor=Russia").json()["data"]
    assert [e["id"] for e in found] == [event["id"]]
    assert client.get("/api/v1/events?actor=Moscow&actor_role=target").json()["total"] == 0


def test_unresolved_names_are_kept_and_flagged(client: TestClient) -> None:
    body = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actors": [{"name": "Zqxv Brigade of Nowhere", "role": "initiator"}],
        "equipment": [{"name": "Qwerty-9000 launcher", "quantity": 2}],
        "location": {"name": "Xyzzyville", "lat": 48.5, "lon": 37.9},
    }
    [event] = _post(client, body)
    assert event["actors"][0] == {
        **event["actors"][0],
        "name": "Zqxv Brigade of Nowhere",
        "resolved": False,
        "id": None,
    }
    assert event["equipment"][0]["resolved"] is False
    assert event["location"]["resolved"] is False
    assert event["location"]["country_iso3"] == "UKR"  # filled from the nearest known place
    found = client.get("/api/v1/events?actor=Zqxv%20Brigade%20of%20Nowhere").json()
    assert found["total"] == 1


def test_a_list_is_stored_all_or_nothing(client: TestClient) -> None:
    bad = {**KOKSAN_TRANSFER, "sub_event_type": "Peaceful protest"}
    response = client.post("/api/v1/events", json=[KOKSAN_TRANSFER, bad])
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 422
    assert client.get("/api/v1/events").json()["total"] == 0
    created = _post(client, [KOKSAN_TRANSFER, KOKSAN_TRANSFER])
    assert len(created) == 2


def test_patch_changes_only_given_fields(client: TestClient) -> None:
    [event] = _post(client, KOKSAN_TRANSFER)
    response = client.patch(
        f"/api/v1/events/{event['id']}", json={"fatalities": 3, "status": "confirmed"}
    )
    assert response.status_code == 200, response.text
    patched = response.json()
    assert (patched["fatalities"], patched["status"]) == (3, "confirmed")
    assert patched["equipment"] == event["equipment"]
    assert patched["updated_at"] >= event["updated_at"]
    replaced = client.patch(
        f"/api/v1/events/{event['id']}",
        json={"equipment": [{"name": "BM-27 Uragan", "quantity": 20}]},
    )
    assert [q["quantity"] for q in replaced.json()["equipment"]] == [20]
    nulls = client.patch(f"/api/v1/events/{event['id']}", json={"status": None, "event_type": None})
    assert (nulls.json()["status"], nulls.json()["event_type"]) == (
        "confirmed",
        event["event_type"],
    )
    invalid = client.patch(f"/api/v1/events/{event['id']}", json={"sub_event_type": "Mob violence"})
    assert invalid.status_code == 422


def test_delete_removes_and_leaves_404(client: TestClient) -> None:
    [event] = _post(client, KOKSAN_TRANSFER)
    assert client.delete(f"/api/v1/events/{event['id']}").status_code == 204
    missing = client.get(f"/api/v1/events/{event['id']}")
    assert missing.status_code == 404
    assert missing.json()["title"] == "Not found"
    assert client.delete(f"/api/v1/events/{event['id']}").status_code == 404


def test_pagination_walks_every_event_once(client: TestClient) -> None:
    days = [f"2024-01-{day:02d}" for day in range(1, 8)]
    _post(client, [{**KOKSAN_TRANSFER, "event_date": day} for day in days])
    seen: list[str] = []
    cursor = None
    while True:
        url = "/api/v1/events?limit=3&sort=event_date" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url).json()
        assert page["total"] == 7
        seen += [e["event_date"] for e in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == days


def test_counting_stops_at_the_cap_unless_the_exact_total_is_asked_for(
    client: TestClient, settings: Settings
) -> None:
    days = [f"2024-02-{day:02d}" for day in range(1, 6)]
    _post(client, [{**KOKSAN_TRANSFER, "event_date": day} for day in days])
    capped = Settings(**{**settings.model_dump(), "count_cap": 3})
    with TestClient(create_app(capped)) as small:
        first = small.get("/api/v1/events", params={"limit": 4}).json()
        assert (first["total"], first["total_is_exact"], len(first["data"])) == (3, False, 4)
        rest = small.get("/api/v1/events", params={"cursor": first["next_cursor"]}).json()
        assert len(rest["data"]) == 1 and rest["next_cursor"] is None
        exact = small.get("/api/v1/events", params={"include_total": "true"}).json()
        assert (exact["total"], exact["total_is_exact"]) == (5, True)
    few = client.get("/api/v1/events", params={"limit": 5}).json()
    assert (few["total"], few["total_is_exact"], few["next_cursor"]) == (5, True, None)


def test_bad_input_gets_problem_details_not_500(client: TestClient) -> None:
    cases = [
        client.post("/api/v1/events", json={"event_type": "Picnic"}),
        client.post(
            "/api/v1/events", json={"event_type": "Battles", "actors": [{"role": "initiator"}]}
        ),
        client.post("/api/v1/events", json={"event_type": "Battles", "notes": "nul \u0000 byte"}),
        client.post(
            "/api/v1/events", json={"event_type": "Battles", "location": {"lat": 95, "lon": 0}}
        ),
        client.post(
            "/api/v1/events", content=b"{not json", headers={"content-type": "application/json"}
        ),
        client.get("/api/v1/events?bbox=1,2,3"),
        client.get("/api/v1/events?country=Atlantis"),
        client.get("/api/v1/events?cursor=%%%"),
        client.get("/api/v1/events?date_from=2024-02-01&date_to=2024-01-01"),
        client.post(
            "/api/v1/events", json={"event_type": "Battles", "actors": [{"id": "NO-SUCH-ID"}]}
        ),
    ]
    for response in cases:
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["status"] == 422 and body["title"] and body["detail"]
    assert client.get("/api/v1/events").json()["total"] == 0


def test_oversized_body_is_refused_with_413(client: TestClient) -> None:
    response = client.post(
        "/api/v1/events", content=b"x" * 2_000_001, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["status"] == 413
