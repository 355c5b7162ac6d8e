"""Where a card goes and which view a screen shows: the columns of a board (the six
dimensions, or the SWOT quadrants of a Tahap I worksheet) and the view of each
screen by phase. Pure functions of a session's settings, shared by the pages
(``screens``) and the live renderings (``live_board``, ``live_console``,
``live_phone``, ``group_cards``) so both place a card in the same column."""

from __future__ import annotations

from typing import Any

from app.domain import DIMENSION_CODES, DIMENSIONS, SWOT_CODES, Layout, Phase
from app.services import tallies

NONE_COLUMN = "none"
COLUMN_CODES = (*(d.code for d in DIMENSIONS), NONE_COLUMN)
# A `swot` session's board: four quadrants (internal factors first, as on the Tahap I
# worksheet) and a strip for what is not sorted yet.
SWOT_COLUMNS = (*SWOT_CODES, NONE_COLUMN)

# What the live region of board and console shows, by phase: idea columns while ideas
# come in, group cards while the room groups, votes and rates, the results once
# revealed. While the commitment is open the board shows the quick-win list and who
# signed (``board_view``).
GROUP_PHASES = (Phase.group.value, Phase.vote.value, Phase.score.value)
RESULT_PHASES = tallies.REVEALED_PHASES


def columns_by(layout: str | None, screen: str) -> str:
    """What a screen's columns are: ``swot`` quadrants on the board and phones of a
    SWOT session, else dimensions (the console keeps its dimension columns: it is
    where the facilitator sorts by dimension, whatever the projector shows)."""
    if layout == Layout.swot.value and screen != "console":
        return "swot"
    return "dimension"


def column_of(item: dict[str, Any], by: str = "dimension") -> str:
    """The column of an idea (its own dimension or quadrant) or of a group (the group's)."""
    return item.get(by) or NONE_COLUMN


def column_codes(by: str) -> tuple[str, ...]:
    return SWOT_COLUMNS if by == "swot" else COLUMN_CODES


def dimension_filter(value: str | None) -> str | None:
    """``?dimension=`` of a SWOT board: a dimension code, ``none`` (uncategorised), or
    nothing (anything else is ignored rather than refused: it is only a view)."""
    return value if value in (*DIMENSION_CODES, NONE_COLUMN) else None


def passes(item: dict[str, Any], only: str | None) -> bool:
    return only is None or (item.get("dimension") or NONE_COLUMN) == only


def view_of(phase: str) -> str:
    if phase in GROUP_PHASES:
        return "groups"
    if phase in RESULT_PHASES:
        return "results"
    return "ideas"


def board_view(phase: str, commitment_open: bool) -> str:
    """The projector: the commitment takes over while it is open (Tahap IV)."""
    return "commitment" if commitment_open else view_of(phase)


def phone_view(session: dict[str, Any]) -> str:
    """What a phone shows: a session dict or a live viewer's variant (same keys)."""
    phase = session.get("phase", Phase.brainstorm.value)
    if session.get("commitment_open"):
        return "commitment"
    if phase == Phase.group.value and session.get("participants_can_group"):
        return "groups"
    if phase == Phase.vote.value:
        return "vote"
    if phase == Phase.score.value:
        return "score"
    if phase in RESULT_PHASES:
        return "results"
    return "ideas"
