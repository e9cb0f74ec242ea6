"""The HTML site and the pictures against a bare FastAPI app, measured in the same run with the same uvicorn flags.

    .venv/bin/python -m bench.site_bench [--seconds 10] [--rounds 3]

Prints requests/s for the condition page (HTML), its SVG picture and the whole graph's SVG, each as wrk asks
by default (no compression) and as a browser asks (`Accept-Encoding: gzip`), and each one's ratio to the bare
app asked the same way (median of interleaved rounds). Pages and pictures are built once per data version, and
repeated requests are replayed from the per-version response cache, as in production.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys

from bench.wrk_runner import ROOT, run_wrk, serve

# The two targets (the condition page and its picture), and the largest body the site serves.
ENDPOINTS = {
    "/conditions/telogen-effluvium": 0.9,
    "/v1/conditions/telogen-effluvium/graph?format=svg": 0.9,
    "/v1/graph?format=svg": None,
}
MODES = {"identity": {}, "gzip": {"Accept-Encoding": "gzip"}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("dot") is None:
        sys.exit("Graphviz is not installed (apt-get install graphviz): the pictures need its `dot`")

    bare: dict[str, list[float]] = {mode: [] for mode in MODES}
    ours: dict[tuple[str, str], list[float]] = {(path, mode): [] for path in ENDPOINTS for mode in MODES}
    env = {"HAIRKB_DATA_DIR": str(ROOT / "data"), "HAIRKB_ACCESS_LOG": "false"}
    with serve("bench.bare_app:app") as bare_base, serve("app.main:app", env=env, ready_path="/readyz") as our_base:
        for path in ENDPOINTS:  # the first request renders the page or draws the picture, once per version
            for headers in MODES.values():
                run_wrk(our_base + path, 1, headers=headers)
        run_wrk(bare_base + "/bare", 1)
        for _ in range(args.rounds):
            for mode, headers in MODES.items():  # interleaved, so that machine noise hits both sides alike
                bare[mode].append(run_wrk(bare_base + "/bare", args.seconds, headers=headers).requests_per_second)
                for path in ENDPOINTS:
                    result = run_wrk(our_base + path, args.seconds, headers=headers)
                    if result.errors:
                        sys.exit(f"{path}: {result.errors} errors or non-2xx responses")
                    ours[(path, mode)].append(result.requests_per_second)

    for mode in MODES:
        base = statistics.median(bare[mode])
        print(f"\n{mode}: bare FastAPI app {base:,.0f} req/s (median of {args.rounds}; 32 connections, 1 worker)")
        print(f"{'endpoint':52} {'req/s':>9} {'ratio':>6} {'target':>7}")
        for path, target in ENDPOINTS.items():
            rps = statistics.median(ours[(path, mode)])
            verdict = "—" if target is None else "ok" if rps / base >= target else "BELOW"
            shown = f"{target:.1f}x" if target is not None else "—"
            print(f"{path:52} {rps:9,.0f} {rps / base:6.2f} {shown:>7} {verdict}")


if __name__ == "__main__":
    main()
