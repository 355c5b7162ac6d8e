"""Several workers on one database, signalling through Redis (the machine's own):
an idea posted through worker A reaches a screen following worker B, and the vote
budget holds when a phone's requests are spread over both workers."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest

from tests.builders import Api
from tests.support.groups import rows, storm
from tests.support.redis import REDIS_URL, needs_redis
from tests.support.streams import Stream

pytestmark = [pytest.mark.server, pytest.mark.database]


@pytest.fixture
def workers(server_factory):
    needs_redis()
    return tuple(server_factory.several(2, broker_url=REDIS_URL))


def room_on(api, worker):
    """A facilitator, an API client on ``worker``, a session there and one phone."""
    fac = api.facilitator()
    on_worker = Api(httpx.Client(base_url=worker.url, timeout=10))
    session = on_worker.session(fac)
    return fac, on_worker, session, on_worker.join(session["join_code"], "Rina")


def test_an_idea_posted_on_one_worker_reaches_a_screen_on_the_other(api, workers):
    a, b = workers
    fac, on_a, session, rina = room_on(api, a)
    with Stream(b.url, session["id"], headers=fac) as console_on_b:
        assert console_on_b.next().event == "snapshot"
        for n in range(3):
            idea = on_a.idea(rina, f"Ide lewat pekerja A {n}")
            event = console_on_b.next()
            assert (event.event, event.id, event.data["idea"]["text"]) == ("idea.created", idea["seq"], idea["text"])
    for server in workers:
        ready = httpx.get(f"{server.url}/readyz", timeout=5)
        assert ready.status_code == 200 and ready.json() == {"status": "ready", "database": "ok", "broker": "ok"}
    on_a.client.close()


def test_vote_budget_holds_across_workers(api, app, workers):
    a, b = workers
    fac = api.facilitator()
    on_a = Api(httpx.Client(base_url=a.url, timeout=10))
    session = on_a.session(fac, vote_budget=5, max_votes_per_group=3)
    rina = on_a.join(session["join_code"], "Rina")
    groups = [on_a.idea(rina, f"Usulan {n}")["group_id"] for n in range(10)]
    on_a.phase(fac, session["id"], "vote")
    requests = [("POST", f"/api/v1/groups/{groups[n % 10]}/votes", rina.headers) for n in range(40)]
    # Every other request through each worker, all released at once.
    responses = storm([a.url, b.url], requests)
    assert Counter(r.status_code for r in responses) == {201: 5, 409: 35}, [r.text for r in responses][:3]
    assert rows(app, participant_id=rina.participant_id) == 5
    on_a.client.close()


def test_redis_down_keeps_writes_and_screens_catch_up(api, server_factory, private_redis):
    """The broker failing on the scale-out path: with Redis gone the workers keep
    accepting writes, readiness says the broker is down, and a screen on the other
    worker still gets every event in order from the log (at its heartbeat re-read)."""
    a, b = server_factory.several(2, broker_url=private_redis.url)
    fac, on_a, session, rina = room_on(api, a)
    with Stream(b.url, session["id"], headers=fac) as console_on_b:
        assert console_on_b.next().event == "snapshot"
        private_redis.stop()
        down = httpx.get(f"{a.url}/readyz", timeout=10)
        assert down.status_code == 503 and down.json()["broker"] == "down" and down.headers["retry-after"]
        sent = [on_a.idea(rina, f"Ide saat Redis mati {n}") for n in range(3)]
        got = [console_on_b.next() for _ in sent]
        assert [(e.id, e.data["idea"]["text"]) for e in got] == [(i["seq"], i["text"]) for i in sent]
        private_redis.start()
        deadline = time.monotonic() + 20
        while httpx.get(f"{a.url}/readyz", timeout=10).status_code != 200:
            assert time.monotonic() < deadline, "the worker did not reconnect to Redis"
            time.sleep(0.2)
        idea = on_a.idea(rina, "Ide setelah Redis kembali")
        assert console_on_b.next().id == idea["seq"]
    on_a.client.close()
