"""Proposed groups of ideas that say the same thing: pure text work, no database.

Only a proposal: the facilitator accepts, edits or rejects each cluster, and an
accepted one becomes ordinary moves (``services.suggestions``). Precision first: a
wrong merge costs the facilitator more than a missed one, so a cluster is kept only
when its ideas share enough meaning, and it says why (the words they share).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.services.duplicates import Shape, normalise, score

# Baseline: the duplicate detector's threshold (word/trigram overlap).
THRESHOLD = 0.6


@dataclass(frozen=True)
class IdeaText:
    """One idea as the suggestion engines see it."""

    idea_id: int
    text: str
    dimension: str | None = None
    sub_element: str | None = None


@dataclass(frozen=True)
class Cluster:
    title: str  # a representative phrase from its own ideas
    dimension: str | None
    idea_ids: tuple[int, ...]
    why: tuple[str, ...]  # the shared words that made it


def propose(ideas: Sequence[IdeaText]) -> list[Cluster]:
    """Clusters of two or more ideas, per dimension (ideas without one among
    themselves), largest first. Every idea is in at most one cluster."""
    by_dimension: dict[str | None, list[IdeaText]] = {}
    for idea in ideas:
        by_dimension.setdefault(idea.dimension, []).append(idea)
    clusters: list[Cluster] = []
    for dimension, members in by_dimension.items():
        shapes = [Shape.of(normalise(m.text)) for m in members]
        parent = list(range(len(members)))
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                if score(shapes[i], shapes[j]) >= THRESHOLD:
                    parent[_root(parent, j)] = _root(parent, i)
        components: dict[int, list[int]] = {}
        for i in range(len(members)):
            components.setdefault(_root(parent, i), []).append(i)
        for indexes in components.values():
            if len(indexes) < 2:
                continue
            shared = frozenset.intersection(*(shapes[i].words for i in indexes))
            title = min((members[i].text for i in indexes), key=len)
            clusters.append(
                Cluster(
                    title=title,
                    dimension=dimension,
                    idea_ids=tuple(members[i].idea_id for i in indexes),
                    why=tuple(sorted(shared)),
                )
            )
    clusters.sort(key=lambda c: (-len(c.idea_ids), c.idea_ids))
    return clusters


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i
