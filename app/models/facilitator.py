from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class Facilitator(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-case
    name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # Signed into every login token; logging out bumps it, which ends every login of
    # this facilitator at once (tokens are not stored, so this is how one dies).
    token_epoch: int = 0
    erased_at: datetime | None = None  # the account erased at its owner's request


class SetupToken(SQLModel, table=True):
    """One-time link printed on first start to create the first facilitator."""

    __tablename__ = "setup_token"
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    token_hash: str = Field(max_length=128, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None
