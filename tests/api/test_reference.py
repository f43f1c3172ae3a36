"""Reference entities, name resolution, health and the offline docs through HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_resolve_explains_the_decision(client: TestClient) -> None:
    body = client.get("/api/v1/resolve", params={"name": "Pyongyang", "type": "actor"}).json()
    assert (body["resolved"], body["method"], body["name"], body["score"]) == (
        True,
        "exact",
        "North Korea",
        100.0,
    )
    assert body["entity"]["country_iso3"] == "PRK"
    fuzzy = client.get(
        "/api/v1/resolve", params={"name": "M1989 Koksann", "type": "equipment"}
    ).json()
    assert (fuzzy["method"], fuzzy["name"]) == ("fuzzy", "M1989 Koksan")
    assert 0 < fuzzy["score"] < 100
    place = client.get("/api/v1/resolve", params={"name": "Kursk region", "type": "place"}).json()
    assert (place["name"], place["entity"]["country_iso3"]) == ("Kursk Oblast", "RUS")
    unknown = client.get("/api/v1/resolve", params={"name": "Qqqzzz Front", "type": "actor"}).json()
    assert (unknown["resolved"], unknown["method"], unknown["id"]) == (False, "unresolved", None)


def test_actor_search_and_detail(client: TestClient) -> None:
    page = client.get("/api/v1/actors", params={"q": "north kor"}).json()
    assert "PRK" in [a["id"] for a in page["data"]]
    detail = client.get("/api/v1/actors/PRK").json()
    assert {"Pyongyang", "North Korean"} <= {a["name"] for a in detail["aliases"]}
    forces = client.get("/api/v1/actors", params={"kind": "state_forces", "country": "RUS"}).json()
    assert all(a["country_iso3"] == "RUS" for a in forces["data"]) and forces["total"] >= 1
    assert client.get("/api/v1/actors/NOPE").status_code == 404


def test_equipment_and_places(client: TestClient) -> None:
    page = client.get("/api/v1/equipment", params={"q": "koksan"}).json()
    assert page["data"][0]["name"] == "M1989 Koksan"
    assert client.get(f"/api/v1/equipment/{page['data'][0]['id']}").json()["caliber_mm"] == 170
    places = client.get(
        "/api/v1/places",
        params={"q": "krasnoyarsk", "country": "RUS", "feature_type": "populated_place"},
    ).json()
    top = places["data"][0]
    assert top["name"] == "Krasnoyarsk" and abs(top["lat"] - 56.01) < 0.2
    assert client.get(f"/api/v1/places/{top['id']}").json()["id"] == top["id"]


def test_health_reports_the_database(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "reachable"


def test_docs_load_their_assets_from_the_service(client: TestClient) -> None:
    pages = {
        "/docs": "/static/docs/swagger/swagger-ui-bundle.js",
        "/redoc": "/static/docs/redoc/redoc.standalone.js",
    }
    for page, script in pages.items():
        html = client.get(page).text
        assert script in html
        assert "cdn" not in html.lower() and "googleapis" not in html
    for asset in (
        "swagger/swagger-ui-bundle.js",
        "swagger/swagger-ui.css",
        "redoc/redoc.standalone.js",
    ):
        assert client.get(f"/static/docs/{asset}").status_code == 200
    spec = client.get("/openapi.json").json()
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            assert operation.get("tags") and operation.get("summary")
