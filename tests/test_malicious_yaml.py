"""Hostile data files are refused quickly, with a clear message and bounded memory."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from app.ingest.yaml_rules import MAX_DEPTH, MAX_SCALAR_CHARS
from app.ingest.yaml_source import read_document

BILLION_LAUGHS = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    )
    + "\n"
)

DEEP_BLOCK = "".join(f"{'  ' * i}k{i}:\n" for i in range(60)) + "  " * 60 + "v\n"

CASES = {
    "billion-laughs": (BILLION_LAUGHS.encode(), "YAML anchors and aliases are not allowed in data files"),
    "deep-nesting": (("[" * 5000 + "]" * 5000).encode(), "nesting"),
    "deep-block-nesting": (DEEP_BLOCK.encode(), f"nesting deeper than {MAX_DEPTH} levels"),
    "huge-scalar": (
        ("conditions: " + "x" * (MAX_SCALAR_CHARS + 1) + "\n").encode(),
        f"value longer than {MAX_SCALAR_CHARS} characters",
    ),
    "non-utf8": (b"conditions:\n  - slug: caf\xe9\n", "file is not valid UTF-8 (byte 0xe9)"),
    "utf16-bom": ("conditions: []\n".encode("utf-16"), "file is not valid UTF-8"),
    "merge-key": (b"base: &b {x: 1}\nconditions:\n  <<: *b\n", "not allowed in data files"),
    "python-tag": (b"conditions: !!python/object/apply:os.system ['echo pwned']\n", "YAML"),
    "binary-nul": (b"conditions: [\x00]\n", "YAML"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_refused_quickly_with_a_clear_error(name: str, tmp_path: Path) -> None:
    content, expected = CASES[name]
    path = tmp_path / "conditions.yaml"
    path.write_bytes(content)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()

    for locate in (False, True):
        _, problems = read_document(path, "data/conditions.yaml", locate=locate)
        assert problems, name
        if locate:
            assert expected in problems[0].message, problems[0]
            assert str(problems[0]).startswith("data/conditions.yaml:")

    assert time.perf_counter() - started < 5
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown_mb < 100, f"peak memory grew by {grown_mb:.0f} MB"


def test_oversized_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.ingest.yaml_source as yaml_source

    monkeypatch.setattr(yaml_source, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "citations.yaml"
    path.write_text("citations: []\n" + "#" * 2000 + "\n")
    _, problems = read_document(path, "data/citations.yaml")
    assert str(problems[0]) == "data/citations.yaml:1:1: file is 2015 bytes; the limit is 1000"
