from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class AuditEntry(SQLModel, table=True):
    """Who did what, when, to a workshop's personal data or outcome (a download, an
    erasure, a phase change). No foreign keys on purpose: an entry outlives what it
    is about (the deletion of a session is itself an entry) and is never erased by
    retention, so ``target`` names things by id and title, never a participant's name.
    ``actor_id``: the facilitator; None for the server itself (retention)."""

    __tablename__ = "audit_entry"

    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    at: datetime = Field(default_factory=utcnow)
    workshop_id: int | None = Field(default=None, index=True)
    session_id: int | None = None
    actor_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=40)
    target: str = Field(max_length=240)
