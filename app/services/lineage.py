"""Where a carried-forward group came from, and the line back to Tahap I.

A group imported into a later session keeps a link to its source group (and that
group to its own source), so the board can say "dari Tahap II, 14 suara" and the
masterplan can trace a quick win back to the first issues raised.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db
from app.domain import roman
from app.models import IdeaGroup, Session, Stage

MAX_DEPTH = 16  # a workshop has four stages; this only stops a corrupted cycle


def origin(db: Db, group: IdeaGroup) -> dict[str, Any] | None:
    """The source of a carried-forward group as screens show it, or None."""
    if group.source_group_id is None:
        return None
    return _source(db, group)


def _source(db: Db, group: IdeaGroup) -> dict[str, Any]:
    """``origin`` of a group that has a source."""
    row = db.execute(
        select(col(Session.title), col(Stage.number))
        .join(Stage, col(Stage.id) == col(Session.stage_id))
        .where(col(Session.id) == group.source_session_id)
    ).first()
    return {
        "group_id": group.source_group_id,
        "session_id": group.source_session_id,
        "session_title": row[0] if row else None,
        "stage_number": row[1] if row else None,
        "votes": group.source_votes or 0,
    }


def origins(db: Db, groups: list[IdeaGroup]) -> dict[int, dict[str, Any] | None]:
    """``origin`` for many groups with one query (the board snapshot)."""
    source_sessions = {g.source_session_id for g in groups if g.source_session_id is not None}
    names: dict[int | None, tuple[str | None, int | None]] = {}
    if source_sessions:
        rows = db.execute(
            select(col(Session.id), col(Session.title), col(Stage.number))
            .join(Stage, col(Stage.id) == col(Session.stage_id))
            .where(col(Session.id).in_(source_sessions))
        ).all()
        names = {sid: (title, number) for sid, title, number in rows}
    out: dict[int, dict[str, Any] | None] = {}
    for g in groups:
        if g.source_group_id is None:
            out[g.id] = None
            continue
        title, number = names.get(g.source_session_id, (None, None))
        out[g.id] = {
            "group_id": g.source_group_id,
            "session_id": g.source_session_id,
            "session_title": title,
            "stage_number": number,
            "votes": g.source_votes or 0,
        }
    return out


def chain(db: Db, group: IdeaGroup) -> list[dict[str, Any]]:
    """Every ancestor of a group, nearest first: [{"group_id", "session_id",
    "session_title", "stage_number", "votes"}] (votes: at the time it was carried)."""
    out: list[dict[str, Any]] = []
    current = group
    seen = {group.id}
    while current.source_group_id is not None and len(out) < MAX_DEPTH:
        step = _source(db, current)
        out.append(step)
        parent = db.get(IdeaGroup, current.source_group_id)
        if parent is None or parent.id in seen:
            break
        seen.add(parent.id)
        current = parent
    return out


def label(step: dict[str, Any] | None) -> str | None:
    """ "dari Tahap II, 14 suara": the lineage as the Indonesian documents print it
    (just "dari Tahap III" when nobody voted there: a scoring session rates instead)."""
    if not step or step.get("stage_number") is None:
        return None
    stage = f"dari Tahap {roman(step['stage_number'])}"
    return f"{stage}, {step['votes']} suara" if step.get("votes") else stage
