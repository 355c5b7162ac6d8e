"""Dot voting on groups.

Each participant has ``vote_budget`` dots and may put at most
``max_votes_per_group`` on one group. The budget must hold when a phone fires many
requests at once (Parabol once lost this to a counting race): every cast counts and
inserts inside a write transaction that holds the session row (PostgreSQL: FOR
UPDATE; SQLite: BEGIN IMMEDIATE), so two casts never count the same state.

A retry must not give a second dot: with ``expected`` (the dots the caller saw on
the group before this change), a cast or retract whose caller saw another number
than the one counted inside that same transaction writes nothing
(``applied=False``): the first try already did it, or another tab did. Checked
under the lock, so two identical requests in the same instant give one dot, not
two (a check before the transaction let both pass).

A phone that cannot know what the server counted (it queued the tap while offline)
sends a ``key`` instead, one per tap (``Idempotency-Key``): the answer is kept as a
``VoteReceipt`` in the same transaction as the dot, and the same key again gets the
same answer, nothing written (``replayed=True``). Looked up under the session lock
too, so retries of one key in the same instant give one dot.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, case, exists, func, insert, or_, select
from sqlmodel import col

from app.db import Db, write_transaction
from app.domain import Phase
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import Idea, IdeaGroup, Participant, Session, Vote, VoteReceipt, utcnow
from app.services import events, input_lock, sessions, tallies


@dataclass(frozen=True)
class VoteResult:
    group_id: int
    my_votes_on_group: int
    votes_left: int
    seq: int
    applied: bool = True  # False: `expected` did not match, nothing written; seq = the session's last
    replayed: bool = False  # the answer kept for this tap's key: nothing written now


def _mine(db: Db, participant_id: int, group_id: int | None = None) -> int:
    query = select(func.count()).select_from(Vote).where(col(Vote.participant_id) == participant_id)
    if group_id is not None:
        query = query.where(col(Vote.group_id) == group_id)
    return db.scalar(query) or 0


# The statements of a dot, built once on the tables themselves and run on the
# session's connection: a dot runs them under the session's write lock, where the
# ORM's per-statement work (building, cache keys, its execution context) was most
# of their cost (py-spy, bench/room.py: 1,500 dots in 30 s).
_VOTE = Vote.__table__  # type: ignore[attr-defined]
_IDEA = Idea.__table__  # type: ignore[attr-defined]
_MINE = _VOTE.c.participant_id == bindparam("participant_id")
_ON_GROUP = _VOTE.c.group_id == bindparam("group_id")
_COUNTS = select(
    func.coalesce(func.sum(case((_MINE, 1), else_=0)), 0),
    func.coalesce(func.sum(case((_MINE & _ON_GROUP, 1), else_=0)), 0),
    func.coalesce(func.sum(case((_ON_GROUP, 1), else_=0)), 0),
).where(or_(_MINE, _ON_GROUP))
_GROUP = IdeaGroup.__table__  # type: ignore[attr-defined]
# A group's session, and whether it shows any idea (a group of only hidden, held or
# deleted ideas takes no dots): one statement, asked before the lock and again under it.
_GROUP_STATE = select(
    _GROUP.c.session_id,
    exists().where(_IDEA.c.group_id == _GROUP.c.id, ~_IDEA.c.deleted, ~_IDEA.c.hidden, ~_IDEA.c.pending),
).where(_GROUP.c.id == bindparam("group_id"))
_INSERT_VOTE = insert(_VOTE)


def _counts(db: Db, participant_id: int, group_id: int) -> tuple[int, int, int]:
    """(my dots, my dots on the group, every dot on the group) in one statement: the
    write holds the session's lock meanwhile, and with 1,500 dots in 30 s each round
    trip under it was a share of every other phone's wait (bench/room.py)."""
    row = db.connection().execute(_COUNTS, {"participant_id": participant_id, "group_id": group_id}).one()
    return int(row[0]), int(row[1]), int(row[2])


def _votable_group(db: Db, participant: Participant, group_id: int) -> int:
    row = db.connection().execute(_GROUP_STATE, {"group_id": group_id}).first()
    if row is None:
        raise NotFound("Group not found.")
    if row[0] != participant.session_id:
        raise Forbidden("You can only vote in the session you joined.")
    if not row[1]:
        raise NotFound("Group not found.")
    return group_id


def _check_vote_phase(phase: str) -> None:
    if phase != Phase.vote.value:
        raise Conflict("Voting is not open: dots can be given or taken back only during the vote phase.")


def votes_left(db: Db, participant: Participant, budget: int) -> int:
    return tallies.votes_left(budget, _mine(db, participant.id))


def cast(
    db: Db, *, participant: Participant, group_id: int, expected: int | None = None, key: str | None = None
) -> VoteResult:
    """Give one dot. With ``expected`` and another count of mine on the group:
    nothing is written, the result is the current state with ``applied=False``.
    With a ``key`` already answered: that answer, ``replayed=True``."""
    if _receipt(db, participant, key) is None:
        _votable_group(db, participant, group_id)
    with write_transaction(db):
        session = sessions.locked(db, participant.session_id)
        if (answered := _replay(db, participant, key, "cast", group_id)) is not None:
            return answered
        _check_vote_phase(session.phase)
        group_id = _votable_group(db, participant, group_id)
        # Before the budget and the cap: a retry of the dot that spent the last one
        # is "already given", not "no dots left".
        if (unchanged := _if_stale(db, participant, group_id, session, expected)) is not None:
            return unchanged
        input_lock.check(session)
        used, on_group, total = _counts(db, participant.id, group_id)
        if used >= session.vote_budget:
            raise Conflict(
                "You have no dots left (%(budget)s per person). Take one back to move it.", budget=session.vote_budget
            )
        if on_group >= session.max_votes_per_group:
            raise Conflict("At most %(max)s dots per group.", max=session.max_votes_per_group)
        # Core, not the ORM: nothing reads the row back, and under the session's lock
        # the counts after it are the counts before it plus this one.
        db.connection().execute(
            _INSERT_VOTE,
            {"session_id": session.id, "group_id": group_id, "participant_id": participant.id, "created_at": utcnow()},
        )
        result = _record(
            db, "vote.cast", participant, group_id, session.vote_budget, counts=(used + 1, on_group + 1, total + 1)
        )
        _keep_receipt(db, participant, key, "cast", result)
    return result


def retract(
    db: Db, *, participant: Participant, group_id: int, expected: int | None = None, key: str | None = None
) -> VoteResult:
    """Take back one of my dots; ``expected`` and ``key`` as in ``cast``."""
    if _receipt(db, participant, key) is None:
        _votable_group(db, participant, group_id)
    with write_transaction(db):
        session = sessions.locked(db, participant.session_id)
        if (answered := _replay(db, participant, key, "retract", group_id)) is not None:
            return answered
        _check_vote_phase(session.phase)
        if (unchanged := _if_stale(db, participant, group_id, session, expected)) is not None:
            return unchanged
        input_lock.check(session)
        vote = db.scalar(
            select(Vote)
            .where(col(Vote.participant_id) == participant.id, col(Vote.group_id) == group_id)
            .order_by(col(Vote.id).desc())
            .limit(1)
        )
        if vote is None:
            raise Conflict("You have no dot on this group to take back.")
        db.delete(vote)
        db.flush()
        result = _record(db, "vote.removed", participant, group_id, session.vote_budget)
        _keep_receipt(db, participant, key, "retract", result)
    return result


def _receipt(db: Db, participant: Participant, key: str | None) -> VoteReceipt | None:
    if key is None:
        return None
    return db.scalar(
        select(VoteReceipt).where(col(VoteReceipt.participant_id) == participant.id, col(VoteReceipt.key) == key)
    )


def _replay(db: Db, participant: Participant, key: str | None, action: str, group_id: int) -> VoteResult | None:
    """The answer kept for this key, or None when the key is new. A key is one tap:
    sent with another group or the other action it is a mistake of the phone's, and
    acting on it could give or take a dot nobody meant to."""
    receipt = _receipt(db, participant, key)
    if receipt is None:
        return None
    if (receipt.action, receipt.group_id) != (action, group_id):
        raise Invalid("This Idempotency-Key was already used for another tap; send a new key with each tap.")
    return VoteResult(
        group_id=receipt.group_id,
        my_votes_on_group=receipt.my_votes_on_group,
        votes_left=receipt.votes_left,
        seq=receipt.seq,
        replayed=True,
    )


def _keep_receipt(db: Db, participant: Participant, key: str | None, action: str, result: VoteResult) -> None:
    if key is None:
        return
    db.add(
        VoteReceipt(
            session_id=participant.session_id,
            participant_id=participant.id,
            key=key,
            action=action,
            group_id=result.group_id,
            my_votes_on_group=result.my_votes_on_group,
            votes_left=result.votes_left,
            seq=result.seq,
        )
    )
    db.flush()


def _if_stale(
    db: Db, participant: Participant, group_id: int, session: Session, expected: int | None
) -> VoteResult | None:
    """The current state, nothing written, when the caller saw another count of its
    dots on the group than there is now; None when the change may go ahead. Runs
    inside the write transaction, after the session row is locked."""
    if expected is None:
        return None
    mine_here = _mine(db, participant.id, group_id)
    if mine_here == expected:
        return None
    left = tallies.votes_left(session.vote_budget, _mine(db, participant.id))
    return VoteResult(
        group_id=group_id, my_votes_on_group=mine_here, votes_left=left, seq=session.last_seq, applied=False
    )


def _record(
    db: Db,
    type: str,
    participant: Participant,
    group_id: int,
    budget: int,
    counts: tuple[int, int, int] | None = None,
) -> VoteResult:
    """The event of a dot given or taken back; ``counts`` (mine, mine on the group,
    the group's) as they are now, when the caller already knows them."""
    mine, mine_here, votes = counts if counts is not None else _counts(db, participant.id, group_id)
    left = tallies.votes_left(budget, mine)  # as the board says it
    seq = events.record(
        db,
        session_id=participant.session_id,
        type=type,
        payload={
            "group_id": group_id,
            "votes": votes,
            "participant_id": participant.id,
            "my_votes_on_group": mine_here,
            "votes_left": left,
        },
    )
    return VoteResult(group_id=group_id, my_votes_on_group=mine_here, votes_left=left, seq=seq)
