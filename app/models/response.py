"""Public response models: what the API returns (and what OpenAPI documents)."""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from app.models.record import (
    Category,
    CellType,
    CodeMatch,
    CodeSystem,
    EvidenceGrade,
    EvidenceRole,
    HairCycleEffect,
    ImmuneClass,
    InterventionKind,
    Organism,
    PublicationType,
    Reversibility,
)

DISCLAIMER = (
    "Educational information from published literature, not medical advice. "
    "Talk to a qualified clinician about diagnosis and treatment."
)

T = TypeVar("T")


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


class ImmuneInvolvementOut(ClassifiedText):
    level: ImmuneClass = Field(serialization_alias="class", examples=["immune-contributing"])


class ReversibilityOut(ClassifiedText):
    level: Reversibility = Field(serialization_alias="class", examples=["variable"])


class SectionOut(Model):
    id: str = Field(examples=["overview"])
    title: str = Field(examples=["Overview"])
    body_markdown: str = Field(description="Curated Markdown; `[3]` marks citation 3.")
    body_html: str = Field(description="Sanitised HTML; markers become superscript links to `#ref-N`.")
    citations: list[int]


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
    updated: dt.date | None = Field(
        description="When this entity's content last changed (data loads that left it unchanged keep the date)."
    )


class ReferenceList(Model):
    items: list[Reference] = Field(description="Every citation the page cites, in order of first appearance.")
    total: int


class MechanismInCondition(Link):
    role: str = Field(description="What the mechanism does in this condition.")
    citations: list[int]


class ConditionSummary(Model):
    slug: str = Field(examples=["telogen-effluvium"])
    name: str = Field(examples=["Telogen effluvium"])
    aliases: list[str] = Field(examples=[["TE", "shedding after childbirth"]])
    category: Category
    summary: str
    url: str = Field(examples=["/v1/conditions/telogen-effluvium"])
    updated: dt.date | None = Field(
        description="When this entity's content last changed (data loads that left it unchanged keep the date)."
    )
    last_reviewed: dt.date


class CodeOut(Model):
    system: CodeSystem = Field(examples=["ICD10CM"])
    code: str = Field(examples=["L65.0"])
    curie: str = Field(description="`SYSTEM:CODE`, the form `?code=` accepts.", examples=["ICD10CM:L65.0"])
    title: str | None = Field(examples=["Telogen effluvium"])
    match: CodeMatch = Field(description="exact, or broader/narrower than this condition.")
    note: str | None


class InterventionInCondition(Link):
    kind: InterventionKind
    grade: EvidenceGrade = Field(description="Evidence grade for this condition (see the README scale).")
    summary: str = Field(description="What the evidence shows, in plain words.")
    citations: list[int]


class ConditionPage(ConditionSummary):
    """Everything a website needs to render a condition page, in one response."""

    codes: list[CodeOut] = Field(description="Standard codes (ICD-10-CM, ICD-11, MeSH, MONDO, Orphanet).")
    codes_note: str | None
    interventions: list[InterventionInCondition] = Field(description="What is used for it, with evidence grades.")

    summary_citations: list[int]
    immune_involvement: ImmuneInvolvementOut
    reversibility: ReversibilityOut
    sections: list[SectionOut]
    mechanisms: list[MechanismInCondition]
    parent: Link | None
    children: list[Link]
    references: list[Reference] = Field(description="Every citation the page cites, in order of first appearance.")
    disclaimer: str = Field(default=DISCLAIMER)


class CellTypeOut(Model):
    id: CellType
    label: str = Field(examples=["TREM2+ macrophage"])


class MechanismSummary(Model):
    slug: str = Field(examples=["oncostatin-m-jak-stat5"])
    name: str = Field(examples=["Oncostatin M / JAK–STAT5 signalling"])
    aliases: list[str]
    summary: str
    hair_cycle_effects: list[HairCycleEffect]
    cell_types: list[CellTypeOut]
    evidence_organism: Organism
    url: str = Field(examples=["/v1/mechanisms/oncostatin-m-jak-stat5"])
    updated: dt.date | None = Field(
        description="When this entity's content last changed (data loads that left it unchanged keep the date)."
    )
    last_reviewed: dt.date


class ConditionInMechanism(Link):
    role: str
    citations: list[int]


class InterventionOnMechanism(Link):
    role: str
    citations: list[int]


class MechanismPage(MechanismSummary):
    summary_citations: list[int]
    interventions: list[InterventionOnMechanism] = Field(description="Interventions that act on this mechanism.")
    molecules: list[str]
    body_markdown: str
    body_html: str
    conditions: list[ConditionInMechanism] = Field(description="Conditions that involve this mechanism, with role.")
    references: list[Reference]
    disclaimer: str = Field(default=DISCLAIMER)


class InterventionSummary(Model):
    slug: str = Field(examples=["jak-inhibitors"])
    name: str = Field(examples=["JAK inhibitors"])
    aliases: list[str]
    kind: InterventionKind
    summary: str
    url: str = Field(examples=["/v1/interventions/jak-inhibitors"])
    updated: dt.date | None = Field(
        description="When this entity's content last changed (data loads that left it unchanged keep the date)."
    )
    last_reviewed: dt.date


class EvidenceOut(Model):
    role: EvidenceRole = Field(description="supports, contradicts, context, or retracted-source.")
    finding: str
    citations: list[int]
    retracted: bool = Field(description="True when this entry names retracted papers (never support).")


class UseOut(Model):
    condition: Link
    grade: EvidenceGrade
    summary: str
    citations: list[int]
    evidence: list[EvidenceOut]


class InterventionPage(InterventionSummary):
    summary_citations: list[int]
    uses: list[UseOut] = Field(description="Per condition: evidence grade, plain summary and the evidence.")
    mechanisms: list[MechanismInCondition] = Field(description="Mechanisms it acts on, with its role there.")
    body_markdown: str
    body_html: str
    references: list[Reference]
    disclaimer: str = Field(default=DISCLAIMER)


class CitedBy(Model):
    type: Literal["condition", "mechanism", "intervention"]
    slug: str
    name: str
    url: str


class CitationPage(Reference):
    cited_by: list[CitedBy]
    disclaimer: str = Field(default=DISCLAIMER)


class Page(Model, Generic[T]):
    items: list[T]
    total: int = Field(description="Matches before pagination.")
    limit: int
    offset: int


class Counts(Model):
    conditions: int
    mechanisms: int
    interventions: int
    citations: int


class Meta(Model):
    api_version: str = Field(examples=["1.0.0"])
    dataset_version: str = Field(description="Content hash of the loaded data.", examples=["08e23ea7b6cecbe9"])
    loaded_at: dt.datetime
    counts: Counts
    reload_errors: list[str] = Field(description="Problems of the last refused reload; empty when none.")
    disclaimer: str = Field(default=DISCLAIMER)


class Export(Model):
    """The whole knowledge base; records follow the YAML schema, each with `updated`."""

    dataset_version: str
    loaded_at: dt.datetime
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
    status: Literal["ready"]
    dataset_version: str
    reload_errors: list[str] = Field(
        description="Problems of the last refused reload (the previous data is still served); empty when none."
    )


class Problem(Model):
    """RFC 9457 problem details."""

    type: str = Field(examples=["https://hairkb.dev/problems/not-found"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No condition 'x'."])
    instance: str = Field(examples=["/v1/conditions/x"])
    errors: list[dict[str, object]] | None = Field(default=None, description="Per-field problems (422 only).")


class SearchHit(Model):
    type: Literal["condition", "mechanism", "intervention", "citation"]
    slug: str | None = Field(description="Set for conditions and mechanisms.", examples=["telogen-effluvium"])
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
    type: Literal["condition", "mechanism", "intervention"]
    label: str = Field(examples=["Frontal fibrosing alopecia"])
    matched: str = Field(description="The name or alias the prefix matched.", examples=["FFA"])
    url: str = Field(examples=["/v1/conditions/frontal-fibrosing-alopecia"])


class SuggestResponse(Model):
    query: str = Field(examples=["fro"])
    items: list[SuggestionOut]
