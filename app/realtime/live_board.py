"""The projector's live renderings, by the names event types give them
(``app.services.event_types``, ``EventType.live.board``).

What the projector draws of an event depends on what it shows: the focus or the
counts (hidden texts) are read again whole; the word cloud and the idea wall follow
ideas; while the commitment is open only signatures and the quick-win list matter;
the results are read again on any change to the groups; the group phases move group
cards; the brainstorm adds idea cards. Pure functions of the event and the screen's
variant (no database), so ``LiveHtml`` renders each event once for every projector
alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain import BoardView
from app.realtime import placement, room_ops
from app.realtime.feed import EventRecord
from app.realtime.group_cards import card_context, group_ops
from app.realtime.viewer import Fragment, Viewer
from app.services.audience import PROJECTOR, trim_idea

Op = dict[str, Any]
RELOAD: list[Op] = [{"op": "reload"}]
# Renderings that change the ideas or the groups, with their counts: what the focus,
# the hidden board's counts and the results are made of.
CONTENT = frozenset({"idea_new", "idea", "idea_hidden", "idea_deleted", "move", "group", "import", "vote", "score"})
# ... and of those, what can change the final quick-win list shown while the commitment is open.
QUICK_WIN_CHANGES = frozenset({"idea_hidden", "idea_deleted", "move", "group", "import"})
IDEA_CARDS = frozenset({"idea_new", "idea", "idea_hidden", "import"})


def ops(fragment: Fragment, record: EventRecord, viewer: Viewer, name: str) -> list[Op]:
    variant = viewer.variant
    if name not in CONTENT and name != "signature":
        return RENDERINGS[name](fragment, record, viewer)
    if name in CONTENT and (variant.get("focused") or variant.get("board_hidden")):
        # The focused group or idea may have changed, or the counts shown instead of
        # the texts: the board reads itself again (at most about once a second).
        return RELOAD
    board_view = variant.get("board_view") or BoardView.columns.value
    if board_view != BoardView.columns.value:
        return view_ops(fragment, record, viewer, name, board_view)
    view = placement.board_view(viewer.phase, bool(variant.get("commitment_open")))
    if view == "commitment":
        if name == "signature":
            return [signature_op(fragment, record, viewer.locale)]
        return RELOAD if name in QUICK_WIN_CHANGES else []
    if view == "results":
        return RELOAD if name in CONTENT else []
    if view == "groups":
        ctx = card_context("board", record.session_id, variant)
        return group_ops(
            fragment,
            record,
            "idea" if name == "idea_new" else name,
            viewer.locale,
            ctx,
            audience=PROJECTOR,
            anonymous=variant.get("anonymous", True),
        )
    if name in IDEA_CARDS:
        return idea_cards(fragment, record, viewer.locale, variant)
    if name == "idea_deleted":
        return [{"op": "remove", "id": f"idea-{record.payload['idea_id']}"}]
    return []


def view_ops(fragment: Fragment, record: EventRecord, viewer: Viewer, name: str, board_view: str) -> list[Op]:
    """The projector's word cloud and idea wall: the cloud fetches itself again
    (board.js, a few times a minute at most) and the newest idea shows on its
    ticker; the wall gets the idea's card, newest first."""
    if name not in (*IDEA_CARDS, "idea_deleted"):
        return []
    payload = record.payload
    if board_view == BoardView.cloud.value:
        ops: list[Op] = [{"op": "emit", "event": "cloud"}]
        if name == "idea_new":  # the ticker shows what arrives, not edits
            idea = trim_idea(payload["idea"], audience=PROJECTOR, anonymous=viewer.variant.get("anonymous", True))
            if idea is not None:
                ops.append({"op": "html", "id": "ticker", "html": fragment("_ticker.html", viewer.locale, idea=idea)})
        return ops
    if name == "idea_deleted":
        return [{"op": "remove", "id": f"idea-{payload['idea_id']}"}]
    return idea_cards(fragment, record, viewer.locale, viewer.variant, into="#wall")


def idea_cards(
    fragment: Callable[..., str], record: EventRecord, locale: str, variant: dict[str, Any], into: str | None = None
) -> list[Op]:
    """The projector's idea cards of an idea event or of a carry-forward (every copied
    idea, with its group's lineage), in dimension columns or SWOT quadrants, or all
    ``into`` one container (the idea wall, where a card names its dimension)."""
    anonymous = variant.get("anonymous", True)
    if "groups" in record.payload:
        entries = [(idea, entry["group"]) for entry in record.payload["groups"] for idea in entry["ideas"]]
    else:
        entries = [(record.payload["idea"], record.payload.get("group") or {})]
    by = placement.columns_by(variant.get("layout"), "board")
    swot_board = by == "swot"
    out: list[Op] = []
    for raw, group in entries:
        idea = trim_idea(raw, audience=PROJECTOR, anonymous=anonymous)
        if idea is None:  # hidden: the projector is public
            out.append({"op": "remove", "id": f"idea-{raw['id']}"})
            continue
        idea = {**idea, "swot": raw.get("swot"), "origin": group.get("origin")}
        html = fragment("_idea_card.html", locale, idea=idea, swot_board=swot_board or into is not None)
        out.append(
            {
                "op": "upsert",
                "id": f"idea-{idea['id']}",
                "into": into or f"#col-{placement.column_of(idea, by)}",
                "html": html,
            }
        )
    return out


def signature_op(fragment: Callable[..., str], record: EventRecord, locale: str) -> Op:
    """A signature on the list of who signed (a correction replaces it in place)."""
    commitment = record.payload["commitment"]
    signature = {k: commitment[k] for k in ("id", "name", "position", "organization", "signed_at")}
    return {
        "op": "upsert",
        "id": f"sig-{signature['id']}",
        "into": "#signatures",
        "where": "sorted",
        "html": fragment("_commitment_row.html", locale, signature=signature),
    }


def _reload(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    """Phase, settings, view, focus …: the page itself changes (board.js reloads it in
    place, so a fullscreen projector stays fullscreen)."""
    return RELOAD


def _count(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    return [{"op": "text", "id": "participant-count", "text": str(record.payload["participant_count"])}]


def _timer(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    return room_ops.timer_ops(record.payload["timer"])


def _page(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    return [room_ops.page_turn_op(record.payload)]


def _reaction(fragment: Fragment, record: EventRecord, viewer: Viewer) -> list[Op]:
    return room_ops.reaction_ops(fragment, record.payload, viewer.locale)


RENDERINGS: dict[str, Callable[[Fragment, EventRecord, Viewer], list[Op]]] = {
    "reload": _reload,
    "count": _count,
    "timer": _timer,
    "page": _page,
    "reaction": _reaction,
}
NAMES = frozenset(RENDERINGS) | CONTENT | {"signature"}
