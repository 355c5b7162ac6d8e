"""A participant's phone: live renderings by the names event types give them
(``EventType.live.phone``).

Each returns ``(owner, ops only the owner gets, ops every phone gets)``: the owner is
the participant whose own event it is (their idea card with its edit form, their
dots, their rating, their signature). Everything else is rendered once for every
phone alike (``LiveHtml`` keeps it; the owner's part is rendered when the owner's
stream gets there). A phone shows its own ideas, the groups when it may group, its
ballot while voting, its ratings while scoring, the results, or the commitment;
changes to the groups while it shows a ballot, ratings or results reload it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain import DEFAULT_QUICK_WIN_THRESHOLD, Layout, Phase
from app.realtime import placement, room_ops
from app.realtime.feed import EventRecord
from app.realtime.group_cards import card_context, card_scores, group_ops
from app.realtime.viewer import Fragment, Viewer
from app.services.audience import PROJECTOR
from app.services.tallies import votes_visible

Op = dict[str, Any]
Ops = tuple[int | None, list[Op], list[Op]]
RELOAD: list[Op] = [{"op": "reload"}]

# A reload that every phone of the room gets at once (the vote opens, a setting that
# changes the ballot) sends the whole room back for its page in the same second, and
# one worker serves a phone's page and stream in ~20-30 ms of CPU (bench/room.py):
# 1,000 phones queued past the admission limit and a third got a 503 instead of the
# ballot. So each phone reloads at a moment of its own within a window about as long
# as the worker needs for the room (``REMBUK_RELOAD_SPREAD_MS_PER_PHONE`` per phone that
# follows the session here; live.js picks the moment and says "Updating…" meanwhile).
# A small room reloads at once.
RELOAD_SPREAD_MAX_MS = 20_000
RELOAD_SPREAD_MIN_MS = 500  # below this, not worth a wait


def reload_window_ms(phones: int, per_phone_ms: int) -> int:
    """The window a room of ``phones`` reloads within (0: at once)."""
    window = min(RELOAD_SPREAD_MAX_MS, phones * per_phone_ms)
    return window if window >= RELOAD_SPREAD_MIN_MS else 0


def spread_reload(ops: list[Op], window_ms: int) -> list[Op]:
    """``ops`` that every phone gets: a reload among them comes with its window."""
    if ops != RELOAD or window_ms <= 0:
        return ops
    return [{"op": "reload", "within_ms": window_ms}]


NOTHING: Ops = (None, [], [])
# Renderings that change the groups: a phone showing a ballot, ratings or results reloads.
GROUPS_CHANGE = frozenset({"idea", "idea_hidden", "idea_deleted", "move", "group", "import"})
# ... and what can change the final quick-win list while the commitment is open.
QUICK_WIN_CHANGES = frozenset({"idea_hidden", "idea_deleted", "move", "group", "import"})
OWN_IDEA = frozenset({"idea", "idea_hidden"})


def ops(fragment: Fragment, record: EventRecord, viewer: Viewer, name: str) -> Ops:
    if name in RENDERINGS:
        return RENDERINGS[name](fragment, record, viewer)
    view = placement.phone_view(viewer.variant)
    if (name in GROUPS_CHANGE and view in ("vote", "score", "results")) or (
        name in QUICK_WIN_CHANGES and view == "commitment"
    ):
        return None, [], RELOAD  # the facilitator changed the groups: a fresh ballot, list or ranking
    if name == "vote":
        if view == "results":
            return None, [], RELOAD
        return vote_ops(fragment, record, viewer) if view == "vote" else NOTHING
    if name == "score":
        return score_ops(fragment, record, viewer) if view == "score" else NOTHING
    if name == "signature":
        return my_signature_ops(fragment, record, viewer) if view == "commitment" else NOTHING
    owner, own = my_idea_ops(fragment, record, viewer, name)
    shared: list[Op] = room_ops.focus_follow_ops(fragment, name, record.payload, viewer.variant, viewer.locale)
    if view == "groups":
        ctx = card_context("phone", record.session_id, viewer.variant)
        # Rendered once for every phone: the projector's view (authors only when the
        # session is not anonymous, nobody's "mine").
        shared += group_ops(
            fragment,
            record,
            name,
            viewer.locale,
            ctx,
            audience=PROJECTOR,
            anonymous=viewer.variant.get("anonymous", True),
        )
    return owner, own, shared


def my_idea_ops(fragment: Fragment, record: EventRecord, viewer: Viewer, name: str) -> tuple[int | None, list[Op]]:
    payload = record.payload
    if name in OWN_IDEA:
        # The author's own idea, also when it was sent from another tab. The answer
        # to an htmx submit replaces the whole list, so the two never duplicate it.
        idea = payload["idea"]
        html = fragment(
            "_my_idea.html",
            viewer.locale,
            idea=idea,
            session_id=record.session_id,
            idea_max_length=viewer.variant["idea_max_length"],
            layout=viewer.variant.get("layout"),
        )
        return idea["participant_id"], [
            {"op": "upsert", "id": f"my-idea-{idea['id']}", "into": "#my-ideas", "html": html}
        ]
    if name == "idea_deleted":
        # The payload has no author; removing a missing element is a no-op elsewhere.
        return None, [{"op": "remove", "id": f"my-idea-{payload['idea_id']}"}]
    return None, []


def vote_ops(fragment: Fragment, record: EventRecord, viewer: Viewer) -> Ops:
    """The voter's own dots go to the voter only; the total to everyone who may see it."""
    payload, variant = record.payload, viewer.variant
    group_id = payload["group_id"]
    shared: list[Op] = []
    if votes_visible(phase=viewer.phase, live_votes=variant["live_votes"], facilitator=False):
        shared.append({"op": "text", "id": f"vg-{group_id}-votes", "text": str(payload["votes"])})
    context = {
        "session_id": record.session_id,
        "vote_budget": variant["vote_budget"],
        "max_per_group": variant["max_votes_per_group"],
        "votes_left": payload["votes_left"],
    }
    controls = fragment(
        "_vote_controls.html", viewer.locale, group_id=group_id, mine=payload["my_votes_on_group"], **context
    )
    left = fragment("_votes_left.html", viewer.locale, **context)
    own = [
        {"op": "upsert", "id": f"vg-{group_id}-mine", "html": controls},
        {"op": "upsert", "id": "votes-left", "html": left},
        {"op": "attr", "id": "main", "name": "data-votes-left", "value": payload["votes_left"]},
    ]
    return payload["participant_id"], own, shared


def score_ops(fragment: Fragment, record: EventRecord, viewer: Viewer) -> Ops:
    """A rating saved: the rater's own form (also in another tab of the same phone);
    the group's means to every phone only where they may be seen."""
    payload, variant = record.payload, viewer.variant
    gid, rater = payload["group_id"], payload["participant_id"]
    scores = payload.get("scores") or {}
    mine = (scores.get("by") or {}).get(str(rater))
    own = [
        {
            "op": "upsert",
            "id": f"sg-{gid}-form",
            "html": fragment(
                "_score_form.html", viewer.locale, session_id=record.session_id, group_id=gid, my_score=mine
            ),
        }
    ]
    shared: list[Op] = []
    if votes_visible(phase=variant.get("phase", ""), live_votes=bool(variant.get("live_votes")), facilitator=False):
        threshold = variant.get("quick_win_threshold") or DEFAULT_QUICK_WIN_THRESHOLD
        group = {"id": gid, **card_scores(scores, threshold)}
        shared.append(
            {
                "op": "upsert",
                "id": f"sg-{gid}-means",
                "html": fragment("_score_line.html", viewer.locale, group=group, prefix="sg"),
            }
        )
    return rater, own, shared


def my_signature_ops(fragment: Fragment, record: EventRecord, viewer: Viewer) -> Ops:
    """The signer's own phone (another tab too): "signed", and the form to correct it."""
    commitment = record.payload["commitment"]
    mine = {**{k: commitment[k] for k in ("id", "name", "position", "organization", "signed_at")}, "mine": True}
    html = fragment("_commitment_form.html", viewer.locale, session_id=record.session_id, mine=mine)
    return commitment["participant_id"], [{"op": "upsert", "id": "commitment-form", "html": html}], []


def settings_ops(session: dict[str, Any], view: str) -> list[Op]:
    """Settings changed while the phone shows the idea form: no reload (it would throw
    away an idea being typed). The texts and the SWOT question follow; a phone whose
    page shows another view (the commitment opened or closed) reloads (``check``)."""
    swot = session.get("layout") == Layout.swot.value
    return [
        {"op": "check", "id": "main", "name": "data-view", "value": view},
        {"op": "text", "id": "session-title", "text": session["title"]},
        {"op": "text", "id": "session-prompt", "text": session["prompt"]},
        {"op": "attr", "id": "idea-text", "name": "maxlength", "value": session["idea_max_length"]},
        {"op": "attr", "id": "swot-field", "name": "hidden", "value": None if swot else ""},
        {"op": "attr", "id": "swot-field", "name": "disabled", "value": None if swot else ""},
    ]


def _reload(fragment: Fragment, record: EventRecord, viewer: Viewer) -> Ops:
    return None, [], RELOAD


def _settings(fragment: Fragment, record: EventRecord, viewer: Viewer) -> Ops:
    session = record.payload["session"]
    if room_ops.room_only(record.payload):
        return None, [], room_ops.lock_ops(session)  # a locked room keeps what was typed
    if viewer.phase not in (Phase.draft.value, Phase.brainstorm.value):
        return None, [], RELOAD  # the groups, the dots or the ranking change with the settings
    return None, [], [*settings_ops(session, placement.phone_view(viewer.variant)), *room_ops.lock_ops(session)]


def _removed(fragment: Fragment, record: EventRecord, viewer: Viewer) -> Ops:
    """Only the removed phone: its page reloads into "join again" (its cookie is dead)."""
    return record.payload["participant_id"], RELOAD, []


def _timer(fragment: Fragment, record: EventRecord, viewer: Viewer) -> Ops:
    return None, [], room_ops.timer_ops(record.payload["timer"])


RENDERINGS: dict[str, Callable[[Fragment, EventRecord, Viewer], Ops]] = {
    "reload": _reload,
    "settings": _settings,
    "removed": _removed,
    "timer": _timer,
}
NAMES = frozenset(RENDERINGS) | GROUPS_CHANGE | OWN_IDEA | {"vote", "score", "signature"}
