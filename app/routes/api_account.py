"""A facilitator's own account: download what Rembuk keeps about it, or erase it
(``app.services.account``)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Response

from app.deps import CurrentFacilitator, DbDep
from app.routes.api_responses import errors
from app.routes.downloads import attachment
from app.schemas import AccountDataOut, EraseIn
from app.services import account, audit

router = APIRouter(prefix="/api/v1/me", tags=["auth"], responses=errors(401, 403))


@router.get(
    "/data",
    response_model=AccountDataOut,
    responses={200: {"description": "The account's data, as an attachment (rembuk-akun-ID.json)"}},
)
def my_data(facilitator: CurrentFacilitator, db: DbDep) -> Response:
    """Your account (name, email, since when), the workshops you own, the teams you are
    in with your role, and what you did (your entries of the audit logs). Never your
    password, which Rembuk keeps only as a one-way hash."""
    data = AccountDataOut.model_validate(account.data_of(db, facilitator=facilitator))
    return attachment(
        db,
        json.dumps(data.model_dump(), ensure_ascii=False, indent=2).encode("utf-8"),
        media_type="application/json",
        filename=f"rembuk-akun-{facilitator.id}.json",
        file=f"rembuk-akun-{facilitator.id}.json",
        actor=facilitator,
        workshop_id=None,
        action=audit.Action.account_data_downloaded,
        target=account.account_target(facilitator),
        headers={"Cache-Control": "no-store"},
    )


@router.post("/erase", status_code=204, response_class=Response, responses=errors(409, 422))
def erase_me(body: EraseIn, facilitator: CurrentFacilitator, db: DbDep) -> Response:
    """Erase your account: your name and email are removed from Rembuk, every login
    ends, and you leave every team. ``confirm``: your email address. While you own a
    workshop, 409: delete it or hand it over first."""
    account.erase(db, facilitator=facilitator, confirm=body.confirm)
    return Response(status_code=204)
