"""The word filter: a workshop's list of words that hold an idea for review (the
facilitator approves or hides it) even when its session is not pre-moderated.

Matching is on normalised words, so "B4NGS4T", "baaangsat" and "Bangsatnya" are
caught while "asuransi" or "assessment" never are: text and list entries are
folded the same way (``normalise``: case, accents, simple leetspeak, a letter
repeated for emphasis written once), split into words, and an entry matches a
word that is the entry itself or the entry with a common Indonesian or English
ending (``ENDINGS``). An entry of several words matches them in sequence.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from app.errors import Invalid
from app.models import Workshop
from app.services.text import clean_text
from app.services.word_filter_words import DEFAULT_WORDS

MAX_WORDS = 500
MAX_WORD_LENGTH = 40

# Digits and signs typed for letters ("b4ngs4t", "$h!t"), replaced only inside a
# word that has a letter: "2024" and "4 RT" stay numbers.
_LEET = str.maketrans({"4": "a", "@": "a", "1": "i", "!": "i", "3": "e", "0": "o", "5": "s", "$": "s", "7": "t"})
_WORD = re.compile(r"[0-9a-z@$!]+")
_REPEATS = re.compile(r"(.)\1+")
# What Indonesian and English put after a word: "-nya", "-lah", "-in" ("dibegoin"
# needs its prefix too and is not caught), plurals and "-ing".
ENDINGS = ("", "nya", "lah", "kah", "pun", "mu", "ku", "in", "an", "kan", "i", "s", "es", "ed", "er", "ers", "ing", "y")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    """The normalised words of a text, in order."""
    out = []
    for raw in _WORD.findall(_fold(text)):
        word = raw.strip("!")
        if not word:
            continue
        if any(c.isalpha() for c in word):
            word = word.translate(_LEET)
        out.append(_REPEATS.sub(r"\1", word))
    return out


@lru_cache(maxsize=4096)  # the same few hundred entries are checked against every idea
def normalise(entry: str) -> tuple[str, ...]:
    """A list entry as the words it matches ("" entries fold to nothing)."""
    return tuple(words_of(entry))


def _matches_word(entry: str, word: str) -> bool:
    if not word.startswith(entry):
        return False
    rest = word[len(entry) :]
    # A repeated letter was written once: "tolol" + "lah" folded to "tololah".
    return rest in ENDINGS or (entry[-1] + rest) in ENDINGS


def hits(text: str, entries: Iterable[str]) -> list[str]:
    """The entries that occur in ``text`` (as the facilitator wrote them)."""
    words = words_of(text)
    found = []
    for entry in entries:
        parts = normalise(entry)
        if not parts:
            continue
        n = len(parts)
        for start in range(len(words) - n + 1):
            window = words[start : start + n]
            if window[:-1] == list(parts[:-1]) and _matches_word(parts[-1], window[-1]):
                found.append(entry)
                break
    return found


def words(workshop: Workshop) -> list[str]:
    """The workshop's list: its own, or the default one while it has none."""
    return list(parsed(workshop.word_filter))


@lru_cache(maxsize=64)
def parsed(stored: str | None) -> tuple[str, ...]:
    """A list as stored (``Workshop.word_filter``: JSON, or None for the default), read
    once per distinct list, not once per idea."""
    if stored is None:
        return tuple(DEFAULT_WORDS)
    return tuple(json.loads(stored))


def check_words(entries: Sequence[str]) -> list[str]:
    """Cleaned (one line each, control characters out), blank lines dropped, each
    kept once; at most MAX_WORDS of at most MAX_WORD_LENGTH characters, else 422."""
    out: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for entry in entries:
        if not isinstance(entry, str):
            raise Invalid("Each word must be text.")
        word = clean_text(entry, field="Word", max_length=MAX_WORD_LENGTH, required=False)
        if not word:
            continue
        key = normalise(word)
        if not key:
            raise Invalid("A word in the filter needs at least one letter or digit.")
        if key in seen:
            continue
        seen.add(key)
        out.append(word)
    if len(out) > MAX_WORDS:
        raise Invalid("The word filter holds at most %(max)s words.", max=MAX_WORDS)
    return out
