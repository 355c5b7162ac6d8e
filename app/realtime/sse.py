"""The live streams' HTTP response, with what each message cost beyond its bytes taken out.

``LiveStreamResponse`` is sse-starlette's ``EventSourceResponse`` (its task group:
the client's disconnect, the server's shutdown, heartbeats, HEAD), minus two costs
that py-spy showed on every message of every screen (bench/room.py, 300 phones):

- The body bypasses the middleware stack. The response's start (status and headers)
  still goes through every middleware, as any response's does: the security headers
  and the CSP, the language cookie, GZip deciding never to compress an event stream.
  None of them touches a body message of an event stream, so after the first one the
  messages go straight to the server's own ``send``, which ``StreamFastPath`` (the
  outermost middleware) leaves in the scope for the stream paths.
- No cancel scope per send. ``anyio.move_on_after`` around each send (to drop a phone
  that stopped reading) was a visible share by itself. A send now only notes when it
  began; the heartbeat task looks every few seconds and ends a response whose send
  has been stuck longer than ``send_timeout`` (``SendTimeoutError``, as before): a
  dead phone goes within ``send_timeout`` plus one look.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sse_starlette import EventSourceResponse, ServerSentEvent
from sse_starlette.event import ensure_bytes
from sse_starlette.sse import SendTimeoutError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The scope key under which ``StreamFastPath`` leaves the server's own ``send``.
SERVER_SEND = "rembuk.server_send"
# The live streams' paths end so (``app.admission`` does not count them either).
STREAM_SUFFIXES = ("/stream", "/events")
# How often, at most, the heartbeat task looks for a stuck send.
STUCK_CHECK_SECONDS = 5.0


class StreamFastPath:
    """Outermost middleware: for a live stream's request, keep the server's ``send``
    in the scope, for ``LiveStreamResponse`` to write its messages with."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith(STREAM_SUFFIXES):
            scope[SERVER_SEND] = send
        await self.app(scope, receive, send)


class LiveStreamResponse(EventSourceResponse):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._server_send: Send | None = None
        self._body_sent = False
        self._sending_since: float | None = None  # loop time a data send began, while it lasts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._server_send = scope.get(SERVER_SEND)
        await super().__call__(scope, receive, send)

    async def _send_with_timeout(self, send: Send, message: Message) -> None:
        """One message of the stream: through the middleware until the first body
        message is out, then to the server directly; timed by ``_ping``."""
        if message["type"] == "http.response.body":
            if self._body_sent and self._server_send is not None:
                send = self._server_send
            self._body_sent = True
        self._sending_since = asyncio.get_running_loop().time()
        try:
            await send(message)
        except BaseException:
            self._send_interrupted = True
            raise
        finally:
            self._sending_since = None

    async def _ping(self, send: Send) -> None:
        """A heartbeat comment every ``ping_interval`` (as sse-starlette sends it), and
        in between a look for a send stuck longer than ``send_timeout``."""
        loop = asyncio.get_running_loop()
        look = self._ping_interval
        if self.send_timeout:
            look = min(look, max(self.send_timeout / 3, 0.01), STUCK_CHECK_SECONDS)
        next_ping = loop.time() + self._ping_interval
        while self.active:
            await asyncio.sleep(look)
            since = self._sending_since
            if self.send_timeout and since is not None and loop.time() - since > self.send_timeout:
                self._send_interrupted = True
                raise SendTimeoutError()
            if loop.time() < next_ping:
                continue
            next_ping = loop.time() + self._ping_interval
            ping = ensure_bytes(ServerSentEvent(comment=f"ping - {datetime.now(UTC)}", sep=self.sep), self.sep)
            async with self._send_lock:
                if self.active:
                    # Rare (one per heartbeat): sse-starlette's own timed send, so a
                    # heartbeat into a dead socket cannot hang this task either.
                    await EventSourceResponse._send_with_timeout(
                        self,
                        self._server_send if self._body_sent and self._server_send else send,
                        {"type": "http.response.body", "body": ping, "more_body": True},
                    )
