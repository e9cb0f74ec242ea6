"""CSL-JSON, the exchange format of citation managers: the items this API writes, as the official schema
(`csl-data.json`, CSL 1.0.2) names their fields. One model both writes the body and documents it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CslType = Literal["article-journal", "report", "document", "webpage"]


class CslModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class CslName(CslModel):
    """A person (`family`, `given`, `suffix`) or a name kept whole (`literal`: an organisation, `et al`)."""

    family: str | None = Field(default=None, examples=["King"])
    given: str | None = Field(default=None, examples=["L. E."])
    suffix: str | None = Field(default=None, examples=["Jr"])
    literal: str | None = Field(default=None, examples=["U.S. Food and Drug Administration"])


class CslDate(CslModel):
    date_parts: list[list[int]] = Field(alias="date-parts", examples=[[[2014]]])


class CslItem(CslModel):
    """One citation. `status` is `retracted` for a retracted paper (CSL 1.0.2's publication status)."""

    id: str = Field(examples=["hairkb-3"])
    type: CslType
    title: str
    author: list[CslName] | None = None
    container_title: str | None = Field(default=None, alias="container-title", examples=["PLoS Biology"])
    container_title_short: str | None = Field(default=None, alias="container-title-short", examples=["PLoS Biol"])
    publisher: str | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    issued: CslDate | None = None
    status: Literal["retracted"] | None = None
    DOI: str | None = Field(default=None, examples=["10.1371/journal.pbio.1002002"])
    PMID: str | None = Field(default=None, examples=["25536657"])
    PMCID: str | None = Field(default=None, examples=["PMC4275176"])
    URL: str | None = Field(default=None, description="The canonical link (DOI, PubMed, PMC or the publisher's page).")
