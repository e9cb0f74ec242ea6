"""The whole knowledge base as curated (the YAML schema), each entity with the date its content last
changed: one JSON document, or NDJSON with one entity per line after a meta line."""

from __future__ import annotations

import json
from typing import Any

from app.models.kind import Kind
from app.readmodel.snapshot import Snapshot


def _head(snapshot: Snapshot) -> dict[str, Any]:
    """What the export is of. Only the data decides it (no load time), so every server sends the same bytes."""
    return {
        "dataset_version": snapshot.version,
        "updated": snapshot.updated.isoformat() if snapshot.updated else None,
        "counts": snapshot.kb.counts(),
    }


def _documents(snapshot: Snapshot) -> dict[str, list[dict[str, Any]]]:
    dates = snapshot.relations.updated
    documents = snapshot.kb.as_documents()
    for plural, records in documents.items():
        kind = Kind.from_plural(plural)
        for record in records:
            updated = dates.get((kind, str(record.get("number", record.get("slug")))))
            record["updated"] = updated.isoformat() if updated else None
    return documents


def as_json(snapshot: Snapshot) -> str:
    return json.dumps({**_head(snapshot), **_documents(snapshot)}, ensure_ascii=False)


def as_ndjson(snapshot: Snapshot) -> str:
    lines = [json.dumps({"type": "meta", **_head(snapshot)}, ensure_ascii=False)]
    lines += [
        json.dumps({"type": Kind.from_plural(plural).singular, "record": record}, ensure_ascii=False)
        for plural, records in _documents(snapshot).items()
        for record in records
    ]
    return "\n".join(lines) + "\n"
