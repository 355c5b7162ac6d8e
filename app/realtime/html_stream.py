"""The live HTML stream: the same event log as the JSON stream, rendered as DOM operations.

Each SSE message is ``event: ops`` (or ``snapshot``) with data
``{"seq": N, "ops": [...]}``; ``app/static/live.js`` applies the ops (its header
documents them). Three screens follow a session:

- ``board``: the projector. Ideas as cards in ``#col-<dimension|none>``, the
  participant count; a phase or settings change reloads the page.
- ``console``: the facilitator's moderation table (hidden ideas and authors too).
- ``phone``: one participant. Only their own ideas change on their screen (a hide
  by the facilitator, an idea or edit from another tab); a phase change reloads;
  every other event is an empty op list that still advances the phone's seq.

With 500 phones an event must not be rendered 500 times: the ops of one event for
one screen are rendered once and kept in a small LRU keyed by
``(session, seq, screen, locale, variant)``. ``variant`` holds the session
settings a fragment depends on (``anonymous`` on the board, ``idea_max_length`` on
the phone), so a cached render is always a pure function of its key.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi.templating import Jinja2Templates
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from app.i18n import jinja_callables
from app.realtime import screens
from app.realtime.feed import EventRecord
from app.realtime.stream import follow_session
from app.services.board import FACILITATOR, trim_idea

Screen = Literal["board", "console", "phone"]
Op = dict[str, Any]

CACHE_SIZE = 4096
RELOAD: list[Op] = [{"op": "reload"}]
IDEA_EVENTS = ("idea.created", "idea.updated", "idea.hidden")


@dataclass
class Viewer:
    """One connected screen. ``variant`` is updated from ``session.updated`` events."""

    screen: Screen
    session_id: int
    locale: str
    participant_id: int | None = None
    page_version: str | None = None  # ``screens.page_version`` of the session the page showed
    variant: dict[str, Any] = field(default_factory=dict)

    def variant_key(self) -> tuple:
        return tuple(sorted(self.variant.items()))


@dataclass(frozen=True)
class Rendered:
    """One event's message for one screen: ``owner`` (a participant id) gets
    ``for_owner``, everyone else ``for_others``; ``owner=None`` means all alike."""

    owner: int | None
    for_owner: str
    for_others: str


class LiveHtml:
    """Renders fragments for live updates and remembers each event's rendering."""

    def __init__(self, templates: Jinja2Templates, cache_size: int = CACHE_SIZE) -> None:
        self.templates = templates
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple, Rendered] = OrderedDict()
        self.renders = 0  # how many events were rendered (tests check the cache works)

    def fragment(self, name: str, locale: str, **context: Any) -> str:
        template = self.templates.get_template(f"fragments/{name}")
        return template.render({**jinja_callables(locale), "locale": locale, **context})

    # --- events ---------------------------------------------------------------------
    def message(self, record: EventRecord, viewer: Viewer) -> str:
        key = (record.session_id, record.seq, viewer.screen, viewer.locale, viewer.variant_key())
        rendered = self._cache.get(key)
        if rendered is None:
            rendered = self._render(record, viewer)
            self._cache[key] = rendered
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        if rendered.owner is not None and rendered.owner == viewer.participant_id:
            return rendered.for_owner
        return rendered.for_others

    def _render(self, record: EventRecord, viewer: Viewer) -> Rendered:
        self.renders += 1
        owner, ops = None, []
        if viewer.screen == "board":
            ops = self.board_ops(record, viewer)
        elif viewer.screen == "console":
            ops = self.console_ops(record, viewer)
        else:
            owner, ops = self.phone_ops(record, viewer)
        for_owner = _dump(record.seq, ops)
        return Rendered(owner, for_owner, _dump(record.seq, []) if owner is not None else for_owner)

    def board_ops(self, record: EventRecord, viewer: Viewer) -> list[Op]:
        kind, payload = record.type, record.payload
        if kind in IDEA_EVENTS:
            idea = trim_idea(payload["idea"], audience=screens.PROJECTOR, anonymous=viewer.variant["anonymous"])
            if idea is None:  # hidden: the projector is public
                return [{"op": "remove", "id": f"idea-{payload['idea']['id']}"}]
            html = self.fragment("_idea_card.html", viewer.locale, idea=idea)
            return [{"op": "upsert", "id": f"idea-{idea['id']}", "into": f"#col-{screens.column_of(idea)}", "html": html}]
        if kind == "idea.deleted":
            return [{"op": "remove", "id": f"idea-{payload['idea_id']}"}]
        if kind == "participant.joined":
            return [{"op": "text", "id": "participant-count", "text": str(payload["participant_count"])}]
        if kind in ("session.phase_changed", "session.updated"):
            return RELOAD
        return []

    def console_ops(self, record: EventRecord, viewer: Viewer) -> list[Op]:
        kind, payload = record.type, record.payload
        if kind in IDEA_EVENTS:
            idea = trim_idea(payload["idea"], audience=FACILITATOR, anonymous=True)
            html = self.fragment("_moderation_row.html", viewer.locale, idea=idea)
            return [{"op": "upsert", "id": f"mod-idea-{idea['id']}", "into": "#moderation-rows", "html": html}]
        if kind == "idea.deleted":
            return [{"op": "remove", "id": f"mod-idea-{payload['idea_id']}"}]
        if kind == "participant.joined":
            return [{"op": "text", "id": "participant-count", "text": str(payload["participant_count"])}]
        if kind in ("session.phase_changed", "session.updated"):
            return RELOAD
        return []

    def phone_ops(self, record: EventRecord, viewer: Viewer) -> tuple[int | None, list[Op]]:
        kind, payload = record.type, record.payload
        if kind in IDEA_EVENTS:
            # The author's own idea, also when it was sent from another tab. The answer
            # to an htmx submit replaces the whole list, so the two never duplicate it.
            idea = payload["idea"]
            html = self.fragment(
                "_my_idea.html", viewer.locale, idea=idea, session_id=record.session_id,
                idea_max_length=viewer.variant["idea_max_length"],
            )
            return idea["participant_id"], [{"op": "upsert", "id": f"my-idea-{idea['id']}", "into": "#my-ideas", "html": html}]
        if kind == "idea.deleted":
            # The payload has no author; removing a missing element is a no-op elsewhere.
            return None, [{"op": "remove", "id": f"my-idea-{payload['idea_id']}"}]
        if kind == "session.phase_changed":
            return None, RELOAD
        if kind == "session.updated":
            # No reload: it would throw away an idea being typed.
            session = payload["session"]
            return None, [
                {"op": "text", "id": "session-title", "text": session["title"]},
                {"op": "text", "id": "session-prompt", "text": session["prompt"]},
                {"op": "attr", "id": "idea-text", "name": "maxlength", "value": session["idea_max_length"]},
            ]
        return None, []

    # --- snapshots ------------------------------------------------------------------
    def snapshot(self, sessions, viewer: Viewer, public_url: str) -> tuple[int, str]:
        """The whole live region of a screen, read consistently (runs in a worker thread).

        If the session changed in a way the page itself shows (phase, prompt, …) the
        page is out of date beyond its live region: then the snapshot is a reload."""
        with screens.consistent_read(sessions) as db:
            if viewer.screen == "board":
                state = screens.board_screen(db, session_id=viewer.session_id, public_url=public_url)
                viewer.variant["anonymous"] = state["session"]["anonymous"]
                html = self.fragment("_board_columns.html", viewer.locale, columns=state["columns"])
                ops = [{"op": "html", "id": "board-body", "html": html}]
            elif viewer.screen == "console":
                state = screens.console_screen(db, session_id=viewer.session_id, public_url=public_url)
                html = self.fragment("_moderation_rows.html", viewer.locale, ideas=state["ideas"])
                ops = [{"op": "html", "id": "moderation-rows", "html": html}]
            else:
                state = screens.phone_screen(db, session_id=viewer.session_id, participant_id=viewer.participant_id)
                max_length = state["session"]["idea_max_length"]
                viewer.variant["idea_max_length"] = max_length
                html = self.fragment(
                    "_my_ideas.html", viewer.locale, ideas=state["my_ideas"], session_id=viewer.session_id,
                    idea_max_length=max_length,
                )
                ops = [{"op": "html", "id": "my-ideas", "html": html}]
        if screens.page_version(state["session"]) != viewer.page_version:
            return state["last_seq"], _dump(state["last_seq"], RELOAD)
        ops.append({"op": "text", "id": "participant-count", "text": str(state["participant_count"])})
        return state["last_seq"], _dump(state["last_seq"], ops)


def _dump(seq: int, ops: list[Op]) -> str:
    return json.dumps({"seq": seq, "ops": ops}, ensure_ascii=False)


def track_settings(viewer: Viewer, record: EventRecord) -> None:
    """Keep the viewer's variant in step with ``session.updated`` events."""
    if record.type == "session.updated":
        session = record.payload["session"]
        for key in viewer.variant:
            viewer.variant[key] = session[key]


def stream_response(request: Request, viewer: Viewer, *, last_event_id: int | None) -> EventSourceResponse:
    """Follow the session for one screen, as ``app.routes.api_live`` does for JSON."""
    state = request.app.state
    live: LiveHtml = state.live_html
    public_url = state.settings.public_url

    async def snapshot() -> tuple[int, str]:
        return await run_in_threadpool(live.snapshot, state.sessions, viewer, public_url)

    def render(record: EventRecord) -> tuple[str, str]:
        track_settings(viewer, record)
        return "ops", live.message(record, viewer)

    stream = follow_session(
        broker=state.broker,
        feed=state.feed,
        session_id=viewer.session_id,
        last_event_id=last_event_id,
        replay_limit=state.settings.sse_replay_limit,
        wait_seconds=state.settings.sse_heartbeat_seconds,
        snapshot=snapshot,
        render=render,
    )
    return EventSourceResponse(
        stream,
        ping=state.settings.sse_heartbeat_seconds,
        send_timeout=30,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
