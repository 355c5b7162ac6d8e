"""Reading a live SSE stream from a real server in a test, with deadlines.

``httpx.ASGITransport`` buffers whole bodies and never ends on an endless stream
(encode/httpx#2186), so streams are read from a real uvicorn. The reader runs in a
daemon thread and hands events over through a queue: every wait in a test has a
deadline, so a server that stops sending fails the test instead of hanging CI.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
from httpx_sse import connect_sse

from tests.support.servers import NO_TLS

DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Event:
    id: int
    event: str
    data: dict[str, Any]


class Stream:
    """``GET /api/v1/sessions/{id}/events`` followed in the background.

    Only items with an ``id`` and data are events; the opening ``retry`` item and
    the heartbeats are skipped.
    """

    def __init__(
        self,
        base_url: str,
        session_id: int,
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        path: str | None = None,
    ) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=httpx.Timeout(DEFAULT_TIMEOUT), verify=NO_TLS)
        self.path = path or f"/api/v1/sessions/{session_id}/events"
        self.headers = headers or {}
        self.params = params or {}
        self._queue: queue.Queue[Event | BaseException] = queue.Queue()
        self._peeked: Event | BaseException | None = None
        self._opened = threading.Event()
        self.ended = threading.Event()  # the server closed the stream
        self.status_code: int | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._opened.wait(DEFAULT_TIMEOUT):
            raise AssertionError("the stream did not open in time")
        assert self.status_code == 200, self.status_code

    def _run(self) -> None:
        try:
            with connect_sse(self.client, "GET", self.path, headers=self.headers, params=self.params) as source:
                self.status_code = source.response.status_code
                self._opened.set()
                for sse in source.iter_sse():
                    if not sse.id or not sse.data:
                        # The opening ``retry`` item, and heartbeats: httpx_sse keeps the
                        # last id (sticky, as the spec says) and hands the blank line after
                        # a ``: ping`` comment over as an empty "message" carrying it.
                        continue
                    self._queue.put(Event(int(sse.id), sse.event, json.loads(sse.data)))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            if not self._closed:
                self._queue.put(exc)
        finally:
            self._opened.set()
            self.ended.set()

    def next(self, timeout: float = DEFAULT_TIMEOUT) -> Event:
        if self._peeked is not None:
            item, self._peeked = self._peeked, None
        else:
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no event within {timeout} s") from None
        if isinstance(item, BaseException):
            raise AssertionError(f"stream failed: {item!r}") from item
        return item

    def take(self, n: int, timeout: float = DEFAULT_TIMEOUT) -> list[Event]:
        deadline = time.monotonic() + timeout
        return [self.next(max(0.01, deadline - time.monotonic())) for _ in range(n)]

    def until(self, seq: int, timeout: float = DEFAULT_TIMEOUT) -> list[Event]:
        """Events up to and including ``seq``."""
        deadline = time.monotonic() + timeout
        out: list[Event] = []
        while not out or out[-1].id < seq:
            out.append(self.next(max(0.01, deadline - time.monotonic())))
        return out

    def nothing_more(self, wait: float = 0.5) -> bool:
        """True when no event arrives within ``wait`` seconds."""
        if self._peeked is None:
            try:
                self._peeked = self._queue.get(timeout=wait)
            except queue.Empty:
                return True
        return False

    def close(self) -> None:
        self._closed = True
        self.client.close()

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
