"""Retention: participants' names and offices are erased ``Workshop.retention_days``
after the workshop's last session ended (UU PDP: personal data is kept no longer
than its purpose needs; the purpose here is running the workshop and writing its
report). Ideas, votes and ratings stay, as an anonymous person's.

When a workshop's names are due:

- ``retention_days`` is set (None: kept until the organiser erases them);
- every session that counts is closed. A draft nobody joined does not count: it was
  planned and never ran, and holds nobody's data (a facilitator often prepares one
  "just in case"); a draft someone joined does, people are waiting in it;
- the workshop's *end* plus ``retention_days`` has passed. A session ends when it
  closed (``Session.closed_at``) or, when later, when it stopped taking late ideas
  (``open_until``): people may join until then. The workshop ends with its last
  session; a workshop where no session ever ran has no end;
- names were not already erased since that end (``names_erased_at``). A session
  reopened and closed again moves the end, and people who joined meanwhile are
  erased in their turn.

``apply`` is run by the server (``RetentionKeeper``, at start and daily) and by
``rembuk retention``. Several workers or servers may run it at once: the erasure of
a person is idempotent, and the workshop's row is locked while its
``names_erased_at`` is set, so one of them records the workshop's audit entry
(``retention.completed``; each session erased has its own ``retention.names_erased``). A workshop or
session deleted while a round runs is skipped: its names went with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import exists, select
from sqlmodel import col

from app.db import Db, write_transaction
from app.domain import Phase
from app.errors import NotFound
from app.localtime import as_utc
from app.models import Participant, Session, Stage, Workshop
from app.services import audit, erasure


class State(str, Enum):
    kept = "kept"  # retention_days is None
    waiting = "waiting"  # a session still open (or none ran): the clock has not started
    scheduled = "scheduled"  # erased on ``Status.on``
    erased = "erased"  # erased on ``Status.on`` (names_erased_at)


@dataclass(frozen=True)
class Status:
    """Where a workshop's names stand: what the console reports and the API shows."""

    state: State
    on: datetime | None = None  # the erase date (scheduled) or when they were erased


def _ends(db: Db, workshop_ids: list[int] | None = None) -> dict[int, datetime | None]:
    """Each workshop's end (see the module's docstring), None while a session that
    counts is open; a workshop without a session that counts is left out."""
    joined = exists().where(col(Participant.session_id) == col(Session.id))
    query = select(
        col(Stage.workshop_id),
        col(Session.phase),
        col(Session.closed_at),
        col(Session.updated_at),
        col(Session.open_until),
        joined,
    ).join(Stage, col(Stage.id) == col(Session.stage_id))
    if workshop_ids is not None:
        query = query.where(col(Stage.workshop_id).in_(workshop_ids))
    ends: dict[int, datetime | None] = {}
    still_open: set[int] = set()
    for workshop_id, phase, closed_at, updated_at, open_until, someone_joined in db.execute(query):
        if phase == Phase.draft.value and not someone_joined:
            continue
        if phase != Phase.closed.value:
            still_open.add(workshop_id)
            continue
        # A session closed before ``closed_at`` existed closed at its last change at the latest.
        end = as_utc(closed_at or updated_at)
        if open_until is not None:
            end = max(end, as_utc(open_until))
        previous = ends.get(workshop_id)
        ends[workshop_id] = end if previous is None else max(previous, end)
    for workshop_id in still_open:
        ends[workshop_id] = None
    return ends


def _status(workshop: Workshop, ended: datetime | None) -> Status:
    if workshop.retention_days is None:
        return Status(State.kept)
    if ended is None:
        return Status(State.waiting)
    if workshop.names_erased_at is not None and as_utc(workshop.names_erased_at) >= ended:
        return Status(State.erased, as_utc(workshop.names_erased_at))
    return Status(State.scheduled, ended + timedelta(days=workshop.retention_days))


def status(db: Db, workshop: Workshop) -> Status:
    """Whether the workshop's names are kept, wait for its sessions to close, are
    scheduled for erasure (and when), or were erased (and when)."""
    return _status(workshop, _ends(db, [workshop.id]).get(workshop.id))


def names_erased_on(db: Db, workshop: Workshop) -> datetime | None:
    """When the workshop's names are (or were due to be) erased: its end plus
    ``retention_days``; None while they are kept or a session is still open."""
    if workshop.retention_days is None:
        return None
    ended = _ends(db, [workshop.id]).get(workshop.id)
    return None if ended is None else ended + timedelta(days=workshop.retention_days)


def workshops_due(db: Db, now: datetime) -> list[int]:
    """The ids of the workshops whose names should be erased at ``now``."""
    workshops = list(db.scalars(select(Workshop).where(col(Workshop.retention_days).is_not(None))))
    ends = _ends(db, [w.id for w in workshops])
    due = []
    for workshop in workshops:
        current = _status(workshop, ends.get(workshop.id))
        if current.state == State.scheduled and current.on is not None and current.on <= now:
            due.append(workshop.id)
    return sorted(due)


def apply(db: Db, now: datetime) -> int:
    """Erase the names of every workshop due at ``now``; returns how many workshops.
    Idempotent: a workshop already done is not due any more."""
    done = 0
    for workshop_id in workshops_due(db, now):
        if _erase_workshop(db, workshop_id, now):
            done += 1
    return done


def _erase_workshop(db: Db, workshop_id: int, now: datetime) -> bool:
    session_ids = list(
        db.scalars(
            select(col(Session.id))
            .join(Stage, col(Stage.id) == col(Session.stage_id))
            .where(col(Stage.workshop_id) == workshop_id)
            .order_by(col(Session.id))
        )
    )
    erased = 0
    for session_id in session_ids:
        # Each session in its own transaction, with its own events and audit entry
        # (``erasure``); a session with nobody left to erase writes nothing.
        try:
            erased += erasure.erase_session_names(db, session_id=session_id, actor=None)
        except NotFound:
            # Deleted meanwhile (``app.services.deletion``), its names with it; if the
            # whole workshop went, its row is missing below and the round goes on.
            continue
    with write_transaction(db):
        # Locked and read again: of two workers that both erased, one records it.
        workshop = db.get(Workshop, workshop_id, populate_existing=True, with_for_update=True)
        if workshop is None:
            return False
        current = _status(workshop, _ends(db, [workshop_id]).get(workshop_id))
        if current.state != State.scheduled or current.on is None or current.on > now:
            return False
        workshop.names_erased_at = now
        audit.record(
            db,
            actor=None,
            # The sessions' own entries (``retention.names_erased``) say whose names went;
            # this one closes the story: the workshop's period ran out and none is left.
            action=audit.Action.retention_completed,
            target=f"workshop {workshop.id} “{workshop.title}”: retention of {workshop.retention_days} days, "
            f"{erased} participants erased",
            workshop_id=workshop.id,
        )
    return True
