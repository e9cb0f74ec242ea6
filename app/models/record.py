"""Record models: the schema of the curated YAML files in data/ (validated, never written to tables directly)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from app.models.fields import (
    CanonicalUrl,
    CitationNumber,
    Citations,
    Doi,
    Pmcid,
    Pmid,
    Record,
    ShortText,
    Slug,
    Text,
    Url,
    Year,
)
from app.models.presentation import Presentation
from app.models.regulatory import RegulatoryRecord, Safety, Usage
from app.models.vocabulary import (
    CODE_PATTERNS,
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

FINDING_MAX_LENGTH = 300
# Labels and regulators' records say more per document (boxed warning, contraindications, pregnancy…).
FINDINGS_PER_CITATION = 3
FINDINGS_PER_LABEL = 6

FindingText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=FINDING_MAX_LENGTH)]


class Finding(Record):
    """A short verbatim excerpt of what the source says, and where in it (`abstract`, `label §5.1`…)."""

    text: FindingText
    where: ShortText


class CitationRecord(Record):
    """One numbered literature citation. Every bibliographic field was seen on `source_url` (or one of
    `additional_sources`), or is null. `url` is the publisher's or regulator's page we link readers to;
    `source_url` is provenance only and is never served as a link."""

    number: CitationNumber
    authors: list[ShortText] | None
    authors_complete: bool | None
    title: Text
    journal: Text | None
    journal_abbrev: Text | None = None
    year: Year | None
    volume: ShortText | None
    issue: ShortText | None
    pages: ShortText | None
    doi: Doi | None
    pmid: Pmid | None
    pmcid: Pmcid | None
    publication_type: PublicationType
    publication_detail: Text | None = None
    publisher: ShortText | None = None
    organism: Organism | None
    retracted: bool = False
    url: CanonicalUrl | None = None
    source_url: Url
    additional_sources: list[Url] = Field(default_factory=list)
    findings: Annotated[list[Finding], Field(min_length=1, max_length=FINDINGS_PER_LABEL)]
    notes: Text | None = None


class ImmuneInvolvement(Record):
    level: ImmuneClass = Field(alias="class")
    text: Text


class ReversibilityNote(Record):
    level: Reversibility = Field(alias="class")
    text: Text


# Every condition page has these sections (in any order; extra sections are welcome).
REQUIRED_SECTIONS = ("overview", "symptoms", "causes", "diagnosis", "treatment", "outlook", "when-to-see-a-doctor")


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
    presentation: Presentation
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
    regulatory: list[RegulatoryRecord] = Field(default_factory=list)
    uses: Annotated[list[InterventionUse], Field(min_length=1)]
    safety: Safety | None = None
    usage: Usage | None = None
    mechanisms: list[MechanismLink]
    body: Text
    last_reviewed: dt.date
