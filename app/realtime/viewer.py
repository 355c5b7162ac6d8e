"""One connected live screen: which screen, whose, in which language, and the session
state its renderings depend on (its ``variant``), kept in step with the event log.

The same ``Audience`` model as the JSON stream and the board's snapshot
(``app.services.audience``): the projector is public, the console is the
facilitator's, a phone is its participant's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from app.domain import Phase
from app.realtime.feed import EventRecord
from app.services.audience import FACILITATOR, PROJECTOR, Audience, phone

Screen = Literal["board", "console", "phone"]
Op = dict[str, Any]
# LiveHtml.fragment(name, locale, **context): a fragment template rendered to text.
Fragment = Callable[..., str]

# Phone variant: what a phone fragment depends on (kept in step by track_settings).
PHONE_VARIANT = (
    "idea_max_length",
    "phase",
    "participants_can_group",
    "live_votes",
    "vote_budget",
    "max_votes_per_group",
    "anonymous",
    "layout",
    "quick_win_threshold",
    "commitment_open",
    "focus_group",
    "focus_idea",
)
# The projector also renders by how the room is run: its view, whether texts are
# hidden, and whether something is in focus (``focused``, kept by track_settings).
BOARD_VARIANT = (
    "anonymous",
    "phase",
    "live_votes",
    "layout",
    "quick_win_threshold",
    "commitment_open",
    "board_view",
    "board_hidden",
    "focused",
)
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
    _audience_key: tuple = field(default=(), repr=False, compare=False)

    def variant_key(self) -> tuple:
        # Asked once per event per connection (500 phones × every idea): sorting the
        # variant each time was 3 % of the server's CPU in bench/room.py. Comparing
        # two small dicts is cheaper, and stays right whoever changes ``variant``.
        if self._key_of != self.variant:
            self._key_of = dict(self.variant)
            self._key = tuple(sorted(self.variant.items()))
            self._audience_key = _interned((self.screen, self.locale, self._key))
        return self._key

    def audience_key(self) -> tuple:
        """(screen, locale, variant): screens with equal keys get the same ops for an
        event, but for its owner. One object per distinct key (interned), so the
        live gate compares 1,000 phones' keys by identity."""
        self.variant_key()
        return self._audience_key

    @property
    def phase(self) -> str:
        return self.variant.get("phase", Phase.brainstorm.value)

    @property
    def audience(self) -> Audience:
        """Who looks at this screen: the projector is public, the console is the
        facilitator's, a phone is its participant's (``app.services.audience``)."""
        if self.screen == "phone" and self.participant_id is not None:
            return phone(self.participant_id)
        return FACILITATOR if self.screen == "console" else PROJECTOR


_KEYS: dict[tuple, tuple] = {}
MAX_KEYS = 4096  # distinct (screen, locale, variant) keys alive at once: a few per session


def _interned(key: tuple) -> tuple:
    found = _KEYS.get(key)
    if found is None:
        if len(_KEYS) >= MAX_KEYS:
            _KEYS.clear()  # keys made later are new objects: only an identity check misses
        found = _KEYS[key] = key
    return found


def variant_for(
    screen: Screen,
    session: dict[str, Any],
    *,
    focus: tuple[int | None, int | None] = (None, None),
) -> dict[str, Any]:
    """The variant of a screen from a session dict (``sessions.public``); ``focus``:
    the (group, idea) the facilitator focuses on (``app.services.focus``): the
    projector then shows it large, and a phone's banner names it."""
    room = {"focused": focus != (None, None), "focus_group": focus[0], "focus_idea": focus[1]}
    return {key: room[key] if key in room else session[key] for key in VARIANT_KEYS[screen]}


# The events ``track_settings`` follows: they change what a screen renders next, so
# the live gate (``app.realtime.gate``) wakes every phone for them. A type handled
# below must be listed here, or it is never looked at.
VARIANT_EVENTS = frozenset({"session.updated", "session.phase_changed", "focus.changed"})


def track_settings(viewer: Viewer, record: EventRecord) -> None:
    """Keep the viewer's variant in step with ``session.*`` and ``focus.changed`` events."""
    if record.type not in VARIANT_EVENTS:
        return
    if record.type == "session.updated":
        session = record.payload["session"]
        for key in viewer.variant:
            if key in session:
                viewer.variant[key] = session[key]
    elif record.type == "session.phase_changed" and "phase" in viewer.variant:
        viewer.variant["phase"] = record.payload["phase"]
    elif record.type == "focus.changed":
        focus = record.payload["focus"]
        room = {
            "focused": focus["group_id"] is not None or focus["idea_id"] is not None,
            "focus_group": focus["group_id"],
            "focus_idea": focus["idea_id"],
        }
        for key in room.keys() & viewer.variant.keys():
            viewer.variant[key] = room[key]
