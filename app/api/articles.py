"""Raw text in: extract events without storing, or store the article with what was read."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.api.deps import CatalogDep, SessionDep
from app.schemas.articles import ArticleIn, ArticleOut, ExtractionOut
from app.services import articles as article_service

router = APIRouter(prefix="/api/v1", tags=["articles"])


@router.post(
    "/extract",
    response_model=ExtractionOut,
    summary="Extract coded events from text (nothing stored)",
    description=(
        "Reads ACLED-style events from the text: type and sub-type, actors with roles, place with "
        "coordinates, date, fatalities, equipment with quantities, who reported it, and the "
        "evidence span. Every value keeps the character span it came from."
    ),
)
def extract(catalog: CatalogDep, article: ArticleIn) -> ExtractionOut:
    return article_service.extract_article(catalog=catalog, article=article)


@router.post(
    "/articles",
    response_model=ArticleOut,
    status_code=status.HTTP_201_CREATED,
    summary="Store an article with its extracted events",
    description=(
        "Stores the article, its mentions and events in one transaction. Posting the same text "
        "again stores nothing and answers 200 with the stored article."
    ),
    responses={200: {"model": ArticleOut, "description": "The text was stored before"}},
)
def ingest(
    session: SessionDep, catalog: CatalogDep, article: ArticleIn, response: Response
) -> ArticleOut:
    stored, created = article_service.ingest_article(
        session=session, catalog=catalog, article=article
    )
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return stored


@router.get("/articles/{article_id}", response_model=ArticleOut, summary="Get a stored article")
def get_article(session: SessionDep, catalog: CatalogDep, article_id: int) -> ArticleOut:
    return article_service.get_article(session=session, catalog=catalog, article_id=article_id)
