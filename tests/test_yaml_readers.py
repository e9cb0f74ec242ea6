"""The two YAML readers (values from parser events, without or with positions) agree: the same values
from the same file, and the same refusals under the shared rules."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml

from app.ingest.yaml_rules import MAX_DEPTH
from app.ingest.yaml_source import read_document
from tests.conftest import DATA, TINY

SCALARS = """\
plain: text
quoted: "text with \\"escapes\\" and \\u00e9"
single: 'it''s'
empty_string: ""
integers: [0, -7, 0x1F, 0o17, 1_000]
floats: [1.5, -2e3, .inf, -.Inf, .nan]
booleans: [true, False, yes, No, on, OFF]
nulls: [null, ~, ]
date: 2026-01-02
datetime: 2026-01-02T03:04:05Z
explicit: !!str 2026-01-02
number_as_text: "12"
unicode: JAK–STAT ✓ 脱毛症
literal: |
  first line [3].
    indented
  last
folded: >
  folded
  into one
anchored: &name value without alias
nested:
  - {a: 1, b: [x, y, {c: d}]}
  - - deep
    - [1, 2]
  - key with spaces: 'and: colons'
"""

# A scalar MAX_DEPTH collections deep: the deepest the rules allow.
DEEPEST = "k:\n" + "".join(f"{'  ' * (i + 1)}k{i}:\n" for i in range(MAX_DEPTH - 1)) + "  " * MAX_DEPTH + "v\n"
VALID = {
    "scalars": SCALARS,
    "flow": "citations: [{number: 1, title: 'A', authors: [Smith J, Doe AB]}]\n",
    "comments only around data": "# head\nkey: value  # tail\n# end\n",
    "deepest allowed": "k:\n"
    + "".join(f"{'  ' * (i + 1)}k{i}:\n" for i in range(MAX_DEPTH - 1))
    + "  " * MAX_DEPTH
    + "v\n",
}


def _values(path: Path) -> tuple[object, object]:
    fast, fast_problems = read_document(path, locate=False)
    slow, slow_problems = read_document(path, locate=True)
    assert fast_problems == [] and slow_problems == []
    return fast.value, slow.value


@pytest.mark.parametrize("name", sorted(VALID))
def test_both_readers_build_the_same_values(name: str, tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(VALID[name])
    fast, slow = _values(path)
    assert fast == slow
    assert repr(fast) == repr(slow)  # same types too (1 == 1.0 == True would hide a difference)


def test_the_values_are_pyyaml_safe_values(tmp_path: Path) -> None:
    """What both readers build is what PyYAML's safe loader builds (YAML 1.1: `yes` is true)."""
    path = tmp_path / "data.yaml"
    path.write_text(SCALARS)
    fast, _ = _values(path)
    assert fast == yaml.safe_load(SCALARS)
    assert isinstance(fast, dict) and fast["booleans"] == [True, False, True, False, True, False]
    assert fast["date"] == dt.date(2026, 1, 2) and fast["explicit"] == "2026-01-02"


@pytest.mark.parametrize("path", sorted([*DATA.glob("*.yaml"), *TINY.glob("*.yaml")]), ids=lambda p: p.name)
def test_both_readers_agree_on_the_data_files(path: Path) -> None:
    fast, slow = _values(path)
    assert fast == slow


REFUSED = {
    "alias": "a: &x [1]\nb: *x\n",
    "merge key": "base: &b {x: 1}\nc:\n  <<: *b\n",
    "quoted merge key": "c:\n  '<<': 1\n",
    "python tag": "c: !!python/object/apply:os.system ['echo']\n",
    "custom tag": "c: !mine 1\n",
    "too deep": "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n",
    "too deep block": "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 2)) + "  " * (MAX_DEPTH + 2) + "v\n",
    "number key": "1: one\n",
    "date key": "2026-01-01: x\n",
    "collection key": "? [a, b]\n: x\n",
    "bad date": "d: 2026-13-02\n",
    "empty": "# nothing\n",
}
# Where the events cannot say as much as the node tree, only the refusal itself must agree.
SAME_REFUSAL_ONLY = {
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "two documents": "a: 1\n---\nb: 2\n",
}


@pytest.mark.parametrize(
    ("name", "same_problem"), [*((n, True) for n in sorted(REFUSED)), *((n, False) for n in sorted(SAME_REFUSAL_ONLY))]
)
def test_both_readers_refuse_the_same_way(name: str, same_problem: bool, tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_text({**REFUSED, **SAME_REFUSAL_ONLY}[name])
    # With positions first: a read without them remembers a refusal for the next read with positions.
    slow, fast = read_document(path, locate=True)[1], read_document(path, locate=False)[1]
    assert len(fast) == len(slow) == 1
    assert fast == slow or not same_problem


def test_a_refusal_without_positions_spares_the_read_with_them(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(REFUSED["alias"])
    fast = read_document(path, locate=False)[1]
    # The same file (inode, size, modification time) with other content: what the read with positions
    # says shows that it did not read the file again.
    status = path.stat()
    valid = "a: 1\n"
    path.write_text(valid + "#" * (status.st_size - len(valid) - 1) + "\n")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert read_document(path, locate=True)[1] == fast
    path.write_text(SAME_REFUSAL_ONLY["duplicate key"])  # not final: read again, to say where the first one is
    read_document(path, locate=False)
    assert "first defined at line 1" in read_document(path, locate=True)[1][0].message
