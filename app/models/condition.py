"""Public response models of conditions: the summary in lists and the full page."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.models.reference import Reference
from app.models.regulatory import Agency, RegulatoryStatus
from app.models.response import DISCLAIMER, CitedText, ClassifiedText, Link, Model, Page, Updated
from app.models.vocabulary import (
    Category,
    CodeMatch,
    CodeSystem,
    EvidenceGrade,
    ImmuneClass,
    InterventionKind,
    Reversibility,
)


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
    updated: Updated
    last_reviewed: dt.date


class ConditionListItem(ConditionSummary):
    """A condition in a list, with its presentation (for filter chips) and what it matched."""

    presentation: dict[str, list[str]] = Field(
        description="Its values per presentation facet.", examples=[{"pattern": ["patchy"], "onset": ["sudden"]}]
    )
    matched: dict[str, list[str]] = Field(
        description="Per facet asked for in the query, the asked values this condition has (empty without "
        "facet filters).",
        examples=[{"pattern": ["patchy"]}],
    )


class ConditionList(Page[ConditionListItem]):
    facets: dict[str, dict[str, int]] = Field(
        description="For every facet and value: how many conditions the list would hold with that value chosen "
        "(other facets keeping their choices). Zero counts are included, for drawing a filter sidebar.",
        examples=[{"onset": {"sudden": 9, "gradual": 26}}],
    )


class CodeOut(Model):
    system: CodeSystem = Field(examples=["ICD10CM"])
    code: str = Field(examples=["L65.0"])
    curie: str = Field(description="`SYSTEM:CODE`, the form `?code=` accepts.", examples=["ICD10CM:L65.0"])
    title: str | None = Field(examples=["Telogen effluvium"])
    match: CodeMatch = Field(description="exact, or broader/narrower than this condition.")
    note: str | None


class ApprovalOut(Model):
    agency: Agency = Field(examples=["FDA"])
    status: RegulatoryStatus = Field(examples=["approved"])
    year: int | None = Field(examples=[2022])
    population: str | None = Field(examples=["adults"])


class InterventionInCondition(Link):
    kind: InterventionKind
    grade: EvidenceGrade = Field(description="Evidence grade for this condition (see the README scale).")
    summary: str = Field(description="What the evidence shows, in plain words.")
    citations: list[int]
    regulatory: list[ApprovalOut] = Field(description="Regulators' decisions covering this condition.")
    serious_warnings: CitedText | None = Field(
        description="The label's serious warnings (boxed warnings in plain words), when there are any."
    )


class FacetOut(Model):
    values: list[str] = Field(examples=[["patchy"]])
    citations: list[int] = Field(description="Citations whose sentences in the page back these values.")


class PresentationOut(Model):
    """How the condition presents, in the navigator's controlled vocabularies (see `/v1/conditions` filters)."""

    pattern: FacetOut
    onset: FacetOut
    course: FacetOut
    scarring: FacetOut
    scalp_findings: FacetOut
    who: FacetOut
    age: FacetOut


class ConditionPage(ConditionSummary):
    """Everything a website needs to render a condition page, in one response."""

    codes: list[CodeOut] = Field(description="Standard codes (ICD-10-CM, ICD-11, MeSH, MONDO, Orphanet).")
    codes_note: str | None
    interventions: list[InterventionInCondition] = Field(description="What is used for it, with evidence grades.")

    summary_citations: list[int]
    immune_involvement: ImmuneInvolvementOut
    reversibility: ReversibilityOut
    presentation: PresentationOut
    sections: list[SectionOut]
    mechanisms: list[MechanismInCondition]
    parent: Link | None
    children: list[Link]
    references: list[Reference] = Field(description="Every citation the page cites, in order of first appearance.")
    disclaimer: str = Field(default=DISCLAIMER)
