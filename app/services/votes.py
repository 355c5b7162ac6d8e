"""Dot voting on groups.

Each participant has ``vote_budget`` dots and may put at most
``max_votes_per_group`` on one group. The budget must hold when a phone fires many
requests at once (Parabol once lost this to a counting race): every cast counts and
inserts inside a write transaction that holds the session row (PostgreSQL: FOR
UPDATE; SQLite: BEGIN IMMEDIATE), so two casts never count the same state.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.db import Db, write_transaction
from app.domain import Phase
from app.errors import Conflict, Forbidden, NotFound
from app.models import Idea, IdeaGroup, Participant, Vote
from app.services import events, tallies
from app.services.ideas import _locked_session


@dataclass(frozen=True)
class VoteResult:
    group_id: int
    my_votes_on_group: int
    votes_left: int
    seq: int


def _mine(db: Db, participant_id: int, group_id: int | None = None) -> int:
    query = select(func.count()).select_from(Vote).where(Vote.participant_id == participant_id)
    if group_id is not None:
        query = query.where(Vote.group_id == group_id)
    return db.scalar(query) or 0


def _votable_group(db: Db, participant: Participant, group_id: int) -> IdeaGroup:
    group = db.get(IdeaGroup, group_id)
    if group is None:
        raise NotFound("Group not found.")
    if group.session_id != participant.session_id:
        raise Forbidden("You can only vote in the session you joined.")
    visible = db.scalar(
        select(func.count()).select_from(Idea).where(Idea.group_id == group_id, ~Idea.deleted, ~Idea.hidden)
    )
    if not visible:
        raise NotFound("Group not found.")
    return group


def _check_vote_phase(phase: str) -> None:
    if phase != Phase.vote.value:
        raise Conflict("Voting is not open: dots can be given or taken back only during the vote phase.")


def votes_left(db: Db, participant: Participant, budget: int) -> int:
    return tallies.votes_left(budget, _mine(db, participant.id))


def cast(db: Db, *, participant: Participant, group_id: int) -> VoteResult:
    _votable_group(db, participant, group_id)
    with write_transaction(db):
        session = _locked_session(db, participant.session_id)
        _check_vote_phase(session.phase)
        group = _votable_group(db, participant, group_id)
        used = _mine(db, participant.id)
        if used >= session.vote_budget:
            raise Conflict("You have no dots left (%(budget)s per person). Take one back to move it.",
                           budget=session.vote_budget)
        on_group = _mine(db, participant.id, group.id)
        if on_group >= session.max_votes_per_group:
            raise Conflict("At most %(max)s dots per group.", max=session.max_votes_per_group)
        db.add(Vote(session_id=session.id, group_id=group.id, participant_id=participant.id))
        db.flush()
        result = _record(db, "vote.cast", participant, group.id, session.vote_budget)
    return result


def retract(db: Db, *, participant: Participant, group_id: int) -> VoteResult:
    _votable_group(db, participant, group_id)
    with write_transaction(db):
        session = _locked_session(db, participant.session_id)
        _check_vote_phase(session.phase)
        vote = db.scalar(
            select(Vote)
            .where(Vote.participant_id == participant.id, Vote.group_id == group_id)
            .order_by(Vote.id.desc())
            .limit(1)
        )
        if vote is None:
            raise Conflict("You have no dot on this group to take back.")
        db.delete(vote)
        db.flush()
        result = _record(db, "vote.removed", participant, group_id, session.vote_budget)
    return result


def _record(db: Db, type: str, participant: Participant, group_id: int, budget: int) -> VoteResult:
    mine_here = _mine(db, participant.id, group_id)
    left = tallies.votes_left(budget, _mine(db, participant.id))  # as the board says it
    seq = events.record(
        db,
        session_id=participant.session_id,
        type=type,
        payload={
            "group_id": group_id,
            "votes": tallies.on_group(db, group_id),
            "participant_id": participant.id,
            "my_votes_on_group": mine_here,
            "votes_left": left,
        },
    )
    return VoteResult(group_id=group_id, my_votes_on_group=mine_here, votes_left=left, seq=seq)
