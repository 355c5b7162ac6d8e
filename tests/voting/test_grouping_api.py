"""Grouping JSON API: moving ideas between groups (merge, out on their own), renaming
a group and setting its dimension, who may do it in which phase, what happens to
votes when groups change, and the duplicate suggestions.

Votes themselves (budget, cap, visibility, concurrency) are in tests/voting/test_votes.py.
"""

from __future__ import annotations

import pytest

from app.domain import PHASE_ORDER
from app.models import IdeaGroup
from tests.support.groups import (
    events_of,
    group_of,
    groups_of,
    idea_ids,
    last_seq,
    make_room,
    move,
    ok_move,
    ok_vote,
    patch_group,
    unvote,
    vote,
)

GROUPING_PHASES = ("brainstorm", "group", "vote", "score", "results")  # the facilitator's


# --- helpers (shared with tests/voting/test_votes.py) -----------------------------------------


@pytest.fixture
def room(api):
    return make_room(api)


# --- moving ideas -----------------------------------------------------------------------

def test_move_into_another_group_merges(api, app, client, room):
    a, b, c, _ = room.ideas
    before = last_seq(api, room.fac, room.id)
    r = move(client, room.fac, b["id"], a["group_id"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"seq", "group_id"}
    assert body == {"seq": before + 1, "group_id": a["group_id"]}

    board = api.board(room.fac, room.id)
    groups = groups_of(board)
    assert idea_ids(groups[a["group_id"]]) == [a["id"], b["id"]]
    assert b["group_id"] not in groups  # left empty: gone from the board
    assert groups[a["group_id"]]["title"] == a["text"]  # default title: its first idea
    assert groups[a["group_id"]]["dimension"] == "living"
    assert c["group_id"] in groups
    # Phones see the same grouping.
    assert idea_ids(group_of(api.board(room.budi.headers, room.id), b["id"])) == [a["id"], b["id"]]

    (event,) = events_of(app, room.id, before)
    assert event.type == "idea.moved" and event.seq == body["seq"]
    assert event.payload["from_group_id"] == b["group_id"]
    assert event.payload["group"]["id"] == a["group_id"]
    assert event.payload["merged"] is True


def test_move_out_into_a_group_of_its_own(api, app, client, room):
    a, b, c, _ = room.ideas
    ok_move(client, room.fac, b["id"], a["group_id"])
    ok_move(client, room.fac, c["id"], a["group_id"])
    before = last_seq(api, room.fac, room.id)

    body = ok_move(client, room.fac, b["id"], None)
    new_group = body["group_id"]
    assert new_group not in set(room.groups)  # a new group, not its old one
    assert body["seq"] == before + 1
    groups = groups_of(api.board(room.fac, room.id))
    assert idea_ids(groups[a["group_id"]]) == [a["id"], c["id"]]
    assert idea_ids(groups[new_group]) == [b["id"]]
    assert groups[new_group]["dimension"] == "governance"  # the idea's own
    assert groups[new_group]["title"] == b["text"]
    (event,) = events_of(app, room.id, before)
    assert event.payload["merged"] is False and event.payload["group"]["id"] == new_group

    # Moving the first idea out: the group's default title follows its new first idea.
    body = ok_move(client, room.fac, a["id"], None)
    groups = groups_of(api.board(room.fac, room.id))
    assert groups[a["group_id"]]["title"] == c["text"]
    assert idea_ids(groups[body["group_id"]]) == [a["id"]]


def test_move_to_where_it_already_is_records_nothing(api, client, room):
    a, b, *_ = room.ideas
    before = last_seq(api, room.fac, room.id)
    assert ok_move(client, room.fac, a["id"], a["group_id"]) == {"seq": None, "group_id": a["group_id"]}
    # Out on its own when it already is alone: the same group, no new one.
    assert ok_move(client, room.fac, b["id"], None) == {"seq": None, "group_id": b["group_id"]}
    board = api.board(room.fac, room.id)
    assert board["last_seq"] == before
    assert len(board["groups"]) == len(room.ideas)


def test_move_refusals(api, app, client, room):
    a, b, *_ = room.ideas
    other = make_room(api, fac=room.fac)
    before = last_seq(api, room.fac, room.id)
    # A group of another session (even of the same facilitator) is not found here.
    assert move(client, room.fac, a["id"], other.groups[0]).status_code == 404
    assert move(client, room.fac, a["id"], 999999).status_code == 404
    assert move(client, room.fac, 999999, a["group_id"]).status_code == 404
    # A group that was merged away (no ideas left) takes nothing any more.
    ok_move(client, room.fac, b["id"], a["group_id"])
    r = move(client, room.fac, room.ideas[2]["id"], b["group_id"])
    assert r.status_code == 404 and r.json()["detail"]
    # A deleted idea cannot be moved.
    gone = api.idea(room.rina, text="Sebentar saja")
    assert client.delete(f"/api/v1/ideas/{gone['id']}", headers=room.rina.headers).status_code == 200
    assert move(client, room.fac, gone["id"], a["group_id"]).status_code == 404
    assert move(client, room.fac, gone["id"], None).status_code == 404
    # Body and path validation.
    assert client.post(f"/api/v1/ideas/{a['id']}/move", json={}, headers=room.fac).status_code == 422
    assert client.post(f"/api/v1/ideas/{a['id']}/move", json={"group_id": "x"}, headers=room.fac).status_code == 422
    assert client.post("/api/v1/ideas/0/move", json={"group_id": None}, headers=room.fac).status_code == 422
    # Only the successful move (and the idea's create/delete) reached the log.
    assert [e.type for e in events_of(app, room.id, before)] == ["idea.moved", "idea.created", "idea.deleted"]
    assert len(api.board(room.fac, other.id)["groups"]) == 4  # the other session untouched


def test_a_hidden_idea_moves_too_and_stays_hidden(api, client, room):
    a, b, *_ = room.ideas
    assert client.post(f"/api/v1/ideas/{b['id']}/visibility", json={"hidden": True}, headers=room.fac).status_code == 200
    ok_move(client, room.fac, b["id"], a["group_id"])
    console = groups_of(api.board(room.fac, room.id))
    assert idea_ids(console[a["group_id"]]) == [a["id"], b["id"]]
    assert console[a["group_id"]]["ideas"][1]["hidden"] is True
    assert idea_ids(groups_of(api.board(room.rina.headers, room.id))[a["group_id"]]) == [a["id"]]


# --- renaming and dimension ----------------------------------------------------------------

def test_rename_and_back_to_the_default_title(api, client, room):
    a, b, *_ = room.ideas
    ok_move(client, room.fac, b["id"], a["group_id"])
    before = last_seq(api, room.fac, room.id)
    r = patch_group(client, room.fac, a["group_id"], {"title": "  Layanan   kesehatan digital  "})
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("id", "title", "dimension", "seq")} == {
        "id": a["group_id"], "title": "Layanan kesehatan digital", "dimension": "living", "seq": before + 1}
    for headers in (room.fac, room.sari.headers):
        assert groups_of(api.board(headers, room.id))[a["group_id"]]["title"] == "Layanan kesehatan digital"
    # A custom title stays when the first idea moves out.
    ok_move(client, room.fac, a["id"], None)
    assert groups_of(api.board(room.fac, room.id))[a["group_id"]]["title"] == "Layanan kesehatan digital"

    for empty in ("", "   ", None):
        patch_group(client, room.fac, a["group_id"], {"title": "Sementara"})
        r = patch_group(client, room.fac, a["group_id"], {"title": empty})
        assert r.status_code == 200, r.text
        assert r.json()["title"] is None
        # Default: the text of its (now) first idea.
        assert groups_of(api.board(room.fac, room.id))[a["group_id"]]["title"] == b["text"]


def test_set_dimension(api, client, room):
    a, *_ = room.ideas
    r = patch_group(client, room.fac, a["group_id"], {"dimension": "economy"})
    assert r.status_code == 200, r.text
    assert r.json()["dimension"] == "economy" and r.json()["title"] is None
    group = groups_of(api.board(room.fac, room.id))[a["group_id"]]
    assert group["dimension"] == "economy"
    assert group["ideas"][0]["dimension"] == "living"  # the idea keeps what its author chose
    r = patch_group(client, room.fac, a["group_id"], {"dimension": None})
    assert r.status_code == 200 and r.json()["dimension"] is None
    assert groups_of(api.board(room.fac, room.id))[a["group_id"]]["dimension"] is None
    # Title and dimension together, one event.
    before = last_seq(api, room.fac, room.id)
    r = patch_group(client, room.fac, a["group_id"], {"title": "Kesehatan", "dimension": "living"})
    assert {k: r.json()[k] for k in ("id", "title", "dimension", "seq")} == {
        "id": a["group_id"], "title": "Kesehatan", "dimension": "living", "seq": before + 1}


@pytest.mark.parametrize(
    "body",
    [{"dimension": "smart_city"}, {"dimension": "Governance"}, {"dimension": ""}, {"title": "x" * 281},
     {"colour": "red"}, {"title": 5}, {"dimension": ["living"]}],
)
def test_invalid_group_change_is_422_and_changes_nothing(api, client, room, body):
    a, *_ = room.ideas
    before = api.board(room.fac, room.id)
    r = patch_group(client, room.fac, a["group_id"], body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]
    assert api.board(room.fac, room.id) == before


def test_group_change_that_changes_nothing_records_nothing(api, client, room):
    a, *_ = room.ideas
    before = last_seq(api, room.fac, room.id)
    for body in ({}, {"dimension": "living"}, {"title": None}, {"title": ""}):
        r = patch_group(client, room.fac, a["group_id"], body)
        assert r.status_code == 200, r.text
        assert r.json()["seq"] is None, body
    assert last_seq(api, room.fac, room.id) == before


def test_group_not_found(api, client, room):
    a, b, *_ = room.ideas
    other = make_room(api, fac=room.fac)
    assert patch_group(client, room.fac, 999999, {"title": "X"}).status_code == 404
    ok_move(client, room.fac, b["id"], a["group_id"])
    assert patch_group(client, room.fac, b["group_id"], {"title": "X"}).status_code == 404  # merged away
    # Another facilitator's group does not exist for this one.
    stranger = api.facilitator()
    assert patch_group(client, stranger, other.groups[0], {"title": "X"}).status_code == 404
    assert move(client, stranger, other.ideas[0]["id"], None).status_code == 404


# --- who may group, and when ---------------------------------------------------------------

@pytest.mark.parametrize("phase", PHASE_ORDER)
def test_facilitator_groups_from_brainstorm_until_results(api, client, room, phase):
    a, b, c, _ = room.ideas
    api.phase(room.fac, room.id, phase)
    before = last_seq(api, room.fac, room.id)
    results = [
        move(client, room.fac, b["id"], a["group_id"]).status_code,
        patch_group(client, room.fac, c["group_id"], {"title": "Judul baru"}).status_code,
        move(client, room.fac, b["id"], None).status_code,
    ]
    if phase in GROUPING_PHASES:
        assert results == [200, 200, 200]
        assert last_seq(api, room.fac, room.id) == before + 3
    else:
        assert results == [409, 409, 409]
        assert last_seq(api, room.fac, room.id) == before
        r = move(client, room.fac, b["id"], a["group_id"])
        assert r.json()["detail"]


def test_participants_group_only_when_the_session_allows_it(api, client, room):
    a, b, c, _ = room.ideas
    api.phase(room.fac, room.id, "group")
    before = last_seq(api, room.fac, room.id)
    assert move(client, room.rina.headers, b["id"], a["group_id"]).status_code == 403
    assert patch_group(client, room.rina.headers, a["group_id"], {"title": "Oleh peserta"}).status_code == 403
    assert last_seq(api, room.fac, room.id) == before

    r = client.patch(f"/api/v1/sessions/{room.id}", json={"participants_can_group": True}, headers=room.fac)
    assert r.status_code == 200 and r.json()["participants_can_group"] is True
    # Any participant of the session may then group any idea, not only their own.
    assert ok_move(client, room.rina.headers, b["id"], a["group_id"])["group_id"] == a["group_id"]
    r = patch_group(client, room.budi.headers, a["group_id"], {"title": "Oleh peserta", "dimension": "governance"})
    assert r.status_code == 200, r.text
    assert ok_move(client, room.sari.headers, c["id"], a["group_id"])["seq"] is not None
    group = groups_of(api.board(room.fac, room.id))[a["group_id"]]
    assert (group["title"], group["dimension"], idea_ids(group)) == ("Oleh peserta", "governance", [a["id"], b["id"], c["id"]])


@pytest.mark.parametrize("phase", [p for p in PHASE_ORDER if p != "group"])
def test_participants_group_only_in_the_group_phase(api, client, phase):
    room = make_room(api, participants_can_group=True)
    a, b, *_ = room.ideas
    api.phase(room.fac, room.id, phase)
    before = last_seq(api, room.fac, room.id)
    r = move(client, room.rina.headers, b["id"], a["group_id"])
    assert r.status_code == 409 and r.json()["detail"]
    assert patch_group(client, room.rina.headers, a["group_id"], {"title": "X"}).status_code == 409
    assert last_seq(api, room.fac, room.id) == before


def test_participants_cannot_group_what_they_cannot_see(api, client):
    room = make_room(api, participants_can_group=True)
    a, b, c, d = room.ideas
    api.phase(room.fac, room.id, "group")
    for idea in (b, d):
        client.post(f"/api/v1/ideas/{idea['id']}/visibility", json={"hidden": True}, headers=room.fac)
    before = last_seq(api, room.fac, room.id)
    assert move(client, room.rina.headers, b["id"], a["group_id"]).status_code == 404  # a hidden idea
    assert move(client, room.rina.headers, c["id"], d["group_id"]).status_code == 404  # a hidden-only group
    assert patch_group(client, room.rina.headers, d["group_id"], {"title": "X"}).status_code == 404
    assert last_seq(api, room.fac, room.id) == before
    # The facilitator sees them and may.
    assert ok_move(client, room.fac, b["id"], d["group_id"])["seq"] == before + 1
    assert patch_group(client, room.fac, d["group_id"], {"title": "Disembunyikan"}).status_code == 200


def test_grouping_access(api, client):
    room = make_room(api, participants_can_group=True)
    other = make_room(api, fac=room.fac, participants_can_group=True)
    for r in (room, other):
        api.phase(room.fac, r.id, "group")
    a, b, *_ = room.ideas
    stranger = api.facilitator()
    outsider = other.rina
    before = last_seq(api, room.fac, room.id)
    # A participant of another session: 403 (even into their own session's group).
    assert move(client, outsider.headers, b["id"], a["group_id"]).status_code == 403
    assert move(client, outsider.headers, b["id"], other.groups[0]).status_code == 403
    assert patch_group(client, outsider.headers, a["group_id"], {"title": "X"}).status_code == 403
    # A participant moving an idea of their session into a group of another: not found.
    assert move(client, room.rina.headers, b["id"], other.groups[0]).status_code == 404
    # Another facilitator: the session does not exist for them.
    assert move(client, stranger, b["id"], a["group_id"]).status_code == 404
    assert patch_group(client, stranger, a["group_id"], {"title": "X"}).status_code == 404
    # No token, or a bad one.
    assert move(client, {}, b["id"], a["group_id"]).status_code == 401
    assert patch_group(client, {}, a["group_id"], {"title": "X"}).status_code == 401
    r = move(client, {"Authorization": "Bearer palsu"}, b["id"], a["group_id"])
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert last_seq(api, room.fac, room.id) == before


# --- votes follow the groups ---------------------------------------------------------------

def test_moving_an_idea_out_after_voting_keeps_the_votes_on_the_group(api, client, room):
    a, b, c, _ = room.ideas
    ok_move(client, room.fac, b["id"], a["group_id"])
    api.phase(room.fac, room.id, "vote")
    ok_vote(client, room.rina, a["group_id"], 2)
    ok_vote(client, room.budi, a["group_id"])

    body = ok_move(client, room.fac, b["id"], None)
    console = groups_of(api.board(room.fac, room.id))
    assert console[a["group_id"]]["votes"] == 3
    assert console[body["group_id"]]["votes"] == 0
    rina = api.board(room.rina.headers, room.id)
    assert groups_of(rina)[a["group_id"]]["my_votes"] == 2
    assert groups_of(rina)[body["group_id"]]["my_votes"] == 0
    assert rina["votes_left"] == 3

    # Moving the group's last idea into another group merges it: the votes go along.
    ok_vote(client, room.sari, c["group_id"])
    ok_move(client, room.fac, a["id"], c["group_id"])
    console = groups_of(api.board(room.fac, room.id))
    assert a["group_id"] not in console
    assert console[c["group_id"]]["votes"] == 4
    assert idea_ids(console[c["group_id"]]) == [a["id"], c["id"]]


def test_merging_two_voted_groups_sums_their_votes(api, app, client, room):
    a, b, c, d = room.ideas
    api.phase(room.fac, room.id, "vote")
    ok_vote(client, room.rina, a["group_id"], 2)
    ok_vote(client, room.rina, b["group_id"], 1)
    ok_vote(client, room.budi, a["group_id"], 1)
    ok_vote(client, room.budi, b["group_id"], 3)
    ok_vote(client, room.sari, b["group_id"], 1)
    ok_vote(client, room.sari, c["group_id"], 2)
    before = api.board(room.fac, room.id)

    body = ok_move(client, room.fac, b["id"], a["group_id"])  # merge B into A
    (event,) = events_of(app, room.id, before["last_seq"])
    assert event.payload["merged"] is True and event.payload["votes_moved"] == 5
    assert event.payload["tally"] == {"votes": 8, "voters": {str(room.rina.participant_id): 3,
                                                             str(room.budi.participant_id): 4,
                                                             str(room.sari.participant_id): 1}}

    console = groups_of(api.board(room.fac, room.id))
    assert console[a["group_id"]]["votes"] == 3 + 5
    assert b["group_id"] not in console
    assert console[c["group_id"]]["votes"] == 2
    assert console[d["group_id"]]["votes"] == 0
    expected = {"rina": (3, 2), "budi": (4, 1), "sari": (1, 2)}  # my votes on A+B, votes left
    for name, (mine, left) in expected.items():
        phone = getattr(room, name)
        board = api.board(phone.headers, room.id)
        assert groups_of(board)[body["group_id"]]["my_votes"] == mine, name
        assert board["votes_left"] == left, name
        assert groups_of(board)[body["group_id"]]["votes"] is None  # still hidden from phones
    # The merged group counts as one: Budi's 4 dots on it exceed the cap of 3 he could
    # give now, and he keeps them; a fifth is refused by the cap.
    r = vote(client, room.budi, a["group_id"])
    assert r.status_code == 409
    # The merged votes can be taken back from the group they now sit on.
    r = unvote(client, room.budi, a["group_id"])
    assert r.status_code == 200, r.text
    assert r.json()["my_votes_on_group"] == 3 and r.json()["votes_left"] == 2
    assert unvote(client, room.budi, b["group_id"]).status_code == 404  # that group is gone

    api.phase(room.fac, room.id, "results")
    board = api.board(room.sari.headers, room.id)
    assert groups_of(board)[a["group_id"]]["votes"] == 7
    assert groups_of(board)[c["group_id"]]["votes"] == 2


# --- duplicate suggestions -------------------------------------------------------------------

def duplicates(client, fac, session_id):
    r = client.get(f"/api/v1/sessions/{session_id}/duplicates", headers=fac)
    assert r.status_code == 200, r.text
    return r.json()


def test_duplicates_found_within_a_dimension_and_never_merged(api, client):
    room = make_room(api, texts=[
        ("Aplikasi antrean online di RSUD", "living"),
        ("aplikasi antrian online utk RSUD!!", "living"),
        ("Aplikasi antrean online di RSUD", "governance"),  # same words, another dimension
        ("Bank sampah digital di setiap nagari", "environment"),
        ("Pelatihan literasi digital bagi UMKM", "economy"),
    ])
    a, b, *_ = room.ideas
    before = api.board(room.fac, room.id)
    found = duplicates(client, room.fac, room.id)
    assert found == [{"group_id": a["group_id"], "other_group_id": b["group_id"], "dimension": "living",
                      "score": found[0]["score"]}]
    assert 0.6 <= found[0]["score"] <= 1
    # Asking changes nothing: a suggestion is never applied by itself.
    assert api.board(room.fac, room.id) == before
    # Accepting it is an ordinary move; then there is nothing left to suggest.
    ok_move(client, room.fac, b["id"], a["group_id"])
    assert duplicates(client, room.fac, room.id) == []


def test_duplicates_follow_the_group_dimension_and_hide_nothing_hidden(api, client):
    room = make_room(api, texts=[
        ("Sistem peringatan dini banjir BPBD", "society"),
        ("sistem peringatan dini bencana banjir dgn sirine", "environment"),
        ("Pembayaran retribusi pasar non-tunai", "economy"),
        ("pembayaran retribusi pasar nontunai", "economy"),
    ])
    a, b, c, d = room.ideas
    assert [(s["group_id"], s["other_group_id"]) for s in duplicates(client, room.fac, room.id)] == [
        (c["group_id"], d["group_id"])]
    # Putting both groups in one dimension makes them a suggestion.
    patch_group(client, room.fac, b["group_id"], {"dimension": "society"})
    pairs = [(s["group_id"], s["other_group_id"], s["dimension"]) for s in duplicates(client, room.fac, room.id)]
    assert (a["group_id"], b["group_id"], "society") in pairs
    # A hidden idea is not offered for merging.
    client.post(f"/api/v1/ideas/{d['id']}/visibility", json={"hidden": True}, headers=room.fac)
    pairs = [(s["group_id"], s["other_group_id"]) for s in duplicates(client, room.fac, room.id)]
    assert pairs == [(a["group_id"], b["group_id"])]


def test_duplicates_are_for_the_facilitator(api, client, room):
    stranger = api.facilitator()
    assert client.get(f"/api/v1/sessions/{room.id}/duplicates").status_code == 401
    assert client.get(f"/api/v1/sessions/{room.id}/duplicates", headers=room.rina.headers).status_code == 403
    assert client.get(f"/api/v1/sessions/{room.id}/duplicates", headers=stranger).status_code == 404
    assert client.get("/api/v1/sessions/999999/duplicates", headers=room.fac).status_code == 404


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Aplikasi antrean online di RSUD", "aplikasi antrian online utk RSUD"),
        ("Pelayanan yg cepat dgn aplikasi", "pelayanan yang cepat dengan aplikasi"),
        ("Info jadwal bus utk masy.", "Informasi jadwal bus untuk masyarakat"),
        ("WIFI GRATIS DI TAMAN KOTA!!!", "wifi gratis di taman kota"),
        ("Wi-Fi gratis di objek wisata pantai", "wifi gratis objek wisata pantai"),
        ("Aplikasi antrean online RSUD", "Antrean online RSUD berbasis aplikasi"),
        ("Pembayaran retribusi pasar non-tunai", "pembayaran retribusi pasar nontunai"),
    ],
)
def test_normalisation_makes_indonesian_variants_alike(one, other):
    from app.services.duplicates import THRESHOLD, normalise, similarity

    assert similarity(normalise(one), normalise(other)) >= THRESHOLD


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Aplikasi antrean online di RSUD", "Bank sampah digital di setiap nagari"),
        ("Wi-Fi gratis di objek wisata pantai", "Pelatihan literasi digital bagi UMKM"),
        ("Sistem peringatan dini banjir", "Satu data kependudukan untuk semua OPD"),
        # Sharing a word or two is not enough.
        ("Aplikasi antrean online RSUD", "Aplikasi pengaduan online Disdukcapil"),
        ("Bank sampah digital", "Pasar digital UMKM"),
        ("Satu data kependudukan", "Satu peta tata ruang"),
    ],
)
def test_different_ideas_are_not_alike(one, other):
    from app.services.duplicates import THRESHOLD, normalise, similarity

    assert similarity(normalise(one), normalise(other)) < THRESHOLD


def test_group_rows_are_not_deleted_by_a_merge(api, app, client, room):
    """The log refers to merged groups by id: their rows stay (empty), only the board drops them."""
    a, b, *_ = room.ideas
    ok_move(client, room.fac, b["id"], a["group_id"])
    with app.state.sessions() as db:
        assert db.get(IdeaGroup, b["group_id"]) is not None
