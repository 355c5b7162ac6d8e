"""The room's ideas as one list (a phone's "all ideas" view): what each caller may
see, narrowed by dimension and words."""

from __future__ import annotations

import pytest


@pytest.fixture
def room(api):
    fac = api.facilitator()
    session = api.session(fac, anonymous=True)
    rina = api.join(session["join_code"], name="Rina", organization="RSUD", organization_type="rsud")
    budi = api.join(session["join_code"], name="Budi", organization="Bappeda")
    ideas = [
        api.idea(rina, text="Aplikasi antrean online RSUD", dimension="living"),
        api.idea(budi, text="Satu data kependudukan", dimension="governance"),
        api.idea(budi, text="Antrean PDAM lewat WhatsApp", dimension="living"),
        api.idea(rina, text="Peta rawan banjir", dimension=None),
    ]
    return fac, session, rina, budi, ideas


def listed(client, headers, session_id: int, **query) -> list[dict]:
    r = client.get(f"/api/v1/sessions/{session_id}/ideas", params=query, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["ideas"]


def test_a_phone_sees_what_the_board_shows_it_and_the_facilitator_sees_all(api, client, room):
    fac, session, rina, budi, ideas = room
    hidden = ideas[1]
    assert client.post(f"/api/v1/ideas/{hidden['id']}/visibility", json={"hidden": True}, headers=fac).status_code == 200

    mine = listed(client, rina.headers, session["id"])
    assert [i["id"] for i in mine] == [ideas[0]["id"], ideas[2]["id"], ideas[3]["id"]]  # oldest first, no hidden
    by_id = {i["id"]: i for i in mine}
    # Anonymous: Rina sees her own name only, and which ideas are hers.
    assert by_id[ideas[0]["id"]]["author"]["name"] == "Rina" and by_id[ideas[0]["id"]]["mine"] is True
    assert "author" not in by_id[ideas[2]["id"]] and by_id[ideas[2]["id"]]["mine"] is False
    assert all("hidden" not in i for i in mine)
    assert by_id[ideas[2]["id"]]["group_id"] == ideas[2]["group_id"]
    # The same trimming as the board's.
    board = {i["id"]: i for g in api.board(rina.headers, session["id"])["groups"] for i in g["ideas"]}
    assert {k: {f: v for f, v in i.items() if f != "group_id"} for k, i in by_id.items()} == board

    everything = listed(client, fac, session["id"])
    assert len(everything) == 4 and {i["author"]["name"] for i in everything} == {"Rina", "Budi"}
    assert [i["hidden"] for i in everything] == [False, True, False, False]


def test_dimension_and_words_narrow_the_list(client, room):
    fac, session, rina, _, ideas = room
    assert [i["id"] for i in listed(client, rina.headers, session["id"], dimension="living")] == [
        ideas[0]["id"], ideas[2]["id"]]
    assert [i["id"] for i in listed(client, rina.headers, session["id"], dimension="none")] == [ideas[3]["id"]]
    assert [i["id"] for i in listed(client, rina.headers, session["id"], q="  ANTREAN ")] == [
        ideas[0]["id"], ideas[2]["id"]]
    assert [i["id"] for i in listed(client, rina.headers, session["id"], q="antrean", dimension="living")] == [
        ideas[0]["id"], ideas[2]["id"]]
    assert listed(client, rina.headers, session["id"], q="tidak ada") == []
    assert listed(client, fac, session["id"], q="kependudukan")[0]["id"] == ideas[1]["id"]


def test_bad_filters_are_422_and_other_callers_are_refused(api, client, room):
    fac, session, rina, _, _ = room
    url = f"/api/v1/sessions/{session['id']}/ideas"
    r = client.get(url, params={"dimension": "ekonomi"}, headers=rina.headers)
    assert r.status_code == 422 and "ekonomi" in r.json()["detail"]
    assert client.get(url, params={"q": "x" * 101}, headers=rina.headers).status_code == 422
    assert client.get(url).status_code == 401
    other = api.session(fac)
    stranger = api.join(other["join_code"], name="Sari")
    assert client.get(url, headers=stranger.headers).status_code == 403
    assert client.get(url, headers=api.facilitator()).status_code == 404
