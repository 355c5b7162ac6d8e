"""Reactions: a participant's "+1 setuju" on someone else's idea."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.deps import DbDep, participant_only
from app.models import Participant
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import ReactionOut
from app.services import reactions

router = APIRouter(prefix="/api/v1", tags=["participant"], responses=errors(401, 403, 404, 409))

Reactor = Annotated[Participant, Depends(participant_only("Only participants react; the facilitator moderates."))]


@router.post(
    "/ideas/{idea_id}/reactions",
    status_code=status.HTTP_201_CREATED,
    response_model=ReactionOut,
    responses={200: {"model": ReactionOut, "description": "I had reacted already: nothing changed"}},
)
def react(idea_id: Id, db: DbDep, participant: Reactor, response: Response) -> ReactionOut:
    """ "+1 setuju" on someone else's idea: 201 with its new count. Again: 200 and the
    same state, nothing recorded (a retried tap). 409 on my own idea, when the
    facilitator turned reactions off, outside brainstorm, grouping and voting, or
    while input is paused."""
    result = reactions.react(db, participant=participant, idea_id=idea_id)
    if result.seq is None:
        response.status_code = status.HTTP_200_OK
    return _out(result)


@router.delete("/ideas/{idea_id}/reactions", response_model=ReactionOut)
def take_back(idea_id: Id, db: DbDep, participant: Reactor) -> ReactionOut:
    """Take my "+1" back: 200 with the new count (also when there was none)."""
    return _out(reactions.take_back(db, participant=participant, idea_id=idea_id))


def _out(result: reactions.ReactionResult) -> ReactionOut:
    return ReactionOut(idea_id=result.idea_id, reactions=result.reactions, reacted=result.reacted, seq=result.seq)
