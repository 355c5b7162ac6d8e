"""What events carry and screens show of an idea and a group, built in one place.

The stored payload of every idea and group event is built here (the full idea,
author included; ``app.services.audience`` trims it per audience when it is sent),
so an event written by any service has the same shape, and the board's snapshot and
the live events agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db
from app.models import Idea, IdeaGroup, Participant, iso
from app.services import lineage, ratings, tallies


def author_public(author: Participant | None) -> dict[str, Any] | None:
    if author is None:
        return None
    return {"name": author.name, "organization": author.organization, "organization_type": author.organization_type}


def idea_public(idea: Idea, author: Participant | None) -> dict[str, Any]:
    """The full idea as stored in events; ``app.services.board`` trims it per audience."""
    return {
        "id": idea.id,
        "group_id": idea.group_id,
        "text": idea.text,
        "dimension": idea.dimension,
        "sub_element": idea.sub_element,
        "swot": idea.swot,
        "hidden": idea.hidden,
        "participant_id": idea.participant_id,
        "author": author_public(author),
        "created_at": iso(idea.created_at),
        "updated_at": iso(idea.updated_at),
        "reactions": idea.reactions,
        "pending": idea.pending,
        "held_for": idea.held_for,
        "after_session": idea.after_session,
        # Typed by a scribe for someone without a phone: the console marks it.
        "entered_by_id": idea.entered_by_id,
    }


def visible_authors(db: Db, session_id: int) -> list[dict[str, Any]]:
    """Author of every idea a phone can see (not deleted, not hidden, not held), for the
    ``session.updated`` event that switches anonymity (see ``board.event_for``)."""
    rows = db.execute(
        select(col(Idea.id), col(Idea.participant_id), Participant)
        .outerjoin(Participant, col(Participant.id) == col(Idea.participant_id))
        .where(col(Idea.session_id) == session_id, ~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending))
        .order_by(col(Idea.id))
    ).all()
    return [{"idea_id": i, "participant_id": p, "author": author_public(a)} for i, p, a in rows]


def group_public(group: IdeaGroup, origin: dict[str, Any] | None = None) -> dict[str, Any]:
    """A group as every screen may see it (tallies and ratings travel beside it and
    are trimmed per audience). ``origin``: see ``lineage.origin``."""
    return {
        "id": group.id,
        "title": group.title,
        "dimension": group.dimension,
        "swot": group.swot,
        "sub_element": group.sub_element,
        "horizon": group.horizon,
        "owner": group.owner,
        "budget_source": group.budget_source,
        "quick_win": group.quick_win,
        "origin": origin,
    }


def new_group_state(group: IdeaGroup) -> dict[str, Any]:
    """``group_state`` of a group made in this transaction (a new idea's own group):
    nothing can have voted on, rated or been carried into it yet, so nothing is read
    (two queries fewer under the session's lock, per idea of a brainstorm)."""
    return {"group": group_public(group, None), "tally": tallies.empty_tally(), "scores": ratings.empty_scores()}


def group_state(db: Db, group: IdeaGroup) -> dict[str, Any]:
    """``group``, its ``tally`` and its ``scores`` for an event payload. Every event
    that carries a group carries its votes and ratings too: unhiding an idea, or a
    merge, can show a phone a group it could not see before, and the phone must then
    learn its counts from the event (``board.event_for`` trims them per audience)."""
    return {
        "group": group_public(group, lineage.origin(db, group)),
        "tally": tallies.group_tally(db, group.id),
        "scores": ratings.group_scores(db, group.id),
    }
