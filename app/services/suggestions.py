"""Suggested groups and dimensions for a session's ideas, and accepting them.

The engines (``idea_clusters``, ``dimension_guess``) are pure text work; this module
gives them the session's ideas and turns what the facilitator accepts into the
ordinary changes: moves that record ``idea.moved`` (and a ``group.updated`` for the
title), dimension changes that record ``idea.updated``. So every screen follows
live and undoing one is moving the idea back.

Only "ungrouped" ideas are proposed: visible, not deleted, alone in their group,
and that group has no title the facilitator gave it. A group of two or more ideas
is somebody's grouping: never broken up, its ideas never proposed. A carried-forward
idea comes with its group's title as it was shown (its own text when it had none):
that is no title given here, so it gets the same help.

Who and when: the facilitator of the workshop, in the phases where the facilitator
groups (``groups.FACILITATOR_PHASES``). Nothing is stored about a suggestion: one
dismissed may come back on the next look.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from cachetools import LRUCache, cached
from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db, known, write_transaction
from app.domain import SWOT_CODES, Permission
from app.errors import Conflict, Invalid
from app.models import Facilitator, Idea, IdeaGroup, Session, Stage
from app.services import dimension_guess, events, groups, idea_clusters, ideas, sessions
from app.services.dimension_guess import Guess
from app.services.groups import GROUP_TITLE_MAX, Actor
from app.services.idea_clusters import Cluster, IdeaText
from app.services.payloads import group_state
from app.services.text import clean_text

# A facilitator reviews a screenful at a time; more in one request is a script.
MAX_CLUSTERS = 200
MAX_IDEAS = 2000

# The engines are pure functions of the ideas' texts and places, and a round costs
# ~0.3 s for 330 ideas; the console renders the review list on every visit (after each
# decision too). Keyed by the inputs themselves, so an answer can never be stale: any
# new, moved, edited or placed idea is another key. A few sessions' worth.
_ENGINE_LOCK = threading.Lock()


@cached(LRUCache(maxsize=16), lock=_ENGINE_LOCK)
def _clusters(members: tuple[IdeaText, ...]) -> tuple[Cluster, ...]:
    return tuple(idea_clusters.propose(members))


@cached(LRUCache(maxsize=16), lock=_ENGINE_LOCK)
def _guesses(unplaced: tuple[IdeaText, ...], placed: tuple[IdeaText, ...]) -> tuple[Guess, ...]:
    return tuple(dimension_guess.guess(unplaced, placed))


@dataclass(frozen=True)
class Proposal:
    """A cluster the facilitator accepts, perhaps renamed or with ideas taken out."""

    title: str | None
    idea_ids: tuple[int, ...]


@dataclass(frozen=True)
class Placement:
    idea_id: int
    dimension: str
    sub_element: str | None


def _group_sizes(db: Db, session_id: int) -> dict[int, int]:
    """Live (not deleted) ideas per group, hidden ones included: a hidden idea still
    belongs to the group a person made."""
    rows = db.execute(
        select(col(Idea.group_id), func.count())
        .where(col(Idea.session_id) == session_id, ~col(Idea.deleted))
        .group_by(col(Idea.group_id))
    ).all()
    return {group_id: count for group_id, count in rows}


def _is_ungrouped(idea: Idea, group: IdeaGroup, sizes: dict[int, int]) -> bool:
    return (
        not idea.deleted
        and not idea.hidden
        and not idea.pending
        and group.id == idea.group_id
        and sizes.get(group.id, 0) == 1
        and (group.title is None or group.title == idea.text)  # a carried copy's title is its text
    )


def _visible(db: Db, session_id: int) -> list[tuple[Idea, IdeaGroup]]:
    return [
        (idea, group)
        for idea, group in db.execute(
            select(Idea, IdeaGroup)
            .join(IdeaGroup, col(IdeaGroup.id) == col(Idea.group_id))
            .where(col(Idea.session_id) == session_id, ~col(Idea.deleted), ~col(Idea.hidden), ~col(Idea.pending))
            .order_by(col(Idea.id))
        ).all()
    ]


def _readable(db: Db, facilitator: Facilitator, session_id: int) -> Session:
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=session_id, permission=Permission.read
    )
    groups.check_phase(session, Actor(facilitator=facilitator))
    return session


def proposed_groups(db: Db, *, facilitator: Facilitator, session_id: int) -> list[Cluster]:
    """Clusters of ungrouped ideas, per dimension (the engine's rule) and, on a SWOT
    board, per quadrant: largest first."""
    session = _readable(db, facilitator, session_id)
    return propose_for(db, session)


def propose_for(db: Db, session: Session) -> list[Cluster]:
    """``proposed_groups`` once access and phase are settled (the console reads it
    in its own consistent transaction)."""
    sizes = _group_sizes(db, session.id)
    by_quadrant: dict[str | None, list[IdeaText]] = {}
    swot = session.layout == "swot"
    for idea, group in _visible(db, session.id):
        if not _is_ungrouped(idea, group, sizes):
            continue
        # Where the idea sits on the board: its group's dimension and quadrant.
        quadrant = group.swot if swot and group.swot in SWOT_CODES else None
        by_quadrant.setdefault(quadrant, []).append(IdeaText(idea.id, idea.text, group.dimension, idea.sub_element))
    clusters = [c for members in by_quadrant.values() for c in _clusters(tuple(members))]
    clusters.sort(key=lambda c: (-len(c.idea_ids), c.idea_ids))
    return clusters


def proposed_dimensions(db: Db, *, facilitator: Facilitator, session_id: int) -> list[Guess]:
    """A guess for each visible idea of the session without a dimension (neither the
    idea nor its group has one), learned from the ideas of the whole workshop that
    have one. Ideas without any evidence are left out."""
    session = _readable(db, facilitator, session_id)
    return guess_for(db, session)


def guess_for(db: Db, session: Session) -> list[Guess]:
    unplaced = [
        IdeaText(idea.id, idea.text)
        for idea, group in _visible(db, session.id)
        if idea.dimension is None and group.dimension is None
    ]
    if not unplaced:
        return []
    workshop_sessions = (
        select(col(Session.id))
        .join(Stage, col(Stage.id) == col(Session.stage_id))
        .where(col(Stage.workshop_id) == sessions.workshop_id_of(db, session))
    )
    placed = [
        IdeaText(idea_id, text, dimension, sub_element)
        for idea_id, text, dimension, sub_element in db.execute(
            select(col(Idea.id), col(Idea.text), col(Idea.dimension), col(Idea.sub_element))
            .where(
                col(Idea.session_id).in_(workshop_sessions),
                col(Idea.dimension).is_not(None),
                ~col(Idea.deleted),
                ~col(Idea.hidden),
                ~col(Idea.pending),
            )
            .order_by(col(Idea.id))  # one order, one cache key
        ).all()
    ]
    return list(_guesses(tuple(unplaced), tuple(placed)))


def check_proposals(raw: Sequence[tuple[str | None, Sequence[int]]]) -> list[Proposal]:
    """What a client sent, cleaned: each cluster two ideas or more, an idea in one
    cluster at most, titles cleaned like a group's."""
    if not raw:
        raise Invalid("Choose at least one group to accept.")
    if len(raw) > MAX_CLUSTERS:
        raise Invalid("Accept at most %(num)s groups at once.", num=MAX_CLUSTERS)
    seen: set[int] = set()
    out = []
    for title, idea_ids in raw:
        ids = tuple(dict.fromkeys(idea_ids))
        if len(ids) < 2:
            raise Invalid("A group needs at least two ideas; leave out a suggestion you took ideas out of.")
        repeated = seen.intersection(ids)
        if repeated:
            raise Invalid("Idea %(id)s is in more than one group; put each idea in one group only.", id=min(repeated))
        seen.update(ids)
        cleaned = clean_text(title or "", field="Title", max_length=GROUP_TITLE_MAX, required=False) or None
        out.append(Proposal(cleaned, ids))
    if len(seen) > MAX_IDEAS:
        raise Invalid("Accept at most %(num)s ideas at once.", num=MAX_IDEAS)
    return out


def apply_groups(
    db: Db, *, facilitator: Facilitator, session_id: int, proposals: Sequence[Proposal]
) -> list[tuple[IdeaGroup, int | None]]:
    """Make each accepted cluster a group: its other ideas move into the first one's
    group (one ``idea.moved`` each; a group left empty hands its votes over as in a
    merge) and the title is set (one ``group.updated``). All clusters or none: when
    any idea is not ungrouped any more (moved, grouped, hidden, deleted, or of another
    session) nothing changes and the answer is 409. Returns (group, last seq) each."""
    actor = Actor(facilitator=facilitator)
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    out: list[tuple[IdeaGroup, int | None]] = []
    with write_transaction(db):
        session = sessions.locked(db, session_id)
        groups.check_phase(session, actor)
        sizes = _group_sizes(db, session.id)
        wanted = [idea_id for proposal in proposals for idea_id in proposal.idea_ids]
        found = {
            idea.id: idea
            for idea in db.scalars(
                select(Idea).where(col(Idea.id).in_(wanted)).execution_options(populate_existing=True)
            )
        }
        for idea_id in wanted:
            idea = found.get(idea_id)
            group = db.get(IdeaGroup, idea.group_id, populate_existing=True) if idea is not None else None
            if idea is None or group is None or idea.session_id != session.id or not _is_ungrouped(idea, group, sizes):
                raise Conflict(
                    "Idea %(id)s changed since the suggestions were made (grouped, hidden or deleted). "
                    "Nothing was changed: look at the suggestions again.",
                    id=idea_id,
                )
        for proposal in proposals:
            first = found[proposal.idea_ids[0]]
            target = known(db, IdeaGroup, first.group_id)
            seq: int | None = None
            for idea_id in proposal.idea_ids[1:]:
                target, seq = groups.move_locked(
                    db, session=session, actor=actor, idea=found[idea_id], group_id=target.id
                )
            if proposal.title is not None and proposal.title != target.title:
                target.title = proposal.title
                db.flush()
                seq = events.record(db, session_id=session.id, type="group.updated", payload=group_state(db, target))
            out.append((target, seq))
    return out


def check_placements(raw: Sequence[tuple[int, str, str | None]]) -> list[Placement]:
    if not raw:
        raise Invalid("Choose at least one idea to place.")
    if len(raw) > MAX_IDEAS:
        raise Invalid("Accept at most %(num)s ideas at once.", num=MAX_IDEAS)
    out: list[Placement] = []
    seen: set[int] = set()
    for idea_id, dimension, sub_element in raw:
        if idea_id in seen:
            raise Invalid("Idea %(id)s is listed twice; give each idea one dimension.", id=idea_id)
        seen.add(idea_id)
        if not dimension:
            raise Invalid("Choose a dimension for idea %(id)s.", id=idea_id)
        checked, sub = ideas.check_dimension(dimension, sub_element)
        if checked is None:  # only for an empty dimension, refused above
            raise Invalid("Choose a dimension for idea %(id)s.", id=idea_id)
        out.append(Placement(idea_id, checked, sub))
    return out


def apply_dimensions(
    db: Db, *, facilitator: Facilitator, session_id: int, placements: Sequence[Placement]
) -> list[tuple[Idea, int]]:
    """Give each idea its accepted dimension (and sub-element); a group of one
    follows its idea, as after an edit from the phone. One ``idea.updated`` each. All
    or none: an idea that got a dimension meanwhile, or was hidden or deleted, is a 409."""
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    out: list[tuple[Idea, int]] = []
    with write_transaction(db):
        session = sessions.locked(db, session_id)
        groups.check_phase(session, Actor(facilitator=facilitator))
        for placement in placements:
            idea = db.get(Idea, placement.idea_id, populate_existing=True)
            group = db.get(IdeaGroup, idea.group_id, populate_existing=True) if idea is not None else None
            if (
                idea is None
                or group is None
                or idea.session_id != session.id
                or idea.deleted
                or idea.hidden
                or idea.pending
                or idea.dimension is not None
                or group.dimension is not None
            ):
                raise Conflict(
                    "Idea %(id)s changed since the suggestions were made (it has a dimension now, or was hidden "
                    "or deleted). Nothing was changed: look at the suggestions again.",
                    id=placement.idea_id,
                )
            seq = ideas.place_locked(
                db, session=session, idea=idea, dimension=placement.dimension, sub_element=placement.sub_element
            )
            out.append((idea, seq))
    return out


@dataclass(frozen=True)
class Review:
    """What the console's review list shows: the proposals and the ideas' texts."""

    clusters: list[Cluster]
    guesses: list[Guess]
    texts: dict[int, str]


def review(db: Db, session: Session) -> Review | None:
    """Both kinds of proposals for the console (which checked access and reads in
    its own transaction); None outside the phases where the facilitator groups."""
    if session.phase not in groups.FACILITATOR_PHASES:
        return None
    clusters = propose_for(db, session)
    guesses = guess_for(db, session)
    wanted = {i for c in clusters for i in c.idea_ids} | {g.idea_id for g in guesses}
    texts: dict[int, str] = {}
    if wanted:
        rows = db.execute(select(col(Idea.id), col(Idea.text)).where(col(Idea.id).in_(wanted))).all()
        texts = {idea_id: text for idea_id, text in rows}
    return Review(clusters, guesses, texts)


def dismissal_key(idea_ids: Sequence[int]) -> str:
    """How the console names a cluster the facilitator dismissed (its ideas, sorted):
    kept in the page's address, so it stays dismissed until the ideas change."""
    return "g" + "-".join(str(i) for i in sorted(idea_ids))
