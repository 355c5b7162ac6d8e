"""The participant's phone: the phase, the idea form, and their own ideas (the ballot
and the groups: app/routes/pages/phone_vote.py; ratings: phone_score.py; the
commitment: phone_commitment.py).

Every change is a form POST. Without JavaScript it ends in a 303 back to the page
(POST/redirect/GET: reload and the back button never send twice); with htmx the
answer is the fragment to swap. A refused change (wrong phase, too long …) comes
back with the status of the error, the message in the phone's language, and what
the person typed still in the form.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.db import known
from app.deps import DbDep
from app.errors import DomainError
from app.i18n import locale_from_request
from app.models import Participant, Session
from app.realtime import screens
from app.realtime.group_cards import card_context
from app.realtime.viewer import variant_for
from app.routes.api_params import Id
from app.routes.pages.callers import phone_participant
from app.routes.pages.rendering import error_text, is_htmx, lang_url, redirect, render, render_spliced, see_other
from app.services import ideas, payloads
from app.services import sessions as session_service

router = APIRouter(prefix="/s/{session_id}")


def new_client_id() -> str:
    return uuid4().hex


@router.get("")
def phone_page(session_id: Id, request: Request, db: DbDep) -> Response:
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return see_other("/")
    return page(request, db, participant)


def page(request: Request, db, participant: Participant, *, status_code: int = 200, **extra: Any) -> Response:
    """The whole phone page, read consistently so ``data-seq`` matches what it shows."""
    # Read before the rollback, which expires the row: reading them after would load
    # the participant again in a transaction of its own.
    session_id, participant_id = participant.session_id, participant.id
    db.rollback()
    ballot = None
    with screens.consistent_read(request.app.state.sessions) as read:
        # Held here, so the screen and the ballot find the row in the identity map
        # (it keeps rows only while something refers to them) instead of reading it twice.
        session_row = known(read, Session, session_id)
        state = screens.phone_screen(read, session_id=session_id, participant_id=participant_id)
        if state["view"] == "vote":
            # Rendered once for the room; only this phone's dots are added here.
            ballot = request.app.state.ballot.render(
                read,
                session=session_row,
                participant_id=participant_id,
                locale=locale_from_request(request),
                vote_errors=extra.pop("vote_errors", None),
            )
            state["votes_left"] = ballot.votes_left
    session = state["session"]
    card = card_context("phone", session["id"], variant_for("phone", session))
    context = {
        **state,
        **card.as_context(),
        "session_id": session["id"],
        "idea_max_length": session["idea_max_length"],
        "layout": session["layout"],
        "ideas": state["my_ideas"],
        "client_id": new_client_id(),
        "live_url": f"/s/{session['id']}/stream?v={screens.page_version(session)}",
        "live_seq": state["last_seq"],
        "late_until": session_service.late_until(session),
        **extra,
    }
    if request.method == "POST":
        context["page_lang_url"] = lang_url(request, f"/s/{session['id']}")
    if ballot is not None:
        return render_spliced(
            request,
            "pages/phone.html",
            context,
            slot="ballot_html",
            parts=ballot.parts,
            compressed=ballot.run,
            status_code=status_code,
        )
    return render(request, "pages/phone.html", context, status_code=status_code)


def swot_code(value: str | None) -> str | None:
    """A SWOT quadrant from a form: ``none`` (or nothing) is "not sorted yet"."""
    return None if value in (None, "", "none") else value


@router.post("/ideas")
def submit_idea(
    session_id: Id,
    request: Request,
    db: DbDep,
    text: str = Form(""),
    dimension: str = Form(""),
    sub_element: str = Form(""),
    client_id: str = Form(""),
    swot: str = Form(""),
) -> Response:
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return redirect(request, "/")
    try:
        ideas.submit(
            db,
            participant=participant,
            text=text,
            dimension=dimension or None,
            sub_element=sub_element or None,
            client_id=client_id or None,
            swot=swot_code(swot),
        )
    except DomainError as exc:
        # Same client_id: the refused form is the same attempt, typed again.
        form = {
            "form_error": error_text(request, exc),
            "client_id": client_id or new_client_id(),
            "form_values": {"text": text, "dimension": dimension, "sub_element": sub_element, "swot": swot},
        }
        if is_htmx(request):
            return render(
                request,
                "fragments/_idea_form.html",
                {"session": _session(db, session_id), **form},
                status_code=exc.status_code,
            )
        return page(request, db, participant, status_code=exc.status_code, **form)
    if not is_htmx(request):
        return see_other(f"/s/{session_id}")
    session = _session(db, session_id)
    return render(
        request,
        "fragments/_idea_sent.html",
        {
            "session": session,
            "client_id": new_client_id(),
            "session_id": session_id,
            "idea_max_length": session["idea_max_length"],
            "layout": session["layout"],
            "ideas": [payloads.idea_public(i, participant) for i in ideas.for_participant(db, participant)],
        },
    )


@router.post("/ideas/{idea_id}/edit")
def edit_idea(
    session_id: Id,
    idea_id: Id,
    request: Request,
    db: DbDep,
    text: str = Form(""),
    dimension: str = Form(""),
    sub_element: str = Form(""),
    swot: str | None = Form(None),
) -> Response:
    """``swot`` is only on a SWOT session's form; left out, the quadrant stays."""
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return redirect(request, "/")
    quadrant = {} if swot is None else {"swot": swot_code(swot)}
    try:
        idea, _seq = ideas.edit(
            db,
            participant=participant,
            idea_id=idea_id,
            text=text,
            dimension=dimension or None,
            sub_element=sub_element or None,
            **quadrant,
        )
    except DomainError as exc:
        values = {"text": text, "dimension": dimension, "sub_element": sub_element}
        return _refused_change(
            request, db, participant, idea_id, exc, values={**values, "swot": swot} if swot is not None else values
        )
    if not is_htmx(request):
        return see_other(f"/s/{session_id}#my-idea-{idea_id}")
    session = _session(db, session_id)
    return render(
        request,
        "fragments/_my_idea.html",
        {
            "idea": payloads.idea_public(idea, participant),
            "session_id": session_id,
            "idea_max_length": session["idea_max_length"],
            "layout": session["layout"],
        },
    )


@router.post("/ideas/{idea_id}/delete")
def delete_idea(session_id: Id, idea_id: Id, request: Request, db: DbDep) -> Response:
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return redirect(request, "/")
    try:
        ideas.delete(db, participant=participant, idea_id=idea_id)
    except DomainError as exc:
        return _refused_change(request, db, participant, idea_id, exc)
    if not is_htmx(request):
        return see_other(f"/s/{session_id}#my-ideas")
    return HTMLResponse("")  # htmx swaps the idea's <li> for nothing


def _refused_change(
    request: Request,
    db,
    participant: Participant,
    idea_id: int,
    exc: DomainError,
    *,
    values: dict[str, str] | None = None,
) -> Response:
    """An edit or delete the server refused: the message at the idea (details open),
    or at the top of the page when the idea itself is gone or not theirs."""
    message = error_text(request, exc)
    if exc.status_code in (403, 404):
        if is_htmx(request):
            return HTMLResponse("", status_code=exc.status_code)
        return page(request, db, participant, status_code=exc.status_code, page_error=message)
    edit = {"edit_errors": {idea_id: message}, "edit_values": {idea_id: values} if values else {}}
    if not is_htmx(request):
        return page(request, db, participant, status_code=exc.status_code, **edit)
    idea = ideas.get_in_session(db, idea_id)
    session = _session(db, participant.session_id)
    return render(
        request,
        "fragments/_my_idea.html",
        {
            "idea": payloads.idea_public(idea, participant),
            "session_id": participant.session_id,
            "idea_max_length": session["idea_max_length"],
            "layout": session["layout"],
            **edit,
        },
        status_code=exc.status_code,
    )


def _session(db, session_id: int) -> dict[str, Any]:
    return session_service.public(db.get(Session, session_id))
