"""Dot voting: the contract of cast and retract, the budget and the per-group cap
(also under 50 simultaneous requests against a real server), who sees tallies when,
and the results read model the board, phones and exports share."""

from __future__ import annotations

import random
import threading
from collections import Counter

import httpx
import pytest
from sqlalchemy import func, select

from app import i18n
from app.domain import PHASE_ORDER
from app.models import Session, Vote
from app.services import board as board_service
from app.services import results
from app.services.audience import FACILITATOR, PROJECTOR
from app.services.audience import phone as audience_of
from tests.builders import Phone
from tests.support.groups import groups_of, make_room, move, ok_move, ok_vote, rows, rows_by_group, storm, unvote, vote
from tests.support.log import all_seqs, events_after, rendered
from tests.support.reducer import reduce

BUDGET_FULL = "You have no dots left (%(budget)s per person). Take one back to move it."
CAP_FULL = "At most %(max)s dots per group."


def in_indonesian(detail: str, msgid: str, **params) -> None:
    """The detail is the Indonesian text of ``msgid`` (the default locale), not the English."""
    expected = i18n.gettext("id", msgid, **params)
    assert expected != msgid % params, f"no Indonesian translation in app/locale/id for {msgid!r}"
    assert detail == expected


@pytest.fixture
def room(api):
    r = make_room(api)
    api.phase(r.fac, r.id, "vote")
    return r


# --- the contract ---------------------------------------------------------------------

def test_cast_and_retract(api, app, client, room):
    a, b, *_ = room.ideas
    start = api.board(room.fac, room.id)["last_seq"]
    r = vote(client, room.rina, a["group_id"])
    assert r.status_code == 201, r.text
    assert r.json() == {"group_id": a["group_id"], "my_votes_on_group": 1, "votes_left": 4, "seq": start + 1}
    r = vote(client, room.rina, a["group_id"])
    assert r.json() == {"group_id": a["group_id"], "my_votes_on_group": 2, "votes_left": 3, "seq": start + 2}
    ok_vote(client, room.rina, b["group_id"])
    ok_vote(client, room.budi, a["group_id"])

    r = unvote(client, room.rina, a["group_id"])  # one of mine, not Budi's
    assert r.status_code == 200, r.text
    assert r.json() == {"group_id": a["group_id"], "my_votes_on_group": 1, "votes_left": 3, "seq": start + 5}
    assert rows(app, group_id=a["group_id"]) == 2
    assert rows(app, participant_id=room.budi.participant_id) == 1

    console = groups_of(api.board(room.fac, room.id))
    assert (console[a["group_id"]]["votes"], console[b["group_id"]]["votes"]) == (2, 1)
    assert all(g["my_votes"] is None for g in console.values())
    rina = api.board(room.rina.headers, room.id)
    assert rina["votes_left"] == 3
    assert {gid: g["my_votes"] for gid, g in groups_of(rina).items()} == {
        a["group_id"]: 1, b["group_id"]: 1, room.groups[2]: 0, room.groups[3]: 0}
    budi = api.board(room.budi.headers, room.id)
    assert budi["votes_left"] == 4 and groups_of(budi)[a["group_id"]]["my_votes"] == 1
    assert "votes_left" not in api.board(room.fac, room.id)  # a phone's only

    types = [e.type for e in events_after(app, room.id, start)]
    assert types == ["vote.cast"] * 4 + ["vote.removed"]


def test_retract_without_a_dot_is_409(api, app, client, room):
    a, *_ = room.ideas
    ok_vote(client, room.budi, a["group_id"])
    before = api.board(room.fac, room.id)["last_seq"]
    r = unvote(client, room.rina, a["group_id"])  # only Budi has a dot there
    assert r.status_code == 409
    assert r.json()["detail"]
    assert rows(app, group_id=a["group_id"]) == 1
    assert api.board(room.fac, room.id)["last_seq"] == before


# --- retries: {"expected": n} ----------------------------------------------------------

def expecting(client, method: str, phone: Phone, group_id: int, expected) -> httpx.Response:
    """A cast (POST) or take-back (DELETE) that says how many dots the caller saw."""
    return client.request(method, f"/api/v1/groups/{group_id}/votes", json={"expected": expected},
                          headers=phone.headers)


@pytest.mark.database
def test_a_retried_dot_with_expected_is_given_once(api, app, client, room):
    a, b, *_ = room.ideas
    start = api.board(room.fac, room.id)["last_seq"]
    first = expecting(client, "POST", room.rina, a["group_id"], 0)
    assert first.status_code == 201, first.text
    assert first.json() == {"group_id": a["group_id"], "my_votes_on_group": 1, "votes_left": 4, "seq": start + 1}
    # The answer was lost; the client sends the same request again: the dot is there
    # already, so 200 and the same state, nothing written.
    retry = expecting(client, "POST", room.rina, a["group_id"], 0)
    assert retry.status_code == 200, retry.text
    assert retry.json() == first.json()
    assert rows(app, participant_id=room.rina.participant_id) == 1
    assert [e.type for e in events_after(app, room.id, start)] == ["vote.cast"]
    # The next dot says what the client now shows.
    r = expecting(client, "POST", room.rina, a["group_id"], 1)
    assert r.status_code == 201 and r.json()["my_votes_on_group"] == 2
    # Retrying the dot that spent the last one is "already given", not "no dots left".
    ok_vote(client, room.rina, a["group_id"])
    last = expecting(client, "POST", room.rina, b["group_id"], 0)
    assert last.status_code == 201 and last.json()["votes_left"] == 1
    ok_vote(client, room.rina, b["group_id"])
    r = expecting(client, "POST", room.rina, b["group_id"], 1)
    assert r.status_code == 200, r.text
    assert r.json() == {"group_id": b["group_id"], "my_votes_on_group": 2, "votes_left": 0, "seq": start + 5}
    # Another tab's dot counts too: a stale count is refused the same way.
    r = expecting(client, "POST", room.rina, a["group_id"], 0)
    assert r.status_code == 200 and r.json()["my_votes_on_group"] == 3
    # A matching count still meets the budget.
    r = expecting(client, "POST", room.rina, room.groups[2], 0)
    assert r.status_code == 409
    in_indonesian(r.json()["detail"], BUDGET_FULL, budget=5)
    assert rows(app, participant_id=room.rina.participant_id) == 5
    assert api.board(room.fac, room.id)["last_seq"] == start + 5


# --- retries: one Idempotency-Key per tap ----------------------------------------------

def tap(client, method: str, phone: Phone, group_id: int, key: str) -> httpx.Response:
    """A cast (POST) or take-back (DELETE) the way a phone's offline queue sends it."""
    return client.request(method, f"/api/v1/groups/{group_id}/votes",
                          headers={**phone.headers, "Idempotency-Key": key})


@pytest.mark.database
def test_a_tap_sent_again_with_its_key_gets_the_first_answer_and_no_second_dot(api, app, client, room):
    a, b, *_ = room.ideas
    start = api.board(room.fac, room.id)["last_seq"]
    first = tap(client, "POST", room.rina, a["group_id"], "tap-1")
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    ok_vote(client, room.budi, a["group_id"])  # the room moves on meanwhile
    again = tap(client, "POST", room.rina, a["group_id"], "tap-1")
    assert again.status_code == 201 and again.json() == first.json()  # the first answer, not today's state
    assert again.headers["Idempotent-Replayed"] == "true"
    assert rows(app, participant_id=room.rina.participant_id) == 1
    # A new tap is a new dot; a key is Rina's own (Budi's "tap-1" is his first tap).
    assert tap(client, "POST", room.rina, a["group_id"], "tap-2").json()["my_votes_on_group"] == 2
    assert tap(client, "POST", room.budi, b["group_id"], "tap-1").status_code == 201
    # Taking back works the same way: two sends of one take-back remove one dot.
    back = tap(client, "DELETE", room.rina, a["group_id"], "tap-3")
    assert back.status_code == 200 and back.json()["my_votes_on_group"] == 1
    assert tap(client, "DELETE", room.rina, a["group_id"], "tap-3").json() == back.json()
    assert rows(app, participant_id=room.rina.participant_id) == 1
    assert [e.type for e in events_after(app, room.id, start)] == ["vote.cast"] * 4 + ["vote.removed"]


def test_a_refused_tap_keeps_no_answer_and_a_reused_key_is_422(api, app, client, room):
    a, b, *_ = room.ideas
    for _ in range(3):
        ok_vote(client, room.rina, a["group_id"])
    capped = tap(client, "POST", room.rina, a["group_id"], "k-1")
    assert capped.status_code == 409  # at most three a group: nothing given, nothing kept
    ok_unvote = unvote(client, room.rina, a["group_id"])
    assert ok_unvote.status_code == 200
    assert tap(client, "POST", room.rina, a["group_id"], "k-1").status_code == 201  # so the key may try again
    before = api.board(room.fac, room.id)["last_seq"]
    for method, group in (("POST", b["group_id"]), ("DELETE", a["group_id"])):
        r = tap(client, method, room.rina, group, "k-1")  # the same key for another tap
        assert r.status_code == 422, r.text
        assert "Idempotency-Key" in r.json()["detail"]
    for bad in ("", "dua kata", "x" * 256, "kunci-é".encode()):
        r = client.post(f"/api/v1/groups/{b['group_id']}/votes", headers={**room.rina.headers, "Idempotency-Key": bad})
        assert r.status_code == 422, bad
    assert api.board(room.fac, room.id)["last_seq"] == before
    assert rows(app, participant_id=room.rina.participant_id) == 3


def test_the_key_is_documented(client):
    schema = client.get("/openapi.json").json()
    for method in ("post", "delete"):
        params = schema["paths"]["/api/v1/groups/{group_id}/votes"][method]["parameters"]
        assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in params)


def test_without_expected_every_request_casts(api, app, client, room):
    a, *_ = room.ideas
    for body in (None, {}, {"expected": None}):
        r = client.post(f"/api/v1/groups/{a['group_id']}/votes", json=body, headers=room.budi.headers)
        assert r.status_code == 201, (body, r.text)
    assert rows(app, participant_id=room.budi.participant_id, group_id=a["group_id"]) == 3
    r = client.request("DELETE", f"/api/v1/groups/{a['group_id']}/votes", json={}, headers=room.budi.headers)
    assert r.status_code == 200 and r.json()["my_votes_on_group"] == 2


@pytest.mark.database
def test_a_retried_take_back_with_expected_takes_one(api, app, client, room):
    a, *_ = room.ideas
    ok_vote(client, room.rina, a["group_id"], 2)
    start = api.board(room.fac, room.id)["last_seq"]
    first = expecting(client, "DELETE", room.rina, a["group_id"], 2)
    assert first.status_code == 200
    assert first.json() == {"group_id": a["group_id"], "my_votes_on_group": 1, "votes_left": 4, "seq": start + 1}
    retry = expecting(client, "DELETE", room.rina, a["group_id"], 2)
    assert retry.status_code == 200 and retry.json() == first.json()
    assert rows(app, group_id=a["group_id"]) == 1
    assert expecting(client, "DELETE", room.rina, a["group_id"], 1).json()["my_votes_on_group"] == 0
    # The last one, retried: already taken back (200), not "no dot to take back".
    r = expecting(client, "DELETE", room.rina, a["group_id"], 1)
    assert r.status_code == 200 and r.json()["my_votes_on_group"] == 0
    assert expecting(client, "DELETE", room.rina, a["group_id"], 0).status_code == 409  # nothing there, as seen
    assert [e.type for e in events_after(app, room.id, start)] == ["vote.removed"] * 2


def test_a_bad_expected_is_422(api, app, client, room):
    a, *_ = room.ideas
    ok_vote(client, room.rina, a["group_id"])
    before = api.board(room.fac, room.id)["last_seq"]
    for method in ("POST", "DELETE"):
        for expected in (-1, "satu", "1", 1.5, True, [1]):
            r = expecting(client, method, room.rina, a["group_id"], expected)
            assert r.status_code == 422, (method, expected, r.text)
            assert r.json()["detail"][0]["loc"] == ["body", "expected"]
        r = client.request(method, f"/api/v1/groups/{a['group_id']}/votes", json={"expectd": 1},
                           headers=room.rina.headers)  # a typo must not cast unprotected
        assert r.status_code == 422, r.text
    assert rows(app, session_id=room.id) == 1
    assert api.board(room.fac, room.id)["last_seq"] == before


def test_the_retry_body_is_documented(client):
    operations = client.get("/openapi.json").json()["paths"]["/api/v1/groups/{group_id}/votes"]
    for method in ("post", "delete"):
        body = operations[method]["requestBody"]
        assert not body.get("required")
        assert "expected" in operations[method]["description"]
    post = operations["post"]["responses"]
    assert post["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/VoteOut"}
    assert post["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/VoteOut"}


@pytest.mark.parametrize("phase", [p for p in PHASE_ORDER if p != "vote"])
def test_votes_only_in_the_vote_phase(api, app, client, room, phase):
    a, *_ = room.ideas
    ok_vote(client, room.rina, a["group_id"])
    api.phase(room.fac, room.id, phase)
    before = api.board(room.fac, room.id)["last_seq"]
    for r in (vote(client, room.rina, a["group_id"]), unvote(client, room.rina, a["group_id"]),
              vote(client, room.budi, a["group_id"])):
        assert r.status_code == 409, r.text
        assert r.json()["detail"]
    assert rows(app, session_id=room.id) == 1  # the dot from the vote phase stays
    assert api.board(room.fac, room.id)["last_seq"] == before


def test_budget_is_409_in_indonesian(api, app, client, room):
    a, b, c, _ = room.ideas
    ok_vote(client, room.rina, a["group_id"], 3)
    last = ok_vote(client, room.rina, b["group_id"], 2)
    assert last["votes_left"] == 0
    r = vote(client, room.rina, c["group_id"])
    assert r.status_code == 409
    in_indonesian(r.json()["detail"], BUDGET_FULL, budget=5)
    r = vote(client, room.rina, c["group_id"], lang="en")
    assert r.json()["detail"] == BUDGET_FULL % {"budget": 5}
    assert rows(app, participant_id=room.rina.participant_id) == 5
    # Taking one back frees a dot to give elsewhere.
    assert unvote(client, room.rina, a["group_id"]).json()["votes_left"] == 1
    assert ok_vote(client, room.rina, c["group_id"])["votes_left"] == 0


def test_cap_per_group_is_409_in_indonesian(api, app, client, room):
    a, b, *_ = room.ideas
    assert ok_vote(client, room.rina, a["group_id"], 3)["my_votes_on_group"] == 3
    r = vote(client, room.rina, a["group_id"])
    assert r.status_code == 409
    in_indonesian(r.json()["detail"], CAP_FULL, max=3)
    assert vote(client, room.rina, a["group_id"], lang="en").json()["detail"] == CAP_FULL % {"max": 3}
    assert ok_vote(client, room.rina, b["group_id"])["votes_left"] == 1  # other groups still take dots
    assert rows(app, participant_id=room.rina.participant_id, group_id=a["group_id"]) == 3


def test_session_sets_budget_and_cap(api, app, client):
    room = make_room(api, vote_budget=2, max_votes_per_group=1)
    api.phase(room.fac, room.id, "vote")
    a, b, c, _ = room.ideas
    assert api.board(room.rina.headers, room.id)["votes_left"] == 2
    ok_vote(client, room.rina, a["group_id"])
    assert vote(client, room.rina, a["group_id"]).status_code == 409  # cap 1
    assert ok_vote(client, room.rina, b["group_id"])["votes_left"] == 0
    r = vote(client, room.rina, c["group_id"], lang="en")
    assert r.status_code == 409 and r.json()["detail"] == BUDGET_FULL % {"budget": 2}


def test_changing_the_budget_mid_vote(api, app, client, room):
    a, b, *_ = room.ideas
    ok_vote(client, room.rina, a["group_id"], 3)
    ok_vote(client, room.budi, a["group_id"])
    r = client.patch(f"/api/v1/sessions/{room.id}", json={"vote_budget": 7}, headers=room.fac)
    assert r.status_code == 200 and r.json()["vote_budget"] == 7
    assert api.board(room.rina.headers, room.id)["votes_left"] == 4
    assert api.board(room.budi.headers, room.id)["votes_left"] == 6
    # Lowered below what Rina already gave: she keeps her dots, has none left.
    client.patch(f"/api/v1/sessions/{room.id}", json={"vote_budget": 2}, headers=room.fac)
    assert api.board(room.rina.headers, room.id)["votes_left"] == 0
    assert vote(client, room.rina, b["group_id"]).status_code == 409
    r = unvote(client, room.rina, a["group_id"])
    assert r.json()["votes_left"] == 0  # 2 given of 2, never negative
    assert api.board(room.rina.headers, room.id)["votes_left"] == 0
    assert unvote(client, room.rina, a["group_id"]).json()["votes_left"] == 1
    assert api.board(room.budi.headers, room.id)["votes_left"] == 1


def test_vote_access(api, app, client, room):
    a, b, *_ = room.ideas
    other = make_room(api, fac=room.fac)
    api.phase(room.fac, other.id, "vote")
    before = api.board(room.fac, room.id)["last_seq"]
    # A group of another session: 403, whatever its state.
    for r in (vote(client, other.rina, a["group_id"]), unvote(client, other.rina, a["group_id"])):
        assert r.status_code == 403 and r.json()["detail"]
    # Facilitators have no dots: 403 (a known login; logging in again would not help).
    for method in ("POST", "DELETE"):
        r = client.request(method, f"/api/v1/groups/{a['group_id']}/votes", headers=room.fac)
        assert r.status_code == 403 and r.json()["detail"]
        r = client.request(method, f"/api/v1/groups/{a['group_id']}/votes")
        assert r.status_code == 401
        r = client.request(method, f"/api/v1/groups/{a['group_id']}/votes", headers={"Authorization": "Bearer palsu"})
        assert r.status_code == 401
    # Not found: no such group, a group merged away, a group whose ideas are all hidden.
    assert vote(client, room.rina, 999999).status_code == 404
    ok_move(client, room.fac, b["id"], a["group_id"])
    assert vote(client, room.rina, b["group_id"]).status_code == 404
    c = room.ideas[2]
    assert client.post(f"/api/v1/ideas/{c['id']}/visibility", json={"hidden": True}, headers=room.fac).status_code == 200
    assert vote(client, room.rina, c["group_id"]).status_code == 404
    assert unvote(client, room.rina, c["group_id"]).status_code == 404
    assert client.post("/api/v1/groups/0/votes", headers=room.rina.headers).status_code == 422
    assert rows(app, session_id=room.id) == 0
    assert api.board(room.fac, room.id)["last_seq"] == before + 2  # the move and the hide


# --- who sees tallies when -------------------------------------------------------------

def projector(app, session_id: int) -> dict:
    return board_service.snapshot(app.state.sessions, session_id=session_id,
                                  audience=PROJECTOR, public_url="http://rembuk.test")


@pytest.mark.parametrize("phase", PHASE_ORDER)
@pytest.mark.parametrize("live_votes", [False, True])
def test_who_sees_tallies(api, app, client, room, phase, live_votes):
    a, b, *_ = room.ideas
    ok_vote(client, room.rina, a["group_id"], 2)
    ok_vote(client, room.budi, a["group_id"])
    ok_vote(client, room.budi, b["group_id"])
    if live_votes:
        client.patch(f"/api/v1/sessions/{room.id}", json={"live_votes": True}, headers=room.fac)
    api.phase(room.fac, room.id, phase)
    shown = live_votes or phase in ("results", "closed")

    console = groups_of(api.board(room.fac, room.id))
    assert (console[a["group_id"]]["votes"], console[b["group_id"]]["votes"], console[room.groups[2]]["votes"]) == (3, 1, 0)
    for board in (api.board(room.rina.headers, room.id), api.board(room.sari.headers, room.id), projector(app, room.id)):
        groups = groups_of(board)
        expected = (3, 1, 0) if shown else (None, None, None)
        assert (groups[a["group_id"]]["votes"], groups[b["group_id"]]["votes"], groups[room.groups[2]]["votes"]) == expected
    # Each phone always sees its own dots and how many it has left.
    rina, sari = api.board(room.rina.headers, room.id), api.board(room.sari.headers, room.id)
    assert (groups_of(rina)[a["group_id"]]["my_votes"], rina["votes_left"]) == (2, 3)
    assert (groups_of(sari)[a["group_id"]]["my_votes"], sari["votes_left"]) == (0, 5)
    assert "votes_left" not in projector(app, room.id)
    assert all(g["my_votes"] is None for g in projector(app, room.id)["groups"])


# --- concurrency against a real server ----------------------------------------------------


def cast_request(phone: Phone, group_id: int) -> tuple[str, str, dict]:
    return ("POST", f"/api/v1/groups/{group_id}/votes", phone.headers)


@pytest.mark.database
@pytest.mark.server
def test_fifty_simultaneous_votes_spend_exactly_the_budget(api, app, live_server):
    """The voting acceptance test: one phone, 5 dots, 50 requests at once."""
    texts = [(f"Ide nomor {n}", "economy") for n in range(10)]
    room = make_room(api, texts=texts)
    api.phase(room.fac, room.id, "vote")
    before = api.board(room.fac, room.id)
    before_phone = api.board(room.rina.headers, room.id)
    groups = room.groups
    responses = storm(live_server.url, [cast_request(room.rina, groups[n % 10]) for n in range(50)])

    assert Counter(r.status_code for r in responses) == {201: 5, 409: 45}, [r.text for r in responses if r.status_code not in (201, 409)]
    accepted = [r.json() for r in responses if r.status_code == 201]
    assert sorted(a["votes_left"] for a in accepted) == [0, 1, 2, 3, 4]
    refused = {r.json()["detail"] for r in responses if r.status_code == 409}
    allowed = {i18n.gettext("id", BUDGET_FULL, budget=5), i18n.gettext("id", CAP_FULL, max=3)}
    assert refused <= allowed, refused
    assert rows(app, participant_id=room.rina.participant_id) == 5
    assert all(n <= 3 for n in rows_by_group(app, room.id).values())
    # One event per accepted dot, numbered without gaps, in the order they were counted.
    fresh = api.board(room.fac, room.id)
    assert fresh["last_seq"] == before["last_seq"] + 5
    assert sorted(a["seq"] for a in accepted) == list(range(before["last_seq"] + 1, fresh["last_seq"] + 1))
    assert all_seqs(app, room.id) == list(range(1, fresh["last_seq"] + 1))
    log = events_after(app, room.id, before["last_seq"])
    assert [e.payload["votes_left"] for e in log] == [4, 3, 2, 1, 0]
    mine = api.board(room.rina.headers, room.id)
    assert mine["votes_left"] == 0 and sum(g["my_votes"] for g in mine["groups"]) == 5
    # Console and phone replaying the log arrive at their fresh boards.
    assert reduce(before, rendered(log, before, FACILITATOR)) == fresh
    phone = audience_of(room.rina.participant_id)
    assert reduce(before_phone, rendered(log, before_phone, phone)) == mine


@pytest.mark.database
@pytest.mark.server
def test_twenty_simultaneous_votes_on_one_group_stop_at_the_cap(api, app, live_server):
    room = make_room(api)
    api.phase(room.fac, room.id, "vote")
    target = room.groups[0]
    before = api.board(room.budi.headers, room.id)
    responses = storm(live_server.url, [cast_request(room.budi, target) for _ in range(20)])

    assert Counter(r.status_code for r in responses) == {201: 3, 409: 17}
    assert sorted(r.json()["my_votes_on_group"] for r in responses if r.status_code == 201) == [1, 2, 3]
    assert {r.json()["detail"] for r in responses if r.status_code == 409} == {i18n.gettext("id", CAP_FULL, max=3)}
    assert rows(app, participant_id=room.budi.participant_id) == 3
    assert rows(app, group_id=target) == 3
    fresh = api.board(room.budi.headers, room.id)
    assert (fresh["votes_left"], groups_of(fresh)[target]["my_votes"]) == (2, 3)
    audience = audience_of(room.budi.participant_id)
    assert reduce(before, rendered(events_after(app, room.id, before["last_seq"]), before, audience)) == fresh


@pytest.mark.database
@pytest.mark.server
@pytest.mark.parametrize(("method", "given", "after"), [("POST", 0, 1), ("DELETE", 2, 1)])
def test_twenty_simultaneous_retries_change_one_dot(api, app, client, live_server, method, given, after):
    """One request sent 20 times at once with the same ``expected``: one dot given
    (or taken back), the 19 others answer the state it left. Fails if the count is
    compared outside the service's locked transaction."""
    room = make_room(api)
    api.phase(room.fac, room.id, "vote")
    target = room.groups[0]
    if given:
        ok_vote(client, room.budi, target, given)
    before = api.board(room.fac, room.id)["last_seq"]
    request = (method, f"/api/v1/groups/{target}/votes", room.budi.headers, {"expected": given})
    responses = storm(live_server.url, [request] * 20)

    statuses = Counter(r.status_code for r in responses)
    assert statuses == ({201: 1, 200: 19} if method == "POST" else {200: 20}), [r.text for r in responses]
    # Every answer is the state the one change left (the others saw it under the lock).
    state = {"group_id": target, "my_votes_on_group": after, "votes_left": 5 - after, "seq": before + 1}
    assert all(r.json() == state for r in responses), {r.text for r in responses}
    assert rows(app, participant_id=room.budi.participant_id) == after
    assert [e.type for e in events_after(app, room.id, before)] == ["vote.cast" if method == "POST" else "vote.removed"]
    assert all_seqs(app, room.id) == list(range(1, before + 2))


@pytest.mark.database
@pytest.mark.server
@pytest.mark.parametrize(("method", "given", "after"), [("POST", 0, 1), ("DELETE", 2, 1)])
def test_twenty_simultaneous_sends_of_one_key_change_one_dot(api, app, client, live_server, method, given, after):
    """A phone back online re-sends a queued tap while the first send is still under
    way: one key, twenty times at once, one dot; every answer is the first one."""
    room = make_room(api)
    api.phase(room.fac, room.id, "vote")
    target = room.groups[0]
    if given:
        ok_vote(client, room.budi, target, given)
    before = api.board(room.fac, room.id)["last_seq"]
    headers = {**room.budi.headers, "Idempotency-Key": "b5c0e1d2-queued-tap"}
    responses = storm(live_server.url, [(method, f"/api/v1/groups/{target}/votes", headers)] * 20)

    assert {r.status_code for r in responses} == {201 if method == "POST" else 200}, [r.text for r in responses]
    state = {"group_id": target, "my_votes_on_group": after, "votes_left": 5 - after, "seq": before + 1}
    assert all(r.json() == state for r in responses), {r.text for r in responses}
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 19
    assert rows(app, participant_id=room.budi.participant_id) == after
    assert all_seqs(app, room.id) == list(range(1, before + 2))


@pytest.mark.database
@pytest.mark.server
def test_cast_retract_and_merge_storm_keeps_tallies_equal_to_rows(api, app, live_server):
    """Six phones with two tabs each cast and take back dots at random while the
    facilitator merges and splits groups: every tally equals its rows, nobody is over
    budget or cap, the log has no gap, and every screen's replay equals its fresh board."""
    texts = [(f"Usulan {n}", "society") for n in range(6)]
    room = make_room(api, texts=texts)
    extra = [api.join(room.session["join_code"], name=f"Peserta {n}") for n in range(3)]
    phones = room.phones + extra
    api.phase(room.fac, room.id, "vote")
    views = {"facilitator": (room.fac, FACILITATOR)} | {
        f"phone {p.participant_id}": (p.headers, audience_of(p.participant_id))
        for p in phones[:3]
    }
    before = {name: api.board(headers, room.id) for name, (headers, _) in views.items()}
    ideas = [i["id"] for i in room.ideas]
    groups = list(room.groups)
    outcomes: list[tuple[str, int]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []
    workers_n = 2 * len(phones) + 1
    barrier = threading.Barrier(workers_n)

    def tab(phone: Phone, seed: int) -> None:
        rng = random.Random(seed)
        try:
            with httpx.Client(base_url=live_server.url, timeout=60) as client:
                barrier.wait(timeout=30)
                for _ in range(20):
                    group = rng.choice(groups)
                    if rng.random() < 0.6:
                        r = client.post(f"/api/v1/groups/{group}/votes", headers=phone.headers)
                        assert r.status_code in (201, 404, 409), r.text
                    else:
                        r = client.delete(f"/api/v1/groups/{group}/votes", headers=phone.headers)
                        assert r.status_code in (200, 404, 409), r.text
                    with lock:
                        outcomes.append((r.request.method, r.status_code))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def facilitator(seed: int) -> None:
        rng = random.Random(seed)
        try:
            with httpx.Client(base_url=live_server.url, timeout=60) as client:
                barrier.wait(timeout=30)
                for _ in range(15):
                    r = client.post(f"/api/v1/ideas/{rng.choice(ideas)}/move",
                                    json={"group_id": rng.choice([*groups, None])}, headers=room.fac)
                    assert r.status_code in (200, 404), r.text
                    if r.status_code == 200:
                        with lock:
                            if r.json()["group_id"] not in groups:
                                groups.append(r.json()["group_id"])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    workers = [threading.Thread(target=tab, args=(p, n * 10 + k)) for n, p in enumerate(phones) for k in range(2)]
    workers.append(threading.Thread(target=facilitator, args=(99,)))
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert not errors, errors
    counts = Counter(outcomes)
    assert counts[("POST", 201)] and counts[("DELETE", 200)], counts

    fresh_console = api.board(room.fac, room.id)
    by_group = rows_by_group(app, room.id)
    for group in fresh_console["groups"]:
        assert group["votes"] == by_group.get(group["id"], 0), group["id"]
    assert sum(g["votes"] for g in fresh_console["groups"]) == rows(app, session_id=room.id)
    assert rows(app, session_id=room.id) == counts[("POST", 201)] - counts[("DELETE", 200)]
    with app.state.sessions() as db:
        per_phone = db.execute(select(Vote.participant_id, Vote.group_id, func.count())
                               .where(Vote.session_id == room.id).group_by(Vote.participant_id, Vote.group_id)).all()
    totals = Counter()
    for participant_id, _group, n in per_phone:
        totals[participant_id] += n
    assert all(n <= 5 for n in totals.values()), totals
    # A merge can put more than 3 of one phone's dots on a group; without merges the
    # cap holds on every group. So check the cap on the groups no merge touched.
    log = events_after(app, room.id, before["facilitator"]["last_seq"])
    merged_into = {e.payload["group"]["id"] for e in log if e.type == "idea.moved" and e.payload["merged"]}
    assert all(n <= 3 for _p, g, n in per_phone if g not in merged_into)
    assert len([e for e in log if e.type.startswith("vote.")]) == counts[("POST", 201)] + counts[("DELETE", 200)]
    assert all_seqs(app, room.id) == list(range(1, fresh_console["last_seq"] + 1))
    for name, (headers, audience) in views.items():
        start = before[name]
        assert reduce(start, rendered(log, start, audience)) == api.board(headers, room.id), name


@pytest.mark.server
def test_no_dot_is_accepted_after_voting_closes(api, app, live_server):
    """Phones keep voting while the facilitator moves to results: no vote.cast or
    vote.removed may follow the phase change in the log."""
    texts = [(f"Ide {n}", "living") for n in range(8)]
    room = make_room(api, texts=texts)
    phones = room.phones + [api.join(room.session["join_code"], name=f"Peserta {n}") for n in range(5)]
    api.phase(room.fac, room.id, "vote")
    accepted = threading.Semaphore(0)
    errors: list[BaseException] = []

    def keep_voting(phone: Phone, seed: int) -> None:
        rng = random.Random(seed)
        try:
            with httpx.Client(base_url=live_server.url, timeout=30) as client:
                for _ in range(200):
                    group = rng.choice(room.groups)
                    if rng.random() < 0.7:
                        r = client.post(f"/api/v1/groups/{group}/votes", headers=phone.headers)
                    else:
                        r = client.delete(f"/api/v1/groups/{group}/votes", headers=phone.headers)
                    if r.status_code == 409 and "vote" not in client.get(
                            f"/api/v1/sessions/{room.id}/board", headers=phone.headers).json()["session"]["phase"]:
                        return
                    assert r.status_code in (200, 201, 409), r.text
                    if r.status_code in (200, 201):
                        accepted.release()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    workers = [threading.Thread(target=keep_voting, args=(p, n)) for n, p in enumerate(phones)]
    for w in workers:
        w.start()
    for _ in range(10):
        assert accepted.acquire(timeout=20)
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        r = client.post(f"/api/v1/sessions/{room.id}/phase", json={"phase": "results"}, headers=room.fac)
        assert r.status_code == 200, r.text
    for w in workers:
        w.join(120)
    assert not errors, errors

    phase, late, tallies = None, [], None
    for row in events_after(app, room.id, 0):
        if row.type == "session.phase_changed":
            phase = row.payload["phase"]
            tallies = row.payload["tallies"]
        elif row.type.startswith("vote.") and phase != "vote":
            late.append(row.seq)
    assert phase == "results" and late == []
    # The tallies revealed with the phase change are the final ones.
    assert tallies == {str(k): v for k, v in rows_by_group(app, room.id).items()}


# --- results ---------------------------------------------------------------------------------

def test_results_rank_overall_and_per_dimension(api, app, client):
    room = make_room(api, texts=[
        ("Aplikasi antrean online RSUD", "living"),        # 0
        ("Satu data kependudukan", "governance"),           # 1
        ("Bank sampah digital", "environment"),             # 2
        ("Angkutan kota terjadwal", "living"),              # 3
        ("Mal pelayanan publik digital", "governance"),     # 4
        ("Tanpa dimensi", None),                            # 5
        ("Ide tersembunyi", "living"),                      # 6
    ])
    g = room.groups
    api.phase(room.fac, room.id, "vote")
    # Votes: 0 → 4, 1 → 2, 2 → 2 (tie with 1: older first), 3 → 0, 4 → 3, 5 → 1, 6 → 2 (then hidden)
    plan = [(room.rina, [(0, 3), (1, 1), (6, 1)]), (room.budi, [(0, 1), (4, 3), (5, 1)]),
            (room.sari, [(1, 1), (2, 2), (6, 1)])]
    for phone, spends in plan:
        for index, times in spends:
            ok_vote(client, phone, g[index], times)
    client.post(f"/api/v1/ideas/{room.ideas[6]['id']}/visibility", json={"hidden": True}, headers=room.fac)
    # Group 3's dimension set by the facilitator wins over its idea's.
    client.patch(f"/api/v1/groups/{g[3]}", json={"dimension": "economy"}, headers=room.fac)
    api.phase(room.fac, room.id, "results")

    with app.state.sessions() as db:
        session = db.get(Session, room.id)
        ranked = results.ranked_groups(db, session)
        with_hidden = results.ranked_groups(db, session, include_hidden=True)
        by_type = results.participants_by_type(db, room.id)
        voters = results.voters(db, room.id)
    assert [(r["id"], r["votes"], r["rank"]) for r in ranked] == [
        (g[0], 4, 1), (g[4], 3, 2), (g[1], 2, 3), (g[2], 2, 4), (g[5], 1, 5), (g[3], 0, 6)]
    assert g[6] in {r["id"] for r in with_hidden}  # hidden ideas are left out of the room's results
    per_dimension = results.by_dimension(ranked)
    assert [r["id"] for r in per_dimension["living"]] == [g[0]]
    assert [r["id"] for r in per_dimension["governance"]] == [g[4], g[1]]
    assert [r["id"] for r in per_dimension["economy"]] == [g[3]]
    assert [r["id"] for r in per_dimension["none"]] == [g[5]]
    assert per_dimension["branding"] == [] and per_dimension["society"] == []
    assert voters == 3
    assert {t["type"]: t["count"] for t in by_type} == {"opd": 1, "rsud": 1, "pdam": 1, "pokdarwis": 0,
                                                         "komunitas_it": 0, "lainnya": 0}

    # The chart's numbers are the board's: what the room and every phone see in results.
    for headers in (room.rina.headers, room.budi.headers):
        board = api.board(headers, room.id)
        assert sorted((grp["id"], grp["votes"]) for grp in board["groups"]) == sorted((r["id"], r["votes"]) for r in ranked)
        chart = {row["dimension"]: row for row in results.dimension_chart(ranked)}
        for key, row in chart.items():
            mine = [grp for grp in board["groups"] if (grp["dimension"] or "none") == key]
            assert row["votes"] == sum(grp["votes"] for grp in mine), key
            assert row["ideas"] == sum(len(grp["ideas"]) for grp in mine), key
            assert row["groups"] == len(mine), key
    assert chart["living"]["votes"] == 4 and chart["governance"]["votes"] == 5 and chart["economy"]["votes"] == 0


def test_ranking_ties_go_to_the_older_group_even_after_a_merge(api, app, client):
    room = make_room(api, texts=[(f"Ide {n}", "society") for n in range(4)])
    g = room.groups
    api.phase(room.fac, room.id, "vote")
    for index in (3, 2, 1, 0):
        ok_vote(client, room.rina, g[index])  # one each, newest group first
    ok_move(client, room.fac, room.ideas[3]["id"], g[1])  # merge the newest into the second: 2 votes
    with app.state.sessions() as db:
        ranked = results.ranked_groups(db, db.get(Session, room.id))
    assert [(r["id"], r["votes"]) for r in ranked] == [(g[1], 2), (g[0], 1), (g[2], 1)]
    assert move(client, room.fac, room.ideas[3]["id"], g[3]).status_code == 404  # merged away
