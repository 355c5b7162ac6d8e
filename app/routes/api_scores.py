"""Quick-win scoring: participants rate each candidate group for impact and
feasibility in the ``score`` phase (``app.services.scores``; the phone's form is
``app.routes.pages.phone_score``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from app.deps import DbDep, participant_only
from app.models import Participant
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import ScoreIn, SeqOut
from app.services import scores

router = APIRouter(prefix="/api/v1", tags=["masterplan"], responses=errors(401, 403, 404, 409))

# The facilitator sees the means; letting their login rate would skew them.
Rater = Annotated[
    Participant, Depends(participant_only("Only participants rate groups; the facilitator sees the results."))
]


@router.put("/groups/{group_id}/score", response_model=SeqOut)
def score_group(group_id: Id, body: ScoreIn, db: DbDep, participant: Rater) -> SeqOut:
    """Rate a candidate group in the `score` phase (a second rating replaces the first)."""
    result = scores.rate(
        db, participant=participant, group_id=group_id, impact=body.impact, feasibility=body.feasibility
    )
    return SeqOut(seq=result.seq)
