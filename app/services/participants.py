"""Joining a session from a phone: no account, just a name and an organisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.db import Db, write_transaction
from app.domain import OrganizationType, Phase
from app.errors import Conflict, Invalid
from app.models import Participant, Session
from app.services import events, sessions
from app.services.text import clean_text


def public(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.name,
        "organization_type": participant.organization_type,
        "organization": participant.organization,
    }


def count(db: Db, session_id: int) -> int:
    return db.scalar(
        select(func.count()).select_from(Participant).where(Participant.session_id == session_id, ~Participant.removed)
    ) or 0


def join(db: Db, *, join_code: str, name: str, organization_type: str, organization: str) -> tuple[Participant, int]:
    session = sessions.find_open_by_code(db, join_code)
    name = clean_text(name, field="Name", max_length=120)
    if organization_type not in OrganizationType.__members__:
        raise Invalid("Choose an organisation type.")
    organization = clean_text(organization, field="Organisation", max_length=160)
    with write_transaction(db):
        # FOR UPDATE: on PostgreSQL, concurrent joins must count one after another, or
        # two of them count the same rows and the newest participant.joined event
        # carries a stale participant_count (seen in tests/test_event_log.py). It also
        # keeps a join from slipping past a concurrent close. SQLite ignores it: BEGIN
        # IMMEDIATE already serialises writers.
        phase = db.scalar(select(Session.phase).where(Session.id == session.id).with_for_update())
        if phase == Phase.closed.value:
            raise Conflict("This session is closed.")
        participant = Participant(
            session_id=session.id, name=name, organization_type=organization_type, organization=organization
        )
        db.add(participant)
        db.flush()
        seq = events.record(
            db,
            session_id=session.id,
            type="participant.joined",
            payload={"participant": public(participant), "participant_count": count(db, session.id)},
        )
    return participant, seq


def get_active(db: Db, participant_id: int, session_id: int) -> Participant | None:
    participant = db.get(Participant, participant_id)
    if participant is None or participant.removed or participant.session_id != session_id:
        return None
    return participant
