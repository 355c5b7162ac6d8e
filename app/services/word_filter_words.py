"""The word filter's starting list: what a workshop holds for review until its
facilitator edits the list (``Workshop.word_filter`` is None).

Kept short on purpose: common Indonesian and English insults, profanity and slurs
that have no ordinary meaning in a Smart City masterplan. Left out: words that are
also ordinary nouns there ("anjing", "babi", "monyet": stray dogs, swine fever and
macaques are real agenda items) and words too mild to be worth a held idea
("bodoh", "stupid"). A facilitator adds the region's own words in the console.

Entries are matched after ``app.services.word_filter.normalise`` (case, accents,
simple leetspeak, repeated letters), as whole words or with a common ending
("bangsatnya", "idiots"): never inside another word ("asuransi", "assessment").
"""

from __future__ import annotations

INDONESIAN = (
    "bajingan",
    "bangsat",
    "banci",
    "bego",
    "bencong",
    "brengsek",
    "entot",
    "goblog",
    "goblok",
    "jancok",
    "jancuk",
    "kampret",
    "keparat",
    "kontol",
    "lonte",
    "memek",
    "ngentot",
    "pantek",
    "pukimak",
    "sundal",
    "taik",
    "tolol",
)

ENGLISH = (
    "asshole",
    "bastard",
    "bitch",
    "cunt",
    "dickhead",
    "faggot",
    "fuck",
    "idiot",
    "moron",
    "motherfucker",
    "nigger",
    "retard",
    "shit",
    "slut",
    "whore",
)

DEFAULT_WORDS: tuple[str, ...] = INDONESIAN + ENGLISH
