"""What regulators decided about an intervention, what its label says about safety, and how it is used:
the record models of an intervention's `regulatory`, `safety` and `usage` blocks."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from app.models.fields import Citations, Record, ShortText, Slug, Text, Year


class Agency(StrEnum):
    """A medicines or devices regulator; `label` is its name for display."""

    label: str

    def __new__(cls, code: str, label: str = "") -> Agency:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    fda = "FDA", "U.S. Food and Drug Administration"
    ema = "EMA", "European Medicines Agency"
    mhra = "MHRA", "UK Medicines and Healthcare products Regulatory Agency"
    pmda = "PMDA", "Japan Pharmaceuticals and Medical Devices Agency"
    tga = "TGA", "Australian Therapeutic Goods Administration"
    health_canada = "HealthCanada", "Health Canada"
    anmdmr = "ANMDMR", "National Agency for Medicines and Medical Devices of Romania"


class RegulatoryStatus(StrEnum):
    """`approved`, `cleared` (a device) and `otc` authorise the product for the indication; the others
    record a refusal, a withdrawal or a public warning."""

    approved = "approved"
    cleared = "cleared"
    otc = "otc"
    not_approved = "not-approved"
    withdrawn = "withdrawn"
    warning = "warning"

    @property
    def authorises(self) -> bool:
        return self in (RegulatoryStatus.approved, RegulatoryStatus.cleared, RegulatoryStatus.otc)


class RegulatoryRecord(Record):
    """One decision of one regulator, as its label or record states it."""

    agency: Agency
    status: RegulatoryStatus
    indication: Text
    conditions: list[Slug] = Field(
        default_factory=list, description="Conditions of the knowledge base the decision covers (may be none)."
    )
    population: ShortText | None = None
    year: Year | None = None
    products: list[ShortText] = Field(default_factory=list)
    citations: Citations


class Safety(Record):
    """From the label first: each text is cited Markdown, one sentence per line or several per line."""

    common: Text | None = None
    serious: Text | None = None
    pregnancy: Text | None = None
    contraindications: Text | None = None
    monitoring: Text | None = None


class Usage(Record):
    """How it is used, how long before results show, and what happens when it is stopped."""

    how: Text | None = None
    time_to_results: Text | None = None
    on_stopping: Text | None = None
