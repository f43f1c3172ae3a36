"""Reference entities (actors, equipment, places) and the name-resolution explainer."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.api.deps import CatalogDep, SessionDep, SettingsDep
from app.schemas.reference import (
    ActorPublic,
    EquipmentPublic,
    PlacePublic,
    ReferencePage,
    Resolution,
)
from app.services import reference as reference_service

router = APIRouter(prefix="/api/v1", tags=["reference"])

Limit = Annotated[int, Query(ge=1, description="Page size (capped by the server)")]
Offset = Annotated[int, Query(ge=0, description="Entities to skip")]
Search = Annotated[str | None, Query(description="Name or alias prefix, any case", min_length=1)]


@router.get(
    "/resolve",
    response_model=Resolution,
    summary="Explain how a name resolves",
    description="Exact alias first, then a fuzzy match above the configured threshold.",
)
def resolve(
    session: SessionDep,
    catalog: CatalogDep,
    name: Annotated[
        str, Query(min_length=1, max_length=255, description="Name to read", examples=["Pyongyang"])
    ],
    type: Annotated[
        Literal["actor", "equipment", "place"], Query(description="What to look for")
    ] = "actor",
    country: Annotated[
        str | None, Query(description="ISO3 hint for places shared by countries")
    ] = None,
) -> Resolution:
    return reference_service.explain_resolution(
        session=session, catalog=catalog, name=name, entity_type=type, country=country
    )


@router.get("/actors", response_model=ReferencePage[ActorPublic], summary="Search actors")
def search_actors(
    session: SessionDep,
    settings: SettingsDep,
    q: Search = None,
    kind: Annotated[str | None, Query(description="Only this kind")] = None,
    country: Annotated[str | None, Query(description="Only this ISO3 country")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ReferencePage[ActorPublic]:
    return reference_service.search_actors(
        session=session,
        q=q,
        kind=kind,
        country=country,
        limit=min(limit, settings.max_page_size),
        offset=offset,
    )


@router.get(
    "/actors/{actor_id}", response_model=ActorPublic, summary="Get one actor with its aliases"
)
def get_actor(session: SessionDep, actor_id: str) -> ActorPublic:
    return reference_service.get_actor(session=session, actor_id=actor_id)


@router.get("/equipment", response_model=ReferencePage[EquipmentPublic], summary="Search equipment")
def search_equipment(
    session: SessionDep,
    settings: SettingsDep,
    q: Search = None,
    category: Annotated[str | None, Query(description="Only this category")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ReferencePage[EquipmentPublic]:
    return reference_service.search_equipment(
        session=session,
        q=q,
        category=category,
        limit=min(limit, settings.max_page_size),
        offset=offset,
    )


@router.get("/equipment/{equipment_id}", response_model=EquipmentPublic, summary="Get one system")
def get_equipment(session: SessionDep, equipment_id: str) -> EquipmentPublic:
    return reference_service.get_equipment(session=session, equipment_id=equipment_id)


@router.get("/places", response_model=ReferencePage[PlacePublic], summary="Search places")
def search_places(
    session: SessionDep,
    settings: SettingsDep,
    q: Search = None,
    country: Annotated[str | None, Query(description="Only this ISO3 country")] = None,
    feature_type: Annotated[
        str | None, Query(description="country, admin1, populated_place, ...")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ReferencePage[PlacePublic]:
    return reference_service.search_places(
        session=session,
        q=q,
        country=country,
        feature_type=feature_type,
        limit=min(limit, settings.max_page_size),
        offset=offset,
    )


@router.get(
    "/places/{place_id}", response_model=PlacePublic, summary="Get one place with its aliases"
)
def get_place(session: SessionDep, place_id: str) -> PlacePublic:
    return reference_service.get_place(session=session, place_id=place_id)
