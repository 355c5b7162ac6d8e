"""The phone in the group and vote phases: give and take back dots, and (when the
session lets participants group) move an idea into another group.

Forms first, as on the rest of the phone (app/routes/pages/phone.py): without
JavaScript a 303 back to the ballot at the group's card; with htmx the group's vote
controls again, plus the "dots left" bar out of band. A refused dot (no dots left,
the group's cap, not the vote phase) answers with its status and the message in
the phone's language at the group's card.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.errors import DomainError, Invalid, NotFound
from app.models import Participant, Session
from app.routes.api_params import Id
from app.routes.pages.callers import phone_participant
from app.routes.pages.forms import form_int
from app.routes.pages.grouping import move_page
from app.routes.pages.phone import page as phone_page
from app.routes.pages.rendering import error_text, is_htmx, redirect, render, see_other
from app.services import groups, ideas, tallies, votes
from app.services.audience import phone
from app.services.groups import Actor

router = APIRouter(prefix="/s/{session_id}")


# A tap's key from the phone's outbox (app/static/outbox.js): printable ASCII.
TAP_KEY = re.compile(r"[!-~]{1,255}")


@router.post("/groups/{group_id}/vote")
def give_dot(
    session_id: Id, group_id: Id, request: Request, db: DbDep, seen: str = Form(""), key: str = Form("")
) -> Response:
    return _dot(request, db, session_id, group_id, seen, key, votes.cast)


@router.post("/groups/{group_id}/unvote")
def take_back_dot(
    session_id: Id, group_id: Id, request: Request, db: DbDep, seen: str = Form(""), key: str = Form("")
) -> Response:
    return _dot(request, db, session_id, group_id, seen, key, votes.retract)


def _dot(request: Request, db, session_id: int, group_id: int, seen: str, key: str, action: Callable) -> Response:
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return redirect(request, "/")
    try:
        # `seen` = the dots this form showed. A browser retry after a lost answer, or
        # a second tap sent before the first one's answer came back, finds another
        # number: the dot was already given (or taken), so nothing more happens and
        # the answer shows the current state. The service compares under its lock,
        # so even two taps in the very same instant give one dot. A tap kept on the
        # phone while offline carries a `key` instead (its `seen` would be stale):
        # the same key again is the same tap.
        if key and not TAP_KEY.fullmatch(key):
            raise Invalid("This tap's key is not valid; reload the page and tap again.")
        action(
            db,
            participant=participant,
            group_id=group_id,
            expected=form_int(seen, field="Dots"),
            key=key or None,
        )
    except DomainError as exc:
        db.rollback()
        if exc.status_code in (403, 404) and not is_htmx(request):
            return phone_page(
                request, db, participant, status_code=exc.status_code, page_error=error_text(request, exc)
            )
        return _answer(request, db, participant, group_id, status_code=exc.status_code, error=error_text(request, exc))
    return _answer(request, db, participant, group_id)


def _mine(db, participant: Participant, group_id: int) -> int:
    return tallies.for_participant(db, participant.id).get(str(group_id), 0)


def _answer(
    request: Request, db, participant: Participant, group_id: int, *, status_code: int = 200, error: str | None = None
) -> Response:
    session = db.get(Session, participant.session_id)
    if not is_htmx(request):
        if error:
            return phone_page(
                request, db, participant, status_code=status_code, page_error=error, vote_errors={group_id: error}
            )
        return see_other(f"/s/{session.id}#vg-{group_id}")
    context = {
        "session_id": session.id,
        "group_id": group_id,
        "mine": _mine(db, participant, group_id),
        "max_per_group": session.max_votes_per_group,
        "vote_budget": session.vote_budget,
        "votes_left": votes.votes_left(db, participant, session.vote_budget),
        "error": error,
    }
    return render(request, "fragments/_vote_answer.html", context, status_code=status_code)


# --- participants grouping (only when the session allows it) ---------------------------------


@router.get("/ideas/{idea_id}/move")
def move_form(session_id: Id, idea_id: Id, request: Request, db: DbDep) -> Response:
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return see_other("/")
    return _move_page(request, db, participant, idea_id)


@router.post("/ideas/{idea_id}/move")
def move(session_id: Id, idea_id: Id, request: Request, db: DbDep, group_id: str = Form("")) -> Response:
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return redirect(request, "/")
    try:
        if ideas.get_in_session(db, idea_id).session_id != session_id:
            raise NotFound("Idea not found.")
        groups.move_idea(
            db, actor=Actor(participant=participant), idea_id=idea_id, group_id=form_int(group_id, field="Target group")
        )
    except DomainError as exc:
        db.rollback()
        return _move_page(
            request, db, participant, idea_id, error=error_text(request, exc), status_code=exc.status_code
        )
    if is_htmx(request):
        return Response(status_code=204)
    return see_other(f"/s/{session_id}#gidea-{idea_id}")


def _move_page(request: Request, db, participant: Participant, idea_id: int, **extra) -> Response:
    audience = phone(participant.id)
    return move_page(
        request,
        db,
        session_id=participant.session_id,
        idea_id=idea_id,
        audience=audience,
        move_base=f"/s/{participant.session_id}",
        return_to=f"/s/{participant.session_id}",
        **extra,
    )
