from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, text
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
    id: int = Field(default=None, primary_key=True)  # None only until flushed: see app.models
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
    # Running the room (the facilitator's controls, without a phase change).
    input_locked: bool = False  # phones may not send, vote, rate or sign for now
    reactions_enabled: bool = True  # participants may "+1" each other's ideas
    board_hidden: bool = False  # the projector shows counts, not texts, until revealed
    board_view: str = Field(default="columns", max_length=20)  # app.domain.BoardView
    show_join_panel: bool = True  # the large QR panel while people join (else a corner chip)
    lock_when_timer_ends: bool = False  # input closes when the timer reaches zero
    # The timer: one absolute end time while it runs (epoch milliseconds, so every
    # screen counts down to the same instant whatever its own clock says), what was
    # left when it was paused, and its length so far (for the progress ring).
    timer_state: str = Field(default="stopped", max_length=10)  # app.domain.TimerState
    timer_ends_at_ms: int | None = Field(default=None, sa_type=BigInteger)
    timer_remaining_ms: int = Field(default=0, sa_type=BigInteger)
    timer_duration_ms: int = Field(default=0, sa_type=BigInteger)
    # What the facilitator is talking about: one group or one idea (or neither).
    focus_group_id: int | None = None
    focus_idea_id: int | None = None
    last_seq: int = 0
    # The seq of the newest event that changed what the session shows other than
    # counts (votes, ratings, signatures, the number of people). A rendering of the
    # phones' ballot stays valid while it is unchanged: 500 phones reloading into the
    # vote share one rendering (app.realtime.ballot). Bumped in app.services.events.
    content_seq: int = 0
    moderation: str = Field(default="off", max_length=10)  # app.domain.Moderation
    # Phones may still send ideas until then, after the room session (between stages).
    open_until: datetime | None = None
    closed_at: datetime | None = None  # the last time it closed (retention counts from it)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
