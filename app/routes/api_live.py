"""Board state and the live event stream (JSON), for facilitators and participants."""

from __future__ import annotations

import json

from fastapi import APIRouter, Header, Query, Request
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from app.deps import DbDep
from app.realtime.feed import EventRecord
from app.realtime.stream import burst, session_event_response
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


class SharedBurst:
    """One batch of events as every uninvolved screen of an audience receives it."""

    __slots__ = ("data", "first", "last", "moves", "people", "versions")

    def __init__(self, records: list[EventRecord], people: frozenset[int], moves: tuple, data: bytes) -> None:
        self.first, self.last = records[0], records[-1]
        self.versions = tuple(record.version for record in records)
        self.people, self.moves, self.data = people, moves, data

    def holds(self, records: list[EventRecord]) -> bool:
        """The same events: the feed's very objects, or (read again) the same versions
        (an erasure rewrites a payload, and its version with it)."""
        if records[0] is self.first and records[-1] is self.last:
            return True
        return tuple(record.version for record in records) == self.versions


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
    me = None if audience.facilitator else audience.participant_id
    # Every phone the batch does not involve (and every projector, every facilitator)
    # at the same place in the log reads the same bytes.
    shared = "facilitator" if audience.facilitator else "projector" if me is None else "phone"

    def people(record: EventRecord) -> frozenset[int]:
        """Its ``involved`` participants, worked out once per event, not per phone."""
        key = (session_id, record.seq, record.version, None)
        found = cache.get(key)
        if found is None:
            found = cache[key] = frozenset(board_service.involved(record.type, record.payload))
        return found

    def render(record: EventRecord) -> tuple[str, str]:
        # 1,000 phones woken by one event: trimmed and serialised once per distinct
        # rendering (facilitator, projector, uninvolved phone, each involved phone).
        view.follow(record.type, record.payload)
        # ``version``: an event read again after an erasure rewrote it is rendered again.
        involved = people(record) if me is not None else None  # (a phone's own: only phones ask)
        who = board_service.render_key(record.type, record.payload, audience, involved)
        key = (session_id, record.seq, record.version, who)
        data = cache.get(key)
        if data is None:
            payload = view.trimmed(record.type, record.payload)
            data = json.dumps({"seq": record.seq, **payload}, ensure_ascii=False)
            cache[key] = data
        return record.type, data

    def render_burst(records: list[EventRecord]) -> bytes:
        # 500 phones woken by the same tick's events read the same batch: its bytes, the
        # people it involves and the events that move a screen's settings are worked
        # out by the first; the others look them up once and only follow the settings.
        key = (session_id, records[0].seq, records[-1].seq, shared)
        found: SharedBurst | None = cache.get(key)
        if found is None or not found.holds(records):
            who = frozenset().union(*(people(record) for record in records)) if me is not None else frozenset()
            if me in who:
                return burst(records, render)
            moves = tuple(record for record in records if record.type in board_service.SESSION_STATE_EVENTS)
            found = cache[key] = SharedBurst(records, who, moves, burst(records, render))
            return found.data
        if me in found.people:
            return burst(records, render)
        for record in found.moves:
            view.follow(record.type, record.payload)
        return found.data

    return session_event_response(
        state,
        session_id=session_id,
        last_event_id=last_event_id,
        snapshot=snapshot,
        render=render,
        render_burst=render_burst,
        # A facilitator's stream ends with their login or their place in the team
        # (``event: end``); a phone's removal reaches it as an event.
        still_allowed=facilitator_still_watching(request, session_id) if audience.facilitator else None,
    )
