from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class Workshop(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    title: str = Field(max_length=200)
    region: str = Field(max_length=120)
    year: int
    owner_id: int = Field(foreign_key="facilitator.id", index=True)
    # Words that hold an idea for review (JSON list of strings); None: the default list.
    word_filter: str | None = Field(default=None, sa_type=Text)
    # What the join page tells people about their data; None: the default text.
    privacy_notice: str | None = Field(default=None, sa_type=Text)
    # Names and offices are erased this many days after the last session closed;
    # None: kept until someone erases them.
    retention_days: int | None = 90
    names_erased_at: datetime | None = None  # when retention erased them
    created_at: datetime = Field(default_factory=utcnow)


class WorkshopMember(SQLModel, table=True):
    """A facilitator added to a workshop they do not own, with a role
    (``app.domain.Role``: co_facilitator or scribe; the owner is ``Workshop.owner_id``)."""

    __tablename__ = "workshop_member"
    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True)
    facilitator_id: int = Field(foreign_key="facilitator.id", primary_key=True, index=True)
    role: str = Field(default="co_facilitator", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class Stage(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("workshop_id", "number"),)
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    number: int
    title: str = Field(max_length=200)


class Dimension(SQLModel, table=True):
    """A workshop's copy of one of the six smart-city dimensions."""

    __table_args__ = (UniqueConstraint("workshop_id", "code"),)
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    code: str = Field(max_length=40)
    name: str = Field(max_length=120)
    letter: str = Field(max_length=2)
    position: int


class SubElement(SQLModel, table=True):
    __tablename__ = "sub_element"
    __table_args__ = (UniqueConstraint("dimension_id", "code"),)
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
    dimension_id: int = Field(foreign_key="dimension.id", index=True)
    code: str = Field(max_length=60)
    name_id: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    position: int
