"""The "what could this be" navigator: conditions whose presentation matches what a person sees, which of
the asked features each one matches, and how many conditions each further choice would leave."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from app.models.condition import ConditionListItem, ConditionSummary
from app.models.presentation import Facet, Who
from app.models.record import ConditionRecord

# What a person asked for: per facet, the values any of which will do (empty facets are not asked).
Wanted = Mapping[Facet, frozenset[str]]


def _values(cond: ConditionRecord, facet: Facet) -> set[str]:
    """A condition's values of a facet; one that affects everyone (`who: all`) answers any `who`."""
    values = set(cond.presentation.values(facet))
    if facet is Facet.who and Who.all.value in values:
        values |= {w.value for w in Who}
    return values


def _matches(cond: ConditionRecord, wanted: Wanted, skip: Facet | None = None) -> bool:
    """AND across facets, OR within one."""
    return all(facet is skip or not asked or _values(cond, facet) & asked for facet, asked in wanted.items())


def matching(conditions: Iterable[ConditionRecord], wanted: Wanted) -> list[ConditionRecord]:
    return [cond for cond in conditions if _matches(cond, wanted)]


def item(summary: ConditionSummary, cond: ConditionRecord, wanted: Wanted) -> ConditionListItem:
    """A list entry: the summary, the condition's presentation and which asked values it has."""
    return ConditionListItem(
        **summary.model_dump(),
        presentation={facet.value: cond.presentation.values(facet) for facet in Facet},
        matched={
            facet.value: sorted(_values(cond, facet) & asked, key=list(facet.vocabulary).index)
            for facet, asked in wanted.items()
            if asked
        },
    )


def facet_counts(conditions: Sequence[ConditionRecord], wanted: Wanted) -> dict[str, dict[str, int]]:
    """For every value of every facet, how many conditions the list would hold with that value chosen in
    its facet while the other facets keep their choices (the usual faceted-search counts: choosing within
    a facet widens, so a facet's own choice does not narrow its counts)."""
    counts: dict[str, dict[str, int]] = {}
    for facet in Facet:
        others = [cond for cond in conditions if _matches(cond, wanted, skip=facet)]
        counts[facet.value] = {
            value.value: sum(1 for cond in others if value.value in _values(cond, facet)) for value in facet.vocabulary
        }
    return counts
