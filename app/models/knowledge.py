"""The validated knowledge base: the records of every entity, their content hashes and the version they make."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel

from app.models.record import CitationRecord, ConditionRecord, InterventionRecord, MechanismRecord


@dataclass(frozen=True)
class KnowledgeBase:
    citations: dict[int, CitationRecord]
    conditions: dict[str, ConditionRecord]
    mechanisms: dict[str, MechanismRecord]
    interventions: dict[str, InterventionRecord] = field(default_factory=dict)
    version: str = field(default="")
    # When each entity's content last changed, as recorded by the store; not part of the content hash.
    updated: dict[tuple[str, str], dt.date] = field(default_factory=dict, compare=False)
    # Each entity's content hash (kept from `build`, where the version is derived from them).
    hashes: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)

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

    def as_documents(self) -> dict[str, list[dict[str, Any]]]:
        """The records as they appear in the YAML files (aliases such as `class` restored)."""
        return {
            "citations": [c.model_dump(mode="json", by_alias=True) for c in self.citations.values()],
            "conditions": [c.model_dump(mode="json", by_alias=True) for c in self.conditions.values()],
            "mechanisms": [m.model_dump(mode="json", by_alias=True) for m in self.mechanisms.values()],
            "interventions": [i.model_dump(mode="json", by_alias=True) for i in self.interventions.values()],
        }

    def records(self) -> dict[tuple[str, str], BaseModel]:
        """Every entity by (kind, key), the key being the slug or the citation number as text."""
        return {
            **{("citation", str(n)): c for n, c in self.citations.items()},
            **{("condition", s): c for s, c in self.conditions.items()},
            **{("mechanism", s): m for s, m in self.mechanisms.items()},
            **{("intervention", s): i for s, i in self.interventions.items()},
        }

    def entity_hashes(self) -> dict[tuple[str, str], str]:
        """Content hash of each entity, in curated order (computed once, in `build`)."""
        if self.hashes:
            return self.hashes
        return {
            key: hashlib.sha256(record.model_dump_json(by_alias=True).encode()).hexdigest()[:16]
            for key, record in self.records().items()
        }

    def counts(self) -> dict[str, int]:
        return {
            "conditions": len(self.conditions),
            "mechanisms": len(self.mechanisms),
            "interventions": len(self.interventions),
            "citations": len(self.citations),
        }
