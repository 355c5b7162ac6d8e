"""Reading what people type into HTML forms.

A form's fields arrive as text; a number that does not parse is answered with the
page and a message in the caller's language (``Invalid``, a 422), not with FastAPI's
JSON list of field errors that a browser would show raw.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, overload

from fastapi import Depends, Form

from app.errors import Invalid


@overload
def form_int(value: str | None, *, field: str, default: int) -> int: ...
@overload
def form_int(value: str | None, *, field: str, default: None = None) -> int | None: ...
def form_int(value: str | None, *, field: str, default: int | None = None) -> int | None:
    """A number typed into a form; a friendly 422 instead of FastAPI's JSON error."""
    value = (value or "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise Invalid("%(field)s must be a whole number.", field=field) from None


def form_float(value: str | None, *, field: str, default: float | None = None) -> float | None:
    """A decimal typed into a form; "3,5" (the Indonesian decimal comma) is 3.5."""
    value = (value or "").strip().replace(",", ".")
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise Invalid("%(field)s must be a number.", field=field) from None
    if not math.isfinite(number):
        raise Invalid("%(field)s must be a number.", field=field)
    return number


class SessionSettingsForm:
    """The fields of ``fragments/_session_settings.html``, one set for both forms that
    show it: a new session (workshop page) and a session's settings (console).

    An unticked checkbox is absent from a form, so absent means off; an empty number
    means "the default" for a new session and "unchanged" for an existing one."""

    FLAGS = (
        "anonymous",
        "participants_can_group",
        "live_votes",
        "anonymous_exports",
        "commitment_open",
        "join_locked",
        "reactions_enabled",
    )

    def __init__(
        self,
        anonymous: str | None = Form(None),
        participants_can_group: str | None = Form(None),
        live_votes: str | None = Form(None),
        anonymous_exports: str | None = Form(None),
        commitment_open: str | None = Form(None),
        join_locked: str | None = Form(None),
        reactions_enabled: str | None = Form(None),
        idea_max_length: str = Form(""),
        vote_budget: str = Form(""),
        max_votes_per_group: str = Form(""),
        layout: str = Form(""),
        quick_win_threshold: str = Form(""),
        moderation: str = Form(""),
    ) -> None:
        flags = (
            anonymous,
            participants_can_group,
            live_votes,
            anonymous_exports,
            commitment_open,
            join_locked,
            reactions_enabled,
        )
        self.flags = {name: bool(value) for name, value in zip(self.FLAGS, flags, strict=True)}
        self.text = {
            "idea_max_length": idea_max_length,
            "vote_budget": vote_budget,
            "max_votes_per_group": max_votes_per_group,
            "layout": layout,
            "quick_win_threshold": quick_win_threshold,
            "moderation": moderation,
        }

    def typed(self) -> dict[str, Any]:
        """What was typed, to show the form again after a refusal."""
        return {**self.flags, **self.text}

    def values(self) -> dict[str, Any]:
        """Parsed for ``sessions.create_session`` / ``update_session`` (which validate the
        ranges); raises ``Invalid`` for text that is not a number."""
        return {
            **self.flags,
            "idea_max_length": form_int(self.text["idea_max_length"], field="Idea max length"),
            "vote_budget": form_int(self.text["vote_budget"], field="Vote budget"),
            "max_votes_per_group": form_int(self.text["max_votes_per_group"], field="Max votes per group"),
            "layout": self.text["layout"].strip() or None,
            "quick_win_threshold": form_float(self.text["quick_win_threshold"], field="Quick-win threshold"),
            "moderation": self.text["moderation"].strip() or None,
        }


SessionSettings = Annotated[SessionSettingsForm, Depends()]
