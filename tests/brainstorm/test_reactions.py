"""Reactions: "+1 setuju" on other people's ideas, once per person, taken back at will,
turned off by the facilitator; the count on every idea payload, the event trimmed per
audience."""

from __future__ import annotations

from collections import Counter

import pytest

from app import i18n
from app.services.audience import FACILITATOR, PROJECTOR
from app.services.audience import phone as audience_of
from tests.support.groups import storm
from tests.support.log import events_after, rendered
from tests.support.reducer import reduce


@pytest.fixture
def room(api):
    fac = api.facilitator()
    session = api.session(fac)
    rina, budi, sari = (api.join(session["join_code"], name=n) for n in ("Rina", "Budi", "Sari"))
    idea = api.idea(rina, text="Aplikasi antrean online RSUD")
    return fac, session, rina, budi, sari, idea


def react(client, phone, idea_id: int, method: str = "POST"):
    return client.request(method, f"/api/v1/ideas/{idea_id}/reactions", headers=phone.headers)


def in_indonesian(response, msgid: str) -> None:
    expected = i18n.gettext("id", msgid)
    assert expected != msgid, f"no Indonesian translation for {msgid!r}"
    assert response.json()["detail"] == expected


def test_one_plus_one_per_person_taken_back_at_will(api, app, client, room):
    fac, session, rina, budi, sari, idea = room
    start = api.board(fac, session["id"])["last_seq"]
    first = react(client, budi, idea["id"])
    assert first.status_code == 201, first.text
    assert first.json() == {"idea_id": idea["id"], "reactions": 1, "reacted": True, "seq": start + 1}
    again = react(client, budi, idea["id"])  # a retried tap: the same state, nothing recorded
    assert again.status_code == 200 and again.json() == {**first.json(), "seq": None}
    assert react(client, sari, idea["id"]).json()["reactions"] == 2
    back = react(client, budi, idea["id"], "DELETE")
    assert back.status_code == 200 and back.json() == {"idea_id": idea["id"], "reactions": 1, "reacted": False,
                                                       "seq": start + 3}
    assert react(client, budi, idea["id"], "DELETE").json() == {**back.json(), "seq": None}
    assert [e.type for e in events_after(app, session["id"], start)] == ["idea.reacted"] * 3

    # The count is on every idea payload: the board, the list, the idea itself.
    for headers in (fac, rina.headers, budi.headers):
        [on_board] = [i for g in api.board(headers, session["id"])["groups"] for i in g["ideas"]]
        assert on_board["reactions"] == 1
    # Each phone's board says whether the "+1" is its own; the console's says nobody's.
    reacted = {name: [i for g in api.board(h, session["id"])["groups"] for i in g["ideas"]][0].get("reacted")
               for name, h in (("fac", fac), ("budi", budi.headers), ("sari", sari.headers))}
    assert reacted == {"fac": None, "budi": False, "sari": True}
    listed = client.get(f"/api/v1/sessions/{session['id']}/ideas", headers=sari.headers).json()["ideas"]
    assert listed[0]["reactions"] == 1 and listed[0]["reacted"] is True
    listed = client.get(f"/api/v1/sessions/{session['id']}/ideas", headers=budi.headers).json()["ideas"]
    assert listed[0]["reacted"] is False
    edited = client.patch(f"/api/v1/ideas/{idea['id']}", headers=rina.headers, json={"text": "Antrean online RSUD"})
    assert edited.status_code == 200 and edited.json()["reactions"] == 1


def test_the_event_tells_only_the_reactor_that_it_is_theirs(api, app, client, room):
    fac, session, rina, budi, sari, idea = room
    snapshots = {name: api.board(h, session["id"]) for name, h in
                 (("fac", fac), ("budi", budi.headers), ("sari", sari.headers))}
    start = snapshots["fac"]["last_seq"]
    assert react(client, budi, idea["id"]).status_code == 201
    [row] = events_after(app, session["id"], start)
    seen = {
        "facilitator": rendered([row], snapshots["fac"], FACILITATOR)[0][1],
        "projector": rendered([row], snapshots["fac"], PROJECTOR)[0][1],
        "budi": rendered([row], snapshots["budi"], audience_of(budi.participant_id))[0][1],
        "sari": rendered([row], snapshots["sari"], audience_of(sari.participant_id))[0][1],
    }
    common = {"seq": start + 1, "idea_id": idea["id"], "group_id": idea["group_id"], "reactions": 1}
    assert seen["budi"] == {**common, "reacted": True}
    assert seen["sari"] == seen["projector"] == seen["facilitator"] == common  # nobody learns who reacted
    # State before + the event == the board fetched afresh, for each of them.
    for name, headers, audience in (("fac", fac, FACILITATOR), ("budi", budi.headers, audience_of(budi.participant_id))):
        after = reduce(snapshots[name], rendered([row], snapshots[name], audience))
        assert after == api.board(headers, session["id"])


def test_refusals_say_why_and_change_nothing(api, app, client, room):
    fac, session, rina, budi, sari, idea = room
    start = api.board(fac, session["id"])["last_seq"]
    own = react(client, rina, idea["id"])
    assert own.status_code == 409
    in_indonesian(own, "This is your own idea: +1 is for other people's ideas.")
    assert client.post(f"/api/v1/ideas/{idea['id']}/reactions", headers=fac).status_code == 403

    other = api.session(fac)
    stranger = api.join(other["join_code"], name="Dewi")
    assert react(client, stranger, idea["id"]).status_code == 403
    assert react(client, budi, 10**9).status_code == 404

    hidden = api.idea(sari, text="Ide tersembunyi")
    assert client.post(f"/api/v1/ideas/{hidden['id']}/visibility", json={"hidden": True}, headers=fac).status_code == 200
    assert react(client, budi, hidden["id"]).status_code == 404

    off = client.patch(f"/api/v1/sessions/{session['id']}", headers=fac, json={"reactions_enabled": False})
    assert off.status_code == 200 and off.json()["reactions_enabled"] is False
    refused = react(client, budi, idea["id"])
    assert refused.status_code == 409
    in_indonesian(refused, "The facilitator has turned +1 off in this session.")
    client.patch(f"/api/v1/sessions/{session['id']}", headers=fac, json={"reactions_enabled": True, "input_locked": True})
    assert react(client, budi, idea["id"]).status_code == 409  # input paused
    client.patch(f"/api/v1/sessions/{session['id']}", headers=fac, json={"input_locked": False})
    api.phase(fac, session["id"], "results")
    in_indonesian(react(client, budi, idea["id"]), "+1 is open while ideas are collected, grouped and voted on.")

    types = [e.type for e in events_after(app, session["id"], start)]
    assert "idea.reacted" not in types
    [on_board] = [i for g in api.board(fac, session["id"])["groups"] for i in g["ideas"] if i["id"] == idea["id"]]
    assert on_board["reactions"] == 0


@pytest.mark.database
@pytest.mark.server
def test_a_room_reacting_at_once_counts_each_person_once(api, app, live_server):
    fac = api.facilitator()
    session = api.session(fac)
    author = api.join(session["join_code"], name="Rina")
    idea = api.idea(author)
    phones = [api.join(session["join_code"], name=f"Peserta {i}") for i in range(12)]
    path = f"/api/v1/ideas/{idea['id']}/reactions"
    # Twelve people once each, and one of them tapping eight times more, all at once.
    requests = [("POST", path, p.headers) for p in phones] + [("POST", path, phones[0].headers)] * 8
    responses = storm(live_server.url, requests)
    assert Counter(r.status_code for r in responses) == {201: 12, 200: 8}, [r.text for r in responses]
    [on_board] = [i for g in api.board(fac, session["id"])["groups"] for i in g["ideas"]]
    assert on_board["reactions"] == 12
    reacted = [e for e in events_after(app, session["id"], 0) if e.type == "idea.reacted"]
    assert sorted(e.payload["reactions"] for e in reacted) == list(range(1, 13))
