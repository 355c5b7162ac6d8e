"""What a server holds in memory from before an erasure is never served after it: the
event feed's ring, the JSON stream's renderings and the pages' renderings, in the
process that erased and in a process that did not (another worker)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from app.realtime.feed import EventFeed
from app.security import FACILITATOR_COOKIE
from app.services import erasure
from tests.builders import Api
from tests.support.streams import Stream

pytestmark = pytest.mark.server

NAME, OFFICE = "Rinawati Sukmadewi", "Kantor Camat Sukmajaya"


def named(data) -> bool:
    text = json.dumps(data)
    return NAME in text or OFFICE in text


def test_streams_warmed_before_an_erasure_replay_without_the_name(api, live_server):
    fac = api.facilitator()
    remote = Api(httpx.Client(base_url=live_server.url, timeout=30))
    session = remote.session(fac, anonymous=False)
    sid = session["id"]
    rina = remote.join(session["join_code"], NAME, "opd", OFFICE)
    budi = remote.join(session["join_code"], "Budi Santoso", "opd", "Dinas Kominfo")
    last = remote.idea(rina, "Antrean online puskesmas")["seq"]
    token = fac["Authorization"].split()[1]
    page = {"Cookie": f"{FACILITATOR_COOKIE}={token}"}
    board_path = f"/board/{sid}/stream"
    # Warm the server's ring and both render caches: the console, a phone, the projector.
    for headers, path in ((fac, None), (budi.headers, None), (page, board_path)):
        with Stream(live_server.url, sid, headers={**headers, "Last-Event-ID": "0"}, path=path) as s:
            assert named([e.data for e in s.until(last)]) or path, "the warm-up saw the name"
    # A stream open across the erasure gets the erasure as an event.
    with Stream(live_server.url, sid, headers={**fac, "Last-Event-ID": str(last)}) as open_stream:
        r = remote.client.post(f"/api/v1/participants/{rina.participant_id}/erase", headers=fac)
        assert r.status_code == 200, r.text
        seq = r.json()["seq"]
        [event] = open_stream.until(seq)
        assert event.event == "participant.erased" and event.data["idea_ids"]
    for headers, path in ((fac, None), (budi.headers, None), (page, board_path)):
        with Stream(live_server.url, sid, headers={**headers, "Last-Event-ID": "0"}, path=path) as s:
            replayed = s.until(seq)
        assert replayed[-1].id == seq
        assert not named([e.data for e in replayed]), path or headers
    remote.client.close()


def test_a_process_that_did_not_erase_drops_its_ring_when_a_stream_starts(api, app):
    """Another worker: its ring holds the events from before, and it never read the
    erasure (nobody there followed the session). A stream starting there reads the
    session's last seq first: the ring is dropped and the replay comes from the log."""
    fac = api.facilitator()
    session = api.session(fac)
    rina = api.join(session["join_code"], NAME, "opd", OFFICE)
    api.idea(rina, "Antrean online puskesmas")
    worker = EventFeed(app.state.sessions)

    async def read_all() -> list:
        last = await worker.last_seq(session["id"])
        return await worker.after(session["id"], 0), last

    before, _ = asyncio.run(read_all())
    assert named([r.payload for r in before])
    with app.state.sessions() as db:
        seq = erasure.erase_participant(db, participant_id=rina.participant_id, actor=None)
    after, last = asyncio.run(read_all())
    assert last == seq and [r.seq for r in after] == list(range(1, seq + 1))
    assert not named([r.payload for r in after])
    # Same seq, new payload: a new version, so no cached rendering of the old one is reused.
    assert before[0].seq == after[0].seq
    changed = {r.seq for r in before} & {r.seq for r, o in zip(after, before, strict=False) if r.version != o.version}
    assert changed, "the rewritten events carry a new version"
