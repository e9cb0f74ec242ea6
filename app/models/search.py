"""Public response models of search and autocomplete."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from app.models.kind import Kind, kinds_schema
from app.models.response import Model


class SearchHit(Model):
    type: Kind
    slug: str | None = Field(
        description="Set for conditions, mechanisms and interventions.", examples=["telogen-effluvium"]
    )
    number: int | None = Field(description="Set for citations.", examples=[None])
    title: str = Field(examples=["Telogen effluvium"])
    snippet: str = Field(description="HTML-escaped excerpt; matched words wrapped in <mark>.")
    score: float = Field(description="Higher is better; exact name/alias matches score highest.")
    url: str = Field(examples=["/v1/conditions/telogen-effluvium"])


class SearchFacets(Model):
    type: dict[str, int] = Field(examples=[{"condition": 3, "mechanism": 2, "citation": 5}])


class SearchResponse(Model):
    query: str = Field(examples=["alopecia areta"])
    total: int = Field(
        description=(
            "Matching documents of the requested type: those with all the words (from four words on, all "
            "but one) or, when fewer than 50 documents have them, those with any of the words. The same "
            "whatever `limit` and `offset`, so pages never disagree."
        )
    )
    limit: int
    offset: int
    hits: list[SearchHit]
    facets: SearchFacets = Field(description="Hit counts per type for the query, before the `type` filter.")
    did_you_mean: str | None = Field(
        description="The corrected query, when a correction was applied.", examples=["alopecia areata"]
    )


class SuggestionOut(Model):
    type: Annotated[Kind, kinds_schema(Kind.with_names()), Field(title="Type")]
    label: str = Field(examples=["Frontal fibrosing alopecia"])
    matched: str = Field(description="The name or alias the prefix matched.", examples=["FFA"])
    url: str = Field(examples=["/v1/conditions/frontal-fibrosing-alopecia"])


class SuggestResponse(Model):
    query: str = Field(examples=["fro"])
    items: list[SuggestionOut]
