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
from app.services import tallies


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
    show_votes = tallies.votes_visible(
        phase=session.phase, live_votes=session.live_votes, facilitator=audience.facilitator
    )
    counts = tallies.for_session(db, session.id)
    mine = tallies.for_participant(db, audience.participant_id) if audience.participant_id is not None else {}
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
                "votes": counts.get(str(group.id), 0) if show_votes else None,
                "my_votes": mine.get(str(group.id), 0) if audience.participant_id is not None else None,
                "ideas": members,
            }
        )
    out = {
        "session": session_out(session, public_url),
        "participant_count": participant_service.count(db, session.id),
        "last_seq": session.last_seq,
        "groups": out_groups,
    }
    if audience.participant_id is not None:
        # Dots this phone may still give (the console and the projector have none).
        out["votes_left"] = tallies.votes_left(session.vote_budget, sum(mine.values()))
    return out


def event_for(
    record_type: str,
    payload: dict[str, Any],
    *,
    audience: Audience,
    anonymous: bool,
    phase: str = "brainstorm",
    live_votes: bool = False,
) -> dict[str, Any]:
    """An event's payload as this audience may see it (``phase`` and ``live_votes``:
    the session's state when the event happened, which decides whether tallies show).

    Every ``group`` in an event comes out as the board shows a group (without its
    ideas): ``votes`` (null where hidden) and ``my_votes`` (null but for a phone)."""
    votes_shown = tallies.votes_visible(phase=phase, live_votes=live_votes, facilitator=audience.facilitator)
    if record_type in ("idea.created", "idea.updated", "idea.hidden"):
        idea = trim_idea(payload["idea"], audience=audience, anonymous=anonymous)
        out: dict[str, Any] = {
            "idea": idea,
            "idea_id": payload["idea"]["id"],
            "group": _group_for(payload, audience=audience, votes_shown=votes_shown),
        }
        if record_type == "idea.hidden":
            out["hidden"] = payload["idea"]["hidden"]
        return out
    if record_type == "participant.joined":
        if audience.facilitator:
            return payload
        return {"participant_count": payload["participant_count"]}
    if record_type == "idea.moved":
        return {
            "idea": trim_idea(payload["idea"], audience=audience, anonymous=anonymous),
            "idea_id": payload["idea"]["id"],
            "from_group_id": payload["from_group_id"],
            "group": _group_for(payload, audience=audience, votes_shown=votes_shown),
            "merged": payload["merged"],
        }
    if record_type == "group.updated":
        return {"group": _group_for(payload, audience=audience, votes_shown=votes_shown)}
    if record_type in ("vote.cast", "vote.removed"):
        return _vote_for(payload, audience=audience, votes_shown=votes_shown)
    if record_type == "session.phase_changed":
        out = {k: v for k, v in payload.items() if k != "tallies"}
        shown_now = tallies.votes_visible(
            phase=payload["phase"], live_votes=live_votes, facilitator=audience.facilitator
        )
        out["tallies"] = payload.get("tallies", {}) if shown_now else None
        return out
    if record_type == "session.updated":
        return _session_updated(payload, audience=audience)
    return payload


def _group_for(payload: dict[str, Any], *, audience: Audience, votes_shown: bool) -> dict[str, Any] | None:
    """The event's group with its tally trimmed for this audience (events written
    before votes existed have no ``tally``: nothing had votes then)."""
    group = payload.get("group")
    if group is None:
        return None
    tally = payload.get("tally") or tallies.empty_tally()
    out = {k: group[k] for k in ("id", "title", "dimension")}
    out["votes"] = tally["votes"] if votes_shown else None
    out["my_votes"] = (
        tally["voters"].get(str(audience.participant_id), 0) if audience.participant_id is not None else None
    )
    return out


def _vote_for(payload: dict[str, Any], *, audience: Audience, votes_shown: bool) -> dict[str, Any]:
    """A dot given or taken back: the total only where tallies are visible; the
    voter's own counts only to the voter."""
    out: dict[str, Any] = {"group_id": payload["group_id"], "votes": payload["votes"] if votes_shown else None}
    if audience.participant_id is not None and audience.participant_id == payload["participant_id"]:
        out["my_votes_on_group"] = payload["my_votes_on_group"]
        out["votes_left"] = payload["votes_left"]
    return out


def _session_updated(payload: dict[str, Any], *, audience: Audience) -> dict[str, Any]:
    """Settings changed. What rides along is trimmed per audience: the authors (an
    anonymity switch), the tallies (``live_votes`` switched: shown or hidden now),
    and each phone's own dots left (``vote_budget`` changed)."""
    out = _anonymity_changed(payload, audience=audience) if "authors" in payload else dict(payload)
    session = payload["session"]
    if "tallies" in payload:
        shown_now = tallies.votes_visible(
            phase=session["phase"], live_votes=session["live_votes"], facilitator=audience.facilitator
        )
        out["tallies"] = payload["tallies"] if shown_now else None
    used = out.pop("votes_used", None)
    if used is not None and audience.participant_id is not None:
        out["votes_left"] = tallies.votes_left(session["vote_budget"], used.get(str(audience.participant_id), 0))
    return out


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

    def __init__(
        self, audience: Audience, *, anonymous: bool, phase: str = "draft", live_votes: bool = False
    ) -> None:
        self.audience = audience
        self.anonymous = anonymous
        self.phase = phase
        self.live_votes = live_votes

    @classmethod
    def for_session(cls, audience: Audience, session: dict[str, Any]) -> EventView:
        return cls(
            audience,
            anonymous=session["anonymous"],
            phase=session["phase"],
            live_votes=session.get("live_votes", False),
        )

    def reset(self, board_state: dict[str, Any]) -> None:
        """After a snapshot: continue from the session state it was taken with."""
        session = board_state["session"]
        self.anonymous = session["anonymous"]
        self.phase = session["phase"]
        self.live_votes = session.get("live_votes", False)

    def render(self, record_type: str, payload: dict[str, Any]) -> dict[str, Any]:
        if record_type in ("session.updated", "session.created"):
            self.anonymous = payload["session"]["anonymous"]
            self.phase = payload["session"]["phase"]
            self.live_votes = payload["session"].get("live_votes", False)
        elif record_type == "session.phase_changed":
            self.phase = payload["phase"]
        return event_for(
            record_type,
            payload,
            audience=self.audience,
            anonymous=self.anonymous,
            phase=self.phase,
            live_votes=self.live_votes,
        )


def ideas_for_export(db: Db, session: Session) -> list[tuple[Idea, Participant | None]]:
    return list(
        db.execute(
            select(Idea, Participant)
            .outerjoin(Participant, Participant.id == Idea.participant_id)
            .where(Idea.session_id == session.id, ~Idea.deleted)
            .order_by(Idea.id)
        ).all()
    )


__all__ = ["FACILITATOR", "Audience", "EventView", "board", "event_for", "ideas_for_export", "iso", "join_url", "session_out"]


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
