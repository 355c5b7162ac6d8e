"""Live ops of the masterplan steps (issue 4), for ``app.realtime.html_stream``:
carried-forward ideas on the idea board, ratings on the phones, signatures on the
board, and a phone's settings while ideas are typed.

Like the rest of the live stream these are pure functions of the event and the
screen's variant (no database), so one rendering serves every screen alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain import DEFAULT_QUICK_WIN_THRESHOLD, Layout
from app.realtime import screens
from app.realtime.feed import EventRecord
from app.realtime.group_cards import card_scores
from app.services.board import trim_idea
from app.services.tallies import votes_visible

Op = dict[str, Any]
Fragment = Callable[..., str]  # LiveHtml.fragment(name, locale, **context)
SCORE_EVENTS = ("score.set",)


def idea_cards(fragment: Fragment, record: EventRecord, locale: str, variant: dict[str, Any],
               into: str | None = None) -> list[Op]:
    """The projector's idea cards of an idea event or of a carry-forward (every copied
    idea, with its group's lineage), in dimension columns or SWOT quadrants, or all
    ``into`` one container (the idea wall, where a card names its dimension)."""
    anonymous = variant.get("anonymous", True)
    if record.type == "groups.imported":
        entries = [(idea, entry["group"]) for entry in record.payload["groups"] for idea in entry["ideas"]]
    else:
        entries = [(record.payload["idea"], record.payload.get("group") or {})]
    by = screens.columns_by(variant.get("layout"), "board")
    swot_board = by == "swot"
    ops: list[Op] = []
    for raw, group in entries:
        idea = trim_idea(raw, audience=screens.PROJECTOR, anonymous=anonymous)
        if idea is None:  # hidden: the projector is public
            ops.append({"op": "remove", "id": f"idea-{raw['id']}"})
            continue
        idea = {**idea, "swot": raw.get("swot"), "origin": group.get("origin")}
        html = fragment("_idea_card.html", locale, idea=idea, swot_board=swot_board or into is not None)
        ops.append({"op": "upsert", "id": f"idea-{idea['id']}",
                    "into": into or f"#col-{screens.column_of(idea, by)}", "html": html})
    return ops


def score_ops(fragment: Fragment, record: EventRecord, locale: str,
              variant: dict[str, Any]) -> tuple[int, list[Op], list[Op]]:
    """A rating saved: the rater's own form (also in another tab of the same phone);
    the group's means to every phone only where they may be seen."""
    payload = record.payload
    gid, rater = payload["group_id"], payload["participant_id"]
    scores = payload.get("scores") or {}
    mine = (scores.get("by") or {}).get(str(rater))
    own = [{"op": "upsert", "id": f"sg-{gid}-form", "html": fragment(
        "_score_form.html", locale, session_id=record.session_id, group_id=gid, my_score=mine)}]
    shared: list[Op] = []
    if votes_visible(phase=variant.get("phase", ""), live_votes=bool(variant.get("live_votes")), facilitator=False):
        threshold = variant.get("quick_win_threshold") or DEFAULT_QUICK_WIN_THRESHOLD
        group = {"id": gid, **card_scores(scores, threshold)}
        shared.append({"op": "upsert", "id": f"sg-{gid}-means",
                       "html": fragment("_score_line.html", locale, group=group, prefix="sg")})
    return rater, own, shared


def signature_op(fragment: Fragment, record: EventRecord, locale: str) -> Op:
    """A signature on the board's list (a correction replaces it in place)."""
    commitment = record.payload["commitment"]
    signature = {k: commitment[k] for k in ("id", "name", "position", "organization", "signed_at")}
    return {"op": "upsert", "id": f"sig-{signature['id']}", "into": "#signatures", "where": "sorted",
            "html": fragment("_commitment_row.html", locale, signature=signature)}


def my_signature_op(fragment: Fragment, record: EventRecord, locale: str) -> tuple[int, list[Op]]:
    """The signer's own phone (another tab too): "signed", and the form to correct it."""
    commitment = record.payload["commitment"]
    mine = {**{k: commitment[k] for k in ("id", "name", "position", "organization", "signed_at")}, "mine": True}
    html = fragment("_commitment_form.html", locale, session_id=record.session_id, mine=mine)
    return commitment["participant_id"], [{"op": "upsert", "id": "commitment-form", "html": html}]


def phone_settings_ops(session: dict[str, Any], view: str) -> list[Op]:
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
