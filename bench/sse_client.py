"""Light HTTP/1.1 and Server-Sent-Events clients for the room benchmark (bench/room.py).

A thousand SSE connections next to the server on a 2-core machine leave little CPU
for the load generator, so nothing here uses httpx:

- ``HttpClient``: one keep-alive HTTP/1.1 connection over asyncio streams (a
  phone's XHR connection), Content-Length and chunked bodies.
- ``SseStream``: an ``asyncio.Protocol`` (no StreamReader, no coroutine per read)
  whose ``data_received`` decodes the chunked transfer encoding and splits whole
  events with a few ``bytes`` operations, then hands ``(event, id, data)`` tuples to
  a sink with the time they arrived.

Times are ``time.monotonic()`` (CLOCK_MONOTONIC on Linux: one clock for every
process of the machine, so a POST timed in one process and its event received in
another can be compared).
"""

from __future__ import annotations

import asyncio
import gzip
import json as jsonlib
import time
import zlib
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes  # decoded (gzip and deflate are undone)
    wire_bytes: int  # status line, headers and body as they came over the socket

    def json(self) -> Any:
        return jsonlib.loads(self.body)


class HttpClient:
    """One keep-alive connection, used by one task at a time (like a phone's)."""

    # uvicorn closes a keep-alive connection after 5 s idle; reconnect before that
    # rather than race the server's close with a non-idempotent POST.
    IDLE_RECONNECT = 3.0

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._last = 0.0
        self.connects = 0

    async def _connect(self) -> None:
        self.close()
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port, limit=1 << 22)
        self.connects += 1

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        json: Any = None,
        form: dict[str, str] | None = None,
    ) -> Response:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if json is not None:
            body = jsonlib.dumps(json).encode()
            lines.append("Content-Type: application/json")
        elif form is not None:
            body = urlencode(form).encode()
            lines.append("Content-Type: application/x-www-form-urlencoded")
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        wire = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        if self._writer is None or self._writer.is_closing() or time.monotonic() - self._last > self.IDLE_RECONNECT:
            await self._connect()
        try:
            self._writer.write(wire)
            response = await self._read(method)
        except BaseException:
            self.close()
            raise
        self._last = time.monotonic()
        if response.headers.get("connection", "").lower() == "close":
            self.close()
        return response

    async def _read(self, method: str) -> Response:
        reader = self._reader
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head[:-4].decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            value = value.strip()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        wire = len(head)
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            body = b""
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
            wire += len(body)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size_line = await reader.readuntil(b"\r\n")
                size = int(size_line.split(b";")[0], 16)
                wire += len(size_line)
                if size == 0:
                    wire += len(await reader.readuntil(b"\r\n"))
                    break
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
                wire += size + 2
            body = b"".join(parts)
        else:
            body = await reader.read()
            wire += len(body)
            self.close()
        encoding = headers.get("content-encoding", "identity").lower()
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding not in ("identity", ""):
            raise ValueError(f"cannot decode Content-Encoding {encoding}")
        return Response(status, headers, body, wire)


class SseSink(Protocol):
    def on_open(self, status: int) -> None: ...
    def on_events(self, events: list[tuple[bytes, int | None, bytes]], now: float) -> None: ...
    def on_close(self, reason: str) -> None: ...


def sse_request(host: str, port: int, path: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: text/event-stream", "Cache-Control: no-cache"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class SseStream(asyncio.Protocol):
    """One SSE response, read as it arrives; ``sink`` gets whole events only."""

    __slots__ = (
        "sink",
        "request",
        "transport",
        "status",
        "_head",
        "_raw",
        "_text",
        "_closing",
        "bytes_in",
        "ended",
        "last_data",
    )

    def __init__(self, sink: SseSink, request: bytes) -> None:
        self.sink = sink
        self.request = request
        self.transport: asyncio.Transport | None = None
        self.status: int | None = None
        self._head = b""
        self._raw = bytearray()  # chunked bytes not yet a whole chunk
        self._text = b""  # decoded text not yet a whole event
        self._closing = False
        self.bytes_in = 0
        self.ended = False
        self.last_data = time.monotonic()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        transport.write(self.request)  # type: ignore[attr-defined]

    def close(self) -> None:
        """Close on purpose (a page reload, the end of the run): no on_close."""
        self._closing = True
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._closing:
            self._closing = True
            self.sink.on_close(type(exc).__name__ if exc else "eof")

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        self.bytes_in += len(data)
        self.last_data = now
        if self.status is None:
            self._head += data
            end = self._head.find(b"\r\n\r\n")
            if end < 0:
                return
            head, data = self._head[:end], self._head[end + 4 :]
            self._head = b""
            self.status = int(head.split(b" ", 2)[1])
            self.sink.on_open(self.status)
            if self.status != 200:
                self.close()
                return
            if b"transfer-encoding: chunked" not in head.lower():
                raise RuntimeError("expected a chunked SSE response")
        payload = self._dechunk(data)
        if self.ended:
            self.close()
            self.sink.on_close("ended by the server")
        if not payload:
            return
        # Whole chunks only, so a CRLF is never split here (the server's separator is \r\n).
        if b"\r" in payload:
            payload = payload.replace(b"\r\n", b"\n")
        blocks = (self._text + payload).split(b"\n\n")
        self._text = blocks.pop()
        events = []
        for block in blocks:
            name, eid, body = b"message", None, b""
            for line in block.split(b"\n"):
                if line[:3] == b"id:":
                    eid = int(line[3:])
                elif line[:6] == b"event:":
                    name = line[6:].strip()
                elif line[:5] == b"data:":
                    body = line[5:] if not body else body + b"\n" + line[5:]
            if eid is not None or body:
                events.append((name, eid, body))
        if events:
            self.sink.on_events(events, now)

    def _dechunk(self, data: bytes) -> bytes:
        raw = self._raw
        raw += data
        out = []
        pos = 0
        n = len(raw)
        while True:
            nl = raw.find(b"\r\n", pos)
            if nl < 0:
                break
            size = int(bytes(raw[pos:nl]).split(b";")[0], 16)
            if size == 0:  # the server ended the response: for EventSource, a dropped stream
                pos = n
                self.ended = True
                break
            end = nl + 2 + size
            if n < end + 2:
                break
            out.append(bytes(raw[nl + 2 : end]))
            pos = end + 2
        if pos:
            del raw[:pos]
        return b"".join(out)


# --- numbers ------------------------------------------------------------------------


class Histogram:
    """Latencies in 0.1 ms buckets: exact enough, and millions of samples in little memory."""

    __slots__ = ("counts", "n")

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}
        self.n = 0

    def add(self, seconds: float) -> None:
        key = int(seconds * 10000) if seconds > 0 else 0
        counts = self.counts
        counts[key] = counts.get(key, 0) + 1
        self.n += 1

    def merge(self, other: Histogram) -> None:
        for key, count in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + count
        self.n += other.n

    def percentiles(self, *ps: float) -> list[float | None]:
        """Seconds at each percentile (0–100), None when empty."""
        if not self.n:
            return [None for _ in ps]
        keys = sorted(self.counts)
        out = []
        for p in ps:
            rank = max(1, int(round(p / 100 * self.n + 0.4999)))
            seen = 0
            for key in keys:
                seen += self.counts[key]
                if seen >= rank:
                    out.append(key / 10000)
                    break
        return out

    def summary(self) -> dict[str, Any]:
        p50, p95, p99, p100 = self.percentiles(50, 95, 99, 100)
        return {"n": self.n, "p50": p50, "p95": p95, "p99": p99, "max": p100}

    def __getstate__(self):
        return (self.counts, self.n)

    def __setstate__(self, state):
        self.counts, self.n = state


def fmt_time(seconds: float | None) -> str:
    """With its unit: ``875 ms``, ``31.1 s``."""
    text = fmt_ms(seconds)
    return text if text.endswith(" s") or text == "–" else f"{text} ms"


def fmt_ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    ms = seconds * 1000
    if ms >= 10000:
        return f"{seconds:.1f} s"
    if ms >= 100:
        return f"{ms:.0f}"
    return f"{ms:.1f}"
