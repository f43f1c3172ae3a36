"""ACLED and UCDP imports: labels resolve, places keep their coordinates, re-imports update."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.errors import InvalidInput
from app.models import Event, EventActor, EventSource
from app.schemas.imports import Dataset, ImportReport, OnError
from app.services import imports as import_service
from app.services.catalog import Catalog
from tests.conftest import empty_event_tables

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(autouse=True)
def _empty_events(engine: Engine) -> Iterator[None]:
    """Each test starts and ends with no events."""
    yield
    empty_event_tables(engine)


def _import(
    session: Session,
    catalog: Catalog,
    dataset: Dataset,
    text: str,
    on_error: OnError = "skip",
) -> ImportReport:
    return import_service.import_csv(
        session=session,
        catalog=catalog,
        dataset=dataset,
        lines=io.StringIO(text, newline=""),
        on_error=on_error,
    )


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _event(session: Session, key: str) -> Event:
    event = session.scalars(select(Event).where(Event.dataset_event_id == key)).one()
    session.refresh(event)
    return event


def _actors(session: Session, event: Event) -> list[EventActor]:
    statement = select(EventActor).where(EventActor.event_id == event.id).order_by(EventActor.id)
    return list(session.scalars(statement))


def _event_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Event)) or 0


def test_acled_labels_resolve_to_canonical_actors(session: Session, catalog: Catalog) -> None:
    report = _import(session, catalog, "acled", _read("acled_sample.csv"))

    assert (report.rows, report.inserted, report.updated, report.skipped) == (4, 4, 0, 0)
    clash = _actors(session, _event(session, "TST1001"))
    assert [(a.role, a.actor_id) for a in clash] == [
        ("initiator", "RUS-MIL"),
        ("target", "UKR-MIL"),
    ]
    assert clash[0].text == "Military Forces of Russia (2000-)"
    strike = _actors(session, _event(session, "TST1002"))
    # The unit after the regime years is dropped before resolving.
    assert strike[0].actor_id == "RUS-MIL"
    assert (strike[1].actor_id, strike[1].kind, strike[1].country_iso3) == (
        None,
        "civilians",
        "UKR",
    )
    protest = _actors(session, _event(session, "TST1003"))
    assert [(a.role, a.kind, a.country_iso3) for a in protest] == [
        ("initiator", "protesters", "KEN"),
        ("associated", None, "KEN"),
    ]


def test_acled_places_keep_the_dataset_coordinates(session: Session, catalog: Catalog) -> None:
    _import(session, catalog, "acled", _read("acled_sample.csv"))

    event = _event(session, "TST1001")
    assert (event.latitude, event.longitude) == (51.1917, 35.2719)
    assert (event.location_name, event.country_iso3, event.geo_precision) == (
        "Sudzha",
        "RUS",
        "point",
    )
    assert event.admin1 == catalog.gazetteer.admin1("RUS", "Kursk").name  # type: ignore[union-attr]
    place = catalog.gazetteer.get(event.place_id or "")
    assert place is not None and place.name == "Sudzha" and place.country_iso3 == "RUS"
    assert (event.event_type, event.sub_event_type, event.fatalities) == (
        "Battles",
        "Armed clash",
        4,
    )
    assert event.notes is not None and event.notes.startswith("Test note")
    assert str(event.event_date) == "2024-08-12"
    assert str(_event(session, "TST1002").event_date) == "2024-08-14"
    assert _event(session, "TST1004").fatalities is None
    sources = session.scalars(
        select(EventSource.name).where(EventSource.event_id == event.id).order_by(EventSource.id)
    )
    assert list(sources) == ["Test Wire", "Sample Daily"]


def test_exports_without_iso_and_timestamp_are_accepted(session: Session, catalog: Catalog) -> None:
    rows = list(csv.DictReader(io.StringIO(_read("acled_sample.csv"))))
    out = io.StringIO()
    columns = [c for c in rows[0] if c not in ("iso", "timestamp")]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)

    report = _import(session, catalog, "acled", out.getvalue())

    assert (report.inserted, report.skipped) == (4, 0)
    assert _event(session, "TST1003").country_iso3 == "KEN"


def test_ucdp_rows_become_events(session: Session, catalog: Catalog) -> None:
    report = _import(session, catalog, "ucdp", _read("ucdp_sample.csv"))

    assert (report.rows, report.inserted, report.skipped) == (3, 3, 0)
    battle = _event(session, "990001")
    assert (battle.event_type, battle.sub_event_type, battle.fatalities) == (
        "Battles",
        "Armed clash",
        5,
    )
    assert (battle.latitude, battle.longitude, battle.country_iso3) == (51.1917, 35.2719, "RUS")
    sides = _actors(session, battle)
    russia = catalog.resolver.with_descendants("RUS")
    assert sides[0].role == "initiator" and sides[0].actor_id in russia
    assert sides[1].role == "target" and sides[1].actor_id in (
        catalog.resolver.with_descendants("UKR")
    )
    one_sided = _event(session, "990002")
    assert (one_sided.event_type, one_sided.sub_event_type) == (
        "Violence against civilians",
        "Attack",
    )
    victims = _actors(session, one_sided)[1]
    assert (victims.kind, victims.country_iso3, victims.actor_id) == ("civilians", "UKR", None)
    assert _event(session, "990003").date_precision == "week"


def test_reimport_updates_instead_of_duplicating(session: Session, catalog: Catalog) -> None:
    original = _read("acled_sample.csv")
    _import(session, catalog, "acled", original)
    first_id = _event(session, "TST1001").id
    old_target = "External/Other forces,Military Forces of Ukraine (2019-)"
    new_target = "External/Other forces,Civilians (Russia)"
    changed = original.replace('Sudzha.",4,', 'Sudzha.",9,').replace(old_target, new_target, 1)
    assert changed != original

    report = _import(session, catalog, "acled", changed)

    assert (report.rows, report.inserted, report.updated) == (4, 0, 4)
    assert _event_count(session) == 4
    event = _event(session, "TST1001")
    assert event.id == first_id and event.fatalities == 9
    actors = _actors(session, event)
    assert [(a.actor_id, a.kind) for a in actors] == [("RUS-MIL", None), (None, "civilians")]
    links = select(func.count()).select_from(EventActor).where(EventActor.event_id == event.id)
    assert session.scalar(links) == 2


def test_a_repeated_id_in_one_file_is_stored_once(session: Session, catalog: Catalog) -> None:
    lines = _read("acled_sample.csv").splitlines(keepends=True)
    report = _import(session, catalog, "acled", "".join([*lines, lines[1]]))

    assert (report.rows, report.inserted, report.updated) == (5, 4, 1)
    assert _event_count(session) == 4


def test_bad_rows_are_reported_with_their_line_and_skipped(
    session: Session, catalog: Catalog
) -> None:
    report = _import(session, catalog, "acled", _read("acled_bad_rows.csv"))

    assert (report.rows, report.inserted, report.skipped) == (6, 2, 4)
    # The first row's notes span lines 2-3, so the bad rows start on line 4.
    assert [(e.line, e.message) for e in report.errors] == [
        (4, "event_date 'not a date' is not a date"),
        (5, "unknown event type 'Skirmishes'"),
        (6, "event_id_cnty is empty"),
        (7, "coordinates 151.19, 35.27 are out of range"),
    ]
    stored = session.scalars(select(Event.dataset_event_id).order_by(Event.dataset_event_id))
    assert list(stored) == ["TST2001", "TST2006"]


def test_reject_rolls_the_whole_import_back(session: Session, catalog: Catalog) -> None:
    _import(session, catalog, "acled", _read("acled_sample.csv"))

    with pytest.raises(InvalidInput) as raised:
        _import(session, catalog, "acled", _read("acled_bad_rows.csv"), on_error="reject")

    assert [e["line"] for e in raised.value.errors] == [4, 5, 6, 7]
    assert _event_count(session) == 4
    assert session.scalar(select(Event.id).where(Event.dataset_event_id == "TST2001")) is None


def test_a_file_without_the_dataset_columns_is_refused(session: Session, catalog: Catalog) -> None:
    with pytest.raises(InvalidInput, match="missing columns"):
        _import(session, catalog, "ucdp", _read("acled_sample.csv"))
    with pytest.raises(InvalidInput, match="empty"):
        _import(session, catalog, "acled", "")
