"""The broken-fixture corpus: each file has one kind of mistake; the validator must name its exact place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.ingest.validation import validate_dir
from tests.conftest import FIXTURES, TINY

BROKEN = FIXTURES / "broken"

# fixture name -> the problems it must produce (files relative to the data folder "data").
# Lines that follow from the mistake (a citation renumbered away, a mechanism file that no longer
# parses) are expected too: the validator reports everything at once.
CASES: dict[str, list[str]] = {
    "syntax-unclosed-flow.conditions": [
        "data/conditions.yaml:5:13: YAML syntax error: while parsing a flow sequence: did not find expected ',' or ']'",
    ],
    "bad-indentation.conditions": [
        "data/conditions.yaml:6:4: YAML syntax error: while parsing a block collection: did not find expected "
        "'-' indicator",
    ],
    "tab-indentation.mechanisms": [
        "data/mechanisms.yaml:8:1: YAML syntax error: tab character in indentation (YAML indents with spaces only)",
    ],
    "duplicate-key.conditions": [
        "data/conditions.yaml:6:5: conditions[0].category: duplicate key (first defined at line 5)",
    ],
    "non-utf8.conditions": [
        "data/conditions.yaml:10:34: file is not valid UTF-8 (byte 0xe9)",
    ],
    "wrong-type-list.conditions": [
        "data/conditions.yaml:40:14: conditions[1].aliases: Input should be a valid list",
    ],
    "wrong-type-year.citations": [
        "data/citations.yaml:8:11: citations[0].year: Input should be a valid integer, unable to parse string "
        "as an integer",
    ],
    "unknown-key.mechanisms": [
        "data/mechanisms.yaml:20:5: mechanisms[1].molecule_count: unknown key 'molecule_count'",
    ],
    "missing-key.conditions": [
        "data/conditions.yaml:2:5: conditions[0].last_reviewed: required key is missing",
    ],
    "bad-slug.conditions": [
        "data/conditions.yaml:38:11: conditions[1].slug: 'Frontal_Scarring' is not a slug: lowercase letters "
        "and digits separated by single hyphens",
    ],
    "bad-doi.citations": [
        "data/citations.yaml:31:10: citations[1].doi: 'doi.org/ajpath.2010.100454' is not a DOI such as "
        "10.1371/journal.pbio.1002002",
    ],
    "unquoted-pmid.citations": [
        "data/citations.yaml:32:11: citations[1].pmid: expected text, got the number 20889564; quote it",
    ],
    "bad-date.mechanisms": [
        "data/mechanisms.yaml:13:20: mechanisms[0].last_reviewed: invalid date '2026-13-02': month must be in 1..12",
    ],
    "bad-enum.conditions": [
        "data/conditions.yaml:41:15: conditions[1].category: Input should be 'scarring' or 'non-scarring'",
    ],
    "unknown-marker.conditions": [
        "data/conditions.yaml:61:49: conditions[1].sections[0].body: marker [7] points at no citation",
    ],
    "uncited-sentence.conditions": [
        "data/conditions.yaml:61:54: conditions[1].sections[0].body: sentence has no citation marker: 'It is common.'",
    ],
    "uncited-citation.citations": [
        "data/citations.yaml:64:13: citations[3].number: citation 4 is cited by no page",
    ],
    "unknown-citation-in-list.conditions": [
        "data/conditions.yaml:56:24: conditions[1].mechanisms[1].citations[1]: citation 9 does not exist",
    ],
    "unknown-mechanism.conditions": [
        "data/conditions.yaml:54:15: conditions[1].mechanisms[1].slug: unknown mechanism 'macrophage-clock'",
    ],
    "unknown-parent.conditions": [
        "data/conditions.yaml:42:13: conditions[1].parent: unknown condition 'scaring-alopecia'",
    ],
    "parent-cycle.conditions": [
        "data/conditions.yaml:6:13: conditions[0].parent: parent chain of 'scarring-alopecia' loops back to itself",
        "data/conditions.yaml:42:13: conditions[1].parent: parent chain of 'frontal-scarring' loops back to itself",
    ],
    "duplicate-slug.mechanisms": [
        "data/conditions.yaml:54:15: conditions[1].mechanisms[1].slug: unknown mechanism 'macrophage-timing'",
        "data/interventions.yaml:16:15: interventions[0].mechanisms[0].slug: unknown mechanism 'macrophage-timing'",
        "data/mechanisms.yaml:14:11: mechanisms[1].slug: mechanism slug 'stem-cell-loss' is already used at "
        "data/mechanisms.yaml:2",
    ],
    "duplicate-number.citations": [
        "data/citations.yaml:21:13: citations[1].number: citation number 1 is already used at data/citations.yaml:2",
    ],
    "alias-clash.mechanisms": [
        "data/mechanisms.yaml:4:29: mechanisms[0].aliases[1]: name or alias 'cicatricial alopecia' is already "
        "used at data/conditions.yaml:4",
    ],
    "yaml-anchor-alias.mechanisms": [
        "data/mechanisms.yaml:19:16: YAML anchors and aliases are not allowed in data files",
    ],
    "empty-file.mechanisms": [
        "data/mechanisms.yaml:1:1: file is empty",
    ],
    "retracted-as-support.citations": [
        "data/conditions.yaml:56:21: conditions[1].mechanisms[1].citations[0]: retracted citation 1 cited as "
        "support (use role: retracted-source)",
        "data/conditions.yaml:62:11: conditions[1].sections[0].body: retracted citation 1 cited as support (a "
        "sentence citing it must be about the retraction)",
        "data/conditions.yaml:79:52: conditions[1].presentation.age.citations[1]: retracted citation 1 cited "
        "as support (use role: retracted-source)",
        "data/interventions.yaml:6:14: interventions[0].summary: retracted citation 1 cited as support (a "
        "sentence citing it must be about the retraction)",
        "data/interventions.yaml:10:18: interventions[0].uses[0].summary: retracted citation 1 cited as "
        "support (a sentence citing it must be about the retraction)",
        "data/interventions.yaml:13:25: interventions[0].uses[0].evidence[0].citations[0]: retracted citation "
        "1 cited as support (use role: retracted-source)",
        "data/interventions.yaml:18:21: interventions[0].mechanisms[0].citations[0]: retracted citation 1 "
        "cited as support (use role: retracted-source)",
        "data/interventions.yaml:20:7: interventions[0].body: retracted citation 1 cited as support (a "
        "sentence citing it must be about the retraction)",
        "data/mechanisms.yaml:17:14: mechanisms[1].summary: retracted citation 1 cited as support (a sentence "
        "citing it must be about the retraction)",
        "data/mechanisms.yaml:23:7: mechanisms[1].body: retracted citation 1 cited as support (a sentence "
        "citing it must be about the retraction)",
    ],
    "retracted-source-not-retracted.interventions": [
        "data/interventions.yaml:12:11: interventions[0].uses[0].evidence: grade investigational needs "
        "evidence that is not a retracted source",
        "data/interventions.yaml:12:19: interventions[0].uses[0].evidence[0].role: role retracted-source lists "
        "a citation that is not marked retracted",
    ],
    "unknown-condition-in-use.interventions": [
        "data/interventions.yaml:8:20: interventions[0].uses[0].condition: unknown condition 'scarring-alopecias'",
    ],
    "bad-grade.interventions": [
        "data/interventions.yaml:9:16: interventions[0].uses[0].grade: Input should be 'approved', "
        "'supported-by-rcts', 'limited', 'investigational', 'no-evidence' or 'discredited'",
    ],
    "wrong-top-level.mechanisms": [
        "data/conditions.yaml:15:15: conditions[0].mechanisms[0].slug: unknown mechanism 'stem-cell-loss'",
        "data/conditions.yaml:51:15: conditions[1].mechanisms[0].slug: unknown mechanism 'stem-cell-loss'",
        "data/conditions.yaml:54:15: conditions[1].mechanisms[1].slug: unknown mechanism 'macrophage-timing'",
        "data/interventions.yaml:16:15: interventions[0].mechanisms[0].slug: unknown mechanism 'macrophage-timing'",
        "data/mechanisms.yaml:1:1: the file must be a mapping with the single key 'mechanisms' (found 'mechanism')",
    ],
    "missing-section.conditions": [
        "data/conditions.yaml:19:7: conditions[0].sections: missing required section 'when-to-see-a-doctor' "
        "(every condition has: overview, symptoms, causes, diagnosis, treatment, outlook, when-to-see-a-doctor)",
    ],
    "facet-not-backed.conditions": [
        "data/conditions.yaml:30:50: conditions[0].presentation.pattern.citations[1]: citation 1 backs this facet "
        "but no section of the page cites it",
    ],
    "bad-facet-value.conditions": [
        "data/conditions.yaml:31:24: conditions[0].presentation.onset.values[0]: Input should be 'sudden' or 'gradual'",
    ],
    "approved-without-record.interventions": [
        "data/interventions.yaml:38:16: interventions[1].uses[0].grade: grade approved needs a regulatory record "
        "(status approved, cleared or otc) whose conditions include 'scarring-alopecia'",
    ],
    "drug-without-safety.interventions": [
        "data/interventions.yaml:25:11: interventions[1].kind: a drug needs a safety block (common, serious, "
        "pregnancy, contraindications…)",
    ],
    "drug-without-pregnancy.interventions": [
        "data/interventions.yaml:45:7: interventions[1].safety: a drug's safety block needs 'pregnancy'",
    ],
    "uncited-safety.interventions": [
        "data/interventions.yaml:46:60: interventions[1].safety.pregnancy: sentence has no citation marker: "
        "'Ask a doctor.'",
    ],
    "unknown-regulatory-condition.interventions": [
        "data/interventions.yaml:31:41: interventions[1].regulatory[0].conditions[1]: unknown condition 'baldness'",
    ],
    "too-many-findings.citations": [
        "data/citations.yaml:23:9: citations[0].findings[3]: 4 findings; at most 3 for publication type "
        "original-research (keep the excerpts the sentences citing it rely on)",
    ],
    "ip-address-link.citations": [
        "data/citations.yaml:55:10: citations[2].url: 'https://203.0.113.7/follicor-label' points at an IP "
        "address; link the DOI, PubMed, the publisher or the regulator",
    ],
    "mirror-link.citations": [
        "data/citations.yaml:55:10: citations[2].url: 'www.scribd.com' is not a known publisher, regulator or "
        "index (see CANONICAL_HOSTS); keep where you read it in source_url",
    ],
    "plain-http-link.citations": [
        "data/citations.yaml:55:10: citations[2].url: 'http://www.fda.gov/follicor-test-label' is not https",
    ],
    "no-findings.citations": ["data/citations.yaml:21:5: citations[1].findings: required key is missing"],
}


def test_every_fixture_file_has_a_case() -> None:
    assert sorted(p.name.removesuffix(".yaml") for p in BROKEN.glob("*.yaml")) == sorted(CASES)
    assert len(CASES) >= 15


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_fixture_is_reported_at_its_location(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    target = name.split(".")[1]
    shutil.copy(BROKEN / f"{name}.yaml", data / f"{target}.yaml")
    monkeypatch.chdir(tmp_path)

    kb, problems = validate_dir(Path("data"))

    assert kb is None
    reported = [str(p) for p in problems]
    # Marker lines that only repeat the consequence of a renumbered citation are checked separately.
    if name == "duplicate-number.citations":
        reported = [line for line in reported if "[2]" not in line and "citation 2 does" not in line]
    assert reported == CASES[name]


def test_renumbered_citation_leaves_every_marker_to_it_dangling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    shutil.copy(BROKEN / "duplicate-number.citations.yaml", data / "citations.yaml")
    monkeypatch.chdir(tmp_path)

    _, problems = validate_dir(Path("data"))

    dangling = [str(p) for p in problems if "[2] points at no citation" in str(p)]
    text_fields = 21  # every text in the tiny dataset that cites [2]
    assert len(dangling) == text_fields


def test_valid_tiny_fixture_has_no_problems() -> None:
    kb, problems = validate_dir(TINY)
    assert problems == []
    assert kb is not None
    assert kb.counts() == {"conditions": 2, "mechanisms": 2, "interventions": 2, "citations": 3}


def test_unknown_and_missing_files_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    (data / "mechanisms.yaml").rename(data / "mechanism.yaml")
    monkeypatch.chdir(tmp_path)

    _, problems = validate_dir(Path("data"))

    assert [str(p) for p in problems] == [
        "data/mechanism.yaml:1:1: unknown data file (expected one of citations.yaml, conditions.yaml, "
        "mechanisms.yaml, interventions.yaml)",
        "data/mechanisms.yaml:1:1: required data file is missing",
    ]
