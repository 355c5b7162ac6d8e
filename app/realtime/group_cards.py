"""Group cards on the live stream (board, console, and phones that may group).

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

from app.domain import Phase
from app.realtime import screens
from app.realtime.feed import EventRecord
from app.services.board import Audience, trim_idea

Op = dict[str, Any]
Fragment = Callable[..., str]  # LiveHtml.fragment(name, locale, **context)
IDEA_EVENTS = ("idea.created", "idea.updated", "idea.hidden")
VOTE_EVENTS = ("vote.cast", "vote.removed")


@dataclass(frozen=True)
class CardContext:
    """What a group card needs besides the group: where its forms post and return to."""

    session_id: int
    screen: str
    controls: bool  # move and rename forms (and drag and drop) on the card
    show_votes: bool
    move_base: str  # "/board/5" (facilitator) or "/s/5" (participant)
    return_to: str

    def as_context(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "screen": self.screen, "controls": self.controls,
                "show_votes": self.show_votes, "move_base": self.move_base, "return_to": self.return_to}


def card_context(screen: str, session_id: int, variant: dict[str, Any]) -> CardContext:
    """The same rules for a page and for the stream, so both render the same cards."""
    phase = variant.get("phase", Phase.brainstorm.value)
    if screen == "board":
        return CardContext(session_id, screen, controls=phase == Phase.group.value,
                           show_votes=phase == Phase.vote.value and bool(variant.get("live_votes")),
                           move_base=f"/board/{session_id}", return_to=f"/board/{session_id}")
    if screen == "console":
        return CardContext(session_id, screen, controls=phase in screens.GROUP_PHASES,
                           show_votes=phase == Phase.vote.value,
                           move_base=f"/board/{session_id}", return_to=f"/console/sessions/{session_id}")
    return CardContext(session_id, screen, controls=True, show_votes=False,
                       move_base=f"/s/{session_id}", return_to=f"/s/{session_id}")


def group_ops(fragment: Fragment, record: EventRecord, locale: str, ctx: CardContext, *,
              audience: Audience, anonymous: bool) -> list[Op]:
    kind, payload = record.type, record.payload
    if kind in (*IDEA_EVENTS, "idea.moved"):
        idea_id = payload["idea"]["id"]
        idea = trim_idea(payload["idea"], audience=audience, anonymous=anonymous)
        if idea is None:
            # Not on this screen (hidden). A card left without ideas hides by CSS.
            ops = [{"op": "remove", "id": f"gidea-{idea_id}"}]
        else:
            ops = _place_idea(fragment, idea, payload["group"], locale, ctx, votes=_total(payload))
        if kind == "idea.moved":
            if payload["merged"]:
                ops.append({"op": "remove", "id": f"group-{payload['from_group_id']}"})
            if ctx.show_votes:  # merging hands the source's votes to the target
                ops.append({"op": "text", "id": f"group-{payload['group']['id']}-votes", "text": str(payload["votes"])})
        return ops
    if kind == "idea.deleted":
        return [{"op": "remove", "id": f"gidea-{payload['idea_id']}"}]
    if kind == "group.updated":
        group = payload["group"]
        gid = group["id"]
        context = {"group": group, **ctx.as_context()}
        return [
            {"op": "upsert", "id": f"group-{gid}-head", "html": fragment("_group_head.html", locale, **context)},
            {"op": "attr", "id": f"group-{gid}", "name": "class",
             "value": fragment("_group_card_class.html", locale, group=group).strip()},
            {"op": "move", "id": f"group-{gid}", "into": f"#gcol-{screens.column_of(group)}", "where": "sorted"},
        ]
    if kind in VOTE_EVENTS and ctx.show_votes:
        return [{"op": "text", "id": f"group-{payload['group_id']}-votes", "text": str(payload["votes"])}]
    return []

def _total(payload: dict[str, Any]) -> int | None:
    """A group's vote total from an event that carries it (``votes``, or ``tally``)."""
    if "votes" in payload:
        return payload["votes"]
    return (payload.get("tally") or {}).get("votes")


def _place_idea(fragment: Fragment, idea: dict[str, Any], group: dict[str, Any], locale: str, ctx: CardContext, *,
                votes: int | None) -> list[Op]:
    """Make sure the idea's group card exists (an empty shell: the idea itself comes
    next, so an idea never exists twice on the page), then put the idea in it."""
    gid = group["id"]
    context = ctx.as_context()
    card = {**group, "votes": votes or 0, "ideas": []}
    return [
        {"op": "upsert", "id": f"group-{gid}", "into": f"#gcol-{screens.column_of(group)}", "where": "sorted",
         "keep": True, "html": fragment("_group_card.html", locale, group=card, **context)},
        {"op": "upsert", "id": f"gidea-{idea['id']}", "into": f"#gideas-{gid}", "where": "sorted",
         "html": fragment("_group_idea.html", locale, idea=idea, group_id=gid, **context)},
    ]
