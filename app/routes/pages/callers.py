"""Who is calling an HTML route: a logged-in facilitator, or the participant this
phone is in a session; and the cookies that remember them.

A facilitator page without a login redirects to ``/login`` (and back afterwards);
a phone without its per-session cookie is sent to join.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import Response

from app.deps import DbDep, optional_facilitator, participant_for_session
from app.models import Facilitator, Participant
from app.routes.pages.rendering import redirect
from app.security import FACILITATOR_COOKIE, PARTICIPANT_TOKEN_MAX_AGE, participant_cookie_name, set_cookie
from app.settings import Settings

# --- facilitators ----------------------------------------------------------------------


class LoginRequired(Exception):
    """A facilitator page was asked for without a login: answered by a redirect to /login."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def login_url(next_url: str | None = None) -> str:
    return "/login" + (f"?next={quote(next_url, safe='/')}" if next_url else "")


def login_required_response(request: Request, exc: LoginRequired) -> Response:
    return redirect(request, login_url(exc.next_url))


def page_facilitator(request: Request, db: DbDep) -> Facilitator:
    facilitator = optional_facilitator(request, db)
    if facilitator is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path if request.method == "GET" else "/console")
    return facilitator


PageFacilitator = Annotated[Facilitator, Depends(page_facilitator)]


def safe_next(value: str | None) -> str:
    """Only a relative path on this site: ``//evil.example`` or ``https://…`` would make
    the login form an open redirect."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or any(c in value for c in "\r\n\\"):
        return "/console"
    return value


def log_in(response: Response, request: Request, facilitator: Facilitator) -> Response:
    settings: Settings = request.app.state.settings
    token = request.app.state.signer.facilitator_token(facilitator.id, facilitator.token_epoch)
    set_cookie(response, request, FACILITATOR_COOKIE, token, max_age=settings.facilitator_session_hours * 3600)
    return response


# --- participants ----------------------------------------------------------------------


def phone_participant(request: Request, db, session_id: int) -> Participant | None:
    """The participant this phone is in the session (its per-session cookie), or None."""
    return participant_for_session(request, db, session_id)


def remember_participant(response: Response, request: Request, participant: Participant) -> Response:
    token = request.app.state.signer.participant_token(participant.id, participant.session_id, participant.joined_at)
    set_cookie(
        response, request, participant_cookie_name(participant.session_id), token, max_age=PARTICIPANT_TOKEN_MAX_AGE
    )
    return response
