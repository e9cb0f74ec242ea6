"""Public response models of citations: a reference as listed under a page, a bibliography, a citation page."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from app.models.kind import Kind, kinds_schema
from app.models.response import DISCLAIMER, Model, Updated
from app.models.vocabulary import Organism, PublicationType


class Reference(Model):
    """A citation as listed under a page (or served on its own)."""

    number: int = Field(description="Permanent citation number; never reused.", examples=[3])
    formatted: str = Field(description="Reference string in AMA style.")
    authors: list[str] | None
    authors_complete: bool | None
    title: str
    journal: str | None
    journal_abbrev: str | None
    year: int | None
    volume: str | None
    issue: str | None
    pages: str | None
    doi: str | None
    pmid: str | None
    pmcid: str | None
    doi_url: str | None
    pubmed_url: str | None
    pmc_url: str | None
    publication_type: PublicationType
    publication_detail: str | None
    organism: Organism | None
    retracted: bool
    source_url: str = Field(description="Page on which the bibliographic facts were verified.")
    url: str = Field(examples=["/v1/citations/3"])
    updated: Updated


class ReferenceList(Model):
    items: list[Reference] = Field(description="Every citation the page cites, in order of first appearance.")
    total: int


class CitedBy(Model):
    type: Annotated[Kind, kinds_schema(Kind.with_names()), Field(title="Type")]
    slug: str
    name: str
    url: str


class CitationPage(Reference):
    cited_by: list[CitedBy]
    disclaimer: str = Field(default=DISCLAIMER)
