"""The facilitator's console (and the remote) live renderings, by the names event
types give them (``EventType.live.console``): the moderation table (every idea,
hidden ones and authors too), the group cards with live tallies and means in the
group phases, the signatures, the timer, and the remote panel fetching itself again
when the room changes. Pure functions of the event and the screen's variant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.realtime import placement, room_ops
from app.realtime.feed import EventRecord
from app.realtime.group_cards import card_context, group_ops
from app.realtime.live_board import RELOAD, signature_op
from app.realtime.viewer import Fragment, Viewer
from app.services.audience import FACILITATOR, trim_idea

Op = dict[str, Any]
# Renderings that change the groups and their counts: the results are read again.
GROUPS_CHANGE = frozenset({"idea", "idea_hidden", "idea_deleted", "move", "group", "import", "vote", "score"})
MODERATED = frozenset({"idea", "idea_hidden"})


def ops(fragment: Fragment, record: EventRecord, viewer: Viewer, name: str) -> list[Op]:
    if name in RENDERINGS:
        return RENDERINGS[name](fragment, record, viewer)
    view = placement.view_of(viewer.phase)
    if view == "results" and name in GROUPS_CHANGE:
        return RELOAD
    payload = record.payload
    out: list[Op] = []
    if name in MODERATED:
        out.append(moderation_op(fragment, payload["idea"], viewer.locale, record.session_id))
        out.append(held_op(fragment, payload["idea"], viewer.locale))
    elif name == "import":
        out += [
            moderation_op(fragment, idea, viewer.locale, record.session_id)
            for entry in payload["groups"]
            for idea in entry["ideas"]
        ]
    elif name == "idea_deleted":
        out.append({"op": "remove", "id": f"mod-idea-{payload['idea_id']}"})
        out.append({"op": "remove", "id": f"held-{payload['idea_id']}"})
    elif name == "signature":
        # Into the console's list of signatures, where its page shows one.
        out.append(signature_op(fragment, record, viewer.locale))
    if view == "groups":
        ctx = card_context("console", record.session_id, viewer.variant)
        out += group_ops(fragment, record, name, viewer.locale, ctx, audience=FACILITATOR, anonymous=False)
    return out


def moderation_op(fragment: Fragment, raw: dict[str, Any], locale: str, session_id: int) -> Op:
    idea = trim_idea(raw, audience=FACILITATOR, anonymous=True)
    if idea is None:
        raise RuntimeError("the facilitator sees every idea, hidden ones too")
    html = fragment("_moderation_row.html", locale, idea=idea, session_id=session_id)
    return {"op": "upsert", "id": f"mod-idea-{idea['id']}", "into": "#moderation-rows", "html": html}


def held_op(fragment: Fragment, raw: dict[str, Any], locale: str) -> Op:
    """The queue "Menunggu moderasi": a held idea joins it (or changes in it); an
    approved or hidden one leaves it."""
    idea = trim_idea(raw, audience=FACILITATOR, anonymous=True)
    if idea is None or not idea.get("pending") or idea["hidden"]:
        return {"op": "remove", "id": f"held-{raw['id']}"}
    html = fragment("_held_row.html", locale, idea=idea)
    return {"op": "upsert", "id": f"held-{idea['id']}", "into": "#held-rows", "where": "append", "html": html}


def _reload(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    return RELOAD


def _count(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    return [{"op": "text", "id": "participant-count", "text": str(record.payload["participant_count"])}]


def _settings(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    """Only the room's settings changed: the remote panel fetches itself again, and
    what is being typed on the console stays; any other setting reloads the page."""
    return [room_ops.ROOM_CHANGED] if room_ops.room_only(record.payload) else RELOAD


def _timer(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    return [*room_ops.timer_ops(record.payload["timer"]), room_ops.ROOM_CHANGED]


def _focus(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    return [room_ops.ROOM_CHANGED]


def _reaction(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    return room_ops.reaction_ops(fragment, record.payload, viewer.locale)


RENDERINGS: dict[str, Callable[[Fragment, EventRecord, Viewer], list[Op]]] = {
    "reload": _reload,
    "count": _count,
    "settings": _settings,
    "timer": _timer,
    "focus": _focus,
    "reaction": _reaction,
}
NAMES = frozenset(RENDERINGS) | GROUPS_CHANGE | {"signature"}
