"""Field types of the curated records: identifiers, texts, citation numbers and links, each with the rule a
value must meet (validated when the YAML is read, so every problem gets its line and column)."""

from __future__ import annotations

import ipaddress
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.models.vocabulary import DOI_PATTERN, PMCID_PATTERN, PMID_PATTERN, SLUG_PATTERN, URL_PATTERN

# Hosts a reader may be sent to: identifiers' resolvers, regulators and public-health bodies, and journal
# publishers. Where a curator happened to read a record (a mirror, a proxy, an aggregator) is provenance
# (`source_url`), never a link we serve; a host joins this list only after a curator checked it is the
# publisher's or the regulator's own site. Matched as the host itself or any subdomain of it.
CANONICAL_HOSTS = frozenset(
    {
        # identifiers and indexes run by the NLM
        "doi.org",
        "nih.gov",
        "medlineplus.gov",
        # regulators and public-health bodies
        "fda.gov",
        "ema.europa.eu",
        "europa.eu",
        "gov.uk",
        "nhs.uk",
        "pmda.go.jp",
        "tga.gov.au",
        "canada.ca",
        "anm.ro",
        "cdc.gov",
        "who.int",
        # publishers
        "aafp.org",
        "actasdermo.org",
        "advances.umw.edu.pl",
        "arthritis-research.biomedcentral.com",
        "benthamscience.com",
        "biomedcentral.com",
        "bmj.com",
        "brieflands.com",
        "cdriadvlkn.org",
        "cmaj.ca",
        "cochranelibrary.com",
        "cosmoderma.org",
        "dcmq.com.mx",
        "dermnetnz.org",
        "dermsinica.org",
        "dermatol-sinica.com",
        "dovepress.com",
        "dpcj.org",
        "elsevier.es",
        "frontiersin.org",
        "ijdvl.com",
        "ijtrichology.com",
        "intechopen.com",
        "jaad.org",
        "jamanetwork.com",
        "jcadonline.com",
        "jcdr.net",
        "jstage.jst.go.jp",
        "karger.com",
        "lww.com",
        "mdpi.com",
        "medicaljournals.se",
        "msdmanuals.com",
        "nature.com",
        "nejm.org",
        "odermatol.com",
        "psychiatryonline.org",
        "racgp.org.au",
        "scielo.br",
        "springer.com",
        "statpearls.com",
        "symbiosisonlinepublishing.com",
        "termedia.pl",
        "thelancet.com",
        "touchendocrinology.com",
        "uspharmacist.com",
        "viamedica.pl",
        "wiley.com",
        "mums.ac.ir",
        "sciencedirect.com",
        "cell.com",
        "plos.org",
        "oup.com",
        "tandfonline.com",
        "sagepub.com",
    }
)


def canonical_url(url: str) -> str:
    """A link we may show readers: https, a host name (never an IP address) on the canonical list."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise ValueError(f"{url!r} points at an IP address; link the DOI, PubMed, the publisher or the regulator")
    if parts.scheme != "https":
        raise ValueError(f"{url!r} is not https")
    if not any(host == known or host.endswith(f".{known}") for known in CANONICAL_HOSTS):
        raise ValueError(
            f"{host!r} is not a known publisher, regulator or index (see CANONICAL_HOSTS); "
            "keep where you read it in source_url"
        )
    return url


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Doi = Annotated[str, StringConstraints(pattern=DOI_PATTERN)]
Pmid = Annotated[str, StringConstraints(pattern=PMID_PATTERN)]
Pmcid = Annotated[str, StringConstraints(pattern=PMCID_PATTERN)]
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN)]
CanonicalUrl = Annotated[str, StringConstraints(pattern=URL_PATTERN), AfterValidator(canonical_url)]
CitationNumber = Annotated[int, Field(ge=1, le=1_000_000)]
Citations = Annotated[list[CitationNumber], Field(min_length=1)]
Year = Annotated[int, Field(ge=1800, le=2100)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
