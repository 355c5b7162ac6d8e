"""Read-only links to a session's results (``app.services.shares``): made and revoked
by the workshop's facilitators; opened by anyone holding one at ``/shared/{token}``
(``app.routes.pages.shared``)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response, status

from app.deps import CurrentFacilitator, DbDep
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.schemas import ShareOut
from app.services import shares

router = APIRouter(prefix="/api/v1", tags=["facilitator"], responses=errors(401, 403, 404))


def share_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/shared/{token}"


@router.post("/sessions/{session_id}/share", status_code=status.HTTP_201_CREATED, response_model=ShareOut)
def create_share(session_id: Id, db: DbDep, facilitator: CurrentFacilitator, request: Request) -> ShareOut:
    """A new read-only link to the session's results board and downloads. The token is
    shown only in this answer (the server keeps its hash); several links may be active."""
    _share, token = shares.create(db, facilitator=facilitator, session_id=session_id)
    return ShareOut(url=share_url(request.app.state.settings.public_url, token), token=token)


@router.delete("/sessions/{session_id}/share", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def revoke_share(
    session_id: Id,
    db: DbDep,
    facilitator: CurrentFacilitator,
    token: str | None = Query(default=None, min_length=1, max_length=200, description="Revoke only this link"),
) -> Response:
    """Revoke every active link of the session (or only ``token``'s). Pages and downloads
    opened with them answer 410; their live streams end within a heartbeat."""
    shares.revoke(db, facilitator=facilitator, session_id=session_id, token=token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
