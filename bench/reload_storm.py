"""What the vote's reload storm leaves in the server's memory (what the soak's growth came from).

The 300-phone soak (bench/soak.py) grew by 27 MB in the seconds the vote opened and
never gave it back: every phone reloads into the ballot at once, and each ballot
lists every group. This isolates that moment so changes can be compared in a minute
instead of a 12-minute soak. It builds a throw-away SQLite database through the
services (one session, ``--ideas`` ideas each in its own group, ``--phones``
participants, the vote phase), starts ``rembuk serve`` on it (one worker, what a
laptop runs), and sends every phone's ``GET /s/{id}`` (gzip, as browsers ask)
``--storms`` times, ``--concurrency`` at once, sampling the server's RSS
(/proc) every 0.2 s.

Growth that stops after the first storm is the allocator's working set; growth on
every storm is a leak.

    .venv/bin/python bench/reload_storm.py [--ideas 600] [--phones 300] [--storms 3]
    .venv/bin/python bench/reload_storm.py --env MALLOC_ARENA_MAX=2

Numbers only; results in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import httpx  # noqa: E402
from page_render import build, fresh_app  # noqa: E402
from room import ProcessTree, serving_sqlite  # noqa: E402


async def storm(base: str, sid: int, tokens: list[str], concurrency: int) -> tuple[list[float], list[int]]:
    gate = asyncio.Semaphore(concurrency)
    times: list[float] = []
    sizes: list[int] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def one(token: str) -> None:
            async with gate:
                t0 = time.perf_counter()
                response = await client.get(
                    f"/s/{sid}", headers={"cookie": f"rembuk_p{sid}={token}", "accept-encoding": "gzip"}
                )
                times.append(time.perf_counter() - t0)
                if response.status_code != 200 or "vote-card" not in response.text:
                    raise SystemExit(f"GET /s/{sid}: {response.status_code} {response.text[:200]!r}")
                if response.headers.get("content-encoding") != "gzip":
                    raise SystemExit(f"GET /s/{sid}: not gzipped ({dict(response.headers)})")
                sizes.append(response.num_bytes_downloaded)

        await asyncio.gather(*(one(t) for t in tokens))
    return times, sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, default=600)
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--storms", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight (default 32)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="for the server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rembuk-storm-") as tmp:
        app, url = fresh_app(tmp)
        sid, tokens, _ = build(app, args.ideas, args.phones)
        with serving_sqlite(tmp, url, extra_env=args.env) as (base, proc):
            tree = ProcessTree(proc.pid)  # the server's RSS from /proc every 0.2 s (bench/room.py)
            tree.start()
            idle = tree.rss_now / 2**20
            print(
                f"{args.ideas} ideas in {args.ideas} groups, {args.phones} phones, vote phase; "
                f"{args.concurrency} GETs in flight; server env {' '.join(args.env) or '(default)'}\n"
            )
            print("| storm | RSS before MB | peak MB | after (+2 s) MB | page p50 ms | p95 ms | gzip KB |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            for n in range(1, args.storms + 1):
                before = tree.rss_now / 2**20
                tree.peak_rss = 0  # this storm's peak
                times, sizes = asyncio.run(storm(base, sid, tokens, args.concurrency))
                time.sleep(2)
                after = tree.rss_now / 2**20
                times.sort()
                print(
                    f"| {n} | {before:.0f} | {tree.peak_rss / 2**20:.0f} | {after:.0f} | "
                    f"{statistics.median(times) * 1000:.0f} | {times[int(len(times) * 0.95) - 1] * 1000:.0f} | "
                    f"{statistics.median(sizes) / 1024:.0f} |"
                )
            tree.stop()
            end = tree.rss_now / 2**20
            print(f"\nRSS idle {idle:.0f} MB → after the storms {end:.0f} MB (+{end - idle:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
