"""The console's review list of suggested groups and dimensions: one form each, every
decision a button (accept one, accept all, dismiss one) answered with a 303 back to
the list. ``app/static/review.js`` adds one key per decision on top.

A dismissed suggestion is not stored: its key travels in the page's address
(``?dismissed=``), so it stays away while the facilitator works through the list and
may come back on a fresh visit.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.errors import DomainError, Invalid
from app.routes.api_params import Id
from app.routes.pages import console_session
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.forms import form_float, form_int
from app.routes.pages.rendering import error_text, see_other
from app.services import sessions, suggestions

router = APIRouter(prefix="/console")


def _back(session_id: int, anchor: str, dismissed: list[str], threshold: str) -> Response:
    query = [("dismissed", key) for key in dict.fromkeys(dismissed) if key]
    if threshold.strip() and threshold.strip() != str(console_session.REVIEW_THRESHOLD):
        query.append(("threshold", threshold.strip()))
    address = f"/console/sessions/{session_id}"
    if query:
        address += "?" + urlencode(query)
    return see_other(f"{address}#{anchor}")


def _refused(request: Request, db, facilitator, session_id: int, exc: DomainError, listed: str, **kept) -> Response:
    if exc.status_code == 404:
        raise exc
    db.rollback()
    return console_session.page_response(
        request,
        db,
        facilitator,
        session_id,
        review_error=error_text(request, exc),
        review_list=listed,
        status_code=exc.status_code,
        **kept,
    )


@router.post("/sessions/{session_id}/suggestions/groups")
def decide_groups(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    title: list[str] = Form([]),  # noqa: B008  # a FastAPI marker, its default copied per request
    idea: list[str] = Form([]),  # noqa: B008  # a FastAPI marker, its default copied per request
    accept: str = Form(""),
    dismiss: str = Form(""),
    dismissed: list[str] = Form([]),  # noqa: B008  # a FastAPI marker, its default copied per request
    threshold: str = Form(""),
) -> Response:
    """One title per cluster, in order (``title``), and its ticked ideas as
    ``"<cluster>:<idea id>"`` (``idea``): the facilitator may rename a cluster or take
    ideas out of it before accepting. ``accept`` is a cluster's number or ``all``."""
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    if dismiss:
        return _back(session_id, "group-suggestions", [*dismissed, dismiss], threshold)
    try:
        ticked: dict[int, list[int]] = {}
        for value in idea:
            cluster, _sep, idea_id = value.partition(":")
            number = form_int(cluster, field="Group")
            ident = form_int(idea_id, field="Idea")
            if number is not None and ident is not None:
                ticked.setdefault(number, []).append(ident)
        if accept == "all":
            # A cluster left with one idea was taken apart: it is not accepted.
            chosen = [n for n in range(len(title)) if len(ticked.get(n, [])) >= 2]
        else:
            number = form_int(accept, field="Group")
            if number is None or not 0 <= number < len(title):
                raise Invalid("Choose at least one group to accept.")
            chosen = [number]
        proposals = suggestions.check_proposals([(title[n], ticked.get(n, [])) for n in chosen])
        suggestions.apply_groups(db, facilitator=facilitator, session_id=session_id, proposals=proposals)
    except DomainError as exc:
        return _refused(request, db, facilitator, session_id, exc, "groups", dismissed=dismissed, threshold=threshold)
    return _back(session_id, "group-suggestions", dismissed, threshold)


@router.post("/sessions/{session_id}/suggestions/dimensions")
def decide_dimensions(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    guess: list[str] = Form([]),  # noqa: B008  # a FastAPI marker, its default copied per request
    accept: str = Form(""),
    dismiss: str = Form(""),
    dismissed: list[str] = Form([]),  # noqa: B008  # a FastAPI marker, its default copied per request
    threshold: str = Form(""),
) -> Response:
    """Each row's proposal as ``"<idea id>:<dimension>:<sub-element>:<confidence>"``
    (``guess``); ``accept`` is an idea id, or ``threshold``: every row at least as sure
    as the threshold (percent)."""
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    if dismiss:
        return _back(session_id, "dimension-suggestions", [*dismissed, dismiss], threshold)
    try:
        rows: list[tuple[int, str, str | None, float]] = []
        for value in guess:
            idea_id, dimension, sub_element, confidence = (value.split(":") + ["", "", "", ""])[:4]
            ident = form_int(idea_id, field="Idea")
            if ident is not None:
                rows.append((ident, dimension, sub_element or None, form_float(confidence, field="Confidence") or 0.0))
        if accept == "threshold":
            least = form_int(threshold, field="Threshold", default=console_session.REVIEW_THRESHOLD) / 100
            chosen = [r for r in rows if r[3] >= least - 1e-9]
            if not chosen:
                raise Invalid("No proposed dimension is that sure; lower the threshold or accept them one by one.")
        else:
            chosen = [r for r in rows if str(r[0]) == accept]
        placements = suggestions.check_placements([(i, d, s) for i, d, s, _c in chosen])
        suggestions.apply_dimensions(db, facilitator=facilitator, session_id=session_id, placements=placements)
    except DomainError as exc:
        return _refused(
            request, db, facilitator, session_id, exc, "dimensions", dismissed=dismissed, threshold=threshold
        )
    return _back(session_id, "dimension-suggestions", dismissed, threshold)
