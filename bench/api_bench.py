"""API throughput against a bare FastAPI app, measured in the same run with the same uvicorn flags.

    .venv/bin/python -m bench.api_bench [--seconds 10] [--rounds 3]

Prints requests/s for each endpoint and its ratio to the bare app (median of interleaved rounds).
"""

from __future__ import annotations

import argparse
import statistics

from bench.wrk_runner import ROOT, run_wrk, serve

ENDPOINTS = {
    "/v1/conditions/telogen-effluvium": 0.9,
    "/v1/conditions": 0.8,
    "/v1/mechanisms/oncostatin-m-jak-stat5": 0.8,
    "/v1/mechanisms": 0.8,
    "/v1/citations/3": 0.8,
    "/v1/search?q=alopecia": 0.5,
    "/v1/suggest?q=fro": 0.7,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    bare: list[float] = []
    ours: dict[str, list[float]] = {path: [] for path in ENDPOINTS}
    # uvicorn's access log is off for both apps (--no-access-log); ours is switched off to match.
    env = {"HAIRKB_DATA_DIR": str(ROOT / "data"), "HAIRKB_ACCESS_LOG": "false"}
    with serve("bench.bare_app:app") as bare_base, serve("app.main:app", env=env, ready_path="/readyz") as our_base:
        for path in ENDPOINTS:  # warm the per-version caches, as any first request would
            run_wrk(our_base + path, 1)
        run_wrk(bare_base + "/bare", 1)
        for _ in range(args.rounds):
            # Interleaved so that machine noise hits both sides alike.
            bare.append(run_wrk(bare_base + "/bare", args.seconds).requests_per_second)
            for path in ENDPOINTS:
                ours[path].append(run_wrk(our_base + path, args.seconds).requests_per_second)

    base = statistics.median(bare)
    print(f"bare FastAPI app: {base:,.0f} req/s (median of {args.rounds}; 32 connections, 1 uvicorn worker)")
    print(f"{'endpoint':45} {'req/s':>9} {'ratio':>6} {'target':>7}")
    # Repeated identical requests are answered from the per-version response cache, as in production.
    for path, target in ENDPOINTS.items():
        rps = statistics.median(ours[path])
        verdict = "ok" if rps / base >= target else "BELOW"
        print(f"{path:45} {rps:9,.0f} {rps / base:6.2f} {target:>6.1f}x {verdict}")


if __name__ == "__main__":
    main()
