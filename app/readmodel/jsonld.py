"""schema.org JSON-LD for condition, mechanism, intervention and citation pages, ready to embed on another
site: every `@id` and `url` absolute (under the public base URL), only schema.org terms, no empty values."""

from __future__ import annotations

from typing import Any

from app.models.kind import Kind
from app.models.record import CitationRecord, InterventionRecord
from app.models.regulatory import Agency, RegulatoryStatus
from app.models.vocabulary import CodeMatch, CodeSystem, EvidenceGrade, InterventionKind
from app.readmodel.bibliography import links, parse_author
from app.readmodel.relations import Relations
from app.readmodel.urls import url_for
from app.text.markers import strip_markers

CONTEXT = "https://schema.org"
PUBLISHER = "hairkb"
CODING_SYSTEMS = {
    CodeSystem.icd10cm: "ICD-10-CM",
    CodeSystem.icd11: "ICD-11",
    CodeSystem.mesh: "MeSH",
    CodeSystem.mondo: "MONDO",
    CodeSystem.orphanet: "Orphanet",
}
THERAPY_TYPES = {
    InterventionKind.drug: "Drug",
    InterventionKind.procedure: "MedicalProcedure",
    InterventionKind.supplement: "DietarySupplement",
    InterventionKind.device: "MedicalDevice",
}
# What `possibleTreatment` lists: uses with clinical evidence of benefit. Not investigational uses (preclinical
# evidence only), nor those with no evidence or discredited ones.
TREATMENT_GRADES = {
    EvidenceGrade.approved: "approved by a regulator for this use",
    EvidenceGrade.supported_by_rcts: "supported by randomised controlled trials",
    EvidenceGrade.limited: "limited evidence",
}
# Where each regulator's decisions apply (schema.org's DrugLegalStatus.applicableLocation).
JURISDICTIONS = {
    Agency.fda: ("Country", "United States"),
    Agency.ema: ("AdministrativeArea", "European Union"),
    Agency.mhra: ("Country", "United Kingdom"),
    Agency.pmda: ("Country", "Japan"),
    Agency.tga: ("Country", "Australia"),
    Agency.health_canada: ("Country", "Canada"),
    Agency.anmdmr: ("Country", "Romania"),
}
STATUS_WORDS = {
    RegulatoryStatus.approved: "approved",
    RegulatoryStatus.cleared: "cleared",
    RegulatoryStatus.otc: "listed over the counter",
    RegulatoryStatus.not_approved: "not approved",
    RegulatoryStatus.withdrawn: "withdrawn",
    RegulatoryStatus.warning: "subject of a public warning",
}
AUDIENCES = ("Patient", "Clinician")


def _pruned(value: Any) -> Any:
    """The value without None, empty strings, empty lists and empty objects, at any depth."""
    if isinstance(value, dict):
        kept = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = [_pruned(v) for v in value]
        return [v for v in items if v not in (None, "", [], {})]
    return value


class LinkedData:
    """The JSON-LD documents of one data version, with absolute URLs under `base_url`."""

    def __init__(self, relations: Relations, base_url: str) -> None:
        self.relations = relations
        self.kb = relations.kb
        self.base = base_url.rstrip("/")

    def url(self, kind: Kind, key: str | int) -> str:
        return f"{self.base}{url_for(kind, key)}"

    def document(self, kind: Kind, key: str) -> dict[str, Any]:
        """The JSON-LD of an entity's page (one that exists)."""
        match kind:
            case Kind.condition:
                return self._page(kind, key, self._condition(key))
            case Kind.mechanism:
                return self._page(kind, key, self._entity(kind, key, "MedicalEntity"))
            case Kind.intervention:
                return self._page(kind, key, self._intervention(key))
            case Kind.citation:
                return dict(_pruned({"@context": CONTEXT, **self.article(self.kb.citations[int(key)])}))

    def article(self, citation: CitationRecord) -> dict[str, Any]:
        found = links(citation)
        return {
            "@type": "ScholarlyArticle",
            "@id": self.url(Kind.citation, citation.number),
            "name": citation.title,
            "url": found["link"],
            "author": [_author(a) for a in citation.authors or []],
            "datePublished": str(citation.year) if citation.year else None,
            "isPartOf": {"@type": "Periodical", "name": citation.journal} if citation.journal else None,
            "publisher": {"@type": "Organization", "name": citation.publisher} if citation.publisher else None,
            "sameAs": [u for k, u in found.items() if k != "link" and u and u != found["link"]],
            "identifier": [
                {"@type": "PropertyValue", "propertyID": key, "value": value}
                for key, value in (("DOI", citation.doi), ("PMID", citation.pmid), ("PMCID", citation.pmcid))
                if value
            ],
            "creativeWorkStatus": "Retracted" if citation.retracted else None,
        }

    def _page(self, kind: Kind, slug: str, entity: dict[str, Any]) -> dict[str, Any]:
        record = self.kb.named(kind)[slug]
        url = self.url(kind, slug)
        page = {
            "@context": CONTEXT,
            "@type": "MedicalWebPage",
            "@id": url,
            "url": url,
            "name": record.name,
            "description": strip_markers(record.summary),
            "inLanguage": "en",
            "dateModified": self.relations.updated[(kind, slug)].isoformat(),
            "lastReviewed": record.last_reviewed.isoformat(),
            "publisher": {"@type": "Organization", "name": PUBLISHER, "url": f"{self.base}/"},
            "medicalAudience": [{"@type": "MedicalAudience", "audienceType": a} for a in AUDIENCES],
            "mainEntity": entity,
            "about": {"@id": entity["@id"]},
            "citation": [self.article(self.kb.citations[n]) for n in self.relations.citations_of(kind, slug)],
        }
        return dict(_pruned(page))

    def _entity(self, kind: Kind, slug: str, schema_type: str) -> dict[str, Any]:
        record = self.kb.named(kind)[slug]
        return {
            "@type": schema_type,
            "@id": f"{self.url(kind, slug)}#{kind.singular}",
            "name": record.name,
            "alternateName": list(record.aliases),
            "description": strip_markers(record.summary),
        }

    def _condition(self, slug: str) -> dict[str, Any]:
        cond = self.kb.conditions[slug]
        return {
            **self._entity(Kind.condition, slug, "MedicalCondition"),
            # A broader, narrower or related code is another concept's: only exact codes name this one.
            "code": [
                {"@type": "MedicalCode", "codeValue": c.code, "codingSystem": CODING_SYSTEMS[c.system]}
                for c in cond.codes
                if c.match == CodeMatch.exact
            ],
            "possibleTreatment": [
                {
                    "@type": "MedicalTherapy",
                    "name": item.name,
                    "url": self.url(Kind.intervention, item.slug),
                    "description": f"Evidence grade for {cond.name}: {use.grade.value} "
                    f"({TREATMENT_GRADES[use.grade]}). {strip_markers(use.summary)}",
                }
                for item, use in self.relations.uses_for[slug]
                if use.grade in TREATMENT_GRADES
            ],
        }

    def _intervention(self, slug: str) -> dict[str, Any]:
        item = self.kb.interventions[slug]
        schema_type = THERAPY_TYPES.get(item.kind, "MedicalTherapy")
        entity = {**self._entity(Kind.intervention, slug, schema_type), "legalStatus": _legal_status(item)}
        safety = item.safety
        if schema_type == "Drug":
            entity["proprietaryName"] = list(dict.fromkeys(p for r in item.regulatory for p in r.products))
            if safety is not None:
                entity["warning"] = strip_markers(safety.serious) if safety.serious else None
                entity["pregnancyWarning"] = strip_markers(safety.pregnancy) if safety.pregnancy else None
        elif schema_type == "MedicalTherapy" and safety is not None and safety.contraindications:
            entity["contraindication"] = strip_markers(safety.contraindications)
        return entity


def _author(name: str) -> dict[str, str]:
    return {"@type": "Person" if parse_author(name) else "Organization", "name": name}


def _legal_status(item: InterventionRecord) -> list[dict[str, Any]]:
    """Each regulator's decision as a schema.org DrugLegalStatus (a legal status of any medical entity)."""
    statuses = []
    for record in item.regulatory:
        area, place = JURISDICTIONS[record.agency]
        year = f", {record.year}" if record.year else ""
        statuses.append(
            {
                "@type": "DrugLegalStatus",
                "name": f"{STATUS_WORDS[record.status].capitalize()} ({record.agency.value}{year}): "
                f"{strip_markers(record.indication)}",
                "applicableLocation": {"@type": area, "name": place},
            }
        )
    return statuses
