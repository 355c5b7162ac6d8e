"""Beyond the hall, in the console: the deadline for late ideas (``open_until``, typed
in the venue's time) and the read-only links to the results (``app.services.shares``).

A new link's address is shown once, on the page that made it: the server keeps only
its hash, so it can be revoked but never shown again.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.domain import Permission
from app.errors import DomainError, Invalid
from app.localtime import Clock
from app.routes.api_params import Id
from app.routes.api_share import share_url
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.console_session import page_response
from app.routes.pages.rendering import error_text, see_other
from app.services import sessions, shares

router = APIRouter(prefix="/console/sessions/{session_id}")


@router.post("/open-until")
def set_open_until(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    open_until: str = Form(""),
    clear: str = Form(""),
) -> Response:
    """Save (or, with ``clear``, remove) the deadline for late ideas: a session setting,
    so it needs ``Permission.run`` (``sessions.update_session``); a scribe gets a 403."""
    try:
        # Before reading the form: a scribe's post is a 403 whatever it holds.
        sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id, permission=Permission.run)
        try:
            moment = None if clear else Clock.of(request.app.state.settings.timezone).from_input(open_until)
        except (ValueError, OverflowError):
            raise Invalid("Type a date and a time.") from None
        if moment is None and not clear:
            raise Invalid("Type a date and a time.")
        sessions.update_session(db, facilitator=facilitator, session_id=session_id, open_until=moment)
    except DomainError as exc:
        db.rollback()
        if exc.status_code in (403, 404):  # not theirs, or a role that does not run it
            raise
        return page_response(
            request,
            db,
            facilitator,
            session_id,
            status_code=exc.status_code,
            late_error=error_text(request, exc),
            open_until_typed=open_until,
        )
    return see_other(f"/console/sessions/{session_id}#late-ideas")


@router.post("/share")
def create_share(session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    """A new link, shown on the page this once (no redirect: it could not be shown after)."""
    try:
        _share, token = shares.create(db, facilitator=facilitator, session_id=session_id)
    except DomainError as exc:
        db.rollback()
        if exc.status_code in (403, 404):  # not theirs, or a role that does not run it
            raise
        return page_response(
            request, db, facilitator, session_id, status_code=exc.status_code, share_error=error_text(request, exc)
        )
    return page_response(
        request, db, facilitator, session_id, new_share_url=share_url(request.app.state.settings.public_url, token)
    )


@router.post("/share/revoke")
def revoke_shares(session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    """End every link to the session: their pages answer 410, their streams end."""
    try:
        shares.revoke(db, facilitator=facilitator, session_id=session_id)
    except DomainError as exc:
        db.rollback()
        if exc.status_code in (403, 404):  # not theirs, or a role that does not run it
            raise
        return page_response(
            request, db, facilitator, session_id, status_code=exc.status_code, share_error=error_text(request, exc)
        )
    return see_other(f"/console/sessions/{session_id}#share")
