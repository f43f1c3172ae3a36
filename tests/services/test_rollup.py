"""The monthly rollup stays equal to a recount from scratch through every kind of write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.cli import alembic_config
from app.models import ActorRollup, EventRollup
from app.services import rollup
from app.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(session: Session) -> list[tuple[Any, ...]]:
    """Both rollups' totals per group (a group may hold several rows), the per-actor ones
    tagged with their actor."""
    found = []
    for table, tag in ((EventRollup, None), (ActorRollup, ActorRollup.actor_id)):
        group = [table.country_iso3, table.month, table.event_type, table.sub_event_type]
        group += [tag] if tag is not None else []
        sums = [
            func.sum(table.events),
            func.sum(table.fatalities),
            func.sum(table.equipment_quantity),
        ]
        for row in session.execute(select(*group, *sums).group_by(*group)):
            values = tuple(row)
            found.append(values[:4] + values[-3:] + values[4:-3])
    return sorted(found, key=repr)


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


def test_rows_added_per_write_are_folded_into_one_count(client: TestClient, engine: Engine) -> None:
    for fatalities in range(30):
        client.post("/api/v1/events", json=[_event("2024-05-02", "Kharkiv", fatalities, 1)])
    kept = _assert_matches_recount(engine)
    assert [r[4:7] for r in kept if len(r) == 7] == [(30, sum(range(30)), 30)]
    with Session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(EventRollup))
    assert stored is not None and stored <= 13  # folded once added rows pile up


def test_one_write_across_years_recounts_each_month(client: TestClient, engine: Engine) -> None:
    client.post("/api/v1/events", json=[_event("2022-06-10", "Kharkiv", 3, 2)])
    client.post(
        "/api/v1/events",
        json=[_event("2020-01-15", "Kharkiv", 1, 1), _event("2024-01-15", "Kharkiv", 2, 5)],
    )
    kept = _assert_matches_recount(engine)
    assert sorted((r[1], r[4], r[5]) for r in kept if len(r) == 7) == [
        (dt.date(2020, 1, 1), 1, 1),
        (dt.date(2022, 6, 1), 1, 3),
        (dt.date(2024, 1, 1), 1, 2),
    ]


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
    # One row overall, and one per actor: the forces named, and Russia above them.
    assert {r[7] if len(r) > 7 else None for r in march} == {None, "RUS-MIL", "RUS"}
    assert {r[:7] for r in march} == {
        ("UKR", dt.date(2024, 3, 1), "Explosions/Remote violence",
         "Shelling/artillery/missile attack", 2, 3, 10),
    }  # fmt: skip
    assert any(r[1] is None for r in kept)

    moved = client.patch(
        f"/api/v1/events/{created[0]['id']}",
        json={"event_date": "2024-04-02", "location": {"name": "Belgorod"}},
    )
    assert moved.status_code == 200, moved.text
    client.patch(f"/api/v1/events/{created[1]['id']}", json={"equipment": []})
    assert client.delete(f"/api/v1/events/{created[2]['id']}").status_code == 204
    kept = _assert_matches_recount(engine)
    assert {(r[0], r[1], r[4], r[6]) for r in kept if len(r) == 7} == {
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


def test_actor_charts_count_an_event_once_under_a_parent(client: TestClient) -> None:
    both = {
        **_event("2024-05-10", "Kharkiv", 3, 2),
        "actors": [
            {"name": "Russian forces", "role": "initiator"},
            {"name": "the Kremlin", "role": "associated"},
        ],
    }
    ukrainian = {**_event("2024-05-12", "Kharkiv", 1, 0), "actors": [
        {"name": "Ukrainian forces", "role": "initiator"},
    ]}  # fmt: skip
    response = client.post(
        "/api/v1/events", json=[both, _event("2024-06-01", "Kharkiv", 0, 1), ukrainian]
    )
    assert response.status_code == 201, response.text

    def stats(**params: str) -> list[dict[str, Any]]:
        return client.get("/api/v1/stats/events", params=params).json()["data"]  # type: ignore[no-any-return]

    expected = [
        {"month": "2024-05-01", "events": 1, "fatalities": 3, "equipment_quantity": 2},
        {"month": "2024-06-01", "events": 1, "fatalities": 0, "equipment_quantity": 1},
    ]
    assert stats(group_by="month", actor="Russia") == expected
    assert stats(group_by="month", actor="Russia", date_from="2024-05-11") == expected[1:]
    assert stats(group_by="month", actor="Russia", date_from="2024-04-15") == expected
    assert stats(group_by="month", actor="Russia", date_from="2024-05-01") == expected
    assert stats(group_by="month", actor="Ukraine")[0]["events"] == 1
    assert stats(group_by="month", actor="Putin's forces") == expected


def test_the_migration_fills_the_rollups_from_stored_events(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    client.post(
        "/api/v1/events",
        json=[_event("2024-07-01", "Kharkiv", 2, 3), _event(None, "Belgorod", 1, 0)],
    )
    before = _assert_matches_recount(engine)
    config = alembic_config(settings.database_url)
    command.downgrade(config, "0004")
    command.upgrade(config, "head")
    assert _assert_matches_recount(engine) == before
