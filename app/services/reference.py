"""Search and read the reference entities stored by the seed command; explain a resolution."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlmodel import Session, SQLModel

from app.errors import NotFound
from app.models import Actor, ActorAlias, EquipmentAlias, EquipmentModel, Place, PlaceAlias
from app.reference.gazetteer import normalize_name
from app.schemas.reference import (
    ActorPublic,
    AliasOut,
    EquipmentPublic,
    PlacePublic,
    ReferencePage,
    Resolution,
)
from app.services.catalog import Catalog


def search_actors(
    *,
    session: Session,
    q: str | None,
    kind: str | None,
    country: str | None,
    limit: int,
    offset: int,
) -> ReferencePage[ActorPublic]:
    """Actors whose name or an alias starts with `q`."""
    conditions = _name_search(Actor.name, ActorAlias, ActorAlias.actor_id, Actor.id, q)
    if kind:
        conditions.append(Actor.kind == kind)
    if country:
        conditions.append(Actor.country_iso3 == country.upper())
    rows, total = _page(session, select(Actor), conditions, Actor.name, limit, offset)
    return ReferencePage(
        data=[_actor(session, a, with_aliases=False) for a in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


def get_actor(*, session: Session, actor_id: str) -> ActorPublic:
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise NotFound(f"actor {actor_id!r} does not exist")
    return _actor(session, actor, with_aliases=True)


def search_equipment(
    *, session: Session, q: str | None, category: str | None, limit: int, offset: int
) -> ReferencePage[EquipmentPublic]:
    """Systems whose designation or an alias starts with `q`."""
    conditions = _name_search(
        EquipmentModel.name, EquipmentAlias, EquipmentAlias.equipment_id, EquipmentModel.id, q
    )
    if category:
        conditions.append(EquipmentModel.category == category)
    rows, total = _page(
        session, select(EquipmentModel), conditions, EquipmentModel.name, limit, offset
    )
    return ReferencePage(
        data=[_equipment(session, e, with_aliases=False) for e in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


def get_equipment(*, session: Session, equipment_id: str) -> EquipmentPublic:
    model = session.get(EquipmentModel, equipment_id)
    if model is None:
        raise NotFound(f"equipment {equipment_id!r} does not exist")
    return _equipment(session, model, with_aliases=True)


def search_places(
    *,
    session: Session,
    q: str | None,
    country: str | None,
    feature_type: str | None,
    limit: int,
    offset: int,
) -> ReferencePage[PlacePublic]:
    """Places whose name or an alias starts with `q`, most populous first."""
    conditions: list[ColumnElement[bool]] = []
    if q:
        prefix = normalize_name(q) + "%"
        aliased = select(PlaceAlias.place_id).where(PlaceAlias.name_norm.like(prefix))  # type: ignore[attr-defined]
        conditions.append(or_(Place.name_norm.like(prefix), Place.id.in_(aliased)))  # type: ignore[attr-defined]
    if country:
        conditions.append(Place.country_iso3 == country.upper())
    if feature_type:
        conditions.append(Place.feature_type == feature_type)
    rows, total = _page(session, select(Place), conditions, Place.population.desc(), limit, offset)  # type: ignore[attr-defined]
    return ReferencePage(
        data=[_place(session, p, with_aliases=False) for p in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


def get_place(*, session: Session, place_id: str) -> PlacePublic:
    place = session.get(Place, place_id)
    if place is None:
        raise NotFound(f"place {place_id!r} does not exist")
    return _place(session, place, with_aliases=True)


def explain_resolution(
    *,
    session: Session,
    catalog: Catalog,
    name: str,
    entity_type: Literal["actor", "equipment", "place"],
    country: str | None,
) -> Resolution:
    """Show how a name is read, with the score, as every write path would read it."""
    resolver = catalog.resolver
    if entity_type == "actor":
        found = resolver.actor(name)
    elif entity_type == "equipment":
        found = resolver.equipment_model(name)
    else:
        found = resolver.place(name, country_iso3=country.upper() if country else None)
    entity: ActorPublic | EquipmentPublic | PlacePublic | None = None
    if found.id is not None:
        getter: Any = {"actor": get_actor, "equipment": get_equipment, "place": get_place}[
            entity_type
        ]
        key = {"actor": "actor_id", "equipment": "equipment_id", "place": "place_id"}[entity_type]
        entity = getter(session=session, **{key: found.id})
    return Resolution(
        query=name,
        type=entity_type,
        resolved=found.resolved,
        method=found.method,
        score=round(found.score, 1),
        matched=found.matched,
        id=found.id,
        name=found.name,
        entity=entity,
    )


def _name_search(
    name_column: Any, alias_model: type[SQLModel], alias_owner: Any, entity_id: Any, q: str | None
) -> list[ColumnElement[bool]]:
    if not q:
        return []
    prefix = normalize_name(q) + "%"
    owners = select(alias_owner).where(alias_model.name_norm.like(prefix))  # type: ignore[attr-defined]
    return [or_(func.lower(name_column).like(q.lower() + "%"), entity_id.in_(owners))]


def _page(
    session: Session,
    statement: Select[Any],
    conditions: list[ColumnElement[bool]],
    order: Any,
    limit: int,
    offset: int,
) -> tuple[list[Any], int]:
    total = (
        session.scalar(select(func.count()).select_from(statement.where(*conditions).subquery()))
        or 0
    )
    rows = list(
        session.scalars(statement.where(*conditions).order_by(order).offset(offset).limit(limit))
    )
    return rows, total


def _actor(session: Session, actor: Actor, *, with_aliases: bool) -> ActorPublic:
    aliases = []
    if with_aliases:
        rows = session.scalars(
            select(ActorAlias).where(ActorAlias.actor_id == actor.id).order_by(ActorAlias.id)
        )
        aliases = [AliasOut(name=a.name, type=a.alias_type) for a in rows]
    return ActorPublic(
        id=actor.id,
        name=actor.name,
        kind=actor.kind,
        country_iso3=actor.country_iso3,
        parent_id=actor.parent_id,
        aliases=aliases,
    )


def _equipment(session: Session, model: EquipmentModel, *, with_aliases: bool) -> EquipmentPublic:
    aliases = []
    if with_aliases:
        rows = session.scalars(
            select(EquipmentAlias)
            .where(EquipmentAlias.equipment_id == model.id)
            .order_by(EquipmentAlias.id)
        )
        aliases = [AliasOut(name=a.name) for a in rows]
    return EquipmentPublic(
        id=model.id,
        name=model.name,
        category=model.category,
        caliber_mm=model.caliber_mm,
        origin_iso3=model.origin_iso3,
        parent_id=model.parent_id,
        aliases=aliases,
    )


def _place(session: Session, place: Place, *, with_aliases: bool) -> PlacePublic:
    aliases = []
    if with_aliases:
        rows = session.scalars(
            select(PlaceAlias).where(PlaceAlias.place_id == place.id).order_by(PlaceAlias.id)
        )
        aliases = [AliasOut(name=a.name) for a in rows]
    return PlacePublic(
        id=place.id,
        name=place.name,
        feature_type=place.feature_type,
        country_iso3=place.country_iso3,
        admin1=place.admin1,
        lat=place.latitude,
        lon=place.longitude,
        population=place.population,
        source_id=place.source_id,
        aliases=aliases,
    )
