"""The phone while the commitment is open (Tahap IV): "Saya berkomitmen" with name,
position and organisation. Signing again corrects the signature.

Forms first: without JavaScript a 303 back to the page; with htmx the commitment
block again ("signed", and the form folded away to correct it). A refusal (an empty
field, the commitment not open) comes back with its status, the message in the
phone's language and what was typed.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.errors import DomainError
from app.routes.api_params import Id
from app.routes.pages.callers import phone_participant
from app.routes.pages.phone import page as phone_page
from app.routes.pages.rendering import error_text, is_htmx, redirect, render, see_other
from app.services import commitments

router = APIRouter(prefix="/s/{session_id}")


@router.post("/commitment")
def sign(
    session_id: Id,
    request: Request,
    db: DbDep,
    name: str = Form(""),
    position: str = Form(""),
    organization: str = Form(""),
) -> Response:
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return redirect(request, "/")
    try:
        commitment, _seq, _created = commitments.sign(
            db, participant=participant, name=name, position=position, organization=organization
        )
    except DomainError as exc:
        db.rollback()
        message = error_text(request, exc)
        values = {"name": name, "position": position, "organization": organization}
        if not is_htmx(request):
            return phone_page(
                request,
                db,
                participant,
                status_code=exc.status_code,
                page_error=message,
                commitment_error=message,
                commitment_values=values,
            )
        mine = commitments.mine(db, participant.id, participant.session_id)
        return render(
            request,
            "fragments/_commitment_form.html",
            {
                "session_id": session_id,
                "participant": participant,
                "mine": {**commitments.public(mine), "mine": True} if mine else None,
                "error": message,
                "values": values,
            },
            status_code=exc.status_code,
        )
    if not is_htmx(request):
        return see_other(f"/s/{session_id}#commitment-form")
    return render(
        request,
        "fragments/_commitment_form.html",
        {
            "session_id": session_id,
            "participant": participant,
            "mine": {**commitments.public(commitment), "mine": True},
        },
    )
