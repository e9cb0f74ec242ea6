"""Typed dependencies: the runtime, the generation being served, a reply bound to it, and the entity a path
names — resolved to its record (with the format asked for), or answered with a 308 to its canonical URL, or
a 404."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Request

from app.http.cache import Generation
from app.http.errors import NotFound, Redirect
from app.http.negotiation import FormatQuery
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
    return Reply(request, runtime.generation, runtime.settings.cache_max_age)


ReplyDep = Annotated[Reply, Depends(get_reply)]


def _named(reply: Reply, kind: Kind, records: Mapping[str, R], slug: str, suffix: str = "") -> R:
    record = records.get(slug)
    if record is not None:
        return record
    canonical = reply.snapshot.resolve(kind, slug)
    if canonical is None:
        raise NotFound(f"No {kind} '{slug}'. GET {collection_url(kind)} lists them; /v1/search finds them by name.")
    query = reply.request.url.query
    raise Redirect(f"{url_for(kind, canonical)}{suffix}{'?' + query if query else ''}", reply.max_age)


def _slug(example: str | None = None) -> Any:
    return Path(max_length=200, description="Slug, name or alias (any case).", examples=[example] if example else None)


# `?format=` is a parameter of these dependencies, not of the routes: FastAPI calls a dependency only once
# its own parameters are valid, so a malformed one is a 422 before the path is looked up.


async def resolve_condition(
    reply: ReplyDep, slug: Annotated[str, _slug("telogen-effluvium")], fmt: FormatQuery = None
) -> Target[ConditionRecord]:
    return Target(Kind.condition, slug, _named(reply, Kind.condition, reply.snapshot.kb.conditions, slug), fmt)


async def resolve_mechanism(
    reply: ReplyDep, slug: Annotated[str, _slug("oncostatin-m-jak-stat5")], fmt: FormatQuery = None
) -> Target[MechanismRecord]:
    return Target(Kind.mechanism, slug, _named(reply, Kind.mechanism, reply.snapshot.kb.mechanisms, slug), fmt)


async def resolve_intervention(
    reply: ReplyDep, slug: Annotated[str, _slug("jak-inhibitors")], fmt: FormatQuery = None
) -> Target[InterventionRecord]:
    records = reply.snapshot.kb.interventions
    return Target(Kind.intervention, slug, _named(reply, Kind.intervention, records, slug), fmt)


async def resolve_citation(
    reply: ReplyDep,
    number: Annotated[int, Path(ge=1, le=1_000_000, description="Permanent citation number.", examples=[3])],
    fmt: FormatQuery = None,
) -> Target[CitationRecord]:
    citation = reply.snapshot.kb.citations.get(number)
    if citation is None:
        raise NotFound(f"No citation {number}. GET {collection_url(Kind.citation)} lists them.")
    return Target(Kind.citation, str(number), citation, fmt)


async def resolve_citing_page(
    reply: ReplyDep, kind: PageKind, slug: Annotated[str, _slug()], fmt: FormatQuery = None
) -> Target[NamedRecord]:
    """A condition, mechanism or intervention page, named by its plural and slug (for its bibliography)."""
    named = Kind.from_plural(kind.value)
    return Target(named, slug, _named(reply, named, reply.snapshot.kb.named(named), slug, "/references"), fmt)


async def resolve_graphed_page(
    reply: ReplyDep, kind: PageKind, slug: Annotated[str, _slug()], fmt: FormatQuery = None
) -> Target[NamedRecord]:
    """A condition, mechanism or intervention, named by its plural and slug (for its graph)."""
    named = Kind.from_plural(kind.value)
    return Target(named, slug, _named(reply, named, reply.snapshot.kb.named(named), slug, "/graph"), fmt)


ConditionDep = Annotated[Target[ConditionRecord], Depends(resolve_condition)]
MechanismDep = Annotated[Target[MechanismRecord], Depends(resolve_mechanism)]
InterventionDep = Annotated[Target[InterventionRecord], Depends(resolve_intervention)]
CitationDep = Annotated[Target[CitationRecord], Depends(resolve_citation)]
CitingPageDep = Annotated[Target[NamedRecord], Depends(resolve_citing_page)]
GraphedPageDep = Annotated[Target[NamedRecord], Depends(resolve_graphed_page)]
