"""Aggregations for charts and maps."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from app.api.deps import CatalogDep, SessionDep
from app.api.events import FilterDep
from app.services import stats as stats_service

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


class StatsOut(BaseModel):
    """Groups with their event counts, fatalities and equipment quantities."""

    group_by: list[str] = Field(description="The keys the events were grouped by")
    data: list[dict[str, Any]] = Field(
        description="One row per group: the key values, events, fatalities, equipment_quantity"
    )


@router.get(
    "/events",
    response_model=StatsOut,
    summary="Count events by one or two keys",
    description=(
        "Takes the same filters as `GET /api/v1/events`. Keys: "
        + ", ".join(stats_service.GROUP_KEYS)
        + ". Periods (day, week, month, year) are labelled by their first day and sorted in time."
    ),
)
def event_stats(
    session: SessionDep,
    catalog: CatalogDep,
    filters: FilterDep,
    group_by: Annotated[
        str, Query(description="One or two keys, comma-separated", examples=["month"])
    ],
    limit: Annotated[int, Query(ge=1, le=10_000, description="At most this many groups")] = 1_000,
) -> StatsOut:
    keys = [key.strip() for key in group_by.split(",") if key.strip()]
    result = stats_service.event_stats(
        session=session, catalog=catalog, filters=filters, group_by=keys, limit=limit
    )
    return StatsOut(**result)
