"""Sustained load: wrk, 64 connections, 60 s over a mix of endpoints; errors, p99 latency, RSS before/after.

.venv/bin/python -m bench.load_bench [--seconds 60] [--connections 64]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from bench.wrk_runner import ROOT, ensure_wrk, serve_process

PATHS = [
    "/v1/conditions/telogen-effluvium",
    "/v1/conditions/female-pattern-hair-loss",
    "/v1/conditions?limit=50",
    "/v1/mechanisms/oncostatin-m-jak-stat5",
    "/v1/mechanisms",
    "/v1/interventions/jak-inhibitors",
    "/v1/citations/3",
    "/v1/search?q=alopecia",
    "/v1/search?q=shedding%20after%20childbirth",
    "/v1/suggest?q=fro",
    "/v1/conditions/FPHL",
    "/v1/conditions/nope",
    "/v1/meta",
]
# Rotates through PATHS; 308 and 404 are expected answers, so only connection errors and 5xx count.
LUA = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
errors5xx = 0
response = function(status, headers, body)
  if status >= 500 then errors5xx = errors5xx + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("5xx %%d\\n", errors5xx))
end
"""


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    env = {"HAIRKB_DATA_DIR": str(ROOT / "data"), "HAIRKB_ACCESS_LOG": "false"}
    with (
        tempfile.NamedTemporaryFile("w", suffix=".lua") as script,
        serve_process("app.main:app", env, "/readyz") as (base, pid),
    ):
        script.write(LUA % ", ".join(f'"{p}"' for p in PATHS))
        script.flush()
        for path in PATHS:  # first requests build the per-version caches
            with contextlib.suppress(OSError):  # 404 and 308 raise here, and are expected
                urllib.request.urlopen(base + path).read()
        before = rss_mb(pid)
        out = subprocess.run(
            [ensure_wrk(), "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", "-s", script.name, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        after = rss_mb(pid)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    server_errors = int(re.search(r"5xx (\d+)", out).group(1))  # type: ignore[union-attr]
    print(f"{args.seconds} s, {args.connections} connections, {len(PATHS)} endpoints in rotation")
    print(f"requests           {requests:,} ({requests / args.seconds:,.0f}/s)")
    print(f"errors             {socket_errors + server_errors} (socket {socket_errors}, 5xx {server_errors})")
    if p99:
        print(f"p99 latency        {float(p99.group(1)) * scale[p99.group(2)]:.1f} ms")
    print(f"RSS before / after {before:.1f} MB / {after:.1f} MB (growth {after - before:+.1f} MB)")


if __name__ == "__main__":
    main()
