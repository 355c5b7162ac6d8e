"""The room's ratings as numbers: each group's means of impact and feasibility, its
raters, and where the means put it on the impact × feasibility matrix. Read from
the ``score`` rows, never stored (like ``app.services.tallies`` for votes); written
by ``app.services.scores``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db
from app.domain import Quadrant
from app.models import Score


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
        select(col(Score.participant_id), col(Score.impact), col(Score.feasibility)).where(
            col(Score.group_id) == group_id
        )
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
        select(col(Score.group_id), func.count(), func.sum(col(Score.impact)), func.sum(col(Score.feasibility)))
        .where(col(Score.session_id) == session_id)
        .group_by(col(Score.group_id))
    ).all()
    return {str(gid): {"impact": _mean(i, n), "feasibility": _mean(f, n), "raters": n} for gid, n, i, f in rows}


def for_participant(db: Db, participant_id: int) -> dict[str, list[int]]:
    rows = db.execute(
        select(col(Score.group_id), col(Score.impact), col(Score.feasibility)).where(
            col(Score.participant_id) == participant_id
        )
    ).all()
    return {str(gid): [i, f] for gid, i, f in rows}
