from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from app.models.base import utcnow


class Session(SQLModel, table=True):
    """One facilitated session of a stage: a prompt on the board and a join code.

    Not to be confused with a database session (called ``db`` everywhere).
    ``last_seq`` is the newest event's sequence number; bumping it takes the row
    lock that orders this session's events (see ``app.services.events``).
    """

    __tablename__ = "session"
    __table_args__ = (
        # A code is unique among sessions that can still be joined.
        Index(
            "uq_session_open_join_code",
            "join_code",
            unique=True,
            sqlite_where=text("phase != 'closed'"),
            postgresql_where=text("phase != 'closed'"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(foreign_key="stage.id", index=True)
    title: str = Field(max_length=200)
    prompt: str = Field(max_length=500)
    phase: str = Field(default="draft", max_length=20)
    join_code: str = Field(max_length=12, index=True)
    anonymous: bool = True
    idea_max_length: int = 280
    vote_budget: int = 5
    max_votes_per_group: int = 3
    participants_can_group: bool = False
    live_votes: bool = False  # show tallies on board and phones while voting
    anonymous_exports: bool = False  # leave authors out of the downloads too
    layout: str = Field(default="dimensions", max_length=20)  # or "swot"
    quick_win_threshold: float = 3.5  # both means at or above: the quick-win quadrant
    commitment_open: bool = False  # phones may sign the commitment (Tahap IV)
    join_locked: bool = False  # the room is complete: no new participants (the code leaked)
    last_seq: int = 0
    # The seq of the newest event that changed what the session shows other than
    # counts (votes, ratings, signatures, the number of people). A rendering of the
    # phones' ballot stays valid while it is unchanged: 500 phones reloading into the
    # vote share one rendering (app.realtime.ballot). Bumped in app.services.events.
    content_seq: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
