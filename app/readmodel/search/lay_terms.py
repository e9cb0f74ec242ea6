"""Everyday words people type about hair loss and the clinical words the pages use for the same thing.

A query word is searched as itself OR its equivalents, so "itchy scalp" finds pages that say "itch" and
"pruritus", and "bald patch child" finds "children" and "paediatric". The list is curated for the
domain, not derived from any query set: a pair belongs here only if a dermatologist would read the two as
the same thing in a search box. Each group is one meaning; every word of a group stands for the others.
"""

from __future__ import annotations

GROUPS: tuple[tuple[str, ...], ...] = (
    ("baby", "babies", "childbirth", "postpartum", "delivery"),
    ("pregnancy", "pregnant", "gestation"),
    ("pill", "contraceptive", "contraceptives", "contraception"),
    ("child", "children", "kid", "kids", "paediatric", "pediatric", "childhood"),
    ("teenager", "teen", "adolescent", "adolescents"),
    ("itchy", "itch", "itching", "pruritus"),
    ("flaky", "flakes", "scaling", "scaly", "scale", "dandruff"),
    ("sore", "painful", "pain", "tender", "burning", "trichodynia"),
    ("red", "redness", "erythema", "inflamed"),
    ("bald", "baldness", "alopecia"),
    ("patch", "patches", "patchy", "spot", "spots"),
    ("clumps", "handfuls", "shedding", "shed"),
    ("thinning", "thin", "sparse", "sparser"),
    ("breaking", "breakage", "breaks", "brittle", "fragile", "fragility"),
    ("pulling", "plucking", "trichotillomania"),
    ("ringworm", "tinea", "dermatophyte"),
    ("scar", "scarring", "scarred", "cicatricial"),
    ("permanent", "irreversible"),
    ("hairline", "frontal"),
    ("crown", "vertex"),
    ("braids", "braid", "cornrows", "weaves", "extensions", "traction"),
    ("chemo", "chemotherapy"),
    ("thyroid", "hypothyroidism", "hyperthyroidism"),
    ("iron", "ferritin", "anaemia", "anemia"),
    ("stress", "stressful"),
    ("surgery", "operation", "postoperative"),
    ("men", "male", "man"),
    ("women", "female", "woman"),
    ("cure", "treatment", "treat", "therapy"),
    ("side", "adverse"),
)


def lay_variants() -> dict[str, set[str]]:
    """Each word of a group, mapped to the other words of its group."""
    variants: dict[str, set[str]] = {}
    for group in GROUPS:
        for word in group:
            variants.setdefault(word, set()).update(w for w in group if w != word)
    return variants
