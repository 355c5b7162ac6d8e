"""The projector board (any screen, 1024×768 to 4K), its word cloud, the join QR
code, and a group's SWOT quadrant (the facilitator's form on a card of a SWOT board)."""

from __future__ import annotations

import io

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.domain import Permission, Phase
from app.errors import DomainError, NotFound
from app.models import Stage
from app.realtime import screens
from app.realtime.group_cards import card_context
from app.realtime.viewer import variant_for
from app.routes.api_params import Id
from app.routes.pages.callers import PageFacilitator
from app.routes.pages.grouping import _edit_answer as edit_answer
from app.routes.pages.grouping import back_to
from app.routes.pages.qr import qr_code, qr_inline_svg
from app.routes.pages.rendering import error_text, is_htmx, render, see_other
from app.services import board as board_service
from app.services import groups, sessions, wordcloud
from app.services.groups import Actor

router = APIRouter()

# While people can still join and send ideas, the join panel takes the right side
# (unless the facilitator puts it away); otherwise a chip in the corner.
JOIN_PHASES = (Phase.draft.value, Phase.brainstorm.value)


@router.get("/board/{session_id}")
def board_page(
    session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator, dimension: str | None = None
) -> Response:
    """``?dimension=`` shows one dimension of a SWOT board (a plain link: no script
    needed; cards that arrive live are filtered by CSS, see ``data-filter``)."""
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=session_id, permission=Permission.read
    )
    stage = db.get(Stage, session.stage_id)
    db.rollback()  # the board below is read in a fresh, consistent transaction
    state = screens.board_screen_now(
        request.app.state.sessions,
        session_id=session.id,
        public_url=request.app.state.settings.public_url,
        dimension=dimension,
    )
    shown = state["session"]
    joinable = shown["phase"] != Phase.closed.value and not shown["join_locked"]
    show_join = joinable and shown["show_join_panel"] and shown["phase"] in JOIN_PHASES
    card = card_context("board", session.id, variant_for("board", shown))
    return render(
        request,
        "pages/board.html",
        {
            **state,
            "stage": stage,
            "show_join": show_join,
            "join_chip": joinable and not show_join,
            "qr_svg": qr_inline_svg(shown["join_url"]) if joinable else None,
            "join_host": site_address(request.app.state.settings.public_url),
            "card": card,
            **card.as_context(),
            "live_url": f"/board/{session.id}/stream?v={screens.board_version(state)}",
            "live_seq": state["last_seq"],
        },
    )


@router.get("/board/{session_id}/cloud")
def board_cloud(session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    """The word cloud's words alone: the projector fetches them again as ideas change."""
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=session_id, permission=Permission.read
    )
    counts = board_service.dimension_counts(db, session.id)
    return render(
        request,
        "fragments/_word_cloud.html",
        {"cloud": wordcloud.words(db, session_id=session.id), "dim_counts": counts},
        headers={"Cache-Control": "no-store"},
    )


def site_address(public_url: str) -> str:
    """``http://192.168.1.10:8000/`` → ``192.168.1.10:8000``: what people type on a phone."""
    return public_url.split("://", 1)[-1].rstrip("/")


@router.get("/j/{code}/qr.svg")
def join_qr(code: str, request: Request, db: DbDep) -> Response:
    """The join link as a QR code. No login: the code is on the projector anyway."""
    session = sessions.find_open_by_code(db, code)
    url = board_service.join_url(request.app.state.settings.public_url, session.join_code)
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", scale=10, border=2, dark="#000", light="#fff", title=url)
    return Response(
        out.getvalue(),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


@router.post("/board/{session_id}/groups/{group_id}/swot")
def set_quadrant(
    session_id: Id,
    group_id: Id,
    request: Request,
    db: DbDep,
    facilitator: PageFacilitator,
    swot: str = Form(""),
    next: str = Form(""),
) -> Response:
    """Put a group in a SWOT quadrant (``none``: not sorted yet). Without JavaScript a
    303 back; with htmx the card's head again (the live stream moves the card). A
    refusal comes back as the rename form does (``grouping._edit_answer``)."""
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    return_to = back_to(session_id, next)
    try:
        if groups.get(db, group_id).session_id != session.id:
            raise NotFound("Group not found.")
        groups.update_group(
            db, actor=Actor(facilitator=facilitator), group_id=group_id, swot=None if swot in ("", "none") else swot
        )
    except DomainError as exc:
        db.rollback()
        if exc.status_code == 404:
            raise
        return edit_answer(
            request,
            db,
            session,
            group_id,
            return_to,
            status_code=exc.status_code,
            edit_error=error_text(request, exc),
            edit_values={"swot": swot},
            facilitator=facilitator,
        )
    if not is_htmx(request):
        return see_other(return_to)
    return edit_answer(request, db, session, group_id, return_to)
