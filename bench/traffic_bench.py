"""Realistic traffic (issue 16): what one uvicorn worker with default settings (metrics and access log on)
serves when visitors do not repeat themselves, as ratios to the bare FastAPI app measured in the same run.

    .venv/bin/python -m bench.traffic_bench [--seconds 8] [--rounds 3] [--data DIR]
    .venv/bin/python -m bench.traffic_bench --data /tmp/synthetic --rounds 1     # at scale

URL lists come from the served knowledge base (bench/traffic_urls.py) and are walked by wrk with
bench/walk.lua, each thread its own stride, so a distinct list is never sent twice. Every measurement
gets a fresh server process, so no traffic kind warms another's caches. Prints the issue's table (median
of the rounds, with the range of the per-round ratios), the mixed walk's p99 under 64 connections, and
the single-client latency of distinct searches.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import os
import random
import re
import statistics
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench import traffic_urls
from bench.wrk_runner import ROOT, ensure_wrk, serve, serve_process

WALK = ROOT / "bench" / "walk.lua"
PAGE = "/v1/conditions/telogen-effluvium"


@dataclass(frozen=True)
class Walk:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    repeated: int
    errors: int
    requests: int
    server_cpu_us: float = 0.0  # the server process's CPU time per request (set by `measure`)


@dataclass(frozen=True)
class Traffic:
    label: str
    paths: list[str]
    connections: int = 32
    threads: int = 2
    warm: list[str] | None = None  # sent before the measurement (never one of `paths` for distinct traffic)
    # Walk `paths` once before the measurement: a server that has been up a while has rendered its pages.
    warm_pass: bool = False
    workers: int | None = None  # served by `hairkb serve --workers N` (else one uvicorn worker)


def walk(base: str, paths: list[str], seconds: int, connections: int = 32, threads: int = 2) -> Walk:
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write("\n".join(paths) + "\n")
        listing.flush()
        command = [
            ensure_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(WALK),
            base,
            "--",
            listing.name,
            str(threads),
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def number(pattern: str) -> float:
        found = re.search(pattern, out)
        return float(found.group(1)) if found else 0.0

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return Walk(
        number(r"Requests/sec:\s+([\d.]+)"),
        number(r"walk p50_us (\d+)") / 1000,
        number(r"walk p95_us (\d+)") / 1000,
        number(r"walk p99_us (\d+)") / 1000,
        int(number(r"walk repeated (\d+)")),
        errors + int(number(r"Non-2xx or 3xx responses: (\d+)")),
        int(number(r"(\d+) requests in")),
    )


def measure(app: str, env: dict[str, str] | None, traffic: Traffic, seconds: int, root: Path = ROOT) -> Walk:
    """One traffic kind against a fresh server (so that its caches start empty), importing `app` from `root`."""
    ready = "/readyz" if env is not None else "/openapi.json"
    with serve_process(app, env, ready, root, traffic.workers) as (base, pid):
        if traffic.warm:
            walk(base, traffic.warm, 1, traffic.connections, traffic.threads)
        for _ in range((traffic.workers or 1) if traffic.warm_pass else 0):  # each worker has caches of its own
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda path: _get(base, path), traffic.paths))
        cpu = _cpu_seconds(pid)
        result = walk(base, traffic.paths, seconds, traffic.connections, traffic.threads)
        used = _cpu_seconds(pid) - cpu
        return dataclasses.replace(result, server_cpu_us=used / max(result.requests, 1) * 1e6)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (the workers): less disturbed than throughput by
    others' work on the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") + sum(
        _cpu_seconds(int(child)) for child in children if Path(f"/proc/{child}").exists()
    )


def _get(base: str, path: str) -> None:
    """GET with only the headers wrk sends (no Accept-Encoding), so that the replay cache keeps the same
    variant wrk will ask for."""
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=60)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        connection.getresponse().read()
    finally:
        connection.close()


def traffics(base: str, seconds: int, rng: random.Random) -> tuple[list[Traffic], Traffic, Traffic, list[Traffic]]:
    """The issue's traffic kinds, the mixed walk under 64 connections, a single client's searches and the
    mixed walk served by two worker processes."""
    knowledge = traffic_urls.fetch(base)
    # Enough distinct URLs for several thousand requests a second, plus separate ones to warm up with.
    pool = traffic_urls.queries(knowledge, int(8000 * seconds) + 3000, rng)
    warm_queries, searches = pool[:1000], pool[1000:]
    mixed_queries = searches[-1500:]  # measured on another server: never sent in the distinct run's time
    prefixes = traffic_urls.prefixes(knowledge, int(8000 * seconds) + 1000, rng)
    warm_prefixes, distinct_prefixes = prefixes[:1000], prefixes[1000:]
    mixed = [
        *traffic_urls.pages(knowledge),
        *map(traffic_urls.search_url, mixed_queries),
        *map(traffic_urls.suggest_url, traffic_urls.name_prefixes(knowledge)),
    ]
    rng.shuffle(mixed)
    warm = [*map(traffic_urls.search_url, warm_queries), *map(traffic_urls.suggest_url, warm_prefixes)]
    search_urls = list(map(traffic_urls.search_url, searches))
    table = [
        Traffic("distinct search queries (1–3 words, no repeats)", search_urls, warm=warm),
        Traffic(
            "distinct suggest prefixes (no repeats)", list(map(traffic_urls.suggest_url, distinct_prefixes)), warm=warm
        ),
        Traffic(f"mixed walk ({len(mixed):,} URLs: pages, lists, queries, name prefixes)", mixed, warm_pass=True),
        Traffic("one cached condition page, repeated", [PAGE], warm=[PAGE]),
    ]
    p99 = Traffic("mixed walk, 64 connections", mixed, connections=64, warm_pass=True)
    single = Traffic("distinct search queries, one client", search_urls, connections=1, threads=1, warm=warm)
    workers = [Traffic(f"mixed walk, hairkb serve --workers {n}", mixed, warm_pass=True, workers=n) for n in (1, 2)]
    return table, p99, single, workers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="the knowledge base to serve")
    parser.add_argument(
        "--before", type=Path, help="a checkout of an earlier tree (git worktree add), measured in the same run"
    )
    parser.add_argument("--latency-only", action="store_true", help="only the single client's latency")
    parser.add_argument(
        "--workers", action="store_true", help="also the mixed walk by `hairkb serve --workers 1` and `--workers 2`"
    )
    args = parser.parse_args()
    env = {"HAIRKB_DATA_DIR": str(args.data.resolve())}  # defaults otherwise: metrics and access log on
    trees = {"before": args.before.resolve(), "after": ROOT} if args.before else {"this tree": ROOT}

    with serve("app.main:app", env=env, ready_path="/readyz") as base:
        table, p99_traffic, single_traffic, worker_traffics = traffics(base, args.seconds, random.Random(16))
    for name, root in trees.items():
        single = measure("app.main:app", env, single_traffic, args.seconds, root)
        print(
            f"{name}: distinct search, one client: p50 {single.p50_ms:.2f} ms, p95 {single.p95_ms:.2f} ms, "
            f"p99 {single.p99_ms:.2f} ms ({single.requests_per_second:,.0f} req/s, server CPU "
            f"{single.server_cpu_us:,.0f} µs/request, {single.repeated} repeated)"
        )
    if args.latency_only:
        return

    bare_traffic = Traffic("bare FastAPI app", ["/bare"], warm=["/bare"])
    raw_traffic = Traffic("for scale: a raw ASGI callable returning fixed bytes", ["/raw"], warm=["/raw"])
    bare: list[Walk] = []
    raw: list[Walk] = []
    kinds = [*table, p99_traffic]
    results: dict[tuple[str, str], list[Walk]] = {(t.label, name): [] for t in kinds for name in trees}
    scaling: dict[int, list[Walk]] = {1: [], 2: []}
    for _ in range(args.rounds):
        # Interleaved round by round, so that machine noise hits every side alike.
        bare.append(measure("bench.bare_app:app", None, bare_traffic, args.seconds))
        raw.append(measure("bench.raw_app:app", None, raw_traffic, args.seconds))
        for traffic in kinds:
            for name, root in trees.items():
                results[traffic.label, name].append(measure("app.main:app", env, traffic, args.seconds, root))
        for traffic in worker_traffics if args.workers else []:  # this tree only (earlier ones lack --workers)
            scaling[traffic.workers or 1].append(measure("app.main:app", env, traffic, args.seconds))

    base_rps = statistics.median(w.requests_per_second for w in bare)
    base_cpu = statistics.median(w.server_cpu_us for w in bare)
    rounds = f"median of {args.rounds}" if args.rounds > 1 else "1 round"
    print(
        f"bare FastAPI app: {base_rps:,.0f} req/s, server CPU {base_cpu:,.0f} µs/request "
        f"({rounds}; wrk -t2 -c32, {args.seconds} s, 1 uvicorn worker)"
    )
    print("Each cell: req/s, ratio to bare (range of the per-round ratios), server CPU per request, bare's CPU / ours.")
    print(f"| traffic | {' | '.join(trees)} | repeated | errors |")
    print(f"| --- | {' | '.join('---:' for _ in trees)} | ---: | ---: |")
    for traffic in table:
        cells = []
        for name in trees:
            walks = results[traffic.label, name]
            ratios = sorted(w.requests_per_second / b.requests_per_second for w, b in zip(walks, bare, strict=True))
            rps = statistics.median(w.requests_per_second for w in walks)
            cpu = statistics.median(w.server_cpu_us for w in walks)
            cells.append(
                f"{rps:,.0f}, **{rps / base_rps:.2f}** ({ratios[0]:.2f}–{ratios[-1]:.2f}), "
                f"{cpu:,.0f} µs, {base_cpu / cpu:.2f}"
            )
        walks = [w for name in trees for w in results[traffic.label, name]]
        print(
            f"| {traffic.label} | {' | '.join(cells)} | {sum(w.repeated for w in walks)} "
            f"| {sum(w.errors for w in walks)} |"
        )
    raw_ratios = sorted(w.requests_per_second / b.requests_per_second for w, b in zip(raw, bare, strict=True))
    raw_rps = statistics.median(w.requests_per_second for w in raw)
    spread = f"({raw_ratios[0]:.2f}–{raw_ratios[-1]:.2f})"
    raw_cpu = statistics.median(w.server_cpu_us for w in raw)
    print(f"{raw_traffic.label}: {raw_rps:,.0f} req/s, **{raw_rps / base_rps:.2f}** {spread}, {raw_cpu:,.0f} µs")
    if args.workers:
        one = [w.requests_per_second for w in scaling[1]]
        two = [w.requests_per_second for w in scaling[2]]
        ratios = sorted(b / a for a, b in zip(one, two, strict=True))
        print(
            f"mixed walk, hairkb serve: 1 worker {statistics.median(one):,.0f} req/s, 2 workers "
            f"{statistics.median(two):,.0f} req/s: **{statistics.median(two) / statistics.median(one):.2f}×** "
            f"(rounds {ratios[0]:.2f}–{ratios[-1]:.2f}; server CPU per request "
            f"{statistics.median(w.server_cpu_us for w in scaling[1]):,.0f} → "
            f"{statistics.median(w.server_cpu_us for w in scaling[2]):,.0f} µs)"
        )
    for name in trees:
        walks = results[p99_traffic.label, name]
        print(
            f"{name}: mixed walk, 64 connections: p99 {statistics.median(w.p99_ms for w in walks):.1f} ms "
            f"(rounds: {', '.join(f'{w.p99_ms:.1f}' for w in walks)}), "
            f"{statistics.median(w.requests_per_second for w in walks):,.0f} req/s"
        )


if __name__ == "__main__":
    main()
