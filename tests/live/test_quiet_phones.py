"""A phone's live stream over a real connection: what changes nothing on the phone
(other people's ideas: a phone shows only its own) goes out at most once per
``QUIET_SECONDS``, so a room of 1,000 phones is not sent ten empty messages a
second each; its seq still arrives, and what the phone shows is never held back."""

from __future__ import annotations

import json
import queue
import re
import threading
import time

import httpx
import pytest
from httpx_sse import connect_sse

from app.realtime.stream import QUIET_SECONDS
from app.security import participant_cookie_name
from tests.builders import Api

pytestmark = pytest.mark.server


class PhoneStream:
    """The phone page's HTML stream, read in a thread: (arrival time, seq, ops)."""

    def __init__(self, base_url: str, session_id: int, token: str) -> None:
        cookies = {participant_cookie_name(session_id): token}
        self.client = httpx.Client(base_url=base_url, cookies=cookies, timeout=10)
        page = self.client.get(f"/s/{session_id}").text
        self.url = re.search(r'data-live-url="([^"]+)"', page).group(1).replace("&amp;", "&")
        self.messages: queue.Queue = queue.Queue()
        self.opened = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        assert self.opened.wait(10)

    def _run(self) -> None:
        try:
            with connect_sse(self.client, "GET", self.url) as source:
                self.opened.set()
                for sse in source.iter_sse():
                    if sse.id and sse.data:
                        data = json.loads(sse.data)
                        self.messages.put((time.monotonic(), int(sse.id), sse.event, data["ops"]))
        except httpx.HTTPError:
            pass

    def until(self, seq: int, timeout: float = 10) -> list[tuple]:
        out, deadline = [], time.monotonic() + timeout
        while not out or out[-1][1] < seq:
            try:
                out.append(self.messages.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"seq {seq} not received; got {[m[1] for m in out]}") from None
        return out

    def close(self) -> None:
        self.client.close()


def test_others_ideas_reach_a_phone_as_few_empty_messages_and_its_own_at_once(api, live_server):
    fac = api.facilitator()
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        remote = Api(client)
        session = remote.session(fac)
        rina, budi = (remote.join(session["join_code"], name) for name in ("Rina", "Budi"))
        phone = PhoneStream(live_server.url, session["id"], rina.token)
        try:
            first = phone.messages.get(timeout=10)  # the connect: a snapshot of Rina's ideas
            assert first[2] == "snapshot"
            # Budi sends ten ideas, one every 0.15 s (longer than the 0.1 s tick: each
            # would have been its own message).
            started = time.monotonic()
            for n in range(10):
                last = remote.idea(budi, f"Ide Budi {n}")["seq"]
                time.sleep(0.15)
            elapsed = time.monotonic() - started
            got = phone.until(last)
            assert all(ops == [] and name == "ops" for _t, _seq, name, ops in got)  # nothing on Rina's phone
            # At most one per quiet interval (plus the one that ends a quiet spell).
            assert len(got) <= elapsed / QUIET_SECONDS + 2, (len(got), elapsed)
            # Rina's own idea from another tab is shown: a message with ops (only
            # empty ones are ever held back).
            mine = remote.idea(rina, "Ide Rina dari tab lain")
            _arrived, seq, name, ops = phone.until(mine["seq"])[-1]
            assert (seq, name) == (mine["seq"], "ops") and ops[0]["id"] == f"my-idea-{mine['id']}"
        finally:
            phone.close()
