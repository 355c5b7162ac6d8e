"""The workshop page's team section: the owner invites by e-mail and removes members;
an invitation for an address without an account shows its setup link once."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.domain import Permission
from app.errors import DomainError
from app.routes.api_params import Id
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.console import workshop_page_response
from app.routes.pages.rendering import error_text, see_other
from app.services import team, workshops

router = APIRouter(prefix="/console/workshops/{workshop_id}/members")


def _workshop(db, facilitator, workshop_id: int):
    return workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)


@router.post("")
def invite(
    workshop_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    email: str = Form(""),
    role: str = Form(""),
) -> Response:
    """The answer is the workshop page itself, not a redirect: the setup link is shown
    this once and never lands in an address bar or the browser's history."""
    try:
        invitation = team.invite(db, facilitator=facilitator, workshop_id=workshop_id, email=email, role=role)
    except DomainError as exc:
        db.rollback()
        workshop = workshops.get_workshop(
            db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read
        )
        return workshop_page_response(
            request,
            db,
            facilitator,
            workshop,
            status_code=exc.status_code,
            team_error=error_text(request, exc),
            team_values={"email": email, "role": role},
        )
    workshop = _workshop(db, facilitator, workshop_id)
    token = invitation.setup_token
    link = f"{request.app.state.settings.public_url.rstrip('/')}/setup/{token}" if token else None
    return workshop_page_response(request, db, facilitator, workshop, invited=invitation.member, setup_url=link)


@router.post("/{member_id}/remove")
def remove(workshop_id: Id, member_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    try:
        team.remove(db, facilitator=facilitator, workshop_id=workshop_id, member_id=member_id)
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        db.rollback()
        workshop = workshops.get_workshop(
            db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read
        )
        return workshop_page_response(
            request, db, facilitator, workshop, status_code=exc.status_code, team_error=error_text(request, exc)
        )
    return see_other(f"/console/workshops/{workshop_id}#team")
