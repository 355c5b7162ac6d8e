"""One session in the console: phase controls, join details, downloads, moderation."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.errors import DomainError
from app.models import Participant, Stage, Workshop
from app.realtime import screens
from app.routes.api_params import Id
from app.routes.pages.common import PageFacilitator, error_text, is_htmx, qr_inline_svg, render, see_other
from app.services import ideas, sessions

router = APIRouter(prefix="/console")


@router.get("/sessions/{session_id}")
def session_page(session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    return _session_page(request, db, facilitator, session_id)


def _session_page(request: Request, db, facilitator, session_id: int, *, error: str | None = None,
                  status_code: int = 200) -> Response:
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    stage = db.get(Stage, session.stage_id)
    workshop = db.get(Workshop, stage.workshop_id)
    db.rollback()  # the live part below is read in a fresh, consistent transaction
    with screens.consistent_read(request.app.state.sessions) as read:
        state = screens.console_screen(read, session_id=session.id, public_url=request.app.state.settings.public_url)
    version = screens.page_version(state["session"])
    return render(request, "pages/console_session.html", {
        "facilitator": facilitator,
        "workshop": workshop,
        "stage": stage,
        **state,
        "qr_svg": qr_inline_svg(state["session"]["join_url"]),
        "live_url": f"/console/sessions/{session.id}/stream?v={version}",
        "live_seq": state["last_seq"],
        "error": error,
    }, status_code=status_code)


@router.post("/sessions/{session_id}/phase")
def change_phase(session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator,
                 phase: str = Form("")) -> Response:
    try:
        sessions.change_phase(db, facilitator=facilitator, session_id=session_id, phase=phase)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        db.rollback()
        return _session_page(request, db, facilitator, session_id, error=error_text(request, exc),
                             status_code=exc.status_code)
    return see_other(f"/console/sessions/{session_id}")


@router.post("/ideas/{idea_id}/visibility")
def set_visibility(idea_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator,
                   hidden: str = Form("1")) -> Response:
    """Hide an idea from the board and the phones (kept for the facilitator), or show it again."""
    idea, _seq = ideas.set_hidden(db, facilitator=facilitator, idea_id=idea_id, hidden=hidden not in ("0", "false", ""))
    if is_htmx(request):
        author = db.get(Participant, idea.participant_id) if idea.participant_id else None
        return render(request, "fragments/_moderation_row.html", {"idea": ideas.public(idea, author)})
    return see_other(f"/console/sessions/{idea.session_id}#mod-idea-{idea.id}")
