"""From four tahap to a masterplan: carry-forward, quick-win scoring, commitment,
and the workshop-wide views (attendance, participation, roadmap)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response, status

from app.deps import CurrentFacilitator, CurrentParticipant, DbDep, participant_only
from app.errors import Forbidden
from app.models import Participant
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import CommitmentIn, CommitmentOut, ImportIn, ImportOut, ScoreIn, SeqOut
from app.services import attendance, carry, commitments, participation, roadmap, scores, sessions, workshops

router = APIRouter(prefix="/api/v1", tags=["masterplan"], responses=errors(401, 403, 404, 409))


Rater = Annotated[
    Participant, Depends(participant_only("Only participants rate groups; the facilitator sees the results."))
]


@router.post("/sessions/{session_id}/import", status_code=status.HTTP_201_CREATED, response_model=ImportOut)
def import_groups(session_id: Id, body: ImportIn, db: DbDep, facilitator: CurrentFacilitator) -> ImportOut:
    """Carry groups forward from an earlier session of the same workshop: all of
    them, the ``top`` N by votes, or the ``group_ids`` picked. A group already
    carried into this session is not copied twice (its entry names the copy)."""
    imported, seq = carry.import_groups(
        db,
        facilitator=facilitator,
        session_id=session_id,
        source_session_id=body.source_session_id,
        group_ids=body.group_ids,
        top=body.top,
    )
    return ImportOut(imported=[i.__dict__ for i in imported], seq=seq)


@router.put("/groups/{group_id}/score", response_model=SeqOut)
def score_group(group_id: Id, body: ScoreIn, db: DbDep, participant: Rater) -> SeqOut:
    """Rate a candidate group in the `score` phase (a second rating replaces the first)."""
    result = scores.rate(db, participant=participant, group_id=group_id, impact=body.impact,
                         feasibility=body.feasibility)
    return SeqOut(seq=result.seq)


@router.post(
    "/sessions/{session_id}/commitments",
    status_code=status.HTTP_201_CREATED,
    response_model=CommitmentOut,
    responses={200: {"description": "A corrected signature (the participant had signed before)"}},
)
def sign_commitment(
    session_id: Id, body: CommitmentIn, db: DbDep, participant: CurrentParticipant, response: Response
) -> CommitmentOut:
    """"Saya berkomitmen": sign the session's quick-win list while the commitment is open."""
    if participant.session_id != session_id:
        raise Forbidden("You can only sign in the session you joined.")
    commitment, seq, created = commitments.sign(
        db, participant=participant, name=body.name, position=body.position, organization=body.organization
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    public = commitments.public(commitment)
    public.pop("participant_id")
    return CommitmentOut(**public, seq=seq)


@router.get("/workshops/{workshop_id}/attendance")
def workshop_attendance(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> dict[str, Any]:
    """Who came to which stage: per stage, and a person × stage matrix."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id)
    return attendance.for_workshop(db, workshop)


@router.get("/workshops/{workshop_id}/participation")
def workshop_participation(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> dict[str, Any]:
    """Ideas, votes and ratings by organisation type and organisation; ideas per
    dimension and sub-element (who and what is not heard yet)."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id)
    return participation.for_workshop(db, workshop)


@router.get("/sessions/{session_id}/participation")
def session_participation(session_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> dict[str, Any]:
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    return participation.for_sessions(db, [session.id])


@router.get("/workshops/{workshop_id}/roadmap")
def workshop_roadmap(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> dict[str, Any]:
    """Programmes (groups with a horizon) on a 10-year timeline, by dimension and owner."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id)
    return roadmap.for_workshop(db, workshop)
