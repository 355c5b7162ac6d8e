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

from app.realtime.gate import QUIET_SECONDS
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


def test_a_phone_is_woken_for_its_own_dot_and_learns_of_the_others_at_the_quiet_moment(api, live_server):
    """Hidden tallies: Budi's dots show nothing on Rina's phone, so her stream is not
    woken for them (``app.realtime.gate``), yet their seq reaches her within a quiet
    interval of the last one; her own dot is on her phone at once. Once the
    facilitator shows the tallies live, Budi's next dot reaches her with the total."""
    fac = api.facilitator()
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        remote = Api(client)
        session = remote.session(fac)
        rina, budi = (remote.join(session["join_code"], name) for name in ("Rina", "Budi"))
        idea = remote.idea(rina, "Antrean online RSUD")
        remote.phase(fac, session["id"], "vote")
        phone = PhoneStream(live_server.url, session["id"], rina.token)
        vote = f"/api/v1/groups/{idea['group_id']}/votes"
        try:
            assert phone.messages.get(timeout=10)[2] == "snapshot"
            for _ in range(2):
                last = client.post(vote, headers=budi.headers).json()["seq"]
            sent = time.monotonic()
            arrived, seq, name, ops = phone.until(last)[-1]
            assert (seq, ops) == (last, [])  # nothing shown: the tally is hidden
            assert arrived - sent < QUIET_SECONDS + 1.0, arrived - sent

            mine = client.post(vote, headers=rina.headers).json()["seq"]
            sent = time.monotonic()
            arrived, seq, name, ops = phone.until(mine)[-1]
            assert seq == mine and any(op.get("id") == "votes-left" for op in ops)
            assert arrived - sent < QUIET_SECONDS / 2, arrived - sent  # not held for a quiet moment

            r = client.patch(f"/api/v1/sessions/{session['id']}", json={"live_votes": True}, headers=fac)
            assert r.status_code == 200, r.text
            again = client.post(vote, headers=budi.headers).json()["seq"]
            sent = time.monotonic()
            arrived, seq, name, ops = phone.until(again)[-1]
            tally = f"vg-{idea['group_id']}-votes"
            assert seq == again and {"op": "text", "id": tally, "text": "4"} in ops, ops
            assert arrived - sent < QUIET_SECONDS / 2, arrived - sent
        finally:
            phone.close()


def test_the_gate_wakes_only_the_phones_an_event_concerns(api, app, monkeypatch):
    """In process, with the real broker, event log and renderings: three phones in the
    vote phase with hidden tallies; a dot wakes its voter's stream only, the others
    are nudged once at the quiet moment (however many dots came meanwhile), and a
    change of the settings wakes them all."""
    import asyncio

    from sqlmodel import select

    from app.db import make_sessionmaker
    from app.models import Facilitator, Participant
    from app.realtime.broker import MemoryBroker
    from app.realtime.feed import EventFeed
    from app.realtime import gate as gate_module
    from app.realtime.gate import Gates
    from app.realtime.viewer import Viewer, variant_for
    from app.services import sessions, votes

    fac = api.facilitator()
    session = api.session(fac)
    phones = [api.join(session["join_code"], name) for name in ("Rina", "Budi", "Sari")]
    idea = api.idea(phones[0], "Antrean online RSUD")
    api.phase(fac, session["id"], "vote")
    public = api.client.get(f"/api/v1/sessions/{session['id']}", headers=fac).json()
    live = app.state.live_html
    quiet_seconds = 0.6

    async def scenario() -> None:
        broker = MemoryBroker()
        await broker.start()
        gates = Gates(broker, EventFeed(app.state.sessions), quiet_seconds=quiet_seconds)
        writes = make_sessionmaker(app.state.engine, broker)
        viewers = [Viewer("phone", session["id"], "id", participant_id=phone.participant_id,
                          variant=variant_for("phone", public)) for phone in phones]
        subs = [gates.subscribe(session["id"], v, live.shows) for v in viewers]
        gate = gates.gate(session["id"])
        assert gates.following(session["id"]) == 3  # the room a reload is spread over

        def dot(phone) -> int:
            with writes() as db:
                return votes.cast(db, participant=db.get(Participant, phone.participant_id),
                                  group_id=idea["group_id"]).seq

        def read() -> None:
            for sub in subs:
                sub._woken = False  # read, as a stream would have

        first = dot(phones[1])  # the gate's first signal: it wakes everyone, and starts judging
        await asyncio.sleep(0.2)
        assert all(sub.latest == first for sub in subs)
        read()
        before, nudged = gate.wakes, gate.nudges
        dot(phones[1])
        await asyncio.sleep(0.15)
        seq = dot(phones[1])
        await asyncio.sleep(0.15)
        assert gate.wakes - before == 2  # Budi's phone, once per dot
        assert [sub._woken for sub in subs] == [False, True, False]
        assert [sub.latest for sub in subs] == [first, seq, first]  # not yet: it shows nothing there
        assert gates.quiet(session["id"], viewers[0].audience_key()).covers(seq, viewers[0].audience_key(), None)
        read()
        await asyncio.sleep(quiet_seconds)
        assert all(sub.latest == seq for sub in subs)  # the quiet moment: the others learn the seq
        assert [sub._woken for sub in subs] == [True, False, True]
        assert gate.nudges - nudged == 2  # one nudge each for both dots

        # A screen whose variant moved (it read a settings change and has not filed itself
        # again) does not speak for the audience it was filed under: Sari's dot is judged
        # as the others see it, and wakes her phone only.
        read()
        viewers[0].variant["live_votes"] = True
        dot(phones[2])
        await asyncio.sleep(0.15)
        assert [sub._woken for sub in subs] == [False, False, True]
        viewers[0].variant["live_votes"] = False
        await asyncio.sleep(quiet_seconds)  # the quiet moment: everyone knows the seq

        # A flood of events nudges sooner, before the phones fall out of the feed's ring.
        read()
        monkeypatch.setattr(gate_module, "NUDGE_EVERY_SEQS", 2)
        dot(phones[2])
        await asyncio.sleep(0.15)
        assert [sub._woken for sub in subs] == [False, False, True]
        seq = dot(phones[2])
        await asyncio.sleep(0.15)
        assert [sub._woken for sub in subs] == [True, True, True] and all(sub.latest == seq for sub in subs)

        read()
        before = gate.wakes
        with writes() as db:
            owner = db.exec(select(Facilitator)).first()
            sessions.update_session(db, facilitator=owner, session_id=session["id"], live_votes=True)
        await asyncio.sleep(0.2)
        assert gate.wakes - before == 3

        # A network broker that reconnected may have lost signals: every phone reads.
        read()
        broker.wake_all()
        await asyncio.sleep(0.2)
        assert [sub._woken for sub in subs] == [True, True, True]
        # A room of 1,000 phones learns its quiet seqs every 4 s: the nudges stay ~250 a second.
        assert gate.quiet_interval() == quiet_seconds
        crowd = [gates.subscribe(session["id"], Viewer("phone", session["id"], "id", participant_id=None,
                                                       variant=variant_for("phone", public)), live.shows)
                 for _ in range(997)]
        assert gate.quiet_interval() == 4.0
        for sub in subs + crowd:
            gates.unsubscribe(sub)
        assert gates.gate(session["id"]) is None and gates.following(session["id"]) == 0

    asyncio.run(scenario())


def test_what_the_gate_found_quiet_is_rendered_after_all_once_the_screen_changed(api, app):
    """A phone skips rendering the events the gate judged to show nothing on it, but
    only while its variant is the one they were judged with: once the tallies are
    shown (a settings event it has read since), the same dots bring the total."""
    import asyncio
    import json as _json

    from app.realtime.feed import EventFeed
    from app.realtime.gate import QuietRange
    from app.realtime.viewer import Viewer, variant_for

    fac = api.facilitator()
    session = api.session(fac)
    rina, budi = (api.join(session["join_code"], name) for name in ("Rina", "Budi"))
    idea = api.idea(rina, "Antrean online RSUD")
    api.phase(fac, session["id"], "vote")
    public = api.client.get(f"/api/v1/sessions/{session['id']}", headers=fac).json()
    start = public["last_seq"]
    for _ in range(2):
        r = api.client.post(f"/api/v1/groups/{idea['group_id']}/votes", headers=budi.headers)
        assert r.status_code == 201, r.text
    records = asyncio.run(EventFeed(app.state.sessions).after(session["id"], start))
    live = app.state.live_html

    def fresh() -> Viewer:
        return Viewer("phone", session["id"], "id", participant_id=rina.participant_id,
                      variant=variant_for("phone", public))

    viewer = fresh()
    quiet = QuietRange()
    owners = {record.seq: budi.participant_id for record in records}
    assert live.shows(records, viewer) == (False, owners)  # his own dots show on his phone
    quiet.judged(records[0].seq, records[-1].seq, viewer.audience_key(), owners)
    renders = live.renders
    [(name, data, seq)] = live.batch(records, viewer, quiet)
    assert (name, seq, _json.loads(data)["ops"]) == (None, records[-1].seq, [])
    assert live.renders == renders  # skipped, not rendered again
    voter = Viewer("phone", session["id"], "id", participant_id=budi.participant_id,
                   variant=variant_for("phone", public))
    [(name, data, seq)] = live.batch(records, voter, quiet)
    assert name == "ops" and any(op.get("id") == "votes-left" for op in _json.loads(data)["ops"]), data

    shown = fresh()
    shown.variant["live_votes"] = True  # as after reading "session.updated"
    [(name, data, seq)] = live.batch(records, shown, quiet)
    tally = {"op": "text", "id": f"vg-{idea['group_id']}-votes", "text": "2"}
    assert name == "ops" and tally in _json.loads(data)["ops"], data
