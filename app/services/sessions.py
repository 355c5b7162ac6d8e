"""Sessions: creation with a join code, settings, and moving through phases."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.db import Db, write_transaction
from app.domain import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    PHASE_ORDER,
    SCORE_MAX,
    SCORE_MIN,
    BoardView,
    Layout,
    Moderation,
    Permission,
    Phase,
)
from app.errors import Conflict, Invalid, NotFound
from app.localtime import as_utc
from app.models import Facilitator, Session, Stage, iso, utcnow
from app.services import audit, events, payloads, ratings, tallies, workshops
from app.services.text import clean_text, shown

IDEA_MAX_LENGTH_LIMIT = 2000
LAYOUT_CODES = tuple(layout.value for layout in Layout)
BOARD_VIEW_CODES = tuple(view.value for view in BoardView)
FLAGS = (
    "anonymous",
    "participants_can_group",
    "live_votes",
    "anonymous_exports",
    "commitment_open",
    "join_locked",
    "input_locked",
    "board_hidden",
    "show_join_panel",
    "lock_when_timer_ends",
    "reactions_enabled",
)
# Settings that only run the room (what the projector shows, whether phones may send
# now): a change to them alone is no reason for a page to reload (see ``changed`` in
# the ``session.updated`` event, and app.realtime.html_stream).
ROOM_SETTINGS = frozenset({"input_locked", "board_hidden", "board_view", "show_join_panel", "lock_when_timer_ends"})
# "After the room session": the facilitator has moved the session on from brainstorm
# (grouping, voting, scoring, results) or closed it. Ideas sent then are accepted only
# while ``open_until`` is ahead, and are marked ``Idea.after_session``. A draft is not
# after anything: a deadline never opens a session that has not started.
AFTER_SESSION_PHASES = frozenset(
    {Phase.group.value, Phase.vote.value, Phase.score.value, Phase.results.value, Phase.closed.value}
)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code: str | None) -> str:
    """People type codes from a projector: accept lower case, spaces and the look-alikes."""
    return (code or "").upper().replace(" ", "").replace("-", "")


def _free_code(db: Db) -> str:
    for _ in range(20):
        code = new_join_code()
        taken = db.scalar(
            select(col(Session.id)).where(col(Session.join_code) == code, col(Session.phase) != Phase.closed.value)
        )
        if taken is None:
            return code
    raise Conflict("Could not find a free join code; try again.")  # 31^6 ≈ 887 million: practically never


def code_for_import(db: Db, code: str, *, phase: str) -> str:
    """An imported session keeps its join code (the printed QR codes still work) unless
    an open session here already uses it, or it is no code this server would draw."""
    usable = len(code) == JOIN_CODE_LENGTH and all(c in JOIN_CODE_ALPHABET for c in code)
    if usable and phase == Phase.closed.value:
        return code
    taken = db.scalar(
        select(col(Session.id)).where(col(Session.join_code) == code, col(Session.phase) != Phase.closed.value)
    )
    return code if usable and taken is None else _free_code(db)


def session_settings(session: Session) -> dict[str, Any]:
    return {
        "anonymous": session.anonymous,
        "idea_max_length": session.idea_max_length,
        "vote_budget": session.vote_budget,
        "max_votes_per_group": session.max_votes_per_group,
        "participants_can_group": session.participants_can_group,
        "live_votes": session.live_votes,
        "anonymous_exports": session.anonymous_exports,
        "layout": session.layout,
        "quick_win_threshold": session.quick_win_threshold,
        "commitment_open": session.commitment_open,
        "join_locked": session.join_locked,
        "input_locked": session.input_locked,
        "board_hidden": session.board_hidden,
        "board_view": session.board_view,
        "show_join_panel": session.show_join_panel,
        "lock_when_timer_ends": session.lock_when_timer_ends,
        "reactions_enabled": session.reactions_enabled,
        "moderation": session.moderation,
        "open_until": iso(session.open_until),
    }


def late_open(session: Session, now: datetime | None = None) -> bool:
    """Whether phones may still join and send ideas after the room session (see
    ``AFTER_SESSION_PHASES``): only until ``open_until``."""
    if session.open_until is None or session.phase not in AFTER_SESSION_PHASES:
        return False
    return (now or utcnow()) < as_utc(session.open_until)


def late_until(session: Session | dict[str, Any], now: datetime | None = None) -> datetime | None:
    """The deadline for late ideas while it is open (a session row, or the ``public``
    dict the pages draw from), else None: what the join page and the phone show."""
    if isinstance(session, Session):
        return as_utc(session.open_until) if session.open_until is not None and late_open(session, now) else None
    until, phase = session.get("open_until"), session.get("phase")
    if not until or phase not in AFTER_SESSION_PHASES:
        return None
    moment = as_utc(until)
    return moment if (now or utcnow()) < moment else None


def _check_open_until(value: Any) -> datetime | None:
    """A deadline in the future with its zone (the API's ISO 8601; the console's form
    converts local time first), or None to close the session to late ideas."""
    if value is None or value == "":
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        raise Invalid("open_until must be a date and time in ISO 8601, e.g. 2026-12-14T17:00:00+07:00.") from None
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise Invalid("open_until needs its time zone, e.g. 2026-12-14T17:00:00+07:00.")
    try:
        moment = as_utc(moment).replace(microsecond=0)
    except OverflowError:  # 9999-12-31T23:59-14:00 is past the last day UTC can hold
        raise Invalid("open_until must be a date and time in ISO 8601, e.g. 2026-12-14T17:00:00+07:00.") from None
    if moment <= utcnow():
        raise Invalid("open_until must be in the future.")
    return moment


def _validate_settings(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "open_until" in values:
        # Present and null clears the deadline (unlike the other settings, where null
        # means unchanged): the API sends only what the caller set.
        out["open_until"] = _check_open_until(values["open_until"])
    for flag in FLAGS:
        if values.get(flag) is not None:
            out[flag] = bool(values[flag])
    if values.get("board_view") is not None:
        if values["board_view"] not in BOARD_VIEW_CODES:
            raise Invalid(
                "Unknown board view %(code)s; choose columns, cloud or wall.", code=shown(str(values["board_view"]))
            )
        out["board_view"] = values["board_view"]
    if values.get("moderation") is not None:
        try:
            out["moderation"] = Moderation(values["moderation"]).value
        except ValueError:
            raise Invalid(
                "Unknown moderation %(code)s; choose off or pre.", code=shown(str(values["moderation"]))
            ) from None
    if values.get("layout") is not None:
        if values["layout"] not in LAYOUT_CODES:
            raise Invalid("Unknown layout %(code)s; choose dimensions or swot.", code=shown(str(values["layout"])))
        out["layout"] = values["layout"]
    if values.get("quick_win_threshold") is not None:
        threshold = float(values["quick_win_threshold"])
        if not SCORE_MIN <= threshold <= SCORE_MAX:
            raise Invalid(
                "%(field)s must be between %(low)s and %(high)s.",
                field="Quick-win threshold",
                low=SCORE_MIN,
                high=SCORE_MAX,
            )
        out["quick_win_threshold"] = threshold
    checks = {
        "idea_max_length": (20, IDEA_MAX_LENGTH_LIMIT, "Idea max length"),
        "vote_budget": (1, 50, "Vote budget"),
        "max_votes_per_group": (1, 50, "Max votes per group"),
    }
    for key, (low, high, label) in checks.items():
        if values.get(key) is not None:
            value = int(values[key])
            if not low <= value <= high:
                raise Invalid("%(field)s must be between %(low)s and %(high)s.", field=label, low=low, high=high)
            out[key] = value
    return out


def create_session(
    db: Db, *, facilitator: Facilitator, stage_id: int, title: str, prompt: str, **settings: Any
) -> Session:
    stage = workshops.get_stage(db, facilitator=facilitator, stage_id=stage_id)
    title = clean_text(title, field="Title", max_length=200)
    prompt = clean_text(prompt, field="Prompt", max_length=500, multiline=True)
    values = _validate_settings(settings)
    with write_transaction(db):
        session = Session(stage_id=stage.id, title=title, prompt=prompt, join_code=_free_code(db), **values)
        db.add(session)
        db.flush()
        events.record(db, session_id=session.id, type="session.created", payload={"session": public(session)})
    db.refresh(session)
    return session


def public(session: Session) -> dict[str, Any]:
    """What every screen may know about a session (the join URL is added by routes;
    the timer and the focus are ``app.services.timer`` and ``app.services.focus``)."""
    return {
        "id": session.id,
        "stage_id": session.stage_id,
        "title": session.title,
        "prompt": session.prompt,
        "phase": session.phase,
        "join_code": session.join_code,
        **session_settings(session),
    }


def locked(db: Db, session_id: int) -> Session:
    """The session row, locked until this write transaction ends: every write to a
    session takes it first (the lock order, see ``app.services.ideas``).

    FOR UPDATE: on PostgreSQL a plain read let a submit that read "brainstorm" commit
    its idea after a concurrent move to "group" (tests/live/test_event_log.py). Holding
    the session row orders every check with phase changes. SQLite ignores it
    (BEGIN IMMEDIATE already serialises writers).
    """
    session = db.get(Session, session_id, populate_existing=True, with_for_update=True)
    if session is None:
        raise NotFound("Session not found.")
    return session


def get_for_facilitator(
    db: Db, *, facilitator: Facilitator, session_id: int, permission: Permission = Permission.run
) -> Session:
    """The session if the caller's role in its workshop allows ``permission``
    (``workshops.require``): running it by default; pass ``Permission.read`` to look,
    ``Permission.enter_ideas`` to type ideas on behalf of people. A workshop not theirs
    is a 404, a role without the permission a 403."""
    session = db.get(Session, session_id)
    if session is None:
        raise NotFound("Session not found.")
    workshops.require(
        db,
        facilitator=facilitator,
        workshop_id=workshop_id_of(db, session),
        permission=permission,
        missing="Session not found.",
    )
    return session


def list_for_stage(db: Db, stage_id: int) -> list[Session]:
    return list(db.scalars(select(Session).where(col(Session.stage_id) == stage_id).order_by(col(Session.id))))


def any_live(db: Db) -> bool:
    """Whether a session is being run: out of its draft and not closed (the rolling
    snapshots run while one is, app/snapshots.py)."""
    idle = (Phase.draft.value, Phase.closed.value)
    return db.scalar(select(col(Session.id)).where(col(Session.phase).not_in(idle)).limit(1)) is not None


def find_open_by_code(db: Db, code: str) -> Session:
    code = normalise_join_code(code)
    if len(code) != JOIN_CODE_LENGTH or any(c not in JOIN_CODE_ALPHABET for c in code):
        raise NotFound("Join code not found. Check the code on the screen.")
    session = db.scalar(
        select(Session)
        .where(col(Session.join_code) == code)
        .order_by((col(Session.phase) == Phase.closed.value), col(Session.id).desc())
    )
    if session is None:
        raise NotFound("Join code not found. Check the code on the screen.")
    if session.phase == Phase.closed.value and not late_open(session):
        raise Conflict("This session is closed.")
    return session


def change_phase(db: Db, *, facilitator: Facilitator, session_id: int, phase: str) -> tuple[Session, int]:
    if phase not in PHASE_ORDER:
        raise Invalid("Unknown phase %(phase)s.", phase=shown(phase))
    session = get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    with write_transaction(db):
        # Locked before reading (PostgreSQL): "previous" and the code clash check must
        # see what a concurrent writer committed (lock order: see app.services.ideas).
        session = locked(db, session_id)
        previous = session.phase
        if previous == Phase.closed.value and phase != previous:
            # Reopening: the code may have gone to another open session meanwhile.
            clash = db.scalar(
                select(col(Session.id)).where(
                    col(Session.join_code) == session.join_code,
                    col(Session.phase) != Phase.closed.value,
                    col(Session.id) != session.id,
                )
            )
            if clash is not None:
                session.join_code = _free_code(db)
        session.phase = phase
        if phase != Phase.closed.value:
            session.closed_at = None  # reopened: retention waits for it to close again
        elif previous != phase:
            session.closed_at = utcnow()  # retention counts from here (app.services.retention)
        db.flush()
        if phase != previous:
            _audit(db, facilitator, session, audit.Action.phase_changed, f"{previous} → {phase}")
        seq = events.record(
            db,
            session_id=session.id,
            type="session.phase_changed",
            # The tallies ride along: entering `results` reveals them to phones that
            # were not allowed to see them during the vote (see board.event_for).
            payload={
                "phase": phase,
                "previous": previous,
                "join_code": session.join_code,
                "tallies": tallies.for_session(db, session.id),
                "scores": ratings.for_session(db, session.id),
            },
        )
    db.refresh(session)
    return session, seq


def update_session(db: Db, *, facilitator: Facilitator, session_id: int, **changes: Any) -> tuple[Session, int]:
    get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    values = _validate_settings(changes)
    if changes.get("title") is not None:
        values["title"] = clean_text(changes["title"], field="Title", max_length=200)
    if changes.get("prompt") is not None:
        values["prompt"] = clean_text(changes["prompt"], field="Prompt", max_length=500, multiline=True)
    with write_transaction(db):
        # Locked before reading: two concurrent switches must not both miss the change
        # and leave phones showing (or hiding) the wrong authors.
        session = locked(db, session_id)
        was_anonymous = session.anonymous
        was_anonymous_exports = session.anonymous_exports
        was_live_votes = session.live_votes
        was_budget = session.vote_budget
        was_threshold = session.quick_win_threshold
        before = public(session)
        for key, value in values.items():
            setattr(session, key, value)
        db.flush()
        after = public(session)
        # ``changed`` lets a screen skip a reload when only the room's controls moved (or
        # nothing did: a form saved twice still records its event, as it always has).
        changed = sorted(key for key in after if after[key] != before[key])
        _audit_names_revealed(
            db,
            facilitator=facilitator,
            session=session,
            revealed=[
                name
                for name, was, now in (
                    ("anonymous", was_anonymous, session.anonymous),
                    ("anonymous_exports", was_anonymous_exports, session.anonymous_exports),
                )
                if was and not now
            ],
        )
        payload: dict[str, Any] = {"session": after, "changed": changed}
        if session.anonymous != was_anonymous:
            # Phones must learn (or forget) the authors of ideas they already show.
            payload["authors"] = payloads.visible_authors(db, session.id)
        if session.live_votes != was_live_votes:
            payload["tallies"] = tallies.for_session(db, session.id)
        if session.live_votes != was_live_votes or session.quick_win_threshold != was_threshold:
            # Means shown or hidden now, or every quadrant moved with the threshold.
            payload["scores"] = ratings.for_session(db, session.id)
        if session.vote_budget != was_budget:
            # Every phone's dots left change without a vote: each learns its own
            # (``board.event_for`` keeps only the phone's entry).
            payload["votes_used"] = tallies.used_by_participant(db, session.id)
        seq = events.record(db, session_id=session.id, type="session.updated", payload=payload)
    db.refresh(session)
    return session, seq


def _audit_names_revealed(db: Db, *, facilitator: Facilitator, session: Session, revealed: list[str]) -> None:
    """Anonymity switched off (on the screens, or in the downloads): from now on the
    participants' names show, which the audit log keeps, one entry per setting."""
    for setting in revealed:
        _audit(db, facilitator, session, audit.Action.names_revealed, f"{setting} off")


def _audit(db: Db, facilitator: Facilitator, session: Session, action: audit.Action, change: str) -> None:
    """One audit entry about a change to this session: "<session>: <change>"."""
    audit.record(
        db,
        actor=facilitator,
        action=action,
        target=f"{audit.session_target(session)}: {change}",
        workshop_id=workshop_id_of(db, session),
        session_id=session.id,
    )


def workshop_id_of(db: Db, session: Session) -> int:
    # Every session has its stage (a foreign key that is never null).
    return db.execute(select(col(Stage.workshop_id)).where(col(Stage.id) == session.stage_id)).scalar_one()
