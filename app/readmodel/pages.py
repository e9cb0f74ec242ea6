"""Builds the public summary and page models of one data version from its records and relations."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.models.condition import (
    ApprovalOut,
    CodeOut,
    ConditionPage,
    ConditionSummary,
    FacetOut,
    ImmuneInvolvementOut,
    InterventionInCondition,
    MechanismInCondition,
    PresentationOut,
    ReversibilityOut,
    SectionOut,
)
from app.models.intervention import (
    EvidenceOut,
    InterventionPage,
    InterventionSummary,
    RegulatoryOut,
    SafetyOut,
    UsageOut,
    UseOut,
)
from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase, NamedRecord
from app.models.mechanism import (
    CellTypeOut,
    ConditionInMechanism,
    InterventionOnMechanism,
    MechanismPage,
    MechanismSummary,
)
from app.models.presentation import Facet
from app.models.record import ConditionRecord, InterventionRecord, MechanismRecord
from app.models.reference import CitationPage, CitedBy, Reference, ReferenceList
from app.models.regulatory import RegulatoryRecord
from app.models.response import CitedText, Link
from app.models.vocabulary import CELL_TYPE_LABELS, EvidenceRole
from app.readmodel.bibliography import format_reference, links
from app.readmodel.relations import Relations
from app.readmodel.rendering import render_markdown
from app.readmodel.urls import url_for
from app.text.markers import cited_numbers, strip_markers


def _cited(text: str) -> dict[str, Any]:
    return {"text": strip_markers(text), "citations": cited_numbers(text)}


def _cited_text(text: str | None) -> CitedText | None:
    return None if text is None else CitedText(**_cited(text))


def _approvals(item: InterventionRecord, condition: str) -> list[ApprovalOut]:
    return [
        ApprovalOut(agency=r.agency, status=r.status, year=r.year, population=r.population)
        for r in item.regulatory
        if condition in r.conditions
    ]


def approved_by(item: InterventionRecord) -> list[str]:
    """Agencies that authorised it for some indication, each once, in curated order."""
    return list(dict.fromkeys(r.agency.value for r in item.regulatory if r.status.authorises))


class Pages:
    def __init__(self, kb: KnowledgeBase, relations: Relations) -> None:
        self.kb = kb
        self.relations = relations
        # Formatting a reference runs a CSL processor (slow) and a reference appears on many pages and in
        # lists: each is built once, when first needed.
        self._references: dict[int, Reference] = {}

    def page(self, kind: Kind, key: str) -> BaseModel:
        """The full page of an entity that exists."""
        match kind:
            case Kind.condition:
                return self.condition_page(self.kb.conditions[key])
            case Kind.mechanism:
                return self.mechanism_page(self.kb.mechanisms[key])
            case Kind.intervention:
                return self.intervention_page(self.kb.interventions[key])
            case Kind.citation:
                return self.citation_page(int(key))

    def name_of(self, kind: Kind, slug: str) -> str:
        return self.kb.named(kind)[slug].name

    def link(self, kind: Kind, slug: str) -> Link:
        return Link(slug=slug, name=self.name_of(kind, slug), url=url_for(kind, slug))

    def reference(self, number: int) -> Reference:
        ref = self._references.get(number)
        if ref is None:
            citation = self.kb.citations[number]
            ref = Reference(
                **citation.model_dump(exclude={"additional_sources", "notes", "source_url", "url", "findings"}),
                formatted=format_reference(citation),
                findings=[{"text": f.text, "where": f.where} for f in citation.findings],
                url=url_for(Kind.citation, number),
                updated=self.relations.updated.get((Kind.citation, str(number))),
                **links(citation),
            )
            self._references[number] = ref
        return ref

    def references(self, kind: Kind, slug: str) -> list[Reference]:
        return [self.reference(n) for n in self.relations.citations_of(kind, slug)]

    def bibliography(self, kind: Kind, slug: str) -> ReferenceList:
        items = self.references(kind, slug)
        return ReferenceList(items=items, total=len(items))

    # -- summaries -----------------------------------------------------------------------------------

    def _summary(self, kind: Kind, record: NamedRecord) -> dict[str, Any]:
        """What every named entity's summary says (each kind adds its own fields)."""
        return {
            "slug": record.slug,
            "name": record.name,
            "aliases": list(record.aliases),
            "summary": strip_markers(record.summary),
            "url": url_for(kind, record.slug),
            "updated": self.relations.updated.get((kind, record.slug)),
            "last_reviewed": record.last_reviewed,
        }

    def condition_summary(self, cond: ConditionRecord) -> ConditionSummary:
        return ConditionSummary(**self._summary(Kind.condition, cond), category=cond.category)

    def mechanism_summary(self, mech: MechanismRecord) -> MechanismSummary:
        return MechanismSummary(
            **self._summary(Kind.mechanism, mech),
            hair_cycle_effects=list(mech.hair_cycle_effects),
            cell_types=[CellTypeOut(id=c, label=CELL_TYPE_LABELS[c]) for c in mech.cell_types],
            evidence_organism=mech.evidence_organism,
        )

    def intervention_summary(self, item: InterventionRecord) -> InterventionSummary:
        return InterventionSummary(
            **self._summary(Kind.intervention, item), kind=item.kind, approved_by=approved_by(item)
        )

    def regulatory(self, record: RegulatoryRecord) -> RegulatoryOut:
        return RegulatoryOut(
            agency=record.agency,
            agency_name=record.agency.label,
            status=record.status,
            indication=record.indication,
            conditions=[self.link(Kind.condition, slug) for slug in record.conditions],
            population=record.population,
            year=record.year,
            products=list(record.products),
            citations=list(record.citations),
        )

    # -- pages ---------------------------------------------------------------------------------------

    def condition_page(self, cond: ConditionRecord) -> ConditionPage:
        return ConditionPage(
            **self.condition_summary(cond).model_dump(),
            summary_citations=cited_numbers(cond.summary),
            immune_involvement=ImmuneInvolvementOut(
                level=cond.immune_involvement.level, **_cited(cond.immune_involvement.text)
            ),
            reversibility=ReversibilityOut(level=cond.reversibility.level, **_cited(cond.reversibility.text)),
            presentation=PresentationOut(
                **{
                    facet.value: FacetOut(
                        values=cond.presentation.values(facet),
                        citations=list(cond.presentation.facet(facet).citations),
                    )
                    for facet in Facet
                }
            ),
            sections=[
                SectionOut(
                    id=s.id,
                    title=s.title,
                    body_markdown=s.body,
                    body_html=render_markdown(s.body),
                    citations=cited_numbers(s.body),
                )
                for s in cond.sections
            ],
            mechanisms=[
                MechanismInCondition(
                    **self.link(Kind.mechanism, m.slug).model_dump(), role=m.role, citations=list(m.citations)
                )
                for m in cond.mechanisms
            ],
            interventions=[
                InterventionInCondition(
                    **self.link(Kind.intervention, item.slug).model_dump(),
                    kind=item.kind,
                    grade=use.grade,
                    summary=strip_markers(use.summary),
                    citations=cited_numbers(use.summary),
                    regulatory=_approvals(item, cond.slug),
                    serious_warnings=_cited_text(item.safety.serious if item.safety else None),
                )
                for item, use in self.relations.uses_for[cond.slug]
            ],
            codes=[
                CodeOut(system=c.system, code=c.code, curie=c.curie, title=c.title, match=c.match, note=c.note)
                for c in cond.codes
            ],
            codes_note=cond.codes_note,
            parent=self.link(Kind.condition, cond.parent) if cond.parent else None,
            children=[self.link(Kind.condition, child) for child in self.relations.children[cond.slug]],
            references=self.references(Kind.condition, cond.slug),
        )

    def mechanism_page(self, mech: MechanismRecord) -> MechanismPage:
        return MechanismPage(
            **self.mechanism_summary(mech).model_dump(),
            summary_citations=cited_numbers(mech.summary),
            molecules=list(mech.molecules),
            body_markdown=mech.body,
            body_html=render_markdown(mech.body),
            conditions=[
                ConditionInMechanism(
                    **self.link(Kind.condition, cond.slug).model_dump(),
                    role=cond.mechanisms[i].role,
                    citations=list(cond.mechanisms[i].citations),
                )
                for cond, i in self.relations.involved_in[mech.slug]
            ],
            interventions=[
                InterventionOnMechanism(
                    **self.link(Kind.intervention, item.slug).model_dump(),
                    role=item.mechanisms[i].role,
                    citations=list(item.mechanisms[i].citations),
                )
                for item, i in self.relations.acting_on[mech.slug]
            ],
            references=self.references(Kind.mechanism, mech.slug),
        )

    def intervention_page(self, item: InterventionRecord) -> InterventionPage:
        return InterventionPage(
            **self.intervention_summary(item).model_dump(),
            summary_citations=cited_numbers(item.summary),
            regulatory=[self.regulatory(r) for r in item.regulatory],
            safety=None
            if item.safety is None
            else SafetyOut(**{k: _cited_text(v) for k, v in item.safety.model_dump().items()}),
            usage=None
            if item.usage is None
            else UsageOut(**{k: _cited_text(v) for k, v in item.usage.model_dump().items()}),
            uses=[
                UseOut(
                    condition=self.link(Kind.condition, use.condition),
                    grade=use.grade,
                    summary=strip_markers(use.summary),
                    citations=cited_numbers(use.summary),
                    regulatory=[self.regulatory(r) for r in item.regulatory if use.condition in r.conditions],
                    evidence=[
                        EvidenceOut(
                            role=e.role,
                            finding=e.finding,
                            citations=list(e.citations),
                            retracted=e.role == EvidenceRole.retracted_source,
                        )
                        for e in use.evidence
                    ],
                )
                for use in item.uses
            ],
            mechanisms=[
                MechanismInCondition(
                    **self.link(Kind.mechanism, m.slug).model_dump(), role=m.role, citations=list(m.citations)
                )
                for m in item.mechanisms
            ],
            body_markdown=item.body,
            body_html=render_markdown(item.body),
            references=self.references(Kind.intervention, item.slug),
        )

    def citation_page(self, number: int) -> CitationPage:
        cited_by = [
            CitedBy(type=kind, slug=slug, name=self.name_of(kind, slug), url=url_for(kind, slug))
            for kind, slug in self.relations.cited_by[number]
        ]
        return CitationPage(**self.reference(number).model_dump(), cited_by=cited_by)
