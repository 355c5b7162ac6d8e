"""The scribe (notulis): ideas typed on behalf of people without a phone.

From paper cards or from someone speaking, a member of the workshop's team types
an idea with the name and organisation of the person it comes from. That person
becomes a participant of the session (``Participant.entered_by_id``: the scribe, no
device token exists), so the idea counts in participation by organisation type
like any other; the idea itself goes through ``ideas.submit`` with every rule of a
phone's idea (phase, input pause, text, dimension, pace, idempotency by
``client_id``) and is marked ``Idea.entered_by_id``.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db, known, write_transaction
from app.domain import OrganizationType, Permission, Phase
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import Facilitator, Idea, Participant, Session, Stage
from app.services import events, ideas, participants, sessions, workshops
from app.services.text import clean_text

RECENT = 10


def check_may_enter(db: Db, *, facilitator: Facilitator, session_id: int) -> Session:
    """The session, if this facilitator is in its workshop's team; Forbidden otherwise
    (the session's existence is no secret on this route: phones name it)."""
    session = db.get(Session, session_id)
    if session is None:
        raise NotFound("Session not found.")
    stage = known(db, Stage, session.stage_id)
    role = workshops.role_of(db, facilitator=facilitator, workshop_id=stage.workshop_id)
    if role is None:
        raise Forbidden("Only the workshop's team can enter ideas on behalf of someone.")
    workshops.permit(role, Permission.enter_ideas)  # who in the team may: app.domain.ROLE_PERMISSIONS
    return session


def _person_fields(name: str, organization_type: str, organization: str) -> tuple[str, str, str]:
    name = clean_text(name, field="Name", max_length=120)
    if organization_type not in OrganizationType.__members__:
        raise Invalid("Choose an organisation type.")
    organization = clean_text(organization, field="Organisation", max_length=160)
    return name, organization_type, organization


def _same_person(db: Db, session_id: int, name: str, organization_type: str, organization: str) -> Participant | None:
    """A person a scribe already entered in this session under this name and office
    (letter case aside): the second card of Pak Budi is Pak Budi's again."""
    return db.scalar(
        select(Participant)
        .where(
            col(Participant.session_id) == session_id,
            col(Participant.entered_by_id).is_not(None),
            ~col(Participant.removed),
            col(Participant.organization_type) == organization_type,
            func.lower(col(Participant.name)) == name.lower(),
            func.lower(col(Participant.organization)) == organization.lower(),
        )
        .order_by(col(Participant.id))
        .limit(1)
    )


def person(
    db: Db, *, facilitator: Facilitator, session_id: int, name: str, organization_type: str, organization: str
) -> Participant:
    """The participant the scribe types for: found again, or added to the session
    (``participant.joined``, so the console's count and list follow)."""
    found = _same_person(db, session_id, name, organization_type, organization)
    if found is not None:
        return found
    with write_transaction(db):
        locked = sessions.locked(db, session_id)
        found = _same_person(db, session_id, name, organization_type, organization)
        if found is not None:
            return found
        if locked.phase == Phase.closed.value:
            raise Conflict("This session is closed.")
        person = Participant(
            session_id=session_id,
            name=name,
            organization_type=organization_type,
            organization=organization,
            entered_by_id=facilitator.id,
        )
        db.add(person)
        db.flush()
        events.record(
            db,
            session_id=session_id,
            type="participant.joined",
            payload={
                "participant": participants.public(person),
                "participant_count": participants.count(db, session_id),
            },
        )
    return person


def enter(
    db: Db,
    *,
    facilitator: Facilitator,
    session_id: int,
    name: str,
    organization_type: str,
    organization: str,
    text: str,
    dimension: str | None = None,
    sub_element: str | None = None,
    swot: str | None = None,
    client_id: str | None = None,
) -> tuple[Idea, int | None, bool]:
    """An idea typed by the scribe for a named person: (idea, seq, created) as
    ``ideas.submit`` returns it."""
    session = check_may_enter(db, facilitator=facilitator, session_id=session_id)
    if client_id and client_id.strip():
        existing = ideas.find_by_client_id(db, session_id, client_id.strip()[: ideas.CLIENT_ID_MAX])
        if existing is not None:
            # A retry of the same form: the idea it made the first time, and no new person.
            if existing.entered_by_id != facilitator.id:
                raise Conflict("This client_id was already used for another idea.")
            return existing, None, False
    name, organization_type, organization = _person_fields(name, organization_type, organization)
    # Everything a phone's idea would be refused for is refused before the person is
    # added: nobody appears in the list for an idea that was never taken.
    clean_text(text, field="Idea", max_length=session.idea_max_length, multiline=True)
    ideas.check_dimension(dimension, sub_element)
    ideas.check_swot(swot)
    ideas.check_submit_open(session)  # the phone's rule: brainstorm, or late until ``open_until``
    author = person(
        db,
        facilitator=facilitator,
        session_id=session_id,
        name=name,
        organization_type=organization_type,
        organization=organization,
    )
    return ideas.submit(
        db,
        participant=author,
        text=text,
        dimension=dimension,
        sub_element=sub_element,
        swot=swot,
        client_id=client_id,
        entered_by=facilitator,
    )


def recent(db: Db, *, facilitator: Facilitator, session_id: int, limit: int = RECENT) -> list[tuple[Idea, Participant]]:
    """The ideas this scribe typed last in this session, newest first, with whom for."""
    rows = db.execute(
        select(Idea, Participant)
        .join(Participant, col(Participant.id) == col(Idea.participant_id))
        .where(col(Idea.session_id) == session_id, col(Idea.entered_by_id) == facilitator.id, ~col(Idea.deleted))
        .order_by(col(Idea.id).desc())
        .limit(limit)
    ).all()
    return [(idea, author) for idea, author in rows]
