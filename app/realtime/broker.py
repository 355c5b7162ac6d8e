"""A deliberately tiny pub/sub interface, chosen by URL: ``memory://`` (one process)
or ``redis://`` (several workers or hosts, ``app/realtime/redis_broker.py``).

The broker carries only "session S reached seq N". It never carries the events
themselves, so a subscriber that misses a signal loses nothing: it reads the event
log from its own cursor. Per-subscriber state is one integer and one flag, so a
slow client cannot make the server's memory grow.

``publish`` is called from worker threads (sync services, after commit), so it must
be thread-safe and must not block.
"""

from __future__ import annotations

import asyncio
import threading
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable

from app.db import SESSION_GONE_SEQ


class Subscription:
    """What one listener holds: the newest seq it was told about, and a wake-up flag.

    Waiting is a bare future and a timer, not ``asyncio.wait_for(event.wait())``: that
    made a task, an event waiter and a timeout per wait, and with 300 phones each
    waking up to ten times a second it was a tenth of the server's time (py-spy,
    bench/room.py). Called only on the event loop."""

    __slots__ = ("session_id", "latest", "_woken", "_waiter", "_timer")

    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        self.latest = 0
        self._woken = False
        self._waiter: asyncio.Future[None] | None = None
        self._timer: asyncio.TimerHandle | None = None

    def notify(self, seq: int) -> None:
        # Only news wakes the stream: a network broker echoes this process's own
        # signals back (already delivered locally), and each wake costs a log read.
        if seq > self.latest:
            self.latest = seq
            self.wake()

    def wake(self) -> None:
        """Re-read the log now (a network broker reconnected: signals may be lost)."""
        self._woken = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def wait(self, timeout: float) -> bool:
        """True when woken by a new seq, False on timeout."""
        if not self._woken:
            loop = asyncio.get_running_loop()
            waiter = self._waiter = loop.create_future()
            self._timer = loop.call_later(max(timeout, 0.0), _time_up, waiter)
            try:
                await waiter
            finally:
                if self._timer is not None:
                    self._timer.cancel()
                self._waiter = self._timer = None
            if not self._woken:
                return False
        self._woken = False
        return True


def _time_up(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class Broker(ABC):
    @abstractmethod
    def publish(self, session_id: int, seq: int) -> None:
        """Signal that ``session_id`` has reached ``seq``. Thread-safe, never blocks."""

    @abstractmethod
    def subscribe(self, session_id: int) -> Subscription:
        """Start listening (call on the event loop). Pair with ``unsubscribe``."""

    @abstractmethod
    def unsubscribe(self, subscription: Subscription) -> None: ...

    @abstractmethod
    def on_gone(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(session_id)`` on the event loop when a session is announced
        deleted (``app.db.SESSION_GONE_SEQ``), in every process: the event feed drops
        the session's ring there, whether or not a screen of it is open."""

    async def start(self) -> None:  # noqa: B027  # optional hook: a no-op unless a backend needs it
        """Bind to the running event loop (and connect, for network backends)."""

    async def stop(self) -> None: ...  # noqa: B027  # optional hook: memory:// has nothing to stop

    async def ping(self) -> bool:
        """Readiness: can this broker deliver signals right now?"""
        return True

    @property
    def multi_process(self) -> bool:
        """Whether signals reach other processes (``memory://`` does not)."""
        return False

    @property
    def lossless(self) -> bool:
        """True when a published signal always reaches every subscriber (in-process);
        network brokers can drop signals, so streams then re-read the log now and then."""
        return False


class MemoryBroker(Broker):
    """In-process fan-out for the single-process default."""

    lossless = True

    def __init__(self) -> None:
        self._subs: dict[int, set[Subscription]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._gone: list[Callable[[int], None]] = []

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    def subscribe(self, session_id: int) -> Subscription:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        sub = Subscription(session_id)
        with self._lock:
            self._subs[session_id].add(sub)
        return sub

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            subs = self._subs.get(subscription.session_id)
            if subs is not None:
                subs.discard(subscription)
                if not subs:
                    del self._subs[subscription.session_id]

    def publish(self, session_id: int, seq: int) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return  # nobody can be listening yet (CLI, tests without a server)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._deliver(session_id, seq)
        else:
            loop.call_soon_threadsafe(self._deliver, session_id, seq)

    def on_gone(self, listener: Callable[[int], None]) -> None:
        self._gone.append(listener)

    def _deliver(self, session_id: int, seq: int) -> None:
        if seq >= SESSION_GONE_SEQ:
            for listener in self._gone:
                listener(session_id)
        with self._lock:
            subs = list(self._subs.get(session_id, ()))
        for sub in subs:
            sub.notify(seq)

    def subscriber_count(self, session_id: int) -> int:
        with self._lock:
            return len(self._subs.get(session_id, ()))

    def wake_all(self) -> None:
        """Every local listener re-reads the log (called on the event loop)."""
        with self._lock:
            subs = [sub for group in self._subs.values() for sub in group]
        for sub in subs:
            sub.wake()
