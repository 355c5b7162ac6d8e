from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class IdeaGroup(SQLModel, table=True):
    """Every idea sits in a group; a new idea is a group of its own (votes go on groups)."""

    __tablename__ = "idea_group"
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    session_id: int = Field(foreign_key="session.id", index=True)
    title: str | None = Field(default=None, max_length=280)  # None: the first idea's text
    dimension: str | None = Field(default=None, max_length=40)
    # SWOT quadrant on a `swot` board (the dimension stays: it is filterable there).
    swot: str | None = Field(default=None, max_length=20)
    # Roadmap, set by the facilitator on any group: a programme's plan.
    sub_element: str | None = Field(default=None, max_length=60)
    horizon: str | None = Field(default=None, max_length=10)
    owner: str | None = Field(default=None, max_length=160)  # the responsible OPD
    budget_source: str | None = Field(default=None, max_length=10)
    quick_win: bool = False
    # Lineage: the group of an earlier session this one was carried forward from,
    # with its votes there at the time (the source can change later; the board says
    # "dari Tahap II, 14 suara" about the moment it was carried).
    source_group_id: int | None = Field(default=None, foreign_key="idea_group.id", index=True)
    source_session_id: int | None = Field(default=None, foreign_key="session.id")
    source_votes: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Idea(SQLModel, table=True):
    # client_id makes a retried submit idempotent: the database refuses a second row.
    __table_args__ = (UniqueConstraint("session_id", "client_id"),)
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    session_id: int = Field(foreign_key="session.id", index=True)
    group_id: int = Field(foreign_key="idea_group.id", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    client_id: str | None = Field(default=None, max_length=64)
    text: str = Field(max_length=2000)
    dimension: str | None = Field(default=None, max_length=40)
    sub_element: str | None = Field(default=None, max_length=60)
    swot: str | None = Field(default=None, max_length=20)
    # A copy made by carrying a group forward: the idea it was copied from (its
    # author stays there; the copy has none, being nobody's submission here).
    source_idea_id: int | None = Field(default=None, foreign_key="idea.id")
    hidden: bool = False
    # Held for review (pre-moderation or a word-filter hit): only the facilitator and
    # the author see it until it is approved. ``held_for``: "moderation" or "word_filter".
    pending: bool = False
    held_for: str | None = Field(default=None, max_length=20)
    # Typed by a scribe or facilitator on behalf of someone (``participant_id``: the
    # person it was entered for, who has no phone in the session).
    entered_by_id: int | None = Field(default=None, foreign_key="facilitator.id")
    # Sent after the room session, while the session stayed open (``Session.open_until``).
    after_session: bool = False
    deleted: bool = False  # soft delete: the event log still refers to it
    created_seq: int | None = None  # seq of its idea.created event (returned on idempotent repeats)
    # "+1 setuju" from other participants: the rows in ``reaction`` are the truth; this
    # count is written with them under the session lock, so every payload can carry it.
    reactions: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Reaction(SQLModel, table=True):
    """One participant's "+1 setuju" on someone else's idea: one per person per idea."""

    __table_args__ = (UniqueConstraint("idea_id", "participant_id"),)
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    session_id: int = Field(foreign_key="session.id", index=True)
    idea_id: int = Field(foreign_key="idea.id")
    participant_id: int = Field(foreign_key="participant.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
