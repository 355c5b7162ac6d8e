"""Proposed groups of ideas that say the same thing: pure text work, no database.

Only a proposal: the facilitator accepts, edits or rejects each cluster, and an
accepted one becomes ordinary moves (``services.suggestions``). Precision first: a
wrong merge costs the facilitator more than a missed one, so a cluster is kept only
when its ideas share enough meaning, and it says why (the words they share).

How: each idea is a TF-IDF bag of stems and concepts (``similarity``); within each
dimension, complete-linkage agglomerative clustering merges the two most alike groups
while every pair of their ideas stays above ``THRESHOLD`` in cosine, and no group grows
past ``MAX_SIZE``. Complete linkage, not single: a chain of ideas each a bit like the
next ("antrean RSUD" → "aplikasi RSUD" → "aplikasi pengaduan") does not become one group;
on the development set it was also a little more precise than average linkage.
An idea without a dimension joins the dimension that ``similarity.rank`` guesses from
the others when the guess is clear, else it is clustered with the other such ideas.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.services.similarity import IdeaText, Space, rank
from app.services.vocabulary import lexicon

# numpy is imported inside the functions that use it: at module level it cost every
# process (each server worker, each `rembuk` command) ~80 ms of start-up, and most
# processes never suggest anything.

__all__ = ["THRESHOLD", "Cluster", "IdeaText", "propose"]

# Tuned on the development set only (bench/suggestions_quality.py).
THRESHOLD = 0.4
MAX_SIZE = 5
# Document frequencies over the whole workshop (False) or within each dimension (True),
# and the linkage: measured both ways on the development set, these were better.
LOCAL_IDF = False
LINKAGE = "complete"
# An idea without a dimension is clustered within the guessed dimension when that
# dimension has at least this share of the evidence.
ADOPT_SHARE = 0.5
TITLE_CHARS = 80
MAX_REASONS = 4


@dataclass(frozen=True)
class Cluster:
    title: str  # a representative phrase from its own ideas
    dimension: str | None
    idea_ids: tuple[int, ...]
    why: tuple[str, ...]  # the shared words that made it


def propose(ideas: Sequence[IdeaText]) -> list[Cluster]:
    """Clusters of two or more ideas, per dimension (ideas without one joined to a
    clear guess, or among themselves), largest first. Every idea is in at most one
    cluster."""
    import numpy as np

    ideas = list({i.idea_id: i for i in ideas}.values())
    if len(ideas) < 2:
        return []
    dimensions = _dimensions(ideas)
    by_dimension: dict[str | None, list[IdeaText]] = {}
    for idea, dimension in zip(ideas, dimensions, strict=True):
        by_dimension.setdefault(dimension, []).append(idea)
    clusters: list[Cluster] = []
    for dimension, members in by_dimension.items():
        space = Space.of([m.text for m in members], [] if LOCAL_IDF else [i.text for i in ideas if i not in members])
        sims = space.cosine()
        for group in _agglomerate(sims):
            clusters.append(
                Cluster(
                    title=_title([members[k].text for k in group], sims[np.ix_(group, group)]),
                    dimension=dimension,
                    idea_ids=tuple(members[k].idea_id for k in group),
                    why=_why(space, group),
                )
            )
    clusters.sort(key=lambda c: (-len(c.idea_ids), c.idea_ids))
    return clusters


def _dimensions(ideas: list[IdeaText]) -> list[str | None]:
    placed = [i for i in ideas if i.dimension is not None]
    unplaced = [i for i in ideas if i.dimension is None]
    adopted: dict[int, str] = {}
    if placed and unplaced:
        for idea, ranking in zip(unplaced, rank(unplaced, placed), strict=True):
            if ranking.dimension_share:
                dimension, share = max(ranking.dimension_share.items(), key=lambda kv: (kv[1], kv[0]))
                if share >= ADOPT_SHARE:
                    adopted[idea.idea_id] = dimension
    return [i.dimension if i.dimension is not None else adopted.get(i.idea_id) for i in ideas]


def _agglomerate(sims: Any) -> list[list[int]]:
    """Average-linkage agglomerative clustering above ``THRESHOLD``: groups of 2+."""
    import numpy as np

    n = sims.shape[0]
    if n < 2:
        return []
    link = sims.astype(np.float64).copy()
    np.fill_diagonal(link, -1.0)
    members: list[list[int]] = [[k] for k in range(n)]
    alive = np.ones(n, dtype=bool)
    while True:
        flat = int(np.argmax(link))
        a, b = divmod(flat, n)
        if link[a, b] < THRESHOLD:
            break
        if len(members[a]) + len(members[b]) > MAX_SIZE:
            link[a, b] = link[b, a] = -1.0
            continue
        size_a, size_b = len(members[a]), len(members[b])
        if LINKAGE == "complete":
            merged = np.minimum(link[a], link[b])
        else:
            merged = (link[a] * size_a + link[b] * size_b) / (size_a + size_b)
        members[a] = members[a] + members[b]
        members[b] = []
        alive[b] = False
        link[a] = merged
        link[:, a] = merged
        link[b, :] = -1.0
        link[:, b] = -1.0
        link[a, a] = -1.0
        link[~alive, a] = -1.0
        link[a, ~alive] = -1.0
    return [sorted(m) for m in members if len(m) >= 2]


_SPACES = re.compile(r"\s+")
_UNWANTED = re.compile(r"[^\w\s,.&/()'%:+-]", re.UNICODE)


def _title(texts: list[str], sims: Any) -> str:
    """The most central idea's own text, cleaned (emoji, "!!!", runs of spaces) and
    cut at a word boundary."""
    import numpy as np

    central = int(np.argmax(sims.sum(axis=1))) if len(texts) > 1 else 0
    text = _SPACES.sub(" ", _UNWANTED.sub(" ", texts[central])).strip(" ,.-")
    if len(text) > TITLE_CHARS:
        text = text[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,.-") + "…"
    return text[:1].upper() + text[1:] if text else texts[central][:TITLE_CHARS]


def _why(space: Space, members: list[int]) -> tuple[str, ...]:
    """The concepts and words that at least two of the ideas share, most shared first,
    as a person reads them: a concept by its label, a stem by the word as typed."""
    counts: Counter[str] = Counter()
    for m in members:
        counts.update(space.bags[m].features.keys())
    concepts = lexicon().concepts
    generic = lexicon().generic
    reasons: list[str] = []
    ranked = sorted(
        (f for f, c in counts.items() if c >= 2),
        key=lambda f: (-counts[f], not f.startswith("#"), f in generic, f),
    )
    for feature in ranked:
        if feature.startswith("#"):
            label = concepts[feature[1:]].label
        else:
            typed = Counter(space.bags[m].typed[feature] for m in members if feature in space.bags[m].typed)
            label = typed.most_common(1)[0][0]
        if label not in reasons and not any(label in r.split() for r in reasons):
            reasons.append(label)
        if len(reasons) == MAX_REASONS:
            break
    return tuple(reasons)
