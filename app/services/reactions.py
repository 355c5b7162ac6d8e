"""Reactions: "+1 setuju" on someone else's idea, from a phone.

One per person per idea (a row in ``reaction``, unique), taken back by deleting it;
the idea's ``reactions`` count is written with it under the session lock, so every
payload that carries an idea carries its count. Asking again is answered with the
same state and records nothing (a retried tap on weak Wi-Fi). The facilitator can
turn reactions off for a session (``reactions_enabled``); they follow the input lock
like everything a phone sends. An idea the room cannot see (hidden, deleted) takes
none, and nobody reacts to their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from app.db import Db, write_transaction
from app.domain import Phase
from app.errors import Conflict, Forbidden, NotFound
from app.models import Idea, Participant, Reaction, Session
from app.services import events, input_lock, sessions

# Phases in which the room's ideas are on the phones and the board.
OPEN_PHASES = frozenset({Phase.brainstorm.value, Phase.group.value, Phase.vote.value})


@dataclass(frozen=True)
class ReactionResult:
    idea_id: int
    reactions: int
    reacted: bool
    seq: int | None  # None: nothing changed (already so), nothing recorded


def react(db: Db, *, participant: Participant, idea_id: int) -> ReactionResult:
    """Add my "+1" (``seq`` None when it was there already)."""
    return _change(db, participant, idea_id, reacted=True)


def take_back(db: Db, *, participant: Participant, idea_id: int) -> ReactionResult:
    """Take my "+1" back (``seq`` None when there was none)."""
    return _change(db, participant, idea_id, reacted=False)


def mine(db: Db, participant_id: int) -> set[int]:
    """The ideas this participant has reacted to."""
    return set(db.scalars(select(col(Reaction.idea_id)).where(col(Reaction.participant_id) == participant_id)))


def _reactable(db: Db, participant: Participant, idea_id: int) -> Idea:
    idea = db.get(Idea, idea_id)
    if idea is None or idea.deleted or idea.hidden or idea.pending:
        raise NotFound("Idea not found.")
    if idea.session_id != participant.session_id:
        raise Forbidden("You can only react in the session you joined.")
    if idea.participant_id == participant.id:
        raise Conflict("This is your own idea: +1 is for other people's ideas.")
    return idea


def _check_open(session: Session) -> None:
    if not session.reactions_enabled:
        raise Conflict("The facilitator has turned +1 off in this session.")
    if session.phase not in OPEN_PHASES:
        raise Conflict("+1 is open while ideas are collected, grouped and voted on.")
    input_lock.check(session)


def _change(db: Db, participant: Participant, idea_id: int, *, reacted: bool) -> ReactionResult:
    _reactable(db, participant, idea_id)
    with write_transaction(db):
        session = sessions.locked(db, participant.session_id)
        idea = _reactable(db, participant, idea_id)
        db.refresh(idea)  # its count as of this lock, not as first read
        mine_row = db.scalar(
            select(Reaction).where(col(Reaction.idea_id) == idea.id, col(Reaction.participant_id) == participant.id)
        )
        if (mine_row is not None) == reacted:
            return ReactionResult(idea.id, idea.reactions, reacted, None)
        _check_open(session)
        if reacted:
            db.add(Reaction(session_id=session.id, idea_id=idea.id, participant_id=participant.id))
            idea.reactions += 1
        else:
            db.delete(mine_row)
            idea.reactions -= 1
        db.flush()
        seq = events.record(
            db,
            session_id=session.id,
            type="idea.reacted",
            payload={
                "idea_id": idea.id,
                "group_id": idea.group_id,
                "reactions": idea.reactions,
                "participant_id": participant.id,
                "reacted": reacted,
            },
        )
    return ReactionResult(idea.id, idea.reactions, reacted, seq)
