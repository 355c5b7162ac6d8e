"""Every kind of event a session records, declared once.

An ``EventType`` says all there is to know about one kind of change:

- ``name`` and the service that records it (``recorded_by``);
- ``payload``: what is stored, as a typed model (tests check every recorded payload
  against it; ``docs/architecture.md``'s event reference is generated from it);
- ``counts_only``: it changes counts or how the room is run, never what a ballot
  lists (``Session.content_seq`` stays, ``app.services.events``);
- ``trim``: the payload as one audience may see it (the facilitator, a participant
  whose own event it is, other participants, the projector), with the session's
  state at the time (``Moment``); the JSON stream and the board's snapshot agree
  because both trim here and in ``app.services.audience``;
- ``board``: whether it changes ``GET …/board`` (what a stream client reduces);
- ``live``: what each live HTML screen does with it, by name of a rendering the
  screen knows (``app/realtime/live_*.py``), or a ``Fragment`` for a kind of event
  that only shows a template.

``app.services.events.record`` refuses a type that is not here. Adding a kind of
event: declare it here, record it in its service, write its template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from app.domain import DEFAULT_QUICK_WIN_THRESHOLD
from app.services import tallies
from app.services.audience import Audience, all_scores, group_from, shown_scores, trim_commitment, trim_idea

# --- the stored payloads ----------------------------------------------------------------


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Author(Shape):
    name: str
    organization: str
    organization_type: str


class Idea(Shape):
    """``payloads.idea_public``: the whole idea, its author included."""

    id: int
    group_id: int
    text: str
    dimension: str | None
    sub_element: str | None
    swot: str | None
    hidden: bool
    participant_id: int | None
    author: Author | None
    created_at: str | None
    updated_at: str | None
    reactions: int = 0  # "+1 setuju" from others; events recorded before reactions had none
    # Held for the facilitator (pre-moderation, a word-filter hit): only the facilitator
    # and the author see it; events recorded before moderation had none held.
    pending: bool = False
    held_for: str | None = None
    after_session: bool = False  # sent after the room session, before ``open_until``
    entered_by_id: int | None = None  # the scribe who typed it; events recorded before: none


class Origin(Shape):
    """Where a carried-forward group came from, and its votes there (``lineage.origin``)."""

    group_id: int
    session_id: int
    session_title: str | None
    stage_number: int | None
    votes: int


class Group(Shape):
    """``payloads.group_public``."""

    id: int
    title: str | None
    dimension: str | None
    swot: str | None
    sub_element: str | None
    horizon: str | None
    owner: str | None
    budget_source: str | None
    quick_win: bool
    origin: Origin | None


class Tally(Shape):
    votes: int
    voters: dict[str, int]


class Ratings(Shape):
    impact: float | None
    feasibility: float | None
    raters: int
    by: dict[str, list[int]]


class GroupState(Shape):
    """A group with its votes and ratings (``payloads.group_state``)."""

    group: Group
    tally: Tally
    scores: Ratings


class IdeaChange(GroupState):
    idea: Idea


class IdeaDeleted(Shape):
    idea_id: int
    group_id: int


class IdeaMoved(IdeaChange):
    from_group_id: int
    merged: bool
    votes_moved: int
    votes: int


class ImportedGroup(GroupState):
    ideas: list[Idea]


class GroupsImported(Shape):
    groups: list[ImportedGroup]


class Person(Shape):
    id: int
    name: str
    organization_type: str
    organization: str


class ParticipantJoined(Shape):
    participant: Person
    participant_count: int


class ParticipantRemoved(Shape):
    participant_id: int
    participant_count: int


class ParticipantErased(Shape):
    """Whose name and office were erased, and where a screen showed them: their ideas
    (the author) and their signatures. Every earlier payload naming them was rewritten."""

    participant_id: int
    idea_ids: list[int]
    commitment_ids: list[int]


class SessionData(Shape):
    """``sessions.public``."""

    id: int
    stage_id: int
    title: str
    prompt: str
    phase: str
    join_code: str
    anonymous: bool
    idea_max_length: int
    vote_budget: int
    max_votes_per_group: int
    participants_can_group: bool
    live_votes: bool
    anonymous_exports: bool
    layout: str
    quick_win_threshold: float
    commitment_open: bool
    join_locked: bool
    input_locked: bool
    board_hidden: bool
    board_view: str
    show_join_panel: bool
    lock_when_timer_ends: bool
    reactions_enabled: bool = True  # sessions recorded before reactions existed had them on
    moderation: str = "off"  # "pre": new ideas wait for the facilitator; sessions recorded before had none
    open_until: str | None = None  # the deadline for late ideas (ISO 8601 UTC)


class SessionCreated(Shape):
    session: SessionData


class ArchiveOrigin(Shape):
    """The archive a session was imported from (``archive_import.write``)."""

    created_at: str | None
    app_version: str


class SessionImported(Shape):
    session: SessionData
    archive: ArchiveOrigin


class AuthorShown(Shape):
    idea_id: int
    participant_id: int | None
    author: Author | None


class ScoreSummary(Shape):
    impact: float | None
    feasibility: float | None
    raters: int


class SessionUpdated(Shape):
    session: SessionData
    changed: list[str]
    authors: list[AuthorShown] | None = None  # anonymity switched: names phones must learn or forget
    tallies: dict[str, int] | None = None  # live_votes switched
    scores: dict[str, ScoreSummary] | None = None  # live_votes or the quick-win threshold changed
    votes_used: dict[str, int] | None = None  # vote_budget changed: each phone's dots left


class PhaseChanged(Shape):
    phase: str
    previous: str
    join_code: str
    tallies: dict[str, int]
    scores: dict[str, ScoreSummary]


class VoteChange(Shape):
    group_id: int
    votes: int
    participant_id: int
    my_votes_on_group: int
    votes_left: int


class ScoreSet(GroupState):
    group_id: int
    participant_id: int


class Signature(Shape):
    id: int
    participant_id: int
    name: str
    position: str
    organization: str
    signed_at: str | None


class CommitmentSigned(Shape):
    commitment: Signature


class IdeaReacted(Shape):
    idea_id: int
    group_id: int
    reactions: int
    participant_id: int
    reacted: bool


class Timer(Shape):
    state: Literal["running", "paused", "stopped"]
    ends_at: str | None
    remaining_seconds: int
    server_now: str
    duration_seconds: int


class TimerChanged(Shape):
    timer: Timer
    action: Literal["start", "pause", "resume", "add", "stop"]


class Focus(Shape):
    group_id: int | None
    idea_id: int | None
    label: str | None


class FocusChanged(Shape):
    focus: Focus


class ShareCreated(Shape):
    share_id: int
    active: int


class ShareRevoked(Shape):
    share_ids: list[int]
    active: int


class BoardPaged(Shape):
    step: Literal[-1, 1]


# --- trimming: one event as one audience may see it --------------------------------------


@dataclass(frozen=True)
class Moment:
    """Who is looking, and the session's state when the event happened (whether
    authors and tallies show, where a rated group falls): ``board.EventView``
    follows it along the log."""

    audience: Audience
    anonymous: bool = True
    phase: str = "brainstorm"
    live_votes: bool = False
    threshold: float = DEFAULT_QUICK_WIN_THRESHOLD

    @property
    def votes_shown(self) -> bool:
        return tallies.votes_visible(
            phase=self.phase, live_votes=self.live_votes, facilitator=self.audience.facilitator
        )

    def group(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        return group_from(payload, audience=self.audience, votes_shown=self.votes_shown, threshold=self.threshold)

    def idea(self, idea: dict[str, Any]) -> dict[str, Any] | None:
        return trim_idea(idea, audience=self.audience, anonymous=self.anonymous)


Trim = Callable[[dict[str, Any], Moment], dict[str, Any]]


def as_stored(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    """Nothing in it is private: every audience gets it whole."""
    return payload


def _idea_hidden(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    return {
        "idea": moment.idea(payload["idea"]),
        "idea_id": payload["idea"]["id"],
        "group": moment.group(payload),
        "hidden": payload["idea"]["hidden"],
    }


def _idea_created_or_updated(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    return {"idea": moment.idea(payload["idea"]), "idea_id": payload["idea"]["id"], "group": moment.group(payload)}


def _people(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    """Who joined is the facilitator's to know; everyone else learns the count."""
    if moment.audience.facilitator:
        return payload
    return {"participant_count": payload["participant_count"]}


def _erased(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    """Who it was is the facilitator's to know; a phone and the projector learn which
    ideas and signatures lost their names (ids they already hold)."""
    if moment.audience.facilitator:
        return payload
    return {"idea_ids": payload["idea_ids"], "commitment_ids": payload["commitment_ids"]}


def _idea_moved(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    return {
        "idea": moment.idea(payload["idea"]),
        "idea_id": payload["idea"]["id"],
        "from_group_id": payload["from_group_id"],
        "group": moment.group(payload),
        "merged": payload["merged"],
    }


def _group_updated(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    return {"group": moment.group(payload)}


def _groups_imported(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    return {
        "groups": [
            {"group": moment.group(entry), "ideas": [moment.idea(i) for i in entry["ideas"]]}
            for entry in payload["groups"]
        ]
    }


def _score_set(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    """The group's new means where they may be seen; the rater's own rating to the rater."""
    out = {
        "group_id": payload["group_id"],
        **shown_scores(payload["scores"], shown=moment.votes_shown, threshold=moment.threshold),
    }
    audience = moment.audience
    if audience.participant_id is not None and audience.participant_id == payload["participant_id"]:
        out["my_score"] = payload["scores"]["by"].get(str(audience.participant_id))
    return out


def _commitment_signed(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    return {"commitment": trim_commitment(payload["commitment"], audience=moment.audience)}


def _idea_reacted(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    """The new count for everyone; whether it is mine only to the one who reacted
    (who reacts to what is nobody else's business, the facilitator's included)."""
    out = {k: payload[k] for k in ("idea_id", "group_id", "reactions")}
    if moment.audience.participant_id is not None and moment.audience.participant_id == payload["participant_id"]:
        out["reacted"] = payload["reacted"]
    return out


def _vote(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    """A dot given or taken back: the total only where tallies are visible; the
    voter's own counts only to the voter."""
    out: dict[str, Any] = {"group_id": payload["group_id"], "votes": payload["votes"] if moment.votes_shown else None}
    audience = moment.audience
    if audience.participant_id is not None and audience.participant_id == payload["participant_id"]:
        out["my_votes_on_group"] = payload["my_votes_on_group"]
        out["votes_left"] = payload["votes_left"]
    return out


def _phase_changed(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    """Entering ``results`` reveals the tallies and means to phones that could not
    see them during the vote: they ride along, trimmed by the rules of the new phase."""
    out = {k: v for k, v in payload.items() if k not in ("tallies", "scores")}
    shown_now = tallies.votes_visible(
        phase=payload["phase"], live_votes=moment.live_votes, facilitator=moment.audience.facilitator
    )
    out["tallies"] = payload.get("tallies", {}) if shown_now else None
    out["scores"] = all_scores(payload.get("scores", {}), shown=shown_now, threshold=moment.threshold)
    return out


def _session_updated(payload: dict[str, Any], moment: Moment) -> dict[str, Any]:
    """Settings changed. What rides along is trimmed per audience: the authors (an
    anonymity switch), the tallies (``live_votes`` switched: shown or hidden now),
    and each phone's own dots left (``vote_budget`` changed)."""
    audience = moment.audience
    out = _anonymity_changed(payload, audience) if "authors" in payload else dict(payload)
    session = payload["session"]
    shown_now = tallies.votes_visible(
        phase=session["phase"], live_votes=session["live_votes"], facilitator=audience.facilitator
    )
    if "tallies" in payload:
        out["tallies"] = payload["tallies"] if shown_now else None
    if "scores" in payload:
        out["scores"] = all_scores(
            payload["scores"],
            shown=shown_now,
            threshold=session.get("quick_win_threshold", DEFAULT_QUICK_WIN_THRESHOLD),
        )
    used = out.pop("votes_used", None)
    if used is not None and audience.participant_id is not None:
        out["votes_left"] = tallies.votes_left(session["vote_budget"], used.get(str(audience.participant_id), 0))
    return out


def _anonymity_changed(payload: dict[str, Any], audience: Audience) -> dict[str, Any]:
    """Switching anonymity changes the author shown on every idea a phone already has.
    Without the authors in the event a phone could not follow (it never received the
    names), and "state before + events" would differ from the fresh board. The
    console always sees authors, so it gets the session only."""
    out = {k: v for k, v in payload.items() if k != "authors"}
    if audience.facilitator:
        return out
    anonymous = payload["session"]["anonymous"]
    out["authors"] = [
        {
            "idea_id": entry["idea_id"],
            "author": entry["author"] if not anonymous or entry["participant_id"] == audience.participant_id else None,
        }
        for entry in payload["authors"]
    ]
    return out


# --- the live screens ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    """A rendering for a kind of event that only shows a template: ``template``
    (under ``templates/fragments/``) rendered with the payload trimmed for the
    screen's audience (its keys, and the whole as ``event``) into the element
    ``target``: its inside replaced (``op="html"``), or upserted into it by ``id``
    (``op="upsert"``, ``id`` a format string over the payload, e.g. ``"reaction-{id}"``).
    The phones' "now discussing" banner is one (``focus.changed``)."""

    template: str
    target: str
    op: Literal["html", "upsert"] = "html"
    id: str | None = None


Rendering = str | Fragment | None


@dataclass(frozen=True)
class Live:
    """What each live HTML screen does with an event: the name of one of its
    renderings (``app/realtime/live_board.py``, ``live_console.py``,
    ``live_phone.py``), a ``Fragment``, or None (nothing to draw)."""

    board: Rendering = None
    console: Rendering = None
    phone: Rendering = None

    def screens(self) -> tuple[str, ...]:
        return tuple(screen for screen in ("board", "console", "phone") if getattr(self, screen) is not None)


@dataclass(frozen=True)
class EventType:
    name: str
    recorded_by: str
    doc: str
    payload: type[Shape]
    trim: Trim = as_stored
    counts_only: bool = False
    board: bool = True  # changes GET …/board (a stream client reduces it)
    live: Live = field(default_factory=Live)


TYPES = (
    EventType("session.created", "sessions.create_session", "A session was created (its first event).", SessionCreated),
    EventType(
        "session.imported",
        "archive_import.write",
        "A session brought in with its workshop's archive (its first event): its ideas, groups, votes and "
        "ratings came as rows, so a screen reads the board afresh.",
        SessionImported,
        live=Live("reload", "reload", "reload"),
    ),
    EventType(
        "session.updated",
        "sessions.update_session",
        "Settings changed; `changed` names them. A change of the room's settings only "
        "(`sessions.ROOM_SETTINGS`) reloads no page but the projector's.",
        SessionUpdated,
        _session_updated,
        live=Live("reload", "settings", "settings"),
    ),
    EventType(
        "session.phase_changed",
        "sessions.change_phase",
        "The phase moved on (reopening a closed session may draw a new code); the tallies and means "
        "ride along for phones that could not see them before.",
        PhaseChanged,
        _phase_changed,
        live=Live("reload", "reload", "reload"),
    ),
    EventType(
        "participant.joined",
        "participants.join",
        "Someone joined (the facilitator learns who, everyone the count).",
        ParticipantJoined,
        _people,
        counts_only=True,
        live=Live("count", "count", None),
    ),
    EventType(
        "participant.removed",
        "participants.remove",
        "The facilitator took someone out; their phone reloads into “join again”.",
        ParticipantRemoved,
        _people,
        live=Live("count", "count", "removed"),
    ),
    EventType(
        "participant.erased",
        "erasure.erase_participant, erasure.erase_session_names",
        "Someone's name and office were erased (on request or by retention): the row, their ideas, dots, ratings "
        "and signature stay, nameless; every earlier payload naming them was rewritten, so every screen reads "
        "afresh.",
        ParticipantErased,
        _erased,
        live=Live("reload", "reload", "reload"),
    ),
    EventType(
        "idea.created",
        "ideas.submit",
        "An idea from a phone, in a group of its own.",
        IdeaChange,
        _idea_created_or_updated,
        live=Live("idea_new", "idea", "idea"),
    ),
    EventType(
        "idea.updated",
        "ideas.edit, suggestions.apply_dimensions",
        "Its author changed an idea, or the facilitator gave it a suggested dimension (a group of one follows its "
        "dimension).",
        IdeaChange,
        _idea_created_or_updated,
        live=Live("idea", "idea", "idea"),
    ),
    EventType(
        "idea.hidden",
        "ideas.set_hidden",
        "The facilitator hid an idea, or showed it again (`hidden` says which); null for participants while hidden.",
        IdeaChange,
        _idea_hidden,
        live=Live("idea_hidden", "idea_hidden", "idea_hidden"),
    ),
    EventType(
        "idea.reacted",
        "reactions.react, reactions.take_back",
        'Someone gave an idea "+1 setuju" or took it back: its new count; `reacted` only to that person.',
        IdeaReacted,
        _idea_reacted,
        counts_only=True,
        live=Live("reaction", "reaction", None),
    ),
    EventType(
        "idea.deleted",
        "ideas.delete",
        "Its author deleted an idea (the row is kept, flagged).",
        IdeaDeleted,
        live=Live("idea_deleted", "idea_deleted", "idea_deleted"),
    ),
    EventType(
        "idea.moved",
        "groups.move_idea, suggestions.apply_groups",
        "An idea moved into another group (`merged`: the group it left is gone and its votes moved to the target).",
        IdeaMoved,
        _idea_moved,
        live=Live("move", "move", "move"),
    ),
    EventType(
        "group.updated",
        "groups.update_group, suggestions.apply_groups",
        "A group renamed, its dimension, quadrant or roadmap set.",
        GroupState,
        _group_updated,
        live=Live("group", "group", "group"),
    ),
    EventType(
        "groups.imported",
        "carry.import_groups",
        "Groups carried forward from an earlier session, one event per import; the copied ideas have no author.",
        GroupsImported,
        _groups_imported,
        live=Live("import", "import", "import"),
    ),
    EventType(
        "vote.cast",
        "votes.cast",
        "A dot given; the total shows where tallies are visible, the voter also gets their own dots.",
        VoteChange,
        _vote,
        counts_only=True,
        live=Live("vote", "vote", "vote"),
    ),
    EventType(
        "vote.removed",
        "votes.retract",
        "A dot taken back (as `vote.cast`).",
        VoteChange,
        _vote,
        counts_only=True,
        live=Live("vote", "vote", "vote"),
    ),
    EventType(
        "score.set",
        "scores.rate",
        "A participant rated a group (a second rating replaces the first).",
        ScoreSet,
        _score_set,
        counts_only=True,
        live=Live("score", "score", "score"),
    ),
    EventType(
        "commitment.signed",
        "commitments.sign",
        "Someone signed the joint commitment (signing again corrects it). Signatures are public.",
        CommitmentSigned,
        _commitment_signed,
        counts_only=True,
        live=Live("signature", "signature", "signature"),
    ),
    EventType(
        "timer.changed",
        "timer.change",
        "The timer started, paused, resumed, got more time or stopped: "
        "one absolute end time, the server's clock beside it.",
        TimerChanged,
        counts_only=True,
        board=False,
        live=Live("timer", "timer", "timer"),
    ),
    EventType(
        "focus.changed",
        "focus.set_focus",
        "The projector shows one group or idea large (or neither again); `label` is what phones name.",
        FocusChanged,
        counts_only=True,
        board=False,
        live=Live("reload", "focus", Fragment("_focus_banner.html", target="focus-banner")),
    ),
    EventType(
        "board.paged",
        "focus.turn_page",
        "The presenter remote turned the projector's page.",
        BoardPaged,
        counts_only=True,
        board=False,
        live=Live(board="page"),
    ),
    EventType(
        "share.created",
        "shares.create",
        "A read-only link to the results board and downloads was made (the token is never in the log).",
        ShareCreated,
        counts_only=True,
        board=False,
    ),
    EventType(
        "share.revoked",
        "shares.revoke",
        "Read-only links were revoked; the streams opened with them end within a heartbeat.",
        ShareRevoked,
        counts_only=True,
        board=False,
    ),
    EventType(
        "idea.approved",
        "ideas.approve",
        "The facilitator let a held idea onto the board (pre-moderation or a word-filter hit): every screen adds it "
        "as a new idea; its `idea.created` showed it only to the facilitator and its author.",
        IdeaChange,
        _idea_created_or_updated,
        live=Live("idea_new", "idea", "idea"),
    ),
)

REGISTRY: dict[str, EventType] = {t.name: t for t in TYPES}
COUNT_ONLY = frozenset(t.name for t in TYPES if t.counts_only)


class UnknownEventType(ValueError):
    """A service recorded a kind of event nobody declared (a programming error)."""


def get(name: str) -> EventType:
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownEventType(f"{name!r} is not declared in app/services/event_types.py") from None
