"""The engines' quality on the labelled ideas (tests/data/ideas/), the same computation as
bench/suggestions_quality.py.

The acceptance targets (scored set: pairwise precision ≥ 0.85 with recall ≥ 0.5,
dimension top-1 ≥ 0.80 on the product's split) are not all met yet: the dimension is,
clustering is not: ``test_targets`` is a strict xfail that says
so and turns red the day they are met, so the floors below get raised with it. The floors
are the measured numbers less a small margin: a change that makes the engines worse
fails here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.suggestions_quality import Quality, quality  # noqa: E402

# Measured 2026-12-07 after the broad vocabulary (bench/RESULTS.md), less ~0.03.
# dimension_top1 is the product's split, dimension_folds the stricter 5-fold one.
FLOORS = {
    "dev": {"precision": 0.75, "recall": 0.37, "dimension_top1": 0.86, "dimension_folds": 0.78},
    "scored": {"precision": 0.52, "recall": 0.27, "dimension_top1": 0.78, "dimension_folds": 0.74},
}


@pytest.fixture(scope="module")
def measured() -> dict[str, Quality]:
    return {name: quality(name) for name in FLOORS}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_no_worse_than_measured(measured, name):
    q = measured[name]
    for metric, floor in FLOORS[name].items():
        assert getattr(q, metric) >= floor, (name, metric, getattr(q, metric))


def test_a_confident_guess_is_mostly_right(measured):
    """ "Accept all ≥ 0.6" is what the console offers: most of those must be right."""
    for q in measured.values():
        assert q.accepted == 0 or q.accepted_right >= 0.8, q


@pytest.mark.xfail(strict=True, reason="scored set: precision ~0.55, recall ~0.31 (dimension 0.81 met; bench/RESULTS.md)")
def test_targets(measured):
    assert measured["scored"].misses() == []
