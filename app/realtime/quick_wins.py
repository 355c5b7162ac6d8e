"""What the board and the phones show of the masterplan steps: the
impact × feasibility results, the final quick-win list and the commitment.

Readers only, called by ``app.realtime.screens`` inside its consistent read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db
from app.domain import DIMENSION_CODES
from app.models import IdeaGroup, Score, Session
from app.services import matrix, ratings

DIMENSION_ORDER = (*DIMENSION_CODES, "none")


def score_results(db: Db, session: Session, ranked: list[dict[str, Any]]) -> dict[str, Any]:
    """The matrix of every rated group (size: its votes), the quick wins per dimension
    and the groups the facilitator marked as quick wins. ``ranked``: the results'
    groups (app.services.results.ranked_groups)."""
    rated = ratings.for_session(db, session.id)
    groups = []
    for group in ranked:
        means = rated.get(str(group["id"])) or {}
        groups.append(
            {
                "id": group["id"],
                "title": group["title"],
                "dimension": group["dimension"],
                "votes": group["votes"],
                "impact": means.get("impact"),
                "feasibility": means.get("feasibility"),
                "raters": means.get("raters", 0),
                "origin": group.get("origin"),
            }
        )
    layout = matrix.layout(groups, threshold=session.quick_win_threshold)
    flagged = set(
        db.scalars(select(col(IdeaGroup.id)).where(col(IdeaGroup.session_id) == session.id, col(IdeaGroup.quick_win)))
    )
    return {
        "matrix": layout,
        "quick_wins": matrix.quick_wins_by_dimension(layout),
        "marked_quick_wins": flagged,
        # People who rated at least one group (each group's own count is in its dot).
        "raters": db.scalar(
            select(func.count(func.distinct(col(Score.participant_id)))).where(col(Score.session_id) == session.id)
        )
        or 0,
    }


def quick_win_list(board: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The final quick-win list: the groups the facilitator marked (``quick_win``),
    per dimension in the programme's order; dimensions without one are left out."""
    out: dict[str, list[dict[str, Any]]] = {}
    for group in board["groups"]:
        if group.get("quick_win"):
            out.setdefault(group.get("dimension") or "none", []).append(group)
    return {code: out[code] for code in DIMENSION_ORDER if code in out}


def commitment_state(board: dict[str, Any]) -> dict[str, Any]:
    quick_wins = quick_win_list(board)
    return {
        "quick_wins": quick_wins,
        "quick_win_count": sum(len(groups) for groups in quick_wins.values()),
        "signatures": board["commitments"],
    }


def my_commitment(board: dict[str, Any]) -> dict[str, Any] | None:
    """This phone's signature (a phone's board marks its own with ``mine``)."""
    return next((c for c in board["commitments"] if c.get("mine")), None)
