"""schema.org JSON-LD for condition, mechanism, intervention and citation pages, ready to embed."""

from __future__ import annotations

from typing import Any

from app.models.record import CitationRecord
from app.models.response import DISCLAIMER
from app.models.vocabulary import CodeSystem, InterventionKind
from app.readmodel.pages import Pages, url_for
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
        "@id": url_for("citation", citation.number),
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


def _page(
    url: str, name: str, about: dict[str, Any], citations: list[int], pages: Pages, reviewed: str
) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": name,
        "lastReviewed": reviewed,
        "about": about,
        "citation": [scholarly_article(pages.kb.citations[n]) for n in citations],
        "disclaimer": DISCLAIMER,
    }


def condition(pages: Pages, slug: str) -> dict[str, Any]:
    cond = pages.kb.conditions[slug]
    about = {
        "@type": "MedicalCondition",
        "name": cond.name,
        "alternateName": list(cond.aliases),
        "description": strip_markers(cond.summary),
        "code": [
            {"@type": "MedicalCode", "codeValue": c.code, "codingSystem": CODING_SYSTEMS[c.system]} for c in cond.codes
        ],
        "possibleTreatment": [
            {
                "@type": THERAPY_TYPES.get(item.kind, "MedicalTherapy"),
                "name": item.name,
                "url": url_for("intervention", item.slug),
            }
            for item, _ in pages.uses_for[slug]
        ],
    }
    url = url_for("condition", slug)
    return _page(url, cond.name, about, pages.citations_of("condition", slug), pages, cond.last_reviewed.isoformat())


def _entity(pages: Pages, kind: str, slug: str, schema_type: str) -> dict[str, Any]:
    record = getattr(pages.kb, f"{kind}s")[slug]
    about = {
        "@type": schema_type,
        "name": record.name,
        "alternateName": list(record.aliases),
        "description": strip_markers(record.summary),
    }
    url = url_for(kind, slug)
    return _page(url, record.name, about, pages.citations_of(kind, slug), pages, record.last_reviewed.isoformat())


def mechanism(pages: Pages, slug: str) -> dict[str, Any]:
    return _entity(pages, "mechanism", slug, "MedicalEntity")


def intervention(pages: Pages, slug: str) -> dict[str, Any]:
    kind = pages.kb.interventions[slug].kind
    return _entity(pages, "intervention", slug, THERAPY_TYPES.get(kind, "MedicalTherapy"))


def citation(pages: Pages, number: int) -> dict[str, Any]:
    return {"@context": CONTEXT, **scholarly_article(pages.kb.citations[number])}
