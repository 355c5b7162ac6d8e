"""Grouping by the facilitator, from the board or the console: move an idea (drag and
drop in ``static/grouping.js``, or the move form), rename a group, set its dimension,
and set its roadmap (horizon, owner, budget source, quick win, sub-element).

Forms first: every action is a form POST that ends in a 303 back to where it came
from (``next``). With htmx or grouping.js (``HX-Request``) a move answers 204: the
live stream shows it on every screen, this one included. A refusal answers with
its status and the form again, the message in Indonesian.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.errors import DomainError, NotFound
from app.realtime import screens
from app.realtime.group_cards import card_context
from app.realtime.viewer import variant_for
from app.routes.api_params import Id
from app.routes.pages.callers import PageFacilitator, safe_next
from app.routes.pages.forms import form_int
from app.routes.pages.rendering import MASTERPLAN_LABELS, error_text, is_htmx, lang_url, render, see_other
from app.services import board as board_service
from app.services import groups, ideas, sessions
from app.services.audience import FACILITATOR
from app.services.groups import Actor

router = APIRouter(prefix="/board/{session_id}")


def back_to(session_id: int, next_url: str | None) -> str:
    """Where a grouping form returns: the board or the console of this session."""
    url = safe_next(next_url)
    allowed = (f"/board/{session_id}", f"/console/sessions/{session_id}")
    return url if url.split("#", 1)[0].split("?", 1)[0] in allowed else allowed[0]


# --- move an idea ------------------------------------------------------------------------


@router.get("/ideas/{idea_id}/move")
def move_form(
    session_id: Id, idea_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, next: str = ""
) -> Response:
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    return move_page(
        request,
        db,
        session_id=session_id,
        idea_id=idea_id,
        audience=FACILITATOR,
        move_base=f"/board/{session_id}",
        return_to=back_to(session_id, next),
        facilitator=facilitator,
    )


@router.post("/ideas/{idea_id}/move")
def move(
    session_id: Id,
    idea_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    group_id: str = Form(""),
    dimension: str | None = Form(None),
    next: str = Form(""),
) -> Response:
    """``group_id`` empty: a new group of its own. ``dimension`` (the board's "new group"
    drop zone of a column; ``none`` = uncategorised) then sets the new group's dimension."""
    return_to = back_to(session_id, next)
    actor = Actor(facilitator=facilitator)
    try:
        _check_idea(db, session_id, idea_id)
        target = form_int(group_id, field="Target group")
        _idea, group, _seq = groups.move_idea(db, actor=actor, idea_id=idea_id, group_id=target)
        if target is None and dimension and dimension_code(dimension) != group.dimension:
            groups.update_group(db, actor=actor, group_id=group.id, dimension=dimension_code(dimension))
    except DomainError as exc:
        db.rollback()
        if exc.status_code == 404:
            raise  # no form to show again: the idea (or its session, deleted) is gone
        return move_page(
            request,
            db,
            session_id=session_id,
            idea_id=idea_id,
            audience=FACILITATOR,
            move_base=f"/board/{session_id}",
            return_to=return_to,
            error=error_text(request, exc),
            status_code=exc.status_code,
            facilitator=facilitator,
        )
    if is_htmx(request):
        return Response(status_code=204)
    return see_other(return_to)


def dimension_code(value: str) -> str | None:
    """A dimension from a form: ``none`` is "uncategorised" (FastAPI reads an empty form
    field as a missing one, so the forms never send an empty dimension)."""
    return None if value == "none" else value


def _check_idea(db, session_id: int, idea_id: int) -> None:
    if ideas.get_in_session(db, idea_id).session_id != session_id:
        raise NotFound("Idea not found.")


def move_page(
    request: Request,
    db,
    *,
    session_id: int,
    idea_id: int,
    audience,
    move_base: str,
    return_to: str,
    error: str | None = None,
    status_code: int = 200,
    facilitator=None,
) -> Response:
    """The move form: a fragment for htmx, else a small page of its own."""
    with screens.consistent_read(request.app.state.sessions) as read:
        state = screens.move_screen(read, session_id=session_id, idea_id=idea_id, audience=audience)
    if state["idea"] is None:
        raise NotFound("Idea not found.")
    context: dict[str, Any] = {
        **state,
        "move_base": move_base,
        "return_to": return_to,
        "error": error,
        "facilitator": facilitator,
    }
    template = "fragments/_move_form.html" if is_htmx(request) else "pages/move.html"
    return render(request, template, context, status_code=status_code)


# --- rename a group, set its dimension, its roadmap -----------------------------------------


@router.get("/groups/{group_id}/edit")
def edit_form(
    session_id: Id, group_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, next: str = ""
) -> Response:
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    return _edit_answer(request, db, session, group_id, back_to(session_id, next), facilitator=facilitator)


@router.post("/groups/{group_id}/edit")
def edit(
    session_id: Id,
    group_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    title: str | None = Form(None),
    dimension: str | None = Form(None),
    rename: str | None = Form(None),
    next: str = Form(""),
) -> Response:
    """A field left out of the form is left as it is (drag and drop sends the dimension
    only). ``rename`` marks a form with a title field: an empty title there (which
    FastAPI reads as missing) goes back to the default, the first idea."""
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    return_to = back_to(session_id, next)
    try:
        if groups.get(db, group_id).session_id != session.id:
            raise NotFound("Group not found.")
        changes: dict[str, str | None] = {}
        if rename or title is not None:
            changes["title"] = title or ""
        if dimension is not None:
            changes["dimension"] = dimension_code(dimension)
        groups.update_group(db, actor=Actor(facilitator=facilitator), group_id=group_id, **changes)
    except DomainError as exc:
        db.rollback()
        if exc.status_code == 404:
            raise
        values = {k: v for k, v in (("title", title), ("dimension", dimension)) if v is not None}
        return _edit_answer(
            request,
            db,
            session,
            group_id,
            return_to,
            status_code=exc.status_code,
            edit_error=error_text(request, exc),
            edit_values=values,
            facilitator=facilitator,
        )
    if is_htmx(request):
        return _edit_answer(request, db, session, group_id, return_to)
    return see_other(return_to)


@router.post("/groups/{group_id}/roadmap")
def set_roadmap(
    session_id: Id,
    group_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    horizon: str = Form(""),
    owner: str = Form(""),
    budget_source: str = Form(""),
    sub_element: str = Form(""),
    quick_win: str | None = Form(None),
    next: str = Form(""),
) -> Response:
    """The whole roadmap of a group in one form (any phase, the facilitator only): an
    empty choice clears a field, an unticked quick win is not one."""
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    return_to = back_to(session_id, next)
    values = {
        "horizon": horizon,
        "owner": owner,
        "budget_source": budget_source,
        "sub_element": sub_element,
        "quick_win": bool(quick_win),
    }
    try:
        if groups.get(db, group_id).session_id != session.id:
            raise NotFound("Group not found.")
        groups.update_group(db, actor=Actor(facilitator=facilitator), group_id=group_id, **values)
    except DomainError as exc:
        db.rollback()
        if exc.status_code == 404:
            raise
        return _edit_answer(
            request,
            db,
            session,
            group_id,
            return_to,
            status_code=exc.status_code,
            page=True,
            roadmap_error=error_text(request, exc),
            roadmap_values=values,
            facilitator=facilitator,
        )
    return see_other(return_to)


def _edit_answer(
    request: Request,
    db,
    session,
    group_id: int,
    return_to: str,
    *,
    status_code: int = 200,
    page: bool = False,
    **extra: Any,
) -> Response:
    """The card's head again (htmx), or the group's page: rename form and roadmap form
    (without JavaScript, after a refusal, or from the console's roadmap table)."""
    group = groups.get(db, group_id)
    if group.session_id != session.id:
        raise NotFound("Group not found.")
    screen: Literal["board", "console"] = "console" if return_to.startswith("/console/") else "board"
    card = card_context(screen, session.id, variant_for(screen, sessions.public(session)))
    context = {
        "group": groups.group_out(group, None),
        **card.as_context(),
        "controls": True,
        "return_to": return_to,
        **extra,
    }
    if is_htmx(request) and not page:
        return render(request, "fragments/_group_head.html", context, status_code=status_code)
    shown = next(
        (
            g
            for g in board_service.board(db, session=session, audience=FACILITATOR, public_url="")["groups"]
            if g["id"] == group.id
        ),
        None,
    )
    if shown is None:  # merged away: no ideas left
        raise NotFound("Group not found.")
    context.update(
        MASTERPLAN_LABELS, session=session, shown=shown, board_editable=session.phase in groups.FACILITATOR_PHASES
    )
    if request.method == "POST":  # a refused form: the language link must be a page that answers GET
        context["page_lang_url"] = lang_url(request, f"/board/{session.id}/groups/{group.id}/edit")
    return render(request, "pages/group_edit.html", context, status_code=status_code)
