"""The session's timer: one absolute end time from the server.

While it runs, the session stores only when it ends (epoch milliseconds); every
screen counts down to that instant, correcting for its own clock with the server's
time (``server_now``), so nothing is written per second and a board, a console and
a hundred phones agree to the second even when a phone's clock is minutes off
(Scrumlr's design). Paused, it stores what was left; stopped, nothing.

Actions that would change nothing (pausing a paused timer, a retried tap on a weak
connection) answer with the current state and record no event. Actions that make no
sense in the current state (resuming a stopped timer) are a 409.

When ``lock_when_timer_ends`` is set, input closes at zero without anyone writing
anything: ``app.services.input_lock`` derives it from the end time.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from app.db import Db, write_transaction
from app.domain import TIMER_ADD_MAX_SECONDS, TIMER_MAX_SECONDS, TimerState
from app.errors import Conflict, Invalid
from app.models import Facilitator, Session
from app.services import events, sessions

ACTIONS = ("start", "pause", "resume", "add", "stop")
DEFAULT_ADD_SECONDS = 60


def now_ms() -> int:
    """The server's clock, in epoch milliseconds (what every screen corrects to)."""
    return time.time_ns() // 1_000_000


def iso_ms(epoch_ms: int | None) -> str | None:
    """Epoch milliseconds as ISO 8601 UTC with milliseconds (clients parse it with Date)."""
    if epoch_ms is None:
        return None
    seconds, millis = divmod(epoch_ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


@dataclass(frozen=True)
class Timer:
    """The timer's stored state (the session's ``timer_*`` columns)."""

    state: str = TimerState.stopped.value
    ends_at_ms: int | None = None
    remaining_ms: int = 0
    duration_ms: int = 0

    @classmethod
    def of(cls, session: Session) -> Timer:
        return cls(
            session.timer_state or TimerState.stopped.value,
            session.timer_ends_at_ms,
            session.timer_remaining_ms or 0,
            session.timer_duration_ms or 0,
        )

    def left_ms(self, now: int) -> int:
        if self.state == TimerState.running.value and self.ends_at_ms is not None:
            return max(0, self.ends_at_ms - now)
        if self.state == TimerState.paused.value:
            return self.remaining_ms
        return 0

    def expired(self, now: int) -> bool:
        """At zero, running or paused there: time is up until someone adds time or stops
        it (pausing a timer that ran out gives nobody more time)."""
        return self.state != TimerState.stopped.value and self.left_ms(now) == 0

    def public(self, now: int) -> dict[str, Any]:
        """The API's shape (``PUT …/timer``, ``GET /sessions/{id}``, ``timer.changed``).
        ``remaining_seconds`` is rounded up, as a countdown shows it: 0 only when the
        time is really up."""
        return {
            "state": self.state,
            "ends_at": iso_ms(self.ends_at_ms) if self.state == TimerState.running.value else None,
            "remaining_seconds": math.ceil(self.left_ms(now) / 1000),
            "server_now": iso_ms(now),
            "duration_seconds": math.ceil(self.duration_ms / 1000),
        }

    def apply(self, action: str, seconds: int | None, now: int) -> Timer:
        """The timer after ``action`` (the same object when nothing changes)."""
        running, paused, stopped = (s.value for s in (TimerState.running, TimerState.paused, TimerState.stopped))
        if action == "start":
            length = _seconds(seconds, field="Timer length", high=TIMER_MAX_SECONDS, required=True) * 1000
            return Timer(running, now + length, 0, length)
        if action == "stop":
            return self if self.state == stopped else Timer()
        if action == "pause":
            if self.state == stopped:
                raise Conflict("The timer is not running: start it first.")
            if self.state == paused:
                return self
            return Timer(paused, None, self.left_ms(now), self.duration_ms)
        if action == "resume":
            if self.state == stopped:
                raise Conflict("The timer is not running: start it first.")
            if self.state == running:
                return self
            return Timer(running, now + self.remaining_ms, 0, self.duration_ms)
        if action == "add":
            extra = (
                _seconds(
                    seconds if seconds is not None else DEFAULT_ADD_SECONDS,
                    field="Extra time",
                    high=TIMER_ADD_MAX_SECONDS,
                )
                * 1000
            )
            if self.state == stopped:
                raise Conflict("The timer is not running: start it first.")
            if self.state == paused:
                left = min(self.remaining_ms + extra, TIMER_MAX_SECONDS * 1000)
                return Timer(paused, None, left, self._grown(self.remaining_ms, left))
            # Time that is already up counts from now: "one more minute" is a minute.
            ends = min(max(self.ends_at_ms or now, now) + extra, now + TIMER_MAX_SECONDS * 1000)
            return Timer(running, ends, 0, self._grown(self.left_ms(now), ends - now))
        raise Invalid(
            "Unknown timer action %(action)s; use start, pause, resume, add or stop.", action=str(action)[:20]
        )

    def _grown(self, left_before: int, left_after: int) -> int:
        """The length after adding time: longer by what was really added (at the
        four-hour cap, less than asked), so the ring's share of time left stays true."""
        return max(self.duration_ms + left_after - left_before, left_after)


def _seconds(value: int | None, *, field: str, high: int, required: bool = False) -> int:
    if value is None:
        if required:
            raise Invalid("%(field)s is missing: give it in seconds.", field=field)
        return 0
    if not 1 <= int(value) <= high:
        raise Invalid("%(field)s must be between %(low)s and %(high)s.", field=field, low=1, high=high)
    return int(value)


def public(session: Session, now: int | None = None) -> dict[str, Any]:
    return Timer.of(session).public(now_ms() if now is None else now)


def change(
    db: Db, *, facilitator: Facilitator, session_id: int, action: str, seconds: int | None = None
) -> tuple[dict[str, Any], int | None]:
    """Start, pause, resume, add time to or stop the timer: (its public state, the
    event's seq, or None when nothing changed)."""
    sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id)
    with write_transaction(db):
        session = sessions.locked(db, session_id)
        now = now_ms()
        before = Timer.of(session)
        after = before.apply(action, seconds, now)
        if after == before:
            return after.public(now), None
        session.timer_state = after.state
        session.timer_ends_at_ms = after.ends_at_ms
        session.timer_remaining_ms = after.remaining_ms
        session.timer_duration_ms = after.duration_ms
        db.flush()
        shown = after.public(now)
        seq = events.record(db, session_id=session_id, type="timer.changed", payload={"timer": shown, "action": action})
    return shown, seq
