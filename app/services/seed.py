"""Load the reference catalog into the database; safe to re-run (adds, updates, prunes aliases)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, tuple_, update
from sqlmodel import Session

from app.models import Actor, ActorAlias, EquipmentAlias, EquipmentModel, Place, PlaceAlias
from app.reference.gazetteer import normalize_name
from app.services import rollup
from app.services.catalog import Catalog

_BATCH = 5_000


@dataclass(frozen=True)
class SeedReport:
    """Rows inserted, updated and removed per table."""

    counts: dict[str, tuple[int, int, int]]

    def lines(self) -> list[str]:
        return [
            f"{table}: +{added} ~{changed} -{removed}"
            for table, (added, changed, removed) in self.counts.items()
        ]


def seed_reference(*, session: Session, catalog: Catalog) -> SeedReport:
    """Bring actors, equipment and places (with aliases) in line with the catalog, in one commit."""
    lineage = set(map(tuple, session.execute(select(Actor.id, Actor.parent_id))))
    counts = {
        "actors": _sync_entities(session, Actor.__table__, _actor_rows(catalog)),
        "actor_aliases": _sync_aliases(
            session, ActorAlias.__table__, "actor_id", _actor_aliases(catalog)
        ),
        "equipment_models": _sync_entities(
            session, EquipmentModel.__table__, _equipment_rows(catalog)
        ),
        "equipment_aliases": _sync_aliases(
            session, EquipmentAlias.__table__, "equipment_id", _equipment_aliases(catalog)
        ),
        "places": _sync_entities(session, Place.__table__, _place_rows(catalog)),
        "place_aliases": _sync_aliases(
            session, PlaceAlias.__table__, "place_id", _place_aliases(catalog)
        ),
    }
    if set(map(tuple, session.execute(select(Actor.id, Actor.parent_id)))) != lineage:
        # Who sits under whom decides which actors an event counts under.
        rollup.rebuild(session.connection())
    session.commit()
    return SeedReport(counts)


def _actor_rows(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "name": a.name,
            "kind": a.kind,
            "country_iso3": a.country_iso3,
            "parent_id": a.parent,
        }
        for a in catalog.actors
    ]


def _actor_aliases(catalog: Catalog) -> Iterable[dict[str, Any]]:
    for actor in catalog.actors:
        for alias in actor.aliases:
            yield {"actor_id": actor.id, "name": alias.name, "alias_type": alias.type}


def _equipment_rows(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "name": e.name,
            "category": e.category,
            "caliber_mm": e.caliber_mm,
            "origin_iso3": e.origin_iso3,
            "parent_id": e.parent,
        }
        for e in catalog.equipment
    ]


def _equipment_aliases(catalog: Catalog) -> Iterable[dict[str, Any]]:
    for model in catalog.equipment:
        for alias in model.aliases:
            yield {"equipment_id": model.id, "name": alias}


def _place_rows(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "name": p.name,
            "name_norm": normalize_name(p.name),
            "feature_type": p.feature_type,
            "country_iso3": p.country_iso3,
            "admin1": p.admin1,
            "latitude": p.lat,
            "longitude": p.lon,
            "population": p.population,
            "source_id": p.source_id,
        }
        for p in catalog.gazetteer.records
    ]


def _place_aliases(catalog: Catalog) -> Iterable[dict[str, Any]]:
    for place in catalog.gazetteer.records:
        for alias in place.aliases:
            yield {"place_id": place.id, "name": alias}


def _sync_entities(
    session: Session, table: Table, rows: list[dict[str, Any]]
) -> tuple[int, int, int]:
    """Insert new ids and update changed ones; entities are never deleted (events point at them)."""
    columns = [table.c[name] for name in rows[0]] if rows else []
    existing = {row[0]: tuple(row) for row in session.execute(select(*columns))}
    fresh = [r for r in rows if r["id"] not in existing]
    changed = [r for r in rows if r["id"] in existing and tuple(r.values()) != existing[r["id"]]]
    # Parents must exist before children that point at them.
    for start in range(0, len(fresh), _BATCH):
        session.execute(insert(table), fresh[start : start + _BATCH])
    if changed:
        statement = update(table).where(table.c.id == bindparam("b_id"))
        values = [{**{k: v for k, v in r.items() if k != "id"}, "b_id": r["id"]} for r in changed]
        session.connection().execute(statement, values)
    session.flush()
    return len(fresh), len(changed), 0


def _sync_aliases(
    session: Session, table: Table, owner: str, rows: Iterable[dict[str, Any]]
) -> tuple[int, int, int]:
    """Aliases are keyed by (owner, normalized name): add new ones, drop those gone from seeds."""
    wanted: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        norm = normalize_name(row["name"])
        if norm:
            wanted.setdefault((row[owner], norm), {**row, "name_norm": norm})
    existing = {tuple(row) for row in session.execute(select(table.c[owner], table.c.name_norm))}
    fresh = [row for key, row in wanted.items() if key not in existing]
    stale = [key for key in existing if key not in wanted]
    for start in range(0, len(fresh), _BATCH):
        session.execute(insert(table), fresh[start : start + _BATCH])
    for start in range(0, len(stale), _BATCH):
        chunk = stale[start : start + _BATCH]
        session.execute(delete(table).where(tuple_(table.c[owner], table.c.name_norm).in_(chunk)))
    session.flush()
    return len(fresh), 0, len(stale)
