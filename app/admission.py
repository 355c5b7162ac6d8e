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
"""

from __future__ import annotations

import asyncio
import json
import logging

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


class AdmissionLimit:
    def __init__(self, app: ASGIApp, *, limit: int, queue_seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.queue_seconds = queue_seconds
        self._slots: asyncio.Semaphore | None = None  # made on the server's loop
        self.waiting = 0  # requests waiting for a slot now (for logs and tests)
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not counted(scope):
            return await self.app(scope, receive, send)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        self.waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), self.queue_seconds)
        except TimeoutError:
            self.refused += 1
            log.warning("busy: a request waited %.0f s for a turn (%d waiting)", self.queue_seconds, self.waiting)
            return await _busy(scope, receive, send)
        finally:
            self.waiting -= 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()


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
