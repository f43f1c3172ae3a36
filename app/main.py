"""The ASGI application: routes, problem-details errors, and API docs served without a CDN."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_standalone_docs
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app.api import articles, events, health, reference, stats
from app.api import imports as dataset_imports
from app.api.caching import ConditionalGet
from app.api.problems import BodySizeLimit, install_problem_handlers
from app.services.catalog import get_catalog
from app.settings import Settings, get_settings

_DOC_ASSETS = Path(fastapi_standalone_docs.__file__).parent / "static"

DESCRIPTION = """
Post a news article and get back ACLED-style coded events, with every actor, weapon system and
place normalized to a canonical entity and every value tied to the character span it came from.
Store events with their sources and query them by region, actor, equipment and time.
"""

TAGS = [
    {
        "name": "articles",
        "description": "Raw text in: extract events, or store them with the article.",
    },
    {"name": "events", "description": "Structured events: create, read, update, delete, query."},
    {
        "name": "reference",
        "description": "Canonical actors, equipment and places, and name resolution.",
    },
    {"name": "stats", "description": "Aggregations for charts and maps."},
    {"name": "imports", "description": "Bring in ACLED and UCDP GED exports."},
    {"name": "health", "description": "Service and database status."},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; the catalog is loaded at start-up so the first request is fast."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        get_catalog(settings)
        yield

    app = FastAPI(
        title="Conflict Events API",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.dependency_overrides[get_settings] = lambda: settings
    install_problem_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.add_middleware(ConditionalGet)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.mount("/static/docs", StaticFiles(directory=_DOC_ASSETS), name="docs-assets")
    for router in (
        articles.router,
        events.router,
        stats.router,
        dataset_imports.router,
        reference.router,
        health.router,
    ):
        app.include_router(router)

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - Swagger UI",
            swagger_js_url="/static/docs/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger/swagger-ui.css",
            swagger_favicon_url="/static/docs/fastapi/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - ReDoc",
            redoc_js_url="/static/docs/redoc/redoc.standalone.js",
            redoc_favicon_url="/static/docs/fastapi/favicon.png",
            with_google_fonts=False,
        )

    return app


app = create_app()
