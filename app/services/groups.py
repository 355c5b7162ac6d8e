"""Grouping: move an idea into another group (merge) or out on its own, rename a
group, set its dimension.

Who: the facilitator of the workshop in any phase but draft and closed; a
participant only in the `group` phase and only when the session sets
``participants_can_group``. Lock order as everywhere: the session row first
(``sessions.locked``), then groups and ideas.

Votes stay on the group they were cast on. When a move empties a group (its last
idea went elsewhere), that group is merged: its votes follow to the target, so
merging two voted groups sums them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import col

from app.db import Db, known, write_transaction
from app.domain import DIMENSION_BY_CODE, BudgetSource, Horizon, Phase
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import Facilitator, Idea, IdeaGroup, Participant, Session, Vote
from app.services import events, input_lock, scores, sessions
from app.services.ideas import check_swot
from app.services.payloads import group_public, group_state, idea_public
from app.services.text import clean_text, shown

GROUP_TITLE_MAX = 280
FACILITATOR_PHASES = (
    Phase.brainstorm.value,
    Phase.group.value,
    Phase.vote.value,
    Phase.score.value,
    Phase.results.value,
)
OWNER_MAX = 160
# What a group is on the board (title, dimension, SWOT quadrant): grouping rules apply.
BOARD_FIELDS = ("title", "dimension", "swot")
# The programme's plan: only the facilitator sets it, in any phase (owners and budget
# sources are often settled after the room has gone home).
ROADMAP_FIELDS = ("sub_element", "horizon", "owner", "budget_source", "quick_win")


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


def check_phase(session: Session, actor: Actor) -> None:
    if actor.facilitator is not None:
        if session.phase not in FACILITATOR_PHASES:
            raise Conflict("Ideas can be grouped from brainstorm until results, not in draft or closed sessions.")
        return
    if not session.participants_can_group:
        raise Forbidden("In this session only the facilitator groups ideas.")
    if session.phase != Phase.group.value:
        raise Conflict("Grouping is not open: participants can group only during the group phase.")


def _live_size(db: Db, group_id: int, *, visible_only: bool = False) -> int:
    query = select(func.count()).select_from(Idea).where(col(Idea.group_id) == group_id, ~col(Idea.deleted))
    if visible_only:
        query = query.where(~col(Idea.hidden), ~col(Idea.pending))
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
        session = sessions.locked(db, idea.session_id)
        check_phase(session, actor)
        if actor.participant is not None:
            input_lock.check(session)
        idea = db.get(Idea, idea_id, populate_existing=True)
        if idea is None or idea.deleted or ((idea.hidden or idea.pending) and actor.participant is not None):
            raise NotFound("Idea not found.")
        target, seq = move_locked(db, session=session, actor=actor, idea=idea, group_id=group_id)
    return idea, target, seq


def move_locked(
    db: Db, *, session: Session, actor: Actor, idea: Idea, group_id: int | None
) -> tuple[IdeaGroup, int | None]:
    """``move_idea``'s work inside a write transaction the caller holds, with the
    session row locked and the idea re-read and checked (several moves that must all
    happen or none: accepting suggested groups). Returns (target group, seq); seq is
    None when the idea was already there."""
    source = known(db, IdeaGroup, idea.group_id)
    target: IdeaGroup | None
    if group_id is None:
        if _live_size(db, source.id) == 1:
            return source, None  # already a group of its own
        target = IdeaGroup(session_id=session.id, dimension=idea.dimension, swot=idea.swot)
        db.add(target)
        db.flush()
    else:
        target = db.get(IdeaGroup, group_id)
        if target is None or target.session_id != session.id or not _findable(db, actor, target.id):
            raise NotFound("Group not found in this session.")
        if target.id == source.id:
            return target, None
    idea.group_id = target.id
    db.flush()
    merged = _live_size(db, source.id) == 0
    votes_moved = 0
    if merged:
        votes_moved = (
            db.exec(update(Vote).where(col(Vote.group_id) == source.id).values(group_id=target.id)).rowcount or 0
        )
        scores.follow_merge(db, source_id=source.id, target_id=target.id)
    author = db.get(Participant, idea.participant_id) if idea.participant_id else None
    state = group_state(db, target)
    seq = events.record(
        db,
        session_id=session.id,
        type="idea.moved",
        payload={
            "idea": idea_public(idea, author),
            "from_group_id": source.id,
            **state,  # the target and its tally (summed when merged)
            "merged": merged,
            "votes_moved": votes_moved,
            "votes": state["tally"]["votes"],
        },
    )
    return target, seq


def update_group(db: Db, *, actor: Actor, group_id: int, **changes: Any) -> tuple[IdeaGroup, int | None]:
    """Change a group: rename (an empty title goes back to the default, its first
    idea), set its dimension or SWOT quadrant, or (facilitator only) its roadmap:
    sub-element, horizon, owner, budget source, quick win. Only the fields passed
    change. Returns (group, seq); seq is None when nothing changed."""
    unknown = set(changes) - set(BOARD_FIELDS) - set(ROADMAP_FIELDS)
    if unknown:
        raise Invalid("Unknown field %(field)s.", field=shown(sorted(unknown)[0]))
    group = db.get(IdeaGroup, group_id)
    if group is None:
        raise NotFound("Group not found.")
    _authorise(db, actor, group.session_id)
    roadmap = any(key in changes for key in ROADMAP_FIELDS)
    if roadmap and actor.facilitator is None:
        raise Forbidden("Only the facilitator sets a group's roadmap.")
    values = _checked_values(changes)
    with write_transaction(db):
        session = sessions.locked(db, group.session_id)
        if any(key in changes for key in BOARD_FIELDS):
            check_phase(session, actor)
        if actor.participant is not None:
            input_lock.check(session)
        group = known(db, IdeaGroup, group_id, populate_existing=True)
        if not _findable(db, actor, group.id):
            raise NotFound("Group not found.")
        dimension = values.get("dimension", group.dimension)
        if (
            "dimension" in values
            and "sub_element" not in values
            and group.sub_element is not None
            and (
                dimension is None
                or group.sub_element not in {s.code for s in DIMENSION_BY_CODE[dimension].sub_elements}
            )
        ):
            values["sub_element"] = None  # a sub-element belongs to one dimension
        if values.get("sub_element") is not None:
            spec = DIMENSION_BY_CODE.get(dimension) if dimension else None
            if spec is None:
                raise Invalid("Choose a dimension before a sub-element.")
            if values["sub_element"] not in {s.code for s in spec.sub_elements}:
                raise Invalid(
                    "Sub-element %(code)s does not belong to this dimension.", code=shown(values["sub_element"])
                )
        before = {key: getattr(group, key) for key in values}
        for key, value in values.items():
            setattr(group, key, value)
        if before == {key: getattr(group, key) for key in values}:
            return group, None  # nothing changed: no event (like a move to where it is)
        db.flush()
        seq = events.record(db, session_id=session.id, type="group.updated", payload=group_state(db, group))
    return group, seq


def _checked_values(changes: dict[str, Any]) -> dict[str, Any]:
    """Validated, cleaned values of the fields sent (None clears a field)."""
    out: dict[str, Any] = {}
    if "title" in changes:
        out["title"] = clean_text(changes["title"], field="Title", max_length=GROUP_TITLE_MAX, required=False) or None
    if "dimension" in changes:
        dimension = changes["dimension"]  # "" is not a dimension: null clears it
        if dimension is not None and dimension not in DIMENSION_BY_CODE:
            raise Invalid("Unknown dimension %(code)s.", code=shown(dimension))
        out["dimension"] = dimension
    if "swot" in changes:
        out["swot"] = check_swot(changes["swot"])
    if "sub_element" in changes:
        out["sub_element"] = changes["sub_element"] or None
    if "horizon" in changes:
        out["horizon"] = _choice(changes["horizon"], Horizon, "horizon")
    if "budget_source" in changes:
        out["budget_source"] = _choice(changes["budget_source"], BudgetSource, "budget source")
    if "owner" in changes:
        out["owner"] = clean_text(changes["owner"], field="Owner", max_length=OWNER_MAX, required=False) or None
    if "quick_win" in changes:
        if changes["quick_win"] is not None and not isinstance(changes["quick_win"], bool):
            raise Invalid("quick_win must be true or false.")
        out["quick_win"] = bool(changes["quick_win"])
    return out


def _choice(value: Any, choices: type[Enum], label: str) -> str | None:
    if value in (None, ""):
        return None
    codes = [c.value for c in choices]
    if value not in codes:
        raise Invalid(
            "Unknown %(field)s %(code)s; choose one of: %(choices)s.",
            field=label,
            code=shown(value),
            choices=", ".join(codes),
        )
    return value


def merge(db: Db, *, actor: Actor, group_id: int, into_group_id: int) -> int | None:
    """Accept a duplicate suggestion: move every idea of ``group_id`` into
    ``into_group_id``, one ``move_idea`` (and one ``idea.moved``) each. The last move
    empties the group, so its votes follow (merging two voted groups sums them).
    Returns the seq of the last move."""
    if group_id == into_group_id:
        raise Invalid("A group cannot be merged into itself.")
    idea_ids = list(
        db.scalars(
            select(col(Idea.id)).where(col(Idea.group_id) == group_id, ~col(Idea.deleted)).order_by(col(Idea.id))
        )
    )
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
    out = group_public(group)
    out.pop("origin")
    return {**out, "seq": seq}
