"""The validated knowledge base: every entity's record, its content hash, and the version they make.

Ingest builds it (from the files, or read back from the database); the read model serves it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel

from app.models.kind import Kind
from app.models.record import CitationRecord, ConditionRecord, InterventionRecord, MechanismRecord

# A record with a slug, a name, aliases, a summary and a review date.
NamedRecord = ConditionRecord | MechanismRecord | InterventionRecord
# An entity by kind and key (the slug, or the citation number as text).
EntityKey = tuple[Kind, str]


@dataclass(frozen=True)
class KnowledgeBase:
    citations: dict[int, CitationRecord]
    conditions: dict[str, ConditionRecord]
    mechanisms: dict[str, MechanismRecord]
    interventions: dict[str, InterventionRecord] = field(default_factory=dict)
    version: str = field(default="")
    # Each entity's content hash (kept from `build`, where the version is derived from them).
    hashes: dict[EntityKey, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        citations: list[CitationRecord],
        conditions: list[ConditionRecord],
        mechanisms: list[MechanismRecord],
        interventions: list[InterventionRecord],
    ) -> KnowledgeBase:
        kb = cls(
            citations={c.number: c for c in sorted(citations, key=lambda c: c.number)},
            conditions={c.slug: c for c in conditions},
            mechanisms={m.slug: m for m in mechanisms},
            interventions={i.slug: i for i in interventions},
        )
        hashes = kb.entity_hashes()
        # The version hashes every entity's hash in curated order, so reordering pages changes it too.
        lines = "".join(f"{kind}:{key}:{digest}\n" for (kind, key), digest in hashes.items())
        version = hashlib.sha256(lines.encode()).hexdigest()[:16]
        return replace(kb, version=version, hashes=hashes)

    def named(self, kind: Kind) -> Mapping[str, NamedRecord]:
        """The records of a named kind by slug, in curated order."""
        match kind:
            case Kind.condition:
                return self.conditions
            case Kind.mechanism:
                return self.mechanisms
            case Kind.intervention:
                return self.interventions
            case Kind.citation:
                raise ValueError("citations are numbered, not named")

    def count(self, kind: Kind) -> int:
        return len(self.citations) if kind is Kind.citation else len(self.named(kind))

    def records(self) -> dict[EntityKey, BaseModel]:
        """Every entity by kind and key, in data order."""
        keyed: dict[EntityKey, BaseModel] = {(Kind.citation, str(n)): c for n, c in self.citations.items()}
        for kind in Kind.with_names():
            keyed.update(((kind, slug), record) for slug, record in self.named(kind).items())
        return keyed

    def as_documents(self) -> dict[str, list[dict[str, Any]]]:
        """The records as they appear in the YAML files (aliases such as `class` restored), by file."""
        documents: dict[str, list[dict[str, Any]]] = {kind.plural: [] for kind in Kind.in_data_order()}
        for (kind, _), record in self.records().items():
            documents[kind.plural].append(record.model_dump(mode="json", by_alias=True))
        return documents

    def entity_hashes(self) -> dict[EntityKey, str]:
        """Content hash of each entity, in data order (computed once, in `build`)."""
        if self.hashes:
            return self.hashes
        return {
            key: hashlib.sha256(record.model_dump_json(by_alias=True).encode()).hexdigest()[:16]
            for key, record in self.records().items()
        }

    def counts(self) -> dict[str, int]:
        return {kind.plural: self.count(kind) for kind in Kind}
