"""Where a problem in a data file is and what it says: positions, problems (a bounded collection of them),
and paths into a document."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

PathKey = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


ORIGIN = Position(1, 1)


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a data file, printed as `path:line:column: message`."""

    file: str
    position: Position
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.position.line}:{self.position.column}: {self.message}"


def dotted(path: PathKey) -> str:
    """`conditions[3].sections[0].body` for ("conditions", 3, "sections", 0, "body")."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


MAX_PROBLEMS = 200
MAX_MESSAGE_CHARS = 500


class Problems(list[Problem]):
    """The problems found so far: the first MAX_PROBLEMS are kept (messages cut to MAX_MESSAGE_CHARS), the
    rest only counted, so that a file with millions of mistakes costs no more to report than one with a few."""

    def __init__(self) -> None:
        super().__init__()
        self.more = 0

    @property
    def full(self) -> bool:
        return len(self) >= MAX_PROBLEMS

    def append(self, problem: Problem) -> None:
        if self.full:
            self.more += 1
        elif len(problem.message) > MAX_MESSAGE_CHARS:
            super().append(Problem(problem.file, problem.position, problem.message[:MAX_MESSAGE_CHARS] + "…"))
        else:
            super().append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def add(self, number: int, build: Callable[..., Iterable[Problem]], *args: Any) -> None:
        """Add `number` problems that `build(*args)` describes, calling it only while there is room."""
        if self.full:
            self.more += number
        else:
            self.extend(build(*args))

    @property
    def total(self) -> int:
        return len(self) + self.more

    def report(self) -> Problems:
        """The kept problems in file order (deduplicated), still counting the ones not kept."""
        ordered = Problems()
        list.extend(ordered, sorted(set(self), key=lambda p: (p.file, p.position, p.message)))
        ordered.more = self.more
        return ordered


def describe(problems: Sequence[Problem]) -> list[str]:
    """One line per problem, and a last one saying how many more there were when not all were kept."""
    lines = [str(problem) for problem in problems]
    more = total(problems) - len(problems)
    if more:
        lines.append(f"… and {more} more problem(s) (only the first {len(problems)} are listed)")
    return lines


def total(problems: Sequence[Problem]) -> int:
    """How many problems were found, including those not kept."""
    return problems.total if isinstance(problems, Problems) else len(problems)
