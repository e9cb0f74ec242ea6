"""How a condition presents, in controlled vocabularies: the facets of the "what could this be" navigator,
their allowed values, and the record that holds a condition's values with the citations backing them."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Generic, TypeVar

from pydantic import Field

from app.models.fields import CitationNumber, Record


class Pattern(StrEnum):
    """Where and how the hair is lost."""

    diffuse = "diffuse"
    widening_part = "widening-part"
    vertex_crown = "vertex-crown"
    frontotemporal = "frontotemporal"
    hairline_band = "hairline-band"
    patchy = "patchy"
    single_patch = "single-patch"
    marginal_traction = "marginal-traction"
    central_crown = "central-crown"
    nape = "nape"
    body_hair = "body-hair"


class Onset(StrEnum):
    sudden = "sudden"
    gradual = "gradual"


class Course(StrEnum):
    acute = "acute"
    chronic = "chronic"
    relapsing = "relapsing"


class Scarring(StrEnum):
    no = "no"
    yes = "yes"
    possible = "possible"


class ScalpFinding(StrEnum):
    none = "none"
    redness = "redness"
    scale = "scale"
    itch = "itch"
    pain_burning = "pain-burning"
    pustules = "pustules"
    perifollicular_papules = "perifollicular-papules"
    crusts = "crusts"


class Who(StrEnum):
    """Who it typically affects; `all` matches any `who` filter."""

    women = "women"
    men = "men"
    children = "children"
    all = "all"


class AgeBand(StrEnum):
    children = "children"
    adolescents = "adolescents"
    adults = "adults"
    older_adults = "older-adults"


V = TypeVar("V", bound=StrEnum)


class FacetValues(Record, Generic[V]):
    """A facet's values for one condition and the citations whose sentences in the page back them."""

    values: Annotated[list[V], Field(min_length=1)]
    citations: Annotated[list[CitationNumber], Field(min_length=1)]


class Facet(StrEnum):
    """The navigator's facets: the `presentation` keys and the query parameters of `/v1/conditions`."""

    vocabulary: type[StrEnum]
    label: str

    def __new__(cls, name: str, vocabulary: type[StrEnum] = Pattern, label: str = "") -> Facet:
        member = str.__new__(cls, name)
        member._value_ = name
        member.vocabulary = vocabulary
        member.label = label
        return member

    pattern = "pattern", Pattern, "Pattern"
    onset = "onset", Onset, "Onset"
    course = "course", Course, "Course"
    scarring = "scarring", Scarring, "Scarring"
    scalp_findings = "scalp_findings", ScalpFinding, "Scalp findings"
    who = "who", Who, "Who"
    age = "age", AgeBand, "Typical age"


class Presentation(Record):
    """Every facet of a condition, each backed by citations that the page's sections cite."""

    pattern: FacetValues[Pattern]
    onset: FacetValues[Onset]
    course: FacetValues[Course]
    scarring: FacetValues[Scarring]
    scalp_findings: FacetValues[ScalpFinding]
    who: FacetValues[Who]
    age: FacetValues[AgeBand]

    def facet(self, facet: Facet) -> FacetValues[StrEnum]:
        match facet:
            case Facet.pattern:
                return self.pattern  # type: ignore[return-value]
            case Facet.onset:
                return self.onset  # type: ignore[return-value]
            case Facet.course:
                return self.course  # type: ignore[return-value]
            case Facet.scarring:
                return self.scarring  # type: ignore[return-value]
            case Facet.scalp_findings:
                return self.scalp_findings  # type: ignore[return-value]
            case Facet.who:
                return self.who  # type: ignore[return-value]
            case Facet.age:
                return self.age  # type: ignore[return-value]

    def values(self, facet: Facet) -> list[str]:
        return [v.value for v in self.facet(facet).values]
