"""The fault-injection suite: hostile data, hostile traffic and a database that goes away, against real
servers on 127.0.0.1 (select it with `-m faults`). Each test is bounded in time; the suite takes minutes."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.ports import free_port

# What the suite's servers and commands run without: coverage's tracing (the suite measures time and memory;
# tests/test_connections.py and the others cover the same code).
NO_COVERAGE = {"COVERAGE_PROCESS_CONFIG": ""}


def fetch_all(port: int, requests: list[tuple[str, str]], headers: dict[str, str], connections: int = 4) -> list[int]:
    """(method, target) requests over `connections` keep-alive sockets, each read to the end of its body; the
    statuses. Raw HTTP/1.1: a general client would spend more CPU than the server under test."""
    head = "".join(f"{name}: {value}\r\n" for name, value in {"Host": "127.0.0.1", **headers}.items())
    statuses: list[int] = []

    def worker(share: list[tuple[str, str]]) -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            stream = sock.makefile("rb")
            for method, target in share:
                sock.sendall(f"{method} {target} HTTP/1.1\r\n{head}\r\n".encode())
                status = int(stream.readline().split()[1])
                length = 0
                while (line := stream.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                stream.read(length)
                statuses.append(status)

    threads = [threading.Thread(target=worker, args=(requests[i::connections],)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


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
