"""A workshop's team: who runs it with the owner, and in which role."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from app.deps import CurrentFacilitator, DbDep
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import MemberIn, MemberOut
from app.services import team

router = APIRouter(prefix="/api/v1", tags=["facilitator"], responses=errors(401, 403, 404))


def setup_url(request: Request, token: str | None) -> str | None:
    return f"{request.app.state.settings.public_url.rstrip('/')}/setup/{token}" if token else None


def member_out(member: team.Member, url: str | None = None) -> MemberOut:
    return MemberOut(
        id=member.facilitator_id,
        name=member.name,
        email=member.email,
        role=member.role.value,
        awaiting_setup=member.awaiting_setup,
        setup_url=url,
    )


@router.get("/workshops/{workshop_id}/members", response_model=list[MemberOut])
def list_members(workshop_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> list[MemberOut]:
    """The owner first, then the members; anyone in the team may look."""
    return [member_out(m) for m in team.members(db, facilitator=facilitator, workshop_id=workshop_id)]


@router.post(
    "/workshops/{workshop_id}/members",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberOut,
    responses={**errors(409, 422), 200: {"model": MemberOut, "description": "A role changed, or a new setup link"}},
)
def invite_member(
    workshop_id: Id, body: MemberIn, db: DbDep, facilitator: CurrentFacilitator, request: Request, response: Response
) -> MemberOut:
    """Invite by e-mail (the owner only): 201 for a new member, 200 when an existing
    member gets the new role. An address without an account gets one, and the answer
    carries its one-time `setup_url` to hand over (valid for a week)."""
    invitation = team.invite(db, facilitator=facilitator, workshop_id=workshop_id, email=body.email, role=body.role)
    if not invitation.created:
        response.status_code = status.HTTP_200_OK
    return member_out(invitation.member, setup_url(request, invitation.setup_token))


@router.delete(
    "/workshops/{workshop_id}/members/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(409),
)
def remove_member(workshop_id: Id, member_id: Id, db: DbDep, facilitator: CurrentFacilitator) -> Response:
    """Take a member off the team (the owner only; the owner stays: 409)."""
    team.remove(db, facilitator=facilitator, workshop_id=workshop_id, member_id=member_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
