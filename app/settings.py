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
    load_on_start: bool = Field(
        default=True,
        description="Validate data_dir and write it to the database on start. Replicas that share a database "
        "and follow it set this to false (an empty database is still bootstrapped from data_dir).",
    )
    watch_data: bool = Field(default=False, description="Reload when files in data_dir change (or on SIGHUP).")
    follow_database: bool = Field(default=False, description="Reload when `hairkb load` publishes a new version.")
    poll_seconds: float = Field(default=1.0, gt=0, description="How often to look for new data or a new version.")
    site: bool = Field(default=True, description="Serve the browsable HTML site at / (false: an API-only deployment).")
    log_json: bool = Field(default=True, description="Structured JSON logs (one object per line).")
    access_log: bool = Field(default=True, description="Log every request (JSON, with its request id).")
    shortcuts: bool = Field(
        default=True,
        description="Answer plainly valid search and suggest requests without the framework's routing (same bytes).",
    )
