"""Validates the data directory: schemas per record, then cross-references; reports every problem at once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from app.models.record import (
    PATTERN_NAMES,
    CitationRecord,
    ConditionRecord,
    MechanismRecord,
)
from app.services.knowledge import KnowledgeBase
from app.services.markers import find_markers, uncited_sentences
from app.services.yaml_source import Document, PathKey, Position, Problem, read_document

R = TypeVar("R", bound=BaseModel)

DATA_FILES = ("citations.yaml", "conditions.yaml", "mechanisms.yaml")
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

    def problem(self, *rest: str | int, message: str, key: bool = False) -> Problem:
        return self.doc.problem((*self.path, *rest), message, key=key)

    def text_problem(self, rest: PathKey, offset: int, message: str) -> Problem:
        return Problem(self.doc.file, self.doc.locate_in_text((*self.path, *rest), offset), message)


def dotted(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def normalize_alias(text: str) -> str:
    """Aliases match regardless of case, spacing, and dash style (JAK–STAT == jak-stat)."""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text.casefold())
    return re.sub(r"\s+", " ", text).strip()


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
        elif kind == "string_pattern_mismatch":
            pattern = str((item.get("ctx") or {}).get("pattern", ""))
            expected = PATTERN_NAMES.get(pattern, f"text matching {pattern}")
            problems.append(doc.problem(path, f"{where}: {item['input']!r} is not {expected}"))
        else:
            problems.append(doc.problem(path, f"{where}: {item['msg']}"))
    return problems


def _records(doc: Document, key: str, model: type[R], problems: list[Problem]) -> list[Located[R]]:
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
    return located


def _first_seen(
    items: Iterable[tuple[Any, Located[Any], PathKey]], what: str, problems: list[Problem]
) -> None:
    """Report every (value, where) whose value was already claimed earlier."""
    owners: dict[Any, tuple[Located[Any], PathKey]] = {}
    for value, owner, rest in items:
        if value in owners:
            first, first_rest = owners[value]
            line = first.doc.locate((*first.path, *first_rest)).line
            problems.append(
                owner.problem(*rest, message=f"{dotted((*owner.path, *rest))}: {what} {value!r} is already "
                              f"used at {first.doc.file}:{line}")
            )
        else:
            owners[value] = (owner, rest)


class _CrossCheck:
    def __init__(
        self,
        citations: list[Located[CitationRecord]],
        conditions: list[Located[ConditionRecord]],
        mechanisms: list[Located[MechanismRecord]],
    ) -> None:
        self.citations = citations
        self.conditions = conditions
        self.mechanisms = mechanisms
        self.problems: list[Problem] = []
        self.numbers = {c.record.number for c in citations}
        self.cited: set[int] = set()

    def run(self) -> list[Problem]:
        _first_seen(((c.record.number, c, ("number",)) for c in self.citations), "citation number", self.problems)
        _first_seen(((c.record.slug, c, ("slug",)) for c in self.conditions), "condition slug", self.problems)
        _first_seen(((m.record.slug, m, ("slug",)) for m in self.mechanisms), "mechanism slug", self.problems)
        self._aliases()
        self._conditions()
        self._mechanisms()
        self._uncited()
        return self.problems

    def _aliases(self) -> None:
        names: list[tuple[str, Located[Any], PathKey]] = []
        for entity in [*self.conditions, *self.mechanisms]:
            record = entity.record
            names.append((normalize_alias(record.slug), entity, ("slug",)))
            if normalize_alias(record.name) != normalize_alias(record.slug):
                names.append((normalize_alias(record.name), entity, ("name",)))
            names.extend((normalize_alias(a), entity, ("aliases", i)) for i, a in enumerate(record.aliases))
        _first_seen(names, "name or alias", self.problems)

    def _text(self, owner: Located[Any], rest: PathKey, text: str) -> None:
        for marker in find_markers(text):
            self.cited.update(marker.numbers)
            for number in marker.numbers:
                if number not in self.numbers:
                    self.problems.append(owner.text_problem(
                        rest, marker.offset, f"{dotted((*owner.path, *rest))}: marker [{number}] points at no citation"))
        for sentence in uncited_sentences(text):
            self.problems.append(owner.text_problem(
                rest, sentence.offset,
                f"{dotted((*owner.path, *rest))}: sentence has no citation marker: {sentence.text[:60]!r}"))

    def _citation_list(self, owner: Located[Any], rest: PathKey, numbers: list[int]) -> None:
        for i, number in enumerate(numbers):
            self.cited.add(number)
            if number not in self.numbers:
                self.problems.append(owner.problem(
                    *rest, i, message=f"{dotted((*owner.path, *rest, i))}: citation {number} does not exist"))

    def _conditions(self) -> None:
        slugs = {c.record.slug for c in self.conditions}
        mechanisms = {m.record.slug for m in self.mechanisms}
        parents = {c.record.slug: c.record.parent for c in self.conditions}
        for owner in self.conditions:
            cond = owner.record
            self._text(owner, ("summary",), cond.summary)
            self._text(owner, ("immune_involvement", "text"), cond.immune_involvement.text)
            self._text(owner, ("reversibility", "text"), cond.reversibility.text)
            for i, section in enumerate(cond.sections):
                self._text(owner, ("sections", i, "body"), section.body)
            _first_seen(((s.id, owner, ("sections", i, "id")) for i, s in enumerate(cond.sections)),
                        "section id", self.problems)
            _first_seen(((m.slug, owner, ("mechanisms", i, "slug")) for i, m in enumerate(cond.mechanisms)),
                        "mechanism", self.problems)
            for i, link in enumerate(cond.mechanisms):
                if link.slug not in mechanisms:
                    self.problems.append(owner.problem(
                        "mechanisms", i, "slug",
                        message=f"{dotted((*owner.path, 'mechanisms', i, 'slug'))}: unknown mechanism '{link.slug}'"))
                self._citation_list(owner, ("mechanisms", i, "citations"), link.citations)
            if cond.parent is not None:
                where = dotted((*owner.path, "parent"))
                if cond.parent not in slugs:
                    self.problems.append(owner.problem("parent", message=f"{where}: unknown condition '{cond.parent}'"))
                elif _in_cycle(cond.slug, parents):
                    self.problems.append(owner.problem(
                        "parent", message=f"{where}: parent chain of '{cond.slug}' loops back to itself"))

    def _mechanisms(self) -> None:
        for owner in self.mechanisms:
            self._text(owner, ("summary",), owner.record.summary)
            self._text(owner, ("body",), owner.record.body)

    def _uncited(self) -> None:
        for owner in self.citations:
            if owner.record.number not in self.cited:
                self.problems.append(owner.problem(
                    "number", message=f"{dotted((*owner.path, 'number'))}: citation {owner.record.number} "
                                      "is cited by no page"))


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
    """Validate every data file; return the knowledge base (None when anything is wrong) and all problems."""
    problems: list[Problem] = []
    docs: dict[str, Document] = {}
    if not data_dir.is_dir():
        return None, [Problem(str(data_dir), ORIGIN, "data directory does not exist")]
    for path in sorted(data_dir.glob("*.y*ml")):
        if path.name not in DATA_FILES:
            problems.append(Problem(str(path), ORIGIN, f"unknown data file (expected one of {', '.join(DATA_FILES)})"))
    for name in DATA_FILES:
        path = data_dir / name
        if not path.exists():
            problems.append(Problem(str(path), ORIGIN, "required data file is missing"))
            continue
        doc, parse_problems = read_document(path, str(path))
        problems.extend(parse_problems)
        if not parse_problems:
            docs[name] = doc
    citations = _records(docs["citations.yaml"], "citations", CitationRecord, problems) if "citations.yaml" in docs else []
    conditions = _records(docs["conditions.yaml"], "conditions", ConditionRecord, problems) if "conditions.yaml" in docs else []
    mechanisms = _records(docs["mechanisms.yaml"], "mechanisms", MechanismRecord, problems) if "mechanisms.yaml" in docs else []
    if len(docs) == len(DATA_FILES):
        # Cross-references are only meaningful once every file parsed; schema errors stay reported either way.
        problems.extend(_CrossCheck(citations, conditions, mechanisms).run())
    if problems:
        return None, sorted(set(problems), key=lambda p: (p.file, p.position, p.message))
    kb = KnowledgeBase.build(
        [c.record for c in citations], [c.record for c in conditions], [m.record for m in mechanisms]
    )
    return kb, []


def load_knowledge(data_dir: Path) -> KnowledgeBase:
    """Validated knowledge base, or DataError listing every problem."""
    kb, problems = validate_dir(data_dir)
    if kb is None:
        raise DataError(problems)
    return kb
