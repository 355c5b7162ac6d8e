"""The projector board (1920×1080) and the join QR code."""

from __future__ import annotations

import io

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import DbDep
from app.domain import Phase
from app.models import Stage
from app.realtime import screens
from app.realtime.group_cards import card_context
from app.realtime.html_stream import variant_for
from app.routes.api_params import Id
from app.routes.pages.common import PageFacilitator, qr_code, qr_inline_svg, render
from app.services import board as board_service
from app.services import sessions

router = APIRouter()

# While people can still join and send ideas, the join panel takes the right side.
JOIN_PHASES = (Phase.draft.value, Phase.brainstorm.value)


@router.get("/board/{session_id}")
def board_page(session_id: Id, request: Request, db: DbDep, facilitator: PageFacilitator) -> Response:
    session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    stage = db.get(Stage, session.stage_id)
    db.rollback()  # the board below is read in a fresh, consistent transaction
    with screens.consistent_read(request.app.state.sessions) as read:
        state = screens.board_screen(read, session_id=session.id, public_url=request.app.state.settings.public_url)
    show_join = state["session"]["phase"] in JOIN_PHASES
    card = card_context("board", session.id, variant_for("board", state["session"]))
    return render(request, "pages/board.html", {
        **state,
        "stage": stage,
        "show_join": show_join,
        "qr_svg": qr_inline_svg(state["session"]["join_url"]) if show_join else None,
        "join_host": site_address(request.app.state.settings.public_url),
        "card": card,
        **card.as_context(),
        "live_url": f"/board/{session.id}/stream?v={screens.page_version(state['session'])}",
        "live_seq": state["last_seq"],
    })


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
    return Response(out.getvalue(), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"})
