"""Typed dependencies: the runtime, the generation being served, a reply bound to it, and the entity a path
names — resolved to its record (with the format asked for), or answered with a 308 to its canonical URL, or
a 404."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Query, Request

from app.http.cache import Generation
from app.http.errors import InvalidParameter, NotFound, Redirect
from app.http.negotiation import BibliographyFormatQuery, CitationFormatQuery, GraphFormatQuery, PageFormatQuery
from app.http.respond import Reply, Target
from app.models.kind import Kind
from app.models.knowledge import NamedRecord
from app.models.record import CitationRecord, ConditionRecord, InterventionRecord, MechanismRecord
from app.readmodel.snapshot import Snapshot
from app.readmodel.urls import collection_url, url_for
from app.runtime import Runtime
from app.settings import Settings

R = TypeVar("R")

# Path parameter of the pages that cite literature (the plural, as in their URLs).
PageKind = StrEnum("PageKind", [(kind.plural, kind.plural) for kind in Kind.with_names()])  # type: ignore[misc]


# Dependencies are `async def` on purpose: FastAPI runs plain `def` dependencies in the thread pool,
# which costs more than the whole rest of a cached request.
async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_generation(runtime: RuntimeDep) -> Generation:
    """Taken once per request (dependencies are cached per request), so that all of it sees one version."""
    return runtime.generation


GenerationDep = Annotated[Generation, Depends(get_generation)]


async def get_snapshot(generation: GenerationDep) -> Snapshot:
    return generation.snapshot


SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]


async def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_reply(request: Request) -> Reply:
    """The reply to a request, bound to the generation current when it arrived. It reads the runtime itself
    rather than through the dependencies above: every route takes it, and each dependency costs a
    resolution step per request."""
    runtime: Runtime = request.app.state.runtime
    settings = runtime.settings
    return Reply(request, runtime.generation, settings.cache_max_age, settings.public_base_url)


ReplyDep = Annotated[Reply, Depends(get_reply)]


def _named(reply: Reply, kind: Kind, records: Mapping[str, R], slug: str) -> R:
    """The record a slug names, or a 308 to the canonical URL (the rest of the path and the query kept)
    when it is another name of one, or a 404."""
    record = records.get(slug)
    if record is not None:
        return record
    canonical = reply.snapshot.resolve(kind, slug)
    if canonical is None:
        raise NotFound(f"No {kind} '{slug}'. GET {collection_url(kind)} lists them; /v1/search finds them by name.")
    # Every such path is /v1/{plural}/{slug}[/rest]: the rest (`/references`, `/jsonld`…) follows the slug.
    rest = "".join(f"/{part}" for part in reply.request.url.path.split("/")[4:])
    query = reply.request.url.query
    location = f"{url_for(kind, canonical)}{rest}{'?' + query if query else ''}"
    raise Redirect(location, reply.max_age, f"'{slug}' is another name of {kind} '{canonical}'.")


def named_filter(reply: Reply, kind: Kind, value: str | None, parameter: str) -> str | None:
    """A filter that names an entity (`?condition=FPHL`) as its canonical slug: slugs, names and aliases in any
    case are accepted, as in paths; an unknown one is a 422."""
    if value is None:
        return None
    slug = reply.snapshot.resolve(kind, value)
    if slug is None:
        raise InvalidParameter(
            f"Unknown {kind} '{value}'. GET {collection_url(kind)} lists them.",
            [{"in": "query", "name": parameter, "message": f"no {kind} has this slug, name or alias"}],
        )
    return slug


# A query parameter that names an entity of some kind.
def name_query(what: str, example: str) -> Any:
    return Query(max_length=200, description=f"{what} (its slug, name or an alias, any case).", examples=[example])


def _slug(example: str | None = None) -> Any:
    return Path(max_length=200, description="Slug, name or alias (any case).", examples=[example] if example else None)


# `?format=` is a parameter of the dependencies that also resolve the path, not of the routes: FastAPI calls a
# dependency only once its own parameters are valid, so a malformed one is a 422 before the path is looked up.
# The format's own operations (`…/jsonld`, `…/bibtex`) take no `?format=` and resolve the path alone.

ConditionSlug = Annotated[str, _slug("telogen-effluvium")]
MechanismSlug = Annotated[str, _slug("oncostatin-m-jak-stat5")]
InterventionSlug = Annotated[str, _slug("jak-inhibitors")]
PageSlug = Annotated[str, _slug()]
CitationNumber = Annotated[int, Path(ge=1, le=1_000_000, description="Permanent citation number.", examples=[3])]


async def find_condition(reply: ReplyDep, slug: ConditionSlug) -> Target[ConditionRecord]:
    return Target(Kind.condition, slug, _named(reply, Kind.condition, reply.snapshot.kb.conditions, slug))


async def find_mechanism(reply: ReplyDep, slug: MechanismSlug) -> Target[MechanismRecord]:
    return Target(Kind.mechanism, slug, _named(reply, Kind.mechanism, reply.snapshot.kb.mechanisms, slug))


async def find_intervention(reply: ReplyDep, slug: InterventionSlug) -> Target[InterventionRecord]:
    records = reply.snapshot.kb.interventions
    return Target(Kind.intervention, slug, _named(reply, Kind.intervention, records, slug))


async def find_citation(reply: ReplyDep, number: CitationNumber) -> Target[CitationRecord]:
    citation = reply.snapshot.kb.citations.get(number)
    if citation is None:
        raise NotFound(f"No citation {number}. GET {collection_url(Kind.citation)} lists them.")
    return Target(Kind.citation, str(number), citation)


async def find_page(reply: ReplyDep, kind: PageKind, slug: PageSlug) -> Target[NamedRecord]:
    """A condition, mechanism or intervention page, named by its plural and slug (for its bibliography or its
    graph)."""
    named = Kind.from_plural(kind.value)
    return Target(named, slug, _named(reply, named, reply.snapshot.kb.named(named), slug))


async def resolve_condition(
    reply: ReplyDep, slug: ConditionSlug, fmt: PageFormatQuery = None
) -> Target[ConditionRecord]:
    return replace(await find_condition(reply, slug), format=fmt)


async def resolve_mechanism(
    reply: ReplyDep, slug: MechanismSlug, fmt: PageFormatQuery = None
) -> Target[MechanismRecord]:
    return replace(await find_mechanism(reply, slug), format=fmt)


async def resolve_intervention(
    reply: ReplyDep, slug: InterventionSlug, fmt: PageFormatQuery = None
) -> Target[InterventionRecord]:
    return replace(await find_intervention(reply, slug), format=fmt)


async def resolve_citation(
    reply: ReplyDep, number: CitationNumber, fmt: CitationFormatQuery = None
) -> Target[CitationRecord]:
    return replace(await find_citation(reply, number), format=fmt)


async def resolve_citing_page(
    reply: ReplyDep, kind: PageKind, slug: PageSlug, fmt: BibliographyFormatQuery = None
) -> Target[NamedRecord]:
    return replace(await find_page(reply, kind, slug), format=fmt)


async def resolve_graphed_page(
    reply: ReplyDep, kind: PageKind, slug: PageSlug, fmt: GraphFormatQuery = None
) -> Target[NamedRecord]:
    return replace(await find_page(reply, kind, slug), format=fmt)


ConditionDep = Annotated[Target[ConditionRecord], Depends(resolve_condition)]
MechanismDep = Annotated[Target[MechanismRecord], Depends(resolve_mechanism)]
InterventionDep = Annotated[Target[InterventionRecord], Depends(resolve_intervention)]
CitationDep = Annotated[Target[CitationRecord], Depends(resolve_citation)]
CitingPageDep = Annotated[Target[NamedRecord], Depends(resolve_citing_page)]
GraphedPageDep = Annotated[Target[NamedRecord], Depends(resolve_graphed_page)]
# The same, for the format's own operations (no `?format=`).
ConditionPath = Annotated[Target[ConditionRecord], Depends(find_condition)]
MechanismPath = Annotated[Target[MechanismRecord], Depends(find_mechanism)]
InterventionPath = Annotated[Target[InterventionRecord], Depends(find_intervention)]
CitationPath = Annotated[Target[CitationRecord], Depends(find_citation)]
PagePath = Annotated[Target[NamedRecord], Depends(find_page)]
