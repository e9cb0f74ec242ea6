"""What every data file is refused for, whichever of the two readers reads it: size, nesting and node-count
limits, tags beyond plain data, anchors and aliases, merge keys, keys that are not unique plain strings, values
that do not construct. Both readers call these checks, so they cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any, NoReturn, Protocol

import yaml

from app.ingest.problem import ORIGIN, PathKey, Position, dotted

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 20
MAX_SCALAR_CHARS = 100_000
# Values (scalars and collections) in one file. The 100,000-citation scale benchmark's largest file has
# 4.1 million (3.4 million before citations carried findings); the limit bounds what a hostile file can make
# either reader build (time and memory).
MAX_NODES = 5_000_000

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
MERGE_TAG = "tag:yaml.org,2002:merge"
SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


class Mark(Protocol):
    """Where a parser event or node starts (libyaml's and PyYAML's marks alike), 0-based."""

    line: int
    column: int


class Refused(Exception):
    """A file is refused at `position` (the start of the file where the reader has no positions). `final`
    unless the reader with positions would say more (where a duplicate key was first defined)."""

    def __init__(self, mark: Mark | None, message: str, *, final: bool = True) -> None:
        super().__init__(message)
        self.position = position(mark)
        self.message = message
        self.final = final


def position(mark: Mark | None) -> Position:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else ORIGIN


def check_node(tag: str, depth: int, mark: Mark | None, scalar: str | None = None) -> None:
    """A node (collection, or scalar with its text) `depth` collections deep, with its resolved tag."""
    if depth > MAX_DEPTH:
        raise Refused(mark, f"nesting deeper than {MAX_DEPTH} levels")
    if tag == MERGE_TAG:
        refuse_merge_key(mark)
    if tag not in SAFE_TAGS:
        raise Refused(mark, f"YAML tag {tag!r} is not allowed in data files")
    if scalar is not None and len(scalar) > MAX_SCALAR_CHARS:
        raise Refused(mark, f"value longer than {MAX_SCALAR_CHARS} characters")


def refuse_too_many_values(mark: Mark | None) -> NoReturn:
    raise Refused(mark, f"more than {MAX_NODES:,} values in one file")


def refuse_alias(mark: Mark | None) -> NoReturn:
    # Expanding aliases is how "billion laughs" files explode.
    raise Refused(mark, "YAML anchors and aliases are not allowed in data files")


def refuse_merge_key(mark: Mark | None) -> NoReturn:
    raise Refused(mark, "YAML merge keys are not allowed in data files")


def check_key(
    key: object,
    mapping: Container[str],
    mark: Mark | None,
    path: Callable[[], PathKey] = tuple,
    first: Position | None = None,
) -> str:
    """A mapping key as built (its value; None for a collection) must be a plain string that `mapping`
    does not hold yet. `path` says where the mapping is and `first` where the key was first defined, for
    the message (asked for only then)."""
    if key == "<<":
        refuse_merge_key(mark)
    if not isinstance(key, str):
        raise Refused(mark, "mapping keys must be plain strings")
    if key in mapping:
        where = f" (first defined at line {first.line})" if first is not None else ""
        raise Refused(mark, f"{dotted((*path(), key))}: duplicate key{where}", final=first is not None)
    return key


_CONSTRUCTOR = yaml.SafeLoader("")


def scalar_value(tag: str, text: str, style: str | None, mark: Mark | None, path: Callable[[], PathKey] = tuple) -> Any:
    """The value of a scalar whose tag passed `check_node`: the text itself for strings, else what
    PyYAML's safe constructor makes of it (int, float, bool, None, date or datetime). `path` says where
    the scalar is, for the message when it does not construct (asked for only then)."""
    if tag == STR_TAG:
        return text
    if tag == INT_TAG and text.isdigit() and (text[0] != "0" or text == "0") and text.isascii():
        return int(text)  # what the constructor makes of a plain decimal, without building a node for it
    node = yaml.ScalarNode(tag, text, None, None, style)
    try:
        return _CONSTRUCTOR.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as err:
        raise Refused(mark, f"{dotted(path())}: invalid value: {err.problem}") from None
    except (ValueError, OverflowError) as err:  # e.g. a date such as 2026-13-02
        kind = {"timestamp": "date"}.get(tag.rsplit(":", 1)[-1], "value")
        raise Refused(mark, f"{dotted(path())}: invalid {kind} {text!r}: {err}") from None
    finally:
        # construct_object remembers every node it built: this long-lived constructor would otherwise keep
        # every number and date of every file ever read (400,000 nodes, 130 MB at scale).
        _CONSTRUCTOR.constructed_objects.pop(node, None)
