"""The word cloud of a session's ideas: which words the visible ideas mention.

A word counts once per idea, so the cloud shows how many ideas mention it, not who
typed it most. Words are shown as typed (case folded): no stemming beyond the
Indonesian enclitics and reduplication, because "pelayanan" stemmed to "layan" is
not a word anyone on the board would recognise.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db
from app.models import Idea
from app.services.stopwords import ALL as STOP_WORDS

TOP_WORDS = 100
MIN_LENGTH = 3
ENCLITICS = ("nya", "lah", "kah", "pun")
# "masalah" is not "masa" + "-lah": words whose ending belongs to the root.
NOT_ENCLITIC = frozenset(
    [
        "masalah",
        "sekolah",
        "bersekolah",
        "istilah",
        "sebelah",
        "mengolah",
        "pengolah",
        "langkah",
        "tingkah",
        "sedekah",
        "bongkah",
        "menghimpun",
        "dihimpun",
        "bertanya",
        "ditanya",
    ]
)


def _combining_marks() -> str:
    """Combining marks (accents left after NFKC, Indic and Javanese vowel signs)
    belong inside a word, but ``\\w`` does not match them: a character-class body of
    their ranges. Only the blocks where living scripts keep their marks are scanned:
    the whole of Unicode took 120 ms at import."""
    blocks = ((0x0300, 0x2000), (0x20D0, 0x2100), (0xA600, 0xAB00), (0xFE00, 0xFE30))
    marks = [c for lo, hi in blocks for c in range(lo, hi) if unicodedata.category(chr(c)).startswith("M")]
    ranges: list[list[int]] = []
    for c in marks:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "".join(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges)


_PART = rf"[\w{_combining_marks()}]+"
# A word, or words joined by hyphens ("anak-anak", "e-ktp"); anything else separates.
_RUN = re.compile(rf"{_PART}(?:-{_PART})*")
# Phones' keyboards type other hyphens; "_" is in \w but joins nothing people read.
_SEPARATORS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-", "_": " "})
# "anak2" is how phones write "anak-anak".
_REDUPLICATED_2 = re.compile(r"([^\W\d_]{3,})2")


def tokens(text: str) -> set[str]:
    """The distinct cloud words of one idea's text."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold()).translate(_SEPARATORS)
    return set().union(*map(_words, _RUN.findall(text)))


def count(texts: Iterable[str], limit: int = TOP_WORDS) -> list[dict[str, Any]]:
    """The ``limit`` words mentioned by most texts, each counted once per text;
    ties in alphabetical order so the projector does not reshuffle between polls."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(tokens(text))
    # Alphabetical, then a stable sort by count: keeps that order among equal counts
    # (two C-level sorts: 9 ms for 60,000 distinct words, a Python key function 26 ms).
    ranked = sorted(sorted(counts.items()), key=itemgetter(1), reverse=True)
    return [{"word": word, "count": n} for word, n in ranked[: max(limit, 0)]]


def words(db: Db, *, session_id: int, limit: int = TOP_WORDS) -> list[dict[str, Any]]:
    """The word cloud of a session: its ideas that are neither deleted nor hidden
    (a hidden idea must not come back on the projector as words)."""
    texts = db.scalars(
        select(col(Idea.text)).where(
            col(Idea.session_id) == session_id, ~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending)
        )
    )
    return count(texts, limit)


# A session repeats the same few hundred words: caching them saves most of the work.
# Bounded, since the texts come from anyone with a join code.
@lru_cache(maxsize=20_000)
def _words(run: str) -> tuple[str, ...]:
    """The cloud words of one hyphenated run: reduplication ("anak-anak",
    "data-datanya") is its base word; other runs ("e-ktp") are separate words."""
    parts = run.split("-")
    if len(parts) == 2 and parts[0] in (parts[1], _strip(parts[1])):
        parts = parts[:1]
    return tuple(word for part in parts if (word := _word(part)))


def _word(part: str) -> str | None:
    if part.endswith("2") and (match := _REDUPLICATED_2.fullmatch(part)) is not None:
        part = match[1]
    word = _strip(part)
    if len(word) < MIN_LENGTH or word.isdigit() or part in STOP_WORDS or word in STOP_WORDS:
        return None
    return word


def _strip(word: str) -> str:
    """Drop an enclitic ("layanannya" → "layanan") when at least 4 letters remain,
    so short roots ("punya", "adalah") are left alone."""
    if not word.endswith(ENCLITICS) or word in NOT_ENCLITIC:
        return word
    for ending in ENCLITICS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word
