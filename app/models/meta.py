"""Public response models of the dataset: version and counts, export, changes between versions, probes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.models.response import DISCLAIMER, Model


class Counts(Model):
    conditions: int
    mechanisms: int
    interventions: int
    citations: int


class Meta(Model):
    api_version: str = Field(examples=["1.0.0"])
    dataset_version: str = Field(description="Content hash of the loaded data.", examples=["08e23ea7b6cecbe9"])
    updated: dt.date | None = Field(
        description="The date of the data: its latest curated review (every entity's `updated` is on or before it).",
        examples=["2026-11-21"],
    )
    counts: Counts
    reload_errors: list[str] = Field(description="Problems of the last refused reload; empty when none.")
    disclaimer: str = Field(default=DISCLAIMER)


class Export(Model):
    """The whole knowledge base; records follow the YAML schema, each with `updated`."""

    dataset_version: str
    updated: dt.date | None = Field(description="The date of the data, as in `/v1/meta`.")
    counts: Counts
    citations: list[dict[str, object]]
    conditions: list[dict[str, object]]
    mechanisms: list[dict[str, object]]
    interventions: list[dict[str, object]]


class Changes(Model):
    since: str = Field(examples=["08e23ea7b6cecbe9"])
    to: str = Field(description="The version served now.", examples=["755ff75fe7870317"])
    added: dict[str, list[str]] = Field(examples=[{"conditions": ["traction-alopecia"], "citations": ["44"]}])
    changed: dict[str, list[str]]
    removed: dict[str, list[str]]


class Health(Model):
    status: Literal["ok"]


class Readiness(Model):
    """This server's own state (not cacheable: each replica answers for itself)."""

    status: Literal["ready"]
    dataset_version: str
    loaded_at: dt.datetime = Field(description="When this server built the version it serves (UTC).")
    reload_errors: list[str] = Field(
        description="Problems of the last refused reload (the previous data is still served); empty when none."
    )
