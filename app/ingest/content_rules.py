"""The medical content rules: every condition page has the standard sections and a presentation backed by
what the page cites; an `approved` grade rests on a regulator's record; medicines, procedures and devices
carry a cited safety block; every citation carries what the source says, within its allowance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.models.kind import Kind
from app.models.presentation import Facet
from app.models.record import (
    FINDINGS_PER_CITATION,
    FINDINGS_PER_LABEL,
    REQUIRED_SECTIONS,
    CitationRecord,
    ConditionRecord,
    InterventionRecord,
)
from app.models.vocabulary import EvidenceGrade, InterventionKind
from app.text.markers import cited_numbers

if TYPE_CHECKING:
    from app.ingest.crosscheck import CrossCheck, Located


def check_condition_page(check: CrossCheck, owner: Located[ConditionRecord]) -> None:
    cond = owner.record
    present = {s.id for s in cond.sections}
    for section_id in REQUIRED_SECTIONS:
        if section_id not in present:
            message = f"missing required section '{section_id}' (every condition has: {', '.join(REQUIRED_SECTIONS)})"
            check.problems.append(owner.report(("sections",), message))
    cited_in_sections = {n for s in cond.sections for n in cited_numbers(s.body)}
    for facet in Facet:
        values = cond.presentation.facet(facet)
        rest = ("presentation", facet.value, "citations")
        check.citations_exist(owner, rest, values.citations)
        for j, number in enumerate(values.citations):
            if number not in cited_in_sections:
                message = f"citation {number} backs this facet but no section of the page cites it"
                check.problems.append(owner.report((*rest, j), message))


def check_intervention_content(check: CrossCheck, owner: Located[InterventionRecord]) -> None:
    item = owner.record
    for i, record in enumerate(item.regulatory):
        check.citations_exist(owner, ("regulatory", i, "citations"), record.citations)
        for j, slug in enumerate(record.conditions):
            if slug not in check.known[Kind.condition]:
                check.problems.append(owner.report(("regulatory", i, "conditions", j), f"unknown condition '{slug}'"))
    for i, use in enumerate(item.uses):
        if use.grade != EvidenceGrade.approved:
            continue
        if not any(r.status.authorises and use.condition in r.conditions for r in item.regulatory):
            message = (
                f"grade approved needs a regulatory record (status approved, cleared or otc) "
                f"whose conditions include '{use.condition}'"
            )
            check.problems.append(owner.report(("uses", i, "grade"), message))
    safety = item.safety
    if safety is None:
        if item.kind.needs_safety:
            message = f"a {item.kind.value} needs a safety block (common, serious, pregnancy, contraindications…)"
            check.problems.append(owner.report(("kind",), message))
    else:
        if item.kind == InterventionKind.drug:
            if safety.pregnancy is None:
                check.problems.append(owner.report(("safety",), "a drug's safety block needs 'pregnancy'"))
            if safety.common is None and safety.serious is None:
                message = "a drug's safety block needs 'common' or 'serious' side effects"
                check.problems.append(owner.report(("safety",), message))
        for field, text in safety.model_dump(exclude_none=True).items():
            check.text(owner, ("safety", field), text)
    if item.usage is not None:
        for field, text in item.usage.model_dump(exclude_none=True).items():
            check.text(owner, ("usage", field), text)


def check_findings(check: CrossCheck, owner: Located[CitationRecord]) -> None:
    citation = owner.record
    allowed = FINDINGS_PER_LABEL if citation.publication_type.is_regulatory else FINDINGS_PER_CITATION
    if len(citation.findings) > allowed:
        message = (
            f"{len(citation.findings)} findings; at most {allowed} for publication type "
            f"{citation.publication_type.value} (keep the excerpts the sentences citing it rely on)"
        )
        check.problems.append(owner.report(("findings", allowed), message))
