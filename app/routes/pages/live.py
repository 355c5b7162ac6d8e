"""Live HTML streams of the board, the console and the phone (see app/realtime/html_stream.py).

Same feed, broker, replay limit and reconnect rules as the JSON stream in
``app.routes.api_live``; only the rendering differs. ``?v=`` is the page's
``screens.page_version``: a snapshot for an out-of-date page becomes a reload.
"""

from __future__ import annotations

from fastapi import APIRouter, Header, Query, Request
from starlette.concurrency import run_in_threadpool

from app.deps import (
    facilitator_login_current,
    holds_facilitator_login,
    holds_participant_token,
    optional_facilitator,
    require_facilitator,
)
from app.errors import Forbidden, NotFound, Unauthorized
from app.i18n import locale_from_request
from app.models import Session
from app.realtime.html_stream import Screen, Viewer, stream_response, variant_for
from app.routes.api_params import Id
from app.routes.api_live import parse_last_event_id
from app.routes.pages.common import phone_participant
from app.services import sessions

router = APIRouter()


def _facilitator_viewer(request: Request, session_id: int, screen: Screen, version: str | None) -> Viewer:
    with request.app.state.sessions() as db:
        # 401 for no login, 403 for a phone's token (as every facilitator route), 404
        # for a session of someone else's workshop.
        facilitator = require_facilitator(optional_facilitator(request, db), request)
        session = sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
        return Viewer(screen=screen, session_id=session.id, locale=locale_from_request(request),
                      page_version=version,
                      variant=variant_for(screen, sessions.public(session),
                                          focus=(session.focus_group_id, session.focus_idea_id)))


def _phone_viewer(request: Request, session_id: int, version: str | None) -> Viewer:
    with request.app.state.sessions() as db:
        session = db.get(Session, session_id)
        if session is None:
            raise NotFound("Session not found.")
        participant = phone_participant(request, db, session_id)
        if participant is None:
            # 403 for a valid credential that is not this session's phone (another
            # session's, a removed one, a facilitator's); 401 for none (join again).
            if holds_participant_token(request):
                raise Forbidden("You can only follow the session you joined.")
            if holds_facilitator_login(request, db):
                raise Forbidden("This is for participants: join the session from a phone.")
            raise Unauthorized("Join the session first.")
        return Viewer(screen="phone", session_id=session_id, locale=locale_from_request(request),
                      participant_id=participant.id, page_version=version,
                      variant=variant_for("phone", sessions.public(session),
                                          focus=(session.focus_group_id, session.focus_idea_id)))


@router.get("/board/{session_id}/stream")
async def board_stream(
    session_id: Id, request: Request, v: str | None = None,
    last_event_id_query: str | None = Query(None, alias="last_event_id"),
    last_event_id_header: str | None = Header(None, alias="Last-Event-ID"),
):
    viewer = await run_in_threadpool(_facilitator_viewer, request, session_id, "board", v)
    return stream_response(request, viewer, last_event_id=parse_last_event_id(last_event_id_header, last_event_id_query),
                           still_allowed=facilitator_login_current(request))


@router.get("/console/sessions/{session_id}/stream")
async def console_stream(
    session_id: Id, request: Request, v: str | None = None,
    last_event_id_query: str | None = Query(None, alias="last_event_id"),
    last_event_id_header: str | None = Header(None, alias="Last-Event-ID"),
):
    viewer = await run_in_threadpool(_facilitator_viewer, request, session_id, "console", v)
    return stream_response(request, viewer, last_event_id=parse_last_event_id(last_event_id_header, last_event_id_query),
                           still_allowed=facilitator_login_current(request))


@router.get("/s/{session_id}/stream")
async def phone_stream(
    session_id: Id, request: Request, v: str | None = None,
    last_event_id_query: str | None = Query(None, alias="last_event_id"),
    last_event_id_header: str | None = Header(None, alias="Last-Event-ID"),
):
    viewer = await run_in_threadpool(_phone_viewer, request, session_id, v)
    return stream_response(request, viewer, last_event_id=parse_last_event_id(last_event_id_header, last_event_id_query))
