"""The one typed settings object; nothing else reads the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Service configuration, read from environment variables (and `.env` if present)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'data' / 'conflict_events.db'}",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    host: str = Field(default="127.0.0.1", description="Interface the server binds to")
    port: int = Field(default=8000, description="Port the server listens on")
    seeds_dir: Path = Field(default=PROJECT_ROOT / "seeds", description="Reference data folder")
    cache_dir: Path = Field(
        default=PROJECT_ROOT / "data" / "cache",
        description="Where compiled gazetteer and matcher files are kept between starts",
    )
    max_body_bytes: int = Field(default=2_000_000, description="Largest request body accepted")
    max_page_size: int = Field(default=500, description="Upper bound for the `limit` parameter")
    count_cap: int = Field(
        default=10_000,
        description="Event lists stop counting matches here unless asked for the exact total",
    )
    fuzzy_threshold: float = Field(
        default=88.0, description="Lowest rapidfuzz score (0-100) accepted as a fuzzy match"
    )
    cors_origins: list[str] = Field(default=[], description="Origins allowed by CORS")


@lru_cache
def get_settings() -> Settings:
    """Settings are read once per process."""
    return Settings()
