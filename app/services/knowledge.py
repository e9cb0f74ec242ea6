"""The validated knowledge base: the records of every entity, and the content hash that versions them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.models.record import CitationRecord, ConditionRecord, MechanismRecord


@dataclass(frozen=True)
class KnowledgeBase:
    citations: dict[int, CitationRecord]
    conditions: dict[str, ConditionRecord]
    mechanisms: dict[str, MechanismRecord]
    version: str = field(default="")

    @classmethod
    def build(
        cls,
        citations: list[CitationRecord],
        conditions: list[ConditionRecord],
        mechanisms: list[MechanismRecord],
    ) -> KnowledgeBase:
        kb = cls(
            citations={c.number: c for c in sorted(citations, key=lambda c: c.number)},
            conditions={c.slug: c for c in conditions},
            mechanisms={m.slug: m for m in mechanisms},
        )
        return cls(kb.citations, kb.conditions, kb.mechanisms, version=kb.content_hash())

    def as_documents(self) -> dict[str, list[dict[str, Any]]]:
        """The records as they appear in the YAML files (aliases such as `class` restored)."""
        return {
            "citations": [c.model_dump(mode="json", by_alias=True) for c in self.citations.values()],
            "conditions": [c.model_dump(mode="json", by_alias=True) for c in self.conditions.values()],
            "mechanisms": [m.model_dump(mode="json", by_alias=True) for m in self.mechanisms.values()],
        }

    def content_hash(self) -> str:
        canonical = json.dumps(self.as_documents(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def counts(self) -> dict[str, int]:
        return {
            "conditions": len(self.conditions),
            "mechanisms": len(self.mechanisms),
            "citations": len(self.citations),
        }

    def texts(self) -> Iterator[tuple[str, str, str]]:
        """Every text that may carry citation markers: (entity kind, slug, text), page order."""
        for cond in self.conditions.values():
            yield "condition", cond.slug, cond.summary
            yield "condition", cond.slug, cond.immune_involvement.text
            yield "condition", cond.slug, cond.reversibility.text
            for section in cond.sections:
                yield "condition", cond.slug, section.body
        for mech in self.mechanisms.values():
            yield "mechanism", mech.slug, mech.summary
            yield "mechanism", mech.slug, mech.body
