"""The relations pages need that the records only hold one way: aliases, children, who involves, uses, acts
on and cites what, and the citations each page cites in order of first appearance."""

from __future__ import annotations

from collections import defaultdict

from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.models.record import ConditionRecord, InterventionRecord, InterventionUse
from app.text.fold import fold
from app.text.markers import cited_numbers


def code_key(curie: str) -> str:
    """`icd10cm:l65.0` and `ICD10CM:L65.0` are the same code."""
    return curie.strip().upper()


def _merge(*groups: list[int]) -> list[int]:
    """Numbers in order of first appearance across groups."""
    return list(dict.fromkeys(n for group in groups for n in group))


class Relations:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.aliases: dict[tuple[Kind, str], str] = {}
        for kind in Kind.with_names():
            for record in kb.named(kind).values():
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
        self.cited_by: dict[int, list[tuple[Kind, str]]] = defaultdict(list)
        for kind in Kind.with_names():
            for slug in kb.named(kind):
                for number in self.citations_of(kind, slug):
                    self.cited_by[number].append((kind, slug))

    def resolve(self, kind: Kind, name: str) -> str | None:
        """Canonical slug for a slug, name or alias in any case and dash style."""
        return self.aliases.get((kind, fold(name)))

    def citations_of(self, kind: Kind, slug: str) -> list[int]:
        """The citations a page cites, in order of first appearance."""
        match kind:
            case Kind.condition:
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
                    # The page shows each treatment's serious warnings with their citations.
                    *(
                        cited_numbers(item.safety.serious)
                        for item, _ in self.uses_for[slug]
                        if item.safety is not None and item.safety.serious is not None
                    ),
                )
            case Kind.mechanism:
                mech = self.kb.mechanisms[slug]
                return _merge(
                    cited_numbers(f"{mech.summary}\n{mech.body}"),
                    # The page shows the role it plays in each condition and for each intervention, cited.
                    *(cond.mechanisms[i].citations for cond, i in self.involved_in[slug]),
                    *(item.mechanisms[i].citations for item, i in self.acting_on[slug]),
                )
            case Kind.intervention:
                item = self.kb.interventions[slug]
                blocks = [b.model_dump(exclude_none=True) for b in (item.safety, item.usage) if b is not None]
                return _merge(
                    cited_numbers(item.summary),
                    *(r.citations for r in item.regulatory),
                    *(cited_numbers(use.summary) for use in item.uses),
                    *(e.citations for use in item.uses for e in use.evidence),
                    *(cited_numbers(text) for block in blocks for text in block.values()),
                    *(m.citations for m in item.mechanisms),
                    cited_numbers(item.body),
                )
            case Kind.citation:
                return [int(slug)]
