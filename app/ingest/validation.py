"""Validates the data directory: schemas per record, then cross-references; reports every problem at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from app.ingest.yaml_source import Document, PathKey, Position, Problem, dotted, read_document
from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.models.record import CitationRecord, ConditionRecord, InterventionRecord, MechanismRecord
from app.models.vocabulary import PATTERN_NAMES, EvidenceGrade, EvidenceRole
from app.text.fold import fold
from app.text.markers import RETRACTION_WORDS, cited_sentences, find_markers, uncited_sentences

R = TypeVar("R", bound=BaseModel)

# Each kind's record model and the field other records refer to its items by, in data order. A kind's
# file is `{plural}.yaml` with the single key `{plural}`.
SPECS: tuple[tuple[Kind, type[BaseModel], str | None], ...] = (
    (Kind.citation, CitationRecord, "number"),
    (Kind.condition, ConditionRecord, "slug"),
    (Kind.mechanism, MechanismRecord, "slug"),
    (Kind.intervention, InterventionRecord, None),
)
DATA_FILES = tuple(f"{kind.plural}.yaml" for kind, _, _ in SPECS)
ORIGIN = Position(1, 1)


class DataError(Exception):
    """The data directory is invalid; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


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


def _pydantic_problems(doc: Document, base: PathKey, err: ValidationError) -> list[Problem]:
    problems = []
    for item in err.errors(include_url=False):
        path = (*base, *item["loc"])
        where = dotted(path)
        kind = item["type"]
        if kind == "extra_forbidden":
            problems.append(doc.problem(path, f"{where}: unknown key '{item['loc'][-1]}'", key=True))
        elif kind == "missing":
            problems.append(doc.problem(path, f"{where}: required key is missing"))
        elif kind == "string_type" and isinstance(item["input"], int | float):
            problems.append(doc.problem(path, f"{where}: expected text, got the number {item['input']!r}; quote it"))
        elif kind == "string_pattern_mismatch":
            pattern = str((item.get("ctx") or {}).get("pattern", ""))
            expected = PATTERN_NAMES.get(pattern, f"text matching {pattern}")
            problems.append(doc.problem(path, f"{where}: {item['input']!r} is not {expected}"))
        else:
            problems.append(doc.problem(path, f"{where}: {item['msg']}"))
    return problems


def raw_ids(doc: Document | None, key: str, field: str) -> set[Any]:
    """Identifiers claimed by the file's items, valid or not, so that one broken record does not make
    every reference to it an error too."""
    value = doc.value if doc is not None else None
    items = value.get(key) if isinstance(value, dict) else None
    if not isinstance(items, list):
        return set()
    return {item[field] for item in items if isinstance(item, dict) and isinstance(item.get(field), str | int)}


def _records(
    doc: Document, key: str, model: type[R], problems: list[Problem], *, release: bool = False
) -> list[Located[R]]:
    value = doc.value
    if not isinstance(value, dict) or list(value) != [key]:
        found = ", ".join(map(repr, value)) if isinstance(value, dict) else type(value).__name__
        problems.append(doc.problem((), f"the file must be a mapping with the single key '{key}' (found {found})"))
        return []
    items = value[key]
    if not isinstance(items, list):
        problems.append(doc.problem((key,), f"{key}: must be a list"))
        return []
    located = []
    for index, item in enumerate(items):
        try:
            located.append(Located(model.model_validate(item), doc, (key, index)))
        except ValidationError as err:
            problems.extend(_pydantic_problems(doc, (key, index), err))
        if release:
            items[index] = None  # the record holds what we need from here on
    return located


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


class _CrossCheck:
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
        for mechanism in self.mechanisms:
            self._text(mechanism, ("summary",), mechanism.record.summary)
            self._text(mechanism, ("body",), mechanism.record.body)
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

    def _text(self, owner: Located[Any], rest: PathKey, text: str) -> None:
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

    def _citations(self, owner: Located[Any], rest: PathKey, numbers: list[int], *, retracted_ok: bool = False) -> None:
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
            self._text(owner, ("summary",), cond.summary)
            self._text(owner, ("immune_involvement", "text"), cond.immune_involvement.text)
            self._text(owner, ("reversibility", "text"), cond.reversibility.text)
            for i, section in enumerate(cond.sections):
                self._text(owner, ("sections", i, "body"), section.body)
            sections = ((s.id, owner, ("sections", i, "id")) for i, s in enumerate(cond.sections))
            _first_seen(sections, "section id", self.problems)
            links = ((m.slug, owner, ("mechanisms", i, "slug")) for i, m in enumerate(cond.mechanisms))
            _first_seen(links, "mechanism", self.problems)
            for i, link in enumerate(cond.mechanisms):
                if link.slug not in self.known[Kind.mechanism]:
                    self.problems.append(owner.report(("mechanisms", i, "slug"), f"unknown mechanism '{link.slug}'"))
                self._citations(owner, ("mechanisms", i, "citations"), link.citations)
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
            self._text(owner, ("summary",), item.summary)
            self._text(owner, ("body",), item.body)
            uses = ((u.condition, owner, ("uses", i, "condition")) for i, u in enumerate(item.uses))
            _first_seen(uses, "condition", self.problems)
            for i, use in enumerate(item.uses):
                if use.condition not in self.known[Kind.condition]:
                    self.problems.append(owner.report(("uses", i, "condition"), f"unknown condition '{use.condition}'"))
                self._text(owner, ("uses", i, "summary"), use.summary)
                grounds = [e for e in use.evidence if e.role != EvidenceRole.retracted_source]
                if use.grade != EvidenceGrade.no_evidence and not grounds:
                    message = f"grade {use.grade.value} needs evidence that is not a retracted source"
                    self.problems.append(owner.report(("uses", i, "evidence"), message))
                for k, evidence in enumerate(use.evidence):
                    retracted_ok = evidence.role == EvidenceRole.retracted_source
                    self._citations(
                        owner, ("uses", i, "evidence", k, "citations"), evidence.citations, retracted_ok=retracted_ok
                    )
                    if retracted_ok and not set(evidence.citations) <= self.retracted:
                        message = "role retracted-source lists a citation that is not marked retracted"
                        self.problems.append(owner.report(("uses", i, "evidence", k, "role"), message))
            for i, link in enumerate(item.mechanisms):
                if link.slug not in self.known[Kind.mechanism]:
                    self.problems.append(owner.report(("mechanisms", i, "slug"), f"unknown mechanism '{link.slug}'"))
                self._citations(owner, ("mechanisms", i, "citations"), link.citations)


def _in_cycle(start: str, parents: dict[str, str | None]) -> bool:
    seen = {start}
    current = parents.get(start)
    while current is not None:
        if current in seen:
            return current == start
        seen.add(current)
        current = parents.get(current)
    return False


def validate_dir(data_dir: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Validate every data file; return the knowledge base (None when anything is wrong) and all problems.

    Valid data (the usual case) is read once without positions; only when something is wrong is it
    read again with positions, so that every problem can name its line and column."""
    kb, problems = _validate(data_dir, locate=False)
    if not problems:
        return kb, []
    return _validate(data_dir, locate=True)


def _validate(data_dir: Path, locate: bool) -> tuple[KnowledgeBase | None, list[Problem]]:
    problems: list[Problem] = []
    if not data_dir.is_dir():
        return None, [Problem(str(data_dir), ORIGIN, "data directory does not exist")]
    for path in sorted(data_dir.glob("*.y*ml")):
        if path.name not in DATA_FILES:
            problems.append(Problem(str(path), ORIGIN, f"unknown data file (expected one of {', '.join(DATA_FILES)})"))
    located: dict[Kind, list[Located[Any]]] = {}
    known: dict[Kind, set[Any]] = {}
    # One file at a time, so that only one file's raw values are alive at once on large data.
    for kind, model, id_field in SPECS:
        path = data_dir / f"{kind.plural}.yaml"
        if not path.exists():
            problems.append(Problem(str(path), ORIGIN, "required data file is missing"))
            continue
        doc, parse_problems = read_document(path, str(path), locate=locate)
        problems.extend(parse_problems)
        if parse_problems:
            continue
        if id_field is not None:
            known[kind] = raw_ids(doc, kind.plural, id_field)
        # Without positions nothing will point back into the document, so its values can go early.
        located[kind] = _records(doc, kind.plural, model, problems, release=not locate)
    citations, conditions, mechanisms, interventions = (located.get(kind, []) for kind, _, _ in SPECS)
    if len(located) == len(SPECS):
        # Cross-references are only meaningful once every file parsed; schema errors stay reported either way.
        problems.extend(_CrossCheck(citations, conditions, mechanisms, interventions, known).run())
    if problems:
        return None, sorted(set(problems), key=lambda p: (p.file, p.position, p.message))
    kb = KnowledgeBase.build(
        [c.record for c in citations],
        [c.record for c in conditions],
        [m.record for m in mechanisms],
        [i.record for i in interventions],
    )
    return kb, []


def load_knowledge(data_dir: Path) -> KnowledgeBase:
    """Validated knowledge base, or DataError listing every problem."""
    kb, problems = validate_dir(data_dir)
    if kb is None:
        raise DataError(problems)
    return kb
