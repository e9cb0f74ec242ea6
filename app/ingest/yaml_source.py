"""Reads one YAML data file into plain Python values plus the line/column of every node."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is bundled with PyYAML wheels; the pure-Python loader is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 20
MAX_SCALAR_CHARS = 100_000

PathKey = tuple[str | int, ...]
_STR = "tag:yaml.org,2002:str"


@dataclass(frozen=True, order=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a data file, printed as `path:line:column: message`."""

    file: str
    position: Position
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.position.line}:{self.position.column}: {self.message}"


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
        return Position(1, 1)

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


def dotted(path: PathKey) -> str:
    """`conditions[3].sections[0].body` for ("conditions", 3, "sections", 0, "body")."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_CONSTRUCTOR = yaml.SafeLoader("")


def _scalar(node: yaml.ScalarNode, path: PathKey) -> Any:
    if node.tag == _STR:
        return node.value
    try:
        return _CONSTRUCTOR.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as err:
        raise _Refused(node.start_mark, f"{dotted(path)}: invalid value: {err.problem}") from None
    except (ValueError, OverflowError) as err:  # e.g. a date such as 2026-13-02
        kind = {"timestamp": "date"}.get(node.tag.rsplit(":", 1)[-1], "value")
        raise _Refused(node.start_mark, f"{dotted(path)}: invalid {kind} {node.value!r}: {err}") from None
    finally:
        # construct_object remembers every node it built: this long-lived constructor would otherwise keep
        # every number and date of every file ever read (400,000 nodes, 130 MB at scale).
        _CONSTRUCTOR.constructed_objects.pop(node, None)


_SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


def _check(node: yaml.Node, depth: int, seen: set[int]) -> None:
    """The refusals every node gets, in both paths: too deep, an alias, an unsafe tag, a huge scalar."""
    if depth > MAX_DEPTH:
        raise _Refused(node.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
    if id(node) in seen:
        # A node reached twice is an alias; expanding aliases is how "billion laughs" files explode.
        raise _Refused(node.start_mark, "YAML anchors and aliases are not allowed in data files")
    seen.add(id(node))
    if node.tag not in _SAFE_TAGS:
        raise _Refused(node.start_mark, f"YAML tag {node.tag!r} is not allowed in data files")
    if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_SCALAR_CHARS:
        raise _Refused(node.start_mark, f"value longer than {MAX_SCALAR_CHARS} characters")


def _from_events(text: str) -> Any:
    """The fast path: the values `_Builder` would build, from libyaml's events, without positions.

    Anything `_Builder` would refuse (aliases, unsafe tags, merge or duplicate keys, non-string keys,
    deep nesting, huge scalars, several documents) raises a bare `_Refused`; the caller then reads the
    file again with positions to say where and why."""
    loader = _Loader(text)
    stack: list[Any] = []
    keys: list[Any] = []
    root: Any = _NOTHING
    try:
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.ScalarEvent):
                value = _event_scalar(loader, event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH or (event.tag is not None and event.tag not in _SAFE_TAGS):
                    raise _Refused(None, "refused")
                stack.append({} if isinstance(event, yaml.MappingStartEvent) else [])
                keys.append(_NOTHING)
                continue
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                value = stack.pop()
                keys.pop()
            elif isinstance(event, yaml.AliasEvent):
                raise _Refused(None, "refused")
            elif isinstance(event, yaml.DocumentStartEvent) and root is not _NOTHING:
                raise _Refused(None, "refused")  # a second document
            elif isinstance(event, yaml.StreamEndEvent):
                break
            else:
                continue  # stream and document boundaries
            if not stack:
                root = value
            elif isinstance(stack[-1], list):
                stack[-1].append(value)
            elif keys[-1] is _NOTHING:
                if not isinstance(value, str) or value == "<<" or value in stack[-1]:
                    raise _Refused(None, "refused")
                keys[-1] = value
            else:
                stack[-1][keys[-1]] = value
                keys[-1] = _NOTHING
    finally:
        loader.dispose()
    if root is _NOTHING:
        raise _Refused(None, "refused")  # empty: the positioned read says so
    return root


_NOTHING = object()


def _event_scalar(loader: Any, event: yaml.ScalarEvent) -> Any:
    tag = event.tag if event.tag not in (None, "!") else loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag not in _SAFE_TAGS or len(event.value) > MAX_SCALAR_CHARS or tag == "tag:yaml.org,2002:merge":
        raise _Refused(None, "refused")
    if tag == _STR:
        return event.value
    return _scalar(yaml.ScalarNode(tag, event.value, None, None, event.style), ())


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.position = _position(mark)
        self.message = message


def _position(mark: yaml.Mark | None) -> Position:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)


def _decode(raw: bytes, file: str) -> str | Problem:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return Problem(file, Position(line, column), f"file is not valid UTF-8 (byte 0x{raw[err.start]:02x})")


def read_document(path: Path, display: str | None = None, *, locate: bool = True) -> tuple[Document, list[Problem]]:
    """Parse `path`; return the document and the problems found (empty when it parsed).

    With `locate=False` no positions are recorded: that is much faster and lighter on large files, and
    callers re-read with positions only when there is a problem to point at."""
    file = display or str(path)
    doc = Document(file=file, text="")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return doc, [Problem(file, Position(1, 1), f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")]
        raw = path.read_bytes()
    except OSError as err:
        return doc, [Problem(file, Position(1, 1), f"cannot read file: {err.strerror}")]
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
    except _Refused:
        return doc, [Problem(file, Position(1, 1), "refused; read again with positions for the details")]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = err.problem or "invalid YAML"
        if err.context:
            what = f"{err.context}: {what}"
        if mark is not None and decoded[mark.index : mark.index + 1] == "\t":
            what = "tab character in indentation (YAML indents with spaces only)"
        return doc, [Problem(file, _position(mark), f"YAML syntax error: {what}")]
    except yaml.YAMLError as err:  # pragma: no cover - libyaml reports marks for all syntax errors
        return doc, [Problem(file, Position(1, 1), f"YAML error: {err}")]
    if node is None:
        return doc, [Problem(file, Position(1, 1), "file is empty")]
    try:
        doc.value = _Builder(doc).build(node, (), 0)
    except _Refused as refused:
        return doc, [Problem(file, refused.position, refused.message)]
    return doc, []


class _Builder:
    """Turns composed nodes into plain values, recording positions and refusing unsafe shapes."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        if node.tag == "tag:yaml.org,2002:merge":
            raise _Refused(node.start_mark, "YAML merge keys are not allowed in data files")
        _check(node, depth, self.seen)
        self.doc.values[path] = _position(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.style:
            self.doc.styles[path] = node.style
        return _scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise _Refused(key_node.start_mark, "YAML merge keys are not allowed in data files")
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                raise _Refused(key_node.start_mark, "mapping keys must be plain strings")
            key = key_node.value
            if key in out:
                first = self.doc.keys[(*path, key)]
                raise _Refused(
                    key_node.start_mark,
                    f"{dotted((*path, key))}: duplicate key (first defined at line {first.line})",
                )
            self.doc.keys[(*path, key)] = _position(key_node.start_mark)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out
