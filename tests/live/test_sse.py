"""The live event stream over a real uvicorn server: snapshot, replay, live order,
heartbeats, access and what each audience may see."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import httpx
import pytest

from app.security import FACILITATOR_COOKIE
from tests.builders import PASSWORD, Api
from tests.support.streams import Stream

pytestmark = pytest.mark.server


def make_room(api, server, email: str | None = None) -> SimpleNamespace:
    """A facilitator and a brainstorming session, driven through the real server
    (writes must reach the server's own broker to wake its streams)."""
    fac = api.facilitator(email=email)
    remote = Api(httpx.Client(base_url=server.url, timeout=10))
    session = remote.session(fac)
    return SimpleNamespace(url=server.url, api=remote, fac=fac, session=session, id=session["id"])


@pytest.fixture
def room(api, live_server):
    r = make_room(api, live_server)
    yield r
    r.api.client.close()


def stream(room, headers, **kw) -> Stream:
    return Stream(room.url, room.id, headers=headers, **kw)


def submit(room, phone, n: int, prefix: str = "Ide") -> list[dict]:
    return [room.api.idea(phone, text=f"{prefix} {i}", dimension="governance") for i in range(n)]


# --- (a) snapshot ------------------------------------------------------------------

def test_connect_without_id_starts_with_the_board(room):
    rina = room.api.join(room.session["join_code"], name="Rina")
    submit(room, rina, 3)
    for headers in (room.fac, rina.headers):
        with stream(room, headers) as s:
            first = s.next()
            board = room.api.board(headers, room.id)
            assert first.event == "snapshot"
            assert first.data == board
            assert first.id == board["last_seq"]
            assert len(board["groups"]) == 3


# --- (b) replay --------------------------------------------------------------------

def test_replay_from_last_event_id(room):
    phone = room.api.join(room.session["join_code"])
    ideas = submit(room, phone, 6)
    last = ideas[-1]["seq"]
    # The eight replays stay open side by side, then are watched for nothing more over
    # the same half second (each still for the whole of it): not eight waits in a row.
    replays = {}
    try:
        for k in (0, 1, ideas[2]["seq"], last - 1):
            for how in ("header", "query"):
                kw = {"headers": {**room.fac, "Last-Event-ID": str(k)}} if how == "header" else {
                    "headers": room.fac, "params": {"last_event_id": k}}
                s = replays[(k, how)] = Stream(room.url, room.id, **kw)
                got = s.until(last)
                assert [e.id for e in got] == list(range(k + 1, last + 1)), (k, how)
                assert "snapshot" not in {e.event for e in got}
        time.sleep(0.5)
        for key, s in replays.items():
            assert s.nothing_more(0), key
    finally:
        for s in replays.values():
            s.close()
    # The events are the ones the writes reported.
    with stream(room, {**room.fac, "Last-Event-ID": str(ideas[0]["seq"] - 1)}) as s:
        got = {e.id: e for e in s.until(last)}
    for idea in ideas:
        event = got[idea["seq"]]
        assert event.event == "idea.created"
        assert event.data["seq"] == idea["seq"]
        assert event.data["idea"]["id"] == idea["id"] and event.data["idea"]["text"] == idea["text"]
        assert event.data["group"]["id"] == idea["group_id"]


def test_replay_renders_each_event_with_the_settings_of_its_time(room):
    """A phone that was offline while the facilitator switched anonymity on sees the
    ideas sent before the switch as they were shown then (authors), and then the
    switch hiding them: the same story the room saw, not today's rules applied to
    yesterday's events."""
    room.api.client.patch(f"/api/v1/sessions/{room.id}", json={"anonymous": False}, headers=room.fac)
    rina = room.api.join(room.session["join_code"], name="Rina")
    budi = room.api.join(room.session["join_code"], name="Budi")
    before = room.api.board(budi.headers, room.id)["last_seq"]
    idea = room.api.idea(rina, text="Antrean online")
    room.api.client.patch(f"/api/v1/sessions/{room.id}", json={"anonymous": True}, headers=room.fac)
    last = room.api.board(budi.headers, room.id)["last_seq"]
    with stream(room, {**budi.headers, "Last-Event-ID": str(before)}) as s:
        created, switched = s.until(last)
    assert created.id == idea["seq"] and created.data["idea"]["author"]["name"] == "Rina"
    assert switched.event == "session.updated"
    assert switched.data["authors"] == [{"idea_id": idea["id"], "author": None}]


def test_header_wins_over_query(room):
    phone = room.api.join(room.session["join_code"])
    ideas = submit(room, phone, 4)
    last = ideas[-1]["seq"]
    with stream(room, {**room.fac, "Last-Event-ID": str(last - 1)}, params={"last_event_id": 1}) as s:
        assert [e.id for e in s.until(last)] == [last]


def test_up_to_date_client_gets_only_new_events(room):
    phone = room.api.join(room.session["join_code"])
    last = submit(room, phone, 2)[-1]["seq"]
    with stream(room, {**phone.headers, "Last-Event-ID": str(last)}) as s:
        assert s.nothing_more()
        idea = room.api.idea(phone, text="Baru saja")
        event = s.next()
        assert (event.id, event.event, event.data["idea"]["id"]) == (last + 1, "idea.created", idea["id"])


def test_more_than_a_batch_is_replayed_in_order(room, app):
    """A screen back from a long sleep: several hundred events, read in batches."""
    from app.realtime.feed import BATCH
    from app.services import participants

    first = room.api.board(room.fac, room.id)["last_seq"]
    # In-process writer on the same database, through the service the join route calls:
    # 450 joins, each its own transaction and event (HTTP to each would only add time).
    with app.state.sessions() as db:
        for n in range(2 * BATCH + 50):
            participants.join(db, join_code=room.session["join_code"], name=f"Peserta {n}", organization_type="opd",
                              organization="Diskominfo")
    last = room.api.board(room.fac, room.id)["last_seq"]
    assert last == first + 2 * BATCH + 50
    with stream(room, {**room.fac, "Last-Event-ID": str(first)}) as s:
        got = s.until(last, timeout=30)
    assert [e.id for e in got] == list(range(first + 1, last + 1))
    assert [e.data["participant"]["name"] for e in got] == [f"Peserta {n}" for n in range(2 * BATCH + 50)]
    assert [e.data["participant_count"] for e in got] == list(range(1, 2 * BATCH + 51))


def test_unusable_id_gets_a_snapshot(room):
    phone = room.api.join(room.session["join_code"])
    submit(room, phone, 2)
    board = room.api.board(room.fac, room.id)
    for bad in ("abc", "", "-1", "1.5", "9" * 30):
        with stream(room, {**room.fac, "Last-Event-ID": bad}) as s:
            first = s.next()
        assert (first.event, first.data) == ("snapshot", board), bad


# --- (c) snapshot when too old -------------------------------------------------------

def test_too_old_or_future_id_gets_a_snapshot_then_live_events(api, server_factory):
    server = server_factory(sse_replay_limit=5)
    room = make_room(api, server)
    phone = room.api.join(room.session["join_code"])
    last = submit(room, phone, 10)[-1]["seq"]

    for behind in (6, last, -1, -1000):  # too old, from the very start, from the future
        start = last - behind
        with stream(room, {**phone.headers, "Last-Event-ID": str(start)}) as s:
            first = s.next()
            assert first.event == "snapshot", start
            assert first.id == last
            assert first.data == room.api.board(phone.headers, room.id)
            new = room.api.idea(phone, text=f"Setelah snapshot dari {start}")
            event = s.next()
            assert (event.event, event.id, event.data["idea"]["id"]) == ("idea.created", new["seq"], new["id"])
            last = new["seq"]

    # Exactly at the limit still replays.
    with stream(room, {**phone.headers, "Last-Event-ID": str(last - 5)}) as s:
        assert [e.id for e in s.until(last)] == list(range(last - 4, last + 1))
    room.api.client.close()


# --- (d) live order ----------------------------------------------------------------

@pytest.mark.database
def test_live_events_from_concurrent_phones_arrive_in_order_without_gaps(room):
    phones = [room.api.join(room.session["join_code"], name=f"Peserta {n}") for n in range(3)]
    with stream(room, room.fac) as s:
        start = s.next()
        assert start.event == "snapshot"
        errors: list[BaseException] = []

        def send(phone, n):
            try:
                client = httpx.Client(base_url=room.url, timeout=10)
                with client:
                    for i in range(10):
                        r = client.post(
                            f"/api/v1/sessions/{room.id}/ideas",
                            json={"text": f"Peserta {n} ide {i}", "dimension": "economy"},
                            headers=phone.headers,
                        )
                        assert r.status_code == 201, r.text
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        workers = [threading.Thread(target=send, args=(p, n)) for n, p in enumerate(phones)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(60)
        assert not errors, errors
        got = s.take(30, timeout=20)
    assert [e.id for e in got] == list(range(start.id + 1, start.id + 31))
    assert {e.event for e in got} == {"idea.created"}
    assert sorted(e.data["idea"]["text"] for e in got) == sorted(f"Peserta {n} ide {i}" for n in range(3) for i in range(10))
    for e in got:
        assert e.data["seq"] == e.id
        assert e.data["idea"]["dimension"] == "economy"
        assert e.data["idea"]["author"]["name"].startswith("Peserta")
    assert room.api.board(room.fac, room.id)["last_seq"] == got[-1].id


def test_phase_changes_reach_phones(room):
    phone = room.api.join(room.session["join_code"])
    with stream(room, phone.headers) as s:
        s.next()
        for phase in ("group", "vote", "brainstorm"):
            room.api.phase(room.fac, room.id, phase)
            event = s.next()
            assert event.event == "session.phase_changed"
            assert event.data["phase"] == phase


# --- (e) heartbeat -----------------------------------------------------------------

def test_heartbeat_comments_while_idle(room):
    """Proxies and phones drop a silent connection; comments keep it open (1 s in tests)."""
    comments: list[str] = []
    seen_two = threading.Event()

    def read():
        with httpx.Client(base_url=room.url, timeout=10) as client:
            with client.stream("GET", f"/api/v1/sessions/{room.id}/events", headers=room.fac) as r:
                assert r.headers["content-type"].startswith("text/event-stream")
                assert r.headers["cache-control"] == "no-store"
                for line in r.iter_lines():
                    if line.startswith(":") and "ping" in line:
                        comments.append(line)
                        if len(comments) >= 2:
                            seen_two.set()
                            return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert seen_two.wait(10), comments


def test_heartbeats_between_events_are_not_events(room):
    """A ``: ping`` comment after an event must not reach the test's reader as an
    event (httpx_sse repeats the last id on the blank line after a comment)."""
    phone = room.api.join(room.session["join_code"])
    with stream(room, room.fac) as s:
        assert s.next().event == "snapshot"
        assert s.nothing_more(wait=2.5)  # heartbeats every second in tests: two or more went by
        idea = room.api.idea(phone, text="Setelah jeda")
        event = s.next()
        assert (event.event, event.data["idea"]["id"]) == ("idea.created", idea["id"])


# --- (f) access ------------------------------------------------------------------

def status_of(room, session_id, headers) -> int:
    with httpx.Client(base_url=room.url, timeout=10) as client:
        with client.stream("GET", f"/api/v1/sessions/{session_id}/events", headers=headers) as r:
            if r.status_code != 200:
                assert r.read() and "detail" in r.json()
            return r.status_code


def test_stream_access(room, api):
    other_session = room.api.session(room.fac)
    outsider = room.api.join(other_session["join_code"])
    other_fac = api.facilitator()
    assert status_of(room, room.id, {}) == 401
    assert status_of(room, room.id, outsider.headers) == 403
    assert status_of(room, room.id, other_fac) == 404
    assert status_of(room, 999999, room.fac) == 404
    assert status_of(room, room.id, {"Authorization": "Bearer palsu"}) == 401
    # The HTML streams refuse by the same rule: 401 without a usable credential, 403
    # for a valid one of the wrong kind or session, 404 for another facilitator.
    from app.security import participant_cookie_name

    phone_cookie = {"Cookie": f"{participant_cookie_name(other_session['id'])}={outsider.token}"}
    expected = {
        f"/board/{room.id}/stream": ((None, 401), (phone_cookie, 403), (outsider.headers, 403), (other_fac, 404)),
        f"/console/sessions/{room.id}/stream": ((None, 401), (phone_cookie, 403), (other_fac, 404)),
        f"/s/{room.id}/stream": ((None, 401), ({"Cookie": f"{participant_cookie_name(room.id)}=palsu"}, 401),
                                 (phone_cookie, 403), (room.fac, 403)),
    }
    with httpx.Client(base_url=room.url, timeout=10) as client:
        for path, cells in expected.items():
            for headers, status in cells:
                assert client.get(path, headers=headers).status_code == status, (path, headers)


def test_a_logout_ends_the_facilitators_open_streams_but_not_the_phones(api, live_server):
    """A facilitator who logs out (here, or on another device) must not keep
    receiving the console's view: every stream opened with that login gets
    ``event: end`` within a heartbeat (1 s in tests) and closes; the projector page
    then reloads into the login form (app/static/live.js). A phone's stream goes on."""
    room = make_room(api, live_server, email="keluar@kominfo.go.id")
    phone = room.api.join(room.session["join_code"], name="Rina")
    assert room.api.client.post("/login", data={"email": "keluar@kominfo.go.id", "password": PASSWORD}).status_code == 303
    cookie = {"Cookie": f"{FACILITATOR_COOKIE}={room.api.client.cookies[FACILITATOR_COOKIE]}"}
    with stream(room, room.fac) as api_stream, stream(room, phone.headers) as phone_stream, \
            Stream(room.url, room.id, headers=cookie, path=f"/console/sessions/{room.id}/stream") as console:
        assert api_stream.next().event == "snapshot" and phone_stream.next().event == "snapshot"
        assert console.next().event == "snapshot"
        idea = room.api.idea(phone, text="Sebelum keluar", dimension="governance")
        assert api_stream.until(idea["seq"])[-1].data["idea"]["text"] == "Sebelum keluar"
        assert room.api.client.post("/api/v1/auth/logout", headers=room.fac).status_code == 204

        for ended in (api_stream, console):
            last = ended.next(timeout=5)
            while last.event != "end":  # what happened before the logout comes first
                assert last.id <= idea["seq"], last
                last = ended.next(timeout=5)
            assert last.data == {"reason": "login_ended"}
            assert ended.ended.wait(5), "the stream stayed open after the logout"
        after = room.api.idea(phone, text="Sesudah keluar", dimension="governance")
        assert phone_stream.until(after["seq"])[-1].data["idea"]["text"] == "Sesudah keluar"
        assert not phone_stream.ended.is_set()
    assert status_of(room, room.id, room.fac) == 401  # and it cannot come back with that token


# --- (g) what each audience sees ------------------------------------------------------

def test_anonymity_and_hiding_on_the_stream(room):
    rina = room.api.join(room.session["join_code"], name="Rina", organization="RSUD")
    budi = room.api.join(room.session["join_code"], name="Budi", organization="Bappeda")
    with stream(room, rina.headers) as on_rina, stream(room, room.fac) as on_console:
        on_rina.next(), on_console.next()
        own = room.api.idea(rina, text="Ide Rina")
        theirs = room.api.idea(budi, text="Ide Budi")
        mine_e, theirs_e = on_rina.take(2)
        assert mine_e.data["idea"]["author"]["name"] == "Rina" and mine_e.data["idea"]["mine"] is True
        assert "author" not in theirs_e.data["idea"] and theirs_e.data["idea"]["mine"] is False
        c_own, c_theirs = on_console.take(2)
        assert (c_own.data["idea"]["author"]["name"], c_theirs.data["idea"]["author"]["name"]) == ("Rina", "Budi")

        r = room.api.client.post(f"/api/v1/ideas/{theirs['id']}/visibility", json={"hidden": True}, headers=room.fac)
        assert r.status_code == 200
        hidden = on_rina.next()
        assert hidden.event == "idea.hidden"
        assert hidden.data["idea"] is None
        assert hidden.data["idea_id"] == theirs["id"]
        console_hidden = on_console.next()
        assert console_hidden.data["idea"]["hidden"] is True and console_hidden.data["idea"]["text"] == "Ide Budi"

        # Participants learn only the count of who joined; the console learns who.
        room.api.join(room.session["join_code"], name="Sari", organization="PDAM")
        joined = on_rina.next()
        assert joined.event == "participant.joined" and set(joined.data) == {"seq", "participant_count"}
        assert joined.data["participant_count"] == 3
        c_joined = on_console.next()
        assert c_joined.data["participant"]["name"] == "Sari"
    assert own["id"] != theirs["id"]


def test_phones_replaying_the_same_events_each_see_their_own(room):
    """Phones that read the same run of events get one rendering made for all of them,
    except the phones the run involves: each of those sees its own idea as its own."""
    join = room.session["join_code"]
    rina, budi, sari, dewi = (room.api.join(join, name=name, organization="Dinas")
                              for name in ("Rina", "Budi", "Sari", "Dewi"))
    since = room.api.idea(rina, text="Sebelum")["seq"]
    own = room.api.idea(rina, text="Ide Rina")
    r = room.api.client.patch(f"/api/v1/sessions/{room.id}", json={"anonymous": False}, headers=room.fac)
    assert r.status_code == 200, r.text
    theirs = room.api.idea(budi, text="Ide Budi")

    def replay(phone) -> list:
        with stream(room, phone.headers, params={"last_event_id": since}) as s:
            return s.until(theirs["seq"])

    seen = {name: replay(phone) for name, phone in (("sari", sari), ("rina", rina), ("dewi", dewi), ("budi", budi))}
    ideas = {name: {e.data["idea"]["text"]: e.data["idea"] for e in events if e.event == "idea.created"}
             for name, events in seen.items()}
    assert seen["sari"] == seen["dewi"]  # the same bytes, and nobody's own idea among them
    assert [e.id for e in seen["rina"]] == [e.id for e in seen["sari"]]
    assert [e.event for e in seen["sari"]] == ["idea.created", "session.updated", "idea.created"]
    assert ideas["rina"]["Ide Rina"]["mine"] is True and ideas["rina"]["Ide Budi"]["mine"] is False
    assert ideas["budi"]["Ide Budi"]["mine"] is True and ideas["budi"]["Ide Rina"]["mine"] is False
    assert not any(idea["mine"] for idea in ideas["sari"].values())
    # Named after the session stopped being anonymous, for everyone, as it happened.
    assert ideas["sari"]["Ide Budi"]["author"]["name"] == "Budi" and "author" not in ideas["sari"]["Ide Rina"]


# --- the feed and the stream loop, in process --------------------------------------------

def append_events(sessions, session_id: int, n: int) -> int:
    """Append ``n`` events with the real event-log function; returns the last seq."""
    from app.db import write_transaction
    from app.services import events

    with sessions() as db:
        with write_transaction(db):
            for i in range(n):
                seq = events.record(db, session_id=session_id, type="participant.joined",
                                    payload={"participant": {"name": f"P{i}"}, "participant_count": i + 1})
    return seq


def test_feed_keeps_rings_only_for_recently_read_sessions(api, app, monkeypatch):
    """A process serving a week of sessions does not keep every session's ring; an
    evicted session still reads correctly (from the database)."""
    import asyncio

    from app.realtime import feed as feed_module

    monkeypatch.setattr(feed_module, "MAX_RINGS", 3)
    fac = api.facilitator()
    sids = [api.session(fac)["id"] for _ in range(5)]
    feed = feed_module.EventFeed(app.state.sessions)

    async def scenario():
        for sid in sids:
            assert [r.seq for r in await feed.after(sid, 0)] == [1, 2]  # created, phase changed
        assert feed.ring_count() == 3
        first = await feed.after(sids[0], 1)  # evicted: read again, right
        assert [r.seq for r in first] == [2] and feed.ring_count() == 3

    asyncio.run(scenario())


def test_feed_after_with_cursors_inside_before_and_after_its_ring(api, app):
    import asyncio

    from app.realtime.feed import RING_SIZE, EventFeed

    fac = api.facilitator()
    sid = api.session(fac)["id"]
    sessions = app.state.sessions
    last = append_events(sessions, sid, 600)
    feed = EventFeed(sessions)

    def check(cursor: int, got, limit: int) -> None:
        if cursor >= last:
            assert got == [], cursor
            return
        seqs = [r.seq for r in got]
        assert seqs and seqs == list(range(cursor + 1, cursor + 1 + len(seqs))), (cursor, seqs[:3])
        assert len(seqs) <= limit
        assert all(r.session_id == sid for r in got)

    async def walk(cursor: int, limit: int = 200) -> list[int]:
        seen = []
        while True:
            got = await feed.after(sid, cursor, limit)
            check(cursor, got, limit)
            if not got:
                return seen
            seen += [r.seq for r in got]
            cursor = got[-1].seq

    async def scenario():
        nonlocal last
        assert [r.seq for r in await feed.after(sid, 0, 100)] == list(range(1, 101))  # cold: from the database
        check(40, await feed.after(sid, 40), 200)  # inside the ring
        check(100, await feed.after(sid, 100), 200)  # just after the ring: database, extends it
        check(350, await feed.after(sid, 350), 200)  # far after the ring
        check(5, await feed.after(sid, 5), 200)  # before the ring (it moved on)
        check(last, await feed.after(sid, last), 200)  # at the end
        check(last + 7, await feed.after(sid, last + 7), 200)  # from the future
        for cursor in (0, 1, 99, 100, 255, 256, 257, last - RING_SIZE, last - 1):
            assert await walk(cursor) == list(range(cursor + 1, last + 1)), cursor
        # New events after the ring was filled are found, contiguously, from any cursor.
        last = append_events(sessions, sid, 30)
        for cursor in (last - 40, last - 31, last - 30, 3):
            assert await walk(cursor, limit=17) == list(range(cursor + 1, last + 1)), cursor
        check(last - 1, await feed.after(sid, last - 1, 1), 1)

    asyncio.run(scenario())


def messages(item) -> list[tuple[int, str]]:
    """(seq, event name) of what a stream yielded: one message, or a batch of events
    as the bytes of their messages; messages without an id (comments) left out."""
    if not isinstance(item, bytes):
        return [] if item.id is None else [(int(item.id), item.event)]
    out = []
    for block in item.decode().split("\r\n\r\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\r\n") if ": " in line)
        if "id" in fields:
            out.append((int(fields["id"]), fields.get("event")))
    return out


def run_stream(app, session_id: int, *, last_event_id: int | None, until: int, replay_limit: int = 1000,
               on_first=None, feed=None, broker=None) -> list:
    """Drive ``follow_session`` as the route does, with a wait longer than any test:
    whatever arrives, arrives without a wake-up or timeout."""
    import asyncio
    import json as _json

    from app.realtime.broker import MemoryBroker
    from app.realtime.feed import EventFeed
    from app.realtime.stream import follow_session
    from app.services import board as board_service
    from app.services.audience import FACILITATOR

    async def scenario():
        nonlocal broker, feed
        broker = broker or MemoryBroker()
        await broker.start()
        feed = feed or EventFeed(app.state.sessions)

        async def snapshot():
            data = board_service.snapshot(app.state.sessions, session_id=session_id,
                                          audience=FACILITATOR, public_url="http://x")
            return data["last_seq"], _json.dumps(data)

        stream = follow_session(
            broker=broker, feed=feed, session_id=session_id, last_event_id=last_event_id,
            replay_limit=replay_limit, wait_seconds=3600, snapshot=snapshot,
            render=lambda r: (r.type, _json.dumps(r.payload)),
        )
        got = []

        async def collect():
            async for item in stream:
                for seq, name in messages(item):
                    got.append((seq, name))
                    if on_first and len(got) == 1:
                        on_first()
                    if seq >= until:
                        return

        try:
            await asyncio.wait_for(collect(), timeout=15)
        finally:
            await stream.aclose()
        return got

    return asyncio.run(scenario())


def test_stream_catches_up_past_a_short_ring_without_waiting(api, app):
    """Another screen left the feed's ring holding only the first events; a phone
    reconnecting from inside the ring must still get everything up to the end."""
    import asyncio

    from app.realtime.feed import EventFeed

    fac = api.facilitator()
    sid = api.session(fac)["id"]
    last = append_events(app.state.sessions, sid, 500)
    feed = EventFeed(app.state.sessions)
    asyncio.run(feed.after(sid, 0, 100))  # the ring: 1..100
    got = run_stream(app, sid, last_event_id=50, until=last, feed=feed)
    assert [seq for seq, _ in got] == list(range(51, last + 1))


def test_stream_switches_to_a_snapshot_when_it_falls_too_far_behind(api, app):
    """Connected within the replay limit, then a flood arrives while the first batch
    is still being sent: the stream resyncs with a snapshot instead of replaying."""
    from app.db import make_sessionmaker
    from app.realtime.broker import MemoryBroker

    fac = api.facilitator()
    sid = api.session(fac)["id"]
    start = append_events(app.state.sessions, sid, 250) - 250
    broker = MemoryBroker()
    publishing = make_sessionmaker(app.state.engine, broker)  # writes signal this broker
    flood = {}

    def on_first():
        flood["last"] = append_events(publishing, sid, 400)

    got = run_stream(app, sid, last_event_id=start, until=start + 250 + 400, replay_limit=300,
                     on_first=on_first, broker=broker)
    snapshots = [seq for seq, name in got if name == "snapshot"]
    assert snapshots == [flood["last"]]
    replayed = [seq for seq, name in got if name != "snapshot"]
    assert replayed == list(range(start + 1, start + 1 + len(replayed)))
    assert len(replayed) < flood["last"] - start


# --- (h) grouping and votes on the stream ----------------------------------------------------

def vote_room(room, n_ideas: int = 3):
    """Three phones and ``n_ideas`` ideas (each a group of its own), through the server."""
    phones = [room.api.join(room.session["join_code"], name=name) for name in ("Rina", "Budi", "Sari")]
    ideas = [room.api.idea(phones[n % 3], text=f"Usulan {n}", dimension="living") for n in range(n_ideas)]
    return phones, ideas


def cast(room, phone, group_id: int, method: str = "POST") -> dict:
    r = room.api.client.request(method, f"/api/v1/groups/{group_id}/votes", headers=phone.headers)
    assert r.status_code in (200, 201), r.text
    return r.json()


def test_votes_on_the_stream_per_audience(room):
    (rina, budi, _sari), ideas = vote_room(room)
    group = ideas[0]["group_id"]
    room.api.phase(room.fac, room.id, "vote")
    with stream(room, rina.headers) as on_rina, stream(room, budi.headers) as on_budi, \
            stream(room, room.fac) as on_console:
        for s in (on_rina, on_budi, on_console):
            assert s.next().event == "snapshot"
        given = cast(room, rina, group)
        mine, theirs, console = on_rina.next(), on_budi.next(), on_console.next()
        assert {e.event for e in (mine, theirs, console)} == {"vote.cast"}
        assert mine.id == theirs.id == console.id == given["seq"]
        # The voter learns its own dots; the total stays hidden from phones while voting.
        assert mine.data == {"seq": given["seq"], "group_id": group, "votes": None, "my_votes_on_group": 1,
                             "votes_left": 4}
        assert theirs.data == {"seq": given["seq"], "group_id": group, "votes": None}
        assert console.data == {"seq": given["seq"], "group_id": group, "votes": 1}

        # live_votes on: phones get every tally at once, then each new total.
        r = room.api.client.patch(f"/api/v1/sessions/{room.id}", json={"live_votes": True}, headers=room.fac)
        assert r.status_code == 200
        for s in (on_rina, on_budi, on_console):
            e = s.next()
            assert e.event == "session.updated" and e.data["tallies"] == {str(group): 1}
            assert "votes_used" not in e.data and "votes_left" not in e.data
        taken = cast(room, budi, group)
        assert on_rina.next().data == {"seq": taken["seq"], "group_id": group, "votes": 2}
        assert on_budi.next().data["my_votes_on_group"] == 1
        back = cast(room, rina, group, method="DELETE")
        e = on_rina.next()
        assert (e.event, e.data) == ("vote.removed", {"seq": back["seq"], "group_id": group, "votes": 1,
                                                      "my_votes_on_group": 0, "votes_left": 5})
        assert on_budi.next().data == {"seq": back["seq"], "group_id": group, "votes": 1}

        # live_votes off again, then results: hidden, then revealed with the phase change.
        room.api.client.patch(f"/api/v1/sessions/{room.id}", json={"live_votes": False}, headers=room.fac)
        assert on_budi.next().data["tallies"] is None
        *_, off = on_console.until(room.api.board(room.fac, room.id)["last_seq"])
        assert off.event == "session.updated" and off.data["tallies"] == {str(group): 1}
        room.api.phase(room.fac, room.id, "results")
        assert on_budi.next().data["tallies"] == {str(group): 1}
        assert [e.event for e in on_rina.take(2)] == ["session.updated", "session.phase_changed"]
        assert on_console.next().data["tallies"] == {str(group): 1}

        # A change of budget tells each phone its own dots left, and the console nothing of it.
        room.api.client.patch(f"/api/v1/sessions/{room.id}", json={"vote_budget": 3}, headers=room.fac)
        assert on_budi.next().data["votes_left"] == 2
        assert on_rina.next().data["votes_left"] == 3
        console = on_console.next()
        assert console.event == "session.updated" and console.data["session"]["vote_budget"] == 3
        assert "votes_left" not in console.data and "votes_used" not in console.data


def core(group: dict) -> dict:
    """The fields of a group that grouping and voting change (ratings, SWOT and the
    roadmap are checked in tests/masterplan/test_api.py)."""
    return {k: group[k] for k in ("id", "title", "dimension", "votes", "my_votes")}


def test_grouping_on_the_stream(room):
    (rina, budi, _sari), ideas = vote_room(room, 4)
    a, b, c, d = ideas
    room.api.phase(room.fac, room.id, "vote")
    cast(room, rina, a["group_id"]), cast(room, rina, b["group_id"]), cast(room, budi, b["group_id"])
    r = room.api.client.post(f"/api/v1/ideas/{d['id']}/visibility", json={"hidden": True}, headers=room.fac)
    assert r.status_code == 200
    with stream(room, rina.headers) as on_rina, stream(room, room.fac) as on_console:
        on_rina.next(), on_console.next()
        r = room.api.client.post(f"/api/v1/ideas/{b['id']}/move", json={"group_id": a["group_id"]}, headers=room.fac)
        moved = r.json()
        e = on_rina.next()
        assert e.event == "idea.moved" and e.id == moved["seq"]
        assert e.data["merged"] is True and e.data["from_group_id"] == b["group_id"]
        assert e.data["idea"]["id"] == b["id"] and e.data["idea"]["mine"] is False
        # The target as the board shows it: the summed votes (hidden from a phone while
        # voting) and this phone's own dots on it, summed too.
        assert core(e.data["group"]) == {"id": a["group_id"], "title": None, "dimension": "living", "votes": None,
                                         "my_votes": 2}
        assert e.data["group"]["impact"] is None and e.data["group"]["my_score"] is None  # nobody rated yet
        c_e = on_console.next()
        assert core(c_e.data["group"]) == {"id": a["group_id"], "title": None, "dimension": "living", "votes": 3,
                                           "my_votes": None}
        assert "tally" not in e.data and "votes_moved" not in e.data

        r = room.api.client.patch(f"/api/v1/groups/{a['group_id']}", json={"title": "Kesehatan digital"},
                                  headers=room.fac)
        e = on_rina.next()
        assert e.event == "group.updated" and e.id == r.json()["seq"]
        assert set(e.data) == {"seq", "group"}
        assert core(e.data["group"]) == {"id": a["group_id"], "title": "Kesehatan digital",
                                         "dimension": "living", "votes": None, "my_votes": 2}
        assert on_console.next().data["group"]["votes"] == 3

        # Moving a hidden idea: phones learn only that something moved, not what.
        r = room.api.client.post(f"/api/v1/ideas/{d['id']}/move", json={"group_id": c["group_id"]}, headers=room.fac)
        e = on_rina.next()
        assert e.event == "idea.moved" and e.data["idea"] is None and e.data["idea_id"] == d["id"]
        assert on_console.next().data["idea"]["hidden"] is True

    # A reconnect from before the moves replays the same events.
    last = room.api.board(rina.headers, room.id)["last_seq"]
    with stream(room, {**rina.headers, "Last-Event-ID": str(moved["seq"] - 1)}) as replay:
        got = replay.until(last)
    assert [g.event for g in got] == ["idea.moved", "group.updated", "idea.moved"]
    assert got[0].data["group"]["my_votes"] == 2 and got[1].data["group"]["title"] == "Kesehatan digital"
