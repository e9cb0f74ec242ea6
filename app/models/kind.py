"""The kinds of entity: the one registry of their names, in URLs, data files, API `type` fields and labels."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import GetCoreSchemaHandler, WithJsonSchema
from pydantic_core import CoreSchema, core_schema


class Kind(StrEnum):
    """A kind of entity. The value is the singular (`condition`), as API `type` fields spell it; `plural`
    names the collection (`/v1/conditions`, `conditions.yaml`, export keys). Conditions, mechanisms and
    interventions are `named`: a slug, a name and aliases, and a page that cites literature. Citations
    are numbered.

    Code that treats kinds differently matches on the members (`match kind: case Kind.condition: …`), so
    that mypy points at every place a new kind must be handled; names are never built from strings.
    """

    plural: str
    label: str
    plural_label: str
    named: bool

    def __new__(
        cls, singular: str, plural: str = "", label: str = "", plural_label: str = "", named: bool = False
    ) -> Kind:
        member = str.__new__(cls, singular)
        member._value_ = singular
        member.plural = plural
        member.label = label
        member.plural_label = plural_label
        member.named = named
        return member

    # Declaration order is display order: search facets, suggestions, counts.
    condition = "condition", "conditions", "Condition", "Conditions", True
    mechanism = "mechanism", "mechanisms", "Mechanism", "Mechanisms", True
    intervention = "intervention", "interventions", "Intervention", "Interventions", True
    citation = "citation", "citations", "Citation", "Citations", False

    @property
    def singular(self) -> str:
        return self.value

    @classmethod
    def with_names(cls) -> tuple[Kind, ...]:
        """The named kinds, in display order."""
        return tuple(kind for kind in cls if kind.named)

    @classmethod
    def in_data_order(cls) -> tuple[Kind, ...]:
        """Citations first, then the named kinds: the order data files are read, stored and hashed in
        (the dataset version depends on it)."""
        return (cls.citation, *cls.with_names())

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """Validated and documented as a plain string enum, as a Literal would be: API schemas show the
        allowed strings in place, with no `Kind` component."""
        return core_schema.no_info_after_validator_function(cls, core_schema.literal_schema([k.value for k in cls]))

    @classmethod
    def from_plural(cls, plural: str) -> Kind:
        for kind in cls:
            if kind.plural == plural:
                return kind
        raise ValueError(f"no kind is called {plural!r}")


def kinds_schema(kinds: Iterable[Kind]) -> WithJsonSchema:
    """The JSON schema of a field that holds one of `kinds`: a string enum, as OpenAPI has always shown it."""
    return WithJsonSchema({"enum": [kind.value for kind in kinds], "type": "string"})
