"""What some tests need from the machine beyond Python: Debian packages (Graphviz, Chromium) and the npm
packages the browser tests inject. A fresh machine gets them installed here (as root, with apt-get and
npm); anything else fails with what to install, never skips."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent / "js"


def debian_binary(binary: str, package: str) -> str:
    """The path of `binary`, installing the Debian `package` that provides it when it is missing."""
    found = shutil.which(binary)
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.fail(
            f"`{binary}` is missing: install the Debian package with `apt-get install -y {package}` (the tests "
            "install it themselves only when they run as root on a machine with apt-get)"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
    result = subprocess.run(["apt-get", "install", "-y", "-qq", package], env=env, capture_output=True, text=True)
    found = shutil.which(binary)
    if not found:
        pytest.fail(f"`apt-get install -y {package}` did not provide `{binary}`:\n{result.stderr[-2000:]}")
    return found


def npm_file(relative: str) -> Path:
    """A file of the npm packages in tests/js (package.json, locked), installed with `npm ci` when missing."""
    path = JS / "node_modules" / relative
    if path.exists():
        return path
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is missing: the browser tests inject axe-core and Cytoscape.js from npm (apt-get install npm)")
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS, capture_output=True, text=True)
    if result.returncode != 0 or not path.exists():
        pytest.fail(f"`npm ci` in {JS} failed:\n{result.stderr[-2000:]}")
    return path
