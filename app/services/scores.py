"""Quick-win scoring: each participant rates each candidate group on impact for
citizens and feasibility within one year (1–5), in the `score` phase.

A rating is an upsert under the session-row lock (lock order as everywhere): a
second PUT replaces the first, so one participant is always one rater. Means are
computed from the rows, never stored, like vote tallies (``app.services.ratings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel import col

from app.db import Db, write_transaction
from app.domain import SCORE_MAX, SCORE_MIN, Phase
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import Idea, IdeaGroup, Participant, Score, utcnow
from app.services import events, input_lock, sessions
from app.services.payloads import group_state


@dataclass(frozen=True)
class ScoreResult:
    group_id: int
    impact: int
    feasibility: int
    seq: int


def _check_value(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
        raise Invalid(
            "%(field)s must be a whole number from %(low)s to %(high)s.", field=field, low=SCORE_MIN, high=SCORE_MAX
        )
    return value


def rate(db: Db, *, participant: Participant, group_id: int, impact: int, feasibility: int) -> ScoreResult:
    impact = _check_value(impact, "Impact")
    feasibility = _check_value(feasibility, "Feasibility")
    group = db.get(IdeaGroup, group_id)
    if group is None:
        raise NotFound("Group not found.")
    if group.session_id != participant.session_id:
        raise Forbidden("You can only rate in the session you joined.")
    with write_transaction(db):
        session = sessions.locked(db, participant.session_id)
        if session.phase != Phase.score.value:
            raise Conflict("Scoring is not open: groups can be rated only during the score phase.")
        input_lock.check(session)
        visible = db.scalar(
            select(func.count())
            .select_from(Idea)
            .where(col(Idea.group_id) == group_id, ~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending))
        )
        if not visible:
            raise NotFound("Group not found.")
        score = db.scalar(
            select(Score).where(col(Score.group_id) == group_id, col(Score.participant_id) == participant.id)
        )
        if score is None:
            db.add(
                Score(
                    session_id=session.id,
                    group_id=group_id,
                    participant_id=participant.id,
                    impact=impact,
                    feasibility=feasibility,
                )
            )
        else:
            score.impact, score.feasibility, score.updated_at = impact, feasibility, utcnow()
        db.flush()
        seq = events.record(
            db,
            session_id=session.id,
            type="score.set",
            payload={"group_id": group_id, "participant_id": participant.id, **group_state(db, group)},
        )
    return ScoreResult(group_id=group_id, impact=impact, feasibility=feasibility, seq=seq)


def follow_merge(db: Db, *, source_id: int, target_id: int) -> None:
    """A merge moves the emptied group's ratings to the target, except a rater's who
    already rated the target (one rating per rater and group: theirs on the target
    stands). Called inside the move's write transaction."""
    raters = select(col(Score.participant_id)).where(col(Score.group_id) == target_id).scalar_subquery()
    db.execute(
        delete(Score).where(col(Score.group_id) == source_id, col(Score.participant_id).in_(raters)),
        execution_options={"synchronize_session": False},
    )
    for score in db.scalars(select(Score).where(col(Score.group_id) == source_id)):
        score.group_id = target_id
    db.flush()
