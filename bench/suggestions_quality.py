"""Quality of the suggestion engines on the labelled ideas (tests/data/ideas/).

    .venv/bin/python bench/suggestions_quality.py [--no-speed]

- Clustering: every idea ungrouped, with the dimension the phone sent (None when
  empty), goes through ``propose``; predicted pairs are pairs in one cluster, gold
  pairs share a topic. Pairwise precision and recall.
- Dimension: 5-fold over topics; the placed ideas are the other folds' ideas that came
  with a dimension (as typed, sub-element unknown), the unplaced are this fold's ideas
  that came without one; top-1 against the gold dimension and sub-element, and how
  often "accept all ≥ 0.6" is right.
- dev.csv is the development set (everything was tuned on it); scored_a + scored_b is
  the scored set, the one the targets apply to. Exits 1 when the scored set misses one.
Time and RSS growth come from bench/suggestions_speed.py in a fresh process.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.services.dimension_guess import guess  # noqa: E402
from app.services.idea_clusters import IdeaText, propose  # noqa: E402

DATA = ROOT / "tests" / "data" / "ideas"
SETS = {"dev": ("dev.csv",), "scored": ("scored_a.csv", "scored_b.csv")}
FOLDS = 5
ACCEPT = 0.6
TARGET_PRECISION = 0.85
TARGET_RECALL = 0.5
TARGET_DIMENSION = 0.80


@dataclass(frozen=True)
class Row:
    topic: str
    dimension: str
    sub_element: str
    typed: str | None
    text: str


@dataclass(frozen=True)
class Quality:
    name: str
    ideas: int
    gold_pairs: int
    predicted_pairs: int
    precision: float
    recall: float
    guessed: int  # ideas without a typed dimension
    dimension_top1: float
    sub_element_top1: float
    accepted: int  # guesses with confidence ≥ ACCEPT
    accepted_right: float

    def misses(self) -> list[str]:
        found = []
        if self.precision < TARGET_PRECISION:
            found.append(f"precision {self.precision:.3f} < {TARGET_PRECISION}")
        if self.recall < TARGET_RECALL:
            found.append(f"recall {self.recall:.3f} < {TARGET_RECALL}")
        if self.dimension_top1 < TARGET_DIMENSION:
            found.append(f"dimension {self.dimension_top1:.3f} < {TARGET_DIMENSION}")
        return found


def load(name: str) -> list[Row]:
    rows: list[Row] = []
    for file in SETS[name]:
        with open(DATA / file, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                rows.append(Row(r["topic"], r["dimension"], r["sub_element"], r["typed_dimension"] or None, r["text"]))
    return rows


def pairs_of(groups: list[list[int]]) -> set[tuple[int, int]]:
    return {pair for g in groups for pair in combinations(sorted(g), 2)}


def clustering(rows: list[Row]) -> tuple[int, int, float, float]:
    ideas = [IdeaText(k, r.text, r.typed) for k, r in enumerate(rows)]
    predicted = pairs_of([list(c.idea_ids) for c in propose(ideas)])
    topics: dict[str, list[int]] = {}
    for k, r in enumerate(rows):
        topics.setdefault(r.topic, []).append(k)
    gold = pairs_of(list(topics.values()))
    right = len(predicted & gold)
    precision = right / len(predicted) if predicted else 1.0
    recall = right / len(gold) if gold else 1.0
    return len(gold), len(predicted), precision, recall


def dimensions(rows: list[Row]) -> tuple[int, float, float, int, float]:
    topics = sorted({r.topic for r in rows})
    fold_of = {t: k % FOLDS for k, t in enumerate(topics)}
    total = dim_right = sub_right = accepted = accepted_right = 0
    for fold in range(FOLDS):
        unplaced = [IdeaText(k, r.text) for k, r in enumerate(rows) if fold_of[r.topic] == fold and r.typed is None]
        placed = [IdeaText(k, r.text, r.typed) for k, r in enumerate(rows) if fold_of[r.topic] != fold and r.typed]
        guesses = {g.idea_id: g for g in guess(unplaced, placed)}
        for idea in unplaced:
            total += 1
            g = guesses.get(idea.idea_id)
            if g is None:
                continue
            row = rows[idea.idea_id]
            dim_right += g.dimension == row.dimension
            sub_right += g.dimension == row.dimension and g.sub_element == row.sub_element
            if g.confidence >= ACCEPT:
                accepted += 1
                accepted_right += g.dimension == row.dimension
    return (
        total,
        dim_right / total if total else 1.0,
        sub_right / total if total else 1.0,
        accepted,
        accepted_right / accepted if accepted else 1.0,
    )


def quality(name: str) -> Quality:
    rows = load(name)
    gold, predicted, precision, recall = clustering(rows)
    guessed, dim, sub, accepted, accepted_right = dimensions(rows)
    return Quality(name, len(rows), gold, predicted, precision, recall, guessed, dim, sub, accepted, accepted_right)


def speed() -> dict[str, float]:
    out = subprocess.run(  # noqa: S603 (our own script, by absolute path)
        [sys.executable, str(ROOT / "bench" / "suggestions_speed.py"), "--json"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> int:
    results = [quality("dev"), quality("scored")]
    timing = speed() if "--no-speed" not in sys.argv else {}
    print(
        "| set | ideas | gold pairs | predicted pairs | precision | recall | no dimension | dimension top-1"
        " | sub-element top-1 | accepted ≥ 0.6 (right) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for q in results:
        print(
            f"| {q.name} | {q.ideas} | {q.gold_pairs} | {q.predicted_pairs} | {q.precision:.3f} | {q.recall:.3f}"
            f" | {q.guessed} | {q.dimension_top1:.3f} | {q.sub_element_top1:.3f}"
            f" | {q.accepted} ({q.accepted_right:.3f}) |"
        )
    if timing:
        print(
            f"\n{int(timing['ideas'])} ideas, propose + guess in a fresh process after `import app.main`:"
            f" {timing['seconds']:.2f} s, RSS growth {timing['rss_growth_mb']:.1f} MB"
        )
    misses = results[1].misses()
    if misses:
        print("scored set misses: " + "; ".join(misses))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
