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
    Field(
        description="The date of the latest curated review of this entity: a page's `last_reviewed`; for a "
        "citation, the latest `last_reviewed` of the pages that cite it. Derived from the data alone, so every "
        "server, and every restart, gives the same date.",
        examples=["2026-11-21"],
    ),
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


class FieldProblem(Model):
    """What is wrong with one parameter."""

    location: str = Field(alias="in", description="query, path or header.", examples=["query"])
    name: str = Field(examples=["limit"])
    message: str = Field(examples=["Input should be less than or equal to 100"])
    input: object = Field(default=None, description="The value sent, cut to 100 characters.", examples=["500"])


class Problem(Model):
    """RFC 9457 problem details; `type` is a path on this server that describes the problem type."""

    type: str = Field(examples=["/problems/not-found"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No condition 'x'."])
    instance: str = Field(examples=["/v1/conditions/x"])
    errors: list[FieldProblem] | None = Field(default=None, description="Per-parameter problems (422 only).")


class Moved(Model):
    """The body of a 308: where the resource lives (the `Location` header says the same)."""

    location: str = Field(examples=["/v1/conditions/female-pattern-hair-loss"])
    detail: str = Field(examples=["'FPHL' is another name of female-pattern-hair-loss."])
