"""Time and memory of one suggestion round (``propose`` + ``guess``) on 330 ideas, in a
fresh process that has imported ``app.main`` as a server has: the engines' own imports
(numpy, Sastrawi, the lexicon) and the first call, with empty caches, are included.

    .venv/bin/python bench/suggestions_speed.py [--ideas 330] [--json]

RSS is read from /proc/self/statm (Linux), before the engines are imported and after.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "ideas"


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        resident = int(f.read().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(count: int) -> dict[str, float]:
    import app.main  # noqa: F401  (what a server has loaded before the first suggestion)

    rows: list[dict[str, str]] = []
    for name in ("scored_a.csv", "scored_b.csv", "dev.csv"):
        with open(DATA / name, newline="", encoding="utf-8") as f:
            rows.extend(csv.DictReader(f))
    rows = rows[:count]
    before = rss_mb()
    started = time.perf_counter()
    from app.services.dimension_guess import guess
    from app.services.idea_clusters import IdeaText, propose

    ideas = [IdeaText(k, r["text"], r["typed_dimension"] or None) for k, r in enumerate(rows)]
    clusters = propose(ideas)
    guesses = guess([i for i in ideas if i.dimension is None], [i for i in ideas if i.dimension is not None])
    elapsed = time.perf_counter() - started
    return {
        "ideas": len(ideas),
        "clusters": len(clusters),
        "guesses": len(guesses),
        "seconds": round(elapsed, 3),
        "rss_growth_mb": round(rss_mb() - before, 1),
        "rss_mb": round(rss_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=330)
    parser.add_argument("--json", action="store_true", help="one JSON line (for suggestions_quality.py)")
    args = parser.parse_args()
    result = measure(args.ideas)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>14}: {value}")


if __name__ == "__main__":
    main()
