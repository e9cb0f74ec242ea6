"""A throwaway PostgreSQL server on 127.0.0.1 for the tests, when HAIRKB_TEST_DATABASE_URL names none: started
from the installed PostgreSQL (Debian's `postgresql` package), stopped and removed at the end of the session."""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.ports import free_port


def _bindir() -> Path | None:
    """The newest installed PostgreSQL's programs, or None."""
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if debian:
        return Path(debian[-1])
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


@contextmanager
def throwaway_server() -> Iterator[str | None]:
    """Yields the URL of a new, empty database (None when PostgreSQL is not installed). PostgreSQL refuses to
    run as root, so as root its programs run as the `postgres` user its package created."""
    bindir = _bindir()
    if bindir is None:
        yield None
        return
    as_root = os.geteuid() == 0
    data = Path(tempfile.mkdtemp(prefix="hairkb-pg-"))

    def run(*command: str) -> None:
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)] if as_root else list(command)
        subprocess.run(argv, check=True, capture_output=True, timeout=120)

    if as_root:
        shutil.chown(data, "postgres", "postgres")
    port = free_port()
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(bindir / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres")
    run(str(bindir / "pg_ctl"), "-D", str(data / "db"), "-l", str(data / "server.log"), "-w", "-o", options, "start")
    try:
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "hairkb_test")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/hairkb_test"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(data, ignore_errors=True)
