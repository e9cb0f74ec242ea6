"""Every page's bibliography from a live server, read by tools the API does not use: biber's data-model
validation on the BibTeX (no error; a missing date only where the source gave no year), and, through ris.mjs,
citation-js on the RIS. Run by check.sh: `python bibliographies.py BASE_URL WORKDIR`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx

PAGES = ("conditions", "mechanisms", "interventions")
MISSING_DATE = re.compile(r"WARN - Datamodel: Entry 'hairkb(\d+)' .*Missing mandatory field - one of 'date, year'")


def _every(http: httpx.Client, path: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    url: str | None = f"{path}?limit=100"
    while url:
        response = http.get(url)
        response.raise_for_status()
        items += response.json()["items"]
        url = response.links.get("next", {}).get("url")
    return items


def main(base: str, work: Path) -> int:
    work.mkdir(parents=True, exist_ok=True)
    with httpx.Client(base_url=base, timeout=30) as http:
        undated = {int(str(c["number"])) for c in _every(http, "/v1/citations") if c["year"] is None}
        pages = [str(item["url"]) for plural in PAGES for item in _every(http, f"/v1/{plural}")]
        for url in pages:
            name = url.strip("/").replace("/", "_")
            for fmt, suffix in (("bibtex", "bib"), ("ris", "ris")):
                (work / f"{name}.{suffix}").write_text(http.get(f"{url}/references/{fmt}").text)
    failures = 0
    warnings = 0
    for bib in sorted(work.glob("*.bib")):
        result = subprocess.run(
            ["biber", "--tool", "--validate-datamodel", "--output-file", str(bib.with_suffix(".out")), str(bib)],
            capture_output=True,
            text=True,
        )
        output = result.stdout + result.stderr
        for line in output.splitlines():
            if line.startswith(("ERROR", "WARN")):
                missing = MISSING_DATE.match(line)
                if missing and int(missing.group(1)) in undated:
                    warnings += 1  # the source gives no year: there is none to write
                else:
                    failures += 1
                    print(f"{bib.name}: {line}", file=sys.stderr)
        if result.returncode != 0:
            failures += 1
            print(f"{bib.name}: biber exited {result.returncode}", file=sys.stderr)
    bibs = len(list(work.glob("*.bib")))
    print(
        f"biber: {bibs} bibliographies validated against the biblatex data model; {failures} problems; "
        f"{warnings} warnings, each a missing date of a citation whose source gives no year"
    )
    ris = subprocess.run(["node", str(Path(__file__).parent / "ris.mjs"), *map(str, sorted(work.glob("*.ris")))])
    return 1 if failures or ris.returncode else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
