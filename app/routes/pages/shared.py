"""A read-only link (``/shared/{token}``): the projector's board of one session, live,
and its downloads, for people without an account (``app.services.shares``).

What it shows is what the projector shows (the public audience: no hidden ideas, no
authors in an anonymous session), without the join panel, the controls or the
facilitator's keys. The downloads leave the authors out when the session is
anonymous, as ``anonymous_exports`` does. A revoked link answers 410 everywhere and
its open streams end at their next heartbeat; the page then reloads into that 410.

Every answer says ``noindex`` and sends no Referer (the token is in the address).
The page costs what a projector costs: one read, and the projector's renderings of
each event are shared through the live renderer's cache (``html_stream.LiveHtml``).
"""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter, Header, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app.deps import DbDep
from app.exports.formats import FORMATS, SESSION_FORMATS
from app.i18n import locale_from_request
from app.models import Stage
from app.realtime import screens
from app.realtime.group_cards import card_context
from app.realtime.html_stream import stream_response
from app.realtime.stream import LINK_REVOKED
from app.realtime.viewer import Viewer, variant_for
from app.routes.api_live import parse_last_event_id
from app.routes.api_summary import filename_for
from app.routes.downloads import attachment
from app.routes.pages.rendering import render
from app.services import board as board_service
from app.services import sessions, shares, summary, wordcloud

router = APIRouter(prefix="/shared/{token}")

Token = Path(min_length=1, max_length=200)
# Robots stay out, the token never leaves in a Referer, and a revoked link is never
# served from a cache.
PRIVATE = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


@router.get("")
def shared_board(request: Request, db: DbDep, token: str = Token, dimension: str | None = None) -> Response:
    _share, session = shares.find(db, token)
    stage = db.get(Stage, session.stage_id)
    db.rollback()  # the board below is read in a fresh, consistent transaction
    state = screens.board_screen_now(
        request.app.state.sessions,
        session_id=session.id,
        public_url=request.app.state.settings.public_url,
        dimension=dimension,
    )
    base = f"/shared/{token}"
    card = dataclasses.replace(
        card_context("board", session.id, variant_for("board", state["session"])), controls=False
    )
    return render(
        request,
        "pages/board.html",
        {
            **state,
            "stage": stage,
            "show_join": False,
            "join_chip": False,
            "qr_svg": None,
            "card": card,
            **card.as_context(),
            "shared": {"base": base, "downloads": [(ext, f"{base}/summary.{ext}") for ext in SESSION_FORMATS]},
            "board_base": base,
            "live_url": f"{base}/stream?v={screens.board_version(state)}",
            "live_seq": state["last_seq"],
        },
        headers=PRIVATE,
    )


@router.get("/cloud")
def shared_cloud(request: Request, db: DbDep, token: str = Token) -> Response:
    _share, session = shares.find(db, token)
    return render(
        request,
        "fragments/_word_cloud.html",
        {
            "cloud": wordcloud.words(db, session_id=session.id),
            "dim_counts": board_service.dimension_counts(db, session.id),
        },
        headers=PRIVATE,
    )


@router.get("/stream")
async def shared_stream(
    request: Request,
    token: str = Token,
    v: str | None = None,
    last_event_id_query: str | None = Query(None, alias="last_event_id"),
    last_event_id_header: str | None = Header(None, alias="Last-Event-ID"),
):
    """The projector's stream; it ends (``event: end``) once the link is revoked."""

    def open_viewer() -> tuple[int, Viewer]:
        with request.app.state.sessions() as db:
            share, session = shares.find(db, token)
            return share.id, Viewer(
                screen="board",
                session_id=session.id,
                locale=locale_from_request(request),
                page_version=v,
                variant=variant_for(
                    "board", sessions.public(session), focus=(session.focus_group_id, session.focus_idea_id)
                ),
            )

    share_id, viewer = await run_in_threadpool(open_viewer)

    def active() -> bool:
        with request.app.state.sessions() as db:
            return shares.still_active(db, share_id)

    async def still_allowed() -> bool:
        return await run_in_threadpool(active)

    response = stream_response(
        request,
        viewer,
        last_event_id=parse_last_event_id(last_event_id_header, last_event_id_query),
        still_allowed=still_allowed,
        end_data=LINK_REVOKED,
    )
    response.headers.update(PRIVATE)
    return response


def _download(ext: str):
    def shared_summary(request: Request, db: DbDep, token: str = Token) -> Response:
        share, session = shares.find(db, token)
        settings = request.app.state.settings
        data = summary.session_summary(
            db,
            session=session,
            public_url=settings.public_url,
            timezone=settings.timezone,
            without_authors=session.anonymous,
        )
        return attachment(
            db,
            FORMATS[ext].session(data),
            media_type=FORMATS[ext].media_type,
            filename=filename_for(session.title, session.id, ext),
            file=f"summary.{ext}",
            actor=None,  # whoever holds the link: the log names the link
            workshop_id=sessions.workshop_id_of(db, session),
            session=session,
            share_id=share.id,
            headers=PRIVATE,
        )

    return shared_summary


for _ext in SESSION_FORMATS:
    router.add_api_route(f"/summary.{_ext}", _download(_ext), methods=["GET"], response_class=Response)
