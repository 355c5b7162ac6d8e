"""Moderation: which ideas wait for the facilitator before the room sees them, and
who may decide.

An idea is held (``Idea.pending``) when its session is pre-moderated
(``Session.moderation == "pre"``, ``held_for="moderation"``) or when its text hits
the workshop's word filter (``held_for="word_filter"``, whatever the session's
setting), whoever typed it: a phone, or a scribe for someone without one. A held
idea is seen by the workshop's team and its author only
(``app.services.audience.trim_idea``) until ``ideas.approve`` lets it onto the board
or the existing hide takes it off the queue.

Who decides (approve, hide, the filter, the setting, removing someone with their
ideas): the owner and co-facilitators, ``Permission.run`` asked of
``workshops.require`` like every other way of running a session; a scribe reads the
queue and the filter (``Permission.read``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db, known, write_transaction
from app.domain import Moderation, Permission
from app.models import Facilitator, Idea, Participant, Session, Stage, Workshop
from app.services import payloads, word_filter, workshops

HELD_FOR_MODERATION = "moderation"
HELD_FOR_WORD_FILTER = "word_filter"


def hold_reason(db: Db, *, session: Session, text: str) -> str | None:
    """Why a new idea with this text waits for the facilitator, or None: a word-filter
    hit says more than the setting, so it wins."""
    # One statement for the workshop's list (every idea of a room asks).
    row = db.execute(
        select(col(Workshop.word_filter))
        .join(Stage, col(Stage.workshop_id) == col(Workshop.id))
        .where(col(Stage.id) == session.stage_id)
    ).first()
    if row is not None and word_filter.hits(text, word_filter.parsed(row[0])):
        return HELD_FOR_WORD_FILTER
    if session.moderation == Moderation.pre.value:
        return HELD_FOR_MODERATION
    return None


def queue(db: Db, session_id: int) -> list[dict[str, Any]]:
    """The ideas waiting for a decision, oldest first, as the facilitator sees them."""
    rows = db.execute(
        select(Idea, Participant)
        .outerjoin(Participant, col(Participant.id) == col(Idea.participant_id))
        .where(col(Idea.session_id) == session_id, col(Idea.pending), ~col(Idea.hidden), ~col(Idea.deleted))
        .order_by(col(Idea.id))
    ).all()
    return [payloads.idea_public(idea, author) for idea, author in rows]


def filter_words(db: Db, *, facilitator: Facilitator, workshop_id: int) -> list[str]:
    """The workshop's word filter: the whole team may read it (``Permission.read``)."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)
    return word_filter.words(workshop)


def set_filter_words(db: Db, *, facilitator: Facilitator, workshop_id: int, entries: Sequence[str]) -> list[str]:
    """Replace the workshop's word filter (an empty list: nothing is held for its
    words). Ideas already sent stay as they are: the list holds what comes next."""
    workshops.require(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.run)
    cleaned = word_filter.check_words(entries)
    with write_transaction(db):
        workshop = known(db, Workshop, workshop_id, populate_existing=True)
        workshop.word_filter = json.dumps(cleaned, ensure_ascii=False)
    return cleaned
