"""The screens of bench/room.py: phones and boards holding their live streams.

Runs in its own process (``multiprocessing`` spawn), apart from the process that
times the POSTs, so that parsing a flood of events never delays a POST's clock.
The parent sends commands over a pipe:

- ``("connect", [spec, ...])``: open screens. A spec is a dict: ``key``, ``kind``
  (``phone`` | ``board``), ``session``, ``mode`` (``html``: GET the page as a
  browser would, read ``data-live-url``/``data-seq``, then follow that stream;
  ``json``: the JSON API stream; ``baseline``: the bare app's stream), ``path``
  and ``headers``.
- ``("status", {session: seq})``: how many screens are open, reloading, behind.
- ``("finish", send_times, final_seqs)``: close everything and answer with the
  delivery latencies, missed events and errors.

A phone on the HTML stream does what ``app/static/live.js`` does: a ``reload`` op
makes it GET its page again and follow the stream from the page's ``data-seq``; a
dropped stream reconnects with ``?last_event_id=<seq>`` after 0.5 s.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading
import time
from array import array
from collections import Counter
from typing import Any

from sse_client import Histogram, HttpClient, SseStream, sse_request

LIVE_URL = re.compile(rb'data-live-url="([^"]+)"')
LIVE_SEQ = re.compile(rb'data-seq="(\d+)"')
RELOAD = b'"op": "reload"'
# A reload the whole room gets comes with a window; each phone reloads at a random
# moment within it, as live.js does (app/realtime/live_phone.py, spread_reload).
RELOAD_WITHIN = re.compile(rb'"op": "reload", "within_ms": (\d+)')
# A message that shows nothing on this screen (it only moves the seq on): the server
# may hold those back up to a second (app/realtime/stream.py, QUIET_SECONDS). Seqs
# that reach a screen only that way are reported apart, as "(nothing to show)".
NOTHING_TO_SHOW = b'"ops": []}'
RECONNECT_DELAY = 0.5
# What a page loads from the server: its icon, styles and scripts (all under /static/).
STATIC_FILE = re.compile(rb'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def page_files(page: bytes) -> list[str]:
    """The files a page links, once each, in order."""
    return list(dict.fromkeys(m.decode().replace("&amp;", "&") for m in STATIC_FILE.findall(page)))


class Screen:
    """One phone or board: its stream, its cursor, and when each event arrived."""

    def __init__(self, listener: Listener, spec: dict[str, Any]) -> None:
        self.listener = listener
        self.key = spec["key"]
        self.kind: str = spec["kind"]
        self.session: int = spec["session"]
        self.mode: str = spec["mode"]
        self.path: str = spec["path"]
        self.headers: dict[str, str] = spec.get("headers", {})
        self.files: bool = spec.get("files", False)  # load the page's files after the first page
        self.http: HttpClient | None = None
        self.stream: SseStream | None = None
        self.live_url: str | None = None if self.mode == "html" else self.path
        self.cursor = 0
        self.started = False  # the first page or snapshot sets the cursor without "covering"
        self.open = False
        self.reloading = False
        self.reload_started = 0.0
        # Runs of seqs delivered together: (first, last, time).
        self.lo = array("q")
        self.hi = array("q")
        self.at = array("d")
        self.shown = array("b")  # 1: the run came in a message with something to show
        self.messages = 0
        self.merged = 0  # messages that brought several seqs at once (coalesced by the server)
        self.covered = 0  # seqs a snapshot or a reloaded page brought in one piece
        self.snapshots = 0
        self.reloads = 0

    # --- lifecycle ------------------------------------------------------------------
    async def start(self) -> None:
        if self.mode == "html":
            await self.load_page(first=True)
        else:
            await self.connect()

    async def load_page(self, first: bool = False) -> None:
        lis = self.listener
        if self.http is None:
            self.http = HttpClient(lis.host, lis.port)
        t0 = time.monotonic()
        try:
            response = await self.http.request(
                "GET", self.path, headers={"Accept": "text/html", "Accept-Encoding": "gzip, deflate", **self.headers}
            )
        except (OSError, asyncio.IncompleteReadError) as exc:
            lis.errors[f"{self.kind} page: {type(exc).__name__}"] += 1
            lis.loop.call_later(RECONNECT_DELAY, lambda: lis.spawn(self.load_page(first)))
            return
        t1 = time.monotonic()
        if response.status != 200:
            lis.errors[f"{self.kind} page: HTTP {response.status}"] += 1
            lis.loop.call_later(RECONNECT_DELAY, lambda: lis.spawn(self.load_page(first)))
            return
        label = "join" if first else "reload"
        lis.page_latency.setdefault((self.kind, label), Histogram()).add(t1 - t0)
        lis.page_bytes.setdefault((self.kind, label), []).append(response.wire_bytes)
        url, seq = LIVE_URL.search(response.body), LIVE_SEQ.search(response.body)
        if not url or not seq:
            lis.errors[f"{self.kind} page: no live url"] += 1
            return
        self.live_url = url.group(1).decode().replace("&amp;", "&")
        seq_value = int(seq.group(1))
        if self.started and seq_value > self.cursor:
            self.covered += seq_value - self.cursor
        self.cursor = max(self.cursor, seq_value)
        self.started = True
        if first and self.files:
            await self.load_files(response.body)
        await self.connect()

    async def load_files(self, page: bytes) -> None:
        """The page's files, one after the other, as a browser with an empty cache asks
        for them before its scripts open the stream."""
        lis = self.listener
        assert self.http is not None
        t0, wire = time.monotonic(), 0
        for path in page_files(page):
            try:
                response = await self.http.request("GET", path, headers={"Accept-Encoding": "gzip, deflate"})
            except (OSError, asyncio.IncompleteReadError) as exc:
                lis.errors[f"{self.kind} files: {type(exc).__name__}"] += 1
                return
            if response.status != 200:
                lis.errors[f"{self.kind} files: HTTP {response.status}"] += 1
            wire += response.wire_bytes
        lis.page_latency.setdefault((self.kind, "files"), Histogram()).add(time.monotonic() - t0)
        lis.page_bytes.setdefault((self.kind, "files"), []).append(wire)

    async def connect(self) -> None:
        lis = self.listener
        path = self.live_url
        if self.started:
            path += ("&" if "?" in path else "?") + f"last_event_id={self.cursor}"
        request = sse_request(lis.host, lis.port, path, self.headers)
        try:
            _transport, self.stream = await lis.loop.create_connection(
                lambda: SseStream(self, request), lis.host, lis.port
            )
        except OSError as exc:
            lis.errors[f"{self.kind} stream connect: {type(exc).__name__}"] += 1
            lis.loop.call_later(RECONNECT_DELAY, lambda: lis.spawn(self.connect()))

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        if self.http is not None:
            self.http.close()
        self.open = False

    # --- the SseSink protocol -----------------------------------------------------------
    def on_open(self, status: int) -> None:
        lis = self.listener
        if status != 200:
            lis.errors[f"{self.kind} stream: HTTP {status}"] += 1
            lis.loop.call_later(RECONNECT_DELAY, lambda: lis.spawn(self.connect()))
            return
        self.open = True
        if self.reloading:
            self.reloading = False
            lis.reload_latency.setdefault(self.kind, Histogram()).add(time.monotonic() - self.reload_started)

    def on_close(self, reason: str) -> None:
        lis = self.listener
        self.open = False
        self.stream = None
        if lis.finishing:
            return
        lis.errors[f"{self.kind} stream dropped: {reason}"] += 1
        lis.loop.call_later(RECONNECT_DELAY, lambda: lis.spawn(self.connect()))

    def on_events(self, events: list[tuple[bytes, int | None, bytes]], now: float) -> None:
        """A message with ``id: N`` brings the screen's state up to seq N (what live.js
        keeps as its seq), whether it carries one event or a coalesced burst: every seq
        from the cursor to N counts as delivered now."""
        cursor = self.cursor
        first = cursor + 1
        reload = False
        spread = 0.0
        shown = False
        for name, eid, data in events:
            if eid is None:
                continue
            if name == b"snapshot":
                if cursor >= first:
                    self._run(first, cursor, now, shown)
                    shown = False
                if self.started and eid > cursor:
                    self.covered += eid - cursor
                self.snapshots += 1
                cursor = max(cursor, eid)
                first = cursor + 1
                self.started = True
                if self.mode == "html" and RELOAD in data:
                    reload = True
                    break
                continue
            if eid <= cursor:
                continue  # a replay of something already seen
            if eid > cursor + 1:
                self.merged += 1
            cursor = eid
            self.messages += 1
            shown = shown or self.mode != "html" or NOTHING_TO_SHOW not in data
            if self.mode == "html" and RELOAD in data:
                reload = True
                within = RELOAD_WITHIN.search(data)
                spread = int(within.group(1)) / 1000 if within else 0.0
                break  # location.reload(): the rest of this message is not applied
        if cursor >= first:
            self._run(first, cursor, now, shown or reload)
        self.cursor = cursor
        if reload:
            self.reload(now, spread)

    def _run(self, first: int, last: int, now: float, shown: bool = True) -> None:
        self.lo.append(first)
        self.hi.append(last)
        self.at.append(now)
        self.shown.append(1 if shown else 0)

    def reload(self, now: float, spread: float = 0.0) -> None:
        """``spread``: the window the server gave; the page is fetched at a random moment
        within it (the stream is closed at once, as live.js does)."""
        self.reloads += 1
        self.reloading = True
        self.reload_started = now
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        self.open = False
        if spread > 0:
            lis = self.listener
            lis.loop.call_later(random.random() * spread, lambda: lis.spawn(self.load_page()))
        else:
            self.listener.spawn(self.load_page())


class Listener:
    def __init__(self, conn, host: str, port: int) -> None:
        self.conn = conn
        self.host, self.port = host, port
        self.loop = asyncio.get_running_loop()
        self.screens: list[Screen] = []
        self.errors: Counter[str] = Counter()
        self.page_latency: dict[tuple[str, str], Histogram] = {}
        self.page_bytes: dict[tuple[str, str], list[int]] = {}
        self.reload_latency: dict[str, Histogram] = {}
        self.lag = Histogram()
        self.finishing = False
        self.done = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()

    def spawn(self, coro) -> None:
        task = self.loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def watch_lag(self) -> None:
        """How late a 20 ms timer fires: the load generator's own delay."""
        while not self.finishing:
            t0 = time.monotonic()
            await asyncio.sleep(0.02)
            self.lag.add(time.monotonic() - t0 - 0.02)

    def read_commands(self) -> None:
        """A thread blocking on the pipe (uvloop's add_reader would make the fd
        non-blocking, and a large message would then arrive in pieces)."""
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                return
            self.loop.call_soon_threadsafe(self.on_command, message)
            if message[0] == "finish":
                return

    def on_command(self, message) -> None:
        command = message[0]
        if command == "connect":
            for spec in message[1]:
                screen = Screen(self, spec)
                self.screens.append(screen)
                self.spawn(screen.start())
        elif command == "status":
            self.conn.send(self.status(message[1]))
        elif command == "finish":
            self.finishing = True
            for screen in self.screens:
                screen.close()
            self.conn.send(self.results(message[1], message[2]))
            self.done.set()

    def status(self, targets: dict[int, int]) -> dict[str, Any]:
        behind = [s for s in self.screens if s.cursor < targets.get(s.session, 0)]
        now = time.monotonic()
        return {
            "screens": len(self.screens),
            "open": sum(1 for s in self.screens if s.open),
            "reloading": sum(1 for s in self.screens if s.reloading),
            "behind": len(behind),
            # A few of the screens still behind, to tell a slow server from a silent stream.
            "examples": [
                {
                    "key": s.key,
                    "kind": s.kind,
                    "cursor": s.cursor,
                    "target": targets.get(s.session),
                    "open": s.open,
                    "reloading": s.reloading,
                    "bytes_in": s.stream.bytes_in if s.stream else None,
                    "silent_s": round(now - s.stream.last_data, 1) if s.stream else None,
                }
                for s in behind[:3]
            ],
            "min_cursor": {
                sid: min((s.cursor for s in self.screens if s.session == sid), default=0) for sid in targets
            },
        }

    def results(
        self, send_times: dict[int, dict[int, tuple[float, str, Any]]], final: dict[int, int]
    ) -> dict[str, Any]:
        """Delivery latency of every (screen, event) pair whose POST we timed."""
        latency: dict[tuple[str, str], Histogram] = {}
        last_arrival: dict[tuple[int, int, str], float] = {}  # (session, seq, screen kind) → latest arrival
        missed = 0
        incomplete = 0
        for screen in self.screens:
            sent = send_times.get(screen.session, {})
            hist_by_kind: dict[str, Histogram] = {}
            quiet_kind = f"{screen.kind} (nothing to show)"
            for lo, hi, at, shown in zip(screen.lo, screen.hi, screen.at, screen.shown, strict=True):
                for seq in range(lo, hi + 1):
                    entry = sent.get(seq)
                    if entry is None:
                        continue
                    t_sent, kind, actor = entry
                    if screen.mode != "html":
                        visible = True  # the JSON and baseline streams send every event
                    elif screen.kind == "phone":
                        # A phone shows its own ideas and dots (tallies are hidden while
                        # voting) and the phase; others' ideas and votes change nothing on it.
                        visible = kind == "phase" or actor == screen.key
                    else:
                        visible = bool(shown)
                    key = (screen.kind if visible else quiet_kind, kind)
                    hist = hist_by_kind.get(key)
                    if hist is None:
                        hist = hist_by_kind[key] = latency.setdefault(key, Histogram())
                    hist.add(at - t_sent)
                    key = (screen.session, seq, screen.kind)
                    if at > last_arrival.get(key, 0.0):
                        last_arrival[key] = at
            short = max(0, final.get(screen.session, 0) - screen.cursor)
            missed += short
            incomplete += 1 if short else 0
        return {
            "latency": latency,
            "last_arrival": last_arrival,
            "missed": missed,
            "incomplete_screens": incomplete,
            "covered": sum(s.covered for s in self.screens),
            "snapshots": sum(s.snapshots for s in self.screens),
            "reloads": sum(s.reloads for s in self.screens),
            "messages": sum(s.messages for s in self.screens),
            "merged": sum(s.merged for s in self.screens),
            "errors": dict(self.errors),
            "page_latency": self.page_latency,
            "page_bytes": self.page_bytes,
            "reload_latency": self.reload_latency,
            "lag": self.lag,
            "cpu_seconds": time.process_time(),
        }


async def _serve(conn, host: str, port: int) -> None:
    listener = Listener(conn, host, port)
    threading.Thread(target=listener.read_commands, daemon=True).start()
    listener.spawn(listener.watch_lag())
    conn.send(("ready",))
    await listener.done.wait()


def run(conn, host: str, port: int, bench_dir: str) -> None:
    """Process entry point (``multiprocessing`` spawn target)."""
    import sys

    sys.path.insert(0, bench_dir)
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:  # pragma: no cover - uvicorn[standard] brings uvloop
        runner = asyncio.Runner()
    with runner:
        runner.run(_serve(conn, host, port))
