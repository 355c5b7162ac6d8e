from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
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


class VoteReceipt(SQLModel, table=True):
    """The answer to one tap on a phone, kept under the key the phone sent with it
    (``Idempotency-Key``): when the answer is lost on the way and the phone sends the
    tap again, it gets the same answer and no second dot. Written in the same
    transaction as the dot, so a tap that failed left no receipt and may be retried."""

    __tablename__ = "vote_receipt"
    __table_args__ = (UniqueConstraint("participant_id", "key"),)
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    session_id: int = Field(foreign_key="session.id", index=True)
    participant_id: int = Field(foreign_key="participant.id")
    key: str = Field(max_length=255)
    action: str = Field(max_length=10)  # cast | retract
    group_id: int  # as asked; the group may be merged into another later
    my_votes_on_group: int
    votes_left: int
    seq: int
    created_at: datetime = Field(default_factory=utcnow)
