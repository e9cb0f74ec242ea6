"""Controlled vocabularies of the curated data: identifier patterns and the enumerations records and filters use."""

from __future__ import annotations

from enum import StrEnum

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
    label = "label"
    patient_information = "patient-information"

    @property
    def is_article(self) -> bool:
        """Published in a journal (the others are labels, regulators' records and patient leaflets)."""
        return not self.is_regulatory and self is not PublicationType.patient_information

    @property
    def is_regulatory(self) -> bool:
        """A regulator's label or record (which may carry more findings than an article)."""
        return self in (PublicationType.label, PublicationType.regulatory_notice)


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
    shortens_anagen = "shortens-anagen"
    miniaturises_follicle = "miniaturises-follicle"
    arrests_anagen = "arrests-anagen"
    causes_fibrosis = "causes-fibrosis"
    damages_hair_shaft = "damages-hair-shaft"
    mechanical_damage = "mechanical-damage"


class CellType(StrEnum):
    """Controlled vocabulary of cell types; values are URL-safe, labels are for display."""

    macrophage = "macrophage"
    trem2_macrophage = "trem2-macrophage"
    t_cell = "t-cell"
    cytotoxic_t_cell = "cytotoxic-t-cell"
    hair_follicle_stem_cell = "hair-follicle-stem-cell"
    dermal_papilla_cell = "dermal-papilla-cell"
    hair_matrix_cell = "hair-matrix-cell"
    keratinocyte = "keratinocyte"
    fibroblast = "fibroblast"
    dermatophyte = "dermatophyte"


CELL_TYPE_LABELS = {
    CellType.macrophage: "macrophage",
    CellType.trem2_macrophage: "TREM2+ macrophage",
    CellType.t_cell: "T cell",
    CellType.cytotoxic_t_cell: "cytotoxic T cell",
    CellType.hair_follicle_stem_cell: "hair follicle stem cell",
    CellType.dermal_papilla_cell: "dermal papilla cell",
    CellType.hair_matrix_cell: "hair matrix cell",
    CellType.keratinocyte: "keratinocyte",
    CellType.fibroblast: "fibroblast",
    CellType.dermatophyte: "dermatophyte (fungus)",
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
    """How a code relates to the condition: the same concept, a wider one, a part of it, or an associated
    condition coded on its own (`related`)."""

    exact = "exact"
    broader = "broader"
    narrower = "narrower"
    related = "related"


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
    cosmetic = "cosmetic"
    support = "support"

    @property
    def needs_safety(self) -> bool:
        """Medicines, procedures, devices and cell products must say what can go wrong (from the label)."""
        return self in (
            InterventionKind.drug,
            InterventionKind.procedure,
            InterventionKind.device,
            InterventionKind.cell_based,
        )
