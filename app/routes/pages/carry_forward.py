"""Carrying groups forward into a session, from the console.

The session's console shows a card: pick a source session, an earlier one of the
same workshop (``carry.earlier``), by stage, with how many groups each has. The
import page then offers all its groups, the top N by votes, or a hand-picked list
(with their votes), and posts to ``carry.import_groups``.

Forms first: the import is a POST that ends in a 303 to the session's console with
what happened in the query (``?from=…&carried=…&kept=…#import``): a reload shows
the same result and never imports again (the service would skip groups already
carried anyway).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from app.deps import DbDep
from app.domain import Permission, roman
from app.errors import DomainError, Invalid, NotFound
from app.models import Facilitator, Session, Stage, Workshop
from app.routes.api_params import MAX_ID, Id
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.forms import form_int
from app.routes.pages.rendering import MASTERPLAN_LABELS, error_text, lang_url, redirect, render
from app.services import board as board_service
from app.services import carry, results, sessions, workshops
from app.services.audience import FACILITATOR

router = APIRouter(prefix="/console/sessions/{session_id}")

MODES = ("all", "top", "pick")
DEFAULT_TOP = 5


def source_label(stage: Stage, session: Session) -> str:
    """ "Tahap II · Strategi dan program": a source as the result message names it."""
    return f"Tahap {roman(stage.number)} · {session.title}"


def sources(db, session: Session) -> list[dict[str, Any]]:
    """Every earlier session of the workshop (``carry.is_earlier``), by stage, with the
    number of groups it would give (what its board shows: hidden ideas stay behind)."""
    out = []
    number = db.get(Stage, session.stage_id).number
    for stage in workshops.stages(db, sessions.workshop_id_of(db, session)):
        items = [
            {"session": other, "groups": len(results.ranked_groups(db, other))}
            for other in sessions.list_for_stage(db, stage.id)
            if carry.earlier(stage.number, other.id, number, session.id)
        ]
        if items:
            out.append({"stage": stage, "sessions": items})
    return out


def _ids(value: str | None) -> list[int]:
    return [int(part) for part in (value or "").split(",") if part.strip().isdigit()][:500]


def card_context(db, facilitator: Facilitator, session: Session, query: QueryParams) -> dict[str, Any]:
    """The console card: the sources, and the result of the import just made."""
    return {"carry_sources": sources(db, session), "carry_result": _result(db, facilitator, session, query)}


def _result(db, facilitator: Facilitator, session: Session, query: QueryParams) -> dict[str, Any] | None:
    value = query.get("from") or ""
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        return None
    source_id = int(value)
    try:
        source = sessions.get_for_facilitator(
            db, facilitator=facilitator, session_id=source_id, permission=Permission.read
        )
    except NotFound:
        return None
    titles = {g["id"]: g["title"] for g in results.ranked_groups(db, session)}
    carried = [titles[i] for i in _ids(query.get("carried")) if i in titles]
    kept = [titles[i] for i in _ids(query.get("kept")) if i in titles]
    return {"source": source_label(db.get(Stage, source.stage_id), source), "carried": carried, "kept": kept}


# --- the import page ---------------------------------------------------------------------


@router.get("/import")
def import_page(
    session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, source: str = ""
) -> Response:
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    try:
        source_id = _source_id(source)
    except DomainError as exc:
        return _page(
            request, db, facilitator, session, None, error=error_text(request, exc), status_code=exc.status_code
        )
    return _page(request, db, facilitator, session, source_id)


def _group_id(value: str) -> int:
    number = form_int(value, field="Idea group")
    if number is None:  # a blank box is no more a group's id than "abc" is
        raise Invalid("%(field)s must be a whole number.", field="Idea group")
    return number


def _source_id(value: str | None) -> int | None:
    source_id = form_int(value, field="Source session")
    if source_id is not None and not 1 <= source_id <= MAX_ID:
        raise NotFound("Source session not found.")  # beyond any id: never ask the database
    return source_id


@router.post("/import")
def import_groups(
    session_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    source_session_id: str = Form(""),
    mode: str = Form("all"),
    top: str = Form(""),
    group_ids: list[str] = Form([]),  # noqa: B008  # a FastAPI marker; FastAPI deep-copies the default per request
) -> Response:
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    if group_ids and mode == "all":
        mode = "pick"  # boxes ticked but the radio left on its default: they meant those groups
    typed = {"mode": mode, "top": top, "group_ids": set(group_ids)}
    source_id = None
    try:
        source_id = _source_id(source_session_id)
        if source_id is None:
            raise Invalid("Choose the session to carry groups from.")
        if mode not in MODES:
            raise Invalid("Choose all groups, the top groups or the groups you pick.")
        picked = None
        count = None
        if mode == "top":
            count = form_int(top, field="Number of groups")
            if count is None:
                raise Invalid("Type how many of the top groups to carry.")
            if not 1 <= count <= carry.MAX_TOP:  # the service says "top": the form says what it asked
                raise Invalid(
                    "%(field)s must be between %(low)s and %(high)s.",
                    field="Number of groups",
                    low=1,
                    high=carry.MAX_TOP,
                )
        elif mode == "pick":
            picked = [_group_id(value) for value in group_ids]
        before = {g["id"] for g in _target_groups(db, session)}
        imported, _seq = carry.import_groups(
            db, facilitator=facilitator, session_id=session.id, source_session_id=source_id, group_ids=picked, top=count
        )
    except DomainError as exc:
        db.rollback()
        return _page(
            request,
            db,
            facilitator,
            session,
            source_id,
            error=error_text(request, exc),
            typed=typed,
            status_code=exc.status_code,
        )
    carried = [str(i.group_id) for i in imported if i.group_id not in before]
    kept = [str(i.group_id) for i in imported if i.group_id in before]
    return redirect(
        request,
        f"/console/sessions/{session.id}?from={source_id}&carried={','.join(carried)}&kept={','.join(kept)}#import",
    )


def _target_groups(db, session: Session) -> list[dict[str, Any]]:
    return board_service.board(db, session=session, audience=FACILITATOR, public_url="")["groups"]


def _page(
    request: Request,
    db,
    facilitator: Facilitator,
    session: Session,
    source_id: int | None,
    *,
    error: str | None = None,
    typed: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    stage = db.get(Stage, session.stage_id)
    workshop = db.get(Workshop, stage.workshop_id)
    chosen = None
    if source_id is not None:
        try:
            chosen = _source(db, facilitator, session, source_id)
        except DomainError as exc:
            # The page itself names a source it cannot use (a typed URL): say why.
            error = error or error_text(request, exc)
            status_code = exc.status_code if status_code == 200 else status_code
    context = {
        "facilitator": facilitator,
        "workshop": workshop,
        "stage": stage,
        "session": session,
        "sources": sources(db, session),
        "chosen": chosen,
        "typed": typed or {"mode": "all", "top": "", "group_ids": set()},
        "default_top": DEFAULT_TOP,
        "error": error,
        **MASTERPLAN_LABELS,
    }
    if request.method == "POST":
        context["page_lang_url"] = lang_url(request, f"/console/sessions/{session.id}/import")
    return render(request, "pages/import.html", context, status_code=status_code)


def _source(db, facilitator: Facilitator, session: Session, source_id: int) -> dict[str, Any]:
    """The source session's groups, most votes first, each marked when it is already
    in this session (carrying it again would change nothing)."""
    source = carry.source_for(db, facilitator=facilitator, target=session, source_session_id=source_id)
    already = {g["origin"]["group_id"] for g in _target_groups(db, session) if g.get("origin")}
    ranked = results.ranked_groups(db, source)
    return {
        "session": source,
        "label": source_label(db.get(Stage, source.stage_id), source),
        "groups": [
            {
                "id": g["id"],
                "title": g["title"],
                "dimension": g["dimension"],
                "votes": g["votes"],
                "ideas": len(g["ideas"]),
                "already": g["id"] in already,
            }
            for g in ranked
        ],
    }
