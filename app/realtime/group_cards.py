"""Group cards on the live stream (board, console, and phones that may group).

Cards sit in dimension columns, or on a SWOT board in its quadrants
(``CardContext.by``); a carried-forward card shows its lineage, and in the score
phase its rating means where they may be seen (``score.set``).

A card is rendered from the event alone: its default title is its first idea (CSS,
``fragments/_group_card.html``), ideas sit in id order (``where: sorted``), and a
move is "make sure the target card exists, put the idea in it, drop the source card
if it was merged". So nothing here reads the database, and the ops of an event are
a pure function of the event and the screen (``app.realtime.html_stream`` caches
them per screen).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.domain import DEFAULT_QUICK_WIN_THRESHOLD, Layout, Phase
from app.realtime import placement
from app.realtime.feed import EventRecord
from app.services.audience import Audience, trim_idea
from app.services.ratings import quadrant

Op = dict[str, Any]
Fragment = Callable[..., str]  # LiveHtml.fragment(name, locale, **context)
# The renderings (``EventType.live``) of events that carry an idea into its group card.
PLACES_IDEA = ("idea", "idea_hidden", "move")


@dataclass(frozen=True)
class CardContext:
    """What a group card needs besides the group: where its forms post and return to,
    which columns it sits in, and which numbers it shows."""

    session_id: int
    screen: str
    controls: bool  # move and rename forms (and drag and drop) on the card
    show_votes: bool
    move_base: str  # "/board/5" (facilitator) or "/s/5" (participant)
    return_to: str
    by: str = "dimension"  # the columns: "dimension", or "swot" (the quadrants of a SWOT board)
    layout: str = Layout.dimensions.value
    show_scores: bool = False  # the rating means (score phase, where they may be seen)
    threshold: float = DEFAULT_QUICK_WIN_THRESHOLD

    def as_context(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "screen": self.screen,
            "controls": self.controls,
            "show_votes": self.show_votes,
            "move_base": self.move_base,
            "return_to": self.return_to,
            "by": self.by,
            "layout": self.layout,
            "show_scores": self.show_scores,
            "threshold": self.threshold,
        }


def card_context(screen: str, session_id: int, variant: dict[str, Any]) -> CardContext:
    """The same rules for a page and for the stream, so both render the same cards.
    Totals and means follow ``tallies.votes_visible``: the facilitator's console always,
    the projector only with ``live_votes`` (before the results)."""
    phase = variant.get("phase", Phase.brainstorm.value)
    layout = variant.get("layout") or Layout.dimensions.value
    live = bool(variant.get("live_votes"))
    by = placement.columns_by(layout, screen)
    threshold = variant.get("quick_win_threshold") or DEFAULT_QUICK_WIN_THRESHOLD
    voted = phase in (Phase.vote.value, Phase.score.value)
    if screen == "board":
        return CardContext(
            session_id,
            screen,
            controls=phase == Phase.group.value,
            show_votes=voted and live,
            move_base=f"/board/{session_id}",
            return_to=f"/board/{session_id}",
            show_scores=phase == Phase.score.value and live,
            by=by,
            layout=layout,
            threshold=threshold,
        )
    if screen == "console":
        return CardContext(
            session_id,
            screen,
            controls=phase in placement.GROUP_PHASES,
            show_votes=voted,
            move_base=f"/board/{session_id}",
            return_to=f"/console/sessions/{session_id}",
            show_scores=phase == Phase.score.value,
            by=by,
            layout=layout,
            threshold=threshold,
        )
    return CardContext(
        session_id,
        screen,
        controls=True,
        show_votes=False,
        move_base=f"/s/{session_id}",
        return_to=f"/s/{session_id}",
        by=by,
        layout=layout,
        threshold=threshold,
    )


def group_ops(
    fragment: Fragment,
    record: EventRecord,
    name: str,
    locale: str,
    ctx: CardContext,
    *,
    audience: Audience,
    anonymous: bool,
) -> list[Op]:
    """The group cards' ops of one event, by its rendering ``name`` (``EventType.live``)."""
    payload = record.payload
    if name in PLACES_IDEA:
        idea_id = payload["idea"]["id"]
        idea = trim_idea(payload["idea"], audience=audience, anonymous=anonymous)
        if idea is None:
            # Not on this screen (hidden). A card left without ideas hides by CSS.
            ops = [{"op": "remove", "id": f"gidea-{idea_id}"}]
        else:
            ops = _place_idea(
                fragment, idea, payload["group"], locale, ctx, votes=_total(payload), scores=payload.get("scores")
            )
        if name == "idea" and idea is not None:
            # An edited idea may have taken its group of one to another dimension (an
            # accepted suggestion does that in the group phase): the card follows.
            ops += _card_ops(fragment, payload["group"], locale, ctx)
        if name == "move":
            if payload["merged"]:
                ops.append({"op": "remove", "id": f"group-{payload['from_group_id']}"})
            if ctx.show_votes:  # merging hands the source's votes to the target
                ops.append({"op": "text", "id": f"group-{payload['group']['id']}-votes", "text": str(payload["votes"])})
            if ctx.show_scores and payload["merged"]:  # and its ratings
                ops.append(_score_op(fragment, payload["group"]["id"], payload.get("scores"), locale, ctx))
        return ops
    if name == "import":
        # Carried forward from an earlier session: each card with its lineage and ideas.
        ops = []
        for entry in payload["groups"]:
            for member in entry["ideas"]:
                idea = trim_idea(member, audience=audience, anonymous=anonymous)
                if idea is not None:
                    ops += _place_idea(
                        fragment, idea, entry["group"], locale, ctx, votes=_total(entry), scores=entry.get("scores")
                    )
        return ops
    if name == "idea_deleted":
        return [{"op": "remove", "id": f"gidea-{payload['idea_id']}"}]
    if name == "group":
        return _card_ops(fragment, payload["group"], locale, ctx)
    if name == "vote" and ctx.show_votes:
        return [{"op": "text", "id": f"group-{payload['group_id']}-votes", "text": str(payload["votes"])}]
    if name == "score" and ctx.show_scores:
        return [_score_op(fragment, payload["group_id"], payload.get("scores"), locale, ctx)]
    return []


def _card_ops(fragment: Fragment, group: dict[str, Any], locale: str, ctx: CardContext) -> list[Op]:
    """A group card's head, colour and column, from the group's state."""
    gid = group["id"]
    context = {"group": group, **ctx.as_context()}
    return [
        {"op": "upsert", "id": f"group-{gid}-head", "html": fragment("_group_head.html", locale, **context)},
        {
            "op": "attr",
            "id": f"group-{gid}",
            "name": "class",
            "value": fragment("_group_card_class.html", locale, group=group).strip(),
        },
        {
            "op": "move",
            "id": f"group-{gid}",
            "into": f"#gcol-{placement.column_of(group, ctx.by)}",
            "where": "sorted",
        },
    ]


def card_scores(scores: dict[str, Any] | None, threshold: float) -> dict[str, Any]:
    """A group's means as a card shows them, from an event's ``scores``."""
    scores = scores or {}
    impact, feasibility = scores.get("impact"), scores.get("feasibility")
    return {
        "impact": impact,
        "feasibility": feasibility,
        "raters": scores.get("raters") or 0,
        "quadrant": quadrant(impact, feasibility, threshold),
    }


def _score_op(fragment: Fragment, group_id: int, scores: dict[str, Any] | None, locale: str, ctx: CardContext) -> Op:
    group = {"id": group_id, **card_scores(scores, ctx.threshold)}
    return {"op": "upsert", "id": f"group-{group_id}-score", "html": fragment("_score_line.html", locale, group=group)}


def _total(payload: dict[str, Any]) -> int | None:
    """A group's vote total from an event that carries it (``votes``, or ``tally``)."""
    if "votes" in payload:
        return payload["votes"]
    return (payload.get("tally") or {}).get("votes")


def _place_idea(
    fragment: Fragment,
    idea: dict[str, Any],
    group: dict[str, Any],
    locale: str,
    ctx: CardContext,
    *,
    votes: int | None,
    scores: dict[str, Any] | None = None,
) -> list[Op]:
    """Make sure the idea's group card exists (an empty shell: the idea itself comes
    next, so an idea never exists twice on the page), then put the idea in it."""
    gid = group["id"]
    context = ctx.as_context()
    card = {**group, "votes": votes or 0, "ideas": [], **card_scores(scores, ctx.threshold)}
    return [
        {
            "op": "upsert",
            "id": f"group-{gid}",
            "into": f"#gcol-{placement.column_of(group, ctx.by)}",
            "where": "sorted",
            "keep": True,
            "html": fragment("_group_card.html", locale, group=card, **context),
        },
        {
            "op": "upsert",
            "id": f"gidea-{idea['id']}",
            "into": f"#gideas-{gid}",
            "where": "sorted",
            "html": fragment("_group_idea.html", locale, idea=idea, group_id=gid, **context),
        },
    ]
