"""Open screens of a deleted session end at once, over real HTTP connections: the JSON
stream (facilitator and phone), the projector's and the phone's HTML streams, on one
server and across two workers signalling through Redis. The heartbeat is set to 30 s
here, so an end that arrives within two seconds came from the deletion's signal, not
from a periodic check."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from app.db import SESSION_GONE_SEQ
from app.security import FACILITATOR_COOKIE, participant_cookie_name
from tests.builders import Api
from tests.support.redis import REDIS_URL, needs_redis
from tests.support.streams import Stream

pytestmark = [pytest.mark.server]

PROMPTLY = 2.0  # seconds from the deletion's answer to every screen's end
GONE = {"reason": "session_deleted"}


def a_room(api: Api, remote: Api):
    owner = api.facilitator()
    session = remote.session(owner, title="Sesi yang akan dihapus")
    rina = remote.join(session["join_code"], "Rina")
    remote.idea(rina, "Wifi publik di kantor desa", "living")
    return owner, session, rina


def ends(stream: Stream, started: float) -> float:
    """Seconds until ``event: end`` with the deletion's reason, and the stream closed."""
    event = stream.next(timeout=PROMPTLY + 3)
    while event.event != "end":
        event = stream.next(timeout=PROMPTLY + 3)
    assert event.data == GONE, event
    assert stream.ended.wait(3), "the stream stayed open after its end"
    return time.monotonic() - started


def test_every_screen_of_a_deleted_session_ends_at_once(api, server_factory):
    server = server_factory(sse_heartbeat_seconds=30)
    remote = Api(httpx.Client(base_url=server.url, timeout=10))
    try:
        owner, session, rina = a_room(api, remote)
        sid, token = session["id"], owner["Authorization"].split()[1]
        link = remote.client.post(f"/api/v1/sessions/{sid}/share", headers=owner).json()["url"]
        screens = {
            "json (facilitator)": Stream(server.url, sid, headers=owner),
            "json (phone)": Stream(server.url, sid, headers=rina.headers),
            "board": Stream(
                server.url, sid, path=f"/board/{sid}/stream", headers={"Cookie": f"{FACILITATOR_COOKIE}={token}"}
            ),
            "console": Stream(
                server.url,
                sid,
                path=f"/console/sessions/{sid}/stream",
                headers={"Cookie": f"{FACILITATOR_COOKIE}={token}"},
            ),
            "phone": Stream(
                server.url,
                sid,
                path=f"/s/{sid}/stream",
                headers={"Cookie": f"{participant_cookie_name(sid)}={rina.token}"},
            ),
            "read-only link": Stream(server.url, sid, path="/" + link.split("/", 3)[3] + "/stream"),
        }
        try:
            for stream in screens.values():
                assert stream.next().event == "snapshot"
            started = time.monotonic()
            r = remote.client.delete(f"/api/v1/sessions/{sid}", headers=owner)
            assert r.status_code == 204, r.text
            took = {name: ends(stream, started) for name, stream in screens.items()}
            assert max(took.values()) < PROMPTLY, took
        finally:
            for stream in screens.values():
                stream.close()
        # Reconnecting meets a plain refusal, never an error loop of 500s.
        assert remote.client.get(f"/api/v1/sessions/{sid}/events", headers=owner).status_code == 404
        board = remote.client.get(f"/board/{sid}/stream", headers={"Cookie": f"{FACILITATOR_COOKIE}={token}"})
        assert board.status_code == 404
        phone = remote.client.get(
            f"/s/{sid}/stream", headers={"Cookie": f"{participant_cookie_name(sid)}={rina.token}"}
        )
        assert phone.status_code in (401, 403, 404), phone.status_code
    finally:
        remote.client.close()


def test_another_session_s_screen_goes_on(api, live_server):
    """Deleting one session ends its screens only: another session's stream of the same
    owner, on the same server, carries on."""
    remote = Api(httpx.Client(base_url=live_server.url, timeout=10))
    try:
        owner, doomed, _ = a_room(api, remote)
        session = remote.session(owner, title="Sesi yang tetap")
        sari = remote.join(session["join_code"], "Sari")
        with Stream(live_server.url, session["id"], headers=owner) as stream:
            assert stream.next().event == "snapshot"
            assert remote.client.delete(f"/api/v1/sessions/{doomed['id']}", headers=owner).status_code == 204
            idea = remote.idea(sari, "Pasar daring UMKM", "economy")
            assert stream.until(idea["seq"])[-1].data["idea"]["text"] == "Pasar daring UMKM"
    finally:
        remote.client.close()


@pytest.mark.database
def test_a_screen_on_another_worker_ends_at_once(api, server_factory):
    """Scale-out: the deletion goes through worker A, the console follows worker B; the
    signal crosses Redis and B's screen ends within the same two seconds."""
    needs_redis()
    a, b = server_factory.several(2, broker_url=REDIS_URL, sse_heartbeat_seconds=30)
    on_a = Api(httpx.Client(base_url=a.url, timeout=10))
    try:
        owner, session, rina = a_room(api, on_a)
        sid = session["id"]
        with Stream(b.url, sid, headers=owner) as console_on_b, Stream(b.url, sid, headers=rina.headers) as phone_on_b:
            assert console_on_b.next().event == "snapshot" and phone_on_b.next().event == "snapshot"
            started = time.monotonic()
            assert on_a.client.delete(f"/api/v1/sessions/{sid}", headers=owner).status_code == 204
            assert ends(console_on_b, started) < PROMPTLY
            assert ends(phone_on_b, started) < PROMPTLY
    finally:
        on_a.client.close()


def test_the_feed_lets_go_of_a_deleted_session_s_events(app):
    """The event feed's ring of recent events (app/realtime/feed.py) is dropped in every
    process the deletion's signal reaches, with or without a screen open there."""
    feed, broker = app.state.feed, app.state.broker

    async def run() -> tuple[int, int]:
        await broker.start()
        with app.state.sessions() as db:
            from app.services import facilitators, sessions, workshops

            fac = facilitators.create_facilitator(
                db, email="ring@kominfo.go.id", password="rahasia-123456", name="Ring"
            )
            workshop = workshops.create_workshop(db, owner=fac, title="Bimtek", region="Pariaman", year=2026)
            stage = workshops.stages(db, workshop.id)[0]
            session = sessions.create_session(db, facilitator=fac, stage_id=stage.id, title="Sesi", prompt="Apa?")
        assert await feed.after(session.id, 0)
        before = feed.ring_count()
        broker.publish(session.id, SESSION_GONE_SEQ)
        await asyncio.sleep(0)
        return before, feed.ring_count()

    before, after = asyncio.run(run())
    assert (before, after) == (1, 0)


def test_a_new_session_with_a_deleted_one_s_id_shows_only_its_own_events(api, live_server):
    """SQLite gives the newest row's id again once it is deleted. The server's caches of
    rendered events are keyed by session id and seq, so a deleted session's renderings
    must go with it: the next session's first events are its own, never the old ones'."""
    remote = Api(httpx.Client(base_url=live_server.url, timeout=10))
    try:
        owner = api.facilitator()
        stage_id = remote.workshop(owner)["stages"][0]["id"]
        old = remote.session(owner, stage_id, title="Sesi lama yang dihapus")
        idea = remote.idea(remote.join(old["join_code"], "Rina Lama"), "Rahasia sesi lama", "living")
        with Stream(live_server.url, old["id"], headers=owner, params={"last_event_id": 0}) as stream:
            assert "Rahasia sesi lama" in str(stream.until(idea["seq"])[-1].data)  # rendered, and cached
            assert remote.client.delete(f"/api/v1/sessions/{old['id']}", headers=owner).status_code == 204
            assert ends(stream, time.monotonic()) < PROMPTLY
        new = remote.session(owner, stage_id, title="Sesi baru")
        assert new["id"] == old["id"], "SQLite did not give the id again: nothing to check"
        mine = remote.idea(remote.join(new["join_code"], "Budi Baru"), "Ide sesi baru", "living")
        with Stream(live_server.url, new["id"], headers=owner, params={"last_event_id": 0}) as stream:
            seen = stream.until(mine["seq"])
        text = str([event.data for event in seen])
        assert "Sesi baru" in text and "Ide sesi baru" in text
        assert "Sesi lama" not in text and "Rahasia sesi lama" not in text and "Rina Lama" not in text
    finally:
        remote.client.close()
