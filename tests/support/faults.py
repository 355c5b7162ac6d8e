"""Faults for tests that run real server processes: a server killed with SIGKILL, a
connection dropped after the request went out, a screen that was away for a while.

Used by tests/resilience/test_crash.py and tests/resilience/test_flaky_network.py. Everything here talks
to real processes over real sockets; the database is read directly (its own engine),
because after a crash the database is the only witness.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import struct
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import create_engine, select

from app.models import Event, Idea, Session, Vote
from tests.builders import Phone
from tests.support.reducer import reduce
from tests.support.streams import Event as StreamEvent
from tests.support.streams import Stream

# --- processes ----------------------------------------------------------------------


def kill_hard(server) -> None:
    """``kill -9`` the server process: no shutdown handler, no rollback, no flush."""
    os.kill(server.process.pid, signal.SIGKILL)
    assert server.process.wait(10) == -signal.SIGKILL


# --- the database, read directly ----------------------------------------------------------


class Witness:
    """Reads what the database holds (not what any server says)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)

    def close(self) -> None:
        self.engine.dispose()

    def _all(self, query) -> list:
        with self.engine.connect() as conn:
            return list(conn.execute(query).all())

    def ideas(self, session_id: int) -> list:
        return self._all(
            select(Idea.id, Idea.client_id, Idea.participant_id, Idea.created_seq, Idea.group_id)
            .where(Idea.session_id == session_id)
            .order_by(Idea.id)
        )

    def ideas_by_client_id(self, session_id: int) -> dict[str, list]:
        found: dict[str, list] = {}
        for row in self.ideas(session_id):
            found.setdefault(row.client_id, []).append(row)
        return found

    def votes(self, session_id: int) -> Counter:
        """Vote rows per ``(participant_id, group_id)``."""
        rows = self._all(select(Vote.participant_id, Vote.group_id).where(Vote.session_id == session_id))
        return Counter((r.participant_id, r.group_id) for r in rows)

    def events(self, session_id: int) -> list:
        """``(seq, type, payload)`` in seq order; the payload as a dict on every backend."""
        rows = self._all(
            select(Event.seq, Event.type, Event.payload).where(Event.session_id == session_id).order_by(Event.seq)
        )
        return [(r.seq, r.type, r.payload if isinstance(r.payload, dict) else json.loads(r.payload)) for r in rows]

    def last_seq(self, session_id: int) -> int:
        return self._all(select(Session.last_seq).where(Session.id == session_id))[0][0]

    def assert_log_whole(self, session_id: int) -> list:
        """The session's events are numbered 1..last_seq, each once, and the session
        row agrees. Read in one transaction, so it holds at any moment."""
        with self.engine.connect() as conn, conn.begin():
            last = conn.execute(select(Session.last_seq).where(Session.id == session_id)).scalar_one()
            seqs = list(
                conn.execute(select(Event.seq).where(Event.session_id == session_id).order_by(Event.seq)).scalars()
            )
        assert seqs == list(range(1, len(seqs) + 1)), f"gap or repeat in session {session_id}'s log"
        assert last == (seqs[-1] if seqs else 0), (last, seqs[-3:])
        return seqs


# --- streams -------------------------------------------------------------------------


def drain_until_dead(stream: Stream, timeout: float = 15) -> list[StreamEvent]:
    """Every event the stream delivered before its server died (its connection
    breaking is the end; a stream that stays open past ``timeout`` fails)."""
    deadline = time.monotonic() + timeout
    got: list[StreamEvent] = []
    while True:
        try:
            got.append(stream.next(timeout=0.5))
        except AssertionError as exc:
            if exc.__cause__ is not None:  # "stream failed": the connection broke
                return got
            assert time.monotonic() < deadline, "the stream stayed open after its server died"


def assert_converges(snapshot: StreamEvent, events: list[StreamEvent], board: dict[str, Any]) -> None:
    """The snapshot plus every event after it, reduced, is the board fetched fresh;
    and the events are exactly ``snapshot.id + 1 .. board["last_seq"]`` in order."""
    assert snapshot.event == "snapshot", snapshot.event
    assert [e.id for e in events] == list(range(snapshot.id + 1, board["last_seq"] + 1)), (
        snapshot.id,
        [e.id for e in events][:5],
        board["last_seq"],
    )
    reduced = reduce(snapshot.data, [(e.event, e.data, e.id) for e in events])
    assert reduced == board, first_difference(reduced, board)


def first_difference(a: Any, b: Any, path: str = "") -> str:
    """Where two JSON values first differ, for a readable failure."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key, "<missing>") != b.get(key, "<missing>"):
                return first_difference(a.get(key, "<missing>"), b.get(key, "<missing>"), f"{path}.{key}")
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items reduced, {len(b)} fresh"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path}: reduced {a!r}, fresh {b!r}"


# --- clients --------------------------------------------------------------------------


@dataclass
class Answer:
    """One planned request and what came of it: never ``sent`` (the server was gone
    before its turn), sent with no answer (``status`` None), or answered."""

    kind: str
    phone: Phone
    key: Any  # the idea's client_id, or the group a vote went to
    sent: bool = False
    status: int | None = None
    body: dict[str, Any] | None = None

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def unanswered(self) -> bool:
        """Sent, and the connection broke before an answer: it may or may not have happened."""
        return self.sent and self.status is None


async def join_all(client: httpx.AsyncClient, join_code: str, names: Iterable[str]) -> list[Phone]:
    async def one(name: str) -> Phone:
        r = await client.post(
            "/api/v1/join",
            json={"join_code": join_code, "name": name, "organization_type": "opd", "organization": "Diskominfo"},
        )
        assert r.status_code == 201, r.text
        body = r.json()
        return Phone(body["participant_id"], body["session_id"], body["token"])

    return list(await asyncio.gather(*(one(n) for n in names)))


def idea_request(base_url: str, phone: Phone, client_id: str, text: str, *, form: bool = False) -> bytes:
    """The raw bytes of a submit: the JSON API with the Bearer token, or the phone
    page's form with its cookie (as the browser sends it)."""
    host = urlsplit(base_url).netloc
    if form:
        from urllib.parse import urlencode

        path = f"/s/{phone.session_id}/ideas"
        body = urlencode({"text": text, "dimension": "governance", "client_id": client_id}).encode()
        headers = [
            f"Cookie: rembuk_p{phone.session_id}={phone.token}",
            "Content-Type: application/x-www-form-urlencoded",
            f"Origin: {base_url}",
            "Sec-Fetch-Site: same-origin",
        ]
    else:
        path = f"/api/v1/sessions/{phone.session_id}/ideas"
        body = json.dumps({"text": text, "dimension": "governance", "client_id": client_id}).encode()
        headers = [f"Authorization: Bearer {phone.token}", "Content-Type: application/json"]
    head = [f"POST {path} HTTP/1.1", f"Host: {host}", *headers, f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def send_and_drop(base_url: str, payload: bytes, *, reset: bool, before_drop=None) -> None:
    """Send a whole request, then go away without reading the answer: a phone that
    lost its signal. ``reset`` drops with a TCP RST (the radio gone) instead of a FIN;
    ``before_drop`` runs between sending and dropping (e.g. wait for the server to act)."""
    parts = urlsplit(base_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    try:
        sock.sendall(payload)
        if before_drop is not None:
            before_drop()
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST
    finally:
        sock.close()


def wait_for(predicate, *, timeout: float = 10, what: str = "condition") -> None:
    """Poll ``predicate`` until it is true, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
