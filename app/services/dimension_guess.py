"""A proposed dimension (and sub-element) for ideas that arrived without one: pure
text work, no database. Learned from the programme's own terms and from the ideas
this workshop has already placed; the facilitator accepts one, or all above a
confidence, and nothing changes without that."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain import DIMENSIONS
from app.services.duplicates import normalise
from app.services.idea_clusters import IdeaText


@dataclass(frozen=True)
class Guess:
    idea_id: int
    dimension: str
    sub_element: str | None
    confidence: float  # 0..1


def guess(unplaced: Sequence[IdeaText], placed: Sequence[IdeaText]) -> list[Guess]:
    """A guess for each idea of ``unplaced`` that has any evidence, best first.
    ``placed`` are ideas with a dimension (their words vote for it)."""
    votes: dict[str, dict[tuple[str, str | None], int]] = {}
    for dimension in DIMENSIONS:
        for sub in dimension.sub_elements:
            for word in normalise(sub.name_id).split():
                votes.setdefault(word, {}).setdefault((dimension.code, sub.code), 0)
                votes[word][(dimension.code, sub.code)] += 1
    for idea in placed:
        if idea.dimension is None:
            continue
        for word in set(normalise(idea.text).split()):
            key = (idea.dimension, idea.sub_element)
            votes.setdefault(word, {}).setdefault(key, 0)
            votes[word][key] += 1
    guesses: list[Guess] = []
    for idea in unplaced:
        tally: dict[tuple[str, str | None], int] = {}
        for word in set(normalise(idea.text).split()):
            for key, count in votes.get(word, {}).items():
                tally[key] = tally.get(key, 0) + count
        if not tally:
            continue
        (code, sub_code), best = max(tally.items(), key=lambda kv: kv[1])
        guesses.append(Guess(idea.idea_id, code, sub_code, round(best / sum(tally.values()), 2)))
    guesses.sort(key=lambda g: (-g.confidence, g.idea_id))
    return guesses
