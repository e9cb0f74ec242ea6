"""The hostile data corpus: files that once crashed, hung or exhausted the validator (issue 17), each with
what the refusal says. Each case replaces conditions.yaml in a copy of the tiny dataset.

`hairkb validate` gets every case at the size of the report. The reloading server gets every kind of case;
to keep the suite within minutes it skips the 3-million-key file (refused by the same value limit as the
60 MB file, which it gets) and gets the problem-cap case at 2 MB instead of 5 (a million problems still)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.ingest.yaml_rules import MAX_DEPTH


@dataclass(frozen=True)
class Case:
    name: str
    install: Callable[[Path, Path], None]  # (data folder, a scratch folder outside it)
    expected: str  # in the first problem listed
    validate: bool = True  # run through `hairkb validate`
    server: bool = True  # swapped into a reloading server's folder


def _written(chunks: Callable[[], Iterator[str]]) -> Callable[[Path, Path], None]:
    """Written beside conditions.yaml, then renamed over it: a watching server sees the whole file at once."""

    def install(data: Path, _outside: Path) -> None:
        scratch = data / ".conditions.partial"
        with scratch.open("w") as out:
            out.writelines(chunks())
        os.replace(scratch, data / "conditions.yaml")

    return install


def _text(content: str) -> Callable[[Path, Path], None]:
    return _written(lambda: iter([content]))


def _lines(head: str, line: str, count: int) -> Callable[[Path, Path], None]:
    def chunks() -> Iterator[str]:
        yield head
        for start in range(0, count, 100_000):
            yield line * min(100_000, count - start)

    return _written(chunks)


def _keys(count: int) -> Callable[[Path, Path], None]:
    def chunks() -> Iterator[str]:
        yield "conditions:\n"
        for start in range(0, count, 100_000):
            yield "".join(f"  k{i}: 1\n" for i in range(start, min(start + 100_000, count)))

    return _written(chunks)


def _special(kind: str) -> Callable[[Path, Path], None]:
    def install(data: Path, outside: Path) -> None:
        target = data / "conditions.yaml"
        target.unlink(missing_ok=True)
        if kind == "fifo":
            os.mkfifo(target)
        elif kind == "dev-zero":
            target.symlink_to("/dev/zero")
        else:
            (outside / "conditions.yaml").write_text("conditions: []\n")
            target.symlink_to(outside / "conditions.yaml")

    return install


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

CORPUS = [
    # 100 KB that segfaulted the positioned re-read (a recursive composer), in validate and in the server.
    Case("deep flow sequences", _text("[" * 50_000 + "]" * 50_000), f"nesting deeper than {MAX_DEPTH} levels"),
    Case("deep flow mappings", _text("{a: " * 30_000 + "1" + "}" * 30_000), f"nesting deeper than {MAX_DEPTH} levels"),
    # 5 MB of one-line records: 5 million problems, 92 s and 3 GB before they were capped.
    Case(
        "5 MB of '- slug: x'", _lines("conditions:\n", "- slug: x\n", 500_000), "required key is missing", server=False
    ),
    Case(
        "2 MB of '- slug: x'",
        _lines("conditions:\n", "- slug: x\n", 200_000),
        "required key is missing",
        validate=False,
    ),
    # 60 MB, under the 64 MB limit: "memory allocation failed".
    Case("60 MB of '- slug: x'", _lines("conditions:\n", "- slug: x\n", 6_000_000), "values in one file"),
    # 3 million keys in one mapping: aborted at 5.7 GB.
    Case("3 million keys", _keys(3_000_000), "values in one file", server=False),
    Case("billion laughs", _text(BILLION_LAUGHS), "anchors and aliases are not allowed"),
    # Read until MemoryError; hung forever; followed silently.
    Case("link to /dev/zero", _special("dev-zero"), "outside the data folder"),
    Case("FIFO", _special("fifo"), "not a regular file"),
    Case("link out of the folder", _special("outside"), "outside the data folder"),
]
