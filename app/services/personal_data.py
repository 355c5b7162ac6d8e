"""Everything Rembuk stores about one participant, for their right of access (UU PDP):
the facilitator downloads it and hands it over. Read from the rows themselves (the
event log only repeats them); an erased person's file says so and holds no name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db, known
from app.domain import Permission
from app.errors import NotFound
from app.models import (
    Commitment,
    Facilitator,
    Idea,
    Participant,
    Reaction,
    Score,
    Session,
    Stage,
    Vote,
    VoteReceipt,
    Workshop,
    iso,
    utcnow,
)
from app.services import sessions


@dataclass(frozen=True)
class ParticipantData:
    """A participant's data, and what its download's audit entry says: by ids and the
    session's title, never the person's name."""

    data: dict[str, Any]
    session: Session
    workshop_id: int
    target: str


def participant_data(db: Db, *, participant_id: int, facilitator: Facilitator) -> ParticipantData:
    """The participant's data as one JSON-ready dict. The facilitator needs
    ``Permission.download`` on the session (a scribe may look, not take people's data
    away: 403; outside the workshop: 404). The route hands it out through
    ``app.routes.downloads.attachment``, which writes the download's one audit entry
    (``participant.data_downloaded``)."""
    participant = db.get(Participant, participant_id)
    if participant is None:
        raise NotFound("Participant not found.")
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=participant.session_id, permission=Permission.download
    )
    stage = known(db, Stage, session.stage_id)
    workshop = known(db, Workshop, stage.workshop_id)
    data = {
        "downloaded_at": iso(utcnow()),
        "participant": _person(participant),
        "workshop": {"id": workshop.id, "title": workshop.title},
        "stage": {"id": stage.id, "number": stage.number, "title": stage.title},
        "session": {"id": session.id, "title": session.title},
        "ideas": _ideas(db, participant.id),
        "votes": _votes(db, participant.id),
        "vote_taps": _taps(db, participant.id),
        "scores": _scores(db, participant.id),
        "reactions": _reactions(db, participant.id),
        "commitment": _commitment(db, participant.id),
    }
    return ParticipantData(
        data,
        session=session,
        workshop_id=workshop.id,
        target=f"participant #{participant.id} in session #{session.id} {session.title!r}",
    )


def _person(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.name,
        "organization_type": participant.organization_type,
        "organization": participant.organization,
        "joined_at": iso(participant.joined_at),
        "entered_by_scribe": participant.entered_by_id is not None,
        "removed": participant.removed,
        "erased_at": iso(participant.erased_at),
    }


def _ideas(db: Db, participant_id: int) -> list[dict[str, Any]]:
    ideas = db.scalars(select(Idea).where(col(Idea.participant_id) == participant_id).order_by(col(Idea.id)))
    return [
        {
            "id": idea.id,
            "group_id": idea.group_id,
            "text": idea.text,
            "dimension": idea.dimension,
            "sub_element": idea.sub_element,
            "swot": idea.swot,
            "hidden": idea.hidden,
            "deleted": idea.deleted,
            "pending": idea.pending,
            "after_session": idea.after_session,
            "reactions": idea.reactions,
            "created_at": iso(idea.created_at),
            "updated_at": iso(idea.updated_at),
        }
        for idea in ideas
    ]


def _votes(db: Db, participant_id: int) -> list[dict[str, Any]]:
    rows = db.execute(
        select(col(Vote.group_id), func.count())
        .where(col(Vote.participant_id) == participant_id)
        .group_by(col(Vote.group_id))
        .order_by(col(Vote.group_id))
    ).all()
    return [{"group_id": group_id, "votes": n} for group_id, n in rows]


def _taps(db: Db, participant_id: int) -> list[dict[str, Any]]:
    """The answers kept for the phone's dot taps (so a tap sent twice counts once)."""
    receipts = db.scalars(
        select(VoteReceipt).where(col(VoteReceipt.participant_id) == participant_id).order_by(col(VoteReceipt.id))
    )
    return [{"action": r.action, "group_id": r.group_id, "at": iso(r.created_at)} for r in receipts]


def _scores(db: Db, participant_id: int) -> list[dict[str, Any]]:
    scores = db.scalars(select(Score).where(col(Score.participant_id) == participant_id).order_by(col(Score.id)))
    return [
        {
            "group_id": s.group_id,
            "impact": s.impact,
            "feasibility": s.feasibility,
            "created_at": iso(s.created_at),
            "updated_at": iso(s.updated_at),
        }
        for s in scores
    ]


def _reactions(db: Db, participant_id: int) -> list[dict[str, Any]]:
    rows = db.scalars(select(Reaction).where(col(Reaction.participant_id) == participant_id).order_by(col(Reaction.id)))
    return [{"idea_id": r.idea_id, "created_at": iso(r.created_at)} for r in rows]


def _commitment(db: Db, participant_id: int) -> dict[str, Any] | None:
    signed = db.scalar(select(Commitment).where(col(Commitment.participant_id) == participant_id))
    if signed is None:
        return None
    return {
        "name": signed.name,
        "position": signed.position,
        "organization": signed.organization,
        "signed_at": iso(signed.signed_at),
    }
