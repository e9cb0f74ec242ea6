"""Public response models of interventions: the summary in lists and the page with its evidence per condition."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.models.condition import MechanismInCondition
from app.models.reference import Reference
from app.models.regulatory import Agency, RegulatoryStatus
from app.models.response import DISCLAIMER, CitedText, Link, Model, Updated
from app.models.vocabulary import EvidenceGrade, EvidenceRole, InterventionKind


class InterventionSummary(Model):
    slug: str = Field(examples=["baricitinib"])
    name: str = Field(examples=["Baricitinib"])
    aliases: list[str]
    kind: InterventionKind
    summary: str
    approved_by: list[Agency] = Field(
        description="Regulators that approved, cleared or OTC-listed it for some indication.", examples=[["FDA"]]
    )
    url: str = Field(examples=["/v1/interventions/baricitinib"])
    updated: Updated
    last_reviewed: dt.date


class RegulatoryOut(Model):
    """One regulator's decision, as its label or record states it."""

    agency: Agency = Field(examples=["FDA"])
    agency_name: str = Field(examples=["U.S. Food and Drug Administration"])
    status: RegulatoryStatus = Field(
        description="approved, cleared (a device), otc; or not-approved, withdrawn, warning.", examples=["approved"]
    )
    indication: str = Field(examples=["Adults with severe alopecia areata"])
    conditions: list[Link] = Field(description="Conditions of this knowledge base the decision covers.")
    population: str | None = Field(examples=["adults"])
    year: int | None = Field(examples=[2022])
    products: list[str] = Field(examples=[["Olumiant"]])
    citations: list[int] = Field(description="The label or record that states it.")


class SafetyOut(Model):
    """What the label says can go wrong; each part cited (labels first). Null parts: the sources say nothing."""

    common: CitedText | None = Field(description="Common side effects.")
    serious: CitedText | None = Field(description="Serious warnings, including boxed warnings, in plain words.")
    pregnancy: CitedText | None = Field(description="Pregnancy and breastfeeding.")
    contraindications: CitedText | None = Field(description="Who should not use it.")
    monitoring: CitedText | None = Field(description="Tests and checks before and during use.")


class UsageOut(Model):
    how: CitedText | None = Field(description="How it is used.")
    time_to_results: CitedText | None = Field(description="How long before results show.")
    on_stopping: CitedText | None = Field(description="What happens when it is stopped.")


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
    regulatory: list[RegulatoryOut] = Field(description="Regulators' decisions covering this condition.")
    evidence: list[EvidenceOut]


class InterventionPage(InterventionSummary):
    summary_citations: list[int]
    regulatory: list[RegulatoryOut] = Field(description="Every regulator's decision on record, for any indication.")
    uses: list[UseOut] = Field(description="Per condition: evidence grade, plain summary and the evidence.")
    safety: SafetyOut | None = Field(description="Side effects, warnings, pregnancy, who should not use it.")
    usage: UsageOut | None = Field(description="How it is used, time to results, what happens on stopping.")
    mechanisms: list[MechanismInCondition] = Field(description="Mechanisms it acts on, with its role there.")
    body_markdown: str
    body_html: str
    references: list[Reference]
    disclaimer: str = Field(default=DISCLAIMER)
