"""The hostile data corpus through `hairkb validate` (exit 1 with the refusal, in bounded time and memory,
never a crash or a hang) and through a live `hairkb serve --reload-data` under load (it stays up and goes on
serving the version it had)."""

from __future__ import annotations

import asyncio
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from app.ingest.problem import MAX_PROBLEMS
from tests.conftest import ROOT, TINY
from tests.faults.conftest import NO_COVERAGE
from tests.faults.corpus import CORPUS, Case
from tests.live_server import running_server, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.e2e]
ADDRESS_SPACE = 3 * 1024**3  # what `hairkb validate` may map at all: more is a MemoryError, not a swap storm
PEAK_RSS = 1024**3
SECONDS = 90


def _fresh(tmp_path: Path, case: Case) -> Path:
    data, outside = tmp_path / "data", tmp_path / "outside"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(TINY, data)
    outside.mkdir(exist_ok=True)
    case.install(data, outside)
    return data


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.mark.parametrize("case", [case for case in CORPUS if case.validate], ids=lambda case: case.name)
def test_validate_refuses_hostile_data_in_bounded_time_and_memory(case: Case, tmp_path: Path) -> None:
    data = _fresh(tmp_path, case)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "validate", str(data)],
        cwd=ROOT,
        env={**os.environ, **NO_COVERAGE},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_limited,
    )
    timer = threading.Timer(SECONDS, process.kill)
    timer.start()
    try:
        assert process.stderr is not None
        with process.stderr:
            errors = process.stderr.read().decode()
        _, status, usage = os.wait4(process.pid, 0)  # the child's own peak memory and CPU time
        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        timer.cancel()
    seconds, peak_mb = time.monotonic() - started, usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    lines = errors.splitlines()
    assert process.returncode == 1, errors[-2000:]  # not 139 (SIGSEGV), not killed
    assert case.expected in lines[0], lines[:3]
    assert len(lines) <= MAX_PROBLEMS + 2
    assert seconds < SECONDS and peak_mb < PEAK_RSS / 1024**2
    print(f"\nhairkb validate, {case.name}: exit 1 in {seconds:.1f} s ({cpu:.1f} s CPU), peak {peak_mb:.0f} MB")


def test_a_reloading_server_refuses_hostile_data_and_keeps_serving(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    (tmp_path / "outside").mkdir()
    original = (data / "conditions.yaml").read_text()
    command = [sys.executable, "-m", "app.cli", "serve", "--reload-data"]
    env = {"HAIRKB_POLL_SECONDS": "0.2", "HAIRKB_ACCESS_LOG": "false", **NO_COVERAGE}
    paths = ["/v1/conditions/scarring-alopecia", "/v1/meta", "/v1/search?q=scarring", "/healthz"]
    with running_server(data, env, command=command) as (base, process):
        version = httpx.get(f"{base}/readyz").json()["dataset_version"]
        seen: Counter[tuple[int, str]] = Counter()
        stop = threading.Event()

        async def clients() -> None:
            async def loop() -> None:
                async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                    while not stop.is_set():
                        for path in paths:
                            response = await http.get(path)
                            seen[(response.status_code, response.headers.get("x-dataset-version", "-"))] += 1
                        await asyncio.sleep(0.1)  # steady traffic, not a benchmark competing for the CPU

            await asyncio.gather(*(loop() for _ in range(2)))

        load = threading.Thread(target=lambda: asyncio.run(clients()))
        load.start()
        timings = []
        try:
            for case in (case for case in CORPUS if case.server):
                started = time.monotonic()
                case.install(data, tmp_path / "outside")
                _wait_for_refusal(base, case, version)
                timings.append(f"{case.name} {time.monotonic() - started:.1f} s")
                _restore(data / "conditions.yaml", original, base)  # so that each refusal is seen anew
        finally:
            stop.set()
            load.join()
        peak_mb = _peak_rss_mb(process.pid)
        assert process.poll() is None
    assert set(seen) <= {(200, version), (200, "-")}, seen  # /healthz carries no version
    assert peak_mb < PEAK_RSS / 1024**2 * 1.5
    print(f"\nreload of the corpus under load: {sum(seen.values())} requests, all 200 from {version};")
    print(f"server peak {peak_mb:.0f} MB; refused after: {', '.join(timings)}")


def _restore(target: Path, original: str, base: str) -> None:
    target.unlink()
    target.write_text(original)
    wait_until(lambda: httpx.get(f"{base}/readyz", timeout=30).json()["reload_errors"] == [], timeout=SECONDS)


def _wait_for_refusal(base: str, case: Case, version: str) -> None:
    def refused() -> bool:
        ready = httpx.get(f"{base}/readyz", timeout=30)
        assert ready.status_code == 200 and ready.json()["dataset_version"] == version
        errors = ready.json()["reload_errors"]
        return bool(errors) and case.expected in errors[0]

    wait_until(refused, timeout=SECONDS)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")  # pragma: no cover - Linux reports it
