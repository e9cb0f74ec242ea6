"""Scale benchmark: a synthetic knowledge base of 10,000 conditions/mechanisms and 100,000 citations.

    .venv/bin/python -m bench.scale_bench [--entities 10000] [--citations 100000] [--queries 500]
    .venv/bin/python -m bench.scale_bench --data data     # the same figures on the real knowledge base

Reports validate, load (database write and read back) and index (snapshot: search + suggest) times
of the server's own start-up function,
peak RSS of the process, and single-client latency of the search engine and of suggest (called
directly, so the per-version response cache does not hide the work).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.observability import Metrics
from app.runtime import Runtime, start
from app.settings import Settings
from bench.wrk_runner import ROOT


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--citations", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--data", type=Path, help="measure this data directory instead of a synthetic one")
    args = parser.parse_args()

    if args.data is not None:
        runtime = start(Settings(data_dir=args.data), Metrics())
    else:
        runtime = _synthetic_runtime(args.entities, args.citations)
    _report(runtime, args.queries)


def _synthetic_runtime(entities: int, citations: int) -> Runtime:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        started = time.perf_counter()
        # A separate process, so that the generator's memory does not count in our peak RSS.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.synthetic",
                str(data),
                "--entities",
                str(entities),
                "--citations",
                str(citations),
            ],
            check=True,
            cwd=ROOT,
        )
        size = sum(f.stat().st_size for f in data.iterdir()) / 1e6
        print(
            f"generated {entities:,} entities and {citations:,} citations "
            f"({size:.0f} MB of YAML) in {time.perf_counter() - started:.1f} s"
        )
        return start(Settings(data_dir=data), Metrics())  # exactly what the server's start-up does


def _report(runtime: Runtime, count: int) -> None:
    for name, seconds in runtime.timings.items():
        print(f"{name:28} {seconds:6.1f} s")
    print(f"{'total':28} {sum(runtime.timings.values()):6.1f} s")
    print(f"peak RSS                     {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.0f} MB")
    snapshot = runtime.generation.snapshot
    stored = snapshot.kb

    rng = random.Random(11)
    vocabulary = [w for w in snapshot.search.index.vocabulary if len(w) >= 5]
    names = [c.name for c in list(stored.conditions.values())[:2000]]
    queries = []
    for i in range(count):
        word = rng.choice(vocabulary)
        kind = i % 4
        if kind == 0:
            queries.append(word)
        elif kind == 1:
            queries.append(f"{word} {rng.choice(vocabulary)}")
        elif kind == 2:  # a typo: two neighbouring letters swapped
            j = rng.randrange(len(word) - 1)
            queries.append(word[:j] + word[j + 1] + word[j] + word[j + 2 :])
        else:
            queries.append(rng.choice(names))
    timings = []
    for q in queries:
        t0 = time.perf_counter()
        snapshot.search.search(q, None, 10, 0)
        timings.append((time.perf_counter() - t0) * 1000)
    print(
        f"search latency ({len(queries)} queries)  p50 {_percentile(timings, 50):6.2f} ms   "
        f"p95 {_percentile(timings, 95):6.2f} ms"
    )
    prefixes = [rng.choice(names)[: rng.randint(1, 6)] for _ in range(count)]
    timings = []
    for prefix in prefixes:
        t0 = time.perf_counter()
        snapshot.suggestions.suggest(prefix)
        timings.append((time.perf_counter() - t0) * 1000)
    print(
        f"suggest latency ({len(prefixes)} prefixes) p50 {_percentile(timings, 50):6.2f} ms   "
        f"p95 {_percentile(timings, 95):6.2f} ms"
    )


if __name__ == "__main__":
    main()
