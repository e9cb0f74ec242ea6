"""Reads one YAML data file into plain Python values, by one of two readers that share one loop over libyaml's
parser events and the refusal rules of yaml_rules.py: values only (fast), or values with the line and column
of every value and key (for pointing at problems). Neither builds a node tree or recurses, so no file can
exhaust the stack, whatever it nests."""

from __future__ import annotations

import os
import stat
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.ingest.problem import ORIGIN, PathKey, Position, Problem
from app.ingest.yaml_rules import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_SCALAR_CHARS,
    STR_TAG,
    Mark,
    Refused,
    check_key,
    check_node,
    position,
    refuse_alias,
    refuse_too_many_values,
    scalar_value,
)

try:  # libyaml is bundled with PyYAML wheels; the pure-Python loader is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def _pack(mark: Mark) -> int:
    """A position in one int (1-based line and column): a positioned read of a large file records millions."""
    return (mark.line + 1) << 32 | (mark.column + 1)


def _unpack(packed: int) -> Position:
    return Position(packed >> 32, packed & 0xFFFFFFFF)


@dataclass
class Document:
    """A parsed file: its value, and where each value (and each mapping key) starts."""

    file: str
    text: str
    value: Any = None
    values: dict[PathKey, int] = field(default_factory=dict)  # packed positions (see _pack)
    keys: dict[PathKey, int] = field(default_factory=dict)
    styles: dict[PathKey, str | None] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> Position:
        """The position of `path` (of its key when `key`), or of its nearest ancestor that exists."""
        if key and path in self.keys:
            return _unpack(self.keys[path])
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.values:
                return _unpack(self.values[path[:cut]])
        return ORIGIN

    def locate_in_text(self, path: PathKey, offset: int) -> Position:
        """Where character `offset` of the string at `path` stands in the file (exact for plain,
        quoted and literal `|` scalars; the scalar's start for folded ones)."""
        start = self.locate(path)
        style = self.styles.get(path)
        if style == "|":
            before = self.value_at(path)[:offset]
            line_index = before.count("\n")
            first = start.line  # 0-based index of the first content line = 1-based line of the indicator
            lines = self.text.splitlines()
            if first >= len(lines):
                return start
            indent = len(lines[first]) - len(lines[first].lstrip(" "))
            return Position(start.line + 1 + line_index, indent + len(before) - (before.rfind("\n") + 1) + 1)
        if style in (None, "", "'", '"'):
            quote = 1 if style in ("'", '"') else 0
            return Position(start.line, start.column + quote + offset)
        return start

    def value_at(self, path: PathKey) -> Any:
        value = self.value
        for part in path:
            value = value[part]
        return value

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        return Problem(self.file, self.locate(path, key=key), message)


def read_document(path: Path, display: str | None = None, *, locate: bool = True) -> tuple[Document, list[Problem]]:
    """Parse `path`; return the document and the problems found (empty when it parsed).

    With `locate=False` no positions are recorded: that is much faster and lighter on large files, and
    callers re-read with positions only when there is a problem to point at."""
    file = display or str(path)
    doc = Document(file=file, text="")
    identity = _identity(path)
    if locate and identity is not None and identity in _REFUSED:
        where, message = _REFUSED[identity]
        return doc, [Problem(file, where, message)]
    try:
        doc.text = _decode(_read_file(path))
        doc.value = _read_events(doc.text, doc if locate else None)
    except Refused as refused:
        if not locate and refused.final and identity is not None:
            _remember_refusal(identity, refused)
        return doc, [Problem(file, refused.position, refused.message)]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = err.problem or "invalid YAML"
        if err.context:
            what = f"{err.context}: {what}"
        if mark is not None and doc.text[mark.index : mark.index + 1] == "\t":
            what = "tab character in indentation (YAML indents with spaces only)"
        return doc, [Problem(file, position(mark), f"YAML syntax error: {what}")]
    except yaml.YAMLError as err:  # pragma: no cover - libyaml reports marks for all syntax errors
        return doc, [Problem(file, ORIGIN, f"YAML error: {err}")]
    return doc, []


def _read_file(path: Path) -> bytes:
    """The bytes of a regular file inside the folder `path` is named in (a link may point elsewhere in the
    folder, not out of it), at most MAX_FILE_BYTES of them. A FIFO, a device such as /dev/zero or a
    directory is refused before it is opened for reading, so that nothing can block or stream forever."""
    folder = path.parent.resolve()
    try:
        real = path.resolve(strict=True)
        if folder not in real.parents:
            raise Refused(None, f"links to {real}, outside the data folder {folder}")
        _check_regular(os.stat(real))
        # O_NONBLOCK: a FIFO swapped in after the check cannot block the open; fstat then refuses it.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise Refused(None, f"cannot read file: {err.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        _check_regular(os.fstat(fd))
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise Refused(None, f"file is over {MAX_FILE_BYTES} bytes; the limit is {MAX_FILE_BYTES}")
    return raw


def _check_regular(status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise Refused(None, "not a regular file (a FIFO, device or directory cannot be data)")
    if status.st_size > MAX_FILE_BYTES:
        raise Refused(None, f"file is {status.st_size} bytes; the limit is {MAX_FILE_BYTES}")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        refused = Refused(None, f"file is not valid UTF-8 (byte 0x{raw[err.start]:02x})")
        refused.position = Position(before.count(b"\n") + 1, len(before) - (before.rfind(b"\n") + 1) + 1)
        raise refused from None


# Refusals of a read without positions that a read with positions would repeat word for word, by file
# identity: validate_dir reads every file again with positions when anything is wrong, and a hostile file
# (millions of values) should cost one read, not two. Bounded; a changed file has another identity.
_REFUSED: OrderedDict[tuple[object, ...], tuple[Position, str]] = OrderedDict()
_REFUSED_KEPT = 16


def _identity(path: Path) -> tuple[object, ...] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _remember_refusal(identity: tuple[object, ...], refused: Refused) -> None:
    _REFUSED[identity] = (refused.position, refused.message)
    while len(_REFUSED) > _REFUSED_KEPT:
        _REFUSED.popitem(last=False)


_NOTHING = object()
# The first characters of every implicitly typed plain scalar (numbers, booleans, null, dates...): a scalar
# starting with anything else is a string, which the loop below knows without asking the resolver.
_RESOLVED_FIRST = frozenset(key for key in _Loader.yaml_implicit_resolvers if key)
assert None not in _Loader.yaml_implicit_resolvers  # no resolver that looks at every scalar


def _read_events(text: str, doc: Document | None) -> Any:
    """Values straight from libyaml's events, with positions recorded into `doc` when one is given.
    Depth and the number of values are checked as each collection opens, before anything is built for it.
    Without positions, what the events cannot tell cheaply (where a duplicate key was first defined, what is
    wrong with a second document) is refused in fewer words, for the positioned read to explain.

    This loop runs once per scalar of a 50 MB file, so the common case is kept to a few comparisons:
    a plain string within the limits, or a new plain string key, passes every rule without a call."""
    loader: Any = _Loader(text)  # libyaml's parser: untyped
    stack: list[Any] = []  # the collections being built
    keys: list[Any] = []  # per collection: the key whose value comes next (mappings)
    starts: list[Any] = []  # per collection: where it starts
    paths: list[PathKey] = []  # per collection, with positions only: where it is in the document
    anchors: dict[str, Any] = {}  # where each anchor stands: an alias is refused there
    root: Any = _NOTHING
    nodes = 0
    try:
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                start = event.start_mark
                nodes += 1
                if nodes > MAX_NODES:
                    refuse_too_many_values(start)
                if event.anchor is not None:
                    anchors[event.anchor] = start
                tag = event.tag
                value = event.value
                if tag is None and value and value[0] not in _RESOLVED_FIRST:
                    tag = STR_TAG  # what resolve() says, without the call: no implicit type starts so
                elif tag is None or tag == "!":
                    tag = loader.resolve(yaml.ScalarNode, value, event.implicit)
                if tag != STR_TAG or len(stack) > MAX_DEPTH or len(value) > MAX_SCALAR_CHARS:
                    check_node(tag, len(stack), start, value)
                    if tag != STR_TAG:
                        value = scalar_value(tag, value, event.style, start, lambda: _path(stack, keys))
                if doc is not None and not (stack and type(stack[-1]) is dict and keys[-1] is _NOTHING):
                    where = _slot(stack, keys, paths)
                    doc.values[where] = _pack(start)
                    if event.style:
                        doc.styles[where] = event.style
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                mapping = kind is yaml.MappingStartEvent
                nodes += 1
                if nodes > MAX_NODES:
                    refuse_too_many_values(event.start_mark)
                if event.anchor is not None:
                    anchors[event.anchor] = event.start_mark
                check_node(
                    _tag(loader, yaml.MappingNode if mapping else yaml.SequenceNode, event),
                    len(stack),
                    event.start_mark,
                )
                if doc is not None:
                    where = _slot(stack, keys, paths)
                    if not (stack and type(stack[-1]) is dict and keys[-1] is _NOTHING):  # not a (refused) key
                        doc.values[where] = _pack(event.start_mark)
                    paths.append(where)
                stack.append({} if mapping else [])
                keys.append(_NOTHING)
                starts.append(event.start_mark)
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = stack.pop()
                keys.pop()
                start = starts.pop()
                if doc is not None:
                    paths.pop()
            elif kind is yaml.AliasEvent:
                refuse_alias(anchors.get(str(event.anchor)) or event.start_mark)
            elif kind is yaml.DocumentStartEvent and root is not _NOTHING:
                raise Refused(event.start_mark, "a data file holds one YAML document")
            elif kind is yaml.StreamEndEvent:
                break
            else:
                continue  # stream and document boundaries
            if not stack:
                root = value
            elif type(stack[-1]) is list:
                stack[-1].append(value)
            elif keys[-1] is _NOTHING:
                if doc is not None:
                    _located_key(doc, value, stack[-1], start, paths[-1])
                elif type(value) is not str or value == "<<" or value in stack[-1]:
                    check_key(value, stack[-1], start, lambda: _path(stack[:-1], keys[:-1]))
                keys[-1] = value
            else:
                stack[-1][keys[-1]] = value
                keys[-1] = _NOTHING
    finally:
        loader.dispose()
    if root is _NOTHING:
        raise Refused(None, "file is empty")
    return root


def _located_key(doc: Document, key: Any, mapping: dict[str, Any], start: Mark, where: PathKey) -> None:
    """Check a mapping key (saying where a duplicate was first defined) and record where it stands."""
    first = doc.keys.get((*where, key)) if type(key) is str else None
    check_key(key, mapping, start, lambda: where, _unpack(first) if first is not None else None)
    doc.keys[(*where, key)] = _pack(start)


def _tag(loader: Any, node_type: type[yaml.Node], event: Any) -> str:
    """A collection event's tag, resolved as the composer resolves it when the event leaves it implicit."""
    if event.tag not in (None, "!"):
        return str(event.tag)
    return str(loader.resolve(node_type, None, event.implicit))


def _slot(stack: list[Any], keys: list[Any], paths: list[PathKey]) -> PathKey:
    """`_path` from the open collections' paths, in constant time (with positions only)."""
    if not stack:
        return ()
    container = stack[-1]
    return (*paths[-1], len(container) if type(container) is list else keys[-1])


def _path(stack: list[Any], keys: list[Any]) -> PathKey:
    """Where the next value goes: under the pending key of each mapping, at the end of each sequence."""
    return tuple(len(c) if isinstance(c, list) else k for c, k in zip(stack, keys, strict=True))
