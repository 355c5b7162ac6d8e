"""The live streams' response (``app.realtime.sse``): its messages skip the middleware,
but what a stream carries stays what it was: the security headers and the CSP,
no-store and no proxy buffering, heartbeats, and a phone that stops reading is dropped."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from sse_starlette.sse import SendTimeoutError

from app.realtime.sse import SERVER_SEND, LiveStreamResponse
from app.security import participant_cookie_name
from tests.live.test_sse import make_room


@pytest.mark.server
def test_every_live_stream_carries_the_security_headers(api, live_server):
    room = make_room(api, live_server)
    phone = room.api.join(room.session["join_code"])
    phone_cookie = {"Cookie": f"{participant_cookie_name(room.id)}={phone.token}"}
    streams = {
        f"/api/v1/sessions/{room.id}/events": room.fac,
        f"/board/{room.id}/stream": room.fac,
        f"/console/sessions/{room.id}/stream": room.fac,
        f"/s/{room.id}/stream": phone_cookie,
    }
    try:
        with httpx.Client(base_url=room.url, timeout=10) as client:
            for path, headers in streams.items():
                with client.stream("GET", path, headers={**headers, "Accept-Encoding": "gzip"}) as r:
                    assert r.status_code == 200, path
                    assert r.headers["content-type"].startswith("text/event-stream")
                    assert "content-encoding" not in r.headers  # never compressed: it must flush
                    assert r.headers["cache-control"] == "no-store"
                    assert r.headers["x-accel-buffering"] == "no"
                    csp = r.headers["content-security-policy"]
                    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
                    assert r.headers["x-content-type-options"] == "nosniff"
                    assert r.headers["x-frame-options"] == "DENY"
                    # Then the messages themselves, past the middleware: the snapshot arrives.
                    seen = ""
                    for line in r.iter_lines():
                        seen += line + "\n"
                        if line.startswith("event: snapshot"):
                            break
                    assert "event: snapshot" in seen, path
    finally:
        room.api.client.close()


async def _events(messages: list[bytes]):
    for message in messages:
        yield message


def _run(response: LiveStreamResponse, *, server_send, middleware_send, receive):
    scope = {"type": "http", "method": "GET", "path": "/s/1/stream", "headers": [], SERVER_SEND: server_send}
    return response(scope, receive, middleware_send)


def test_after_the_first_message_the_body_goes_to_the_server_directly():
    through_middleware: list[dict] = []
    direct: list[dict] = []

    async def middleware_send(message):
        through_middleware.append(message)

    async def server_send(message):
        direct.append(message)

    async def receive():
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    response = LiveStreamResponse(_events([b": one\r\n\r\n", b"data: two\r\n\r\n", b"data: three\r\n\r\n"]), ping=60)
    asyncio.run(_run(response, server_send=server_send, middleware_send=middleware_send, receive=receive))
    # The start and the first message pass the middleware; the end of the body too
    # (sse-starlette sends it itself, once). Every message in between goes direct.
    assert [(m["type"], m.get("body")) for m in through_middleware] == [
        ("http.response.start", None),
        ("http.response.body", b": one\r\n\r\n"),
        ("http.response.body", b""),
    ]
    assert [m["body"] for m in direct] == [b"data: two\r\n\r\n", b"data: three\r\n\r\n"]


def test_a_phone_that_stops_reading_is_dropped_after_the_send_timeout():
    """Its socket buffer is full: the server's send never returns. The response ends
    with SendTimeoutError (as sse-starlette's timed send did), its generator closed."""
    finished: dict[str, bool] = {}

    async def stream():
        try:
            yield b": hello\r\n\r\n"
            yield b"data: stuck\r\n\r\n"
        finally:
            finished["closed"] = True

    async def middleware_send(message):
        pass

    async def server_send(message):
        await asyncio.sleep(3600)  # a phone gone silent: the write never drains

    async def receive():
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    response = LiveStreamResponse(stream(), ping=0.05, send_timeout=0.2)
    started = time.monotonic()
    with pytest.raises(SendTimeoutError):
        asyncio.run(_run(response, server_send=server_send, middleware_send=middleware_send, receive=receive))
    assert time.monotonic() - started < 5
    assert finished.get("closed")
