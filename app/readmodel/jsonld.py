"""schema.org JSON-LD for condition, mechanism, intervention and citation pages, ready to embed."""

from __future__ import annotations

from typing import Any

from app.models.kind import Kind
from app.models.record import CitationRecord
from app.models.response import DISCLAIMER
from app.models.vocabulary import CodeSystem, InterventionKind
from app.readmodel.relations import Relations
from app.readmodel.urls import url_for
from app.text.markers import strip_markers

CONTEXT = "https://schema.org"
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
}


def scholarly_article(citation: CitationRecord) -> dict[str, Any]:
    article: dict[str, Any] = {
        "@type": "ScholarlyArticle",
        "@id": url_for(Kind.citation, citation.number),
        "name": citation.title,
        "author": [{"@type": "Person", "name": a} for a in citation.authors or []],
        "datePublished": str(citation.year) if citation.year else None,
        "isPartOf": {"@type": "Periodical", "name": citation.journal} if citation.journal else None,
        "sameAs": f"https://doi.org/{citation.doi}" if citation.doi else None,
        "identifier": [
            {"@type": "PropertyValue", "propertyID": key, "value": value}
            for key, value in (("DOI", citation.doi), ("PMID", citation.pmid), ("PMCID", citation.pmcid))
            if value
        ],
        "creativeWorkStatus": "Retracted" if citation.retracted else None,
    }
    return {k: v for k, v in article.items() if v not in (None, [])}


def document(relations: Relations, kind: Kind, key: str) -> dict[str, Any]:
    """The JSON-LD of an entity's page (one that exists)."""
    kb = relations.kb
    match kind:
        case Kind.condition:
            return _condition(relations, key)
        case Kind.mechanism:
            return _named(relations, kind, key, "MedicalEntity")
        case Kind.intervention:
            return _named(relations, kind, key, THERAPY_TYPES.get(kb.interventions[key].kind, "MedicalTherapy"))
        case Kind.citation:
            return {"@context": CONTEXT, **scholarly_article(kb.citations[int(key)])}


def _page(relations: Relations, kind: Kind, slug: str, about: dict[str, Any]) -> dict[str, Any]:
    record = relations.kb.named(kind)[slug]
    url = url_for(kind, slug)
    return {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": record.name,
        "lastReviewed": record.last_reviewed.isoformat(),
        "about": about,
        "citation": [scholarly_article(relations.kb.citations[n]) for n in relations.citations_of(kind, slug)],
        "disclaimer": DISCLAIMER,
    }


def _about(relations: Relations, kind: Kind, slug: str, schema_type: str) -> dict[str, Any]:
    record = relations.kb.named(kind)[slug]
    return {
        "@type": schema_type,
        "name": record.name,
        "alternateName": list(record.aliases),
        "description": strip_markers(record.summary),
    }


def _condition(relations: Relations, slug: str) -> dict[str, Any]:
    cond = relations.kb.conditions[slug]
    about = {
        **_about(relations, Kind.condition, slug, "MedicalCondition"),
        "code": [
            {"@type": "MedicalCode", "codeValue": c.code, "codingSystem": CODING_SYSTEMS[c.system]} for c in cond.codes
        ],
        "possibleTreatment": [
            {
                "@type": THERAPY_TYPES.get(item.kind, "MedicalTherapy"),
                "name": item.name,
                "url": url_for(Kind.intervention, item.slug),
            }
            for item, _ in relations.uses_for[slug]
        ],
    }
    return _page(relations, Kind.condition, slug, about)


def _named(relations: Relations, kind: Kind, slug: str, schema_type: str) -> dict[str, Any]:
    return _page(relations, kind, slug, _about(relations, kind, slug, schema_type))
