"""Recognising one person or one office across sessions.

Participants have no account: each join is a new row. The same person joining
Tahap I and Tahap III is recognised by name and organisation written the same
way up to case and spacing ("Diskominfo" and "DISKOMINFO " are one office).
"""

from __future__ import annotations

from app.domain import ORGANIZATION_TYPE_LABELS
from app.i18n import gettext


def key(text: str) -> str:
    return " ".join(text.split()).casefold()


def person_key(name: str, organization: str) -> tuple[str, str]:
    return key(name), key(organization)


def type_label(code: str | None) -> str:
    """Organisation types are English msgids in the domain; summaries are Indonesian."""
    return gettext("id", ORGANIZATION_TYPE_LABELS.get(code or "", code or ""))
