"""Record models: the schema of the curated YAML files in data/ (validated, never written to tables directly)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.models.vocabulary import (
    CODE_PATTERNS,
    DOI_PATTERN,
    PMCID_PATTERN,
    PMID_PATTERN,
    SLUG_PATTERN,
    URL_PATTERN,
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

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

Doi = Annotated[str, StringConstraints(pattern=DOI_PATTERN)]

Pmid = Annotated[str, StringConstraints(pattern=PMID_PATTERN)]

Pmcid = Annotated[str, StringConstraints(pattern=PMCID_PATTERN)]

Url = Annotated[str, StringConstraints(pattern=URL_PATTERN)]

CitationNumber = Annotated[int, Field(ge=1, le=1_000_000)]

Citations = Annotated[list[CitationNumber], Field(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CitationRecord(Record):
    """One numbered literature citation. Every bibliographic field was seen on `source_url`, or is null."""

    number: CitationNumber
    authors: list[ShortText] | None
    authors_complete: bool | None
    title: Text
    journal: Text | None
    journal_abbrev: Text | None = None
    year: Annotated[int, Field(ge=1800, le=2100)] | None
    volume: ShortText | None
    issue: ShortText | None
    pages: ShortText | None
    doi: Doi | None
    pmid: Pmid | None
    pmcid: Pmcid | None
    publication_type: PublicationType
    publication_detail: Text | None = None
    organism: Organism | None
    retracted: bool = False
    source_url: Url
    additional_sources: list[Url] = Field(default_factory=list)
    notes: Text | None = None


class ImmuneInvolvement(Record):
    level: ImmuneClass = Field(alias="class")
    text: Text


class ReversibilityNote(Record):
    level: Reversibility = Field(alias="class")
    text: Text


class Section(Record):
    id: Slug
    title: ShortText
    body: Text


class MechanismLink(Record):
    slug: Slug
    role: Text
    citations: Citations


class StandardCode(Record):
    system: CodeSystem
    code: ShortText
    title: ShortText | None
    match: CodeMatch
    note: Text | None = None

    @model_validator(mode="after")
    def _code_fits_system(self) -> StandardCode:
        if not re.match(CODE_PATTERNS[self.system], self.code):
            raise ValueError(f"{self.code!r} is not a valid {self.system.value} code")
        return self

    @property
    def curie(self) -> str:
        return f"{self.system.value}:{self.code}"


class ConditionRecord(Record):
    slug: Slug
    name: ShortText
    aliases: list[ShortText]
    category: Category
    parent: Slug | None
    immune_involvement: ImmuneInvolvement
    summary: Text
    reversibility: ReversibilityNote
    mechanisms: list[MechanismLink]
    sections: Annotated[list[Section], Field(min_length=1)]
    codes: list[StandardCode] = Field(default_factory=list)
    codes_note: Text | None = None
    last_reviewed: dt.date


class MechanismRecord(Record):
    slug: Slug
    name: ShortText
    aliases: list[ShortText]
    summary: Text
    hair_cycle_effects: Annotated[list[HairCycleEffect], Field(min_length=1)]
    molecules: list[ShortText]
    cell_types: list[CellType]
    evidence_organism: Organism
    body: Text
    last_reviewed: dt.date


class EvidenceItem(Record):
    role: EvidenceRole
    citations: Citations
    finding: Text


class InterventionUse(Record):
    condition: Slug
    grade: EvidenceGrade
    summary: Text
    evidence: list[EvidenceItem]


class InterventionRecord(Record):
    slug: Slug
    name: ShortText
    aliases: list[ShortText]
    kind: InterventionKind
    summary: Text
    uses: Annotated[list[InterventionUse], Field(min_length=1)]
    mechanisms: list[MechanismLink]
    body: Text
    last_reviewed: dt.date
