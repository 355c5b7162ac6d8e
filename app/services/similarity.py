"""How alike two ideas are, and which sub-element an idea sounds like: the shared core of
the clustering and the dimension guess (``idea_clusters``, ``dimension_guess``).

Each idea becomes a weighted bag of features: its stems ("daftar", "antre") and the
concepts they name ("#rs" for rsud/rumah sakit/poli/pasien); the cues it names (an
office, a field's general word) only vote in ``rank``. Weights are TF-IDF over the
ideas at hand, so a word every second idea carries ("aplikasi") says little, and words
that say "digital" or "do something" rather than what (``vocabulary.GENERIC``) count a
third. Similarity is the cosine of two bags, computed for all pairs at once with numpy.

Why not scikit-learn: importing it costs ~117 MB RSS and ~2.75 s, more than the whole
budget of a suggestion (≤ 50 MB, ≤ 2 s for 330 ideas); numpy (already installed by
matplotlib) costs ~19 MB and 0.2 s, and the few lines below are all we need.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.services.vocabulary import concepts_of, lexicon, sub_element_names
from app.services.wording import words

# numpy is imported inside the functions that use it: at module level it cost every
# process (each server worker, each `rembuk` command) ~80 ms of start-up, and most
# processes never suggest anything.

# A concept is worth more than one of its words: it is what links two phrasings.
# Tuned on the development set with the broad vocabulary (2.5, 3.0, 3.5 × thresholds).
CONCEPT_WEIGHT = 3.0
GENERIC_WEIGHT = 0.3


@dataclass(frozen=True)
class IdeaText:
    """One idea as the suggestion engines see it."""

    idea_id: int
    text: str
    dimension: str | None = None
    sub_element: str | None = None


@dataclass(frozen=True)
class Bag:
    features: dict[str, float]  # feature → raw weight before IDF
    typed: dict[str, str]  # stem → the word as typed (for reasons)
    concepts: tuple[str, ...] = ()  # every concept and cue named, for the votes


def bag(text: str) -> Bag:
    found = words(text)
    stems = [w.stem for w in found]
    generic = lexicon().generic
    features: dict[str, float] = {}
    typed: dict[str, str] = {}
    for w in found:
        features[w.stem] = GENERIC_WEIGHT if w.stem in generic else 1.0
        typed.setdefault(w.stem, w.typed)
    named = concepts_of(stems)
    concepts = lexicon().concepts
    for code in named:
        if concepts[code].links:
            features["#" + code] = CONCEPT_WEIGHT
    return Bag(features, typed, tuple(named))


@dataclass
class Space:
    """The ideas' bags as rows of an L2-normalised TF-IDF matrix."""

    bags: list[Bag]
    index: dict[str, int]
    matrix: Any  # numpy array, ideas × features

    @classmethod
    def of(cls, texts: Sequence[str], extra: Sequence[str] = ()) -> Space:
        """``texts`` are the rows; ``extra`` texts only count for document frequency."""
        import numpy as np

        bags = [bag(t) for t in texts]
        extra_bags = [bag(t) for t in extra]
        df: Counter[str] = Counter()
        for b in bags + extra_bags:
            df.update(b.features.keys())
        index = {f: i for i, f in enumerate(sorted(df))}
        n = len(bags) + len(extra_bags)
        idf = {f: math.log((1 + n) / (1 + count)) + 1.0 for f, count in df.items()}
        matrix = np.zeros((len(bags), max(1, len(index))), dtype=np.float32)
        for row, b in enumerate(bags):
            for f, weight in b.features.items():
                matrix[row, index[f]] = weight * idf[f]
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return cls(bags, index, matrix / norms)

    def cosine(self) -> Any:
        import numpy as np

        sims = self.matrix @ self.matrix.T
        np.fill_diagonal(sims, 0.0)
        return sims


@dataclass(frozen=True)
class Ranking:
    """Scores per (dimension, sub-element) for one idea, best first."""

    scores: list[tuple[tuple[str, str | None], float]]
    dimension_share: dict[str, float]  # each dimension's share of the evidence, sums to 1


# Evidence weights, tuned on the development set only.
LEXICON_VOTE = 2.0  # each concept of the idea votes for its usual sub-element
CUE_VOTE = 1.0  # each cue (an office, a field's general word) for its sub-element
NEIGHBOURS = 7  # most similar placed ideas that vote
NEIGHBOUR_POWER = 2.0  # a close neighbour counts much more than a distant one


def rank(unplaced: Sequence[IdeaText], placed: Sequence[IdeaText]) -> list[Ranking]:
    """For each idea of ``unplaced``, its sub-elements by evidence: the concepts it
    names (the lexicon's prior) and the ideas of ``placed`` most like it (kNN)."""
    import numpy as np

    placed = [p for p in placed if p.dimension is not None]
    names = sub_element_names()
    space = Space.of([i.text for i in unplaced] + [p.text for p in placed])
    n = len(unplaced)
    sims = space.cosine()[:n, n:] if placed else np.zeros((n, 0))
    concepts = lexicon().concepts
    name_bags = {key: set(bag(name).features) for key, name in names.items()}
    rankings: list[Ranking] = []
    for row in range(n):
        tally: dict[tuple[str, str | None], float] = {}
        features = space.bags[row].features
        for code in space.bags[row].concepts:
            concept = concepts[code]
            if concept.dimension is not None:
                key = (concept.dimension, concept.sub_element)
                tally[key] = tally.get(key, 0.0) + (LEXICON_VOTE if concept.links else CUE_VOTE)
        for key, name_features in name_bags.items():
            shared = len(name_features & features.keys())
            if shared:
                tally[key] = tally.get(key, 0.0) + 0.2 * shared
        if placed:
            order = np.argsort(-sims[row])[:NEIGHBOURS]
            for j in order:
                sim = float(sims[row, j])
                if sim <= 0:
                    break
                p = placed[j]
                key = (p.dimension or "", p.sub_element)
                tally[key] = tally.get(key, 0.0) + sim**NEIGHBOUR_POWER * 2.0
        total = sum(tally.values())
        dims: dict[str, float] = {}
        for (dim, _sub), value in tally.items():
            dims[dim] = dims.get(dim, 0.0) + value
        share = {d: v / total for d, v in dims.items()} if total else {}
        rankings.append(Ranking(sorted(tally.items(), key=lambda kv: -kv[1]), share))
    return rankings
