"""The live HTML stream: the same event log as the JSON stream, rendered as DOM operations.

Each SSE message is ``event: ops`` (or ``snapshot``) with data
``{"seq": N, "ops": [...]}``; ``app/static/live.js`` applies the ops (its header
documents them). Three screens follow a session; what each does with an event is
the rendering its type names for that screen (``EventType.live`` in
``app.services.event_types``), drawn by the screen's module:

- ``board`` (``live_board``): the projector. Idea cards while ideas come in, group
  cards in the group phases, the results (any later change reloads them), the
  commitment's list and signatures, the word cloud and the idea wall, the timer.
- ``console`` (``live_console``): the facilitator's moderation table (hidden ideas
  and authors too), the same group cards with live tallies and means, the timer and
  the remote panel.
- ``phone`` (``live_phone``): one participant. Their own ideas, the groups when they
  may group, their dots, ratings and signature, the timer, the lock, the focus.

Everything is rendered from the event alone (no database read here).

With 500 phones an event must not be rendered 500 times: the ops of one event for
one screen are rendered once and kept in a small LRU keyed by
``(session, seq, screen, locale, variant)``. ``variant`` holds the session state a
fragment depends on (phase, ``anonymous``, ``live_votes``, the vote budget …), so a
cached render is always a pure function of its key. What only the event's owner
sees is not kept (``Rendered``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from app.domain import (
    DEFAULT_QUICK_WIN_THRESHOLD,
    HORIZON_LABELS,
    QUADRANT_LABELS,
    SCORE_MAX,
    SCORE_MIN,
    SWOT_LABELS,
    BoardView,
)
from app.domain import ROMAN_NUMERALS as ROMAN
from app.i18n import jinja_callables
from app.realtime import live_board, live_console, live_phone, room_ops, screens
from app.realtime.feed import EventRecord
from app.realtime.gate import QuietRange
from app.realtime.group_cards import card_context
from app.realtime.lru import Lru
from app.realtime.sse import LiveStreamResponse
from app.realtime.stream import END_DATA, StillAllowed, session_event_response
from app.realtime.viewer import VARIANT_EVENTS, Op, Viewer, track_settings, variant_for
from app.services import event_types
from app.services.event_types import Fragment
from app.services.timer import iso_ms, now_ms

CACHE_SIZE = 4096
RELOAD: list[Op] = [{"op": "reload"}]


@dataclass(frozen=True)
class Rendered:
    """One event's ops for one screen, as the inside of a JSON array (``""`` when
    none): everyone but ``owner`` (a participant id; None: nobody) gets
    ``for_others``. Kept as text so a connection only joins strings: a burst of
    events becomes one message without re-encoding.

    The owner's own ops (their idea card with its edit form, ~10 KB; their dots) are
    not kept: one phone needs them, once, and kept for every event they were most
    of this cache's memory, which grew with every idea of a brainstorm
    (bench/soak.py). The owner's stream renders them when it gets there."""

    owner: int | None
    for_others: str


# The masterplan vocabulary of the board and phone fragments. Fragments also render
# outside a request (here), where context processors do not run, so like
# ``app.routes.pages.TEMPLATE_GLOBALS`` these are template globals.
LIVE_GLOBALS = {
    "SWOT_LABELS": SWOT_LABELS,
    "QUADRANT_LABELS": QUADRANT_LABELS,
    "HORIZON_LABELS": HORIZON_LABELS,
    "ROMAN": ROMAN,
    "SCORE_VALUES": tuple(range(SCORE_MIN, SCORE_MAX + 1)),
}


def _cache_key(record: EventRecord, viewer: Viewer) -> tuple:
    # ``version``: an event read again after an erasure rewrote it is rendered again.
    return (record.session_id, record.seq, record.version, viewer.screen, viewer.locale, viewer.variant_key())


def forget_session(cache: Lru, session_id: int) -> None:
    """Drop every entry of a cache keyed ``(session_id, …)`` (called on the event loop,
    where the streams use these caches)."""
    for key in [key for key in list(cache.keys()) if key[0] == session_id]:
        cache.pop(key, None)


class LiveHtml:
    """Renders fragments for live updates and remembers each event's rendering."""

    def __init__(
        self,
        templates: Jinja2Templates,
        cache_size: int = CACHE_SIZE,
        reload_window: Callable[[int], int] | None = None,
    ) -> None:
        """``reload_window``: the window (ms) a session's phones reload within when they
        all get a reload at once (``live_phone.spread_reload``); None: at once."""
        self.templates = templates
        self.reload_window = reload_window
        for name, value in LIVE_GLOBALS.items():
            templates.env.globals.setdefault(name, value)
        self._cache: Lru[tuple, Rendered] = Lru(maxsize=cache_size)
        self.renders = 0  # how many events were rendered (tests check the cache works)

    def forget(self, session_id: int) -> None:
        """Drop a deleted session's renderings: SQLite may give its id to the next
        session, whose events must never be answered from the old ones'."""
        forget_session(self._cache, session_id)

    def fragment(self, name: str, locale: str, **context: Any) -> str:
        template = self.templates.get_template(f"fragments/{name}")
        return template.render({**jinja_callables(locale), "locale": locale, **context})

    # --- events ---------------------------------------------------------------------
    def message(self, record: EventRecord, viewer: Viewer) -> str:
        return _message(record.seq, self.ops_json(record, viewer))

    def batch(
        self, records: list[EventRecord], viewer: Viewer, quiet: QuietRange | None = None
    ) -> list[tuple[str | None, str, int]]:
        """A burst of events as one message: their ops in order (a later text op for a
        tally overwrites an earlier one on the page), with the burst's last seq. When
        the burst changes nothing on this screen (others' ideas on a phone, votes with
        hidden tallies) the message has no ops and no name: the stream may hold it
        back a moment (``gate.QUIET_SECONDS``); it still goes out, so the page's seq
        stays current and a reconnect replays little. live.js keeps the newest seq.
        ``quiet``: what the live gate found to show nothing on this screen's audience
        (``app.realtime.gate``), skipped while the screen is still that audience."""
        parts = []
        key = None
        for record in records:
            track_settings(viewer, record)
            if record.type in VARIANT_EVENTS:
                key = None
            elif quiet is not None:
                key = key or viewer.audience_key()
                if quiet.covers(record.seq, key, viewer.participant_id):
                    continue
            ops = self.ops_json(record, viewer)
            if ops:
                parts.append(ops)
        last = records[-1].seq
        return [("ops" if parts else None, _message(last, ",".join(parts)), last)]

    def shows(self, records: list[EventRecord], viewer: Viewer) -> tuple[bool, dict[int, int]]:
        """Of ``records``, for every screen with the viewer's audience key (``app.realtime.gate``
        asks once per audience, not per phone): whether they change something on all
        of them, and which of them change only their owner's screen (seq → participant:
        their own idea, their own dot). An event that moves the viewer's variant counts
        for all: what follows it is judged again by each stream itself."""
        owners: dict[int, int] = {}
        for record in records:
            if record.type in VARIANT_EVENTS:
                return True, owners
            rendered = self._rendered(record, viewer)
            if rendered.for_others:
                return True, owners
            if rendered.owner is not None:
                owners[record.seq] = rendered.owner
        return False, owners

    def _rendered(self, record: EventRecord, viewer: Viewer) -> Rendered:
        """What everyone but the event's owner gets, from the cache or rendered now."""
        key = _cache_key(record, viewer)
        rendered = self._cache.get(key)
        if rendered is None:
            self.renders += 1
            owner, _own, shared = self.screen_ops(record, viewer)
            rendered = self._cache[key] = Rendered(owner, _ops_json(shared))
        return rendered

    def ops_json(self, record: EventRecord, viewer: Viewer) -> str:
        key = _cache_key(record, viewer)
        rendered = self._cache.get(key)
        if rendered is not None and (rendered.owner is None or rendered.owner != viewer.participant_id):
            return rendered.for_others
        # Not rendered yet, or this viewer is the owner: render (both parts, for a phone).
        self.renders += 1
        owner, own, shared = self.screen_ops(record, viewer)
        rendered, mine = Rendered(owner, _ops_json(shared)), _ops_json(own + shared) if own else None
        if key not in self._cache:
            self._cache[key] = rendered
        if mine is not None and rendered.owner == viewer.participant_id:
            return mine
        return rendered.for_others

    def screen_ops(self, record: EventRecord, viewer: Viewer) -> tuple[int | None, list[Op], list[Op]]:
        """(owner, ops only the owner gets, ops everyone gets) of one event for one
        screen: its rendering for the screen (``EventType.live``, from the registry of
        event types) by the screen's module, or a declared ``Fragment``."""
        rendering = getattr(event_types.get(record.type).live, viewer.screen)
        if rendering is None:
            return None, [], []
        if isinstance(rendering, Fragment):
            return None, [], self.fragment_ops(rendering, record, viewer)
        if viewer.screen == "phone":
            owner, own, shared = live_phone.ops(self.fragment, record, viewer, rendering)
            if self.reload_window is not None:
                shared = live_phone.spread_reload(shared, self.reload_window(record.session_id))
            return owner, own, shared
        module = live_board if viewer.screen == "board" else live_console
        return None, [], module.ops(self.fragment, record, viewer, rendering)

    def fragment_ops(self, rendering: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
        """An event type that only shows a template: its payload trimmed for this
        screen's audience, rendered into the declared element."""
        variant = viewer.variant
        moment = event_types.Moment(
            viewer.audience,
            anonymous=variant.get("anonymous", True),
            phase=viewer.phase,
            live_votes=bool(variant.get("live_votes")),
            threshold=variant.get("quick_win_threshold") or DEFAULT_QUICK_WIN_THRESHOLD,
        )
        event = event_types.get(record.type).trim(record.payload, moment)
        html = self.fragment(rendering.template, viewer.locale, **event, event=event, session_id=record.session_id)
        if rendering.op == "upsert":
            return [
                {
                    "op": "upsert",
                    "id": (rendering.id or "{id}").format(**event),
                    "into": f"#{rendering.target}",
                    "html": html,
                }
            ]
        return [{"op": "html", "id": rendering.target, "html": html}]

    # --- snapshots ------------------------------------------------------------------
    def snapshot(self, sessions, viewer: Viewer, public_url: str) -> tuple[int, str]:
        """The whole live region of a screen, read consistently (runs in a worker thread).

        If the session changed in a way the page itself shows (phase, prompt, …) the
        page is out of date beyond its live region: then the snapshot is a reload."""
        with screens.consistent_read(sessions) as db:
            if viewer.screen == "board":
                state = screens.board_screen(db, session_id=viewer.session_id, public_url=public_url)
            elif viewer.screen == "console":
                state = screens.console_screen(db, session_id=viewer.session_id, public_url=public_url)
            else:
                if viewer.participant_id is None:
                    raise RuntimeError("a phone's stream always has its participant")
                state = screens.phone_screen(db, session_id=viewer.session_id, participant_id=viewer.participant_id)
        board = viewer.screen == "board"
        version = screens.board_version(state) if board else screens.page_version(state["session"])
        if version != viewer.page_version:
            return state["last_seq"], _dump(state["last_seq"], RELOAD)
        focus = (state["focus"]["group_id"], state["focus"]["idea_id"])
        viewer.variant.update(variant_for(viewer.screen, state["session"], focus=focus))
        if board and (state["focus_view"] or state["board_hidden"] or state["board_view"] != BoardView.columns.value):
            return state["last_seq"], _dump(state["last_seq"], RELOAD)  # rendered whole by the page
        ops = self._region_ops(viewer, state)
        ops += self._room_ops(viewer, state)
        ops.append({"op": "text", "id": "participant-count", "text": str(state["participant_count"])})
        return state["last_seq"], _dump(state["last_seq"], ops)

    def _room_ops(self, viewer: Viewer, state: dict[str, Any]) -> list[Op]:
        """The timer, the locks and the focus as they are now (missed events included)."""
        ops = room_ops.timer_ops(state["timer"])
        if viewer.screen == "phone":
            ops += room_ops.lock_ops(state["session"])
            ops.append(room_ops.focus_banner_op(self.fragment, state["focus"], viewer.locale))
        elif viewer.screen == "console":
            ops.append(room_ops.ROOM_CHANGED)
        return ops

    def _region_ops(self, viewer: Viewer, state: dict[str, Any]) -> list[Op]:
        locale, view = viewer.locale, state["view"]
        if view == "results":
            return []  # rendered by the page; any change since is a reload
        if viewer.screen == "phone":
            if view in ("vote", "commitment"):
                return []  # the ballot changes by reload only; dots, totals and the signature by events
            session = state["session"]
            ops = [
                {
                    "op": "html",
                    "id": "my-ideas",
                    "html": self.fragment(
                        "_my_ideas.html",
                        locale,
                        ideas=state["my_ideas"],
                        session_id=viewer.session_id,
                        idea_max_length=session["idea_max_length"],
                        layout=session["layout"],
                    ),
                }
            ]
            if view == "score":
                ops.append(
                    {
                        "op": "html",
                        "id": "score-list",
                        "html": self.fragment(
                            "_score_list.html",
                            locale,
                            score_columns=state["score_columns"],
                            session=session,
                            session_id=viewer.session_id,
                        ),
                    }
                )
        elif viewer.screen == "console":
            ops = [
                {
                    "op": "html",
                    "id": "moderation-rows",
                    "html": self.fragment(
                        "_moderation_rows.html", locale, ideas=state["ideas"], session_id=viewer.session_id
                    ),
                },
                {"op": "html", "id": "held-rows", "html": self.fragment("_held_rows.html", locale, held=state["held"])},
            ]
        else:
            ops = []
            if view == "ideas":
                template = "_swot_board.html" if state["by"] == "swot" else "_board_columns.html"
                ops.append(
                    {
                        "op": "html",
                        "id": "board-body",
                        "html": self.fragment(template, locale, columns=state["columns"]),
                    }
                )
            elif view == "commitment":
                ops.append(
                    {
                        "op": "html",
                        "id": "signatures",
                        "html": self.fragment(
                            "_commitment_rows.html", locale, signatures=state["commitment"]["signatures"]
                        ),
                    }
                )
        if view == "groups":
            ctx = card_context(viewer.screen, viewer.session_id, viewer.variant)
            template = "_swot_groups.html" if ctx.by == "swot" else "_group_columns.html"
            ops.append(
                {
                    "op": "html",
                    "id": "group-columns",
                    "html": self.fragment(template, locale, group_columns=state["group_columns"], **ctx.as_context()),
                }
            )
        return ops


def _dump(seq: int, ops: list[Op]) -> str:
    return _message(seq, _ops_json(ops))


def _ops_json(ops: list[Op]) -> str:
    """Ops as the inside of a JSON array ("" for none)."""
    return json.dumps(ops, ensure_ascii=False)[1:-1]


def _message(seq: int, ops_json: str) -> str:
    return f'{{"seq": {seq}, "ops": [{ops_json}]}}'


def stream_response(
    request: Request,
    viewer: Viewer,
    *,
    last_event_id: int | None,
    still_allowed: StillAllowed | None = None,
    end_data: str = END_DATA,
) -> LiveStreamResponse:
    """Follow the session for one screen, as ``app.routes.api_live`` does for JSON;
    ``still_allowed``: see ``app.realtime.stream.follow_session``."""
    state = request.app.state
    live: LiveHtml = state.live_html
    public_url = state.settings.public_url

    async def snapshot() -> tuple[int, str]:
        return await run_in_threadpool(live.snapshot, state.sessions, viewer, public_url)

    def render(record: EventRecord) -> tuple[str, str]:
        track_settings(viewer, record)
        return "ops", live.message(record, viewer)

    gates = state.gates

    def render_batch(records: list[EventRecord]) -> list[tuple[str | None, str, int]]:
        # Only the phones are gated; what their gate found quiet they need not render.
        quiet = gates.quiet(viewer.session_id, viewer.audience_key()) if viewer.screen == "phone" else None
        return live.batch(records, viewer, quiet)

    return session_event_response(
        state,
        session_id=viewer.session_id,
        last_event_id=last_event_id,
        snapshot=snapshot,
        render=render,
        render_batch=render_batch,
        still_allowed=still_allowed,
        clock=server_clock,
        end_data=end_data,
        # The phones (hundreds) are woken only for what they show; a board or a
        # console shows nearly every event anyway.
        watcher=viewer if viewer.screen == "phone" else None,
        shows=live.shows,
    )


def server_clock() -> str:
    """The first message of a page's stream: ``{"now": ISO ms}`` (``timer.js``)."""
    return json.dumps({"now": iso_ms(now_ms())})
