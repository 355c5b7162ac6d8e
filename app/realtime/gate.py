"""Wake a phone's stream only for what its screen shows.

In a room of 1,000 phones most events show nothing on most phones: another person's
idea while ideas come in, another person's dot while the tallies are hidden. Waking
every phone's stream for every event, only for it to read, render and hold back an
empty message, grew with the room to most of the server's work per write
(bench/room.py).

A ``Gate`` stands between the broker and the gated streams of one session in one
process. It is the broker's one subscriber for them; it reads each new batch of
events once and asks each stream whether any of them shows anything (``Concerns``,
answered from the shared rendering cache and memoised per audience for the batch).
It wakes only those that say yes. The others learn the new seq without waking: their
stream sends it at its next quiet moment (``stream.QUIET_SECONDS``), so a reconnect
still replays little.

Whatever the gate cannot judge (a read that fails, a gap, a deleted session, a broker
that reconnected) wakes every stream, which then reads for itself, as without a gate.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable
from typing import Any

from app.db import SESSION_GONE_SEQ
from app.realtime.broker import Broker, Subscription
from app.realtime.feed import EventFeed, EventRecord

log = logging.getLogger(__name__)

# Whether any of a batch of events shows something on this screen. The second
# argument is shared by every stream asked about the same batch: a stream memoises
# there what holds for its whole audience (``html_stream``), so 1,000 phones cost a
# few renders and a thousand dictionary look-ups, not a thousand renders.
Concerns = Callable[[list[EventRecord], dict[Hashable, Any]], bool]
# How long the gate sleeps with nothing signalled (it only waits on the broker).
IDLE_SECONDS = 30.0


class Gate:
    """The gated streams of one session in this process."""

    def __init__(self, broker: Broker, feed: EventFeed, session_id: int, tick_seconds: float = 0.0) -> None:
        self.broker = broker
        self.feed = feed
        self.session_id = session_id
        self.tick_seconds = tick_seconds
        self.members: dict[Subscription, tuple[Concerns, float]] = {}
        # Everything up to here has been judged (None: nothing yet; the first signal
        # wakes every stream, which read for themselves).
        self.cursor: int | None = None
        self.wakes = 0  # streams woken (tests and benches compare it with the members)
        self._sub = broker.subscribe(session_id)
        self._task = asyncio.get_running_loop().create_task(self._run(), name=f"gate-{session_id}")

    def join(self, concerns: Concerns, quiet_seconds: float) -> Subscription:
        """A stream's subscription; what it is not woken for reaches it as a timeout
        within ``quiet_seconds``."""
        sub = Subscription(self.session_id)
        self.members[sub] = (concerns, quiet_seconds)
        return sub

    def close(self) -> None:
        self._task.cancel()
        self.broker.unsubscribe(self._sub)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        judged_at = 0.0
        seen = self._sub.latest
        while True:
            if not await self._sub.wait(IDLE_SECONDS):
                continue
            if self._sub.latest == seen:
                # Woken with no new seq: a network broker reconnected and signals may
                # have been lost. Every stream reads the log itself, as without a gate.
                self._wake_all(seen)
                continue
            seen = self._sub.latest
            # A burst (80 dots a second) is judged a tick at a time, as the streams
            # read it: each judgement asks every phone.
            pause = self.tick_seconds - (loop.time() - judged_at)
            if pause > 0 and self._sub.latest < SESSION_GONE_SEQ:
                await asyncio.sleep(pause)
            judged_at = loop.time()
            try:
                await self._judge(self._sub.latest)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Never leave a stream asleep on a signal: it reads the log itself.
                log.exception("live gate of session %s failed; waking its streams", self.session_id)
                self._wake_all(self._sub.latest)

    async def _judge(self, latest: int) -> None:
        if latest >= SESSION_GONE_SEQ or self.cursor is None:
            self._wake_all(latest)
            return
        # (A signal for events already judged, the read having run ahead of it, is nothing new.)
        while self.cursor < latest and self.members:
            records = await self.feed.after(self.session_id, self.cursor)
            if not records or records[0].seq != self.cursor + 1:
                self._wake_all(latest)  # a gap or a resync: the streams sort it out
                return
            last = records[-1].seq
            memo: dict[Hashable, Any] = {}
            for sub, (concerns, quiet_seconds) in list(self.members.items()):
                if concerns(records, memo):
                    self.wakes += 1
                    sub.notify(last)
                else:
                    sub.advance(last, quiet_seconds)
            self.cursor = last

    def _wake_all(self, latest: int) -> None:
        if latest < SESSION_GONE_SEQ:
            self.cursor = latest if self.cursor is None else max(self.cursor, latest)
        for sub in list(self.members):
            self.wakes += 1
            sub.notify(latest)
            sub.wake()


class Gates:
    """This process's gates, one per session with a gated stream open."""

    def __init__(self, broker: Broker, feed: EventFeed, tick_seconds: float = 0.0) -> None:
        self.broker = broker
        self.feed = feed
        self.tick_seconds = tick_seconds
        self._gates: dict[int, Gate] = {}

    def subscribe(self, session_id: int, concerns: Concerns, quiet_seconds: float) -> Subscription:
        """Call on the event loop; pair with ``unsubscribe``."""
        gate = self._gates.get(session_id)
        if gate is None:
            gate = self._gates[session_id] = Gate(self.broker, self.feed, session_id, self.tick_seconds)
        return gate.join(concerns, quiet_seconds)

    def unsubscribe(self, sub: Subscription) -> None:
        gate = self._gates.get(sub.session_id)
        if gate is None:
            return
        gate.members.pop(sub, None)
        if not gate.members:
            gate.close()
            del self._gates[sub.session_id]

    def gate(self, session_id: int) -> Gate | None:
        return self._gates.get(session_id)

    def following(self, session_id: int) -> int:
        """How many phone streams of the session this process serves now."""
        gate = self._gates.get(session_id)
        return len(gate.members) if gate is not None else 0
