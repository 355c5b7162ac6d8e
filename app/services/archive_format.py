"""The workshop archive's format (``format: "rembuk-workshop"``), declared once.

Rows sit under what owns them (sessions under their stage, ideas under their
session), so a session, stage or workshop id never has to be matched up: only the
references the tables really have between rows (an idea's group and author, a vote's
group and voter, a carried group's source) carry ids, and those are the archive's
own numbers, replaced by new ones on import.

``VERSION`` is an integer the importer checks: an archive newer than this Rembuk
knows is refused with a message saying to update. A field added to a table means a
new version (rows forbid fields they do not declare, so an older Rembuk can never
drop a setting without saying so); the importer then keeps reading older versions
with the new field at its default. ``tests/workshops/test_archive.py`` fails when a
column is neither archived nor listed in ``LEFT_OUT`` with its reason.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from app.domain import SCORE_MAX, SCORE_MIN, BoardView, Layout, Moderation, Phase, TimerState
from app.services.privacy import NOTICE_MAX_LENGTH, RETENTION_MAX_DAYS, RETENTION_MIN_DAYS

FORMAT = "rembuk-workshop"
# 2: the word filter, moderation, ``open_until``, held and late ideas (version 1 files
# import with their defaults).
# 3: the workshop's privacy notice and retention (older files import with the default
# notice and names erased 90 days after the last session, as every workshop starts).
VERSION = 3

# Columns an archive does not carry, and why (checked against the tables by a test).
LEFT_OUT: dict[str, dict[str, str]] = {
    "workshop": {
        "id": "new on import",
        "owner_id": "the importer owns the imported workshop",
        "names_erased_at": "names already erased are not in the archive to erase again",
    },
    "stage": {"id": "sessions sit under their stage", "workshop_id": "implied"},
    "dimension": {"id": "nothing refers to it by id", "workshop_id": "implied"},
    "sub_element": {"id": "nothing refers to it by id", "dimension_id": "implied"},
    "session": {
        "stage_id": "implied",
        "last_seq": "the event log starts again with session.imported",
        "content_seq": "the event log starts again with session.imported",
        "closed_at": "retention on the new server counts from the import (a closed session closes then)",
    },
    "participant": {
        "session_id": "implied",
        "entered_by_id": "the scribe's account stays on the old server",
        "erased_at": "an erased person is exported without name and office already",
    },
    "idea_group": {"session_id": "implied"},
    "idea": {
        "session_id": "implied",
        "client_id": "a phone's retry key; phones join the new server again",
        "created_seq": "an event of the old log",
        "entered_by_id": "the scribe's account stays on the old server",
    },
    "reaction": {"id": "nothing refers to it", "session_id": "implied"},
    "vote": {"id": "nothing refers to it", "session_id": "implied"},
    "score": {"id": "nothing refers to it", "session_id": "implied"},
    "commitment": {"id": "nothing refers to it", "session_id": "implied"},
}
# Tables an archive does not carry at all.
NOT_ARCHIVED = {
    "event": "the live screens read the rows; an imported session's log starts with session.imported",
    "vote_receipt": "answers to a phone's retried tap, under that phone's token, which the new server does not know",
    "facilitator": "accounts stay on their server; the importer owns the workshop",
    "workshop_member": "co-facilitators are accounts of the old server",
    "setup_token": "belongs to the server, not to a workshop",  # nosec B105 (a table's name and why it stays)
    "audit_entry": "who did what on the old server, with its accounts; the new one keeps its own",
    "session_share": "a read-only link is an address of the old server; the new one makes its own",
}


# Numbers as the columns hold them (PostgreSQL ``integer`` and ``bigint``): a larger
# one would be refused by the database mid-import instead of named here.
Int = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
BigInt = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @classmethod
    def columns(cls) -> list[str]:
        """Its fields that are columns of its table (not the lists of rows nested in it)."""
        return [
            name for name, info in cls.model_fields.items() if getattr(info.annotation, "__origin__", None) is not list
        ]

    @model_validator(mode="after")
    def _storable_text(self) -> Row:
        """Text every database stores: PostgreSQL refuses NUL (pydantic already refuses
        a lone surrogate, which JSON allows)."""
        for name, value in self.__dict__.items():
            if isinstance(value, str) and "\x00" in value:
                raise ValueError(f"{name}: text with a NUL character")
        return self


class SubElementRow(Row):
    code: str = Field(max_length=60)
    name_id: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    position: Int


class DimensionRow(Row):
    code: str = Field(max_length=40)
    name: str = Field(max_length=120)
    letter: str = Field(max_length=2)
    position: Int
    sub_elements: list[SubElementRow] = []


class ParticipantRow(Row):
    id: Int
    name: str = Field(max_length=120)
    organization_type: str = Field(max_length=20)
    organization: str = Field(max_length=160)
    joined_at: AwareDatetime
    removed: bool = False


class GroupRow(Row):
    id: Int
    title: str | None = Field(None, max_length=280)
    dimension: str | None = Field(None, max_length=40)
    swot: str | None = Field(None, max_length=20)
    sub_element: str | None = Field(None, max_length=60)
    horizon: str | None = Field(None, max_length=10)
    owner: str | None = Field(None, max_length=160)
    budget_source: str | None = Field(None, max_length=10)
    quick_win: bool = False
    source_group_id: Int | None = None
    source_session_id: Int | None = None
    source_votes: Int | None = None
    created_at: AwareDatetime


class IdeaRow(Row):
    id: Int
    group_id: Int
    participant_id: Int | None = None
    text: str = Field(max_length=2000)
    dimension: str | None = Field(None, max_length=40)
    sub_element: str | None = Field(None, max_length=60)
    swot: str | None = Field(None, max_length=20)
    source_idea_id: Int | None = None
    hidden: bool = False
    pending: bool = False
    held_for: str | None = Field(None, max_length=20)
    after_session: bool = False
    deleted: bool = False
    reactions: int = Field(0, ge=0, le=2**31 - 1)
    created_at: AwareDatetime
    updated_at: AwareDatetime


class ReactionRow(Row):
    idea_id: Int
    participant_id: Int
    created_at: AwareDatetime


class VoteRow(Row):
    group_id: Int
    participant_id: Int
    created_at: AwareDatetime


class ScoreRow(Row):
    group_id: Int
    participant_id: Int
    impact: int = Field(ge=SCORE_MIN, le=SCORE_MAX)
    feasibility: int = Field(ge=SCORE_MIN, le=SCORE_MAX)
    created_at: AwareDatetime
    updated_at: AwareDatetime


class CommitmentRow(Row):
    participant_id: Int
    name: str = Field(max_length=120)
    position: str = Field(max_length=160)
    organization: str = Field(max_length=160)
    signed_at: AwareDatetime


class SessionRow(Row):
    """A session with every setting, the room's state (timer, focus) and its rows."""

    id: Int
    title: str = Field(max_length=200)
    prompt: str = Field(max_length=500)
    phase: Phase
    join_code: str = Field(max_length=12)
    anonymous: bool
    idea_max_length: int = Field(ge=1, le=2000)
    vote_budget: int = Field(ge=1, le=50)
    max_votes_per_group: int = Field(ge=1, le=50)
    participants_can_group: bool
    live_votes: bool
    anonymous_exports: bool
    layout: Layout
    quick_win_threshold: float = Field(ge=SCORE_MIN, le=SCORE_MAX)
    commitment_open: bool
    join_locked: bool
    input_locked: bool
    reactions_enabled: bool
    board_hidden: bool
    board_view: BoardView
    show_join_panel: bool
    lock_when_timer_ends: bool
    moderation: Moderation = Moderation.off
    open_until: AwareDatetime | None = None
    timer_state: TimerState
    timer_ends_at_ms: BigInt | None = None
    timer_remaining_ms: int = Field(0, ge=0, le=2**63 - 1)
    timer_duration_ms: int = Field(0, ge=0, le=2**63 - 1)
    focus_group_id: Int | None = None
    focus_idea_id: Int | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    participants: list[ParticipantRow] = []
    groups: list[GroupRow] = []
    ideas: list[IdeaRow] = []
    reactions: list[ReactionRow] = []
    votes: list[VoteRow] = []
    scores: list[ScoreRow] = []
    commitments: list[CommitmentRow] = []

    @model_validator(mode="after")
    def _references_inside(self) -> SessionRow:
        """Everything a row of this session points at is in this session."""
        people = _unique(self.participants, "participant", self.id)
        groups = _unique(self.groups, "group", self.id)
        ideas = _unique(self.ideas, "idea", self.id)
        where = f"session {self.id}"
        for idea in self.ideas:
            _in(idea.group_id, groups, f"{where}: idea {idea.id}'s group")
            if idea.participant_id is not None:
                _in(idea.participant_id, people, f"{where}: idea {idea.id}'s author")
        for kind, pairs in (
            ("reaction", [(r.idea_id, r.participant_id) for r in self.reactions]),
            ("score", [(s.group_id, s.participant_id) for s in self.scores]),
        ):
            if len(set(pairs)) != len(pairs):
                raise ValueError(f"{where}: a participant has two {kind}s on one item")
        for reaction in self.reactions:
            _in(reaction.idea_id, ideas, f"{where}: a reaction's idea")
            _in(reaction.participant_id, people, f"{where}: a reaction's participant")
        marks: list[VoteRow | ScoreRow] = [*self.votes, *self.scores]
        for mark in marks:
            _in(mark.group_id, groups, f"{where}: a vote's or rating's group")
            _in(mark.participant_id, people, f"{where}: a vote's or rating's participant")
        signers = [c.participant_id for c in self.commitments]
        if len(set(signers)) != len(signers):
            raise ValueError(f"{where}: a participant signed twice")
        for signer in signers:
            _in(signer, people, f"{where}: a signature's participant")
        if self.focus_group_id is not None:
            _in(self.focus_group_id, groups, f"{where}: the focused group")
        if self.focus_idea_id is not None:
            _in(self.focus_idea_id, ideas, f"{where}: the focused idea")
        return self


class StageRow(Row):
    number: int = Field(ge=1, le=99)
    title: str = Field(max_length=200)
    sessions: list[SessionRow] = []


class WorkshopRow(Row):
    title: str = Field(min_length=1, max_length=200)
    region: str = Field(min_length=1, max_length=120)
    year: int = Field(ge=2000, le=2100)
    word_filter: str | None = Field(None, max_length=20000)
    privacy_notice: str | None = Field(None, max_length=NOTICE_MAX_LENGTH)
    retention_days: int | None = Field(90, ge=RETENTION_MIN_DAYS, le=RETENTION_MAX_DAYS)
    created_at: AwareDatetime


class Archive(Row):
    """A whole workshop. ``format`` and ``version`` are checked before the rest is
    read (``archive.read``), so a foreign or newer file gets its own message."""

    format: str
    version: int
    created_at: AwareDatetime
    app_version: str = Field(max_length=40)
    workshop: WorkshopRow
    dimensions: list[DimensionRow]
    stages: list[StageRow]

    @model_validator(mode="after")
    def _references_across(self) -> Archive:
        """Ids unique across the archive, and lineage (carried groups and their
        copied ideas) pointing at rows of the archive."""
        numbers = [s.number for s in self.stages]
        if len(set(numbers)) != len(numbers):
            raise ValueError("two stages have the same number")
        codes = [d.code for d in self.dimensions]
        if len(set(codes)) != len(codes):
            raise ValueError("two dimensions have the same code")
        for dim in self.dimensions:
            subs = [s.code for s in dim.sub_elements]
            if len(set(subs)) != len(subs):
                raise ValueError(f"dimension {dim.code} has two sub-elements with the same code")
        sessions = [s for stage in self.stages for s in stage.sessions]
        _unique(sessions, "session", None)
        group_session = _across(sessions, "groups", "group")
        idea_ids = set(_across(sessions, "ideas", "idea"))
        _across(sessions, "participants", "participant")
        session_ids = {s.id for s in sessions}
        for session in sessions:
            for group in session.groups:
                if (group.source_group_id is None) != (group.source_session_id is None):
                    raise ValueError(f"group {group.id}: a source group needs its source session, and back")
                if group.source_group_id is not None:
                    _in(group.source_session_id, session_ids, f"group {group.id}'s source session")
                    if group_session.get(group.source_group_id) != group.source_session_id:
                        raise ValueError(
                            f"group {group.id}'s source group {group.source_group_id} is not in "
                            f"session {group.source_session_id} of the archive"
                        )
            for idea in session.ideas:
                if idea.source_idea_id is not None:
                    _in(idea.source_idea_id, idea_ids, f"idea {idea.id}'s source idea")
        return self


def _unique(rows: list, kind: str, session_id: int | None) -> set[int]:
    ids = [row.id for row in rows]
    found = set(ids)
    if len(found) != len(ids):
        where = f"session {session_id}: " if session_id is not None else ""
        raise ValueError(f"{where}two {kind}s have the same id")
    return found


def _across(sessions: list[SessionRow], attribute: str, kind: str) -> dict[int, int]:
    """id → session id of every ``attribute`` row of every session; ids unique across sessions."""
    owner: dict[int, int] = {}
    for session in sessions:
        for row in getattr(session, attribute):
            if row.id in owner:
                raise ValueError(f"two {kind}s have the id {row.id}")
            owner[row.id] = session.id
    return owner


def _in(ident: int | None, known: set[int], what: str) -> None:
    if ident not in known:
        raise ValueError(f"{what} ({ident}) is not in the archive")
