"""Quality of the suggestion engines on the labelled ideas (tests/data/ideas/).

    .venv/bin/python bench/suggestions_quality.py [--no-speed] [--set dev|scored]

- Clustering: every idea ungrouped, with the dimension the phone sent (None when
  empty), goes through ``propose``; predicted pairs are pairs in one cluster, gold
  pairs share a topic. Pairwise precision and recall.
- Dimension, headline ("dimension top-1"): the split the product sees. The placed ideas
  are every idea that came WITH a typed dimension, as typed (a participant's wrong pick
  included; sub-element unknown); the unplaced, the ones scored, are every idea that came
  without one. Only the placed ideas' texts and typed dimensions are learned from; the
  unplaced ideas' texts count in document frequencies (the product sees them too), their
  labels only in the score. Top-1 against the gold dimension and sub-element, and how
  often "accept all ≥ 0.6" is right.
- Dimension, stricter ("5-fold"): 5-fold over topics; the placed ideas are the other
  folds' typed ones, the unplaced this fold's untyped ones. No idea of the same topic is
  ever placed, so kNN cannot lean on a sibling phrasing: what is left is the lexicon and
  ideas of other topics. A workshop's first untyped ideas look like this.
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
    dimension_top1: float  # the product's split (see the docstring)
    sub_element_top1: float
    accepted: int  # guesses with confidence ≥ ACCEPT
    accepted_right: float
    dimension_folds: float  # 5-fold over topics (stricter)

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


@dataclass(frozen=True)
class Guessed:
    total: int
    dimension: float
    sub_element: float
    accepted: int
    accepted_right: float


def score_guesses(rows: list[Row], unplaced_ids: list[int], placed_ids: list[int]) -> tuple[int, int, int, int, int]:
    unplaced = [IdeaText(k, rows[k].text) for k in unplaced_ids]
    placed = [IdeaText(k, rows[k].text, rows[k].typed) for k in placed_ids]
    guesses = {g.idea_id: g for g in guess(unplaced, placed)}
    dim_right = sub_right = accepted = accepted_right = 0
    for k in unplaced_ids:
        g = guesses.get(k)
        if g is None:
            continue
        row = rows[k]
        dim_right += g.dimension == row.dimension
        sub_right += g.dimension == row.dimension and g.sub_element == row.sub_element
        if g.confidence >= ACCEPT:
            accepted += 1
            accepted_right += g.dimension == row.dimension
    return len(unplaced_ids), dim_right, sub_right, accepted, accepted_right


def guessed(counts: list[tuple[int, int, int, int, int]]) -> Guessed:
    total, dim, sub, accepted, right = (sum(c[i] for c in counts) for i in range(5))
    return Guessed(
        total,
        dim / total if total else 1.0,
        sub / total if total else 1.0,
        accepted,
        right / accepted if accepted else 1.0,
    )


def dimensions(rows: list[Row]) -> Guessed:
    """The product's split: every typed idea placed, every untyped one guessed."""
    unplaced = [k for k, r in enumerate(rows) if r.typed is None]
    placed = [k for k, r in enumerate(rows) if r.typed]
    return guessed([score_guesses(rows, unplaced, placed)])


def dimensions_by_folds(rows: list[Row]) -> Guessed:
    """5-fold over topics: no idea of an unplaced idea's topic is placed."""
    topics = sorted({r.topic for r in rows})
    fold_of = {t: k % FOLDS for k, t in enumerate(topics)}
    counts = []
    for fold in range(FOLDS):
        unplaced = [k for k, r in enumerate(rows) if fold_of[r.topic] == fold and r.typed is None]
        placed = [k for k, r in enumerate(rows) if fold_of[r.topic] != fold and r.typed]
        counts.append(score_guesses(rows, unplaced, placed))
    return guessed(counts)


def quality(name: str) -> Quality:
    rows = load(name)
    gold, predicted, precision, recall = clustering(rows)
    g = dimensions(rows)
    folds = dimensions_by_folds(rows)
    return Quality(
        name,
        len(rows),
        gold,
        predicted,
        precision,
        recall,
        g.total,
        g.dimension,
        g.sub_element,
        g.accepted,
        g.accepted_right,
        folds.dimension,
    )


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
    names = [sys.argv[sys.argv.index("--set") + 1]] if "--set" in sys.argv else ["dev", "scored"]
    results = [quality(name) for name in names]
    timing = speed() if "--no-speed" not in sys.argv else {}
    print(
        "| set | ideas | gold pairs | predicted pairs | precision | recall | no dimension | dimension top-1"
        " | sub-element top-1 | accepted ≥ 0.6 (right) | dimension 5-fold |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for q in results:
        print(
            f"| {q.name} | {q.ideas} | {q.gold_pairs} | {q.predicted_pairs} | {q.precision:.3f} | {q.recall:.3f}"
            f" | {q.guessed} | {q.dimension_top1:.3f} | {q.sub_element_top1:.3f}"
            f" | {q.accepted} ({q.accepted_right:.3f}) | {q.dimension_folds:.3f} |"
        )
    if timing:
        print(
            f"\n{int(timing['ideas'])} ideas, propose + guess in a fresh process after `import app.main`:"
            f" {timing['seconds']:.2f} s, RSS growth {timing['rss_growth_mb']:.1f} MB"
        )
    misses = [m for q in results if q.name == "scored" for m in q.misses()]
    if misses:
        print("scored set misses: " + "; ".join(misses))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
