"""Shared pieces of the public response models: the base model, links, cited text, pages of items, problems."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

DISCLAIMER = (
    "Educational information from published literature, not medical advice. "
    "Talk to a qualified clinician about diagnosis and treatment."
)

T = TypeVar("T")

# Every entity's `updated` field.
Updated = Annotated[
    dt.date | None,
    Field(description="When this entity's content last changed (data loads that left it unchanged keep the date)."),
]


class Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class Link(Model):
    slug: str = Field(examples=["androgenetic-alopecia"])
    name: str = Field(examples=["Androgenetic alopecia"])
    url: str = Field(examples=["/v1/conditions/androgenetic-alopecia"])


class CitedText(Model):
    text: str = Field(description="Plain text with citation markers removed.")
    citations: list[int] = Field(description="Citation numbers supporting the text, in order of appearance.")


class ClassifiedText(CitedText):
    level: str = Field(serialization_alias="class", description="Short classification.")


class Page(Model, Generic[T]):
    items: list[T]
    total: int = Field(description="Matches before pagination.")
    limit: int
    offset: int


class Problem(Model):
    """RFC 9457 problem details."""

    type: str = Field(examples=["/problems/not-found"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No condition 'x'."])
    instance: str = Field(examples=["/v1/conditions/x"])
    errors: list[dict[str, object]] | None = Field(default=None, description="Per-field problems (422 only).")
