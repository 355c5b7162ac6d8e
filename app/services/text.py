"""Cleaning what people type on phones before it is stored."""

from __future__ import annotations

import re
import unicodedata

from app.errors import Invalid

# C0/C1 control characters except tab and newline; they break exports and terminals.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t]+")
# A lone UTF-16 surrogate (a phone cut an emoji in half; JSON "\ud83d") cannot be
# stored or sent back as UTF-8: it used to become a 500. Shown as U+FFFD instead.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(
    value: str | None, *, field: str, max_length: int, required: bool = True, multiline: bool = False
) -> str:
    """NFC-normalise, drop control characters, collapse spaces, enforce the length."""
    text = _SURROGATE.sub("\ufffd", value or "")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    if not multiline:
        text = text.replace("\n", " ")
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if required and not text:
        raise Invalid("%(field)s must not be empty.", field=field)
    if len(text) > max_length:
        raise Invalid(
            "%(field)s is too long (%(length)s characters, at most %(max)s).",
            field=field,
            length=len(text),
            max=max_length,
        )
    return text


def shown(value: str, max_length: int = 60) -> str:
    """Someone's input made safe to echo in an error message (printable characters only)."""
    return "".join(c for c in value if c.isprintable())[:max_length]
