from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class IdeaGroup(SQLModel, table=True):
    """Every idea sits in a group; a new idea is a group of its own (votes go on groups)."""

    __tablename__ = "idea_group"
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="session.id", index=True)
    title: str | None = Field(default=None, max_length=280)  # None: the first idea's text
    dimension: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(default_factory=utcnow)


class Idea(SQLModel, table=True):
    # client_id makes a retried submit idempotent: the database refuses a second row.
    __table_args__ = (UniqueConstraint("session_id", "client_id"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="session.id", index=True)
    group_id: int = Field(foreign_key="idea_group.id", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    client_id: str | None = Field(default=None, max_length=64)
    text: str = Field(max_length=2000)
    dimension: str | None = Field(default=None, max_length=40)
    sub_element: str | None = Field(default=None, max_length=60)
    hidden: bool = False
    deleted: bool = False  # soft delete: the event log still refers to it
    created_seq: int | None = None  # seq of its idea.created event (returned on idempotent repeats)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
