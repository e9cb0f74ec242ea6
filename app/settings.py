"""Runtime settings, read from HAIRKB_* environment variables (or passed to create_app in tests)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HAIRKB_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Folder with the curated YAML files.")
    database_url: str = Field(
        default="sqlite://",
        description="SQLAlchemy URL; the default is an in-memory SQLite database filled from data_dir on start.",
    )
    cache_max_age: int = Field(default=300, ge=0, description="Cache-Control max-age (seconds) for GET responses.")
    cors_origins: list[str] = Field(default=["*"], description="Origins allowed to read the API from a browser.")
    public_url: str = Field(default="", description="Absolute base URL for links; empty means relative links.")
