"""Carry-forward: the facilitator brings groups from an earlier session of the same
workshop into a session (all, the top N by votes, or hand-picked). Earlier means a
lower stage, or the same stage and created first (``is_earlier``): lineage only
runs forward, from Tahap I to the quick wins of Tahap IV.

Each imported group is a new group in the target session with copies of its
visible ideas (no author: nobody submitted them here; the source keeps who did),
linked to its source group with the votes it had there. Importing the same
source group again is a no-op that returns the group already carried, so a
double click or a retried request never duplicates a programme.
One import records one ``groups.imported`` event, whatever the number of groups.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from app.db import Db, known, write_transaction
from app.domain import Phase
from app.errors import Conflict, Invalid, NotFound
from app.models import Facilitator, Idea, IdeaGroup, Session, Stage
from app.services import events, results, sessions
from app.services.payloads import group_state, idea_public

MAX_TOP = 500


@dataclass(frozen=True)
class Imported:
    group_id: int
    source_group_id: int


def import_groups(
    db: Db,
    *,
    facilitator: Facilitator,
    session_id: int,
    source_session_id: int,
    group_ids: list[int] | None = None,
    top: int | None = None,
) -> tuple[list[Imported], int | None]:
    """Returns (one entry per requested source group, seq). seq is None when every
    requested group had already been carried into this session (nothing recorded)."""
    if group_ids is not None and top is not None:
        raise Invalid("Send either group_ids or top, not both.")
    if top is not None and not 1 <= top <= MAX_TOP:
        raise Invalid("top must be between 1 and %(high)s.", high=MAX_TOP)
    if group_ids is not None and not group_ids:
        raise Invalid("Choose at least one group to import.")
    target = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    source = source_for(db, facilitator=facilitator, target=target, source_session_id=source_session_id)

    # What the source shows (hidden ideas stay behind), most votes first.
    ranked = results.ranked_groups(db, source)
    if group_ids is not None:
        by_id = {g["id"]: g for g in ranked}
        missing = [gid for gid in dict.fromkeys(group_ids) if gid not in by_id]
        if missing:
            raise Invalid("Group %(id)s is not in the source session.", id=missing[0])
        chosen = [by_id[gid] for gid in dict.fromkeys(group_ids)]
    elif top is not None:
        chosen = ranked[:top]
    else:
        chosen = ranked
    if not chosen:
        raise Conflict("The source session has no groups to import yet.")

    with write_transaction(db):
        target = sessions.locked(db, session_id)
        if target.phase == Phase.closed.value:
            raise Conflict("This session is closed: reopen it to import groups.")
        already = dict(
            db.execute(
                select(col(IdeaGroup.source_group_id), col(IdeaGroup.id)).where(
                    col(IdeaGroup.session_id) == session_id,
                    col(IdeaGroup.source_group_id).in_([g["id"] for g in chosen]),
                )
            ).all()
        )
        # A carried group merged away since (no ideas left) no longer counts as carried.
        live = set(
            db.scalars(
                select(col(Idea.group_id)).where(col(Idea.group_id).in_(list(already.values())), ~col(Idea.deleted))
            )
        )
        out: list[Imported] = []
        payload_groups = []
        for entry in chosen:
            existing = already.get(entry["id"])
            if existing is not None and existing in live:
                out.append(Imported(group_id=existing, source_group_id=entry["id"]))
                continue
            group, ideas = _copy(db, target, source, entry)
            out.append(Imported(group_id=group.id, source_group_id=entry["id"]))
            payload_groups.append({**group_state(db, group), "ideas": [idea_public(i, None) for i in ideas]})
        if not payload_groups:
            return out, None
        seq = events.record(db, session_id=session_id, type="groups.imported", payload={"groups": payload_groups})
    return out, seq


def source_for(db: Db, *, facilitator: Facilitator, target: Session, source_session_id: int) -> Session:
    """The session groups may be carried from into ``target``: this facilitator's,
    of the same workshop, and earlier in it (``is_earlier``), else refused."""
    if source_session_id == target.id:
        raise Invalid("A session cannot import its own groups.")
    try:
        source = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=source_session_id)
    except NotFound:
        raise NotFound("Source session not found.") from None
    if sessions.workshop_id_of(db, source) != sessions.workshop_id_of(db, target):
        raise Invalid("Groups can only be carried forward within the same workshop.")
    if not is_earlier(db, source, target):
        raise Invalid("Groups can only be carried forward from an earlier session of the workshop.")
    return source


def is_earlier(db: Db, source: Session, target: Session) -> bool:
    """``earlier`` for two sessions (reads their stage numbers)."""
    numbers = dict(
        db.execute(
            select(col(Stage.id), col(Stage.number)).where(col(Stage.id).in_({source.stage_id, target.stage_id}))
        ).all()
    )
    return earlier(numbers[source.stage_id], source.id, numbers[target.stage_id], target.id)


def earlier(source_stage: int, source_id: int, target_stage: int, target_id: int) -> bool:
    """Carrying goes forward only: from a lower stage (tahap), or from the same stage
    when the source was created first (a lower id). So Tahap I never imports from
    Tahap III, and two sessions can never import from each other."""
    return (source_stage, source_id) < (target_stage, target_id)


def _copy(db: Db, target: Session, source: Session, entry: dict) -> tuple[IdeaGroup, list[Idea]]:
    original = known(db, IdeaGroup, entry["id"])
    group = IdeaGroup(
        session_id=target.id,
        # The title carries over as shown there (its first idea when it had none of its own).
        title=entry["title"],
        dimension=original.dimension,
        swot=original.swot,
        sub_element=original.sub_element,
        horizon=original.horizon,
        owner=original.owner,
        budget_source=original.budget_source,
        quick_win=original.quick_win,
        source_group_id=original.id,
        source_session_id=source.id,
        source_votes=entry["votes"],
    )
    db.add(group)
    db.flush()
    ideas = []
    for idea, _author in entry["ideas"]:
        copy = Idea(
            session_id=target.id,
            group_id=group.id,
            participant_id=None,
            text=idea.text,
            dimension=idea.dimension,
            sub_element=idea.sub_element,
            swot=idea.swot,
            source_idea_id=idea.id,
        )
        db.add(copy)
        ideas.append(copy)
    db.flush()
    return group, ideas
