from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class SessionShare(SQLModel, table=True):
    """A read-only link to a session's results board and downloads for people without
    an account (a Bupati, an office that missed the day). Only the token's hash is
    kept; revoking sets ``revoked_at`` and ends the streams opened with it."""

    __tablename__ = "session_share"
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    session_id: int = Field(foreign_key="session.id", index=True)
    token_hash: str = Field(max_length=128, unique=True)
    created_by_id: int = Field(foreign_key="facilitator.id")
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
