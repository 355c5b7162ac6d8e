"""Reading the event log for live streams, shared by every connection of a process.

A small per-session ring of recent events means a burst of N listeners woken by
one event costs one database read, not N. A cursor older than the ring goes to the
database; one older than the replay limit gets a snapshot instead.

Erasing a participant rewrites the stored payloads of earlier events (their name
and office blanked, ``app.services.erasure``), so what a process holds from before
must not be served again:

- a read that meets ``participant.erased`` starts the ring over from the rows it
  read (the rows before it, held in memory, still name the person);
- a stream that starts while the ring is behind the log (this process did not read
  the newest events: another worker recorded them, or nobody here was following)
  checks the gap for an erasure and drops the ring if there is one;
- each record carries ``version``, a digest of its payload as read: the caches of
  renderings (``app.state.rendered_events``, ``html_stream.LiveHtml``) key on it, so
  an event read again after its rewrite is rendered again.

A deleted session (``app.services.deletion``) leaves memory altogether: a read finds
no session row and raises ``SessionGone`` (its streams end), and the deletion's signal
(``Broker.on_gone``) drops the session's ring, as it drops the rendering caches' entries.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from cachetools import LRUCache
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker
from sqlmodel import col
from starlette.concurrency import run_in_threadpool

from app.models import Event, Session

ERASED = "participant.erased"
RING_SIZE = 256
BATCH = 200
# Sessions whose rings a process keeps: the most recently read ones. A busy day runs
# a handful of sessions at once; the rest (yesterday's tahap) must not hold memory.
MAX_RINGS = 64


class SessionGone(Exception):
    """The session was deleted (``app.services.deletion``): its streams end."""


@dataclass(frozen=True, slots=True)
class EventRecord:
    session_id: int
    seq: int
    type: str
    payload: dict[str, Any]
    created_at: datetime
    version: int = 0  # a digest of the payload as read: a rewritten payload is another version


def payload_version(payload: dict[str, Any]) -> int:
    """Renderings are cached per (session, seq, version): only an erasure ever changes
    a stored payload, and then its version changes with it. (About 10 µs per event,
    paid once per database read, not per screen.)"""
    return hash(json.dumps(payload, sort_keys=True, ensure_ascii=False))


class _Rings(LRUCache):
    """The rings of the sessions most recently read; a session evicted lets go of its
    lock too (unless a stream holds it right now)."""

    def __init__(self, locks: dict[int, asyncio.Lock]) -> None:
        super().__init__(maxsize=MAX_RINGS)
        self._locks = locks

    def popitem(self):
        session_id, ring = super().popitem()
        lock = self._locks.get(session_id)
        if lock is not None and not lock.locked():
            del self._locks[session_id]
        return session_id, ring


class EventFeed:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions
        self._locks: dict[int, asyncio.Lock] = {}
        self._rings: _Rings = _Rings(self._locks)

    async def after(self, session_id: int, cursor: int, limit: int = BATCH) -> list[EventRecord]:
        """Events with ``seq > cursor`` in order, at most ``limit``; ``SessionGone``
        when the session no longer exists."""
        cached = self._from_ring(session_id, cursor, limit)
        if cached is not None:
            return cached
        lock = self._locks.setdefault(session_id, asyncio.Lock())
        async with lock:
            # Many streams wake on the same event; the first one through the lock reads
            # the database and fills the ring, the others are then served from it.
            cached = self._from_ring(session_id, cursor, limit)
            if cached is not None:
                return cached
            rows = await run_in_threadpool(self._read, session_id, cursor, limit)
            self._remember(session_id, rows)
        return rows

    def _from_ring(self, session_id: int, cursor: int, limit: int) -> list[EventRecord] | None:
        ring = self._rings.get(session_id)  # (a read: recently used, kept longest)
        if ring and ring[0].seq <= cursor + 1 and ring[-1].seq > cursor:
            start = cursor + 1 - ring[0].seq
            # islice, not ring[i] per index: a deque indexes from its nearer end, and a
            # thousand phones slice it once a second each.
            return list(islice(ring, start, start + limit))
        return None

    def _remember(self, session_id: int, rows: list[EventRecord]) -> None:
        if not rows:
            return
        ring = self._rings.get(session_id)
        if any(row.type == ERASED for row in rows):
            # What the ring holds from before this erasure still names the person.
            ring = deque(rows, maxlen=RING_SIZE)
            self._rings[session_id] = ring
            return
        if ring is None or not ring or rows[0].seq != ring[-1].seq + 1:
            # Not contiguous with what we hold: start over from these rows.
            if ring is not None and ring and rows[-1].seq <= ring[-1].seq:
                return
            ring = deque(maxlen=RING_SIZE)
            self._rings[session_id] = ring  # the least recently read goes when there are too many
        ring.extend(rows)

    def _read(self, session_id: int, cursor: int, limit: int) -> list[EventRecord]:
        # From the session's row, joined to its events: one read says both what is new
        # and whether the session still exists (no row at all: it was deleted). A stream
        # that missed the deletion's signal (a network broker may drop one) learns it at
        # its next read, at no extra query.
        with self._sessions() as db:
            rows = db.execute(
                select(col(Session.id), col(Event.seq), col(Event.type), col(Event.payload), col(Event.created_at))
                .select_from(Session)
                .outerjoin(Event, (col(Event.session_id) == col(Session.id)) & (col(Event.seq) > cursor))
                .where(col(Session.id) == session_id)
                .order_by(col(Event.seq))
                .limit(limit)
            ).all()
        if not rows:
            raise SessionGone(session_id)
        return [
            EventRecord(session_id, r.seq, r.type, r.payload, r.created_at, payload_version(r.payload))
            for r in rows
            if r.seq is not None
        ]

    async def last_seq(self, session_id: int) -> int | None:
        """The session's newest seq, read when a stream starts. A ring behind it that
        missed an erasure is dropped here, before the stream replays from it."""
        ring = self._rings.get(session_id)
        held = ring[-1].seq if ring else None
        last_seq, erased = await run_in_threadpool(self._read_last_seq, session_id, held)
        if erased and self._rings.get(session_id) is ring:
            self.forget(session_id)
        return last_seq

    def _read_last_seq(self, session_id: int, held: int | None) -> tuple[int | None, bool]:
        with self._sessions() as db:
            last_seq = db.execute(
                select(col(Session.last_seq)).where(col(Session.id) == session_id)
            ).scalar_one_or_none()
            if held is None or last_seq is None or last_seq <= held:
                return last_seq, False
            # The gap only (the (session_id, seq) index), and only when the ring is behind.
            erased = db.execute(
                select(col(Event.seq))
                .where(col(Event.session_id) == session_id, col(Event.seq) > held, col(Event.type) == ERASED)
                .limit(1)
            ).first()
            return last_seq, erased is not None

    def forget(self, session_id: int) -> None:
        """Drop the session's ring (a deleted session: its events leave memory too)."""
        self._rings.pop(session_id, None)

    def ring_count(self) -> int:
        return len(self._rings)
