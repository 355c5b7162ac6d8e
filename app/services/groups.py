"""Grouping: move an idea into another group (merge) or out on its own, rename a
group, set its dimension.

Who: the facilitator of the workshop in any phase but draft and closed; a
participant only in the `group` phase and only when the session sets
``participants_can_group``. Lock order as everywhere: the session row first
(``ideas._locked_session``), then groups and ideas.

Votes stay on the group they were cast on. When a move empties a group (its last
idea went elsewhere), that group is merged: its votes follow to the target, so
merging two voted groups sums them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from app.db import Db, write_transaction
from app.domain import DIMENSION_BY_CODE, Phase
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import Facilitator, Idea, IdeaGroup, Participant, Session, Vote
from app.services import events, sessions
from app.services.ideas import _locked_session, group_public, group_state, public
from app.services.text import clean_text, shown

GROUP_TITLE_MAX = 280
FACILITATOR_PHASES = (Phase.brainstorm.value, Phase.group.value, Phase.vote.value, Phase.results.value)


@dataclass(frozen=True)
class Actor:
    """Who is grouping: exactly one of the two is set."""

    facilitator: Facilitator | None = None
    participant: Participant | None = None


def _authorise(db: Db, actor: Actor, session_id: int) -> None:
    if actor.facilitator is not None:
        sessions.get_for_facilitator(db, facilitator=actor.facilitator, session_id=session_id)
        return
    if actor.participant is None or actor.participant.session_id != session_id:
        raise Forbidden("You can only group ideas in the session you joined.")


def _check_phase(session: Session, actor: Actor) -> None:
    if actor.facilitator is not None:
        if session.phase not in FACILITATOR_PHASES:
            raise Conflict("Ideas can be grouped from brainstorm until results, not in draft or closed sessions.")
        return
    if not session.participants_can_group:
        raise Forbidden("In this session only the facilitator groups ideas.")
    if session.phase != Phase.group.value:
        raise Conflict("Grouping is not open: participants can group only during the group phase.")


def _live_size(db: Db, group_id: int, *, visible_only: bool = False) -> int:
    query = select(func.count()).select_from(Idea).where(Idea.group_id == group_id, ~Idea.deleted)
    if visible_only:
        query = query.where(~Idea.hidden)
    return db.scalar(query) or 0


def _findable(db: Db, actor: Actor, group_id: int) -> bool:
    """A group exists for this actor when it has ideas the actor can see: a phone
    does not see hidden ideas, so it cannot find (or move, or rename) what only they
    make up, as it cannot vote there (``votes._votable_group``)."""
    return _live_size(db, group_id, visible_only=actor.participant is not None) > 0


def move_idea(db: Db, *, actor: Actor, idea_id: int, group_id: int | None) -> tuple[Idea, IdeaGroup, int | None]:
    """Move an idea into ``group_id``, or into a new group of its own when None.

    Returns (idea, target group, seq); seq is None when nothing changed (the idea
    was already there), so no event is recorded for a no-op.
    """
    idea = db.get(Idea, idea_id)
    if idea is None or idea.deleted:
        raise NotFound("Idea not found.")
    _authorise(db, actor, idea.session_id)
    with write_transaction(db):
        session = _locked_session(db, idea.session_id)
        _check_phase(session, actor)
        idea = db.get(Idea, idea_id, populate_existing=True)
        if idea is None or idea.deleted or (idea.hidden and actor.participant is not None):
            raise NotFound("Idea not found.")
        source = db.get(IdeaGroup, idea.group_id)
        if group_id is None:
            if _live_size(db, source.id) == 1:
                return idea, source, None  # already a group of its own
            target = IdeaGroup(session_id=session.id, dimension=idea.dimension)
            db.add(target)
            db.flush()
        else:
            target = db.get(IdeaGroup, group_id)
            if target is None or target.session_id != session.id or not _findable(db, actor, target.id):
                raise NotFound("Group not found in this session.")
            if target.id == source.id:
                return idea, target, None
        idea.group_id = target.id
        db.flush()
        merged = _live_size(db, source.id) == 0
        votes_moved = 0
        if merged:
            votes_moved = db.execute(
                update(Vote).where(Vote.group_id == source.id).values(group_id=target.id)
            ).rowcount or 0
        author = db.get(Participant, idea.participant_id) if idea.participant_id else None
        state = group_state(db, target)
        seq = events.record(
            db,
            session_id=session.id,
            type="idea.moved",
            payload={
                "idea": public(idea, author),
                "from_group_id": source.id,
                **state,  # the target and its tally (summed when merged)
                "merged": merged,
                "votes_moved": votes_moved,
                "votes": state["tally"]["votes"],
            },
        )
    return idea, target, seq


def update_group(
    db: Db, *, actor: Actor, group_id: int, title: str | None | object = ..., dimension: str | None | object = ...
) -> tuple[IdeaGroup, int | None]:
    """Rename (an empty title goes back to the default: its first idea) or set the
    dimension. Returns (group, seq); seq is None when nothing changed."""
    group = db.get(IdeaGroup, group_id)
    if group is None:
        raise NotFound("Group not found.")
    _authorise(db, actor, group.session_id)
    if title is not ...:
        title = clean_text(title, field="Title", max_length=GROUP_TITLE_MAX, required=False) or None
    if dimension is not ... and dimension is not None and dimension not in DIMENSION_BY_CODE:
        raise Invalid("Unknown dimension %(code)s.", code=shown(dimension))
    with write_transaction(db):
        session = _locked_session(db, group.session_id)
        _check_phase(session, actor)
        group = db.get(IdeaGroup, group_id, populate_existing=True)
        if not _findable(db, actor, group.id):
            raise NotFound("Group not found.")
        before = (group.title, group.dimension)
        if title is not ...:
            group.title = title
        if dimension is not ...:
            group.dimension = dimension
        if (group.title, group.dimension) == before:
            return group, None  # nothing changed: no event (like a move to where it is)
        db.flush()
        seq = events.record(db, session_id=session.id, type="group.updated", payload=group_state(db, group))
    return group, seq


def merge(db: Db, *, actor: Actor, group_id: int, into_group_id: int) -> int | None:
    """Accept a duplicate suggestion: move every idea of ``group_id`` into
    ``into_group_id``, one ``move_idea`` (and one ``idea.moved``) each. The last move
    empties the group, so its votes follow (merging two voted groups sums them).
    Returns the seq of the last move."""
    if group_id == into_group_id:
        raise Invalid("A group cannot be merged into itself.")
    idea_ids = list(db.scalars(
        select(Idea.id).where(Idea.group_id == group_id, ~Idea.deleted).order_by(Idea.id)
    ))
    if not idea_ids:
        raise NotFound("Group not found.")
    seq = None
    for idea_id in idea_ids:
        _idea, _target, moved = move_idea(db, actor=actor, idea_id=idea_id, group_id=into_group_id)
        seq = moved or seq
    return seq


def get(db: Db, group_id: int) -> IdeaGroup:
    group = db.get(IdeaGroup, group_id)
    if group is None:
        raise NotFound("Group not found.")
    return group


def group_out(group: IdeaGroup, seq: int | None) -> dict[str, Any]:
    return {**group_public(group), "seq": seq}
