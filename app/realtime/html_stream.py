"""The live HTML stream: the same event log as the JSON stream, rendered as DOM operations.

Each SSE message is ``event: ops`` (or ``snapshot``) with data
``{"seq": N, "ops": [...]}``; ``app/static/live.js`` applies the ops (its header
documents them). Three screens follow a session, and what their live region shows
depends on the phase (``screens.view_of``):

- ``board``: the projector. While ideas come in, idea cards in
  ``#col-<dimension|none>`` (on a SWOT session ``#col-<quadrant|none>``); in group,
  vote and score, group cards (``#group-<id>``) in ``#gcol-<column>`` holding their
  ideas (``#gidea-<id>``), with their lineage and, where they may be seen, their
  rating means; from results on the ranking and the impact × feasibility matrix,
  which any later change reloads (changes are rare by then). While the commitment is
  open: the quick-win list and the signatures (``#sig-<id>`` in ``#signatures``).
- ``console``: the facilitator's moderation table (hidden ideas and authors too)
  and, in group, vote and score, the same group cards with live tallies and means.
- ``phone``: one participant. Their own ideas (a hide by the facilitator, an idea
  or edit from another tab); the groups when they may group; while voting, their
  own dots (only the voter's stream) and the totals where ``live_votes`` shows them;
  while scoring, their own ratings; while the commitment is open, their signature.
  A change to the groups during the vote or the scoring reloads the list.

Group cards are rendered from the event alone (``app.realtime.group_cards``): nothing
here reads the database.

With 500 phones an event must not be rendered 500 times: the ops of one event for
one screen are rendered once and kept in a small LRU keyed by
``(session, seq, screen, locale, variant)``. ``variant`` holds the session state a
fragment depends on (phase, ``anonymous``, ``live_votes``, the vote budget …), so a
cached render is always a pure function of its key. A vote's ops are one text op per
group (plus the voter's own dots), so coalescing tally updates later is a matter of
keeping the last op per group.
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

from app.domain import (
    HORIZON_LABELS,
    BoardView,
    QUADRANT_LABELS,
    SCORE_MAX,
    SCORE_MIN,
    SWOT_LABELS,
    Phase,
)
from app.i18n import jinja_callables
from app.realtime import masterplan_ops, room_ops, screens
from app.realtime.feed import EventRecord
from app.realtime.group_cards import IDEA_EVENTS, VOTE_EVENTS, card_context, group_ops
from app.realtime.stream import StillAllowed, session_event_response
from app.services.board import FACILITATOR, trim_idea
from app.services.lineage import ROMAN
from app.services.tallies import votes_visible
from app.services.timer import iso_ms, now_ms

Screen = Literal["board", "console", "phone"]
Op = dict[str, Any]

CACHE_SIZE = 4096
RELOAD: list[Op] = [{"op": "reload"}]
# Events that change the groups themselves (which, their titles, ideas, lineage).
GROUP_CHANGES = (*IDEA_EVENTS, "idea.deleted", "idea.moved", "group.updated", "groups.imported")
# ... and with their tallies and ratings: what the results are made of.
GROUP_EVENTS = (*GROUP_CHANGES, *VOTE_EVENTS, *masterplan_ops.SCORE_EVENTS)
SESSION_EVENTS = ("session.phase_changed", "session.updated")
# What can change the final quick-win list shown while the commitment is open.
QUICK_WIN_CHANGES = ("group.updated", "idea.moved", "groups.imported", "idea.hidden", "idea.deleted")

# Phone variant: what a phone fragment depends on (kept in step by track_settings).
PHONE_VARIANT = ("idea_max_length", "phase", "participants_can_group", "live_votes", "vote_budget",
                 "max_votes_per_group", "anonymous", "layout", "quick_win_threshold", "commitment_open",
                 "focus_group", "focus_idea")
# The projector also renders by how the room is run: its view, whether texts are
# hidden, and whether something is in focus (``focused``, kept by track_settings).
BOARD_VARIANT = ("anonymous", "phase", "live_votes", "layout", "quick_win_threshold", "commitment_open",
                 "board_view", "board_hidden", "focused")
CONSOLE_VARIANT = ("phase", "layout", "quick_win_threshold")
VARIANT_KEYS = {"board": BOARD_VARIANT, "console": CONSOLE_VARIANT, "phone": PHONE_VARIANT}


@dataclass
class Viewer:
    """One connected screen. ``variant`` follows ``session.*`` events."""

    screen: Screen
    session_id: int
    locale: str
    participant_id: int | None = None
    page_version: str | None = None  # ``screens.page_version`` of the session the page showed
    variant: dict[str, Any] = field(default_factory=dict)
    _key: tuple = field(default=(), repr=False, compare=False)
    _key_of: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def variant_key(self) -> tuple:
        # Asked once per event per connection (500 phones × every idea): sorting the
        # variant each time was 3 % of the server's CPU in bench/room.py. Comparing
        # two small dicts is cheaper, and stays right whoever changes ``variant``.
        if self._key_of != self.variant:
            self._key_of = dict(self.variant)
            self._key = tuple(sorted(self.variant.items()))
        return self._key

    @property
    def phase(self) -> str:
        return self.variant.get("phase", Phase.brainstorm.value)


def variant_for(screen: Screen, session: dict[str, Any], *, focus: tuple[int | None, int | None] = (None, None),
                ) -> dict[str, Any]:
    """The variant of a screen from a session dict (``sessions.public``); ``focus``:
    the (group, idea) the facilitator focuses on (``app.services.focus``): the
    projector then shows it large, and a phone's banner names it."""
    room = {"focused": focus != (None, None), "focus_group": focus[0], "focus_idea": focus[1]}
    return {key: room[key] if key in room else session[key] for key in VARIANT_KEYS[screen]}


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


class LiveHtml:
    """Renders fragments for live updates and remembers each event's rendering."""

    def __init__(self, templates: Jinja2Templates, cache_size: int = CACHE_SIZE) -> None:
        self.templates = templates
        for name, value in LIVE_GLOBALS.items():
            templates.env.globals.setdefault(name, value)
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple, Rendered] = OrderedDict()
        self.renders = 0  # how many events were rendered (tests check the cache works)

    def fragment(self, name: str, locale: str, **context: Any) -> str:
        template = self.templates.get_template(f"fragments/{name}")
        return template.render({**jinja_callables(locale), "locale": locale, **context})

    # --- events ---------------------------------------------------------------------
    def message(self, record: EventRecord, viewer: Viewer) -> str:
        return _message(record.seq, self.ops_json(record, viewer))

    def batch(self, records: list[EventRecord], viewer: Viewer) -> list[tuple[str | None, str, int]]:
        """A burst of events as one message: their ops in order (a later text op for a
        tally overwrites an earlier one on the page), with the burst's last seq. When
        the burst changes nothing on this screen (others' ideas on a phone, votes with
        hidden tallies) the message has no ops and no name: the stream may hold it
        back a moment (``stream.QUIET_SECONDS``); it still goes out, so the page's seq
        stays current and a reconnect replays little. live.js keeps the newest seq."""
        parts = []
        for record in records:
            track_settings(viewer, record)
            ops = self.ops_json(record, viewer)
            if ops:
                parts.append(ops)
        last = records[-1].seq
        return [("ops" if parts else None, _message(last, ",".join(parts)), last)]

    def ops_json(self, record: EventRecord, viewer: Viewer) -> str:
        key = (record.session_id, record.seq, viewer.screen, viewer.locale, viewer.variant_key())
        rendered = self._cache.get(key)
        if rendered is not None:
            self._cache.move_to_end(key)
            if rendered.owner is None or rendered.owner != viewer.participant_id:
                return rendered.for_others
        # Not rendered yet, or this viewer is the owner: render (both parts, for a phone).
        self.renders += 1
        if viewer.screen == "phone":
            owner, own, shared = self.phone_ops(record, viewer)
            rendered, mine = Rendered(owner, _ops_json(shared)), _ops_json(own + shared) if own else None
        else:
            screen_ops = self.board_ops if viewer.screen == "board" else self.console_ops
            ops = _ops_json(screen_ops(record, viewer))
            rendered, mine = Rendered(None, ops), None
        if key not in self._cache:
            self._cache[key] = rendered
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        if mine is not None and rendered.owner == viewer.participant_id:
            return mine
        return rendered.for_others

    def board_ops(self, record: EventRecord, viewer: Viewer) -> list[Op]:
        kind, payload, variant = record.type, record.payload, viewer.variant
        if kind in ("participant.joined", "participant.removed"):
            return [{"op": "text", "id": "participant-count", "text": str(payload["participant_count"])}]
        if kind in SESSION_EVENTS or kind == "focus.changed":
            return RELOAD  # phase, layout, view, focus …: the page itself changes (board.js keeps fullscreen)
        if kind == "timer.changed":
            return room_ops.timer_ops(payload["timer"])
        if kind == "board.paged":
            return [room_ops.page_turn_op(payload)]
        if (variant.get("focused") or variant.get("board_hidden")) and kind in (*GROUP_EVENTS, "idea.deleted"):
            # The focused group or idea may have changed, or the counts shown instead of
            # the texts: the board reads itself again (at most about once a second).
            return RELOAD
        board_view = variant.get("board_view") or BoardView.columns.value
        if board_view != BoardView.columns.value:
            return self.view_ops(record, viewer, board_view)
        view = screens.board_view(viewer.phase, bool(variant.get("commitment_open")))
        if view == "commitment":
            if kind == "commitment.signed":
                return [masterplan_ops.signature_op(self.fragment, record, viewer.locale)]
            return RELOAD if kind in QUICK_WIN_CHANGES else []
        if view == "results":
            return RELOAD if kind in GROUP_EVENTS else []
        if view == "groups":
            ctx = card_context("board", record.session_id, variant)
            return group_ops(self.fragment, record, viewer.locale, ctx, audience=screens.PROJECTOR,
                             anonymous=variant.get("anonymous", True))
        if kind in (*IDEA_EVENTS, "groups.imported"):
            return masterplan_ops.idea_cards(self.fragment, record, viewer.locale, variant)
        if kind == "idea.deleted":
            return [{"op": "remove", "id": f"idea-{payload['idea_id']}"}]
        return []

    def view_ops(self, record: EventRecord, viewer: Viewer, board_view: str) -> list[Op]:
        """The projector's word cloud and idea wall: the cloud fetches itself again
        (board.js, a few times a minute at most) and the newest idea shows on its
        ticker; the wall gets the idea's card, newest first."""
        kind, payload = record.type, record.payload
        if kind not in (*IDEA_EVENTS, "idea.deleted", "groups.imported"):
            return []
        if board_view == BoardView.cloud.value:
            ops: list[Op] = [{"op": "emit", "event": "cloud"}]
            if kind == "idea.created":
                idea = trim_idea(payload["idea"], audience=screens.PROJECTOR,
                                 anonymous=viewer.variant.get("anonymous", True))
                if idea is not None:
                    ops.append({"op": "html", "id": "ticker", "html": self.fragment(
                        "_ticker.html", viewer.locale, idea=idea)})
            return ops
        if kind == "idea.deleted":
            return [{"op": "remove", "id": f"idea-{payload['idea_id']}"}]
        return masterplan_ops.idea_cards(self.fragment, record, viewer.locale, viewer.variant, into="#wall")

    def console_ops(self, record: EventRecord, viewer: Viewer) -> list[Op]:
        kind, payload = record.type, record.payload
        if kind in ("participant.joined", "participant.removed"):
            return [{"op": "text", "id": "participant-count", "text": str(payload["participant_count"])}]
        if kind in room_ops.ROOM_EVENTS:
            return room_ops.console_ops(kind, payload)
        if kind == "session.updated" and room_ops.room_only(payload):
            return [room_ops.ROOM_CHANGED]
        if kind in SESSION_EVENTS:
            return RELOAD
        view = screens.view_of(viewer.phase)
        if view == "results" and kind in GROUP_EVENTS:
            return RELOAD
        ops: list[Op] = []
        if kind in IDEA_EVENTS:
            ops.append(self._moderation_op(payload["idea"], viewer.locale, record.session_id))
        elif kind == "groups.imported":
            ops += [self._moderation_op(idea, viewer.locale, record.session_id)
                    for entry in payload["groups"] for idea in entry["ideas"]]
        elif kind == "idea.deleted":
            ops.append({"op": "remove", "id": f"mod-idea-{payload['idea_id']}"})
        elif kind == "commitment.signed":
            # Into the console's list of signatures, where its page shows one.
            ops.append(masterplan_ops.signature_op(self.fragment, record, viewer.locale))
        if view == "groups":
            ctx = card_context("console", record.session_id, viewer.variant)
            ops += group_ops(self.fragment, record, viewer.locale, ctx, audience=FACILITATOR, anonymous=False)
        return ops

    def _moderation_op(self, raw: dict[str, Any], locale: str, session_id: int) -> Op:
        idea = trim_idea(raw, audience=FACILITATOR, anonymous=True)
        html = self.fragment("_moderation_row.html", locale, idea=idea, session_id=session_id)
        return {"op": "upsert", "id": f"mod-idea-{idea['id']}", "into": "#moderation-rows", "html": html}

    def phone_ops(self, record: EventRecord, viewer: Viewer) -> tuple[int | None, list[Op], list[Op]]:
        """(owner, ops only the owner gets, ops everyone gets)."""
        kind, payload, variant = record.type, record.payload, viewer.variant
        view = phone_view(variant)
        if kind in room_ops.ROOM_EVENTS:
            return None, [], room_ops.phone_ops(self.fragment, kind, payload, viewer.locale)
        if kind == "session.updated" and room_ops.room_only(payload):
            return None, [], room_ops.lock_ops(payload["session"])  # a locked room keeps what was typed
        if kind == "session.phase_changed":
            return None, [], RELOAD
        if kind == "participant.removed":
            # Only the removed phone: its page reloads into "join again" (its cookie is dead).
            return payload["participant_id"], RELOAD, []
        if kind == "session.updated":
            if viewer.phase not in (Phase.draft.value, Phase.brainstorm.value):
                return None, [], RELOAD  # the groups, the dots or the ranking change with the settings
            return None, [], [*masterplan_ops.phone_settings_ops(payload["session"], view),
                              *room_ops.lock_ops(payload["session"])]
        if (kind in GROUP_CHANGES and view in ("vote", "score", "results")) or (
                kind in QUICK_WIN_CHANGES and view == "commitment"):
            return None, [], RELOAD  # the facilitator changed the groups: a fresh ballot, list or ranking
        if kind in VOTE_EVENTS:
            if view == "results":
                return None, [], RELOAD
            return self.vote_ops(record, viewer) if view == "vote" else (None, [], [])
        if kind in masterplan_ops.SCORE_EVENTS:
            if view == "score":
                return masterplan_ops.score_ops(self.fragment, record, viewer.locale, variant)
            return None, [], []
        if kind == "commitment.signed":
            if view == "commitment":
                owner, own = masterplan_ops.my_signature_op(self.fragment, record, viewer.locale)
                return owner, own, []
            return None, [], []
        owner, own = self.my_idea_ops(record, viewer)
        shared: list[Op] = room_ops.forgotten_focus_ops(kind, payload, variant)
        if view == "groups":
            ctx = card_context("phone", record.session_id, variant)
            # Rendered once for every phone: the projector's view (authors only when the
            # session is not anonymous, nobody's "mine").
            shared += group_ops(self.fragment, record, viewer.locale, ctx, audience=screens.PROJECTOR,
                                anonymous=variant.get("anonymous", True))
        return owner, own, shared

    def my_idea_ops(self, record: EventRecord, viewer: Viewer) -> tuple[int | None, list[Op]]:
        kind, payload = record.type, record.payload
        if kind in IDEA_EVENTS:
            # The author's own idea, also when it was sent from another tab. The answer
            # to an htmx submit replaces the whole list, so the two never duplicate it.
            idea = payload["idea"]
            html = self.fragment(
                "_my_idea.html", viewer.locale, idea=idea, session_id=record.session_id,
                idea_max_length=viewer.variant["idea_max_length"], layout=viewer.variant.get("layout"),
            )
            return idea["participant_id"], [{"op": "upsert", "id": f"my-idea-{idea['id']}", "into": "#my-ideas", "html": html}]
        if kind == "idea.deleted":
            # The payload has no author; removing a missing element is a no-op elsewhere.
            return None, [{"op": "remove", "id": f"my-idea-{payload['idea_id']}"}]
        return None, []

    def vote_ops(self, record: EventRecord, viewer: Viewer) -> tuple[int | None, list[Op], list[Op]]:
        """The voter's own dots go to the voter only; the total to everyone who may see it."""
        payload, variant = record.payload, viewer.variant
        group_id = payload["group_id"]
        shared: list[Op] = []
        if votes_visible(phase=viewer.phase, live_votes=variant["live_votes"], facilitator=False):
            shared.append({"op": "text", "id": f"vg-{group_id}-votes", "text": str(payload["votes"])})
        context = {"session_id": record.session_id, "vote_budget": variant["vote_budget"],
                   "max_per_group": variant["max_votes_per_group"], "votes_left": payload["votes_left"]}
        controls = self.fragment("_vote_controls.html", viewer.locale, group_id=group_id,
                                 mine=payload["my_votes_on_group"], **context)
        left = self.fragment("_votes_left.html", viewer.locale, **context)
        own = [
            {"op": "upsert", "id": f"vg-{group_id}-mine", "html": controls},
            {"op": "upsert", "id": "votes-left", "html": left},
            {"op": "attr", "id": "main", "name": "data-votes-left", "value": payload["votes_left"]},
        ]
        return payload["participant_id"], own, shared

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
            ops = [{"op": "html", "id": "my-ideas", "html": self.fragment(
                "_my_ideas.html", locale, ideas=state["my_ideas"], session_id=viewer.session_id,
                idea_max_length=session["idea_max_length"], layout=session["layout"])}]
            if view == "score":
                ops.append({"op": "html", "id": "score-list", "html": self.fragment(
                    "_score_list.html", locale, score_columns=state["score_columns"], session=session,
                    session_id=viewer.session_id)})
        elif viewer.screen == "console":
            ops = [{"op": "html", "id": "moderation-rows",
                    "html": self.fragment("_moderation_rows.html", locale, ideas=state["ideas"],
                                          session_id=viewer.session_id)}]
        else:
            ops = []
            if view == "ideas":
                template = "_swot_board.html" if state["by"] == "swot" else "_board_columns.html"
                ops.append({"op": "html", "id": "board-body",
                            "html": self.fragment(template, locale, columns=state["columns"])})
            elif view == "commitment":
                ops.append({"op": "html", "id": "signatures", "html": self.fragment(
                    "_commitment_rows.html", locale, signatures=state["commitment"]["signatures"])})
        if view == "groups":
            ctx = card_context(viewer.screen, viewer.session_id, viewer.variant)
            template = "_swot_groups.html" if ctx.by == "swot" else "_group_columns.html"
            ops.append({"op": "html", "id": "group-columns", "html": self.fragment(
                template, locale, group_columns=state["group_columns"], **ctx.as_context())})
        return ops


def phone_view(variant: dict[str, Any]) -> str:
    """What a phone shows (the same rule as ``screens.phone_screen``)."""
    return screens.phone_view(variant)


def _dump(seq: int, ops: list[Op]) -> str:
    return _message(seq, _ops_json(ops))


def _ops_json(ops: list[Op]) -> str:
    """Ops as the inside of a JSON array ("" for none)."""
    return json.dumps(ops, ensure_ascii=False)[1:-1]


def _message(seq: int, ops_json: str) -> str:
    return f'{{"seq": {seq}, "ops": [{ops_json}]}}'


def track_settings(viewer: Viewer, record: EventRecord) -> None:
    """Keep the viewer's variant in step with ``session.*`` events."""
    if record.type == "session.updated":
        session = record.payload["session"]
        for key in viewer.variant:
            if key in session:
                viewer.variant[key] = session[key]
    elif record.type == "session.phase_changed" and "phase" in viewer.variant:
        viewer.variant["phase"] = record.payload["phase"]
    elif record.type == "focus.changed":
        focus = record.payload["focus"]
        room = {"focused": focus["group_id"] is not None or focus["idea_id"] is not None,
                "focus_group": focus["group_id"], "focus_idea": focus["idea_id"]}
        for key in room.keys() & viewer.variant.keys():
            viewer.variant[key] = room[key]


def stream_response(request: Request, viewer: Viewer, *, last_event_id: int | None,
                    still_allowed: StillAllowed | None = None) -> EventSourceResponse:
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

    def render_batch(records: list[EventRecord]) -> list[tuple[str, str, int]]:
        return live.batch(records, viewer)

    return session_event_response(
        state, session_id=viewer.session_id, last_event_id=last_event_id, snapshot=snapshot, render=render,
        render_batch=render_batch, still_allowed=still_allowed, clock=server_clock,
    )


def server_clock() -> str:
    """The first message of a page's stream: ``{"now": ISO ms}`` (``timer.js``)."""
    return json.dumps({"now": iso_ms(now_ms())})
