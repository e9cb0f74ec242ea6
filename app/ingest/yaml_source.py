"""Reads one YAML data file into plain Python values, by one of two readers that share the refusal rules
of yaml_rules.py: straight from parser events (fast, no positions) or through a node tree that records
the line and column of every value and key (for pointing at problems)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.ingest.problem import ORIGIN, PathKey, Position, Problem
from app.ingest.yaml_rules import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_SCALAR_CHARS,
    STR_TAG,
    Refused,
    check_key,
    check_node,
    position,
    refuse_alias,
    scalar_value,
)

try:  # libyaml is bundled with PyYAML wheels; the pure-Python loader is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass
class Document:
    """A parsed file: its value, and where each value (and each mapping key) starts."""

    file: str
    text: str
    value: Any = None
    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)
    styles: dict[PathKey, str | None] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> Position:
        """The position of `path` (of its key when `key`), or of its nearest ancestor that exists."""
        if key and path in self.keys:
            return self.keys[path]
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.values:
                return self.values[path[:cut]]
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
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return doc, [Problem(file, ORIGIN, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")]
        raw = path.read_bytes()
    except OSError as err:
        return doc, [Problem(file, ORIGIN, f"cannot read file: {err.strerror}")]
    decoded = _decode(raw, file)
    if isinstance(decoded, Problem):
        return doc, [decoded]
    doc.text = decoded
    try:
        if not locate:
            # Values straight from parser events: no node tree, a third of the memory and time.
            doc.value = _from_events(decoded)
            return doc, []
        node = yaml.compose(decoded, Loader=_Loader)
        if node is None:
            return doc, [Problem(file, ORIGIN, "file is empty")]
        doc.value = _Builder(doc).build(node, (), 0)
    except Refused as refused:
        return doc, [Problem(file, refused.position, refused.message)]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = err.problem or "invalid YAML"
        if err.context:
            what = f"{err.context}: {what}"
        if mark is not None and decoded[mark.index : mark.index + 1] == "\t":
            what = "tab character in indentation (YAML indents with spaces only)"
        return doc, [Problem(file, position(mark), f"YAML syntax error: {what}")]
    except yaml.YAMLError as err:  # pragma: no cover - libyaml reports marks for all syntax errors
        return doc, [Problem(file, ORIGIN, f"YAML error: {err}")]
    return doc, []


def _decode(raw: bytes, file: str) -> str | Problem:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return Problem(file, Position(line, column), f"file is not valid UTF-8 (byte 0x{raw[err.start]:02x})")


_NOTHING = object()


def _from_events(text: str) -> Any:
    """The fast reader: values straight from libyaml's events. Refusals carry the rule's message and
    position; what the events cannot tell (where a duplicate key was first defined, what is wrong with
    a second document) is refused in fewer words, for the positioned reader to explain.

    This loop runs once per scalar of a 50 MB file, so the common case is kept to a few comparisons:
    a plain string within the limits, or a new plain string key, passes every rule without a call."""
    loader: Any = _Loader(text)  # libyaml's parser: untyped
    stack: list[Any] = []  # the collections being built
    keys: list[Any] = []  # per collection: the key whose value comes next (mappings)
    starts: list[Any] = []  # per collection: where it starts
    anchors: dict[str, Any] = {}  # where each anchor stands: an alias is refused there, as by the node tree
    root: Any = _NOTHING
    try:
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                start = event.start_mark
                if event.anchor is not None:
                    anchors[event.anchor] = start
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                value = event.value
                if tag != STR_TAG or len(stack) > MAX_DEPTH or len(value) > MAX_SCALAR_CHARS:
                    check_node(tag, len(stack), start, value)
                    if tag != STR_TAG:
                        value = scalar_value(tag, value, event.style, start, lambda: _path(stack, keys))
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                mapping = kind is yaml.MappingStartEvent
                if event.anchor is not None:
                    anchors[event.anchor] = event.start_mark
                check_node(
                    _tag(loader, yaml.MappingNode if mapping else yaml.SequenceNode, event),
                    len(stack),
                    event.start_mark,
                )
                stack.append({} if mapping else [])
                keys.append(_NOTHING)
                starts.append(event.start_mark)
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = stack.pop()
                keys.pop()
                start = starts.pop()
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
                if type(value) is not str or value == "<<" or value in stack[-1]:
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


def _tag(loader: Any, node_type: type[yaml.Node], event: Any) -> str:
    """A collection event's tag, resolved as the composer resolves it when the event leaves it implicit."""
    if event.tag not in (None, "!"):
        return str(event.tag)
    return str(loader.resolve(node_type, None, event.implicit))


def _path(stack: list[Any], keys: list[Any]) -> PathKey:
    """Where the next value goes: under the pending key of each mapping, at the end of each sequence."""
    return tuple(len(c) if isinstance(c, list) else k for c, k in zip(stack, keys, strict=True))


class _Builder:
    """Turns composed nodes into plain values, recording positions and refusing what the rules refuse."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def _check(self, node: yaml.Node, depth: int) -> None:
        if id(node) in self.seen:  # a node reached twice is an alias
            refuse_alias(node.start_mark)
        self.seen.add(id(node))
        check_node(node.tag, depth, node.start_mark, node.value if isinstance(node, yaml.ScalarNode) else None)

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self._check(node, depth)
        self.doc.values[path] = position(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.style:
            self.doc.styles[path] = node.style
        return scalar_value(node.tag, node.value, node.style, node.start_mark, lambda: path)

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            self._check(key_node, depth + 1)
            built = None  # a collection, which no key may be
            if isinstance(key_node, yaml.ScalarNode):
                built = scalar_value(key_node.tag, key_node.value, key_node.style, key_node.start_mark, lambda: path)
            first = self.doc.keys.get((*path, built)) if isinstance(built, str) else None
            key = check_key(built, out, key_node.start_mark, lambda: path, first)
            self.doc.keys[(*path, key)] = position(key_node.start_mark)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out
