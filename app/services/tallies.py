"""Vote counts, and who may see them when.

Counts are always computed from vote rows (never stored), so a merge, a retract or
a crash can't leave a counter out of step with the votes behind it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db
from app.domain import Phase
from app.models import Vote

REVEALED_PHASES = (Phase.results.value, Phase.closed.value)


def votes_visible(*, phase: str, live_votes: bool, facilitator: bool) -> bool:
    """The facilitator always sees tallies; the board and phones from `results` on,
    or during the vote when the session sets ``live_votes``."""
    return facilitator or phase in REVEALED_PHASES or live_votes


def for_session(db: Db, session_id: int) -> dict[str, int]:
    """{group_id (as str, for JSON): votes} for every group with at least one vote."""
    rows = db.execute(
        select(col(Vote.group_id), func.count()).where(col(Vote.session_id) == session_id).group_by(col(Vote.group_id))
    ).all()
    return {str(group_id): count for group_id, count in rows}


def for_participant(db: Db, participant_id: int) -> dict[str, int]:
    rows = db.execute(
        select(col(Vote.group_id), func.count())
        .where(col(Vote.participant_id) == participant_id)
        .group_by(col(Vote.group_id))
    ).all()
    return {str(group_id): count for group_id, count in rows}


def on_group(db: Db, group_id: int) -> int:
    return db.scalar(select(func.count()).select_from(Vote).where(col(Vote.group_id) == group_id)) or 0


def empty_tally() -> dict[str, Any]:
    """The tally of a new group."""
    return {"votes": 0, "voters": {}}


def group_tally(db: Db, group_id: int) -> dict[str, Any]:
    """A group's total and each voter's share, stored in events that carry the group:
    ``board.event_for`` shows the total where tallies are visible and each phone only
    its own share. A phone that could not see the group before (its ideas were hidden,
    or it is the target of a merge) learns both from the event alone."""
    rows = db.execute(
        select(col(Vote.participant_id), func.count())
        .where(col(Vote.group_id) == group_id)
        .group_by(col(Vote.participant_id))
    ).all()
    voters = {str(participant_id): count for participant_id, count in rows}
    return {"votes": sum(voters.values()), "voters": voters}


def used_by_participant(db: Db, session_id: int) -> dict[str, int]:
    """{participant_id (as str): dots in use}, for a change of ``vote_budget``."""
    rows = db.execute(
        select(col(Vote.participant_id), func.count())
        .where(col(Vote.session_id) == session_id)
        .group_by(col(Vote.participant_id))
    ).all()
    return {str(participant_id): count for participant_id, count in rows}


def votes_left(budget: int, used: int) -> int:
    """Dots a participant may still give (never below 0 when the budget was lowered)."""
    return max(0, budget - used)
