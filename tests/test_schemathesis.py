"""Property-based testing of every operation against our own OpenAPI schema (schemathesis, real server)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.live_server import running_server

MAX_EXAMPLES = 25


@pytest.mark.e2e
def test_every_operation_conforms_to_the_schema_and_never_fails() -> None:
    with running_server(DATA, {"HAIRKB_ACCESS_LOG": "false"}) as (base, _):
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "--config-file",
                str(Path(__file__).parent / "schemathesis.toml"),
                "run",
                f"{base}/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--seed",
                "1",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    summary = result.stdout[-3000:]
    assert result.returncode == 0, summary
    cases = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert cases and cases.group(1) == cases.group(2) and int(cases.group(1)) > 500, summary
    print(f"\nschemathesis: {cases.group(1)} cases over every operation, all passed")
