"""The server process is killed with SIGKILL in the middle of a room's burst.

A hundred phones (asyncio + httpx, each joined to two sessions) send ideas with a
``client_id`` to a brainstorm and dots to a vote; two facilitator screens follow
both sessions on the JSON stream. After a random moment the server gets ``kill -9``:
no shutdown handler, no rollback, requests half done. Then, reading the database
directly and through a restarted server on the same database:

- every acknowledged idea is there exactly once (by client_id), with the id and seq
  its answer gave; no idea exists twice or that nobody sent; refused ones are absent;
- every acknowledged dot is there, each vote row has its ``vote.cast`` event and the
  reverse (row and event commit together), nobody is over budget or the per-group cap,
  and the board's tallies are the vote rows;
- each session's log is 1..last_seq with no gap or repeat, ``session.last_seq`` its end;
- every event a screen saw before the crash is in the log (nothing shown is lost);
- a screen resuming with its Last-Event-ID gets every missing event exactly once, and
  snapshot + events reduced (tests/reducer.py) equals the board fetched fresh;
- retrying an unanswered idea with its client_id (twice at once) creates it at most once.

The kill can land anywhere (before a commit, during one, after it but before the
answer); the assertions are the ones that must hold wherever it lands: unanswered
requests may or may not have happened, but never twice. The random seed (the plans
and the delay before the kill) is printed with a failure; ``REMBUK_TEST_CRASH_SEED``
replays it (where the kill lands still depends on the machine's pace).
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from types import SimpleNamespace

import httpx
import pytest

from tests.builders import Api
from tests.support.faults import Answer, Witness, assert_converges, drain_until_dead, join_all, kill_hard
from tests.support.streams import Event as StreamEvent
from tests.support.streams import Stream

pytestmark = [pytest.mark.server, pytest.mark.database]

CLIENTS = 100
IDEAS_EACH, VOTES_EACH = 12, 8  # 2,000 requests: far more than get through before the kill
GROUPS, BUDGET, PER_GROUP = 10, 2, 1  # a small budget: many phones reach it before the kill
KILL_AFTER = 500  # answers (of 2,000) before the random delay starts


def submit(http: httpx.AsyncClient, answer: Answer):
    return http.post(f"/api/v1/sessions/{answer.phone.session_id}/ideas", headers=answer.phone.headers,
                     json={"text": f"Ide {answer.key}", "dimension": "living", "client_id": answer.key})


async def burst(base_url: str, plans: list[list[Answer]], seed: int, kill) -> None:
    """Every phone works through its plan until the server stops answering; the
    server is killed a random moment after a quarter of the burst was answered."""
    rng = random.Random(seed)
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as http:

        async def phone(plan: list[Answer]) -> None:
            for answer in plan:
                answer.sent = True
                try:
                    if answer.kind == "idea":
                        r = await submit(http, answer)
                    else:
                        r = await http.post(f"/api/v1/groups/{answer.key}/votes", headers=answer.phone.headers)
                except httpx.TransportError:
                    return  # the server is gone: this request has no answer, the rest are never sent
                answer.status = r.status_code
                answer.body = r.json() if r.is_success else None

        async def killer() -> None:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 60
            while sum(a.status is not None for plan in plans for a in plan) < KILL_AFTER:
                assert loop.time() < deadline, "the burst did not get going"
                await asyncio.sleep(0.01)
            await asyncio.sleep(rng.uniform(0, 0.5))  # where the kill lands: random, reproducible by seed
            kill()

        await asyncio.wait_for(asyncio.gather(killer(), *(phone(plan) for plan in plans)), timeout=120)


def make_plans(idea_phones, vote_phones, groups, rng: random.Random) -> list[list[Answer]]:
    plans = []
    for n, (ip, vp) in enumerate(zip(idea_phones, vote_phones, strict=True)):
        plan = [Answer("idea", ip, f"c{n}-{k}") for k in range(IDEAS_EACH)]
        plan += [Answer("vote", vp, rng.choice(groups)) for _ in range(VOTES_EACH)]
        rng.shuffle(plan)
        plans.append(plan)
    return plans


def check_ideas(witness: Witness, session_id: int, ideas: list[Answer]) -> dict[str, list]:
    by_client_id = witness.ideas_by_client_id(session_id)
    assert {cid: len(rows) for cid, rows in by_client_id.items() if len(rows) != 1} == {}, "an idea stored twice"
    assert set(by_client_id) <= {a.key for a in ideas}, "an idea nobody sent"
    for a in ideas:
        if a.acknowledged:
            assert a.key in by_client_id, f"acknowledged idea {a.key} lost"
            row = by_client_id[a.key][0]
            assert (row.id, row.created_seq) == (a.body["id"], a.body["seq"])
            assert row.participant_id == a.phone.participant_id
        elif not a.sent or (a.status is not None and a.status < 500):
            assert a.key not in by_client_id, (a.key, a.status)  # never sent, or refused: nothing written
    # Each idea row has its one idea.created event, at the seq the row remembers.
    created = [(p["idea"]["id"], seq) for seq, kind, p in witness.events(session_id) if kind == "idea.created"]
    assert sorted(created) == sorted((rows[0].id, rows[0].created_seq) for rows in by_client_id.values())
    return by_client_id


def check_votes(witness: Witness, session_id: int, votes: list[Answer]) -> Counter:
    rows = witness.votes(session_id)
    log = {seq: (kind, p) for seq, kind, p in witness.events(session_id)}
    assert "vote.removed" not in {kind for kind, _ in log.values()}
    # A vote row and its event commit together: the same dots, per phone and group.
    assert rows == Counter((p["participant_id"], p["group_id"]) for kind, p in log.values() if kind == "vote.cast")
    acked = Counter((a.phone.participant_id, a.key) for a in votes if a.acknowledged)
    maybe = Counter((a.phone.participant_id, a.key) for a in votes if a.unanswered or (a.status or 0) >= 500)
    for key in acked | rows:
        assert acked[key] <= rows[key] <= acked[key] + maybe[key], (key, acked[key], rows[key], maybe[key])
    for a in votes:
        if a.acknowledged:
            kind, p = log[a.body["seq"]]
            assert (kind, p["participant_id"], p["group_id"], p["votes_left"]) == (
                "vote.cast", a.phone.participant_id, a.key, a.body["votes_left"])
    per_phone = Counter()
    for (participant_id, _group), n in rows.items():
        assert n <= PER_GROUP
        per_phone[participant_id] += n
    assert max(per_phone.values()) <= BUDGET
    return rows


def set_up(api, server) -> SimpleNamespace:
    """A brainstorm, and a vote over ten groups; a hundred phones joined to both."""
    fac = api.facilitator()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        remote = Api(http)
        stage = remote.workshop(fac)["stages"][0]["id"]
        brainstorm = remote.session(fac, stage, title="Curah gagasan")
        vote = remote.session(fac, stage, title="Pemungutan suara", vote_budget=BUDGET, max_votes_per_group=PER_GROUP)
        seeders = [remote.join(vote["join_code"], name=f"Penyemai {n}") for n in range(2)]
        groups = [remote.idea(seeders[n % 2], f"Usulan {n}")["group_id"] for n in range(GROUPS)]
        remote.phase(fac, vote["id"], "vote")

    async def join_both():
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            names = [f"Peserta {n}" for n in range(CLIENTS)]
            return await asyncio.gather(join_all(http, brainstorm["join_code"], names),
                                        join_all(http, vote["join_code"], names))

    idea_phones, vote_phones = asyncio.run(join_both())
    return SimpleNamespace(fac=fac, brainstorm=brainstorm["id"], vote=vote["id"], groups=groups,
                           idea_phones=idea_phones, vote_phones=vote_phones)


def check_what_screens_saw(witness: Witness, snapshot: StreamEvent, live: list[StreamEvent], session_id: int) -> None:
    """Nothing a screen was shown is lost: each event it saw before the crash is in
    the log, as it was shown, and it saw them in order with no gap."""
    seen = [e.id for e in live]
    assert seen == list(range(snapshot.id + 1, snapshot.id + 1 + len(seen)))
    types = {seq: kind for seq, kind, _ in witness.events(session_id)}
    assert all(types.get(e.id) == e.event for e in live)


def resume(base_url: str, fac: dict, session_id: int, snapshot: StreamEvent, live: list[StreamEvent]) -> Stream:
    """Reconnect with the last id seen, as a screen does after the server came back."""
    last_seen = live[-1].id if live else snapshot.id
    stream = Stream(base_url, session_id, headers={**fac, "Last-Event-ID": str(last_seen)})
    catch_up(stream, base_url, fac, session_id, snapshot, live)
    return stream


def catch_up(stream: Stream, base_url: str, fac: dict, session_id: int, snapshot: StreamEvent,
             live: list[StreamEvent]) -> None:
    """Read the stream up to the board's seq (into ``live``): each missing event once,
    and snapshot + events reduced is the board fetched fresh."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        board = Api(http).board(fac, session_id)
    if board["last_seq"] > (live[-1].id if live else snapshot.id):
        live += stream.until(board["last_seq"], timeout=30)
    assert_converges(snapshot, live, board)
    assert stream.nothing_more(0.3)


async def retry_twice(base_url: str, unanswered: list[Answer]) -> list[tuple[httpx.Response, httpx.Response]]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        return [tuple(pair) for pair in await asyncio.gather(
            *(asyncio.gather(submit(http, a), submit(http, a)) for a in unanswered))]


def test_kill_9_mid_burst_loses_nothing_acknowledged(api, settings, server_factory):
    seed = int(os.environ.get("REMBUK_TEST_CRASH_SEED") or random.randrange(1 << 30))
    print(f"REMBUK_TEST_CRASH_SEED={seed}")  # shown with a failure
    rng = random.Random(seed)
    server = server_factory()
    room = set_up(api, server)
    plans = make_plans(room.idea_phones, room.vote_phones, room.groups, rng)
    sessions = (room.brainstorm, room.vote)
    screens = {sid: Stream(server.url, sid, headers=room.fac) for sid in sessions}
    snapshots = {sid: s.next() for sid, s in screens.items()}
    assert {s.event for s in snapshots.values()} == {"snapshot"}

    asyncio.run(burst(server.url, plans, seed, lambda: kill_hard(server)))
    live = {sid: drain_until_dead(s) for sid, s in screens.items()}
    for s in screens.values():
        s.close()

    answers = [a for plan in plans for a in plan]
    ideas, votes = [a for a in answers if a.kind == "idea"], [a for a in answers if a.kind == "vote"]
    statuses = Counter(a.status for a in answers if a.sent)
    print(f"answers: {dict(statuses)}, never sent: {sum(not a.sent for a in answers)}")
    # The kill landed mid-burst: requests in flight went unanswered, the rest never left.
    assert statuses[None] > 0 and not all(a.sent for a in answers)
    # Both kinds got through, and phones ran into their budget or cap before the kill.
    assert any(a.acknowledged for a in ideas) and any(a.acknowledged for a in votes)
    assert any(a.status == 409 for a in votes)
    # SQLite may answer a writer that waited its busy timeout with 503 (Retry-After); never a 500.
    assert not any(a.status is not None and a.status >= 500 and a.status != 503 for a in answers)

    witness = Witness(settings.resolved_database_url)
    try:
        # --- the database, as the crash left it ------------------------------------------
        for sid in sessions:
            witness.assert_log_whole(sid)
            check_what_screens_saw(witness, snapshots[sid], live[sid], sid)
        stored = check_ideas(witness, room.brainstorm, ideas)
        rows = check_votes(witness, room.vote, votes)

        # --- restart on the same database, with the public address the phones were given ---
        again = server_factory(public_url=server.url)
        with httpx.Client(base_url=again.url, timeout=30) as http:
            board = Api(http).board(room.fac, room.vote)
        tallies = Counter()
        for (_participant, group_id), n in rows.items():
            tallies[group_id] += n
        assert {g["id"]: g["votes"] for g in board["groups"]} == {g: tallies[g] for g in room.groups}
        resumed = {sid: resume(again.url, room.fac, sid, snapshots[sid], live[sid]) for sid in sessions}

        # --- the phones retry what got no answer, two copies at once ------------------------
        unanswered = [a for a in ideas if a.unanswered]
        for a, pair in zip(unanswered, asyncio.run(retry_twice(again.url, unanswered)), strict=True):
            statuses = [r.status_code for r in pair]
            assert set(statuses) <= {200, 201} and statuses.count(201) <= 1, [r.text for r in pair]
            assert pair[0].json()["id"] == pair[1].json()["id"]
            if a.key in stored:  # committed before the kill, unanswered: the retry creates nothing
                assert statuses == [200, 200] and pair[0].json()["id"] == stored[a.key][0].id
        witness.assert_log_whole(room.brainstorm)
        after = check_ideas(witness, room.brainstorm, ideas)
        assert {a.key for a in unanswered} <= set(after)
        # The resumed screen follows the retries live, and still converges.
        catch_up(resumed[room.brainstorm], again.url, room.fac, room.brainstorm, snapshots[room.brainstorm],
                 live[room.brainstorm])
        for s in resumed.values():
            s.close()
    finally:
        witness.close()
