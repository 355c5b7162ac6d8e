"""Participant API: join by code, send and change ideas. Facilitator moderation of ideas."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response, status

from app.deps import (
    CurrentFacilitator,
    CurrentParticipant,
    DbDep,
    any_participant,
    claims_participant,
    client_address,
    optional_facilitator,
)
from app.errors import Forbidden, Invalid, NotFound, Unauthorized
from app.models import Facilitator, Idea, Session, iso
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import IdeaCreate, IdeaOut, IdeaUpdate, IdeaVisibility, JoinIn, JoinOut, SeqOut
from app.services import ideas, participants, scribe

router = APIRouter(prefix="/api/v1", tags=["participant"], responses=errors(401, 403, 404, 409, 429))


def idea_out(idea: Idea, seq: int | None) -> IdeaOut:
    return IdeaOut(
        id=idea.id,
        session_id=idea.session_id,
        group_id=idea.group_id,
        text=idea.text,
        dimension=idea.dimension,
        sub_element=idea.sub_element,
        swot=idea.swot,
        hidden=idea.hidden,
        created_at=iso(idea.created_at),
        updated_at=iso(idea.updated_at),
        reactions=idea.reactions,
        pending=idea.pending,
        after_session=idea.after_session,
        seq=seq,
    )


@router.post("/join", status_code=status.HTTP_201_CREATED, response_model=JoinOut)
def join(body: JoinIn, db: DbDep, request: Request) -> JoinOut:
    participant, _seq = request.app.state.join_guard.join(
        db,
        address=client_address(request),
        join_code=body.join_code,
        name=body.name,
        organization_type=body.organization_type.value,
        organization=body.organization,
    )
    token = request.app.state.signer.participant_token(participant.id, participant.session_id, participant.joined_at)
    return JoinOut(participant_id=participant.id, session_id=participant.session_id, token=token)


@router.post(
    "/sessions/{session_id}/ideas",
    status_code=status.HTTP_201_CREATED,
    response_model=IdeaOut,
    responses={200: {"description": "Repeated client_id: the idea created the first time"}},
)
def submit_idea(session_id: Id, body: IdeaCreate, db: DbDep, request: Request, response: Response) -> IdeaOut:
    """A participant's idea (their token; ``on_behalf_of`` is ignored, as any unknown
    field always was), or one a member of the workshop's team (owner, co-facilitator
    or scribe) types for someone without a phone: then with ``on_behalf_of``, and
    that person joins the session as a participant."""
    participant = any_participant(request, db)
    if participant is None and claims_participant(request):
        raise Unauthorized("Join the session first.")
    if participant is None:
        if db.get(Session, session_id) is None:
            raise NotFound("Session not found.")
        facilitator = optional_facilitator(request, db)
        if facilitator is None:
            raise Unauthorized("Join the session first.")
        return _entered_by_scribe(session_id, body, db, facilitator, response)
    if participant.session_id != session_id:
        raise Forbidden("You can only send ideas to the session you joined.")
    idea, seq, created = ideas.submit(
        db,
        participant=participant,
        text=body.text,
        dimension=body.dimension,
        sub_element=body.sub_element,
        client_id=body.client_id,
        swot=body.swot.value if body.swot else None,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
        seq = idea.created_seq
    return idea_out(idea, seq)


def _entered_by_scribe(
    session_id: int, body: IdeaCreate, db: DbDep, facilitator: Facilitator, response: Response
) -> IdeaOut:
    scribe.check_may_enter(db, facilitator=facilitator, session_id=session_id)
    if body.on_behalf_of is None:
        raise Invalid(
            "A facilitator enters an idea on behalf of someone: add on_behalf_of with their name, "
            "organization_type and organization."
        )
    person = body.on_behalf_of
    idea, seq, created = scribe.enter(
        db,
        facilitator=facilitator,
        session_id=session_id,
        name=person.name,
        organization_type=person.organization_type.value,
        organization=person.organization,
        text=body.text,
        dimension=body.dimension,
        sub_element=body.sub_element,
        swot=body.swot.value if body.swot else None,
        client_id=body.client_id,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
        seq = idea.created_seq
    return idea_out(idea, seq)


@router.patch("/ideas/{idea_id}", response_model=IdeaOut)
def edit_idea(idea_id: Id, body: IdeaUpdate, db: DbDep, participant: CurrentParticipant) -> IdeaOut:
    fields = body.model_dump(mode="json", exclude_unset=True)
    idea, seq = ideas.edit(
        db,
        participant=participant,
        idea_id=idea_id,
        text=fields.get("text"),
        dimension=fields.get("dimension", ...),
        sub_element=fields.get("sub_element", ...),
        swot=fields.get("swot", ...),
    )
    return idea_out(idea, seq)


@router.delete("/ideas/{idea_id}", response_model=SeqOut)
def delete_idea(idea_id: Id, db: DbDep, participant: CurrentParticipant) -> SeqOut:
    return SeqOut(seq=ideas.delete(db, participant=participant, idea_id=idea_id))


@router.delete("/participants/{participant_id}", response_model=SeqOut, tags=["facilitator"])
def remove_participant(
    participant_id: Id,
    db: DbDep,
    facilitator: CurrentFacilitator,
    hide_ideas: bool = Query(False, description="Also hide every idea of theirs, in the same action"),
) -> SeqOut:
    """Take someone out of the session: their phone can no longer act or follow
    (their ideas stay unless ``hide_ideas``; hide them if needed). Lock joining with
    PATCH ``/sessions/{id}`` ``{"join_locked": true}`` so they cannot join again."""
    return SeqOut(
        seq=participants.remove(db, facilitator=facilitator, participant_id=participant_id, hide_ideas=hide_ideas)
    )


@router.post("/ideas/{idea_id}/visibility", response_model=IdeaOut, tags=["facilitator"])
def set_visibility(idea_id: Id, body: IdeaVisibility, db: DbDep, facilitator: CurrentFacilitator) -> IdeaOut:
    """Moderation: hide an idea from the board and phones (or show it again)."""
    idea, seq = ideas.set_hidden(db, facilitator=facilitator, idea_id=idea_id, hidden=body.hidden)
    return idea_out(idea, seq)
