"""`POST /api/v1/imports/{dataset}` and `conflict-events import`, end to end on a real database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import delete
from typer.testing import CliRunner

from app.cli import alembic_config, cli
from app.db import get_engine
from app.main import create_app
from app.models import Event
from app.settings import Settings, get_settings
from tests.conftest import TEST_CACHE

DATA = Path(__file__).resolve().parent.parent / "data"
CSV = {"content-type": "text/csv"}


def _post(client: TestClient, dataset: str, name: str, on_error: str = "skip"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/imports/{dataset}",
        params={"on_error": on_error},
        content=(DATA / name).read_bytes(),
        headers=CSV,
    )


def test_import_answers_with_the_report(client: TestClient) -> None:
    first = _post(client, "acled", "acled_sample.csv")

    assert first.status_code == 201, first.text
    assert first.json() == {
        "dataset": "acled",
        "rows": 4,
        "inserted": 4,
        "updated": 0,
        "skipped": 0,
        "errors": [],
    }
    again = _post(client, "acled", "acled_sample.csv")
    assert again.status_code == 200
    assert (again.json()["inserted"], again.json()["updated"]) == (0, 4)
    assert client.get("/api/v1/events").json()["total"] == 4


def test_imported_events_are_found_by_actor_and_region(client: TestClient) -> None:
    assert _post(client, "acled", "acled_sample.csv").status_code == 201
    assert _post(client, "ucdp", "ucdp_sample.csv").status_code == 201

    page = client.get(
        "/api/v1/events",
        params={"actor": "Russia", "region": "Kursk Oblast", "date_from": "2024-08-01"},
    ).json()

    found = {event["location"]["name"]: event for event in page["data"]}
    assert page["total"] == 2 and set(found) == {"Sudzha", "Sudzha town"}
    location = found["Sudzha"]["location"]
    assert (location["lat"], location["lon"], location["country_iso3"]) == (
        51.1917,
        35.2719,
        "RUS",
    )
    assert found["Sudzha"]["actors"][0]["id"] == "RUS-MIL"
    assert found["Sudzha"]["fatalities"] == 4
    kharkiv = client.get("/api/v1/events", params={"actor": "Russia", "region": "Kharkiv Oblast"})
    assert kharkiv.json()["total"] == 2


def test_bad_rows_are_skipped_or_reject_the_import(client: TestClient) -> None:
    skipped = _post(client, "acled", "acled_bad_rows.csv")
    assert skipped.status_code == 201
    body = skipped.json()
    assert (body["inserted"], body["skipped"]) == (2, 4)
    assert [e["line"] for e in body["errors"]] == [4, 5, 6, 7]

    assert _post(client, "ucdp", "ucdp_sample.csv").status_code == 201
    refused = _post(client, "acled", "acled_bad_rows.csv", on_error="reject")
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [e["line"] for e in refused.json()["errors"]] == [4, 5, 6, 7]
    assert client.get("/api/v1/events").json()["total"] == 5


def test_bad_requests_are_refused(client: TestClient) -> None:
    assert _post(client, "gdelt", "acled_sample.csv").status_code == 422
    assert _post(client, "acled", "acled_sample.csv", on_error="ignore").status_code == 422
    latin1 = "event_id_cnty\n\xe9\n".encode("latin-1")
    assert client.post("/api/v1/imports/acled", content=latin1, headers=CSV).status_code == 422
    assert client.post("/api/v1/imports/acled", content=b"", headers=CSV).status_code == 422
    assert _post(client, "ucdp", "acled_sample.csv").status_code == 422


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite file of its own, named by DATABASE_URL as a user would."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CACHE_DIR", str(TEST_CACHE))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_cli_imports_a_file(cli_database: str) -> None:
    runner = CliRunner()
    command.upgrade(alembic_config(cli_database), "head")
    assert runner.invoke(cli, ["seed"]).exit_code == 0

    result = runner.invoke(cli, ["import", "acled", str(DATA / "acled_sample.csv")])

    assert result.exit_code == 0, result.output
    assert "4 rows: 4 inserted, 0 updated, 0 skipped" in result.output
    refused = runner.invoke(
        cli, ["import", "acled", str(DATA / "acled_bad_rows.csv"), "--on-error", "reject"]
    )
    assert refused.exit_code == 1
    assert "line 4: event_date 'not a date' is not a date" in refused.output
    settings = Settings(database_url=cli_database, cache_dir=TEST_CACHE)
    with TestClient(create_app(settings)) as client:
        page = client.get("/api/v1/events", params={"actor": "Russia", "region": "Kursk Oblast"})
    assert page.json()["total"] == 1

    # Events deleted behind the API's back leave the chart rollups stale until rebuilt.
    with get_engine(cli_database).begin() as connection:
        connection.execute(delete(Event).where(Event.country_iso3 == "KEN"))
    rebuilt = runner.invoke(cli, ["rebuild-rollups"])
    assert rebuilt.exit_code == 0, rebuilt.output
    with TestClient(create_app(settings)) as client:
        by_country = client.get("/api/v1/stats/events", params={"group_by": "country"}).json()
    assert "KEN" not in {row["country"] for row in by_country["data"]}
    assert "RUS" in {row["country"] for row in by_country["data"]}
