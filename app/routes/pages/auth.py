"""Facilitator login and logout, and the one-time setup link for the first account."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep, client_address, optional_facilitator
from app.errors import DomainError, NotFound, TooManyRequests, Unauthorized
from app.models import Facilitator
from app.routes.pages.callers import log_in, safe_next
from app.routes.pages.rendering import error_text, lang_url, render, see_other
from app.security import FACILITATOR_COOKIE, delete_cookie
from app.services import facilitators

router = APIRouter()


@router.get("/login")
def login_form(request: Request, db: DbDep, next: str | None = None, erased: str = "") -> Response:
    """``erased``: where erasing one's account ends (``pages/account.py``), said once."""
    if optional_facilitator(request, db) is not None:
        return see_other(safe_next(next))
    return render(request, "pages/login.html", {"next_url": safe_next(next), "email": "", "erased": erased == "1"})


@router.post("/login")
def login(
    request: Request, db: DbDep, email: str = Form(""), password: str = Form(""), next: str = Form("")
) -> Response:
    try:
        facilitator = request.app.state.login_guard.log_in(
            db, email=email, password=password, address=client_address(request)
        )
    except (Unauthorized, TooManyRequests) as exc:
        # 401 like the API (browsers show the body: no WWW-Authenticate, no password
        # prompt), or 429 after too many failures.
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
        response = render(
            request,
            "pages/login.html",
            {
                "error": error_text(request, exc),
                "email": email,
                "next_url": safe_next(next),
                "page_lang_url": lang_url(request, "/login"),
            },
            status_code=exc.status_code,
        )
        response.headers.update(headers or {})
        return response
    return log_in(see_other(safe_next(next)), request, facilitator)


@router.post("/logout")
def logout(request: Request, db: DbDep) -> Response:
    """End every login of this facilitator (all browsers, all API tokens), not only
    this cookie: a token copied from a venue laptop dies too."""
    facilitator = optional_facilitator(request, db)
    if facilitator is not None:
        facilitators.log_out_everywhere(db, facilitator=facilitator)
    response = see_other("/login")
    delete_cookie(response, request, FACILITATOR_COOKIE)
    return response


def _invited(db, token: str) -> Facilitator | None:
    """Whom the link sets up: None for the first facilitator's link, the invited
    account for a team invitation's; a dead link is a 404."""
    if facilitators.setup_token_valid(db, token):
        return None
    invited = facilitators.invited_by_token(db, token)
    if invited is None:
        raise NotFound("This setup link is invalid or was already used.")
    return invited


@router.get("/setup/{token}")
def setup_form(token: str, request: Request, db: DbDep) -> Response:
    invited = _invited(db, token)
    return render(request, "pages/setup.html", _setup_context(token, invited))


@router.post("/setup/{token}")
def setup(
    token: str,
    request: Request,
    db: DbDep,
    email: str = Form(""),
    password: str = Form(""),
    name: str = Form(""),
) -> Response:
    invited = _invited(db, token)
    try:
        if invited is not None:
            facilitator = facilitators.complete_invite(db, token=token, password=password, name=name or None)
        else:
            facilitator = facilitators.create_first_facilitator(
                db, token=token, email=email, password=password, name=name or None
            )
    except DomainError as exc:
        db.rollback()
        context = _setup_context(token, invited, error=error_text(request, exc), email=email, name=name)
        context["page_lang_url"] = lang_url(request, f"/setup/{token}")
        return render(request, "pages/setup.html", context, status_code=exc.status_code)
    return log_in(see_other("/console"), request, facilitator)


def _setup_context(token: str, invited: Facilitator | None, **extra) -> dict:
    context = {"token": token, "min_password": facilitators.MIN_PASSWORD_LENGTH, "email": "", "name": "", **extra}
    if invited is not None:  # the address is the one the owner invited: not for changing here
        context.update(invited=True, email=invited.email, name=extra.get("name") or invited.name)
    return context
