"""Checks across validated records: unique numbers, slugs, names and aliases; links to citations,
mechanisms, conditions and parents that exist, without cycles; a citation marker on every sentence and
every citation cited; retracted papers cited only as such."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from app.ingest.content_rules import check_condition_page, check_findings, check_intervention_content
from app.ingest.problem import PathKey, Problem, dotted
from app.ingest.yaml_source import Document
from app.models.kind import Kind
from app.models.record import CitationRecord, ConditionRecord, InterventionRecord, MechanismRecord
from app.models.vocabulary import EvidenceGrade, EvidenceRole
from app.text.fold import fold
from app.text.markers import RETRACTION_WORDS, cited_sentences, find_markers, uncited_sentences

R = TypeVar("R", bound=BaseModel)


@dataclass
class Located(Generic[R]):
    """A valid record with the document and path it came from, for pointing at it later."""

    record: R
    doc: Document
    path: PathKey

    def report(self, rest: PathKey, message: str, *, offset: int | None = None) -> Problem:
        """A problem at `rest` inside this record (at character `offset` of a text when given)."""
        path = (*self.path, *rest)
        where = self.doc.locate(path) if offset is None else self.doc.locate_in_text(path, offset)
        return Problem(self.doc.file, where, f"{dotted(path)}: {message}")


def _first_seen(
    items: Iterable[tuple[Any, Located[Any], PathKey]],
    what: str,
    problems: list[Problem],
    skip: Callable[[PathKey, PathKey], bool] = lambda _a, _b: False,
) -> None:
    """Report every (value, where) whose value was already claimed earlier, unless `skip(first, again)`."""
    owners: dict[Any, tuple[Located[Any], PathKey]] = {}
    for value, owner, rest in items:
        if value not in owners:
            owners[value] = (owner, rest)
            continue
        first, first_rest = owners[value]
        if not skip((*first.path, *first_rest), (*owner.path, *rest)):
            line = first.doc.locate((*first.path, *first_rest)).line
            problems.append(owner.report(rest, f"{what} {value!r} is already used at {first.doc.file}:{line}"))


class CrossCheck:
    """Runs every check once all files parsed; `known` holds the ids each file claims, valid or not."""

    def __init__(
        self,
        citations: list[Located[CitationRecord]],
        conditions: list[Located[ConditionRecord]],
        mechanisms: list[Located[MechanismRecord]],
        interventions: list[Located[InterventionRecord]],
        known: dict[Kind, set[Any]],
    ) -> None:
        self.citations = citations
        self.conditions = conditions
        self.mechanisms = mechanisms
        self.interventions = interventions
        self.retracted = {c.record.number for c in citations if c.record.retracted}
        self.problems: list[Problem] = []
        self.known = known
        self.cited: set[int] = set()

    def run(self) -> list[Problem]:
        _first_seen(((c.record.number, c, ("number",)) for c in self.citations), "citation number", self.problems)
        _first_seen(((c.record.slug, c, ("slug",)) for c in self.conditions), "condition slug", self.problems)
        _first_seen(((m.record.slug, m, ("slug",)) for m in self.mechanisms), "mechanism slug", self.problems)
        self._aliases()
        self._conditions()
        self._interventions()
        for condition in self.conditions:
            check_condition_page(self, condition)
        for intervention in self.interventions:
            check_intervention_content(self, intervention)
        for citation in self.citations:
            check_findings(self, citation)
        for mechanism in self.mechanisms:
            self.text(mechanism, ("summary",), mechanism.record.summary)
            self.text(mechanism, ("body",), mechanism.record.body)
        for citation in self.citations:
            if citation.record.number not in self.cited:
                message = f"citation {citation.record.number} is cited by no page"
                self.problems.append(citation.report(("number",), message))
        return self.problems

    def _aliases(self) -> None:
        names: list[tuple[str, Located[Any], PathKey]] = []
        entities: list[Located[ConditionRecord] | Located[MechanismRecord] | Located[InterventionRecord]] = [
            *self.conditions,
            *self.mechanisms,
            *self.interventions,
        ]
        for entity in entities:
            record = entity.record
            names.append((fold(record.slug), entity, ("slug",)))
            if fold(record.name) != fold(record.slug):
                names.append((fold(record.name), entity, ("name",)))
            names.extend((fold(a), entity, ("aliases", i)) for i, a in enumerate(record.aliases))
        # Two slugs of the same kind colliding are already reported as a duplicate slug.
        _first_seen(names, "name or alias", self.problems, skip=lambda a, b: a[0] == b[0] and a[-1] == b[-1] == "slug")

    def text(self, owner: Located[Any], rest: PathKey, text: str) -> None:
        for marker in find_markers(text):
            self.cited.update(marker.numbers)
            for number in marker.numbers:
                if number not in self.known[Kind.citation]:
                    self.problems.append(
                        owner.report(rest, f"marker [{number}] points at no citation", offset=marker.offset)
                    )
        for sentence in uncited_sentences(text):
            message = f"sentence has no citation marker: {sentence.text[:60]!r}"
            self.problems.append(owner.report(rest, message, offset=sentence.offset))
        for sentence in cited_sentences(text):
            for number in sentence.numbers & self.retracted:
                if not RETRACTION_WORDS.search(sentence.text):
                    message = (
                        f"retracted citation {number} cited as support "
                        "(a sentence citing it must be about the retraction)"
                    )
                    self.problems.append(owner.report(rest, message, offset=sentence.offset))

    def citations_exist(
        self, owner: Located[Any], rest: PathKey, numbers: list[int], *, retracted_ok: bool = False
    ) -> None:
        for j, number in enumerate(numbers):
            self.cited.add(number)
            if number not in self.known[Kind.citation]:
                self.problems.append(owner.report((*rest, j), f"citation {number} does not exist"))
            elif number in self.retracted and not retracted_ok:
                message = f"retracted citation {number} cited as support (use role: retracted-source)"
                self.problems.append(owner.report((*rest, j), message))

    def _conditions(self) -> None:
        parents = {c.record.slug: c.record.parent for c in self.conditions}
        for owner in self.conditions:
            cond = owner.record
            self.text(owner, ("summary",), cond.summary)
            self.text(owner, ("immune_involvement", "text"), cond.immune_involvement.text)
            self.text(owner, ("reversibility", "text"), cond.reversibility.text)
            for i, section in enumerate(cond.sections):
                self.text(owner, ("sections", i, "body"), section.body)
            sections = ((s.id, owner, ("sections", i, "id")) for i, s in enumerate(cond.sections))
            _first_seen(sections, "section id", self.problems)
            links = ((m.slug, owner, ("mechanisms", i, "slug")) for i, m in enumerate(cond.mechanisms))
            _first_seen(links, "mechanism", self.problems)
            for i, link in enumerate(cond.mechanisms):
                if link.slug not in self.known[Kind.mechanism]:
                    self.problems.append(owner.report(("mechanisms", i, "slug"), f"unknown mechanism '{link.slug}'"))
                self.citations_exist(owner, ("mechanisms", i, "citations"), link.citations)
            if cond.parent is not None:
                if cond.parent not in self.known[Kind.condition]:
                    self.problems.append(owner.report(("parent",), f"unknown condition '{cond.parent}'"))
                elif _in_cycle(cond.slug, parents):
                    self.problems.append(
                        owner.report(("parent",), f"parent chain of '{cond.slug}' loops back to itself")
                    )

    def _interventions(self) -> None:
        for owner in self.interventions:
            item = owner.record
            self.text(owner, ("summary",), item.summary)
            self.text(owner, ("body",), item.body)
            uses = ((u.condition, owner, ("uses", i, "condition")) for i, u in enumerate(item.uses))
            _first_seen(uses, "condition", self.problems)
            for i, use in enumerate(item.uses):
                if use.condition not in self.known[Kind.condition]:
                    self.problems.append(owner.report(("uses", i, "condition"), f"unknown condition '{use.condition}'"))
                self.text(owner, ("uses", i, "summary"), use.summary)
                grounds = [e for e in use.evidence if e.role != EvidenceRole.retracted_source]
                if use.grade != EvidenceGrade.no_evidence and not grounds:
                    message = f"grade {use.grade.value} needs evidence that is not a retracted source"
                    self.problems.append(owner.report(("uses", i, "evidence"), message))
                for k, evidence in enumerate(use.evidence):
                    retracted_ok = evidence.role == EvidenceRole.retracted_source
                    self.citations_exist(
                        owner, ("uses", i, "evidence", k, "citations"), evidence.citations, retracted_ok=retracted_ok
                    )
                    if retracted_ok and not set(evidence.citations) <= self.retracted:
                        message = "role retracted-source lists a citation that is not marked retracted"
                        self.problems.append(owner.report(("uses", i, "evidence", k, "role"), message))
            for i, link in enumerate(item.mechanisms):
                if link.slug not in self.known[Kind.mechanism]:
                    self.problems.append(owner.report(("mechanisms", i, "slug"), f"unknown mechanism '{link.slug}'"))
                self.citations_exist(owner, ("mechanisms", i, "citations"), link.citations)


def _in_cycle(start: str, parents: dict[str, str | None]) -> bool:
    seen = {start}
    current = parents.get(start)
    while current is not None:
        if current in seen:
            return current == start
        seen.add(current)
        current = parents.get(current)
    return False
