"""Every idea one caller may see, in one flat list filtered by dimension and words:
the phone's "all ideas" view and ``GET /api/v1/sessions/{id}/ideas``.

Trimmed exactly as on the board (``audience.trim_idea``): a participant gets no
hidden idea and no author while the session is anonymous, except on their own
ideas; the facilitator gets everything. Each idea also says its ``group_id``, and for
a participant whether they gave it "+1" (``reacted``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db
from app.domain import DIMENSION_CODES
from app.errors import Invalid
from app.models import Idea, Participant, Session
from app.services import payloads, reactions
from app.services.audience import Audience, trim_idea
from app.services.text import shown

UNTAGGED = "none"  # the board's own name for ideas without a dimension
QUERY_MAX_LENGTH = 100


def visible(
    db: Db,
    *,
    session: Session,
    audience: Audience,
    dimension: str | None = None,
    words: str | None = None,
    idea_id: int | None = None,
) -> list[dict[str, Any]]:
    """The ideas this audience may see, oldest first (the order they reached the
    board), of one ``dimension`` ("none": untagged) and containing ``words`` (any
    case), when given; only ``idea_id`` when given (one idea's "+1" answer)."""
    if dimension and dimension != UNTAGGED and dimension not in DIMENSION_CODES:
        raise Invalid("Unknown dimension %(code)s.", code=shown(dimension))
    words = " ".join((words or "").split()).casefold()
    if len(words) > QUERY_MAX_LENGTH:
        raise Invalid("Search for at most %(max)s characters.", max=QUERY_MAX_LENGTH)
    query = (
        select(Idea, Participant)
        .outerjoin(Participant, col(Participant.id) == col(Idea.participant_id))
        .where(col(Idea.session_id) == session.id, ~col(Idea.deleted))
        .order_by(col(Idea.id))
    )
    if idea_id is not None:
        query = query.where(col(Idea.id) == idea_id)
    if dimension == UNTAGGED:
        query = query.where(col(Idea.dimension).is_(None))
    elif dimension:
        query = query.where(col(Idea.dimension) == dimension)
    mine = reactions.mine(db, audience.participant_id) if audience.participant_id is not None else None
    out = []
    for idea, author in db.execute(query).all():
        # Matched in Python, after cleaning: the same on SQLite and PostgreSQL (LIKE
        # differs in case and accents), and a session holds hundreds of ideas, not millions.
        if words and words not in idea.text.casefold():
            continue
        trimmed = trim_idea(payloads.idea_public(idea, author), audience=audience, anonymous=session.anonymous)
        if trimmed is None:
            continue
        trimmed["group_id"] = idea.group_id
        if mine is not None:
            trimmed["reacted"] = idea.id in mine
        out.append(trimmed)
    return out
