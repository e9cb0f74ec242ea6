"""The API's URLs for entities and their collections, built from the kind's plural."""

from __future__ import annotations

from app.models.kind import Kind


def collection_url(kind: Kind) -> str:
    return f"/v1/{kind.plural}"


def url_for(kind: Kind, key: str | int) -> str:
    return f"{collection_url(kind)}/{key}"


def site_url(kind: Kind, key: str | int) -> str:
    """The entity's page on the HTML site: its API URL without the version (`/conditions/alopecia-areata`)."""
    return f"/{kind.plural}/{key}"
