"""Structured events: create (one or many), read, update, delete, and query."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from app.api.deps import CatalogDep, SessionDep, SettingsDep
from app.db import get_engine
from app.schemas.common import EventType, Role
from app.schemas.events import DeletedEventOut, EventIn, EventOut, EventPage, EventPatch
from app.services import events as event_service
from app.services import export as export_service
from app.services import query as query_service
from app.services.query import EventFilter, SortOrder

router = APIRouter(prefix="/api/v1/events", tags=["events"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=list[EventOut],
    summary="Store structured events",
    description=(
        "Takes one event or a list. Actor, equipment and place names may be any alias "
        "('Pyongyang', 'Koksan', 'Kursk region'); they are resolved to canonical entities, and "
        "names that match nothing are kept as written with `resolved: false`. A list is stored "
        "all-or-nothing. The answer is always a list of the stored events."
    ),
)
def create_events(
    session: SessionDep,
    catalog: CatalogDep,
    body: Annotated[EventIn | list[EventIn], Body(description="One event or a list of events")],
) -> list[EventOut]:
    events = body if isinstance(body, list) else [body]
    return event_service.create_events(session=session, catalog=catalog, events=events)


def event_filter(
    actor: Annotated[
        str | None, Query(description="Actor name, alias or id", examples=["Pyongyang"])
    ] = None,
    actor_role: Annotated[Role | None, Query(description="Only actors in this role")] = None,
    country: Annotated[
        str | None, Query(description="ISO3 code or country name", examples=["RUS"])
    ] = None,
    region: Annotated[
        str | None,
        Query(description="First-level division name or alias", examples=["Kursk Oblast"]),
    ] = None,
    location: Annotated[str | None, Query(description="Place name or alias")] = None,
    event_type: Annotated[EventType | None, Query(description="ACLED event type")] = None,
    sub_event_type: Annotated[str | None, Query(description="Sub-event type")] = None,
    equipment: Annotated[
        str | None, Query(description="System name, alias or category", examples=["Koksan"])
    ] = None,
    date_from: Annotated[
        dt.date | None, Query(description="Earliest event date (inclusive)")
    ] = None,
    date_to: Annotated[dt.date | None, Query(description="Latest event date (inclusive)")] = None,
    bbox: Annotated[
        str | None, Query(description="min_lon,min_lat,max_lon,max_lat", examples=["35,51,37,52.5"])
    ] = None,
    near: Annotated[str | None, Query(description="lat,lon of a point; use with radius_km")] = None,
    q: Annotated[
        str | None,
        Query(description="Words to find in notes and evidence (full text; every word must match)"),
    ] = None,
    radius_km: Annotated[float | None, Query(description="Radius around `near`, in km")] = None,
    updated_since: Annotated[
        dt.datetime | None, Query(description="Only events created or changed after this time")
    ] = None,
    article_id: Annotated[
        int | None, Query(description="Only events read from this article")
    ] = None,
) -> EventFilter:
    """The filters shared by listing, exporting and aggregating events."""
    return EventFilter(
        actor=actor,
        actor_role=actor_role,
        country=country,
        region=region,
        location=location,
        event_type=event_type,
        sub_event_type=sub_event_type,
        equipment=equipment,
        date_from=date_from,
        date_to=date_to,
        bbox=bbox,
        near=near,
        radius_km=radius_km,
        updated_since=updated_since,
        article_id=article_id,
        q=q,
    )


FilterDep = Annotated[EventFilter, Depends(event_filter)]
_MEDIA = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}


@router.get(
    "",
    response_model=EventPage,
    summary="Query events (JSON, GeoJSON or CSV)",
    description=(
        "Filters combine with AND and run in SQL. `actor` takes a name, alias or id; an alias "
        "finds the canonical actor's events and a parent actor includes its children (Russia "
        "includes its armed forces). `region` takes a first-level division's name or alias. "
        "`format=geojson` (or `Accept: application/geo+json`) and `format=csv` (or "
        "`Accept: text/csv`) stream every match; JSON is paged with `limit` and `cursor`."
    ),
    responses={
        200: {
            "content": {
                "application/geo+json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
            }
        }
    },
)
def list_events(
    request: Request,
    session: SessionDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    filters: FilterDep,
    format: Annotated[
        Literal["json", "geojson", "csv"] | None,
        Query(description="Answer format; otherwise chosen from the Accept header"),
    ] = None,
    fields: Annotated[
        str | None, Query(description="Comma-separated fields or CSV columns to return")
    ] = None,
    sort: Annotated[
        SortOrder, Query(description="event_date (oldest first), -event_date, relevance (with q)")
    ] = "-event_date",
    limit: Annotated[int, Query(ge=1, description="Page size (capped by the server)")] = 50,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page")] = None,
    include_total: Annotated[
        bool, Query(description="Count every match; by default counting stops at the server's cap")
    ] = False,
) -> Any:
    chosen = format or _format_from_accept(request.headers.get("accept", ""))
    field_list = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    if chosen in _MEDIA:
        body = export_service.export_events(
            engine=get_engine(settings.database_url),
            catalog=catalog,
            filters=filters,
            sort=sort,
            fields=field_list,
            media=chosen,
        )
        return StreamingResponse(body, media_type=_MEDIA[chosen])
    page = query_service.list_events(
        session=session,
        catalog=catalog,
        filters=filters,
        limit=min(limit, settings.max_page_size),
        cursor=cursor,
        sort=sort,
        count_cap=None if include_total else settings.count_cap,
    )
    # The page is already validated; dumping it here spares FastAPI a second validation pass.
    include: dict[str, Any] | None = None
    if field_list is not None:
        export_service.check_fields(field_list, tuple(EventOut.model_fields))
        include = {name: True for name in EventPage.model_fields} | {
            "data": {"__all__": set(field_list)}
        }
    return Response(page.model_dump_json(include=include), media_type="application/json")


@router.get(
    "/deleted",
    response_model=list[DeletedEventOut],
    summary="Events deleted since a time",
    description="With `updated_since` on the list, this lets a client keep a mirror in sync.",
)
def deleted_events(
    session: SessionDep,
    settings: SettingsDep,
    since: Annotated[
        dt.datetime | None, Query(description="Only deletions after this time")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, description="At most this many (capped by the server)")
    ] = 500,
) -> list[DeletedEventOut]:
    rows = event_service.deleted_since(
        session=session, since=since, limit=min(limit, settings.max_page_size)
    )
    return [
        DeletedEventOut(event_id=r.event_id, deleted_at=event_service.as_utc(r.deleted_at))
        for r in rows
    ]


def _format_from_accept(accept: str) -> str:
    if "application/geo+json" in accept:
        return "geojson"
    if "text/csv" in accept:
        return "csv"
    return "json"


@router.get("/{event_id}", response_model=EventOut, summary="Get one event")
def get_event(
    session: SessionDep, catalog: CatalogDep, event_id: int, response: Response
) -> EventOut:
    event = event_service.get_event(session=session, catalog=catalog, event_id=event_id)
    if event.updated_at is not None:
        response.headers["Last-Modified"] = format_datetime(event.updated_at, usegmt=True)
    return event


@router.patch(
    "/{event_id}",
    response_model=EventOut,
    summary="Update part of an event",
    description=(
        "Only the fields given change; a list given (actors, equipment, reported_by) "
        "replaces the stored one."
    ),
)
def update_event(
    session: SessionDep, catalog: CatalogDep, event_id: int, patch: EventPatch
) -> EventOut:
    return event_service.update_event(
        session=session, catalog=catalog, event_id=event_id, patch=patch
    )


@router.delete(
    "/{event_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an event",
    response_class=Response,
)
def delete_event(session: SessionDep, event_id: int) -> Response:
    event_service.delete_event(session=session, event_id=event_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
