from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class Vote(SQLModel, table=True):
    """One dot a participant put on a group. Rows, not counters: a tally is a count
    the database computes, so no lost update can make it drift."""

    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    session_id: int = Field(foreign_key="session.id", index=True)
    group_id: int = Field(foreign_key="idea_group.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
