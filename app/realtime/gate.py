"""Wake a phone's stream only for what its screen shows.

In a room of 1,000 phones most events show nothing on most phones: another person's
idea while ideas come in, another person's dot while the tallies are hidden. Waking
every phone's stream for every event, only for it to read, render and hold back an
empty message, grew with the room to most of the server's work per write
(bench/room.py).

A ``Gate`` stands between the broker and the gated streams of one session in one
process. It is the broker's one subscriber for them and reads each new batch of
events once. Its phones are filed by audience (``Viewer.audience_key``: screen,
language and the session state their renderings depend on), and the gate asks once
per audience whether the batch shows anything there (``Shows``): "yes, to everyone"
wakes the whole audience; otherwise only the owners of what the batch holds (a
person's own idea) are woken. Judging a batch costs per audience and per owner, not
per phone: with one phone's check repeated 1,000 times ten times a second, the
judgement had become a fifth of the server's work while ideas came in.

The phones not woken learn the new seq at the next quiet moment: once per
``QUIET_SECONDS`` (longer in a big room, ``NUDGES_PER_SECOND``; sooner in a flood of
events, ``NUDGE_EVERY_SEQS``) the gate nudges every phone behind what it judged, and
the stream sends the seq on (a reconnect then replays little). What a phone reads then, the
gate's judgement lets it skip rendering (``QuietRange``), as long as its audience is
still the one judged.

Whatever the gate cannot judge (a read that fails, a gap, a deleted session, a broker
that reconnected) wakes every stream, which then reads for itself, as without a gate.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.db import SESSION_GONE_SEQ
from app.realtime.broker import Broker, Subscription
from app.realtime.feed import RING_SIZE, EventFeed, EventRecord

log = logging.getLogger(__name__)

# A message that shows nothing goes out at most this often per screen. While 100
# ideas a second come in, a phone (which shows only its own ideas) would otherwise
# get ten empty messages a second; with 1,000 phones those sends were most of the
# server's work. Its seq still arrives within this time, so a reconnect replays little.
QUIET_SECONDS = 1.0
# A big room's phones learn their quiet seqs less often: at most this many nudged a
# second, so their upkeep stays a small, fixed share of a core (1,000 phones: every
# 4 s; each nudge is a read, a render and a send, ~70 µs). A reconnect then replays
# a few seconds of events, which is cheap and far below the replay limit.
NUDGES_PER_SECOND = 250
# ... but never so rarely that a phone falls out of the feed's ring of recent events:
# each one would then read the database for itself (80 dots a second outran a 4 s
# interval, and the server spent every second on those reads).
NUDGE_EVERY_SEQS = RING_SIZE // 2
# How long the gate sleeps with nothing signalled (it only waits on the broker).
IDLE_SECONDS = 30.0


class Watcher(Protocol):
    """What the gate needs of a screen (``app.realtime.viewer.Viewer``)."""

    participant_id: int | None

    def audience_key(self) -> tuple:
        """Equal for screens that see the same of every event but their owner's; one
        object per distinct key (interned), so it is compared by identity."""
        ...


# Of a batch of events, for everyone with the watcher's audience key: whether it
# shows something to all of them, and which of its events show something to their
# owner alone (seq → participant: a person's own idea, their own dot). Called with
# the watcher the stream subscribed with (its own type: a ``Viewer``).
Shows = Callable[[list[EventRecord], Any], tuple[bool, dict[int, int]]]
# The longest run of quiet seqs kept for an audience: a screen further behind renders
# the rest itself (from the shared cache), as without a gate.
QUIET_SPAN = 4096


@dataclass
class QuietRange:
    """The seqs (``first``..``last``) the gate found to show nothing to the audience
    ``key`` but each to its owner (``owners``: seq → participant): a screen of that
    audience skips rendering them, but for its own."""

    first: int = 0
    last: int = -1
    key: tuple | None = None
    owners: dict[int, int] = field(default_factory=dict)

    def covers(self, seq: int, key: tuple, participant_id: int | None) -> bool:
        return (
            key is self.key
            and self.first <= seq <= self.last
            and (participant_id is None or self.owners.get(seq) != participant_id)
        )

    def judged(self, first: int, last: int, key: tuple, owners: dict[int, int]) -> None:
        if key is self.key and first == self.last + 1 and last - self.first < QUIET_SPAN:
            self.last = last
            self.owners.update(owners)
        else:
            self.first, self.last, self.key, self.owners = first, last, key, dict(owners)

    def clear(self) -> None:
        self.first, self.last, self.key, self.owners = 0, -1, None, {}


@dataclass(eq=False)
class _Member:
    watcher: Watcher
    shows: Shows
    key: tuple


@dataclass(eq=False)
class _Audience:
    key: tuple
    members: dict[Subscription, _Member] = field(default_factory=dict)
    quiet: QuietRange = field(default_factory=QuietRange)


class Gate:
    """The gated streams of one session in this process."""

    def __init__(
        self,
        broker: Broker,
        feed: EventFeed,
        session_id: int,
        tick_seconds: float = 0.0,
        quiet_seconds: float = QUIET_SECONDS,
    ) -> None:
        self.broker = broker
        self.feed = feed
        self.session_id = session_id
        self.tick_seconds = tick_seconds
        self.quiet_seconds = quiet_seconds
        self.members: dict[Subscription, _Member] = {}
        self._audiences: dict[int, _Audience] = {}  # by id() of the interned key
        self._by_participant: dict[int, set[Subscription]] = {}
        # Everything up to here has been judged (None: nothing yet; the first signal
        # wakes every stream, which read for themselves).
        self.cursor: int | None = None
        self.wakes = 0  # streams woken for something they show (tests and benches)
        self.nudges = 0  # streams woken at a quiet moment, to send the seq on
        self._nudge: asyncio.TimerHandle | None = None
        self._nudged_to = 0  # the gate's cursor at the last quiet moment
        self._sub = broker.subscribe(session_id)
        self._task = asyncio.get_running_loop().create_task(self._run(), name=f"gate-{session_id}")

    def join(self, watcher: Watcher, shows: Shows) -> Subscription:
        sub = Subscription(self.session_id)
        member = self.members[sub] = _Member(watcher, shows, watcher.audience_key())
        self._audience(member.key).members[sub] = member
        if watcher.participant_id is not None:
            self._by_participant.setdefault(watcher.participant_id, set()).add(sub)
        return sub

    def leave(self, sub: Subscription) -> None:
        member = self.members.pop(sub, None)
        if member is None:
            return
        self._drop(sub, member)
        pid = member.watcher.participant_id
        if pid is not None:
            subs = self._by_participant.get(pid)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._by_participant[pid]

    def refile(self, sub: Subscription) -> None:
        """File the stream under its audience as it is now (its screen read an event
        that changed what it renders: a phase, a setting). Called after each read."""
        member = self.members.get(sub)
        if member is None:
            return
        key = member.watcher.audience_key()
        if key is not member.key:
            self._drop(sub, member)
            member.key = key
            self._audience(key).members[sub] = member

    def quiet(self, key: tuple) -> QuietRange | None:
        audience = self._audiences.get(id(key))
        return audience.quiet if audience is not None and audience.key is key else None

    def close(self) -> None:
        self._task.cancel()
        if self._nudge is not None:
            self._nudge.cancel()
        self.broker.unsubscribe(self._sub)

    def _audience(self, key: tuple) -> _Audience:
        audience = self._audiences.get(id(key))
        if audience is None or audience.key is not key:
            audience = self._audiences[id(key)] = _Audience(key)
        return audience

    def _drop(self, sub: Subscription, member: _Member) -> None:
        audience = self._audiences.get(id(member.key))
        if audience is not None and audience.key is member.key:
            audience.members.pop(sub, None)
            if not audience.members:
                del self._audiences[id(member.key)]

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
            # read it.
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
            first, last = records[0].seq, records[-1].seq
            left_behind = False
            for audience in list(self._audiences.values()):
                member = self._judge_of(audience)
                # No member left to judge by: all of them moved on since they last read,
                # and they read again, as when the batch shows to everyone.
                shared, owners = member.shows(records, member.watcher) if member is not None else (True, {})
                if shared:
                    audience.quiet.clear()
                    for sub in audience.members:
                        self._wake(sub, last)
                    continue
                audience.quiet.judged(first, last, audience.key, owners)
                for pid in set(owners.values()):
                    for sub in self._by_participant.get(pid, ()):
                        self._wake(sub, last)
                left_behind = True
            self.cursor = last
            if left_behind and last - self._nudged_to >= NUDGE_EVERY_SEQS:
                self._quiet_moment()
            elif left_behind and self._nudge is None:
                self._nudge = asyncio.get_running_loop().call_later(self.quiet_interval(), self._quiet_moment)

    @staticmethod
    def _judge_of(audience: _Audience) -> _Member | None:
        """A member still of the audience it is filed under (a screen's variant moves
        when it reads, and it files itself again only before it waits)."""
        for member in audience.members.values():
            if member.watcher.audience_key() is audience.key:
                return member
        return None

    def quiet_interval(self) -> float:
        """How long a phone may go without its quiet seq in a room this big."""
        return max(self.quiet_seconds, len(self.members) / NUDGES_PER_SECOND)

    def _wake(self, sub: Subscription, seq: int) -> None:
        if seq > sub.latest:
            self.wakes += 1
            sub.notify(seq)

    def _quiet_moment(self) -> None:
        """Every stream behind what was judged reads on, and sends the seq (one pass
        over the phones a quiet interval, not one per batch)."""
        if self._nudge is not None:
            self._nudge.cancel()
            self._nudge = None
        cursor = self.cursor
        if cursor is None:
            return
        self._nudged_to = cursor
        for sub in self.members:
            if sub.latest < cursor:
                self.nudges += 1
                sub.notify(cursor)

    def _wake_all(self, latest: int) -> None:
        if latest < SESSION_GONE_SEQ:
            self.cursor = latest if self.cursor is None else max(self.cursor, latest)
            self._nudged_to = self.cursor  # every stream reads to here now
        for audience in self._audiences.values():
            audience.quiet.clear()
        for sub in list(self.members):
            self.wakes += 1
            sub.notify(latest)
            sub.wake()


class Gates:
    """This process's gates, one per session with a gated stream open."""

    def __init__(
        self, broker: Broker, feed: EventFeed, tick_seconds: float = 0.0, quiet_seconds: float = QUIET_SECONDS
    ) -> None:
        self.broker = broker
        self.feed = feed
        self.tick_seconds = tick_seconds
        self.quiet_seconds = quiet_seconds
        self._gates: dict[int, Gate] = {}

    def subscribe(self, session_id: int, watcher: Watcher, shows: Shows) -> Subscription:
        """Call on the event loop; pair with ``unsubscribe``."""
        gate = self._gates.get(session_id)
        if gate is None:
            gate = self._gates[session_id] = Gate(
                self.broker, self.feed, session_id, self.tick_seconds, self.quiet_seconds
            )
        return gate.join(watcher, shows)

    def unsubscribe(self, sub: Subscription) -> None:
        gate = self._gates.get(sub.session_id)
        if gate is None:
            return
        gate.leave(sub)
        if not gate.members:
            gate.close()
            del self._gates[sub.session_id]

    def refile(self, sub: Subscription) -> None:
        gate = self._gates.get(sub.session_id)
        if gate is not None:
            gate.refile(sub)

    def quiet(self, session_id: int, key: tuple) -> QuietRange | None:
        """What the gate last found quiet for this audience of the session, if anything."""
        gate = self._gates.get(session_id)
        return gate.quiet(key) if gate is not None else None

    def gate(self, session_id: int) -> Gate | None:
        return self._gates.get(session_id)

    def following(self, session_id: int) -> int:
        """How many phone streams of the session this process serves now."""
        gate = self._gates.get(session_id)
        return len(gate.members) if gate is not None else 0
