"""The validated knowledge base: the records of every entity, and the content hash that versions them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from app.models.record import CitationRecord, ConditionRecord, InterventionRecord, MechanismRecord


@dataclass(frozen=True)
class KnowledgeBase:
    citations: dict[int, CitationRecord]
    conditions: dict[str, ConditionRecord]
    mechanisms: dict[str, MechanismRecord]
    interventions: dict[str, InterventionRecord] = field(default_factory=dict)
    version: str = field(default="")

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
        return cls(kb.citations, kb.conditions, kb.mechanisms, kb.interventions, version=kb.content_hash())

    def as_documents(self) -> dict[str, list[dict[str, Any]]]:
        """The records as they appear in the YAML files (aliases such as `class` restored)."""
        return {
            "citations": [c.model_dump(mode="json", by_alias=True) for c in self.citations.values()],
            "conditions": [c.model_dump(mode="json", by_alias=True) for c in self.conditions.values()],
            "mechanisms": [m.model_dump(mode="json", by_alias=True) for m in self.mechanisms.values()],
            "interventions": [i.model_dump(mode="json", by_alias=True) for i in self.interventions.values()],
        }

    def content_hash(self) -> str:
        canonical = json.dumps(self.as_documents(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def counts(self) -> dict[str, int]:
        return {
            "conditions": len(self.conditions),
            "mechanisms": len(self.mechanisms),
            "interventions": len(self.interventions),
            "citations": len(self.citations),
        }
