"""Public response models of mechanisms: the summary in lists and the full page."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.models.reference import Reference
from app.models.response import DISCLAIMER, Link, Model, Updated
from app.models.vocabulary import CellType, HairCycleEffect, Organism


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
    updated: Updated
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
