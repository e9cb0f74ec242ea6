"""Builds the public page models from the knowledge base, with the reverse relations pages need."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from app.models.condition import (
    CodeOut,
    ConditionPage,
    ConditionSummary,
    ImmuneInvolvementOut,
    InterventionInCondition,
    MechanismInCondition,
    ReversibilityOut,
    SectionOut,
)
from app.models.intervention import EvidenceOut, InterventionPage, InterventionSummary, UseOut
from app.models.knowledge import KnowledgeBase
from app.models.mechanism import (
    CellTypeOut,
    ConditionInMechanism,
    InterventionOnMechanism,
    MechanismPage,
    MechanismSummary,
)
from app.models.record import ConditionRecord, InterventionRecord, InterventionUse, MechanismRecord
from app.models.reference import CitationPage, CitedBy, Reference
from app.models.response import Link
from app.models.vocabulary import CELL_TYPE_LABELS, EvidenceRole
from app.readmodel.bibliography import format_reference, links
from app.readmodel.rendering import render_markdown
from app.text.fold import fold
from app.text.markers import cited_numbers, strip_markers

KINDS = ("condition", "mechanism", "intervention")


def url_for(kind: str, key: str | int) -> str:
    return f"/v1/{kind}s/{key}"


def _cited(text: str) -> dict[str, Any]:
    return {"text": strip_markers(text), "citations": cited_numbers(text)}


def _merge(*groups: list[int]) -> list[int]:
    """Numbers in order of first appearance across groups."""
    return list(dict.fromkeys(n for group in groups for n in group))


def code_key(curie: str) -> str:
    """`icd10cm:l65.0` and `ICD10CM:L65.0` are the same code."""
    return curie.strip().upper()


class Pages:
    """Reverse relations (children, who cites what, who uses what) and the page models built from them."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.aliases: dict[tuple[str, str], str] = {}
        for kind, records in self._records():
            for record in records:
                for name in (record.slug, record.name, *record.aliases):
                    self.aliases[(kind, fold(name))] = record.slug
        self.children: dict[str, list[str]] = defaultdict(list)
        self.involved_in: dict[str, list[tuple[ConditionRecord, int]]] = defaultdict(list)
        self.codes: dict[str, list[str]] = defaultdict(list)
        for cond in kb.conditions.values():
            if cond.parent is not None:
                self.children[cond.parent].append(cond.slug)
            for i, link in enumerate(cond.mechanisms):
                self.involved_in[link.slug].append((cond, i))
            for code in cond.codes:
                self.codes[code_key(code.curie)].append(cond.slug)
        self.uses_for: dict[str, list[tuple[InterventionRecord, InterventionUse]]] = defaultdict(list)
        self.acting_on: dict[str, list[tuple[InterventionRecord, int]]] = defaultdict(list)
        for item in kb.interventions.values():
            for use in item.uses:
                self.uses_for[use.condition].append((item, use))
            for i, link in enumerate(item.mechanisms):
                self.acting_on[link.slug].append((item, i))
        self.cited_by: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for kind, records in self._records():
            for record in records:
                for number in self.citations_of(kind, record.slug):
                    self.cited_by[number].append((kind, record.slug))
        self._references: dict[int, Reference] = {}

    def _records(self) -> list[tuple[str, list[Any]]]:
        kb = self.kb
        return [
            ("condition", list(kb.conditions.values())),
            ("mechanism", list(kb.mechanisms.values())),
            ("intervention", list(kb.interventions.values())),
        ]

    def resolve(self, kind: str, name: str) -> str | None:
        """Canonical slug for a slug, name or alias in any case and dash style."""
        return self.aliases.get((kind, fold(name)))

    def name_of(self, kind: str, slug: str) -> str:
        records: dict[str, Any] = getattr(self.kb, f"{kind}s")
        return str(records[slug].name)

    def link(self, kind: str, slug: str) -> Link:
        return Link(slug=slug, name=self.name_of(kind, slug), url=url_for(kind, slug))

    # -- which citations a page cites, in order of first appearance ---------------------------------

    def citations_of(self, kind: str, slug: str) -> list[int]:
        if kind == "condition":
            cond = self.kb.conditions[slug]
            texts = [
                cond.summary,
                cond.immune_involvement.text,
                cond.reversibility.text,
                *(s.body for s in cond.sections),
            ]
            return _merge(
                cited_numbers("\n".join(texts)),
                *(m.citations for m in cond.mechanisms),
                *(cited_numbers(use.summary) for _, use in self.uses_for[slug]),
            )
        if kind == "mechanism":
            mech = self.kb.mechanisms[slug]
            return cited_numbers(f"{mech.summary}\n{mech.body}")
        item = self.kb.interventions[slug]
        return _merge(
            cited_numbers(item.summary),
            *(cited_numbers(use.summary) for use in item.uses),
            *(e.citations for use in item.uses for e in use.evidence),
            *(m.citations for m in item.mechanisms),
            cited_numbers(item.body),
        )

    def reference(self, number: int) -> Reference:
        ref = self._references.get(number)
        if ref is None:
            citation = self.kb.citations[number]
            ref = Reference(
                **citation.model_dump(exclude={"additional_sources", "notes"}),
                formatted=format_reference(citation),
                url=url_for("citation", number),
                updated=self.kb.updated.get(("citation", str(number))),
                **links(citation),
            )
            self._references[number] = ref
        return ref

    def references(self, kind: str, slug: str) -> list[Reference]:
        return [self.reference(n) for n in self.citations_of(kind, slug)]

    # -- summaries -----------------------------------------------------------------------------------

    def condition_summary(self, cond: ConditionRecord) -> ConditionSummary:
        return ConditionSummary(
            slug=cond.slug,
            name=cond.name,
            aliases=list(cond.aliases),
            category=cond.category,
            summary=strip_markers(cond.summary),
            url=url_for("condition", cond.slug),
            updated=self.kb.updated.get(("condition", cond.slug)),
            last_reviewed=cond.last_reviewed,
        )

    def mechanism_summary(self, mech: MechanismRecord) -> MechanismSummary:
        return MechanismSummary(
            slug=mech.slug,
            name=mech.name,
            aliases=list(mech.aliases),
            summary=strip_markers(mech.summary),
            hair_cycle_effects=list(mech.hair_cycle_effects),
            cell_types=[CellTypeOut(id=c, label=CELL_TYPE_LABELS[c]) for c in mech.cell_types],
            evidence_organism=mech.evidence_organism,
            url=url_for("mechanism", mech.slug),
            updated=self.kb.updated.get(("mechanism", mech.slug)),
            last_reviewed=mech.last_reviewed,
        )

    def intervention_summary(self, item: InterventionRecord) -> InterventionSummary:
        return InterventionSummary(
            slug=item.slug,
            name=item.name,
            aliases=list(item.aliases),
            kind=item.kind,
            summary=strip_markers(item.summary),
            url=url_for("intervention", item.slug),
            updated=self.kb.updated.get(("intervention", item.slug)),
            last_reviewed=item.last_reviewed,
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
                    **self.link("mechanism", m.slug).model_dump(), role=m.role, citations=list(m.citations)
                )
                for m in cond.mechanisms
            ],
            interventions=[
                InterventionInCondition(
                    **self.link("intervention", item.slug).model_dump(),
                    kind=item.kind,
                    grade=use.grade,
                    summary=strip_markers(use.summary),
                    citations=cited_numbers(use.summary),
                )
                for item, use in self.uses_for[cond.slug]
            ],
            codes=[
                CodeOut(system=c.system, code=c.code, curie=c.curie, title=c.title, match=c.match, note=c.note)
                for c in cond.codes
            ],
            codes_note=cond.codes_note,
            parent=self.link("condition", cond.parent) if cond.parent else None,
            children=[self.link("condition", child) for child in self.children[cond.slug]],
            references=self.references("condition", cond.slug),
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
                    **self.link("condition", cond.slug).model_dump(),
                    role=cond.mechanisms[i].role,
                    citations=list(cond.mechanisms[i].citations),
                )
                for cond, i in self.involved_in[mech.slug]
            ],
            interventions=[
                InterventionOnMechanism(
                    **self.link("intervention", item.slug).model_dump(),
                    role=item.mechanisms[i].role,
                    citations=list(item.mechanisms[i].citations),
                )
                for item, i in self.acting_on[mech.slug]
            ],
            references=self.references("mechanism", mech.slug),
        )

    def intervention_page(self, item: InterventionRecord) -> InterventionPage:
        return InterventionPage(
            **self.intervention_summary(item).model_dump(),
            summary_citations=cited_numbers(item.summary),
            uses=[
                UseOut(
                    condition=self.link("condition", use.condition),
                    grade=use.grade,
                    summary=strip_markers(use.summary),
                    citations=cited_numbers(use.summary),
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
                    **self.link("mechanism", m.slug).model_dump(), role=m.role, citations=list(m.citations)
                )
                for m in item.mechanisms
            ],
            body_markdown=item.body,
            body_html=render_markdown(item.body),
            references=self.references("intervention", item.slug),
        )

    def citation_page(self, number: int) -> CitationPage:
        cited_by = [
            CitedBy(type=kind, slug=slug, name=self.name_of(kind, slug), url=url_for(kind, slug))
            for kind, slug in self.cited_by[number]
        ]
        return CitationPage(**self.reference(number).model_dump(), cited_by=cited_by)
