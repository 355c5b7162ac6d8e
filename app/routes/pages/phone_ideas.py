"""The phone as a second screen: every idea the room may see ("Semua ide"), filtered
by dimension and words, and "+1 setuju" on other people's ideas.

Forms first, as on the rest of the phone: without JavaScript the list is its own
page (the filter is a GET form) and a "+1" is a POST with a 303 back to it; with htmx
the list swaps in under the phone's own page and a "+1" answers with its button. A
refused "+1" (own idea, reactions off, input paused) says why at the idea.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.db import known
from app.deps import DbDep
from app.errors import DomainError
from app.models import Participant, Session
from app.routes.api_params import Id
from app.routes.pages.callers import phone_participant
from app.routes.pages.rendering import error_text, is_htmx, redirect, render, see_other
from app.services import idea_list, reactions
from app.services.audience import phone

router = APIRouter(prefix="/s/{session_id}")


@router.get("/all-ideas")
def all_ideas(
    session_id: Id,
    request: Request,
    db: DbDep,
    dimension: str = Query("", max_length=40),
    q: str = Query("", max_length=200),
) -> Response:
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return redirect(request, "/")
    session = known(db, Session, session_id)  # the participant's own session
    error = None
    try:
        shown = idea_list.visible(
            db, session=session, audience=phone(participant.id), dimension=dimension or None, words=q
        )
    except DomainError as exc:
        shown, error = [], error_text(request, exc)
    context: dict[str, Any] = {
        "session": session,
        "session_id": session.id,
        "ideas": shown,
        "reactions_enabled": session.reactions_enabled,
        "filter": {"dimension": dimension, "q": q},
        "list_error": error,
    }
    if is_htmx(request):
        return render(request, "fragments/_all_ideas.html", context, status_code=422 if error else 200)
    return render(request, "pages/all_ideas.html", context, status_code=422 if error else 200)


@router.post("/ideas/{idea_id}/react")
def react(session_id: Id, idea_id: Id, request: Request, db: DbDep) -> Response:
    return _reaction(request, db, session_id, idea_id, reacted=True)


@router.post("/ideas/{idea_id}/unreact")
def take_back(session_id: Id, idea_id: Id, request: Request, db: DbDep) -> Response:
    return _reaction(request, db, session_id, idea_id, reacted=False)


def _reaction(request: Request, db, session_id: int, idea_id: int, *, reacted: bool) -> Response:
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return redirect(request, "/")
    error, status_code = None, 200
    try:
        change = reactions.react if reacted else reactions.take_back
        change(db, participant=participant, idea_id=idea_id)
    except DomainError as exc:
        db.rollback()
        error, status_code = error_text(request, exc), exc.status_code
    if not is_htmx(request):
        if error:
            context = _page_context(db, participant, error, idea_id)
            return render(request, "pages/all_ideas.html", context, status_code=status_code)
        return see_other(f"/s/{session_id}/all-ideas#all-idea-{idea_id}")
    idea = _shown(db, participant, idea_id)
    if idea is None:  # hidden or deleted meanwhile: nothing left to show for it
        return render(request, "fragments/_alert.html", {"error": error}, status_code=status_code)
    session = db.get(Session, session_id)
    context = {
        "idea": idea,
        "session_id": session_id,
        "reactions_enabled": bool(session and session.reactions_enabled),
        "error": error,
    }
    return render(request, "fragments/_reaction_button.html", context, status_code=status_code)


def _shown(db, participant: Participant, idea_id: int) -> dict[str, Any] | None:
    """The one idea as this phone's list shows it, or None (hidden, deleted, elsewhere)."""
    session = known(db, Session, participant.session_id)
    shown = idea_list.visible(db, session=session, audience=phone(participant.id), idea_id=idea_id)
    return shown[0] if shown else None


def _page_context(db, participant: Participant, error: str, idea_id: int) -> dict[str, Any]:
    session = db.get(Session, participant.session_id)
    return {
        "session": session,
        "session_id": participant.session_id,
        "ideas": idea_list.visible(db, session=session, audience=phone(participant.id)),
        "reactions_enabled": session.reactions_enabled,
        "filter": {"dimension": "", "q": ""},
        "errors": {idea_id: error},
    }
