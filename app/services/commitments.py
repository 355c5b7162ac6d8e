"""Tahap IV commitment: the facilitator opens it on the session's final quick-win
list (``session.commitment_open``); each participant signs once from the phone
("Saya berkomitmen") with name, position and organisation. Signing again corrects
the signature (one per participant); the board shows who has signed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db, write_transaction
from app.errors import Conflict
from app.models import Commitment, Participant, iso, utcnow
from app.services import events, input_lock, sessions
from app.services.text import clean_text

POSITION_MAX = 160


def public(commitment: Commitment) -> dict[str, Any]:
    """A signature is public by nature: the board and the sheet show it to everyone."""
    return {
        "id": commitment.id,
        "participant_id": commitment.participant_id,
        "name": commitment.name,
        "position": commitment.position,
        "organization": commitment.organization,
        "signed_at": iso(commitment.signed_at),
    }


def sign(
    db: Db, *, participant: Participant, name: str, position: str, organization: str
) -> tuple[Commitment, int, bool]:
    """Returns (commitment, seq, created): created is False when it corrected an
    earlier signature of the same participant."""
    name = clean_text(name, field="Name", max_length=120)
    position = clean_text(position, field="Position", max_length=POSITION_MAX)
    organization = clean_text(organization, field="Organisation", max_length=160)
    with write_transaction(db):
        session = sessions.locked(db, participant.session_id)
        if not session.commitment_open:
            raise Conflict("The commitment is not open yet: wait for the facilitator.")
        input_lock.check(session)
        commitment = db.scalar(
            select(Commitment).where(
                col(Commitment.session_id) == session.id, col(Commitment.participant_id) == participant.id
            )
        )
        created = commitment is None
        if commitment is None:
            commitment = Commitment(
                session_id=session.id,
                participant_id=participant.id,
                name=name,
                position=position,
                organization=organization,
            )
            db.add(commitment)
        else:
            commitment.name, commitment.position, commitment.organization = name, position, organization
            commitment.signed_at = utcnow()
        db.flush()
        seq = events.record(
            db, session_id=session.id, type="commitment.signed", payload={"commitment": public(commitment)}
        )
    return commitment, seq, created


def for_session(db: Db, session_id: int) -> list[Commitment]:
    return list(
        db.scalars(select(Commitment).where(col(Commitment.session_id) == session_id).order_by(col(Commitment.id)))
    )


def mine(db: Db, participant_id: int, session_id: int) -> Commitment | None:
    return db.scalar(
        select(Commitment).where(
            col(Commitment.session_id) == session_id, col(Commitment.participant_id) == participant_id
        )
    )
