"""The one way a change becomes visible: an event with the session's next seq.

``UPDATE session SET last_seq = last_seq + 1 … RETURNING`` takes the session row's
write lock until commit, so two concurrent writers to one session get consecutive
numbers and commit in that order; readers never see seq N+1 before N. On SQLite the
write transaction (BEGIN IMMEDIATE) already serialises writers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update
from sqlmodel import col

from app.db import Db, add_pending_event
from app.models import Event, Session, utcnow
from app.services import event_types


def record(db: Db, *, session_id: int, type: str, payload: dict[str, Any]) -> int:
    """Append one event in the caller's write transaction; it is published after commit.
    ``type`` must be declared in ``app.services.event_types`` (else UnknownEventType):
    every dispatcher reads that registry. Every event but those that change only
    counts or how the room is run moves ``Session.content_seq``: a cached rendering of
    the ballot is then rendered again."""
    kind = event_types.get(type)
    values: dict[str, Any] = {"last_seq": col(Session.last_seq) + 1, "updated_at": utcnow()}
    if not kind.counts_only:
        values["content_seq"] = col(Session.last_seq) + 1
    seq = db.execute(
        update(Session).where(col(Session.id) == session_id).values(**values).returning(col(Session.last_seq))
    ).scalar_one()
    # Core, not the ORM: the row is never read back in the request, and each write
    # of a room (1,500 dots in 30 s) paid a unit-of-work flush for it under the lock.
    db.execute(insert(Event).values(session_id=session_id, seq=seq, type=type, payload=payload, created_at=utcnow()))
    add_pending_event(db, session_id, seq)
    return seq
