"""A participant's personal data (UU PDP): the facilitator downloads everything
stored about someone (right of access) or erases their name and office (right to
erasure). Retention erases through the same service, without a request."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from app.deps import CurrentFacilitator, DbDep
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.routes.downloads import attachment
from app.services import audit, erasure, personal_data
from app.snapshots import after_erasure_in

router = APIRouter(prefix="/api/v1", tags=["facilitator"], responses=errors(401, 403, 404))


class ErasedOut(BaseModel):
    participant_id: int
    seq: int


@router.get(
    "/participants/{participant_id}/data",
    response_class=Response,
    responses={
        200: {
            "description": "Everything stored about the participant, as a JSON attachment",
            "content": {"application/json": {}},
        }
    },
)
def participant_data(participant_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> Response:
    """Everything stored about one participant (their row, session, ideas, dots,
    ratings, "+1", signature), to hand to them: a download (``peserta-{id}.json``).
    Needs the download permission (a scribe gets 403)."""
    found = personal_data.participant_data(db, participant_id=participant_id, facilitator=facilitator)
    return attachment(
        db,
        json.dumps(found.data, ensure_ascii=False, indent=2).encode("utf-8"),
        media_type="application/json",
        filename=f"peserta-{participant_id}.json",
        file=f"peserta-{participant_id}.json",
        actor=facilitator,
        workshop_id=found.workshop_id,
        session=found.session,
        action=audit.Action.participant_data_downloaded,
        target=found.target,
        headers={"Cache-Control": "no-store"},
    )


@router.post("/participants/{participant_id}/erase", response_model=ErasedOut)
def erase_participant(participant_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> ErasedOut:
    """Erase a participant's name and office everywhere Rembuk stored them (the row,
    the signature, the event log); their ideas, dots and ratings stay, nameless, so
    tallies and rankings do not move. Asking again for someone already erased is a
    200 with the same ``seq``: nothing left to erase. Needs the run permission."""
    seq = erasure.erase_participant(db, participant_id=participant_id, actor=facilitator)
    after_erasure_in(request.app.state)
    return ErasedOut(participant_id=participant_id, seq=seq)
