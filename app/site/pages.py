"""The site's pages, each built from one data version's read model (the same page models the API serves) and
rendered once: home with the navigator, condition, mechanism, intervention and citation pages, the map,
search results and the page-not-found page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from app.http.cache import Rendered
from app.models.kind import Kind
from app.models.presentation import Facet
from app.models.search import SearchResponse
from app.models.vocabulary import Category, InterventionKind
from app.readmodel import lists
from app.readmodel.jsonld import LinkedData
from app.readmodel.snapshot import Snapshot
from app.readmodel.urls import collection_url, url_for
from app.site.templating import render

# The navigator's questions, in the order a person answers them.
NAVIGATOR_FACETS = (Facet.pattern, Facet.onset, Facet.scarring, Facet.who)
SEARCH_PAGE_SIZE = 20


@dataclass(frozen=True)
class Download:
    label: str
    url: str
    media_type: str


def _svg_inline(svg: str) -> Markup:
    """The picture's SVG document, embedded in the page as it is (it has no prolog, doctype or comments)."""
    return Markup(svg)


def _downloads(kind: Kind, key: str) -> list[Download]:
    url = url_for(kind, key)
    if kind is Kind.citation:
        formats = [("BibTeX", "bibtex", "application/x-bibtex"), ("RIS", "ris", "application/x-research-info-systems")]
        formats.append(("CSL-JSON", "csl-json", "application/vnd.citationstyles.csl+json"))
        bibliography = [Download(name, f"{url}?format={fmt}", media) for name, fmt, media in formats]
    else:
        references = f"{url}/references"
        bibliography = [
            Download("Bibliography as BibTeX", f"{references}?format=bibtex", "application/x-bibtex"),
            Download("as RIS", f"{references}?format=ris", "application/x-research-info-systems"),
            Download("as CSL-JSON", f"{references}?format=csl-json", "application/vnd.citationstyles.csl+json"),
        ]
    return [
        *bibliography,
        Download("This page as JSON", f"{url}?format=json", "application/json"),
        Download("as JSON-LD", f"{url}?format=jsonld", "application/ld+json"),
    ]


def _picture_downloads(kind: Kind | None, key: str | None) -> list[Download]:
    url = "/v1/graph" if kind is None or key is None else f"{url_for(kind, key)}/graph"
    return [
        Download("Picture as SVG", f"{url}?format=svg", "image/svg+xml"),
        Download("Graph as Cytoscape.js JSON", url, "application/json"),
    ]


def entity_page(snapshot: Snapshot, kind: Kind, key: str, svg: str | None, base_url: str) -> Rendered:
    """A condition, mechanism, intervention or citation page (`svg`: its picture, for the named kinds), with
    the API's JSON-LD of it in the head (absolute URLs under `base_url`, as partners embed it)."""
    page = snapshot.page(kind, key)
    return render(
        f"{kind.value}.html",
        page=page,
        kind=kind,
        picture=_svg_inline(svg) if svg is not None else None,
        picture_downloads=_picture_downloads(kind, key),
        downloads=_downloads(kind, key),
        jsonld=LinkedData(snapshot.relations, base_url).document(kind, key),
        version=snapshot.version,
        canonical=f"/{kind.plural}/{key}",
    )


def home(snapshot: Snapshot, wanted: Mapping[Facet, frozenset[str]]) -> Rendered:
    """Search, the navigator (the conditions that do not match what is asked are hidden, so that the page works
    without JavaScript as well as with it), conditions by category, mechanisms and interventions."""
    query = lists.ConditionQuery(wanted=wanted)
    matching = {item.slug for item in lists.conditions(snapshot, query)}
    conditions = lists.conditions(snapshot, lists.ConditionQuery())
    # Non-scarring first: the common causes of hair loss.
    by_category = {category: [c for c in conditions if c.category == category] for category in reversed(Category)}
    interventions = [snapshot.pages.intervention_summary(i) for i in snapshot.kb.interventions.values()]
    by_kind = {k: [i for i in interventions if i.kind == k] for k in InterventionKind}
    return render(
        "home.html",
        facets=NAVIGATOR_FACETS,
        wanted=wanted,
        matching=matching,
        by_category=by_category,
        mechanisms=[snapshot.pages.mechanism_summary(m) for m in snapshot.kb.mechanisms.values()],
        by_kind={k: v for k, v in by_kind.items() if v},
        total=len(conditions),
        version=snapshot.version,
        canonical="/",
    )


def graph_map(snapshot: Snapshot, svg: str) -> Rendered:
    return render(
        "map.html",
        picture=_svg_inline(svg),
        picture_downloads=_picture_downloads(None, None),
        version=snapshot.version,
        canonical="/map",
    )


def search(snapshot: Snapshot, q: str, kind: Kind | None, page: int) -> Rendered:
    result: SearchResponse | None = None
    if q.strip():
        result = snapshot.search.model(q, kind, SEARCH_PAGE_SIZE, (page - 1) * SEARCH_PAGE_SIZE)
    return render(
        "search.html",
        q=q,
        kind=kind,
        page=page,
        result=result,
        pages=0 if result is None else -(-result.total // SEARCH_PAGE_SIZE),
        api=f"/v1/search?q={q}",
        version=snapshot.version,
        canonical="/search",
    )


def not_found(snapshot: Snapshot, path: str, guesses: Sequence[str]) -> Rendered:
    """The page-not-found page: pages whose names come close to what the path asks for."""
    hits = []
    for guess in guesses:
        if guess.strip():
            hits = snapshot.search.model(guess[:256], None, 6, 0).hits
            if hits:
                break
    return render(
        "not_found.html",
        path=path,
        hits=hits,
        collections=[(kind, collection_url(kind)) for kind in Kind],
        version=snapshot.version,
        canonical=None,
    )
