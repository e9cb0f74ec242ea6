"""Runtime settings, read from HAIRKB_* environment variables (or passed to create_app in tests)."""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _base_url(value: str) -> str:
    if not value.startswith(("http://", "https://")) or "?" in value or "#" in value:
        raise ValueError("must be an absolute http(s) URL without query or fragment")
    return value.rstrip("/")


BaseUrl = Annotated[str, AfterValidator(_base_url)]

# Where pip puts the data files of the package (pyproject: tool.setuptools.data-files).
_INSTALLED_DATA = Path("share") / "hairkb" / "data"


def default_data_dir() -> Path:
    """The curated data of this release: the source tree's `data/` when the code runs from a checkout (so that
    edits are seen), else the copy `pip install` put under the environment's (or the user's) data prefix."""
    source = Path(__file__).resolve().parent.parent / "data"
    if source.is_dir():
        return source
    prefixes = (
        sys.prefix,
        sysconfig.get_path("data"),
        sysconfig.get_path("data", sysconfig.get_preferred_scheme("user")),
    )
    return next((Path(p) / _INSTALLED_DATA for p in prefixes if (Path(p) / _INSTALLED_DATA).is_dir()), source)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HAIRKB_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder with the curated YAML files; by default the data this release ships.",
    )
    database_url: str = Field(
        default="sqlite://",
        description="SQLAlchemy URL; the default is an in-memory SQLite database filled from data_dir on start.",
    )
    public_base_url: BaseUrl = Field(
        default="http://127.0.0.1:8000",
        description="Where clients reach this API: the absolute `@id` and `url` of JSON-LD (which partners embed "
        "on their own pages) and the server in OpenAPI. Every replica behind one address sets the same value.",
    )
    cache_max_age: int = Field(default=300, ge=0, description="Cache-Control max-age (seconds) for GET responses.")
    replay_cache_mb: float = Field(
        default=64, gt=0, description="Megabytes of whole responses kept for replay (at most 8,192 of them)."
    )
    list_cache_mb: float = Field(
        default=32, gt=0, description="Megabytes of list, search and change pages kept (at most 2,048 of them)."
    )
    cors_origins: list[str] = Field(default=["*"], description="Origins allowed to read the API from a browser.")
    load_on_start: bool = Field(
        default=True,
        description="Validate data_dir and write it to the database on start. Replicas that share a database "
        "and follow it set this to false (an empty database is still bootstrapped from data_dir).",
    )
    watch_data: bool = Field(default=False, description="Reload when files in data_dir change (or on SIGHUP).")
    follow_database: bool = Field(default=False, description="Reload when `hairkb load` publishes a new version.")
    poll_seconds: float = Field(
        default=1.0,
        gt=0,
        description="How often to look for new data or a new version; the first delay of the backoff while "
        "the database is unreachable (doubling up to 30 s).",
    )
    start_timeout: float = Field(
        default=60.0,
        ge=0,
        description="How long start-up retries, with backoff, while the database cannot be reached.",
    )
    header_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a connection has to send a complete request head, from its start or its last "
        "response (`hairkb serve`).",
    )
    keep_alive_timeout: int = Field(
        default=5, ge=1, description="Seconds an idle keep-alive connection stays open (`hairkb serve`)."
    )
    max_connections: int = Field(
        default=1024,
        ge=16,
        description="Open connections at most; past it the longest idle is closed (`hairkb serve`; lowered to "
        "fit the descriptor limit).",
    )
    backlog: int = Field(default=2048, ge=16, description="Connections the kernel queues (`hairkb serve`).")
    site: bool = Field(default=True, description="Serve the browsable HTML site at / (false: an API-only deployment).")
    log_json: bool = Field(default=True, description="Structured JSON logs (one object per line).")
    access_log: bool = Field(default=True, description="Log every request (JSON, with its request id).")
    shortcuts: bool = Field(
        default=True,
        description="Answer plainly valid search and suggest requests without the framework's routing (same bytes).",
    )
