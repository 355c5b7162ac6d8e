"""The commitment ("Saya berkomitmen"): participants sign the session's quick-win
list while the facilitator keeps it open (``app.services.commitments``; the phone's
form is ``app.routes.pages.phone_commitment``)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.deps import CurrentParticipant, DbDep
from app.errors import Forbidden
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import CommitmentIn, CommitmentOut
from app.services import commitments

router = APIRouter(prefix="/api/v1", tags=["masterplan"], responses=errors(401, 403, 404, 409))


@router.post(
    "/sessions/{session_id}/commitments",
    status_code=status.HTTP_201_CREATED,
    response_model=CommitmentOut,
    responses={200: {"description": "A corrected signature (the participant had signed before)"}},
)
def sign_commitment(
    session_id: Id, body: CommitmentIn, db: DbDep, participant: CurrentParticipant, response: Response
) -> CommitmentOut:
    """ "Saya berkomitmen": sign the session's quick-win list while the commitment is open."""
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
