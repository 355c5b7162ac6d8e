"""Facilitator sign-in for the JSON API: a Bearer token from email and password
(failed attempts throttled per account and per address), and logging out everywhere."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from app.deps import CurrentFacilitator, DbDep, client_address
from app.routes.api_responses import errors
from app.schemas import TokenOut
from app.services import facilitators

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=errors(401, 403, 429))


@router.post("/token", response_model=TokenOut)
def issue_token(form: Annotated[OAuth2PasswordRequestForm, Depends()], db: DbDep, request: Request) -> TokenOut:
    """OAuth2 password flow: ``username`` is the facilitator's email."""
    facilitator = request.app.state.login_guard.log_in(
        db, email=form.username, password=form.password, address=client_address(request)
    )
    return TokenOut(access_token=request.app.state.signer.facilitator_token(facilitator.id, facilitator.token_epoch))


@router.post("/logout", status_code=204, response_class=Response)
def log_out(facilitator: CurrentFacilitator, db: DbDep) -> Response:
    """End every login of this facilitator: this token, every other token and every
    browser's login cookie are refused from now on (401). Log in again for a new token."""
    facilitators.log_out_everywhere(db, facilitator=facilitator)
    return Response(status_code=204)
