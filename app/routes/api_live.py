"""Board state and the live event stream (JSON), for facilitators and participants."""

from __future__ import annotations

import json

from fastapi import APIRouter, Header, Query, Request
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from app.deps import DbDep
from app.realtime.feed import EventRecord
from app.realtime.stream import session_event_response
from app.routes.api_params import Id
from app.routes.api_responses import errors
from app.routes.stream_access import facilitator_still_watching, watcher
from app.schemas import BoardOut, IdeaListOut
from app.services import board as board_service
from app.services import idea_list, sessions

router = APIRouter(prefix="/api/v1", tags=["live"], responses=errors(401, 403, 404))


@router.get("/sessions/{session_id}/board", response_model=BoardOut)
def get_board(session_id: Id, db: DbDep, request: Request) -> dict:
    session, audience = watcher(request, db, session_id, "json")
    db.rollback()  # start a fresh, consistent read below
    return board_service.snapshot(
        request.app.state.sessions,
        session_id=session.id,
        audience=audience,
        public_url=request.app.state.settings.public_url,
    )


@router.get("/sessions/{session_id}/ideas", response_model=IdeaListOut, responses=errors(422))
def list_ideas(
    session_id: Id,
    db: DbDep,
    request: Request,
    dimension: str | None = Query(
        default=None, max_length=40, description="A dimension's code, or `none` for ideas without one"
    ),
    q: str | None = Query(default=None, max_length=idea_list.QUERY_MAX_LENGTH, description="Words the idea contains"),
) -> dict:
    """Every idea the caller may see, oldest first, trimmed as on the board: a
    participant gets no hidden idea and no author while the session is anonymous
    (except on their own ideas, marked `mine`); the facilitator gets everything.
    Each idea carries its `group_id`. `dimension` and `q` (any case) narrow it."""
    session, audience = watcher(request, db, session_id, "json")
    return {"ideas": idea_list.visible(db, session=session, audience=audience, dimension=dimension, words=q)}


def parse_last_event_id(header: str | None, query: str | None) -> int | None:
    """The browser's own ``Last-Event-ID`` header wins over the query (it is newer)."""
    for raw in (header, query):
        if raw is not None and raw.strip().lstrip("-").isdigit():
            return int(raw.strip())
    return None


@router.get(
    "/sessions/{session_id}/events",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}},
)
async def session_events(
    session_id: Id,
    request: Request,
    last_event_id_query: str | None = Query(None, alias="last_event_id"),
    last_event_id_header: str | None = Header(None, alias="Last-Event-ID"),
):
    """Every change as ``id: seq``, ``event: type``, ``data: JSON``; replays from
    ``Last-Event-ID`` (or ``?last_event_id=``), or starts with ``event: snapshot``
    (the board JSON) when the id is missing or too old. A facilitator's stream ends
    with ``event: end`` (``{"reason": "login_ended"}``) within a heartbeat of a
    logout: reconnecting with that token gets 401."""
    state = request.app.state

    last_event_id = parse_last_event_id(last_event_id_header, last_event_id_query)

    def authorise():
        with state.sessions() as db:
            session, audience = watcher(request, db, session_id, "json")
            current = sessions.public(session)
            if last_event_id is not None and 0 < last_event_id <= session.last_seq:
                # A replay starts where the client left off, with the settings of then.
                return audience, board_service.session_state_at(db, session_id, last_event_id) or current
            return audience, current

    audience, session_state = await run_in_threadpool(authorise)
    public_url = state.settings.public_url
    # Follows anonymity, phase and live_votes as events stream by (tallies and authors
    # shown depend on them); a snapshot resets it.
    view = board_service.EventView.for_session(audience, session_state)

    async def snapshot() -> tuple[int, str]:
        data = await run_in_threadpool(
            board_service.snapshot, state.sessions, session_id=session_id, audience=audience, public_url=public_url
        )
        view.reset(data)
        return data["last_seq"], json.dumps(data, ensure_ascii=False)

    cache = state.rendered_events

    def render(record: EventRecord) -> tuple[str, str]:
        # 1,000 phones woken by one event: trimmed and serialised once per distinct
        # rendering (facilitator, projector, uninvolved phone, each involved phone).
        view.follow(record.type, record.payload)
        # ``version``: an event read again after an erasure rewrote it is rendered again.
        key = (session_id, record.seq, record.version, board_service.render_key(record.type, record.payload, audience))
        data = cache.get(key)
        if data is None:
            payload = view.trimmed(record.type, record.payload)
            data = json.dumps({"seq": record.seq, **payload}, ensure_ascii=False)
            cache[key] = data
        return record.type, data

    return session_event_response(
        state,
        session_id=session_id,
        last_event_id=last_event_id,
        snapshot=snapshot,
        render=render,
        # A facilitator's stream ends with their login or their place in the team
        # (``event: end``); a phone's removal reaches it as an event.
        still_allowed=facilitator_still_watching(request, session_id) if audience.facilitator else None,
    )
