"""A proposed dimension (and sub-element) for ideas that arrived without one: pure
text work, no database. Learned from the programme's own terms (``vocabulary``: each
concept votes for its usual sub-element, each cue such as an office's name more weakly,
and a dimension's evidence is the sum over its sub-elements), from the sub-elements'
own names, and from the ideas this workshop has already placed (the most similar ones
vote, ``similarity.rank``); the facilitator accepts one,
or all above a confidence, and nothing changes without that."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.services.similarity import IdeaText, Ranking, rank

# The dimension's share of the evidence overstates how sure a guess is when there is
# little evidence: shrink it towards a uniform guess by how much evidence there was.
# Tuned on the development set so that "accept all ≥ 0.6" is mostly right.
EVIDENCE_HALF = 0.3


@dataclass(frozen=True)
class Guess:
    idea_id: int
    dimension: str
    sub_element: str | None
    confidence: float  # 0..1


def decide(ranking: Ranking) -> tuple[str, str | None, float] | None:
    """The best dimension, its best named sub-element and a confidence, if any evidence."""
    if not ranking.dimension_share:
        return None
    dimension, share = max(ranking.dimension_share.items(), key=lambda kv: (kv[1], kv[0]))
    evidence = sum(v for (d, _s), v in ranking.scores if d == dimension)
    sub = next((s for (d, s), _v in ranking.scores if d == dimension and s is not None), None)
    confidence = share * evidence / (evidence + EVIDENCE_HALF)
    return dimension, sub, round(min(1.0, max(0.0, confidence)), 2)


def guess(unplaced: Sequence[IdeaText], placed: Sequence[IdeaText]) -> list[Guess]:
    """A guess for each idea of ``unplaced`` that has any evidence, best first.
    ``placed`` are ideas with a dimension (the most similar ones vote for theirs)."""
    guesses: list[Guess] = []
    for idea, ranking in zip(unplaced, rank(unplaced, placed), strict=True):
        decided = decide(ranking)
        if decided is not None:
            guesses.append(Guess(idea.idea_id, *decided))
    guesses.sort(key=lambda g: (-g.confidence, g.idea_id))
    return guesses
