"""Likely duplicates to merge: same dimension, similar text.

Only a suggestion: the facilitator accepts one with a click (a move), nothing is
ever merged automatically. Indonesian phone text is normalised first: case,
punctuation, and the abbreviations people type in a hurry ("yg", "utk", "dgn" …).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import select
from sqlmodel import col

from app.db import Db
from app.models import Idea, IdeaGroup

# The normal form lives in wording (shared with the suggestion engines); re-exported here.
from app.services.wording import ABBREVIATIONS as ABBREVIATIONS
from app.services.wording import STOPWORDS as STOPWORDS
from app.services.wording import normalise

THRESHOLD = 0.6
MAX_SUGGESTIONS = 30


def trigrams(text: str) -> frozenset[str]:
    """Character trigrams of each word, padded (" an", "ant", … "an "): typos and
    spelling variants ("antrean"/"antrian") still share most of them."""
    grams: set[str] = set()
    for word in text.split():
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


@dataclass(frozen=True)
class Shape:
    """A normalised text, prepared once for comparing with many others."""

    words: frozenset[str]
    grams: frozenset[str]

    @classmethod
    def of(cls, normalised: str) -> Shape:
        return cls(frozenset(normalised.split()), trigrams(normalised))


def score(a: Shape, b: Shape) -> float:
    """Word overlap (order-free, Jaccard) or, when higher, character trigram overlap
    (Dice, for typos) with a little of the word overlap. Set operations only: a
    character alignment (difflib) cost half a minute on a 2,000-idea session, and
    scored unrelated ideas that share two words too high ("Aplikasi antrean online
    RSUD" / "Aplikasi pengaduan online Disdukcapil": 0.64 there, 0.49 here)."""
    if not a.words or not b.words:
        return 0.0
    jaccard = len(a.words & b.words) / len(a.words | b.words)
    dice = 2 * len(a.grams & b.grams) / (len(a.grams) + len(b.grams))
    return round(max(jaccard, dice * 0.9 + jaccard * 0.1), 3)


def similarity(a: str, b: str) -> float:
    """``score`` of two normalised texts."""
    return score(Shape.of(a), Shape.of(b))


@dataclass(frozen=True)
class Suggestion:
    group_id: int
    other_group_id: int
    dimension: str | None
    score: float


def suggest(db: Db, *, session_id: int) -> list[Suggestion]:
    """Pairs of groups in the same dimension whose texts look alike, best first."""
    rows = db.execute(
        select(col(IdeaGroup.id), col(IdeaGroup.title), col(IdeaGroup.dimension), col(Idea.text))
        .join(Idea, col(Idea.group_id) == col(IdeaGroup.id))
        .where(col(IdeaGroup.session_id) == session_id, ~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending))
        .order_by(col(IdeaGroup.id), col(Idea.id))
    ).all()
    texts: dict[int, list[str]] = {}
    dims: dict[int, str | None] = {}
    for gid, title, dim, text in rows:
        texts.setdefault(gid, [title] if title else []).append(text)
        dims[gid] = dim
    by_dim: dict[str | None, list[tuple[int, Shape]]] = {}
    for gid, parts in texts.items():
        by_dim.setdefault(dims[gid], []).append((gid, Shape.of(normalise(" ".join(parts)))))
    found: list[Suggestion] = []
    for dim, items in by_dim.items():
        for (ga, sa), (gb, sb) in combinations(items, 2):
            value = score(sa, sb)
            if value >= THRESHOLD:
                found.append(Suggestion(ga, gb, dim, value))
    found.sort(key=lambda s: (-s.score, s.group_id, s.other_group_id))
    return found[:MAX_SUGGESTIONS]
