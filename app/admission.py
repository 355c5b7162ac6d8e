"""Admission control: a worker serves a bounded number of requests at once.

Why (found with py-spy in bench/room.py, 300 phones voting): a sync route runs its
dependencies and its body as separate jobs on the 40-thread pool. A request that had
authenticated (and so held a pooled database connection) then queued for a thread
for its body, while 40 newer requests held every thread, each waiting in an auth
dependency for a connection. Nobody could move until the pool's 30 s timeout: the
server sat idle and votes timed out. Letting in only as many requests as can hold a
connection (``REMBUK_MAX_CONCURRENT_REQUESTS``, below the pool's 40) makes that
impossible; the others wait here on the event loop, holding nothing, and after
``REMBUK_REQUEST_QUEUE_SECONDS`` get 503 + Retry-After instead of hanging.

Live streams are not counted: they hold no connection while they wait (their
snapshot reads take one briefly, from the pool's spare). Static files, /healthz and
/readyz are not counted either (an overloaded worker must still say so).

A waiting change (POST, PUT, PATCH, DELETE: a join, an idea, a dot) takes the next free
turn before a waiting page: when a room joins or reloads at once, pages queue for
seconds (bench/room.py: 300 phones at 100 a second), and a dot or an idea sent then
should not wait behind them. A page still gets its turn as soon as no change waits;
one that waits ``REMBUK_REQUEST_QUEUE_SECONDS`` gets the 503 page, which asks again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.i18n import gettext, locale_from_request

log = logging.getLogger("rembuk.admission")

STREAM_SUFFIXES = ("/stream", "/events")
UNCOUNTED_PREFIXES = ("/static/", "/healthz", "/readyz")
RETRY_AFTER = "2"


def counted(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    return not (path.endswith(STREAM_SUFFIXES) or path.startswith(UNCOUNTED_PREFIXES))


CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Turns:
    """At most ``limit`` holders at once; a free turn goes to the longest-waiting change,
    else to the longest-waiting page. Used on one event loop only."""

    def __init__(self, limit: int) -> None:
        self.free = limit
        self._changes: deque[asyncio.Future[None]] = deque()
        self._pages: deque[asyncio.Future[None]] = deque()

    async def take(self, *, change: bool, timeout: float) -> None:
        """Wait for a turn; ``TimeoutError`` after ``timeout`` seconds without one."""
        if self.free > 0 and not self._changes and (change or not self._pages):
            self.free -= 1
            return
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[None] = loop.create_future()
        (self._changes if change else self._pages).append(turn)

        def expire() -> None:
            if not turn.done():
                turn.set_exception(TimeoutError())

        timer = loop.call_later(timeout, expire)
        try:
            await turn
        except asyncio.CancelledError:
            # The client went away while waiting; a turn handed over meanwhile goes on.
            if turn.done() and not turn.cancelled() and turn.exception() is None:
                self.give_back()
            raise
        finally:
            timer.cancel()

    def give_back(self) -> None:
        for queue in (self._changes, self._pages):
            while queue:
                turn = queue.popleft()
                if not turn.done():  # not timed out, not cancelled
                    turn.set_result(None)
                    return
        self.free += 1

    @property
    def waiting(self) -> int:
        return sum(not turn.done() for queue in (self._changes, self._pages) for turn in queue)


class AdmissionLimit:
    def __init__(self, app: ASGIApp, *, limit: int, queue_seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.queue_seconds = queue_seconds
        self.turns = Turns(limit)
        self.refused = 0

    @property
    def waiting(self) -> int:
        """Requests waiting for a turn now (for logs and tests)."""
        return self.turns.waiting

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not counted(scope):
            return await self.app(scope, receive, send)
        try:
            await self.turns.take(change=scope.get("method") in CHANGES, timeout=self.queue_seconds)
        except TimeoutError:
            self.refused += 1
            log.warning("busy: a request waited %.0f s for a turn (%d waiting)", self.queue_seconds, self.waiting)
            return await _busy(scope, receive, send)
        try:
            await self.app(scope, receive, send)
        finally:
            self.turns.give_back()


async def _busy(scope: Scope, receive: Receive, send: Send) -> None:
    """The same answer as a database timeout (app.main): 503, Retry-After, the message
    in the caller's language; as JSON for the API, a page for a browser."""
    request = Request(scope, receive)
    message = gettext(locale_from_request(request), "The server is busy. Please try again in a moment.")
    headers = {"Retry-After": RETRY_AFTER}
    if request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", ""):
        body = json.dumps({"detail": message}).encode()
        response_headers = [
            (b"content-type", b"application/json"),
            (b"retry-after", RETRY_AFTER.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})
        return
    templates = scope["app"].state.templates
    response = templates.TemplateResponse(
        request,
        "pages/error.html",
        {"message": message, "status_code": 503, "retry_after": RETRY_AFTER},
        status_code=503,
        headers=headers,
    )
    await response(scope, receive, send)
