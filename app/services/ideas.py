"""Ideas: submitted from phones during brainstorm, each in a group of its own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.db import Db, write_transaction
from app.domain import DIMENSION_BY_CODE, Phase
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import Facilitator, Idea, IdeaGroup, Participant, Session, iso, utcnow
from app.services import events, sessions
from app.services.text import clean_text

CLIENT_ID_MAX = 64


def public(idea: Idea, author: Participant | None) -> dict[str, Any]:
    """The full idea as stored in events; ``app.services.board`` trims it per audience."""
    return {
        "id": idea.id,
        "group_id": idea.group_id,
        "text": idea.text,
        "dimension": idea.dimension,
        "sub_element": idea.sub_element,
        "hidden": idea.hidden,
        "participant_id": idea.participant_id,
        "author": None
        if author is None
        else {"name": author.name, "organization": author.organization, "organization_type": author.organization_type},
        "created_at": iso(idea.created_at),
        "updated_at": iso(idea.updated_at),
    }


def group_public(group: IdeaGroup) -> dict[str, Any]:
    return {"id": group.id, "title": group.title, "dimension": group.dimension}


def _check_dimension(dimension: str | None, sub_element: str | None) -> tuple[str | None, str | None]:
    dimension = dimension or None
    sub_element = sub_element or None
    if dimension is None:
        if sub_element is not None:
            raise Invalid("Choose a dimension before a sub-element.")
        return None, None
    spec = DIMENSION_BY_CODE.get(dimension)
    if spec is None:
        raise Invalid("Unknown dimension %(code)s.", code=dimension)
    if sub_element is not None and sub_element not in {s.code for s in spec.sub_elements}:
        raise Invalid("Sub-element %(code)s does not belong to this dimension.", code=sub_element)
    return dimension, sub_element


def _require_phase(db: Db, session_id: int, phase: Phase) -> Session:
    session = db.get(Session, session_id, populate_existing=True)
    if session is None:
        raise NotFound("Session not found.")
    if session.phase != phase.value:
        raise Conflict("Brainstorming is not open: ideas can only be sent during the brainstorm phase.")
    return session


def find_by_client_id(db: Db, session_id: int, client_id: str) -> Idea | None:
    return db.scalar(select(Idea).where(Idea.session_id == session_id, Idea.client_id == client_id))


def submit(
    db: Db,
    *,
    participant: Participant,
    text: str,
    dimension: str | None = None,
    sub_element: str | None = None,
    client_id: str | None = None,
) -> tuple[Idea, int | None, bool]:
    """Returns (idea, seq, created). A repeated ``client_id`` returns the first idea
    unchanged with ``created=False``: a phone retrying on bad Wi-Fi never makes two."""
    if client_id is not None:
        client_id = client_id.strip()[:CLIENT_ID_MAX] or None
    if client_id:
        existing = find_by_client_id(db, participant.session_id, client_id)
        if existing is not None:
            return _same_author(existing, participant), None, False
    session = db.get(Session, participant.session_id)
    text = clean_text(text, field="Idea", max_length=session.idea_max_length, multiline=True)
    dimension, sub_element = _check_dimension(dimension, sub_element)
    try:
        with write_transaction(db):
            if client_id:
                existing = find_by_client_id(db, participant.session_id, client_id)
                if existing is not None:
                    return _same_author(existing, participant), None, False
            _require_phase(db, participant.session_id, Phase.brainstorm)
            group = IdeaGroup(session_id=participant.session_id, dimension=dimension)
            db.add(group)
            db.flush()
            idea = Idea(
                session_id=participant.session_id,
                group_id=group.id,
                participant_id=participant.id,
                client_id=client_id,
                text=text,
                dimension=dimension,
                sub_element=sub_element,
            )
            db.add(idea)
            db.flush()
            seq = events.record(
                db,
                session_id=participant.session_id,
                type="idea.created",
                payload={"idea": public(idea, participant), "group": group_public(group)},
            )
            idea.created_seq = seq
    except IntegrityError:
        # Two copies of the same submit raced (PostgreSQL): the other one won.
        existing = find_by_client_id(db, participant.session_id, client_id) if client_id else None
        if existing is None:
            raise
        return _same_author(existing, participant), None, False
    return idea, seq, True


def _same_author(idea: Idea, participant: Participant) -> Idea:
    if idea.participant_id != participant.id:
        # Another phone used this client id: never hand over someone else's idea.
        raise Conflict("This client_id was already used for another idea.")
    return idea


def _own_idea(db: Db, participant: Participant, idea_id: int) -> Idea:
    idea = db.get(Idea, idea_id, populate_existing=True)
    if idea is None or idea.deleted:
        raise NotFound("Idea not found.")
    if idea.session_id != participant.session_id:
        raise Forbidden("You can only change ideas in the session you joined.")
    if idea.participant_id != participant.id:
        raise Forbidden("You can only change your own ideas.")
    return idea


def edit(
    db: Db, *, participant: Participant, idea_id: int, text: str | None = None,
    dimension: str | None | object = ..., sub_element: str | None | object = ...,
) -> tuple[Idea, int]:
    session = db.get(Session, participant.session_id)
    with write_transaction(db):
        idea = _own_idea(db, participant, idea_id)
        _require_phase(db, participant.session_id, Phase.brainstorm)
        if text is not None:
            idea.text = clean_text(text, field="Idea", max_length=session.idea_max_length, multiline=True)
        new_dim = idea.dimension if dimension is ... else dimension
        new_sub = (idea.sub_element if new_dim == idea.dimension else None) if sub_element is ... else sub_element
        idea.dimension, idea.sub_element = _check_dimension(new_dim, new_sub)
        idea.updated_at = utcnow()
        group = db.get(IdeaGroup, idea.group_id)
        if _group_size(db, group.id) == 1:
            group.dimension = idea.dimension  # a group of one follows its idea
        db.flush()
        seq = events.record(
            db,
            session_id=idea.session_id,
            type="idea.updated",
            payload={"idea": public(idea, participant), "group": group_public(group)},
        )
    return idea, seq


def _group_size(db: Db, group_id: int) -> int:
    return db.scalar(select(func.count()).select_from(Idea).where(Idea.group_id == group_id, ~Idea.deleted)) or 0


def delete(db: Db, *, participant: Participant, idea_id: int) -> int:
    with write_transaction(db):
        idea = _own_idea(db, participant, idea_id)
        _require_phase(db, participant.session_id, Phase.brainstorm)
        idea.deleted = True
        idea.updated_at = utcnow()
        db.flush()
        return events.record(
            db, session_id=idea.session_id, type="idea.deleted", payload={"idea_id": idea.id, "group_id": idea.group_id}
        )


def set_hidden(db: Db, *, facilitator: Facilitator, idea_id: int, hidden: bool) -> tuple[Idea, int]:
    """Moderation: the facilitator hides an idea from the board (kept, and reversible)."""
    idea = db.get(Idea, idea_id)
    if idea is None or idea.deleted:
        raise NotFound("Idea not found.")
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=idea.session_id)
    with write_transaction(db):
        idea = db.get(Idea, idea_id, populate_existing=True)
        idea.hidden = hidden
        idea.updated_at = utcnow()
        db.flush()
        author = db.get(Participant, idea.participant_id) if idea.participant_id else None
        group = db.get(IdeaGroup, idea.group_id)
        seq = events.record(
            db,
            session_id=idea.session_id,
            type="idea.hidden",
            payload={"idea": public(idea, author), "group": group_public(group)},
        )
    return idea, seq


def for_participant(db: Db, participant: Participant) -> list[Idea]:
    return list(
        db.scalars(
            select(Idea).where(Idea.participant_id == participant.id, ~Idea.deleted).order_by(Idea.id.desc())
        )
    )


def get_in_session(db: Db, idea_id: int) -> Idea:
    idea = db.get(Idea, idea_id)
    if idea is None or idea.deleted:
        raise NotFound("Idea not found.")
    return idea
