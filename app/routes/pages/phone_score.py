"""The phone in the score phase: rate a candidate group on impact for citizens and
feasibility within one year (1–5 each).

Forms first, as on the rest of the phone: without JavaScript a 303 back to the list
at the group's card; with htmx the group's rating form again, showing what was saved.
A refused rating (a value out of range, not the score phase) answers with its status
and the message in the phone's language at the group's card, and nothing is saved.
A second rating of the same group replaces the first (``scores.rate``).
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.domain import SCORE_MAX, SCORE_MIN
from app.errors import DomainError, Invalid
from app.models import Participant
from app.routes.api_params import Id
from app.routes.pages.callers import phone_participant
from app.routes.pages.forms import form_int
from app.routes.pages.phone import page as phone_page
from app.routes.pages.rendering import error_text, is_htmx, redirect, render, see_other
from app.services import ratings, scores

router = APIRouter(prefix="/s/{session_id}")


def rating(value: str, field: str) -> int:
    """One rating from the form; none chosen is a friendly 422, not a missing field."""
    number = form_int(value, field=field)
    if number is None:
        raise Invalid(
            "Choose a rating from %(low)s to %(high)s for %(field)s.", low=SCORE_MIN, high=SCORE_MAX, field=field
        )
    return number


@router.post("/groups/{group_id}/score")
def rate(
    session_id: Id, group_id: Id, request: Request, db: DbDep, impact: str = Form(""), feasibility: str = Form("")
) -> Response:
    participant = phone_participant(request, db, session_id)
    if participant is None:
        return redirect(request, "/")
    try:
        scores.rate(
            db,
            participant=participant,
            group_id=group_id,
            impact=rating(impact, "Impact"),
            feasibility=rating(feasibility, "Feasibility"),
        )
    except DomainError as exc:
        db.rollback()
        message = error_text(request, exc)
        if exc.status_code in (403, 404) and not is_htmx(request):
            return phone_page(request, db, participant, status_code=exc.status_code, page_error=message)
        values = {"impact": impact, "feasibility": feasibility}
        if not is_htmx(request):
            return phone_page(
                request,
                db,
                participant,
                status_code=exc.status_code,
                page_error=message,
                score_errors={group_id: message},
                score_values={group_id: values},
            )
        return _form(request, db, participant, group_id, status_code=exc.status_code, error=message, values=values)
    if not is_htmx(request):
        return see_other(f"/s/{session_id}#sg-{group_id}")
    return _form(request, db, participant, group_id)


def _form(
    request: Request, db, participant: Participant, group_id: int, *, status_code: int = 200, **extra
) -> Response:
    mine = ratings.for_participant(db, participant.id).get(str(group_id))
    context = {"session_id": participant.session_id, "group_id": group_id, "my_score": mine, **extra}
    return render(request, "fragments/_score_form.html", context, status_code=status_code)
