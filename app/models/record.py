"""Record models: the schema of the curated YAML files in data/ (validated, never written to tables directly)."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
PMID_PATTERN = r"^[1-9][0-9]{0,8}$"
PMCID_PATTERN = r"^PMC[0-9]+$"
URL_PATTERN = r"^https?://[^\s]+$"

# Human-readable names for the patterns above, used in validation messages.
PATTERN_NAMES = {
    SLUG_PATTERN: "a slug: lowercase letters and digits separated by single hyphens",
    DOI_PATTERN: "a DOI such as 10.1371/journal.pbio.1002002",
    PMID_PATTERN: "a PubMed id: digits only, as a quoted string",
    PMCID_PATTERN: "a PMC id such as PMC4275176",
    URL_PATTERN: "an http(s) URL",
}

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Doi = Annotated[str, StringConstraints(pattern=DOI_PATTERN)]
Pmid = Annotated[str, StringConstraints(pattern=PMID_PATTERN)]
Pmcid = Annotated[str, StringConstraints(pattern=PMCID_PATTERN)]
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN)]
CitationNumber = Annotated[int, Field(ge=1, le=1_000_000)]
Citations = Annotated[list[CitationNumber], Field(min_length=1)]


class Organism(StrEnum):
    """Where the evidence comes from."""

    human = "human"
    mouse = "mouse"
    both = "both"
    not_applicable = "n.a."


class PublicationType(StrEnum):
    review = "review"
    systematic_review = "systematic-review"
    meta_analysis = "meta-analysis"
    original_research = "original-research"
    randomized_controlled_trial = "randomized-controlled-trial"
    perspective = "perspective"
    guideline = "guideline"
    case_series = "case-series"
    letter = "letter"
    regulatory_notice = "regulatory-notice"


class Category(StrEnum):
    scarring = "scarring"
    non_scarring = "non-scarring"


class ImmuneClass(StrEnum):
    autoimmune = "autoimmune"
    immune_mediated = "immune-mediated"
    immune_contributing = "immune-contributing"
    secondary = "secondary"
    minimal = "minimal"


class Reversibility(StrEnum):
    reversible = "reversible"
    usually_reversible = "usually-reversible"
    variable = "variable"
    irreversible = "irreversible"


class HairCycleEffect(StrEnum):
    promotes_anagen = "promotes-anagen"
    maintains_telogen_quiescence = "maintains-telogen-quiescence"
    induces_catagen = "induces-catagen"
    regulates_cycling = "regulates-cycling"
    drives_inflammation = "drives-inflammation"
    destroys_stem_cells = "destroys-stem-cells"


class CellType(StrEnum):
    """Controlled vocabulary of cell types; values are URL-safe, labels are for display."""

    macrophage = "macrophage"
    trem2_macrophage = "trem2-macrophage"
    t_cell = "t-cell"
    cytotoxic_t_cell = "cytotoxic-t-cell"
    hair_follicle_stem_cell = "hair-follicle-stem-cell"
    dermal_papilla_cell = "dermal-papilla-cell"
    hair_matrix_cell = "hair-matrix-cell"


CELL_TYPE_LABELS = {
    CellType.macrophage: "macrophage",
    CellType.trem2_macrophage: "TREM2+ macrophage",
    CellType.t_cell: "T cell",
    CellType.cytotoxic_t_cell: "cytotoxic T cell",
    CellType.hair_follicle_stem_cell: "hair follicle stem cell",
    CellType.dermal_papilla_cell: "dermal papilla cell",
    CellType.hair_matrix_cell: "hair matrix cell",
}


class CodeSystem(StrEnum):
    icd10cm = "ICD10CM"
    icd11 = "ICD11"
    mesh = "MESH"
    mondo = "MONDO"
    orphanet = "ORPHA"


CODE_PATTERNS = {
    CodeSystem.icd10cm: r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$",
    CodeSystem.icd11: r"^[0-9A-Z]{4}(?:\.[0-9A-Z]{1,3})?$",
    CodeSystem.mesh: r"^[CD][0-9]{6,9}$",
    CodeSystem.mondo: r"^[0-9]{7}$",
    CodeSystem.orphanet: r"^[0-9]{1,7}$",
}


class CodeMatch(StrEnum):
    """How a code relates to the condition: the same concept, a wider one, or a part of it."""

    exact = "exact"
    broader = "broader"
    narrower = "narrower"


class EvidenceGrade(StrEnum):
    """How sure we are that an intervention helps a condition (documented in the README)."""

    approved = "approved"
    supported_by_rcts = "supported-by-rcts"
    limited = "limited"
    investigational = "investigational"
    no_evidence = "no-evidence"
    discredited = "discredited"


class EvidenceRole(StrEnum):
    supports = "supports"
    contradicts = "contradicts"
    context = "context"
    retracted_source = "retracted-source"


class InterventionKind(StrEnum):
    drug = "drug"
    procedure = "procedure"
    cell_based = "cell-based"
    supplement = "supplement"
    device = "device"
    behavioural = "behavioural"


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
