"""Joining from a phone: type or scan the code, give a name and an organisation.

The phone keeps its identity in a signed per-session cookie, so a reload, a second
visit or the back button land on the same participant instead of a new one.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep, client_address
from app.errors import DomainError
from app.i18n import locale_from_request
from app.models import Session
from app.routes.pages.callers import phone_participant, remember_participant
from app.routes.pages.rendering import error_text, lang_url, render, see_other
from app.services import privacy, sessions

router = APIRouter()


@router.get("/")
def home(request: Request) -> Response:
    return render(request, "pages/home.html", {"code": ""})


@router.get("/j")
def find_code(request: Request, code: str = "") -> Response:
    """The home page's code form (GET, so it works without JavaScript)."""
    code = sessions.normalise_join_code(code)
    return see_other(f"/j/{code}" if code.isalnum() else "/")


@router.get("/j/{code}")
def join_form(code: str, request: Request, db: DbDep) -> Response:
    try:
        session = request.app.state.join_guard.find(db, code, address=client_address(request))
    except DomainError as exc:
        return _home_with_error(request, code, exc)
    if phone_participant(request, db, session.id) is not None:
        return see_other(f"/s/{session.id}")  # already joined on this phone
    return render(request, "pages/join.html", _join_context(request, db, session, values={}))


@router.post("/join")
def join(
    request: Request,
    db: DbDep,
    join_code: str = Form(""),
    name: str = Form(""),
    organization_type: str = Form(""),
    organization: str = Form(""),
) -> Response:
    values = {"name": name, "organization_type": organization_type, "organization": organization}
    guard = request.app.state.join_guard
    try:
        session = guard.find(db, join_code, address=client_address(request))
    except DomainError as exc:
        return _home_with_error(request, join_code, exc)
    existing = phone_participant(request, db, session.id)
    if existing is not None:
        # A second tap on "Join", or the form again via the back button: same person.
        return see_other(f"/s/{session.id}")
    try:
        participant, _seq = guard.join(
            db,
            join_code=session.join_code,
            name=name,
            organization_type=organization_type,
            organization=organization,
            address=client_address(request),
        )
    except DomainError as exc:
        context = _join_context(request, db, session, values=values, error=error_text(request, exc))
        context["page_lang_url"] = lang_url(request, f"/j/{session.join_code}")
        return render(request, "pages/join.html", context, status_code=exc.status_code)
    return remember_participant(see_other(f"/s/{participant.session_id}"), request, participant)


def _join_context(request: Request, db, session: Session, **extra) -> dict:
    """The form, the late-ideas note and the privacy notice (read as the session is now:
    whether the room will see names is the session's ``anonymous`` at this moment)."""
    return {
        "session": session,
        "late_until": sessions.late_until(session),
        "notice": privacy.join_notice(db, session, locale_from_request(request)),
        **extra,
    }


def _home_with_error(request: Request, code: str, exc: DomainError) -> Response:
    """Unknown code (404) or closed session (409): the code form again, with the reason."""
    context = {"code": sessions.normalise_join_code(code)[:12], "error": error_text(request, exc)}
    if request.method == "POST":
        context["page_lang_url"] = lang_url(request, "/")
    return render(request, "pages/home.html", context, status_code=exc.status_code)
