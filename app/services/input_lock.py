"""Whether phones may send now: ideas, edits, dots, ratings, signatures, moves.

Two things close input without a phase change: the facilitator's lock
(``Session.input_locked``), and the timer reaching zero when the session says so
(``lock_when_timer_ends``). The second is derived from the timer's end time, not
written when it happens: nobody has to be awake at zero, and adding a minute opens
input again by itself. Every participant's write checks it under the session lock,
so a dot cast in the same instant as the lock is either before it or refused.
"""

from __future__ import annotations

from app.errors import Conflict
from app.models import Session
from app.services import timer

LOCKED = "locked"
TIME_UP = "time_up"


def reason(session: Session, now_ms: int | None = None) -> str | None:
    """``"locked"``, ``"time_up"``, or None when input is open."""
    if session.input_locked:
        return LOCKED
    if session.lock_when_timer_ends:
        now = timer.now_ms() if now_ms is None else now_ms
        if timer.Timer.of(session).expired(now):
            return TIME_UP
    return None


def check(session: Session) -> None:
    """Refuse a participant's write while input is closed (409, a message a person
    can act on: wait, the facilitator will open it)."""
    why = reason(session)
    if why == LOCKED:
        raise Conflict(
            "The facilitator has paused input for a moment. Wait until it opens again; "
            "nothing you already sent is lost."
        )
    if why == TIME_UP:
        raise Conflict("Time is up: sending is closed until the facilitator gives more time.")
