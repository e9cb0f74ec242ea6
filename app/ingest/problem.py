"""Where a problem in a data file is and what it says: positions, problems, and paths into a document."""

from __future__ import annotations

from dataclasses import dataclass

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
