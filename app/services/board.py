"""The board read model: what a screen shows, and how events are trimmed per audience.

Both the snapshot (``board``) and the live events (``event_for``) go through the same
trimming rules, which is what makes "state before + events == fresh state" hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import func, select

from app.db import Db
from app.models import Event, Idea, IdeaGroup, Participant, Session, iso
from app.domain import DEFAULT_QUICK_WIN_THRESHOLD, DIMENSION_CODES
from app.services import commitments as commitment_service
from app.services import ideas as idea_service
from app.services import lineage
from app.services import scores as score_service
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
    out = {k: idea.get(k) for k in ("id", "text", "dimension", "sub_element", "swot", "created_at")}
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
    rated = score_service.for_session(db, session.id)
    phone = audience.participant_id is not None
    mine = tallies.for_participant(db, audience.participant_id) if phone else {}
    my_scores = score_service.for_participant(db, audience.participant_id) if phone else {}
    origins = lineage.origins(db, groups)
    out_groups = []
    for group in groups:
        members = by_group.get(group.id)
        if not members:
            continue
        key = str(group.id)
        shown = shown_group(
            idea_service.group_public(group, origins[group.id]),
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


GROUP_FIELDS = ("id", "title", "dimension", "swot", "sub_element", "horizon", "owner", "budget_source",
                "quick_win", "origin")


def shown_group(
    group: dict[str, Any],
    *,
    votes: int,
    my_votes: int,
    scores: dict[str, Any] | None,
    my_score: list[int] | None,
    audience: Audience,
    shown: bool,
    threshold: float,
) -> dict[str, Any]:
    """A group as this audience sees it, on the board and in every event: the
    group's own fields, then votes and rating means (null where tallies are not
    visible to it), the phone's own dots and rating (null but for a phone)."""
    out = {k: group.get(k) for k in GROUP_FIELDS}
    out["quick_win"] = bool(out["quick_win"])
    out.update(_shown_scores(scores, shown=shown, threshold=threshold))
    out["votes"] = votes if shown else None
    phone = audience.participant_id is not None
    out["my_votes"] = my_votes if phone else None
    out["my_score"] = (list(my_score) if my_score else None) if phone else None
    return out


def _shown_scores(scores: dict[str, Any] | None, *, shown: bool, threshold: float) -> dict[str, Any]:
    if not shown:
        return {"impact": None, "feasibility": None, "raters": None, "quadrant": None}
    scores = scores or {}
    impact, feasibility = scores.get("impact"), scores.get("feasibility")
    return {
        "impact": impact,
        "feasibility": feasibility,
        "raters": scores.get("raters", 0),
        "quadrant": score_service.quadrant(impact, feasibility, threshold),
    }


def trim_commitment(commitment: dict[str, Any], *, audience: Audience) -> dict[str, Any]:
    out = {k: commitment[k] for k in ("id", "name", "position", "organization", "signed_at")}
    if audience.participant_id is not None:
        out["mine"] = commitment["participant_id"] == audience.participant_id
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
    whether tallies show and where a rated group falls).

    Every ``group`` in an event comes out as the board shows a group (without its
    ideas, see ``shown_group``)."""
    votes_shown = tallies.votes_visible(phase=phase, live_votes=live_votes, facilitator=audience.facilitator)
    group_for = partial(_group_for, audience=audience, votes_shown=votes_shown, threshold=threshold)
    if record_type in ("idea.created", "idea.updated", "idea.hidden"):
        idea = trim_idea(payload["idea"], audience=audience, anonymous=anonymous)
        out: dict[str, Any] = {
            "idea": idea,
            "idea_id": payload["idea"]["id"],
            "group": group_for(payload),
        }
        if record_type == "idea.hidden":
            out["hidden"] = payload["idea"]["hidden"]
        return out
    if record_type in ("participant.joined", "participant.removed"):
        if audience.facilitator:
            return payload
        return {"participant_count": payload["participant_count"]}
    if record_type == "idea.moved":
        return {
            "idea": trim_idea(payload["idea"], audience=audience, anonymous=anonymous),
            "idea_id": payload["idea"]["id"],
            "from_group_id": payload["from_group_id"],
            "group": group_for(payload),
            "merged": payload["merged"],
        }
    if record_type == "group.updated":
        return {"group": group_for(payload)}
    if record_type == "groups.imported":
        return {
            "groups": [
                {
                    "group": group_for(entry),
                    "ideas": [trim_idea(i, audience=audience, anonymous=anonymous) for i in entry["ideas"]],
                }
                for entry in payload["groups"]
            ]
        }
    if record_type == "score.set":
        out = {"group_id": payload["group_id"],
               **_shown_scores(payload["scores"], shown=votes_shown, threshold=threshold)}
        if audience.participant_id is not None and audience.participant_id == payload["participant_id"]:
            out["my_score"] = payload["scores"]["by"].get(str(audience.participant_id))
        return out
    if record_type == "commitment.signed":
        return {"commitment": trim_commitment(payload["commitment"], audience=audience)}
    if record_type in ("vote.cast", "vote.removed"):
        return _vote_for(payload, audience=audience, votes_shown=votes_shown)
    if record_type == "session.phase_changed":
        out = {k: v for k, v in payload.items() if k != "tallies"}
        shown_now = tallies.votes_visible(
            phase=payload["phase"], live_votes=live_votes, facilitator=audience.facilitator
        )
        out["tallies"] = payload.get("tallies", {}) if shown_now else None
        out.pop("scores", None)
        out["scores"] = _all_scores(payload.get("scores", {}), shown=shown_now, threshold=threshold)
        return out
    if record_type == "session.updated":
        return _session_updated(payload, audience=audience)
    return payload


def _group_for(
    payload: dict[str, Any], *, audience: Audience, votes_shown: bool, threshold: float
) -> dict[str, Any] | None:
    """The event's group with its tally and ratings trimmed for this audience (events
    written before votes or ratings existed lack them: nothing had any then)."""
    group = payload.get("group")
    if group is None:
        return None
    tally = payload.get("tally") or tallies.empty_tally()
    rated = payload.get("scores") or score_service.empty_scores()
    pid = str(audience.participant_id)
    return shown_group(
        group,
        votes=tally["votes"],
        my_votes=tally["voters"].get(pid, 0),
        scores=rated,
        my_score=rated["by"].get(pid),
        audience=audience,
        shown=votes_shown,
        threshold=threshold,
    )


def _all_scores(rated: dict[str, Any], *, shown: bool, threshold: float) -> dict[str, Any] | None:
    """Every rated group's means and quadrant, or None where they are not visible."""
    if not shown:
        return None
    return {gid: _shown_scores(entry, shown=True, threshold=threshold) for gid, entry in rated.items()}


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
    if "scores" in payload:
        shown_now = tallies.votes_visible(
            phase=session["phase"], live_votes=session["live_votes"], facilitator=audience.facilitator
        )
        out["scores"] = _all_scores(payload["scores"], shown=shown_now,
                                    threshold=session.get("quick_win_threshold", DEFAULT_QUICK_WIN_THRESHOLD))
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
        self, audience: Audience, *, anonymous: bool, phase: str = "draft", live_votes: bool = False,
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
        if record_type in ("session.updated", "session.created"):
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


def render_key(record_type: str, payload: dict[str, Any], audience: Audience) -> str:
    """Which audiences get the same rendering of one event (with the same session
    state, which every stream derives from the same log): the facilitator, the
    projector, any uninvolved phone, or one involved phone. A stream renders and
    serialises an event once per key, not once per connection."""
    if audience.facilitator:
        return "facilitator"
    if audience.participant_id is None:
        return "projector"
    if audience.participant_id in involved(record_type, payload):
        return f"participant:{audience.participant_id}"
    return "phone"


__all__ = ["FACILITATOR", "Audience", "EventView", "board", "event_for", "iso", "join_url", "render_key",
           "session_out"]


def session_state_at(db: Db, session_id: int, seq: int) -> dict[str, Any] | None:
    """The session's settings and phase as they were right after event ``seq``: a
    stream replaying from there must render the first replayed events with the
    anonymity, tally visibility and threshold of that moment, not of now. Walks the
    session's own events back from ``seq``: the newest phase change gives the phase,
    the newest session.created/updated the settings. None when there is none."""
    rows = db.execute(
        select(Event.type, Event.payload)
        .where(Event.session_id == session_id, Event.seq <= seq, Event.type.in_(SESSION_STATE_EVENTS))
        .order_by(Event.seq.desc())
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


SESSION_STATE_EVENTS = ("session.created", "session.updated", "session.phase_changed")


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
    rows = db.execute(select(Idea.dimension, func.count()).where(
        Idea.session_id == session_id, ~Idea.deleted, ~Idea.hidden).group_by(Idea.dimension)).all()
    found = {dimension or "none": count for dimension, count in rows}
    return {code: found.get(code, 0) for code in (*DIMENSION_CODES, "none")}
