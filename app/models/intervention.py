"""Public response models of interventions: the summary in lists and the page with its evidence per condition."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.models.condition import MechanismInCondition
from app.models.reference import Reference
from app.models.response import DISCLAIMER, Link, Model, Updated
from app.models.vocabulary import EvidenceGrade, EvidenceRole, InterventionKind


class InterventionSummary(Model):
    slug: str = Field(examples=["jak-inhibitors"])
    name: str = Field(examples=["JAK inhibitors"])
    aliases: list[str]
    kind: InterventionKind
    summary: str
    url: str = Field(examples=["/v1/interventions/jak-inhibitors"])
    updated: Updated
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
