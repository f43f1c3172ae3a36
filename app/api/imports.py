"""Import existing datasets (ACLED, UCDP GED) from their CSV exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response, status

from app.api.deps import CatalogDep, SessionDep
from app.schemas.imports import Dataset, ImportReport, OnError
from app.services import imports as import_service

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])


@router.post(
    "/{dataset}",
    response_model=ImportReport,
    status_code=status.HTTP_200_OK,
    summary="Import an ACLED or UCDP GED CSV export",
    description=(
        "The body is the CSV file itself (`content-type: text/csv`, UTF-8, header line first). "
        "Each row becomes an event; actor labels such as `Military Forces of Russia (2000-)` "
        "resolve to canonical actors, and the dataset's coordinates, admin1 and location name "
        "are kept. Importing a row again updates the event stored from it. Invalid rows are "
        "reported with their line number and skipped (`on_error=skip`), or make the whole "
        "import fail with 422 and nothing stored (`on_error=reject`). Answers 201 when new "
        "events were stored, 200 otherwise. Bodies over MAX_BODY_BYTES get 413: import big "
        "files with `conflict-events import acled|ucdp FILE`."
    ),
    responses={201: {"model": ImportReport, "description": "New events were stored"}},
)
def import_dataset(
    session: SessionDep,
    catalog: CatalogDep,
    response: Response,
    dataset: Dataset,
    body: Annotated[
        bytes, Body(media_type="text/csv", description="The dataset's CSV export, header first")
    ],
    on_error: Annotated[
        OnError, Query(description="skip: report bad rows and store the rest; reject: store none")
    ] = "skip",
) -> ImportReport:
    report = import_service.import_bytes(
        session=session, catalog=catalog, dataset=dataset, data=body, on_error=on_error
    )
    if report.inserted:
        response.status_code = status.HTTP_201_CREATED
    return report
