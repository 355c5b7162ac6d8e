"""The bare baseline for bench/room.py: the same SSE fan-out as Rembuk, and nothing else.

A minimal Starlette app on uvicorn (one worker, the same uvloop/httptools stack
``rembuk serve`` uses): ``POST /publish/{channel}`` gives the channel its next
sequence number and wakes every connected stream; ``GET /stream/{channel}`` sends
``id: <seq>`` / ``event: ops`` / ``data: {"seq": N, "ops": []}`` for every seq after
``?last_event_id=`` (or first a ``snapshot`` event with the current seq), exactly the
shape of a phone's message for someone else's idea or vote. The fan-out is
Rembuk's design without the database, the feed or the rendering: per subscriber one
integer and one ``asyncio.Event``, an in-memory log, a publish that sets every
subscriber's event.

``--tick S`` sends at most one message per tick per stream, carrying the newest
seq (Rembuk's ``REMBUK_SSE_TICK_SECONDS``); 0 sends one message per seq.

``--sse plain`` (default) writes the bytes through Starlette's StreamingResponse;
``--sse sse-starlette`` goes through sse_starlette's EventSourceResponse with the
same ping and send timeout as Rembuk (to tell the library's share from the app's).

    python bench/baseline_app.py --port 8765 [--tick 0.1] [--sse plain|sse-starlette]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import deque

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

LOG_SIZE = 4096
HEARTBEAT = 15.0


class Channel:
    __slots__ = ("seq", "log", "subscribers")

    def __init__(self) -> None:
        self.seq = 0
        self.log: deque[tuple[int, str]] = deque(maxlen=LOG_SIZE)  # (seq, data)
        self.subscribers: set[asyncio.Event] = set()

    def publish(self) -> int:
        self.seq += 1
        self.log.append((self.seq, json.dumps({"seq": self.seq, "ops": []})))
        for wake in self.subscribers:
            wake.set()
        return self.seq

    def after(self, cursor: int) -> list[tuple[int, str]]:
        if not self.log or cursor >= self.seq:
            return []
        first = self.log[0][0]
        start = max(0, cursor + 1 - first)
        return [self.log[i] for i in range(start, len(self.log))]


def create_app(sse: str = "plain", tick: float = 0.0) -> Starlette:
    channels: dict[str, Channel] = {}

    def channel(name: str) -> Channel:
        found = channels.get(name)
        if found is None:
            found = channels[name] = Channel()
        return found

    async def publish(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"seq": channel(request.path_params["name"]).publish()}, status_code=201)

    async def seq(request: Request) -> JSONResponse:
        return JSONResponse({"seq": channel(request.path_params["name"]).seq})

    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def follow(ch: Channel, last_event_id: str | None):
        """(event, id, data) after the cursor, as Rembuk's follow_session: every seq, or
        with a tick one message per tick for what arrived meanwhile (its id the newest)."""
        wake = asyncio.Event()
        ch.subscribers.add(wake)
        loop = asyncio.get_running_loop()
        last_send = 0.0
        try:
            if last_event_id is None or not last_event_id.isdigit():
                cursor = ch.seq
                yield "snapshot", cursor, json.dumps({"seq": cursor, "ops": []})
            else:
                cursor = int(last_event_id)
            while True:
                pending = ch.after(cursor)
                if pending and tick > 0:
                    pending = pending[-1:]
                for number, data in pending:
                    cursor = number
                    yield "ops", number, data
                if pending:
                    last_send = loop.time()
                if cursor >= ch.seq:
                    try:
                        await asyncio.wait_for(wake.wait(), HEARTBEAT)
                    except TimeoutError:
                        yield None, None, None
                    wake.clear()
                    pause = tick - (loop.time() - last_send)
                    if pause > 0:
                        await asyncio.sleep(pause)
        finally:
            ch.subscribers.discard(wake)

    async def stream(request: Request):
        ch = channel(request.path_params["name"])
        events = follow(ch, request.query_params.get("last_event_id"))
        if sse == "sse-starlette":
            from sse_starlette import EventSourceResponse, ServerSentEvent

            async def messages():
                yield ServerSentEvent(retry=2000, comment="baseline")
                async for name, number, data in events:
                    if name is not None:
                        yield ServerSentEvent(data, event=name, id=str(number))

            return EventSourceResponse(
                messages(),
                ping=HEARTBEAT,
                send_timeout=30,
                headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
            )

        async def body():
            yield b"retry: 2000\r\n\r\n"
            async for name, number, data in events:
                if name is None:
                    yield b": ping\r\n\r\n"
                else:
                    yield f"id: {number}\r\nevent: {name}\r\ndata: {data}\r\n\r\n".encode()

        return StreamingResponse(
            body(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        )

    return Starlette(
        routes=[
            Route("/publish/{name}", publish, methods=["POST"]),
            Route("/seq/{name}", seq),
            Route("/stream/{name}", stream),
            Route("/healthz", healthz),
        ]
    )


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--sse", choices=("plain", "sse-starlette"), default="plain")
    parser.add_argument(
        "--tick",
        type=float,
        default=0.0,
        help="at most one message per tick per stream (Rembuk's REMBUK_SSE_TICK_SECONDS); 0: every seq",
    )
    args = parser.parse_args()
    uvicorn.run(
        create_app(args.sse, args.tick),
        host=args.host,
        port=args.port,
        workers=1,
        log_level="warning",
        timeout_graceful_shutdown=3,
    )


if __name__ == "__main__":
    main()
