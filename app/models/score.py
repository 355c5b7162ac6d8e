from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class Score(SQLModel, table=True):
    """One participant's rating of one candidate group (a second rating replaces
    the first: the unique pair keeps one row per rater)."""

    __table_args__ = (UniqueConstraint("group_id", "participant_id"),)
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    session_id: int = Field(foreign_key="session.id", index=True)
    group_id: int = Field(foreign_key="idea_group.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    impact: int  # for citizens, 1–5
    feasibility: int  # within one year, 1–5
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Commitment(SQLModel, table=True):
    """A participant's signature under the session's quick-win list ("Saya berkomitmen")."""

    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    session_id: int = Field(foreign_key="session.id", index=True)
    participant_id: int = Field(foreign_key="participant.id")
    name: str = Field(max_length=120)
    position: str = Field(max_length=160)
    organization: str = Field(max_length=160)
    signed_at: datetime = Field(default_factory=utcnow)
