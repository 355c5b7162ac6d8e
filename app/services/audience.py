"""Who is looking, and what of a session each one may see.

One model for every screen and stream: the facilitator (authors and hidden ideas
included), the projector (public: what any participant sees), and one participant's
phone (their own ideas, dots and ratings besides). The JSON stream, the board's
snapshot and the live HTML screens all trim through these functions, which is what
keeps "state before + events == fresh state" true for every audience.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.services import ratings, tallies


@dataclass(frozen=True)
class Audience:
    """The facilitator (sees authors and hidden ideas), or a participant's phone
    (``participant_id``), or neither: the projector, which is public."""

    facilitator: bool
    participant_id: int | None = None

    @property
    def phone(self) -> bool:
        return self.participant_id is not None


FACILITATOR = Audience(facilitator=True)
# The projector is public: it sees what a participant sees (no hidden ideas; authors
# only when the session is not anonymous), even though a facilitator opens it.
PROJECTOR = Audience(facilitator=False)


def phone(participant_id: int) -> Audience:
    return Audience(facilitator=False, participant_id=participant_id)


def trim_idea(idea: dict[str, Any], *, audience: Audience, anonymous: bool) -> dict[str, Any] | None:
    """The idea as this audience may see it, or None when it must not see it at all:
    hidden, for all but the facilitator; held for review (``pending``), for all but
    the facilitator and its author (whose phone says it waits)."""
    if idea.get("hidden") and not audience.facilitator:
        return None
    mine = audience.participant_id is not None and idea.get("participant_id") == audience.participant_id
    if idea.get("pending") and not (audience.facilitator or mine):
        return None
    out = {k: idea.get(k) for k in ("id", "text", "dimension", "sub_element", "swot", "created_at")}
    out["reactions"] = idea.get("reactions", 0)  # events recorded before reactions existed: none
    # Sent after the room session (between stages): every screen marks it.
    out["after_session"] = bool(idea.get("after_session"))
    if audience.facilitator or not anonymous or mine:
        out["author"] = idea.get("author")
    if audience.facilitator:
        out["hidden"] = bool(idea.get("hidden"))
        # Typed by the scribe ("dicatat notulis"): the team's to know, not the room's.
        out["entered_by_scribe"] = idea.get("entered_by_id") is not None
        if idea.get("pending"):
            out["pending"], out["held_for"] = True, idea.get("held_for")
    elif mine and idea.get("pending"):
        out["pending"] = True
    if audience.participant_id is not None:
        out["mine"] = mine
    return out


GROUP_FIELDS = (
    "id",
    "title",
    "dimension",
    "swot",
    "sub_element",
    "horizon",
    "owner",
    "budget_source",
    "quick_win",
    "origin",
)


def shown_group(
    group: dict[str, Any],
    *,
    votes: int,
    my_votes: int,
    scores: dict[str, Any] | None,
    my_score: list[int] | None,
    audience: Audience,
    shown: bool,
    threshold: float,
) -> dict[str, Any]:
    """A group as this audience sees it, on the board and in every event: the
    group's own fields, then votes and rating means (null where tallies are not
    visible to it), the phone's own dots and rating (null but for a phone)."""
    out = {k: group.get(k) for k in GROUP_FIELDS}
    out["quick_win"] = bool(out["quick_win"])
    out.update(shown_scores(scores, shown=shown, threshold=threshold))
    out["votes"] = votes if shown else None
    out["my_votes"] = my_votes if audience.phone else None
    out["my_score"] = (list(my_score) if my_score else None) if audience.phone else None
    return out


def shown_scores(scores: dict[str, Any] | None, *, shown: bool, threshold: float) -> dict[str, Any]:
    if not shown:
        return {"impact": None, "feasibility": None, "raters": None, "quadrant": None}
    scores = scores or {}
    impact, feasibility = scores.get("impact"), scores.get("feasibility")
    return {
        "impact": impact,
        "feasibility": feasibility,
        "raters": scores.get("raters", 0),
        "quadrant": ratings.quadrant(impact, feasibility, threshold),
    }


def all_scores(rated: dict[str, Any], *, shown: bool, threshold: float) -> dict[str, Any] | None:
    """Every rated group's means and quadrant, or None where they are not visible."""
    if not shown:
        return None
    return {gid: shown_scores(entry, shown=True, threshold=threshold) for gid, entry in rated.items()}


def trim_commitment(commitment: dict[str, Any], *, audience: Audience) -> dict[str, Any]:
    out = {k: commitment[k] for k in ("id", "name", "position", "organization", "signed_at")}
    if audience.participant_id is not None:
        out["mine"] = commitment["participant_id"] == audience.participant_id
    return out


def group_from(
    payload: dict[str, Any], *, audience: Audience, votes_shown: bool, threshold: float
) -> dict[str, Any] | None:
    """An event's group with its tally and ratings trimmed for this audience (events
    written before votes or ratings existed lack them: nothing had any then)."""
    group = payload.get("group")
    if group is None:
        return None
    tally = payload.get("tally") or tallies.empty_tally()
    rated = payload.get("scores") or ratings.empty_scores()
    pid = str(audience.participant_id)
    return shown_group(
        group,
        votes=tally["votes"],
        my_votes=tally["voters"].get(pid, 0),
        scores=rated,
        my_score=rated["by"].get(pid),
        audience=audience,
        shown=votes_shown,
        threshold=threshold,
    )
