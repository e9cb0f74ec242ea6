"""What the search index holds per entity: the texts of its five weighted fields, the exact strings that
name it, and the spelling variants the knowledge base vouches for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from app.models.kind import Kind
from app.models.knowledge import KnowledgeBase
from app.models.vocabulary import CELL_TYPE_LABELS, CodeMatch
from app.readmodel.urls import url_for
from app.text.fold import fold, words
from app.text.markers import cited_numbers, strip_markers

# Order of FTS5 columns (their BM25 weights are in index.py): name, aliases, summary, body, reference text.
COLUMNS = ("name", "aliases", "summary", "body", "refs")


@dataclass(frozen=True, slots=True)
class Indexed:
    """What a hit needs of a document once its texts are in the index."""

    type: Kind
    key: str  # slug, or citation number as text
    title: str

    @property
    def url(self) -> str:
        return url_for(self.type, self.key)


@dataclass(frozen=True, slots=True)
class SearchDoc(Indexed):
    fields: tuple[str, str, str, str, str]  # in COLUMNS order
    exact: tuple[str, ...]  # folded strings that, typed alone, mean this document


def documents(kb: KnowledgeBase) -> Iterator[SearchDoc]:
    """One search document per entity, kind by kind (conditions, mechanisms, interventions, citations)."""
    ref_text = {n: " ".join(filter(None, [c.title, *(c.authors or []), c.journal])) for n, c in kb.citations.items()}

    def refs(numbers: Iterable[int]) -> str:
        return " ".join(ref_text[n] for n in dict.fromkeys(numbers) if n in ref_text)

    for cond in kb.conditions.values():
        texts = [cond.summary, cond.immune_involvement.text, cond.reversibility.text]
        body = [*(f"{s.title}\n{s.body}" for s in cond.sections), *texts[1:]]
        body += [f"{kb.mechanisms[m.slug].name}: {m.role}" for m in cond.mechanisms if m.slug in kb.mechanisms]
        numbers = cited_numbers("\n".join([*texts, *(s.body for s in cond.sections)]))
        codes = [c.curie for c in cond.codes] + [c.code for c in cond.codes]
        # A code names this page when it is the page's own concept; a broader or narrower one only mentions it.
        own = [x for c in cond.codes if c.match == CodeMatch.exact for x in (c.curie, c.code)]
        yield SearchDoc(
            Kind.condition,
            cond.slug,
            cond.name,
            (
                cond.name,
                " | ".join([*cond.aliases, *codes]),
                strip_markers(cond.summary),
                strip_markers("\n".join(body)),
                refs(numbers),
            ),
            tuple(fold(x) for x in (cond.name, cond.slug, *cond.aliases, *own)),
        )
    for mech in kb.mechanisms.values():
        labels = [*mech.aliases, *mech.molecules, *(CELL_TYPE_LABELS[c] for c in mech.cell_types)]
        yield SearchDoc(
            Kind.mechanism,
            mech.slug,
            mech.name,
            (
                mech.name,
                " | ".join(labels),
                strip_markers(mech.summary),
                strip_markers(mech.body),
                refs(cited_numbers(f"{mech.summary}\n{mech.body}")),
            ),
            tuple(fold(x) for x in (mech.name, mech.slug, *mech.aliases)),
        )
    for item in kb.interventions.values():
        uses = [f"{kb.conditions[u.condition].name}: {u.summary}" for u in item.uses if u.condition in kb.conditions]
        numbers = [n for u in item.uses for e in u.evidence for n in e.citations]
        products = [p for r in item.regulatory for p in r.products]
        decisions = [f"{r.agency.value} {r.status.value}: {r.indication}" for r in item.regulatory]
        blocks = [b.model_dump(exclude_none=True) for b in (item.safety, item.usage) if b is not None]
        label = [text for block in blocks for text in block.values()]
        yield SearchDoc(
            Kind.intervention,
            item.slug,
            item.name,
            (
                item.name,
                " | ".join(dict.fromkeys([*item.aliases, *products])),
                strip_markers(item.summary),
                strip_markers("\n".join([*uses, *decisions, *label, item.body])),
                refs(numbers),
            ),
            tuple(fold(x) for x in (item.name, item.slug, *item.aliases, *products)),
        )
    for number, cit in kb.citations.items():
        identifiers = [cit.journal, cit.journal_abbrev, cit.doi, cit.pmid, cit.pmcid]
        yield SearchDoc(
            Kind.citation,
            str(number),
            cit.title,
            (
                cit.title,
                " | ".join(filter(None, [*(cit.authors or []), *identifiers])),
                # The journal here too, so that its words are in the vocabulary typos are corrected to.
                " ".join(
                    filter(None, [cit.publication_type.value, cit.publication_detail, cit.journal, str(cit.year or "")])
                ),
                "\n".join([*(f.text for f in cit.findings), cit.notes or ""]),
                "",
            ),
            # DOIs and PubMed ids are ASCII without runs of spaces: lower() is all the folding they need.
            tuple(x.lower() if x is not cit.journal else fold(x) for x in identifiers if x),
        )


def spelling_variants(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Word variants the knowledge base itself vouches for: where a name and an alias of one entity differ
    only by close spellings of single words (signalling/signaling, polarisation/polarization)."""
    variants: dict[str, set[str]] = defaultdict(set)
    names = [(record.name, record.aliases) for kind in Kind.with_names() for record in kb.named(kind).values()]
    for name, aliases in names:
        forms = [words(text) for text in (name, *aliases)]
        for i, a in enumerate(forms):
            for b in forms[i + 1 :]:
                if len(a) != len(b):
                    continue
                pairs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
                if len(pairs) == 1:
                    x, y = pairs[0]
                    if min(len(x), len(y)) >= 4 and OSA.distance(x, y) <= 2:
                        variants[x].add(y)
                        variants[y].add(x)
    return dict(variants)
