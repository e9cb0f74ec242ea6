"""The fault-injection suite: hostile data, hostile traffic and a database that goes away, against real
servers on 127.0.0.1 (select it with `-m faults`). Each test is bounded in time; the suite takes minutes."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.live_server import free_port


@dataclass
class Postgres:
    """A PostgreSQL server of this test's own, which it may stop and start."""

    url: str
    data: Path
    port: int

    def _ctl(self, *args: str, check: bool = True) -> None:
        pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
        command = f"{pgbin}/pg_ctl -D {self.data} -w {' '.join(args)}"
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=check, capture_output=True)

    def stop(self, *, check: bool = True) -> None:
        self._ctl("-m", "immediate", "stop", check=check)

    def start(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-l", f"{self.data}/server.log", "-o", f"'{options}'", "start")


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[Postgres]:
    if os.geteuid() != 0 or not os.environ.get("HAIRKB_TEST_DATABASE_URL"):
        pytest.skip("needs root and PostgreSQL (CI has both: see .ci/run)")
    data = Path(tempfile.mkdtemp(prefix="hairkb-pg-faults."))
    port = free_port()
    url = subprocess.run(
        ["bash", "scripts/start-test-postgres.sh", str(port)],
        cwd=ROOT,
        env={**os.environ, "HAIRKB_PGDATA": str(data)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    server = Postgres(url, data, port)
    try:
        yield server
    finally:
        server.stop(check=False)
