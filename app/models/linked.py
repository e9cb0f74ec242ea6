"""The shape of the schema.org JSON-LD documents this API serves, for OpenAPI and generated clients: a
MedicalWebPage for each condition, mechanism and intervention, and a ScholarlyArticle for each citation.
Nodes may carry more schema.org properties than the ones named here."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class LinkedNode(BaseModel):
    """A schema.org node; `@id` is an absolute URL where the node has one."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    type: str | list[str] = Field(alias="@type", examples=["MedicalCondition"])
    id: str | None = Field(default=None, alias="@id", examples=["https://hairkb.example/v1/conditions/alopecia-areata"])
    name: str | None = Field(default=None, examples=["Alopecia areata"])


class LinkedRef(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(alias="@id")


class LinkedArticle(LinkedNode):
    type: Literal["ScholarlyArticle"] = Field(alias="@type")
    id: str = Field(alias="@id", examples=["https://hairkb.example/v1/citations/3"])
    name: str
    url: str | None = Field(default=None, description="The canonical link: DOI, PubMed, PMC or the publisher's page.")
    creativeWorkStatus: Literal["Retracted"] | None = None


class ArticleDocument(LinkedArticle):
    """A citation as schema.org JSON-LD."""

    context: Literal["https://schema.org"] = Field(alias="@context")


class PageDocument(BaseModel):
    """A condition, mechanism or intervention page as schema.org JSON-LD: a MedicalWebPage whose
    `mainEntity` (and `about`) is the MedicalCondition, MedicalEntity, Drug, MedicalProcedure,
    DietarySupplement, MedicalDevice or MedicalTherapy it describes."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    context: Literal["https://schema.org"] = Field(alias="@context")
    type: Literal["MedicalWebPage"] = Field(alias="@type")
    id: str = Field(alias="@id", examples=["https://hairkb.example/v1/conditions/alopecia-areata"])
    url: str
    name: str
    description: str
    inLanguage: str = Field(examples=["en"])
    dateModified: dt.date
    lastReviewed: dt.date
    publisher: LinkedNode
    medicalAudience: list[LinkedNode]
    mainEntity: LinkedNode
    about: LinkedRef
    citation: list[LinkedArticle] | None = None
