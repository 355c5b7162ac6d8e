"""Facilitator console: workshops → four stages → sessions."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.domain import MEMBER_ROLES, ROLE_LABELS, Permission
from app.errors import DomainError
from app.i18n import locale_from_request
from app.localtime import Clock
from app.models import Facilitator, Session, Workshop
from app.routes.api_params import Id
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.forms import SessionSettings, form_int
from app.routes.pages.rendering import error_text, lang_url, render, see_other
from app.services import moderation, participants, privacy, retention, sessions, team, workshops

router = APIRouter(prefix="/console")

# ``?deleted=`` on the page a deletion lands on (``app.routes.pages.deletion``): what
# its notice says (msgids).
NOTICES = {"session": "The session was deleted with everything in it.", "workshop": "The workshop was deleted."}


def notice_for(request: Request) -> str | None:
    """The notice a page shows after a deletion. The app has no flash messages: the
    redirect's query says which, and only one of these fixed texts can be shown."""
    return NOTICES.get(request.query_params.get("deleted", ""))


@router.get("")
def console(request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    return _console_page(request, db, facilitator)


@router.post("/workshops")
def create_workshop(
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    title: str = Form(""),
    region: str = Form(""),
    year: str = Form(""),
) -> Response:
    values = {"title": title, "region": region, "year": year}
    try:
        workshop = workshops.create_workshop(
            db, owner=facilitator, title=title, region=region, year=form_int(year, field="Year", default=0)
        )
    except DomainError as exc:
        return _console_page(
            request, db, facilitator, error=error_text(request, exc), values=values, status_code=exc.status_code
        )
    return see_other(f"/console/workshops/{workshop.id}")


def _console_page(request: Request, db, facilitator: Facilitator, *, status_code: int = 200, **extra) -> Response:
    context = {
        "facilitator": facilitator,
        "workshops": workshops.list_workshops(db, facilitator=facilitator),
        "values": {},
        "default_year": Clock.of(request.app.state.settings.timezone).today().year,  # the venue's year
        "notice": notice_for(request),
        **extra,
    }
    if request.method == "POST":
        context["page_lang_url"] = lang_url(request, "/console")
    return render(request, "pages/console.html", context, status_code=status_code)


@router.get("/workshops/{workshop_id}")
def workshop_page(workshop_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)
    return _workshop_page(request, db, facilitator, workshop)


@router.post("/stages/{stage_id}/sessions")
def create_session(
    stage_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    settings: SessionSettings,
    title: str = Form(""),
    prompt: str = Form(""),
) -> Response:
    stage = workshops.get_stage(db, facilitator=facilitator, stage_id=stage_id)
    try:
        values = {k: v for k, v in settings.values().items() if v is not None}  # empty: the default
        session = sessions.create_session(
            db, facilitator=facilitator, stage_id=stage.id, title=title, prompt=prompt, **values
        )
    except DomainError as exc:
        db.rollback()
        workshop = workshops.get_workshop(
            db, facilitator=facilitator, workshop_id=stage.workshop_id, permission=Permission.read
        )
        return _workshop_page(
            request,
            db,
            facilitator,
            workshop,
            status_code=exc.status_code,
            error=error_text(request, exc),
            error_stage_id=stage.id,
            values={"title": title, "prompt": prompt},
            typed=settings.typed(),
        )
    return see_other(f"/console/sessions/{session.id}")


def new_session_defaults() -> dict:
    """The settings a new session starts with: the model's own defaults, so the form
    and the database never disagree."""
    return sessions.session_settings(Session(stage_id=0, title="", prompt="", join_code=""))


def team_context(db, facilitator: Facilitator, workshop: Workshop) -> dict:
    """The team section and what the caller's role lets the page offer (``may``: the
    permission names; controls a role cannot use are left out, not greyed)."""
    may = workshops.may(db, facilitator=facilitator, workshop_id=workshop.id)
    return {
        "may": {permission.value for permission in may},
        "members": team.members(db, facilitator=facilitator, workshop_id=workshop.id),
        "member_roles": [(role.value, ROLE_LABELS[role.value]) for role in MEMBER_ROLES],
        "role_labels": ROLE_LABELS,
        "read_only_note": None if Permission.run in may else workshops.refusal_for(may),
    }


def workshop_page_response(
    request: Request, db, facilitator: Facilitator, workshop: Workshop, *, status_code: int = 200, **extra
) -> Response:
    return _workshop_page(request, db, facilitator, workshop, status_code=status_code, **extra)


def _workshop_page(
    request: Request, db, facilitator: Facilitator, workshop: Workshop, *, status_code: int = 200, **extra
) -> Response:
    stages = [
        {
            "id": stage.id,
            "title": stage.title,
            "sessions": [
                {"session": s, "participant_count": participants.count(db, s.id)}
                for s in sessions.list_for_stage(db, stage.id)
            ],
        }
        for stage in workshops.stages(db, workshop.id)
    ]
    context = {
        "facilitator": facilitator,
        "workshop": workshop,
        "stages": stages,
        "values": {},
        "defaults": new_session_defaults(),
        "word_filter": "\n".join(moderation.filter_words(db, facilitator=facilitator, workshop_id=workshop.id)),
        "retention": retention.status(db, workshop),
        "default_notice": privacy.default_notice(
            locale_from_request(request), title=workshop.title, organiser=privacy.organiser_name(db, workshop)
        ),
        **team_context(db, facilitator, workshop),
        "notice": notice_for(request),
        **extra,
    }
    if request.method == "POST":
        context["page_lang_url"] = lang_url(request, f"/console/workshops/{workshop.id}")
    return render(request, "pages/workshop.html", context, status_code=status_code)


@router.post("/workshops/{workshop_id}/word-filter")
def save_word_filter(
    workshop_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, words: str = Form("")
) -> Response:
    """The word filter's textarea: one word or short phrase per line."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id)
    try:
        moderation.set_filter_words(db, facilitator=facilitator, workshop_id=workshop_id, entries=words.splitlines())
    except DomainError as exc:
        db.rollback()
        return _workshop_page(
            request,
            db,
            facilitator,
            workshop,
            status_code=exc.status_code,
            word_filter_error=error_text(request, exc),
            word_filter_typed=words,
        )
    return see_other(f"/console/workshops/{workshop_id}#word-filter")


@router.post("/workshops/{workshop_id}/privacy")
def save_privacy(
    workshop_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    privacy_notice: str = Form(""),
    retention: str = Form("erase"),
    retention_days: str = Form(""),
) -> Response:
    """The owner's "Personal data" form: the join page's notice, and erase the names
    so many days after the last session or keep them."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)
    try:
        days = None if retention == "keep" else form_int(retention_days, field="Days", default=0)
        privacy.update(
            db, facilitator=facilitator, workshop_id=workshop_id, privacy_notice=privacy_notice, retention_days=days
        )
    except DomainError as exc:
        db.rollback()
        return _workshop_page(
            request,
            db,
            facilitator,
            workshop,
            status_code=exc.status_code,
            privacy_error=error_text(request, exc),
            privacy_typed={"notice": privacy_notice, "retention": retention, "days": retention_days},
        )
    return see_other(f"/console/workshops/{workshop_id}#privacy")
