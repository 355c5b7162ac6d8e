"""The board read model: what a screen shows, and how events are trimmed per audience.

Both the snapshot (``board``) and the live events (``event_for``) go through the same
trimming rules, which is what makes "state before + events == fresh state" hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.db import Db
from app.models import Idea, IdeaGroup, Participant, Session, iso
from app.services import ideas as idea_service
from app.services import participants as participant_service
from app.services import sessions as session_service


@dataclass(frozen=True)
class Audience:
    """Who is looking: the facilitator (sees authors and hidden ideas) or a participant."""

    facilitator: bool
    participant_id: int | None = None


FACILITATOR = Audience(facilitator=True)


def join_url(public_url: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/j/{code}"


def session_out(session: Session, public_url: str) -> dict[str, Any]:
    out = session_service.public(session)
    out["join_url"] = join_url(public_url, session.join_code)
    return out


def trim_idea(idea: dict[str, Any], *, audience: Audience, anonymous: bool) -> dict[str, Any] | None:
    """The idea as this audience may see it, or None when it must not see it at all."""
    if idea.get("hidden") and not audience.facilitator:
        return None
    out = {k: idea[k] for k in ("id", "text", "dimension", "sub_element", "created_at")}
    mine = audience.participant_id is not None and idea.get("participant_id") == audience.participant_id
    if audience.facilitator or not anonymous or mine:
        out["author"] = idea.get("author")
    if audience.facilitator:
        out["hidden"] = bool(idea.get("hidden"))
    if audience.participant_id is not None:
        out["mine"] = mine
    return out


def group_title(group: IdeaGroup | dict[str, Any], first_text: str | None) -> str:
    title = group["title"] if isinstance(group, dict) else group.title
    return title or first_text or ""


def board(db: Db, *, session: Session, audience: Audience, public_url: str) -> dict[str, Any]:
    """Full state of a session for one audience. Call inside one read transaction
    (``snapshot_read``) so ``last_seq`` matches the rows."""
    groups = list(db.scalars(select(IdeaGroup).where(IdeaGroup.session_id == session.id).order_by(IdeaGroup.id)))
    rows = db.execute(
        select(Idea, Participant)
        .outerjoin(Participant, Participant.id == Idea.participant_id)
        .where(Idea.session_id == session.id, ~Idea.deleted)
        .order_by(Idea.id)
    ).all()
    by_group: dict[int, list[dict[str, Any]]] = {}
    for idea, author in rows:
        trimmed = trim_idea(idea_service.public(idea, author), audience=audience, anonymous=session.anonymous)
        if trimmed is not None:
            by_group.setdefault(idea.group_id, []).append(trimmed)
    out_groups = []
    for group in groups:
        members = by_group.get(group.id)
        if not members:
            continue
        out_groups.append(
            {
                "id": group.id,
                "title": group_title(group, members[0]["text"]),
                "dimension": group.dimension,
                "ideas": members,
            }
        )
    return {
        "session": session_out(session, public_url),
        "participant_count": participant_service.count(db, session.id),
        "last_seq": session.last_seq,
        "groups": out_groups,
    }


def event_for(record_type: str, payload: dict[str, Any], *, audience: Audience, anonymous: bool) -> dict[str, Any]:
    """An event's payload as this audience may see it."""
    if record_type in ("idea.created", "idea.updated", "idea.hidden"):
        idea = trim_idea(payload["idea"], audience=audience, anonymous=anonymous)
        out: dict[str, Any] = {"idea": idea, "idea_id": payload["idea"]["id"], "group": payload.get("group")}
        if record_type == "idea.hidden":
            out["hidden"] = payload["idea"]["hidden"]
        return out
    if record_type == "participant.joined":
        if audience.facilitator:
            return payload
        return {"participant_count": payload["participant_count"]}
    if record_type == "session.updated" and "authors" in payload:
        return _anonymity_changed(payload, audience=audience)
    return payload


def _anonymity_changed(payload: dict[str, Any], *, audience: Audience) -> dict[str, Any]:
    """Switching anonymity changes the author shown on every idea a phone already has.
    Without the authors in the event a phone could not follow (it never received the
    names), and "state before + events" would differ from the fresh board. The
    console always sees authors, so it gets the session only."""
    out = {k: v for k, v in payload.items() if k != "authors"}
    if audience.facilitator:
        return out
    anonymous = payload["session"]["anonymous"]
    out["authors"] = [
        {
            "idea_id": entry["idea_id"],
            "author": entry["author"]
            if not anonymous or entry["participant_id"] == audience.participant_id
            else None,
        }
        for entry in payload["authors"]
    ]
    return out


class EventView:
    """Renders a session's stored events, in order, for one audience.

    Whether authors are shown depends on the session's anonymity at the time of
    rendering, so the view follows ``session.updated`` as the stream goes. The SSE
    stream and the event-log tests both render through this class.
    """

    def __init__(self, audience: Audience, *, anonymous: bool) -> None:
        self.audience = audience
        self.anonymous = anonymous

    def reset(self, board_state: dict[str, Any]) -> None:
        """After a snapshot: continue from the anonymity it was taken with."""
        self.anonymous = board_state["session"]["anonymous"]

    def render(self, record_type: str, payload: dict[str, Any]) -> dict[str, Any]:
        if record_type in ("session.updated", "session.created"):
            self.anonymous = payload["session"]["anonymous"]
        return event_for(record_type, payload, audience=self.audience, anonymous=self.anonymous)


def ideas_for_export(db: Db, session: Session) -> list[tuple[Idea, Participant | None]]:
    return list(
        db.execute(
            select(Idea, Participant)
            .outerjoin(Participant, Participant.id == Idea.participant_id)
            .where(Idea.session_id == session.id, ~Idea.deleted)
            .order_by(Idea.id)
        ).all()
    )


__all__ = ["Audience", "EventView", "FACILITATOR", "board", "event_for", "ideas_for_export", "iso", "join_url", "session_out"]


def snapshot(sessions, *, session_id: int, audience: Audience, public_url: str) -> dict[str, Any]:
    """Board and its ``last_seq`` read in one consistent transaction.

    SQLite (WAL) keeps one snapshot for a read transaction; PostgreSQL needs
    REPEATABLE READ for that, otherwise each statement sees newer commits.
    """
    with sessions() as db:
        if db.get_bind().dialect.name == "postgresql":
            db.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        session = db.get(Session, session_id)
        return board(db, session=session, audience=audience, public_url=public_url)
