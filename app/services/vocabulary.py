"""The programme's words: a small lexicon of Indonesian smart-city concepts.

Participants say the same thing in different words ("antrean RSUD", "daftar poli",
"pendaftaran rumah sakit"); a concept gathers the words a facilitator would read as the
same subject, so two ideas that share a concept look alike although they share no word.
Each concept also points at the sub-element where it usually belongs, which is the first
evidence for a dimension guess before the workshop has placed any idea.

A cue is weaker: a word that says where an idea belongs (an office, "kesehatan") but not
what it is about; it votes for its sub-element and links no ideas.

The terms themselves are data, in ``vocabulary_terms`` (how to add some is explained
there), written from general knowledge of the Gerakan Menuju 100 Smart City programme,
its offices (OPD) and how people type, never from the labelled sets that measure the
engines. A term is a word or a phrase as typed; it is matched on stems (Sastrawi), so
"pendaftaran", "daftar" and "mendaftar" are one term.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.domain import DIMENSIONS
from app.services.vocabulary_terms import CONCEPTS as TERMS
from app.services.vocabulary_terms import CUES as CUE_TERMS
from app.services.vocabulary_terms import GENERIC_WORDS
from app.services.wording import words


@dataclass(frozen=True)
class Concept:
    code: str
    label: str  # shown to the facilitator as a reason ("rumah sakit")
    dimension: str | None
    sub_element: str | None
    terms: tuple[str, ...]
    links: bool = True  # False for a cue: it votes for its sub-element, it does not link ideas


def _place(where: str | None) -> tuple[str | None, str | None]:
    dimension, _, sub = (where or "").partition("/")
    return dimension or None, sub or None


def _terms(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(",") if t.strip())


CONCEPTS = tuple(Concept(code, label, *_place(where), _terms(terms)) for code, label, where, terms in TERMS)
CUES = tuple(Concept("cue:" + where, where, *_place(where), _terms(terms), links=False) for where, terms in CUE_TERMS)
GENERIC = frozenset(GENERIC_WORDS.split())


@dataclass(frozen=True)
class Lexicon:
    by_stem: dict[str, tuple[str, ...]]  # one-word terms: stem → concept codes
    by_pair: dict[tuple[str, str], tuple[str, ...]]  # two-word terms: stems → concept codes
    concepts: dict[str, Concept]  # concepts and cues by code
    generic: frozenset[str]  # stems


@cache
def lexicon() -> Lexicon:
    """The concepts keyed by their terms' stems, built once."""
    by_stem: dict[str, set[str]] = {}
    by_pair: dict[tuple[str, str], set[str]] = {}
    for concept in CONCEPTS + CUES:
        for term in concept.terms:
            stems = [w.stem for w in words(term)]
            if len(term.split()) == 1 and len(stems) == 1:
                by_stem.setdefault(stems[0], set()).add(concept.code)
            elif len(stems) >= 2:
                # Longer phrases are matched on their first two content words.
                by_pair.setdefault((stems[0], stems[1]), set()).add(concept.code)
    generic = frozenset(w.stem for w in words(" ".join(sorted(GENERIC))))
    return Lexicon(
        {k: tuple(sorted(v)) for k, v in by_stem.items()},
        {k: tuple(sorted(v)) for k, v in by_pair.items()},
        {c.code: c for c in CONCEPTS + CUES},
        generic,
    )


def concepts_of(stems: list[str]) -> list[str]:
    """The concept codes that a sequence of stems mentions, each once, in order.

    A phrase is more specific than its words: where "bank sampah" or "rumah sakit"
    matches, its two words do not also count alone (no "bank" for a bank sampah)."""
    lex = lexicon()
    found: list[str] = []
    consumed: set[int] = set()
    for i in range(len(stems) - 1):
        pair = lex.by_pair.get((stems[i], stems[i + 1]), ())
        if pair:
            consumed.update((i, i + 1))
    for i, root in enumerate(stems):
        hits = [] if i in consumed else list(lex.by_stem.get(root, ()))
        if i + 1 < len(stems):
            hits += lex.by_pair.get((root, stems[i + 1]), ())
        for code in hits:
            if code not in found:
                found.append(code)
    return found


def sub_element_names() -> dict[tuple[str, str], str]:
    """Each (dimension, sub-element) with its Indonesian name: its words are evidence too."""
    return {(d.code, s.code): s.name_id for d in DIMENSIONS for s in d.sub_elements}
