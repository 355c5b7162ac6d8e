"""Running the room from the console or from a phone (the presenter remote): the
timer, locking input, hiding and revealing the projector's texts, its view and join
panel, the focus, and turning its pages.

Forms first: every control is a ``<form method="post">``; without JavaScript it
answers with a 303 back to the page it came from (the console or the remote), with
htmx it answers with the remote panel (``fragments/_remote_panel.html``). The panel
also fetches itself again when the live stream says the room changed (another
device, the projector's keys). The projector's own keys use the JSON API
(``app/static/board.js``); both end in the same services.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.db import known
from app.deps import DbDep
from app.domain import Phase
from app.errors import DomainError, Invalid
from app.models import Session, Stage, Workshop
from app.realtime import screens
from app.routes.api_params import Id
from app.routes.pages.callers import PageFacilitator, safe_next
from app.routes.pages.forms import form_int
from app.routes.pages.qr import qr_inline_svg
from app.routes.pages.rendering import error_text, is_htmx, render, see_other
from app.services import focus, input_lock, sessions, timer
from app.services.sessions import ROOM_SETTINGS

router = APIRouter(prefix="/console/sessions/{session_id}")

# The remote's own limit for a typed length: a workshop block is at most four hours.
MINUTES_MAX = 240
FLAG_SETTINGS = ROOM_SETTINGS - {"board_view"}


def back_to(session_id: int, next_url: str | None) -> str:
    """The console or the remote of this session (never anywhere else)."""
    url = safe_next(next_url)
    allowed = (f"/console/sessions/{session_id}", f"/console/sessions/{session_id}/remote")
    return url if url.split("#", 1)[0].split("?", 1)[0] in allowed else allowed[0]


def panel_context(db, session: Session) -> dict[str, Any]:
    """What the remote panel shows: the session's room settings, the timer, the focus."""
    return {
        "session": {**sessions.public(session), "join_url": ""},
        "timer": timer.public(session),
        "focus": focus.public(db, session),
        "input_closed": input_lock.reason(session),
    }


def _panel(
    request: Request,
    db,
    session_id: int,
    facilitator,
    *,
    next_url: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    db.refresh(session)
    context = {**panel_context(db, session), "remote_next": back_to(session_id, next_url), "remote_error": error}
    return render(
        request, "fragments/_remote_panel.html", context, status_code=status_code, headers={"Cache-Control": "no-store"}
    )


def _answer(
    request: Request, db, session_id: int, facilitator, next_url: str, exc: DomainError | None = None
) -> Response:
    """htmx: the panel (with the refusal, if any). A plain form: back where it came
    from; a refusal there is the remote page with its message."""
    if exc is not None:
        db.rollback()
        if exc.status_code == 404:
            raise exc
        error = error_text(request, exc)
        if is_htmx(request):
            return _panel(
                request, db, session_id, facilitator, next_url=next_url, error=error, status_code=exc.status_code
            )
        return remote_page(request, db, facilitator, session_id, error=error, status_code=exc.status_code)
    if is_htmx(request):
        return _panel(request, db, session_id, facilitator, next_url=next_url)
    return see_other(back_to(session_id, next_url))


@router.get("/remote")
def remote(session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    return remote_page(request, db, facilitator, session_id)


def remote_page(
    request: Request, db, facilitator, session_id: int, *, error: str | None = None, status_code: int = 200
) -> Response:
    """The remote on a phone: phase, timer, lock, reveal, view, pages, and what to focus on."""
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    stage = db.get(Stage, session.stage_id)
    workshop = db.get(Workshop, stage.workshop_id)
    db.rollback()
    with screens.consistent_read(request.app.state.sessions) as read:
        state = screens.console_screen(read, session_id=session.id, public_url=request.app.state.settings.public_url)
        fresh = known(read, Session, session.id)
        panel = panel_context(read, fresh)
        candidates = focus_candidates(read, state)
    return render(
        request,
        "pages/remote.html",
        {
            **state,
            **panel,
            "facilitator": facilitator,
            "workshop": workshop,
            "stage": stage,
            "candidates": candidates,
            "remote_next": f"/console/sessions/{session_id}/remote",
            "remote_error": error,
            "live_url": f"/console/sessions/{session_id}/stream?v={screens.page_version(state['session'])}",
            "live_seq": state["last_seq"],
        },
        status_code=status_code,
    )


def focus_candidates(db, state: dict[str, Any]) -> dict[str, Any]:
    """What the facilitator may focus on from the remote: the groups once ideas are
    grouped (with their size), and the visible ideas, newest first."""
    ideas = [idea for idea in state["ideas"] if not idea.get("hidden")]
    grouped = state["session"]["phase"] not in (Phase.draft.value, Phase.brainstorm.value)
    sizes: dict[int, int] = {}
    for idea in ideas:
        sizes[idea["group_id"]] = sizes.get(idea["group_id"], 0) + 1
    groups = (
        [
            {"id": gid, "title": title, "size": sizes[gid]}
            for gid, title in state["group_titles"].items()
            if gid in sizes
        ]
        if grouped
        else []
    )
    return {"groups": groups, "ideas": ideas}


@router.get("/remote/panel")
def remote_panel(session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, next: str = "") -> Response:
    return _panel(request, db, session_id, facilitator, next_url=next)


@router.post("/timer")
def change_timer(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    action: str = Form(""),
    minutes: str = Form(""),
    custom_minutes: str = Form(""),
    next: str = Form(""),
) -> Response:
    """Start (a preset's or a typed number of minutes), pause, resume, one more
    minute, stop."""
    try:
        seconds = None
        if action == "start":
            typed = minutes or custom_minutes
            length = form_int(typed, field="Minutes")
            if length is None:
                raise Invalid("Type how many minutes the timer runs.")
            if not 1 <= length <= MINUTES_MAX:
                raise Invalid(
                    "%(field)s must be between %(low)s and %(high)s.", field="Minutes", low=1, high=MINUTES_MAX
                )
            seconds = length * 60
        timer.change(db, facilitator=facilitator, session_id=session_id, action=action, seconds=seconds)
    except DomainError as exc:
        return _answer(request, db, session_id, facilitator, next, exc)
    return _answer(request, db, session_id, facilitator, next)


@router.post("/room")
def change_room(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    setting: str = Form(""),
    value: str = Form(""),
    next: str = Form(""),
) -> Response:
    """One of the room's settings: lock input, hide the texts, the join panel, lock at
    zero (value 1 or 0), or the projector's view (columns, cloud, wall)."""
    try:
        if setting == "board_view":
            change: dict[str, Any] = {"board_view": value}
        elif setting in FLAG_SETTINGS:
            change = {setting: value in ("1", "true", "on")}
        else:
            raise Invalid("Unknown setting.")
        sessions.update_session(db, facilitator=facilitator, session_id=session_id, **change)
    except DomainError as exc:
        return _answer(request, db, session_id, facilitator, next, exc)
    return _answer(request, db, session_id, facilitator, next)


@router.post("/focus")
def change_focus(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    group_id: str = Form(""),
    idea_id: str = Form(""),
    next: str = Form(""),
) -> Response:
    """Focus the projector on a group or an idea; neither: back to the view."""
    try:
        group = form_int(group_id, field="Group")
        idea = form_int(idea_id, field="Idea")
        focus.set_focus(db, facilitator=facilitator, session_id=session_id, group_id=group, idea_id=idea)
    except DomainError as exc:
        return _answer(request, db, session_id, facilitator, next, exc)
    return _answer(request, db, session_id, facilitator, next)


@router.post("/board-page")
def turn_page(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    step: str = Form("1"),
    next: str = Form(""),
) -> Response:
    """The projector's next (1) or previous (-1) page."""
    try:
        turn = form_int(step, field="Page", default=1)
        focus.turn_page(db, facilitator=facilitator, session_id=session_id, step=1 if turn is None else turn)
    except DomainError as exc:
        return _answer(request, db, session_id, facilitator, next, exc)
    return _answer(request, db, session_id, facilitator, next)


def remote_qr(public_url: str, session_id: int) -> Any:
    """A QR code of the remote's address, so the facilitator opens it on a phone."""
    return qr_inline_svg(f"{public_url.rstrip('/')}/console/sessions/{session_id}/remote")
