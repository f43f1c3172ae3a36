"""The monthly rollup stays equal to a recount from scratch through every kind of write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import EventRollup
from app.services import rollup

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(session: Session) -> list[tuple[Any, ...]]:
    columns = (
        EventRollup.country_iso3,
        EventRollup.month,
        EventRollup.event_type,
        EventRollup.sub_event_type,
        EventRollup.events,
        EventRollup.fatalities,
        EventRollup.equipment_quantity,
    )
    return sorted((tuple(row) for row in session.execute(select(*columns))), key=repr)


def _assert_matches_recount(engine: Engine) -> list[tuple[Any, ...]]:
    """The rollup as kept, compared with one rebuilt inside a transaction that is rolled back."""
    with Session(engine) as session:
        kept = _rows(session)
        rollup.rebuild(session.connection())
        assert kept == _rows(session)
        session.rollback()
    return kept


def _event(day: str | None, place: str, fatalities: int, quantity: int) -> dict[str, Any]:
    return {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "event_date": day,
        "actors": [{"name": "Russian forces", "role": "initiator"}],
        "equipment": [{"name": "BM-21 Grad", "quantity": quantity}],
        "location": {"name": place},
        "fatalities": fatalities,
    }


def test_rollup_follows_creates_updates_deletes_and_imports(
    client: TestClient, engine: Engine
) -> None:
    created = client.post(
        "/api/v1/events",
        json=[
            _event("2024-03-05", "Kharkiv", 2, 4),
            _event("2024-03-20", "Kharkiv", 1, 6),
            _event(None, "Kharkiv", 0, 1),
        ],
    ).json()
    kept = _assert_matches_recount(engine)
    march = [r for r in kept if r[1] == dt.date(2024, 3, 1)]
    assert march == [
        ("UKR", dt.date(2024, 3, 1), "Explosions/Remote violence",
         "Shelling/artillery/missile attack", 2, 3, 10),
    ]  # fmt: skip
    assert any(r[1] is None for r in kept)

    moved = client.patch(
        f"/api/v1/events/{created[0]['id']}",
        json={"event_date": "2024-04-02", "location": {"name": "Belgorod"}},
    )
    assert moved.status_code == 200, moved.text
    client.patch(f"/api/v1/events/{created[1]['id']}", json={"equipment": []})
    assert client.delete(f"/api/v1/events/{created[2]['id']}").status_code == 204
    kept = _assert_matches_recount(engine)
    assert {(r[0], r[1], r[4], r[6]) for r in kept} == {
        ("UKR", dt.date(2024, 3, 1), 1, 0),
        ("RUS", dt.date(2024, 4, 1), 1, 4),
    }

    sample = (DATA / "acled_sample.csv").read_bytes()
    for _ in range(2):  # the re-import updates in place and must not count twice
        imported = client.post(
            "/api/v1/imports/acled", content=sample, headers={"content-type": "text/csv"}
        )
        assert imported.status_code in (200, 201), imported.text
        _assert_matches_recount(engine)


def test_stats_answer_the_same_from_the_rollup_and_from_events(client: TestClient) -> None:
    client.post(
        "/api/v1/events",
        json=[
            _event("2024-03-05", "Kharkiv", 2, 4),
            _event("2024-03-31", "Kharkiv", 1, 6),
            _event("2024-04-01", "Belgorod", 5, 0),
        ],
    )

    def stats(**params: str) -> list[dict[str, Any]]:
        response = client.get("/api/v1/stats/events", params=params)
        assert response.status_code == 200, response.text
        return response.json()["data"]  # type: ignore[no-any-return]

    # Whole months come from the rollup; a mid-month bound makes the events table answer.
    from_rollup = stats(group_by="month", date_from="2024-03-01", date_to="2024-04-30")
    from_events = stats(group_by="month", date_from="2024-03-02", date_to="2024-04-30")
    assert from_rollup == [
        {"month": "2024-03-01", "events": 2, "fatalities": 3, "equipment_quantity": 10},
        {"month": "2024-04-01", "events": 1, "fatalities": 5, "equipment_quantity": 0},
    ]
    assert from_events == from_rollup
    assert stats(group_by="country,year", country="Ukraine") == [
        {"country": "UKR", "year": "2024-01-01", "events": 2, "fatalities": 3,
         "equipment_quantity": 10},
    ]  # fmt: skip
    assert stats(group_by="month", date_from="2024-04-01", date_to="2024-04-30") == [
        {"month": "2024-04-01", "events": 1, "fatalities": 5, "equipment_quantity": 0},
    ]
