"""Quick-win scoring: each participant rates each candidate group on impact for
citizens and feasibility within one year (1–5), in the `score` phase.

A rating is an upsert under the session-row lock (lock order as everywhere): a
second PUT replaces the first, so one participant is always one rater. Means are
computed from the rows, never stored, like vote tallies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select

from app.db import Db, write_transaction
from app.domain import SCORE_MAX, SCORE_MIN, Phase, Quadrant
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import Idea, IdeaGroup, Participant, Score, utcnow
from app.services import events, input_lock


@dataclass(frozen=True)
class ScoreResult:
    group_id: int
    impact: int
    feasibility: int
    seq: int


def quadrant(impact: float | None, feasibility: float | None, threshold: float) -> str | None:
    """Both means at or above the threshold: a quick win. None before anyone rated."""
    if impact is None or feasibility is None:
        return None
    high_impact, feasible = impact >= threshold, feasibility >= threshold
    if high_impact and feasible:
        return Quadrant.quick_win.value
    if high_impact:
        return Quadrant.major_project.value
    if feasible:
        return Quadrant.fill_in.value
    return Quadrant.low_priority.value


def _mean(total: int, n: int) -> float | None:
    return round(total / n, 2) if n else None


def group_scores(db: Db, group_id: int) -> dict[str, Any]:
    """A group's means, its number of raters and each rater's own rating (``by``:
    {participant_id: [impact, feasibility]}), stored in every event that carries the
    group; ``board.event_for`` shows the means where tallies are visible and each
    phone only its own rating."""
    rows = db.execute(
        select(Score.participant_id, Score.impact, Score.feasibility).where(Score.group_id == group_id)
    ).all()
    by = {str(pid): [i, f] for pid, i, f in rows}
    return {
        "impact": _mean(sum(i for _p, i, _f in rows), len(rows)),
        "feasibility": _mean(sum(f for _p, _i, f in rows), len(rows)),
        "raters": len(rows),
        "by": by,
    }


def empty_scores() -> dict[str, Any]:
    return {"impact": None, "feasibility": None, "raters": 0, "by": {}}


def for_session(db: Db, session_id: int) -> dict[str, dict[str, Any]]:
    """{group_id (str): {impact, feasibility, raters}} for every rated group."""
    rows = db.execute(
        select(Score.group_id, func.count(), func.sum(Score.impact), func.sum(Score.feasibility))
        .where(Score.session_id == session_id)
        .group_by(Score.group_id)
    ).all()
    return {
        str(gid): {"impact": _mean(i, n), "feasibility": _mean(f, n), "raters": n} for gid, n, i, f in rows
    }


def for_participant(db: Db, participant_id: int) -> dict[str, list[int]]:
    rows = db.execute(
        select(Score.group_id, Score.impact, Score.feasibility).where(Score.participant_id == participant_id)
    ).all()
    return {str(gid): [i, f] for gid, i, f in rows}


def _check_value(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
        raise Invalid("%(field)s must be a whole number from %(low)s to %(high)s.", field=field, low=SCORE_MIN,
                      high=SCORE_MAX)
    return value


def rate(db: Db, *, participant: Participant, group_id: int, impact: int, feasibility: int) -> ScoreResult:
    from app.services.ideas import _locked_session, group_state  # ideas imports this module

    impact = _check_value(impact, "Impact")
    feasibility = _check_value(feasibility, "Feasibility")
    group = db.get(IdeaGroup, group_id)
    if group is None:
        raise NotFound("Group not found.")
    if group.session_id != participant.session_id:
        raise Forbidden("You can only rate in the session you joined.")
    with write_transaction(db):
        session = _locked_session(db, participant.session_id)
        if session.phase != Phase.score.value:
            raise Conflict("Scoring is not open: groups can be rated only during the score phase.")
        input_lock.check(session)
        visible = db.scalar(
            select(func.count()).select_from(Idea).where(Idea.group_id == group_id, ~Idea.deleted, ~Idea.hidden)
        )
        if not visible:
            raise NotFound("Group not found.")
        score = db.scalar(select(Score).where(Score.group_id == group_id, Score.participant_id == participant.id))
        if score is None:
            db.add(Score(session_id=session.id, group_id=group_id, participant_id=participant.id,
                         impact=impact, feasibility=feasibility))
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
    raters = select(Score.participant_id).where(Score.group_id == target_id).scalar_subquery()
    db.execute(
        delete(Score).where(Score.group_id == source_id, Score.participant_id.in_(raters)),
        execution_options={"synchronize_session": False},
    )
    for score in db.scalars(select(Score).where(Score.group_id == source_id)):
        score.group_id = target_id
    db.flush()
