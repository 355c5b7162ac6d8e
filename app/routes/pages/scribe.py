"""The scribe's fast entry ("Catat ide"): ideas typed for people without a phone,
one after another, by keyboard.

Forms first: without JavaScript the form posts and answers with a 303 back to the
page, which keeps the last person typed and says what was saved; with htmx it
answers with the form again (the person kept, the text empty and focused), the
confirmation in the page's live region and the list of the last ideas entered.
A refusal keeps everything typed and the same ``client_id``: sending it again is
the same attempt, never a second idea.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from app.db import known
from app.deps import DbDep
from app.domain import Permission
from app.errors import DomainError
from app.models import Facilitator, Stage, Workshop
from app.routes.api_params import Id
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.rendering import error_text, is_htmx, render, see_other
from app.services import payloads, scribe, sessions

router = APIRouter(prefix="/console/sessions/{session_id}")


def _context(db, facilitator: Facilitator, session_id: int, *, values: dict[str, str] | None = None) -> dict[str, Any]:
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=session_id, permission=Permission.enter_ideas
    )
    stage = known(db, Stage, session.stage_id)
    recent = scribe.recent(db, facilitator=facilitator, session_id=session.id)
    if values is None:
        # The person of the last card stays in the form: the next card is often theirs.
        last = recent[0][1] if recent else None
        values = {
            "name": last.name if last else "",
            "organization_type": last.organization_type if last else "",
            "organization": last.organization if last else "",
            "dimension": recent[0][0].dimension or "" if recent else "",
        }
    return {
        "facilitator": facilitator,
        "session": session,
        "stage": stage,
        "workshop": known(db, Workshop, stage.workshop_id),
        "values": values,
        "client_id": uuid4().hex,
        "recent": [payloads.idea_public(idea, author) for idea, author in recent],
        "open": session.phase == "brainstorm",
    }


@router.get("/scribe")
def scribe_page(
    session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, sent: int | None = Query(None)
) -> Response:
    context = _context(db, facilitator, session_id)
    context["saved"] = next((i for i in context["recent"] if i["id"] == sent), None) if sent else None
    return render(request, "pages/scribe.html", context, headers={"Cache-Control": "no-store"})


@router.post("/scribe")
def scribe_entry(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    name: str = Form(""),
    organization_type: str = Form(""),
    organization: str = Form(""),
    dimension: str = Form(""),
    text: str = Form(""),
    client_id: str = Form(""),
) -> Response:
    # Another workshop's session is not there for this page (404, as the console's).
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id, permission=Permission.enter_ideas)
    person = {"name": name, "organization_type": organization_type, "organization": organization}
    try:
        idea, _seq, _created = scribe.enter(
            db,
            facilitator=facilitator,
            session_id=session_id,
            text=text,
            dimension=dimension or None,
            client_id=client_id or None,
            **person,
        )
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        db.rollback()
        context = _context(db, facilitator, session_id, values={**person, "dimension": dimension, "text": text})
        context.update(client_id=client_id or context["client_id"], form_error=error_text(request, exc))
        template = "fragments/_scribe_entry.html" if is_htmx(request) else "pages/scribe.html"
        return render(request, template, context, status_code=exc.status_code)
    if not is_htmx(request):
        return see_other(f"/console/sessions/{session_id}/scribe?sent={idea.id}")
    db.rollback()
    context = _context(db, facilitator, session_id, values={**person, "dimension": dimension})
    context["saved"] = next((i for i in context["recent"] if i["id"] == idea.id), None)
    return render(request, "fragments/_scribe_entry.html", {**context, "swap_oob": True})
