"""Deleting a session or a workshop from the console (``app.services.deletion``): a
page that offers the downloads first and asks the owner to type what they delete
(the session's join code or title, the workshop's title); a wrong text deletes
nothing and shows the page again (422). Afterwards the owner lands on the workshop
(or the list) with a notice that says it is done."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.domain import Permission
from app.errors import DomainError
from app.models import Facilitator, Session, Stage, Workshop
from app.routes.api_params import Id
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.console_session import SESSION_DOWNLOADS
from app.routes.pages.rendering import error_text, lang_url, render, see_other
from app.services import deletion, participants, sessions, workshops
from app.snapshots import after_erasure_in

router = APIRouter(prefix="/console")

# The workshop's own downloads (app/routes/api_summary.py), as on its page.
WORKSHOP_DOWNLOADS = (("Word", "docx"), ("Excel", "xlsx"), ("PDF", "pdf"), ("Markdown", "md"), ("JSON", "json"))


@router.get("/sessions/{session_id}/delete")
def confirm_session(session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    session = _owned_session(db, facilitator, session_id)
    return _session_page(request, db, facilitator, session)


@router.post("/sessions/{session_id}/delete")
def delete_session(
    session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, confirmation: str = Form("")
) -> Response:
    session = _owned_session(db, facilitator, session_id)
    workshop_id = sessions.workshop_id_of(db, session)
    try:
        deletion.delete_session(db, facilitator=facilitator, session_id=session_id, confirmation=confirmation)
    except DomainError as exc:
        if exc.status_code != 422:
            raise
        db.rollback()
        return _session_page(
            request,
            db,
            facilitator,
            session,
            error=error_text(request, exc),
            typed=confirmation,
            status_code=exc.status_code,
        )
    after_erasure_in(request.app.state)  # older snapshots hold it still
    return see_other(f"/console/workshops/{workshop_id}?deleted=session")


@router.get("/workshops/{workshop_id}/delete")
def confirm_workshop(workshop_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    workshop = workshops.get_workshop(
        db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.manage
    )
    return _workshop_page(request, db, facilitator, workshop)


@router.post("/workshops/{workshop_id}/delete")
def delete_workshop(
    workshop_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, confirmation: str = Form("")
) -> Response:
    workshop = workshops.get_workshop(
        db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.manage
    )
    try:
        deletion.delete_workshop(db, facilitator=facilitator, workshop_id=workshop_id, confirmation=confirmation)
    except DomainError as exc:
        if exc.status_code != 422:
            raise
        db.rollback()
        return _workshop_page(
            request,
            db,
            facilitator,
            workshop,
            error=error_text(request, exc),
            typed=confirmation,
            status_code=exc.status_code,
        )
    after_erasure_in(request.app.state)
    return see_other("/console?deleted=workshop")


def _owned_session(db, facilitator: Facilitator, session_id: int) -> Session:
    return sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=session_id, permission=Permission.manage
    )


def _session_page(
    request: Request, db, facilitator: Facilitator, session: Session, *, status_code: int = 200, **extra
) -> Response:
    stage = db.get(Stage, session.stage_id)
    workshop = db.get(Workshop, stage.workshop_id)
    context = {
        "facilitator": facilitator,
        "kind": "session",
        "workshop": workshop,
        "stage": stage,
        "session": session,
        "participant_count": participants.count(db, session.id),
        "downloads": SESSION_DOWNLOADS,
        "action": f"/console/sessions/{session.id}/delete",
        "back": f"/console/sessions/{session.id}",
        **extra,
    }
    if request.method == "POST":
        context["page_lang_url"] = lang_url(request, f"/console/sessions/{session.id}/delete")
    return render(request, "pages/delete.html", context, status_code=status_code)


def _workshop_page(
    request: Request, db, facilitator: Facilitator, workshop: Workshop, *, status_code: int = 200, **extra
) -> Response:
    stage_ids = [stage.id for stage in workshops.stages(db, workshop.id)]
    context = {
        "facilitator": facilitator,
        "kind": "workshop",
        "workshop": workshop,
        "session_count": sum(len(sessions.list_for_stage(db, stage_id)) for stage_id in stage_ids),
        "downloads": WORKSHOP_DOWNLOADS,
        "action": f"/console/workshops/{workshop.id}/delete",
        "back": f"/console/workshops/{workshop.id}",
        **extra,
    }
    if request.method == "POST":
        context["page_lang_url"] = lang_url(request, f"/console/workshops/{workshop.id}/delete")
    return render(request, "pages/delete.html", context, status_code=status_code)
