"""Request and response bodies of the JSON API (the public contract: keep field names)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from app.domain import (
    TIMER_MAX_SECONDS,
    BoardView,
    BudgetSource,
    Horizon,
    Layout,
    Moderation,
    OrganizationType,
    Phase,
    Swot,
    TimerState,
)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


class StageOut(BaseModel):
    id: int
    number: int
    title: str


class WorkshopCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    region: str = Field(min_length=1, max_length=120)
    year: int = Field(ge=2000, le=2100)


class WorkshopOut(BaseModel):
    id: int
    title: str
    region: str
    year: int
    stages: list[StageOut]
    privacy_notice: str | None = Field(
        description="The join page's paragraph on purpose and whom to ask, as the owner wrote it (plain text); "
        "null: the default"
    )
    privacy_notice_effective: str = Field(
        description="That paragraph as the join page shows it: the owner's text, or the default in the "
        "request's language"
    )
    retention_days: int | None = Field(
        description="Participants' names and offices are erased this many days after the last session ended; "
        "null: kept until the organiser erases them"
    )
    names_erased_on: AwareDatetime | None = Field(
        description="When the names are (or were due to be) erased: the last session's end plus retention_days; "
        "null while they are kept or a session is still open"
    )
    names_erased_at: AwareDatetime | None = Field(description="When retention erased them, if it has")


class WorkshopUpdate(BaseModel):
    """The owner's privacy settings (a field left out stays as it is)."""

    model_config = ConfigDict(extra="forbid")
    privacy_notice: str | None = Field(
        default=None,
        description="Plain text (line breaks kept, at most 2000 characters) replacing the join page's paragraph on "
        "purpose and whom to ask; null or empty: the default",
    )
    retention_days: Annotated[int, Field(strict=True)] | None = Field(
        default=None, description="1 to 3650 days after the last session ended; null: keep the names"
    )


class SessionSettings(BaseModel):
    """Settings a facilitator may give when creating a session or change later
    (left out or null: unchanged, or the default on creation)."""

    anonymous: bool | None = None
    idea_max_length: int | None = Field(default=None, ge=20, le=2000)
    vote_budget: int | None = Field(default=None, ge=1, le=50)
    max_votes_per_group: int | None = Field(default=None, ge=1, le=50)
    participants_can_group: bool | None = None
    live_votes: bool | None = None
    anonymous_exports: bool | None = None
    layout: Layout | None = Field(default=None, description="dimensions (six columns) or swot (four quadrants)")
    quick_win_threshold: float | None = Field(
        default=None, ge=1, le=5, description="Both means at or above it: the quick-win quadrant (default 3.5)"
    )
    commitment_open: bool | None = Field(default=None, description="Phones may sign the commitment (Tahap IV)")
    join_locked: bool | None = Field(default=None, description="No new participants may join (the code leaked)")
    input_locked: bool | None = Field(
        default=None, description="Phones may not send, vote, rate or sign for now (a POST answers 409)"
    )
    board_hidden: bool | None = Field(
        default=None, description="The projector shows counts but no texts until revealed"
    )
    board_view: BoardView | None = Field(
        default=None,
        description="columns (the phase's own view), cloud (word cloud) or wall (every idea, page by page)",
    )
    lock_when_timer_ends: bool | None = Field(default=None, description="Input closes when the timer reaches zero")
    show_join_panel: bool | None = Field(
        default=None, description="The projector's large join panel while people join (false: a corner chip)"
    )
    reactions_enabled: bool | None = Field(
        default=None, description='Participants may "+1" each other\'s ideas (default true)'
    )
    moderation: Moderation | None = Field(
        default=None,
        description="off (default) or pre: every new idea waits for the facilitator's approval before the board "
        "and other phones see it (a word-filter hit waits either way)",
    )
    open_until: AwareDatetime | None = Field(
        default=None,
        description="Phones may still join and send ideas after the room session (the session moved on from "
        "brainstorm, or closed) until then: ISO 8601 with its zone, in the future; null (sent) removes the deadline. "
        "Such ideas are marked `after_session`",
    )


class SessionCreate(SessionSettings):
    title: str = Field(min_length=1, max_length=200)
    prompt: str = Field(min_length=1, max_length=500)


class SessionUpdate(SessionSettings):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    prompt: str | None = Field(default=None, min_length=1, max_length=500)


class TimerOut(BaseModel):
    state: TimerState
    ends_at: str | None = Field(description="When it reaches zero (ISO 8601 UTC, ms), while running; else null")
    remaining_seconds: int = Field(description="Seconds left, rounded up (0 when stopped or time is up)")
    server_now: str = Field(description="The server's clock when this was read: screens correct their own by it")
    duration_seconds: int = Field(description="The timer's length so far, added minutes included")


class TimerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["start", "pause", "resume", "add", "stop"]
    seconds: int | None = Field(
        default=None,
        ge=1,
        le=TIMER_MAX_SECONDS,
        strict=True,
        description="start: the length (required); add: the extra time (default 60)",
    )


class FocusOut(BaseModel):
    group_id: int | None
    idea_id: int | None
    label: str | None = Field(default=None, description="The group's title or the idea's text, as phones show it")


class FocusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    group_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    idea_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class PageTurnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    step: Literal[-1, 1] = Field(description="1: the next page, -1: the previous one")


class WordCount(BaseModel):
    word: str
    count: int


class WordCloudOut(BaseModel):
    words: list[WordCount] = Field(description="The 100 most frequent words of the visible ideas, most frequent first")


class SessionOut(BaseModel):
    id: int
    stage_id: int
    workshop_id: int
    title: str
    prompt: str
    phase: Phase
    join_code: str
    join_url: str
    qr_url: str
    anonymous: bool
    idea_max_length: int
    vote_budget: int
    max_votes_per_group: int
    participants_can_group: bool
    live_votes: bool
    anonymous_exports: bool
    layout: Layout
    quick_win_threshold: float
    commitment_open: bool
    join_locked: bool
    input_locked: bool
    board_hidden: bool
    board_view: BoardView
    lock_when_timer_ends: bool
    show_join_panel: bool
    reactions_enabled: bool
    moderation: Moderation
    open_until: str | None = Field(default=None, description="Deadline for late ideas (ISO 8601 UTC), or null")
    timer: TimerOut
    focus: FocusOut
    participant_count: int
    last_seq: int


class PhaseChange(BaseModel):
    phase: Phase


class PhaseOut(BaseModel):
    id: int
    phase: Phase
    seq: int


class JoinIn(BaseModel):
    join_code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=120)
    organization_type: OrganizationType
    organization: str = Field(min_length=1, max_length=160)


class JoinOut(BaseModel):
    participant_id: int
    session_id: int
    token: str


class OnBehalfOf(BaseModel):
    """The person a scribe types an idea for (they have no phone in the session)."""

    name: str = Field(min_length=1, max_length=120)
    organization_type: OrganizationType
    organization: str = Field(min_length=1, max_length=160)


class IdeaCreate(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    dimension: str | None = Field(default=None, max_length=40)
    sub_element: str | None = Field(default=None, max_length=60)
    client_id: str | None = Field(default=None, min_length=1, max_length=64)
    swot: Swot | None = Field(default=None, description="SWOT quadrant, on a `swot` board")
    on_behalf_of: OnBehalfOf | None = Field(
        default=None,
        description="With a facilitator's token (owner, co-facilitator or scribe of the workshop): "
        "the person the idea is typed for; required then, refused from a participant",
    )


class IdeaUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, min_length=1, max_length=4000)
    dimension: str | None = Field(default=None, max_length=40)
    sub_element: str | None = Field(default=None, max_length=60)
    swot: Swot | None = None


class IdeaVisibility(BaseModel):
    hidden: bool


class IdeaOut(BaseModel):
    id: int
    session_id: int
    group_id: int
    text: str
    dimension: str | None
    sub_element: str | None
    swot: Swot | None = None
    hidden: bool
    created_at: str
    updated_at: str
    reactions: int = Field(default=0, description='"+1 setuju" from other participants')
    pending: bool = Field(
        default=False, description="Waiting for the facilitator's approval: only they and its author see it"
    )
    after_session: bool = Field(default=False, description="Sent after the room session, before `open_until`")
    seq: int | None = Field(
        description="Sequence number of the event this change recorded; "
        "on an idempotent repeat, the seq of the original creation."
    )


class SeqOut(BaseModel):
    seq: int


class BoardOut(BaseModel):
    session: dict[str, Any]
    participant_count: int
    last_seq: int
    groups: list[dict[str, Any]]
    # Absent rather than null for facilitators: the same keys as the stream's snapshot
    # (``board.board``).
    votes_left: int | None = Field(
        default=None, exclude_if=lambda v: v is None, description="A participant's dots left (absent for facilitators)"
    )
    commitments: list[dict[str, Any]] = Field(default_factory=list, description="Who signed the commitment")


class ReactionOut(BaseModel):
    idea_id: int
    reactions: int = Field(description='Everyone\'s "+1" on the idea now')
    reacted: bool = Field(description="Whether mine is among them")
    seq: int | None = Field(description="The event this change recorded; null when nothing changed")


class IdeaListOut(BaseModel):
    ideas: list[dict[str, Any]] = Field(
        description="Each idea as the board shows it to the caller (`id`, `text`, `dimension`, `sub_element`, "
        "`swot`, `created_at`; `author` when the caller may see it; `hidden` for the facilitator; `mine` for a "
        "participant), with its `group_id`"
    )


class IdeaMove(BaseModel):
    group_id: int | None = Field(description="Target group; null = a new group of its own")


class MoveOut(BaseModel):
    seq: int | None = Field(description="The idea.moved event; null when the idea was already there")
    group_id: int


class GroupUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, max_length=280, description="Empty or null: back to the first idea's text")
    dimension: str | None = Field(default=None, max_length=40, description="One of the six codes, or null")
    swot: Swot | None = Field(default=None, description="SWOT quadrant (a `swot` board), or null")
    # The roadmap: facilitator only.
    sub_element: str | None = Field(default=None, max_length=60, description="A sub-element of the group's dimension")
    horizon: Horizon | None = Field(default=None, description="short = 1 year, medium = up to 5, long = up to 10")
    owner: str | None = Field(default=None, max_length=160, description="The responsible OPD")
    budget_source: BudgetSource | None = None
    quick_win: bool | None = Field(default=None, description="On the final quick-win list")


class GroupOut(BaseModel):
    id: int
    title: str | None
    dimension: str | None
    swot: Swot | None = None
    sub_element: str | None = None
    horizon: Horizon | None = None
    owner: str | None = None
    budget_source: BudgetSource | None = None
    quick_win: bool = False
    seq: int | None


class VoteIn(BaseModel):
    """The optional body of a cast or take-back: makes a retry safe."""

    model_config = ConfigDict(extra="forbid")
    expected: int | None = Field(
        default=None,
        ge=0,
        strict=True,  # a JSON integer: "1" or true is a 422, not a guess
        description="My dots on this group as I last saw them, before this change. If the server counts "
        "another number, nothing is written and the answer is the current state "
        "(a retry whose first try already went through).",
    )


class VoteOut(BaseModel):
    group_id: int
    my_votes_on_group: int
    votes_left: int
    seq: int


class DuplicateOut(BaseModel):
    group_id: int
    other_group_id: int
    dimension: str | None
    score: float


class ImportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source_session_id: int = Field(ge=1, le=2**31 - 1)
    group_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] | None = Field(
        default=None, min_length=1, max_length=500, description="Hand-picked groups of the source session"
    )
    top: int | None = Field(default=None, ge=1, le=500, description="The top N groups by votes")


class ImportedGroup(BaseModel):
    group_id: int
    source_group_id: int


class ImportOut(BaseModel):
    imported: list[ImportedGroup]
    seq: int | None = Field(description="The groups.imported event; null when every group was already here")


class ScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    impact: int = Field(ge=1, le=5, description="Impact for citizens, 1 (low) to 5 (high)")
    feasibility: int = Field(ge=1, le=5, description="Feasible within one year, 1 (no) to 5 (ready)")


class CommitmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=120)
    position: str = Field(min_length=1, max_length=160)
    organization: str = Field(min_length=1, max_length=160)


class CommitmentOut(BaseModel):
    id: int
    name: str
    position: str
    organization: str
    signed_at: str
    seq: int


# --- suggestions: proposed groups and dimensions, accepted by the facilitator ---------

IdeaId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class ClusterOut(BaseModel):
    title: str = Field(description="A representative phrase, from one of its ideas")
    dimension: str | None = Field(description="The dimension its ideas share (null: none)")
    idea_ids: list[int]
    why: list[str] = Field(description="The words its ideas share")


class ClustersOut(BaseModel):
    clusters: list[ClusterOut]


class ClusterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, max_length=280, description="Empty or null: the first idea's text")
    idea_ids: list[IdeaId] = Field(
        min_length=2, max_length=2000, description="Two ideas or more; the first one's group becomes the group"
    )


class ClustersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clusters: list[ClusterIn] = Field(min_length=1, max_length=200)


class GroupsOut(BaseModel):
    groups: list[GroupOut]


class GuessOut(BaseModel):
    idea_id: int
    dimension: str
    sub_element: str | None
    confidence: float = Field(ge=0, le=1)


class GuessesOut(BaseModel):
    ideas: list[GuessOut]


class PlacementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    idea_id: IdeaId
    dimension: str = Field(min_length=1, max_length=40, description="One of the six codes")
    sub_element: str | None = Field(default=None, max_length=60, description="A sub-element of that dimension, or null")


class PlacementsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ideas: list[PlacementIn] = Field(min_length=1, max_length=2000)


class PlacedOut(BaseModel):
    idea_id: int
    dimension: str
    sub_element: str | None
    group_id: int
    seq: int = Field(description="Its idea.updated event")


class PlacementsOut(BaseModel):
    ideas: list[PlacedOut]


class ShareOut(BaseModel):
    url: str = Field(description="The read-only link to give (results board and downloads, no account needed)")
    token: str = Field(description="The link's secret, shown only now (the server keeps its hash)")


class MemberIn(BaseModel):
    """Invite someone into a workshop's team, or give a member another role."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=3, max_length=254)
    role: str = Field(max_length=40, description="co_facilitator or scribe")


class MemberOut(BaseModel):
    id: int = Field(description="The member's facilitator id (the {member_id} of DELETE)")
    name: str
    email: str
    role: str = Field(description="owner, co_facilitator or scribe")
    awaiting_setup: bool = Field(description="Invited without an account: the setup link is not used yet")
    setup_url: str | None = Field(
        default=None, description="One-time link to set a name and password (only when just invited without an account)"
    )


class AuditEntryOut(BaseModel):
    at: str = Field(description="When, ISO 8601 in UTC (…Z)")
    actor: str = Field(
        description='Who: "name <email>" as the account is now; "Akun terhapus #7" for an erased account, '
        '"Rembuk (otomatis)" for the server itself (retention)'
    )
    action: str = Field(description="What (app.services.audit.Action), e.g. export.downloaded, participant.removed")
    target: str = Field(description="What it was done to, by id and title (never a participant's name)")
    actor_id: int | None = Field(description="The facilitator's id; null for the server itself")
    session_id: int | None = Field(description="The session it concerns, if one")


class AuditLogOut(BaseModel):
    entries: list[AuditEntryOut] = Field(description="Newest first, at most the newest 500 (audit.csv has them all)")


class EraseIn(BaseModel):
    confirm: str = Field(max_length=254, description="The account's own email address, typed to confirm")


class AccountOut(BaseModel):
    id: int
    name: str
    email: str
    created_at: str = Field(description="ISO 8601 in UTC (…Z)")


class OwnedWorkshopOut(BaseModel):
    id: int
    title: str
    region: str
    year: int
    created_at: str


class MembershipOut(BaseModel):
    workshop_id: int
    title: str
    role: str = Field(description="co_facilitator or scribe")
    since: str


class OwnAuditEntryOut(BaseModel):
    at: str
    action: str
    target: str
    workshop_id: int | None
    session_id: int | None


class AccountDataOut(BaseModel):
    """Everything Rembuk keeps about a facilitator's account (never the password hash)."""

    account: AccountOut
    workshops_owned: list[OwnedWorkshopOut]
    memberships: list[MembershipOut]
    audit_entries: list[OwnAuditEntryOut] = Field(description="What this account did, newest first")
    exported_at: str
