"""Live ops for running the room: the timer, the input lock, the focus banner, and the
projector's page turns (for ``app.realtime.html_stream``).

The timer is a ``#timer`` element on every screen whose data attributes hold the
server's state (``timer_attrs``: the page renders them, events and snapshots set
them); ``app/static/timer.js`` counts down from them with the screen's clock
corrected to the server's. Input closed is ``data-input-locked`` on ``#main``; the
timer's ``data-lock-at-zero`` says input closes when it reaches zero. Like the rest
of the live stream these are pure functions of the event (no database).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.services.focus import label
from app.services.sessions import ROOM_SETTINGS

Op = dict[str, Any]
Fragment = Callable[..., str]  # LiveHtml.fragment(name, locale, **context)
# The console's remote panel fetches itself again on this (app/static/remote.js).
ROOM_CHANGED: Op = {"op": "emit", "event": "room"}


def timer_attrs(timer: dict[str, Any]) -> dict[str, Any]:
    """The ``#timer`` element's data attributes from the timer's public shape."""
    return {
        "data-state": timer["state"],
        "data-ends-at": timer["ends_at"] or "",
        "data-remaining": timer["remaining_seconds"],
        "data-duration": timer["duration_seconds"],
    }


def timer_ops(timer: dict[str, Any]) -> list[Op]:
    return [{"op": "attr", "id": "timer", "name": name, "value": value} for name, value in timer_attrs(timer).items()]


def lock_ops(session: dict[str, Any]) -> list[Op]:
    """Whether phones may send now (the facilitator's lock, and the timer's lock at zero;
    a session recorded before these settings existed had neither)."""
    return [
        {
            "op": "attr",
            "id": "main",
            "name": "data-input-locked",
            "value": "1" if session.get("input_locked") else None,
        },
        {
            "op": "attr",
            "id": "timer",
            "name": "data-lock-at-zero",
            "value": "1" if session.get("lock_when_timer_ends") else None,
        },
    ]


def focus_banner_op(fragment: Fragment, focus: dict[str, Any], locale: str) -> Op:
    return {"op": "html", "id": "focus-banner", "html": fragment("_focus_banner.html", locale, focus=focus)}


def reaction_ops(fragment: Fragment, payload: dict[str, Any], locale: str) -> list[Op]:
    """An idea's "+1" count on the board's and the console's cards (a card that is
    not on the screen is simply not found)."""
    html = fragment("_reactions.html", locale, reactions=payload["reactions"])
    return [{"op": "html", "id": f"reactions-{payload['idea_id']}", "html": html}]


def room_only(payload: dict[str, Any]) -> bool:
    """A ``session.updated`` that changed only how the room is run (locks, what the
    projector shows): no page but the projector's needs to reload for it. Events
    written before ``changed`` existed count as changing everything."""
    changed = payload.get("changed")
    return changed is not None and set(changed) <= ROOM_SETTINGS


def page_turn_op(payload: dict[str, Any]) -> Op:
    """The projector turns its own pages (their size depends on its screen)."""
    return {"op": "emit", "event": "turn", "detail": {"step": payload["step"]}}


def focus_follow_ops(
    fragment: Fragment, name: str, payload: dict[str, Any], variant: dict[str, Any], locale: str
) -> list[Op]:
    """A phone's "now discussing" banner names an idea or a group (``focus_idea``,
    ``focus_group`` in the phone's variant); when that idea is hidden or deleted, or
    that group merged away, the banner goes, and when the idea is shown again it comes
    back (the focus stays on the session meanwhile; the projector re-reads it itself).
    Other ideas' changes send nothing: most phones have nothing to draw for them.
    ``name``: the event's rendering (``EventType.live.phone``)."""
    idea, group = variant.get("focus_idea"), variant.get("focus_group")
    if idea is not None and name == "idea_hidden" and payload["idea"]["id"] == idea:
        if payload["idea"].get("hidden"):
            return [{"op": "remove", "id": f"focus-idea-{idea}"}]
        shown = {"group_id": None, "idea_id": idea, "label": label(payload["idea"]["text"])}
        return [focus_banner_op(fragment, shown, locale)]
    if idea is not None and name == "idea_deleted" and payload["idea_id"] == idea:
        return [{"op": "remove", "id": f"focus-idea-{idea}"}]
    if group is not None and name == "move" and payload.get("merged") and payload["from_group_id"] == group:
        return [{"op": "remove", "id": f"focus-group-{group}"}]
    return []
