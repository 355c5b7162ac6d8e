"""Results: groups ranked by votes, overall and within each dimension, the
per-dimension picture, and who took part. Board, phones and every export read
the same numbers from here."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db
from app.domain import DIMENSIONS, ORGANIZATION_TYPE_LABELS, OrganizationType
from app.models import Idea, IdeaGroup, Participant, Session, Vote
from app.services import lineage, tallies

DIMENSION_KEYS = [d.code for d in DIMENSIONS] + ["none"]


def ranked_groups(db: Db, session: Session, *, include_hidden: bool = False) -> list[dict[str, Any]]:
    """Every group with at least one idea, most votes first (ties: older group first),
    each with its lineage (``origin``: "dari Tahap I, 14 suara", or None) and its SWOT
    quadrant (``swot``), read with one query for all groups."""
    groups = {g.id: g for g in db.scalars(select(IdeaGroup).where(col(IdeaGroup.session_id) == session.id))}
    query = (
        select(Idea, Participant)
        .outerjoin(Participant, col(Participant.id) == col(Idea.participant_id))
        .where(col(Idea.session_id) == session.id, ~col(Idea.deleted))
        .order_by(col(Idea.id))
    )
    if not include_hidden:
        query = query.where(~col(Idea.hidden), ~col(Idea.pending))
    members: dict[int, list[tuple[Idea, Participant | None]]] = {}
    for idea, author in db.execute(query).all():
        members.setdefault(idea.group_id, []).append((idea, author))
    counts = tallies.for_session(db, session.id)
    origins = lineage.origins(db, [groups[gid] for gid in members])
    out: list[dict[str, Any]] = []
    for gid, items in members.items():
        group = groups[gid]
        out.append(
            {
                "id": gid,
                "title": group.title or items[0][0].text,
                "dimension": group.dimension,
                "swot": group.swot,
                "votes": counts.get(str(gid), 0),
                "ideas": items,
                "origin": origins[gid],
            }
        )
    out.sort(key=lambda g: (-g["votes"], g["id"]))
    for rank, ranked in enumerate(out, 1):
        ranked["rank"] = rank
    return out


def by_dimension(groups: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Dimension code ('none' for uncategorised) → its groups, already ranked."""
    out: dict[str, list[dict[str, Any]]] = {key: [] for key in DIMENSION_KEYS}
    for group in groups:
        out[group["dimension"] or "none"].append(group)
    return out


def dimension_chart(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ideas and votes per dimension (the bar chart on the board and in Excel)."""
    rows = []
    for key, items in by_dimension(groups).items():
        rows.append(
            {
                "dimension": key,
                "groups": len(items),
                "ideas": sum(len(g["ideas"]) for g in items),
                "votes": sum(g["votes"] for g in items),
            }
        )
    return rows


def participants_by_type(db: Db, session_id: int) -> list[dict[str, Any]]:
    counts = Counter(
        db.scalars(
            select(col(Participant.organization_type)).where(
                col(Participant.session_id) == session_id, ~col(Participant.removed)
            )
        )
    )
    return [
        {"type": t.value, "label": ORGANIZATION_TYPE_LABELS[t.value], "count": counts.get(t.value, 0)}
        for t in OrganizationType
    ]


def voters(db: Db, session_id: int) -> int:
    return (
        db.scalar(select(func.count(func.distinct(col(Vote.participant_id)))).where(col(Vote.session_id) == session_id))
        or 0
    )
