"""The seed command is idempotent, and the resolver reads names as every write path needs."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from app.models import Actor, ActorAlias, Place
from app.services.catalog import Catalog
from app.services.seed import seed_reference


def test_seeding_again_changes_nothing(session: Session, catalog: Catalog) -> None:
    report = seed_reference(session=session, catalog=catalog)
    assert all(counts == (0, 0, 0) for counts in report.counts.values()), report.lines()
    assert session.scalar(select(func.count()).select_from(Actor)) == len(catalog.actors)
    assert session.scalar(select(func.count()).select_from(Place)) == len(catalog.gazetteer.records)


def test_seeding_restores_an_edited_row_and_prunes_a_stray_alias(
    session: Session, catalog: Catalog
) -> None:
    actor = session.get(Actor, "PRK")
    assert actor is not None
    actor.name = "Somewhere Else"
    session.add(
        ActorAlias(actor_id="PRK", name="Stray Alias", name_norm="stray alias", alias_type="name")
    )
    session.commit()
    report = seed_reference(session=session, catalog=catalog)
    assert report.counts["actors"] == (0, 1, 0)
    assert report.counts["actor_aliases"] == (0, 0, 1)
    session.expire_all()
    assert session.get(Actor, "PRK").name == "North Korea"  # type: ignore[union-attr]


def test_resolver_reads_metonyms_leaders_and_spelling_variants(catalog: Catalog) -> None:
    resolver = catalog.resolver
    cases = {
        "Pyongyang": "PRK",
        "the Kim Jong Un regime": "PRK",
        "Putin's forces": "RUS-MIL",
        "Moscow": "RUS",
        "Russian forces": "RUS-MIL",
    }
    for name, expected in cases.items():
        found = resolver.actor(name)
        assert found.id == expected, (name, found)
    assert resolver.equipment_model("M-1978/1989 Koksan").name == "M1989 Koksan"
    assert resolver.equipment_model("BM-27 “Uragan”").name == "BM-27 Uragan"
    kursk = resolver.place("Kursk region")
    assert (kursk.name, resolver.place_record(kursk).country_iso3) == ("Kursk Oblast", "RUS")  # type: ignore[union-attr]
    assert resolver.place("Kiev").name == "Kyiv"
    fuzzy = resolver.actor("North Koreaa")
    assert (fuzzy.method, fuzzy.id) == ("fuzzy", "PRK") and fuzzy.score < 100
    assert resolver.actor("Completely Unknown Brigade").method == "unresolved"
    assert "RUS-MIL" in resolver.with_descendants("RUS")
