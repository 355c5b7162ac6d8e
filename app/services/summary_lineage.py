"""Lineage for the downloads: every group of a workshop with its source, read in one
query, so a summary can print "dari Tahap II, 14 suara ← dari Tahap I, 20 suara"
for hundreds of carried groups without a query per step (``services.lineage``
walks the chain row by row, which suits one group on a board).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db
from app.models import IdeaGroup, Session, Stage
from app.services import lineage

MAX_DEPTH = lineage.MAX_DEPTH


@dataclass(frozen=True)
class _Link:
    source_group_id: int  # only groups carried from somewhere have a link
    source_session_id: int | None
    source_votes: int | None


class LineageMap:
    """Source links of every group of one workshop, and the sessions they sit in."""

    def __init__(self, db: Db, workshop_id: int) -> None:
        rows = db.execute(
            select(
                col(IdeaGroup.id),
                col(IdeaGroup.source_group_id),
                col(IdeaGroup.source_session_id),
                col(IdeaGroup.source_votes),
            )
            .join(Session, col(Session.id) == col(IdeaGroup.session_id))
            .join(Stage, col(Stage.id) == col(Session.stage_id))
            .where(col(Stage.workshop_id) == workshop_id, col(IdeaGroup.source_group_id).is_not(None))
        ).all()
        self.links = {gid: _Link(src, src_session, votes) for gid, src, src_session, votes in rows}
        sessions = db.execute(
            select(col(Session.id), col(Session.title), col(Stage.number))
            .join(Stage, col(Stage.id) == col(Session.stage_id))
            .where(col(Stage.workshop_id) == workshop_id)
        ).all()
        self.sessions = {sid: (title, number) for sid, title, number in sessions}

    def chain(self, group_id: int) -> list[dict[str, Any]]:
        """Like ``lineage.chain``: every ancestor, nearest first, each with its
        Indonesian ``label`` ("dari Tahap II, 14 suara")."""
        out: list[dict[str, Any]] = []
        seen = {group_id}
        link = self.links.get(group_id)
        while link is not None and len(out) < MAX_DEPTH:
            title, number = self.sessions.get(link.source_session_id, (None, None))
            step = {
                "group_id": link.source_group_id,
                "session_id": link.source_session_id,
                "session_title": title,
                "stage_number": number,
                "votes": link.source_votes or 0,
            }
            step["label"] = lineage.label(step)
            out.append(step)
            if link.source_group_id in seen:
                break
            seen.add(link.source_group_id)
            link = self.links.get(link.source_group_id)
        return out


def chain_text(chain: list[dict[str, Any]]) -> str:
    """The whole line back to the first stage, as printed: nearest first."""
    return " ← ".join(step["label"] for step in chain if step.get("label"))
