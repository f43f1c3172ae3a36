"""Liveness and database reachability."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import SessionDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(description="ok, or unavailable when the database cannot be reached")
    database: str = Field(description="reachable or unreachable")
    dialect: str = Field(description="sqlite or postgresql")


@router.get(
    "/healthz",
    response_model=Health,
    summary="Report whether the service and its database answer",
    responses={503: {"model": Health, "description": "The database cannot be reached"}},
)
def healthz(session: SessionDep) -> JSONResponse:
    dialect = session.get_bind().dialect.name
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        body = Health(status="unavailable", database="unreachable", dialect=dialect)
        return JSONResponse(body.model_dump(), status_code=503)
    return JSONResponse(Health(status="ok", database="reachable", dialect=dialect).model_dump())
