"""The `hairkb` command line: validate prints every problem and exits non-zero; serve refuses bad data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from app.cli import main
from tests.conftest import DATA, FIXTURES, ROOT


def test_validate_real_data_prints_one_summary_line(capsys: object) -> None:
    assert main(["validate", str(DATA)]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert out.count("\n") == 1
    assert "conditions" in out and "mechanisms" in out and "citations" in out


def test_validate_reports_all_problems_and_exits_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "tiny", data)
    shutil.copy(FIXTURES / "broken" / "unknown-parent.conditions.yaml", data / "conditions.yaml")
    shutil.copy(FIXTURES / "broken" / "bad-doi.citations.yaml", data / "citations.yaml")

    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "validate", "data"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "data/citations.yaml:31:10: citations[1].doi:" in lines[0]
    assert any(line.startswith("data/conditions.yaml:42:13: conditions[1].parent") for line in lines)
    assert lines[-1].endswith("problem(s) found in data")


def test_serve_with_invalid_data_exits_1_before_listening(tmp_path: Path, capsys: object) -> None:
    (tmp_path / "citations.yaml").write_text("citations: []\n")
    assert main(["serve", "--data-dir", str(tmp_path), "--port", "9"]) == 1
    assert "required data file is missing" in capsys.readouterr().err  # type: ignore[attr-defined]


def test_load_refuses_the_in_memory_default(capsys: object) -> None:
    """A load into sqlite:// would vanish as the command exits, and say it succeeded."""
    assert main(["load"]) == 2
    assert "in-memory database vanishes" in capsys.readouterr().err  # type: ignore[attr-defined]


def test_serve_outside_the_repository_says_where_data_comes_from(tmp_path: Path) -> None:
    """From any folder, the data this release ships is the default; a missing folder names the way out."""
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "validate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--data-dir", "nowhere"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert missing.returncode == 1
    assert "hint: no folder nowhere" in missing.stderr and "HAIRKB_DATA_DIR" in missing.stderr
