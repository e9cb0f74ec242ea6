"""Validates the data directory: each file read and its records checked against their schemas, then the
checks across records (crosscheck.py); every problem reported at once, each with its file, line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.ingest.crosscheck import CrossCheck, Located
from app.ingest.problem import ORIGIN, PathKey, Problem, Problems, dotted
from app.ingest.yaml_source import Document, read_document
from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.models.record import CitationRecord, ConditionRecord, InterventionRecord, MechanismRecord
from app.models.vocabulary import PATTERN_NAMES

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


class DataError(Exception):
    """The data directory is invalid; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


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
        elif kind == "value_error":
            problems.append(doc.problem(path, f"{where}: {(item.get('ctx') or {}).get('error', item['msg'])}"))
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


def _records(doc: Document, key: str, model: type[R], problems: Problems, *, release: bool = False) -> list[Located[R]]:
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
            problems.add(err.error_count(), _pydantic_problems, doc, (key, index), err)
        if release:
            items[index] = None  # the record holds what we need from here on
    return located


def validate_dir(data_dir: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Validate every data file; return the knowledge base (None when anything is wrong) and all problems.

    Valid data (the usual case) is read once without positions; only when something is wrong is it
    read again with positions, so that every problem can name its line and column."""
    kb, problems = _validate(data_dir, locate=False)
    if not problems:
        return kb, []
    return _validate(data_dir, locate=True)


def _validate(data_dir: Path, locate: bool) -> tuple[KnowledgeBase | None, list[Problem]]:
    problems = Problems()
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
        problems.extend(CrossCheck(citations, conditions, mechanisms, interventions, known).run())
    if problems:
        return None, problems.report()
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
