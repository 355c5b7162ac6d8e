"""The one way a change becomes visible: an event with the session's next seq.

``UPDATE session SET last_seq = last_seq + 1 … RETURNING`` takes the session row's
write lock until commit, so two concurrent writers to one session get consecutive
numbers and commit in that order; readers never see seq N+1 before N. On SQLite the
write transaction (BEGIN IMMEDIATE) already serialises writers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from app.db import Db, add_pending_event
from app.models import Event, Session, utcnow
from app.services import event_types

# Built once on the tables and run on the connection: every write of a room records
# an event under the session's lock, and the ORM's bulk UPDATE (building the
# statement, keying it, synchronising the identity map) and unit of work for the
# event row cost more than the two statements themselves (profile of ideas.submit).
_SESSION = Session.__table__  # type: ignore[attr-defined]
_NEXT = _SESSION.c.last_seq + 1
_NUMBER = (
    update(_SESSION)
    .where(_SESSION.c.id == bindparam("session_id_"))
    .values(last_seq=_NEXT, updated_at=bindparam("now"))
    .returning(_SESSION.c.last_seq)
)
_NUMBER_CONTENT = (
    update(_SESSION)
    .where(_SESSION.c.id == bindparam("session_id_"))
    .values(last_seq=_NEXT, content_seq=_NEXT, updated_at=bindparam("now"))
    .returning(_SESSION.c.last_seq)
)
_INSERT = insert(Event.__table__)  # type: ignore[attr-defined]


def record(db: Db, *, session_id: int, type: str, payload: dict[str, Any]) -> int:
    """Append one event in the caller's write transaction; it is published after commit.
    ``type`` must be declared in ``app.services.event_types`` (else UnknownEventType):
    every dispatcher reads that registry. Every event but those that change only
    counts or how the room is run moves ``Session.content_seq``: a cached rendering of
    the ballot is then rendered again."""
    seq = number(db, session_id=session_id, type=type)
    append(db, session_id=session_id, seq=seq, type=type, payload=payload)
    return seq


def number(db: Db, *, session_id: int, type: str) -> int:
    """The first half of ``record``: the session's next seq, for a write that stores it
    in its own row (an idea's ``created_seq``) in the same INSERT, not in an UPDATE
    after it. Pair with ``append`` in the same transaction."""
    kind = event_types.get(type)
    # The caller's pending changes go first, as the ORM's UPDATE would have flushed them.
    db.flush()
    now = utcnow()
    seq = (
        db.connection()
        .execute(_NUMBER if kind.counts_only else _NUMBER_CONTENT, {"session_id_": session_id, "now": now})
        .scalar_one()
    )
    # The session row as loaded in this request (the caller's ``sessions.locked``)
    # learns its new numbers, as the ORM's UPDATE kept it in step.
    loaded = db.identity_map.get(identity_key(Session, session_id))
    if loaded is not None:
        set_committed_value(loaded, "last_seq", seq)
        set_committed_value(loaded, "updated_at", now)
        if not kind.counts_only:
            set_committed_value(loaded, "content_seq", seq)
    return seq


def append(db: Db, *, session_id: int, seq: int, type: str, payload: dict[str, Any]) -> None:
    """The second half of ``record``: the event row with the seq ``number`` gave."""
    event_types.get(type)  # an undeclared type is refused here too (UnknownEventType)
    db.connection().execute(
        _INSERT, {"session_id": session_id, "seq": seq, "type": type, "payload": payload, "created_at": utcnow()}
    )
    add_pending_event(db, session_id, seq)
