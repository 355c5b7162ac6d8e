from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class Participant(SQLModel, table=True):
    """Someone in the room, joined from a phone. No account: the device keeps a signed token."""

    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    session_id: int = Field(foreign_key="session.id", index=True)
    name: str = Field(max_length=120)
    organization_type: str = Field(max_length=20)
    organization: str = Field(max_length=160)
    joined_at: datetime = Field(default_factory=utcnow)
    # A person without a phone whose ideas a scribe enters (no device token exists).
    entered_by_id: int | None = Field(default=None, foreign_key="facilitator.id")
    removed: bool = False
    # Name and office erased (on request or by retention): the row stays, so their
    # ideas and votes still count, as an anonymous person's.
    erased_at: datetime | None = None
