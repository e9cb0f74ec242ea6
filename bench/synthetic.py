"""Generates a synthetic knowledge base of a given size that passes `hairkb validate`.

.venv/bin/python -m bench.synthetic OUT_DIR [--entities 10000] [--citations 100000]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

SYLLABLES = [a + b for a in "kl mnrstvzpdfghj" if a != " " for b in "aeiou"]
CELL_TYPES = ["macrophage", "t-cell", "cytotoxic-t-cell", "hair-follicle-stem-cell", "dermal-papilla-cell"]
EFFECTS = ["promotes-anagen", "maintains-telogen-quiescence", "induces-catagen", "drives-inflammation"]
# Every condition page has these sections (app.models.record.REQUIRED_SECTIONS) and every presentation facet.
SECTIONS = ("overview", "symptoms", "causes", "diagnosis", "treatment", "outlook", "when-to-see-a-doctor")
PRESENTATION = {
    "pattern": ["diffuse", "patchy", "vertex-crown"],
    "onset": ["sudden", "gradual"],
    "course": ["acute", "chronic", "relapsing"],
    "scarring": ["no", "yes", "possible"],
    "scalp_findings": ["none", "redness", "scale"],
    "who": ["women", "men", "all"],
    "age": ["children", "adults", "older-adults"],
}


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _sentence(rng: random.Random, vocab: list[str], cites: list[int]) -> str:
    text = " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 16))).capitalize()
    return f"{text} [{', '.join(map(str, cites))}]."


def generate(out: Path, entities: int, citations: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    vocab = sorted({_word(rng) for _ in range(40_000)})
    numbers = list(range(1, citations + 1))
    per_entity = max(1, citations // entities)
    chunks = [numbers[i * per_entity : (i + 1) * per_entity] for i in range(entities)]
    chunks[-1] += numbers[entities * per_entity :]  # every citation is cited somewhere

    cits = [
        {
            "number": n,
            "authors": [f"{_word(rng).capitalize()} {rng.choice('ABCDEFGH')}" for _ in range(3)],
            "authors_complete": True,
            "title": " ".join(rng.choice(vocab) for _ in range(8)).capitalize(),
            "journal": f"Journal of {_word(rng).capitalize()}",
            "year": rng.randint(1990, 2025),
            "volume": str(rng.randint(1, 200)),
            "issue": str(rng.randint(1, 12)),
            "pages": f"{n}-{n + 9}",
            "doi": f"10.{1000 + n % 9000}/synthetic.{n}",
            "pmid": str(10_000_000 + n),
            "pmcid": None,
            "publication_type": rng.choice(["review", "original-research"]),
            "organism": rng.choice(["human", "mouse", "both"]),
            "source_url": f"https://example.org/paper/{n}",
            "findings": [{"text": " ".join(rng.choice(vocab) for _ in range(12)).capitalize(), "where": "abstract"}],
        }
        for n in numbers
    ]
    n_mech = entities // 2
    mechanisms, conditions = [], []
    for i in range(n_mech):
        cites = chunks[i]
        body = "\n".join(_sentence(rng, vocab, cites[j : j + 2]) for j in range(0, len(cites), 2))
        mechanisms.append(
            {
                "slug": f"mechanism-{i}",
                "name": f"Mechanism {_word(rng)} {i}",
                "aliases": [f"mech alias {i}"],
                "summary": _sentence(rng, vocab, cites[:1]),
                "hair_cycle_effects": [rng.choice(EFFECTS)],
                "molecules": [_word(rng).upper()],
                "cell_types": [rng.choice(CELL_TYPES)],
                "evidence_organism": "both",
                "body": body,
                "last_reviewed": "2026-01-01",
            }
        )
    for i in range(entities - n_mech):
        cites = chunks[n_mech + i]
        sections = [
            {
                "id": section,
                "title": section.replace("-", " ").capitalize(),
                "body": "\n".join(_sentence(rng, vocab, cites[j : j + 2]) for j in range(2 * k, len(cites), 14))
                or _sentence(rng, vocab, cites[:1]),
            }
            for k, section in enumerate(SECTIONS)
        ]
        conditions.append(
            {
                "slug": f"condition-{i}",
                "name": f"Condition {_word(rng)} {i}",
                "aliases": [f"cond alias {i}"],
                "category": rng.choice(["scarring", "non-scarring"]),
                "parent": f"condition-{rng.randrange(i)}" if i and rng.random() < 0.3 else None,
                "immune_involvement": {"class": "secondary", "text": _sentence(rng, vocab, cites[:1])},
                "summary": _sentence(rng, vocab, cites[:1]),
                "reversibility": {"class": "variable", "text": _sentence(rng, vocab, cites[:1])},
                "mechanisms": [
                    {"slug": f"mechanism-{rng.randrange(n_mech)}", "role": "Synthetic role.", "citations": cites[:1]}
                ],
                "sections": sections,
                "presentation": {
                    facet: {"values": [rng.choice(values)], "citations": cites[:1]}
                    for facet, values in PRESENTATION.items()
                },
                "last_reviewed": "2026-01-01",
            }
        )
    interventions = [
        {
            "slug": f"intervention-{i}",
            "name": f"Intervention {_word(rng)} {i}",
            "aliases": [f"treatment alias {i}"],
            "kind": rng.choice(["supplement", "behavioural", "cosmetic"]),  # kinds that need no label safety block
            "summary": _sentence(rng, vocab, chunks[i][:1]),
            "uses": [
                {
                    "condition": f"condition-{rng.randrange(entities - n_mech)}",
                    "grade": "limited",
                    "summary": _sentence(rng, vocab, chunks[i][:1]),
                    "evidence": [{"role": "supports", "citations": chunks[i][:1], "finding": "Synthetic."}],
                }
            ],
            "mechanisms": [],
            "body": _sentence(rng, vocab, chunks[i][:1]),
            "last_reviewed": "2026-01-01",
        }
        for i in range(max(1, entities // 100))
    ]
    out.mkdir(parents=True, exist_ok=True)
    files = (
        ("citations", cits),
        ("conditions", conditions),
        ("mechanisms", mechanisms),
        ("interventions", interventions),
    )
    for name, items in files:
        with (out / f"{name}.yaml").open("w") as handle:
            yaml.dump({name: items}, handle, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=10_000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--citations", type=int, default=100_000)
    args = parser.parse_args()
    generate(args.out, args.entities, args.citations)


if __name__ == "__main__":
    main()
