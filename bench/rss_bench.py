"""Memory under distinct traffic (issue 16): the server's RSS while it answers N requests that never repeat
(distinct suggest prefixes and distinct searches, most with no hits), so that every response is a new entry
for the caches to hold or let go. Bounded caches show as an RSS that levels off.

    .venv/bin/python -m bench.rss_bench [--requests 1000000] [--chunk 200000]
"""

from __future__ import annotations

import argparse
import random
import string
from pathlib import Path

from bench import traffic_urls
from bench.traffic_bench import walk
from bench.wrk_runner import ROOT, serve_process


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def distinct_urls(count: int, words: list[str], rng: random.Random, seen: set[str]) -> list[str]:
    """Suggest prefixes of random letters (three in four) and searches of a vocabulary word and a random one."""
    urls: list[str] = []
    while len(urls) < count:
        noise = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 10)))
        if rng.random() < 0.75:
            url = traffic_urls.suggest_url(noise)
        else:
            url = traffic_urls.search_url(f"{rng.choice(words)} {noise}")
        if url not in seen:
            seen.add(url)
            urls.append(url)
    return urls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=200_000)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    env = {"HAIRKB_DATA_DIR": str(args.data.resolve())}  # defaults otherwise: metrics and access log on
    rng, seen = random.Random(16), set[str]()
    with serve_process("app.main:app", env, "/readyz") as (base, pid):
        words = traffic_urls.fetch(base).vocabulary
        print(f"after start-up: RSS {_rss_mb(pid):.0f} MB")
        sent, rate = 0, 2000.0
        while sent < args.requests:
            urls = distinct_urls(args.chunk, words, rng, seen)
            # Well short of the chunk at the last rate, so that a faster batch does not send a URL twice.
            result = walk(base, urls, max(1, int(args.chunk / rate * 0.5)))
            sent += result.requests
            rate = max(result.requests_per_second, 100.0)
            print(
                f"after {sent:,} distinct requests: RSS {_rss_mb(pid):.0f} MB "
                f"({result.requests_per_second:,.0f} req/s, {result.repeated} repeated, {result.errors} errors)",
                flush=True,
            )


if __name__ == "__main__":
    main()
