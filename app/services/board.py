"""The board read model: what a screen shows, and how events are trimmed per audience.

Both the snapshot (``board``) and the live events (``event_for``) go through the same
trimming rules, which is what makes "state before + events == fresh state" hold.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db
from app.domain import DEFAULT_QUICK_WIN_THRESHOLD, DIMENSION_CODES
from app.models import Event, Idea, IdeaGroup, Participant, Session
from app.services import commitments as commitment_service
from app.services import event_types, lineage, payloads, ratings, reactions, tallies
from app.services import participants as participant_service
from app.services import sessions as session_service
from app.services.audience import Audience, shown_group, trim_commitment, trim_idea


def join_url(public_url: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/j/{code}"


def session_out(session: Session, public_url: str) -> dict[str, Any]:
    out = session_service.public(session)
    out["join_url"] = join_url(public_url, session.join_code)
    return out


def group_title(group: IdeaGroup | dict[str, Any], first_text: str | None) -> str:
    title = group["title"] if isinstance(group, dict) else group.title
    return title or first_text or ""


def board(db: Db, *, session: Session, audience: Audience, public_url: str) -> dict[str, Any]:
    """Full state of a session for one audience. Call inside one read transaction
    (``snapshot_read``) so ``last_seq`` matches the rows."""
    groups = list(
        db.scalars(select(IdeaGroup).where(col(IdeaGroup.session_id) == session.id).order_by(col(IdeaGroup.id)))
    )
    rows = db.execute(
        select(Idea, Participant)
        .outerjoin(Participant, col(Participant.id) == col(Idea.participant_id))
        .where(col(Idea.session_id) == session.id, ~col(Idea.deleted))
        .order_by(col(Idea.id))
    ).all()
    by_group: dict[int, list[dict[str, Any]]] = {}
    # A phone also sees which ideas it gave "+1" (the events of an idea leave that as
    # it was; ``idea.reacted`` tells the reactor).
    reacted = reactions.mine(db, audience.participant_id) if audience.participant_id is not None else None
    for idea, author in rows:
        trimmed = trim_idea(payloads.idea_public(idea, author), audience=audience, anonymous=session.anonymous)
        if trimmed is not None:
            if reacted is not None:
                trimmed["reacted"] = idea.id in reacted
            by_group.setdefault(idea.group_id, []).append(trimmed)
    show_votes = tallies.votes_visible(
        phase=session.phase, live_votes=session.live_votes, facilitator=audience.facilitator
    )
    counts = tallies.for_session(db, session.id)
    rated = ratings.for_session(db, session.id)
    phone = audience.participant_id is not None
    mine: dict[str, int] = {}
    my_scores: dict[str, list[int]] = {}
    if audience.participant_id is not None:
        mine = tallies.for_participant(db, audience.participant_id)
        my_scores = ratings.for_participant(db, audience.participant_id)
    origins = lineage.origins(db, groups)
    out_groups = []
    for group in groups:
        members = by_group.get(group.id)
        if not members:
            continue
        key = str(group.id)
        shown = shown_group(
            payloads.group_public(group, origins[group.id]),
            votes=counts.get(key, 0),
            my_votes=mine.get(key, 0),
            scores=rated.get(key),
            my_score=my_scores.get(key),
            audience=audience,
            shown=show_votes,
            threshold=session.quick_win_threshold,
        )
        shown["title"] = group_title(group, members[0]["text"])
        out_groups.append({**shown, "ideas": members})
    out = {
        "session": session_out(session, public_url),
        "participant_count": participant_service.count(db, session.id),
        "last_seq": session.last_seq,
        "groups": out_groups,
        "commitments": [
            trim_commitment(commitment_service.public(c), audience=audience)
            for c in commitment_service.for_session(db, session.id)
        ],
    }
    if phone:
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
    threshold: float = DEFAULT_QUICK_WIN_THRESHOLD,
) -> dict[str, Any]:
    """An event's payload as this audience may see it (``phase``, ``live_votes`` and
    ``threshold``: the session's state when the event happened, which decides
    whether tallies show and where a rated group falls): each type's own ``trim``
    (``app.services.event_types``). Every ``group`` in an event comes out as the
    board shows a group (without its ideas, see ``audience.shown_group``)."""
    moment = event_types.Moment(audience, anonymous=anonymous, phase=phase, live_votes=live_votes, threshold=threshold)
    return event_types.get(record_type).trim(payload, moment)


class EventView:
    """Renders a session's stored events, in order, for one audience.

    Whether authors are shown depends on the session's anonymity at the time of
    rendering, so the view follows ``session.updated`` as the stream goes. The SSE
    stream and the event-log tests both render through this class.
    """

    def __init__(
        self,
        audience: Audience,
        *,
        anonymous: bool,
        phase: str = "draft",
        live_votes: bool = False,
        threshold: float = DEFAULT_QUICK_WIN_THRESHOLD,
    ) -> None:
        self.audience = audience
        self.anonymous = anonymous
        self.phase = phase
        self.live_votes = live_votes
        self.threshold = threshold

    @classmethod
    def for_session(cls, audience: Audience, session: dict[str, Any]) -> EventView:
        view = cls(audience, anonymous=session["anonymous"])
        view._follow(session)
        return view

    def _follow(self, session: dict[str, Any]) -> None:
        self.anonymous = session["anonymous"]
        self.phase = session["phase"]
        self.live_votes = session.get("live_votes", False)
        self.threshold = session.get("quick_win_threshold", DEFAULT_QUICK_WIN_THRESHOLD)

    def reset(self, board_state: dict[str, Any]) -> None:
        """After a snapshot: continue from the session state it was taken with."""
        self._follow(board_state["session"])

    def follow(self, record_type: str, payload: dict[str, Any]) -> None:
        """Advance the session state this view renders with (call for every event, in order)."""
        if record_type in ("session.updated", "session.created", "session.imported"):
            self._follow(payload["session"])
        elif record_type == "session.phase_changed":
            self.phase = payload["phase"]

    def render(self, record_type: str, payload: dict[str, Any]) -> dict[str, Any]:
        self.follow(record_type, payload)
        return self.trimmed(record_type, payload)

    def trimmed(self, record_type: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The event for this audience with the state followed so far (no advance)."""
        return event_for(
            record_type,
            payload,
            audience=self.audience,
            anonymous=self.anonymous,
            phase=self.phase,
            live_votes=self.live_votes,
            threshold=self.threshold,
        )


def involved(record_type: str, payload: dict[str, Any]) -> set[int]:
    """Participants whose own view of this event differs from every other phone's:
    its author, a voter or rater on a group it carries, a signer, a phone whose dots
    left change. Every other phone sees exactly the same rendering."""
    ids: set[int] = set()

    def group_people(entry: dict[str, Any]) -> None:
        ids.update(int(pid) for pid in (entry.get("tally") or {}).get("voters", {}))
        ids.update(int(pid) for pid in (entry.get("scores") or {}).get("by", {}))

    if payload.get("participant_id") is not None:
        ids.add(payload["participant_id"])
    idea = payload.get("idea")
    if isinstance(idea, dict) and idea.get("participant_id") is not None:
        ids.add(idea["participant_id"])
    group_people(payload)
    for entry in payload.get("groups", ()) if record_type == "groups.imported" else ():
        group_people(entry)
    if record_type == "commitment.signed":
        ids.add(payload["commitment"]["participant_id"])
    for entry in payload.get("authors", ()):
        if entry.get("participant_id") is not None:
            ids.add(entry["participant_id"])
    ids.update(int(pid) for pid in payload.get("votes_used", {}))
    return ids


def render_key(
    record_type: str, payload: dict[str, Any], audience: Audience, people: Collection[int] | None = None
) -> str:
    """Which audiences get the same rendering of one event (with the same session
    state, which every stream derives from the same log): the facilitator, the
    projector, any uninvolved phone, or one involved phone. A stream renders and
    serialises an event once per key, not once per connection. ``people``: the
    event's ``involved`` participants, when the caller has them already."""
    if audience.facilitator:
        return "facilitator"
    if audience.participant_id is None:
        return "projector"
    if audience.participant_id in (involved(record_type, payload) if people is None else people):
        return f"participant:{audience.participant_id}"
    return "phone"


__all__ = ["EventView", "board", "event_for", "join_url", "render_key", "session_out"]


def session_state_at(db: Db, session_id: int, seq: int) -> dict[str, Any] | None:
    """The session's settings and phase as they were right after event ``seq``: a
    stream replaying from there must render the first replayed events with the
    anonymity, tally visibility and threshold of that moment, not of now. Walks the
    session's own events back from ``seq``: the newest phase change gives the phase,
    the newest session.created/imported/updated the settings. None when there is none."""
    rows = db.execute(
        select(col(Event.type), col(Event.payload))
        .where(col(Event.session_id) == session_id, col(Event.seq) <= seq, col(Event.type).in_(SESSION_STATE_EVENTS))
        .order_by(col(Event.seq).desc())
        .execution_options(yield_per=20)
    )
    phase = None
    for record_type, payload in rows:
        if record_type == "session.phase_changed":
            phase = phase or payload["phase"]
            continue
        state = dict(payload["session"])
        if phase is not None:
            state["phase"] = phase
        return state
    return None


SESSION_STATE_EVENTS = ("session.created", "session.imported", "session.updated", "session.phase_changed")


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


def dimension_counts(db: Db, session_id: int) -> dict[str, int]:
    """Ideas everyone may see (not deleted, not hidden) per dimension ("none":
    uncategorised): the counts the projector keeps in view under the word cloud and
    the idea wall."""
    rows = db.execute(
        select(col(Idea.dimension), func.count())
        .where(col(Idea.session_id) == session_id, ~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending))
        .group_by(col(Idea.dimension))
    ).all()
    found = {dimension or "none": count for dimension, count in rows}
    return {code: found.get(code, 0) for code in (*DIMENSION_CODES, "none")}
