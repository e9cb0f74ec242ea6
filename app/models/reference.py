"""Public response models of citations: a reference as listed under a page, a bibliography, a citation page."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from app.models.kind import Kind, kinds_schema
from app.models.response import DISCLAIMER, Model, Updated
from app.models.vocabulary import Organism, PublicationType


class FindingOut(Model):
    """A short verbatim excerpt of the source, for "what the source says" next to a citation."""

    text: str = Field(examples=["skin-resident macrophages decrease by apoptosis right before stem cells activate"])
    where: str = Field(description="Where in the source: abstract, a label section…", examples=["abstract"])


class Reference(Model):
    """A citation as listed under a page (or served on its own). Every link is canonical: the DOI, PubMed,
    PMC, or the publisher's or regulator's own page; where a curator read the record is not served here
    (it is in `/v1/export`)."""

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
    publisher_url: str | None = Field(description="The publisher's or regulator's page for this work.")
    link: str | None = Field(
        description="The best link for readers: the DOI, else PubMed, else PMC, else the publisher's or "
        "regulator's page; null when none is known."
    )
    publisher: str | None = Field(description="Publisher or labeller, for labels and regulators' records.")
    publication_type: PublicationType
    publication_detail: str | None
    organism: Organism | None
    retracted: bool
    findings: list[FindingOut] = Field(description="What the source says: short verbatim excerpts.")
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
