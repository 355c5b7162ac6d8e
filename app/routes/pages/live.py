"""Live HTML streams of the board, the console and the phone (see app/realtime/html_stream.py).

Same feed, broker, replay limit and reconnect rules as the JSON stream in
``app.routes.api_live``; only the rendering differs. ``?v=`` is the page's
``screens.page_version``: a snapshot for an out-of-date page becomes a reload.
"""

from __future__ import annotations

from fastapi import APIRouter, Header, Query, Request
from starlette.concurrency import run_in_threadpool

from app.i18n import locale_from_request
from app.realtime.html_stream import stream_response
from app.realtime.viewer import Screen, Viewer, variant_for
from app.routes.api_live import parse_last_event_id
from app.routes.api_params import Id
from app.routes.stream_access import facilitator_still_watching, watcher
from app.services import sessions

router = APIRouter()


def _viewer(request: Request, session_id: int, screen: Screen, version: str | None) -> Viewer:
    """This screen's viewer, if the caller may follow the session on it
    (``app.routes.stream_access``)."""
    with request.app.state.sessions() as db:
        session, audience = watcher(request, db, session_id, screen)
        return Viewer(
            screen=screen,
            session_id=session.id,
            locale=locale_from_request(request),
            participant_id=audience.participant_id,
            page_version=version,
            variant=variant_for(
                screen, sessions.public(session), focus=(session.focus_group_id, session.focus_idea_id)
            ),
        )


@router.get("/board/{session_id}/stream")
async def board_stream(
    session_id: Id,
    request: Request,
    v: str | None = None,
    last_event_id_query: str | None = Query(None, alias="last_event_id"),
    last_event_id_header: str | None = Header(None, alias="Last-Event-ID"),
):
    viewer = await run_in_threadpool(_viewer, request, session_id, "board", v)
    return stream_response(
        request,
        viewer,
        last_event_id=parse_last_event_id(last_event_id_header, last_event_id_query),
        still_allowed=facilitator_still_watching(request, session_id),
    )


@router.get("/console/sessions/{session_id}/stream")
async def console_stream(
    session_id: Id,
    request: Request,
    v: str | None = None,
    last_event_id_query: str | None = Query(None, alias="last_event_id"),
    last_event_id_header: str | None = Header(None, alias="Last-Event-ID"),
):
    viewer = await run_in_threadpool(_viewer, request, session_id, "console", v)
    return stream_response(
        request,
        viewer,
        last_event_id=parse_last_event_id(last_event_id_header, last_event_id_query),
        still_allowed=facilitator_still_watching(request, session_id),
    )


@router.get("/s/{session_id}/stream")
async def phone_stream(
    session_id: Id,
    request: Request,
    v: str | None = None,
    last_event_id_query: str | None = Query(None, alias="last_event_id"),
    last_event_id_header: str | None = Header(None, alias="Last-Event-ID"),
):
    viewer = await run_in_threadpool(_viewer, request, session_id, "phone", v)
    return stream_response(
        request, viewer, last_event_id=parse_last_event_id(last_event_id_header, last_event_id_query)
    )
