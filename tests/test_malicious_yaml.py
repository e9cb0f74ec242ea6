"""Hostile data files are refused quickly, with a clear message and bounded memory."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.ingest.problem import MAX_PROBLEMS
from app.ingest.validation import validate_dir
from app.ingest.yaml_rules import MAX_DEPTH, MAX_SCALAR_CHARS
from app.ingest.yaml_source import read_document
from tests.conftest import ROOT

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
    # Deep enough to overflow the C stack of a recursive composer (it did: a segfault).
    "deep-flow-sequences": (("[" * 50_000 + "]" * 50_000).encode(), f"nesting deeper than {MAX_DEPTH} levels"),
    "deep-flow-mappings": (("{a: " * 30_000 + "1" + "}" * 30_000).encode(), f"nesting deeper than {MAX_DEPTH} levels"),
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

    for locate in (True, False):  # positions first: a read without them remembers what it refused
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


def test_too_many_values_are_refused_by_both_readers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.ingest.yaml_rules as yaml_rules
    import app.ingest.yaml_source as yaml_source

    monkeypatch.setattr(yaml_source, "MAX_NODES", 1000)
    monkeypatch.setattr(yaml_rules, "MAX_NODES", 1000)
    path = tmp_path / "conditions.yaml"
    path.write_text("conditions:\n" + "- slug: x\n" * 400)
    for locate in (True, False):  # positions first: a read without them remembers what it refused
        _, problems = read_document(path, "data/conditions.yaml", locate=locate)
        assert [str(p) for p in problems] == ["data/conditions.yaml:334:3: more than 1,000 values in one file"]


def _special(kind: str, data: Path, outside: Path) -> None:
    target = data / "conditions.yaml"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "directory":
        target.mkdir()
    else:
        (outside / "conditions.yaml").write_text("conditions: []\n")
        target.symlink_to(outside / "conditions.yaml")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("fifo", "not a regular file"),
        ("dev-zero", "outside the data folder"),
        ("directory", "not a regular file"),
        ("outside-link", "outside the data folder"),
    ],
)
def test_special_files_and_links_out_of_the_folder_are_refused(
    tiny_data: Path, tmp_path: Path, kind: str, expected: str
) -> None:
    _special(kind, tiny_data, tmp_path)
    started = time.perf_counter()
    kb, problems = validate_dir(tiny_data)
    assert kb is None and time.perf_counter() - started < 5  # a FIFO used to block forever
    assert any(str(p).startswith(f"{tiny_data}/conditions.yaml:1:1: ") and expected in p.message for p in problems)


def test_a_link_inside_the_folder_is_followed(tiny_data: Path) -> None:
    (tiny_data / "conditions.yaml").rename(tiny_data / "current-conditions.txt")
    (tiny_data / "conditions.yaml").symlink_to("current-conditions.txt")
    assert validate_dir(tiny_data)[1] == []


def test_problems_are_capped_with_how_many_more(tiny_data: Path) -> None:
    (tiny_data / "conditions.yaml").write_text("conditions:\n" + "- slug: x\n" * 5000)
    kb, problems = validate_dir(tiny_data)
    assert kb is None and len(problems) == MAX_PROBLEMS
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "validate", str(tiny_data)], cwd=ROOT, capture_output=True, text=True
    )
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and len(lines) == MAX_PROBLEMS + 2
    assert lines[-2].startswith("… and ") and lines[-2].endswith(
        f"more problem(s) (only the first {MAX_PROBLEMS} are listed)"
    )
    assert lines[-1] == f"{int(lines[-2].split()[2]) + MAX_PROBLEMS} problem(s) found in {tiny_data}"


def test_validate_reports_deep_nesting_instead_of_crashing(tiny_data: Path) -> None:
    (tiny_data / "conditions.yaml").write_text("[" * 50_000 + "]" * 50_000)
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "validate", str(tiny_data)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 1, result.returncode  # it was 139 (SIGSEGV), with nothing printed
    assert f"conditions.yaml:1:{MAX_DEPTH + 2}: nesting deeper than {MAX_DEPTH} levels" in result.stderr
