"""What the room looks at: the facilitator's focus on one group or idea, and turning
the projector's pages from the console (the presenter remote).

The focus is stored on the session (a screen that opens later shows it too); its
event carries a short ``label`` (the group's title or the idea's text) so phones can
show "now discussing …" without reading the database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db, write_transaction
from app.errors import Conflict, Invalid, NotFound
from app.models import Facilitator, Idea, IdeaGroup, Session
from app.services import events, sessions

LABEL_MAX = 200
PAGE_STEPS = (-1, 1)


def _first_visible_text(db: Db, group_id: int) -> str | None:
    return db.scalar(
        select(col(Idea.text))
        .where(col(Idea.group_id) == group_id, ~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending))
        .order_by(col(Idea.id))
        .limit(1)
    )


def label(text: str | None) -> str:
    """What phones name: the text on one line, at most ``LABEL_MAX`` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"


def public(db: Db, session: Session) -> dict[str, Any]:
    """``{"group_id", "idea_id", "label"}`` as the API and the screens show it; all
    None when nothing is focused, or when what was focused has since gone (merged,
    deleted or hidden): the projector is public, so a hidden idea is never shown."""
    empty: dict[str, Any] = {"group_id": None, "idea_id": None, "label": None}
    if session.focus_idea_id is not None:
        idea = db.get(Idea, session.focus_idea_id)
        if idea is None or idea.deleted or idea.hidden or idea.pending or idea.session_id != session.id:
            return empty
        return {"group_id": None, "idea_id": idea.id, "label": label(idea.text)}
    if session.focus_group_id is not None:
        group = db.get(IdeaGroup, session.focus_group_id)
        if group is None or group.session_id != session.id:
            return empty
        first = _first_visible_text(db, group.id)
        if first is None:
            return empty
        return {"group_id": group.id, "idea_id": None, "label": label(group.title or first)}
    return empty


def set_focus(
    db: Db, *, facilitator: Facilitator, session_id: int, group_id: int | None = None, idea_id: int | None = None
) -> tuple[dict[str, Any], int | None]:
    """Focus the board on one group or one idea (both None: back to the view).
    Returns (the focus, the event's seq or None when nothing changed)."""
    if group_id is not None and idea_id is not None:
        raise Invalid("Choose a group or an idea to focus on, not both.")
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    with write_transaction(db):
        session = sessions.locked(db, session_id)
        if group_id is not None:
            group = db.get(IdeaGroup, group_id)
            if group is None or group.session_id != session.id or _first_visible_text(db, group.id) is None:
                raise NotFound("Group not found.")
        if idea_id is not None:
            idea = db.get(Idea, idea_id)
            if idea is None or idea.deleted or idea.session_id != session.id:
                raise NotFound("Idea not found.")
            if idea.hidden:
                raise Conflict("This idea is hidden: show it again before focusing on it.")
            if idea.pending:
                raise Conflict("This idea waits for approval: approve it before focusing on it.")
        if (session.focus_group_id, session.focus_idea_id) == (group_id, idea_id):
            return public(db, session), None
        session.focus_group_id, session.focus_idea_id = group_id, idea_id
        db.flush()
        shown = public(db, session)
        seq = events.record(db, session_id=session.id, type="focus.changed", payload={"focus": shown})
    return shown, seq


def turn_page(db: Db, *, facilitator: Facilitator, session_id: int, step: int) -> int:
    """The presenter remote's ‹ and ›: the projector shows its previous or next page.
    A page is the board's own (it depends on its screen size), so the event carries
    only the step; it is recorded like every control, so the board hears it live."""
    if step not in PAGE_STEPS:
        raise Invalid("Turn the page with step 1 (next) or -1 (previous).")
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    with write_transaction(db):
        session = sessions.locked(db, session_id)
        return events.record(db, session_id=session.id, type="board.paged", payload={"step": step})
