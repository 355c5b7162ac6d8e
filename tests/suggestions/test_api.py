"""Suggested groups and dimensions through the API: what is proposed (only ideas
nobody has grouped, never hidden or deleted ones), and accepting it (ordinary moves
and edits, all or nothing, only by the workshop's facilitator).

The texts are near-identical on purpose: any engine clusters them, so these tests
hold while the engines get smarter. They never assert a cluster beyond that."""

from __future__ import annotations

import pytest

from tests.support.groups import events_of, group_of, make_room, ok_move, patch_group, storm

# Pairs any engine must see as the same idea, in three dimensions.
PAIRS = [
    ("Antrean RSUD panjang sekali", "living"),
    ("antrian rsud panjang bgt", "living"),
    ("Bank sampah digital di tiap kelurahan", "environment"),
    ("bank sampah digital tiap kelurahan", "environment"),
    ("Satu data kependudukan", "governance"),
    ("Satu data kependudukan terpadu", "governance"),
]


def url(session_id: int, what: str = "groups", apply: bool = False) -> str:
    return f"/api/v1/sessions/{session_id}/suggestions/{what}" + ("/apply" if apply else "")


def clusters(client, fac, session_id: int) -> list[dict]:
    r = client.get(url(session_id), headers=fac)
    assert r.status_code == 200, r.text
    return r.json()["clusters"]


def proposed(client, fac, session_id: int) -> set[int]:
    return {i for c in clusters(client, fac, session_id) for i in c["idea_ids"]}


def together(found: list[dict], *idea_ids: int) -> bool:
    return any(set(idea_ids) <= set(c["idea_ids"]) for c in found)


@pytest.fixture
def room(api):
    return make_room(api, texts=PAIRS)


def test_near_identical_ideas_are_proposed_together_with_why(client, room):
    found = clusters(client, room.fac, room.id)
    ids = [i["id"] for i in room.ideas]
    assert together(found, ids[0], ids[1]) and together(found, ids[2], ids[3]) and together(found, ids[4], ids[5])
    rsud = next(c for c in found if ids[0] in c["idea_ids"])
    assert rsud["dimension"] == "living" and "rsud" in rsud["why"] and rsud["title"]
    assert all(len(c["idea_ids"]) >= 2 for c in found)
    every = [i for c in found for i in c["idea_ids"]]
    assert len(every) == len(set(every))  # an idea in one cluster at most


def test_hidden_deleted_and_grouped_ideas_are_never_proposed(api, client, room):
    ids = [i["id"] for i in room.ideas]
    extra = api.idea(room.rina, "Antrean RSUD sangat panjang sekali", "living")
    # A person's group of two: its ideas stay out, though they look like the third.
    ok_move(client, room.fac, ids[1], room.ideas[0]["group_id"])
    # Hidden by the facilitator, deleted by its author.
    assert client.post(f"/api/v1/ideas/{ids[2]}/visibility", json={"hidden": True}, headers=room.fac).status_code == 200
    author = room.phones[3 % 3]  # make_room hands the texts to the phones in turn
    assert client.delete(f"/api/v1/ideas/{ids[3]}", headers=author.headers).status_code in (200, 204)
    # A single idea whose group the facilitator named is placed: also left out.
    assert patch_group(client, room.fac, room.ideas[4]["group_id"], {"title": "Satu Data Indonesia"}).status_code == 200
    found = proposed(client, room.fac, room.id)
    assert not found & {ids[0], ids[1], ids[2], ids[3], ids[4], extra["id"]}


def test_apply_makes_titled_groups_through_ordinary_moves(api, client, app, room):
    ids = [i["id"] for i in room.ideas]
    before = api.board(room.fac, room.id)["last_seq"]
    r = client.post(
        url(room.id, apply=True),
        headers=room.fac,
        json={"clusters": [{"title": "  Antrean   RSUD ", "idea_ids": [ids[0], ids[1]]},
                           {"title": "Bank sampah", "idea_ids": [ids[2], ids[3]]}]},
    )
    assert r.status_code == 200, r.text
    made = r.json()["groups"]
    assert [g["title"] for g in made] == ["Antrean RSUD", "Bank sampah"]  # cleaned like a group title
    board = api.board(room.fac, room.id)
    rsud = group_of(board, ids[0])
    assert rsud["id"] == made[0]["id"] == room.ideas[0]["group_id"]
    assert {i["id"] for i in rsud["ideas"]} == {ids[0], ids[1]} and rsud["dimension"] == "living"
    kinds = [e.type for e in events_of(app, room.id, after=before)]
    assert kinds == ["idea.moved", "group.updated", "idea.moved", "group.updated"]
    assert made[-1]["seq"] == board["last_seq"]
    # Grouped now: no longer proposed. Undo is moving the idea back out.
    assert not proposed(client, room.fac, room.id) & {ids[0], ids[1], ids[2], ids[3]}
    ok_move(client, room.fac, ids[1], None)
    assert ids[1] not in {i["id"] for i in group_of(api.board(room.fac, room.id), ids[0])["ideas"]}


@pytest.mark.database
@pytest.mark.parametrize("change", ["hidden", "grouped", "deleted", "other session"])
def test_apply_is_all_or_nothing_when_an_idea_changed(api, client, app, room, change):
    ids = [i["id"] for i in room.ideas]
    stale = ids[3]
    if change == "hidden":
        client.post(f"/api/v1/ideas/{stale}/visibility", json={"hidden": True}, headers=room.fac)
    elif change == "grouped":
        ok_move(client, room.fac, stale, room.ideas[5]["group_id"])
    elif change == "deleted":
        assert client.delete(f"/api/v1/ideas/{stale}", headers=room.phones[3 % 3].headers).status_code in (200, 204)
    else:
        other = make_room(api, room.fac, texts=[("Bank sampah digital kelurahan", "environment")])
        stale = other.ideas[0]["id"]
    board = api.board(room.fac, room.id)
    r = client.post(
        url(room.id, apply=True),
        headers=room.fac,
        json={"clusters": [{"title": "Antrean RSUD", "idea_ids": [ids[0], ids[1]]},
                           {"title": "Bank sampah", "idea_ids": [ids[2], stale]}]},
    )
    assert r.status_code == 409, r.text
    assert str(stale) in r.json()["detail"]
    assert events_of(app, room.id, after=board["last_seq"]) == []
    assert api.board(room.fac, room.id)["groups"] == board["groups"]  # the first cluster did not happen either


@pytest.mark.database
@pytest.mark.server
def test_applies_at_once_group_each_idea_once(api, app, live_server):
    """Two laptops accepting overlapping suggestions at the same moment (and double
    clicks): one wins, the others see that the ideas moved, and no idea is in two groups."""
    from collections import Counter

    room = make_room(api, texts=[("Antrean RSUD panjang sekali", "living")] * 3)
    a, b, c = (i["id"] for i in room.ideas)
    path = url(room.id, apply=True)
    requests = [("POST", path, room.fac, {"clusters": [{"title": "Antrean", "idea_ids": [a, b]}]})] * 3
    requests += [("POST", path, room.fac, {"clusters": [{"title": "Antrean", "idea_ids": [b, c]}]})] * 3
    before = api.board(room.fac, room.id)["last_seq"]
    responses = storm(live_server.url, requests)
    assert Counter(r.status_code for r in responses) == {200: 1, 409: 5}, [r.text for r in responses]
    assert [e.type for e in events_of(app, room.id, after=before)] == ["idea.moved", "group.updated"]
    sizes = sorted(len(g["ideas"]) for g in api.board(room.fac, room.id)["groups"])
    assert sizes == [1, 2]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"clusters": [{"title": "x", "idea_ids": [1]}]}, "at least 2"),
        ({"clusters": []}, "at least 1"),
        ({"clusters": [{"title": "x" * 281, "idea_ids": [1, 2]}]}, "280"),
        ({"ideas": []}, "clusters"),
    ],
)
def test_malformed_apply_bodies_are_422(client, room, body, words):
    r = client.post(url(room.id, apply=True), headers=room.fac, json=body)
    assert r.status_code == 422
    assert words in r.text


def test_an_idea_in_two_clusters_or_a_blank_title_is_explained(api, client, room):
    ids = [i["id"] for i in room.ideas]
    r = client.post(url(room.id, apply=True), headers=room.fac,
                    json={"clusters": [{"idea_ids": [ids[0], ids[1]]}, {"idea_ids": [ids[1], ids[2]]}]})
    assert r.status_code == 422 and str(ids[1]) in r.json()["detail"]
    blank = {"clusters": [{"title": "  ", "idea_ids": [ids[0], ids[1]]}]}
    r = client.post(url(room.id, apply=True), headers=room.fac, json=blank)
    assert r.status_code == 200 and r.json()["groups"][0]["title"] is None  # the default: its first idea


def test_only_the_workshops_facilitator_sees_and_applies(api, client, room):
    ids = [i["id"] for i in room.ideas]
    stranger = api.facilitator()
    apply_body = {"clusters": [{"idea_ids": [ids[0], ids[1]]}]}
    dims_body = {"ideas": [{"idea_id": ids[0], "dimension": "living"}]}
    for what, body in (("groups", apply_body), ("dimensions", dims_body)):
        assert client.get(url(room.id, what), headers=room.rina.headers).status_code == 403
        assert client.post(url(room.id, what, apply=True), headers=room.rina.headers, json=body).status_code == 403
        assert client.get(url(room.id, what), headers=stranger).status_code == 404
        assert client.post(url(room.id, what, apply=True), headers=stranger, json=body).status_code == 404
        assert client.get(url(room.id, what)).status_code == 401
    assert group_of(api.board(room.fac, room.id), ids[1])["id"] == room.ideas[1]["group_id"]


def test_suggestions_follow_the_grouping_phases(api, client, room):
    draft = api.session(room.fac, phase="draft")
    assert client.get(url(draft["id"]), headers=room.fac).status_code == 409
    api.phase(room.fac, room.id, "vote")
    assert clusters(client, room.fac, room.id)  # brainstorm .. results
    api.phase(room.fac, room.id, "closed")
    for what in ("groups", "dimensions"):
        assert client.get(url(room.id, what), headers=room.fac).status_code == 409
    ids = [i["id"] for i in room.ideas]
    r = client.post(url(room.id, apply=True), headers=room.fac, json={"clusters": [{"idea_ids": [ids[0], ids[1]]}]})
    assert r.status_code == 409


def test_on_a_swot_board_each_quadrant_is_proposed_on_its_own(api, client):
    fac = api.facilitator()
    session = api.session(fac, layout="swot")
    phone = api.join(session["join_code"])
    weak = [api.idea(phone, "Antrean RSUD panjang sekali", "living", swot="weakness") for _ in range(2)]
    threat = api.idea(phone, "antrian rsud panjang sekali", "living", swot="threat")
    found = clusters(client, fac, session["id"])
    assert together(found, weak[0]["id"], weak[1]["id"])
    assert threat["id"] not in {i for c in found for i in c["idea_ids"]}


def test_carried_forward_ideas_get_the_same_help(api, client):
    fac = api.facilitator()
    workshop = api.workshop(fac)
    source = api.session(fac, workshop["stages"][0]["id"], title="Isu Tahap I")
    phone = api.join(source["join_code"])
    for text, dimension in PAIRS[:2]:
        api.idea(phone, text, dimension)
    api.phase(fac, source["id"], "results")
    later = api.session(fac, workshop["stages"][1]["id"], title="Program prioritas")
    r = client.post(f"/api/v1/sessions/{later['id']}/import", headers=fac,
                    json={"source_session_id": source["id"], "top": 10})
    assert r.status_code == 201, r.text
    found = clusters(client, fac, later["id"])
    carried = [i["id"] for g in api.board(fac, later["id"])["groups"] for i in g["ideas"]]
    assert len(carried) == 2 and together(found, *carried)


# --- dimensions ------------------------------------------------------------------------


@pytest.fixture
def unplaced(api, room):
    """Two ideas sent without a dimension whose words the placed ideas share."""
    return [api.idea(room.budi, "Antrean RSUD panjang di poli", None), api.idea(room.sari, "Bank sampah digital", None)]


def guesses(client, fac, session_id: int) -> dict[int, dict]:
    r = client.get(url(session_id, "dimensions"), headers=fac)
    assert r.status_code == 200, r.text
    return {g["idea_id"]: g for g in r.json()["ideas"]}


def test_dimensions_are_proposed_only_for_ideas_without_one(client, room, unplaced):
    found = guesses(client, room.fac, room.id)
    assert set(found) == {i["id"] for i in unplaced}
    assert found[unplaced[0]["id"]]["dimension"] == "living"
    assert all(0 <= g["confidence"] <= 1 for g in found.values())


def test_accepted_dimensions_move_the_idea_and_its_group(api, client, app, room, unplaced):
    before = api.board(room.fac, room.id)["last_seq"]
    body = {"ideas": [{"idea_id": unplaced[0]["id"], "dimension": "living", "sub_element": "health"},
                      {"idea_id": unplaced[1]["id"], "dimension": "environment", "sub_element": None}]}
    r = client.post(url(room.id, "dimensions", apply=True), headers=room.fac, json=body)
    assert r.status_code == 200, r.text
    placed = [(i["dimension"], i["sub_element"]) for i in r.json()["ideas"]]
    assert placed == [("living", "health"), ("environment", None)]
    board = api.board(room.fac, room.id)
    group = group_of(board, unplaced[0]["id"])
    assert group["dimension"] == "living"
    assert group["ideas"][0]["sub_element"] == "health"
    assert [e.type for e in events_of(app, room.id, after=before)] == ["idea.updated", "idea.updated"]
    assert guesses(client, room.fac, room.id) == {}


def test_a_dimension_is_given_to_a_grouped_idea_but_not_its_group(api, client, room):
    loose = api.idea(room.rina, "Antrean RSUD panjang di poli", None)
    other = api.idea(room.budi, "Antrean poli RSUD", None)
    ok_move(client, room.fac, other["id"], loose["group_id"])
    body = {"ideas": [{"idea_id": loose["id"], "dimension": "living"}]}
    assert client.post(url(room.id, "dimensions", apply=True), headers=room.fac, json=body).status_code == 200
    assert group_of(api.board(room.fac, room.id), loose["id"])["dimension"] is None  # two people's group: unchanged


@pytest.mark.database
def test_dimension_apply_is_all_or_nothing(api, client, app, room, unplaced):
    # Its author gave the second idea a dimension meanwhile.
    r = client.patch(f"/api/v1/ideas/{unplaced[1]['id']}", json={"dimension": "economy"}, headers=room.sari.headers)
    assert r.status_code == 200, r.text
    before = api.board(room.fac, room.id)
    body = {"ideas": [{"idea_id": unplaced[0]["id"], "dimension": "living"},
                      {"idea_id": unplaced[1]["id"], "dimension": "environment"}]}
    r = client.post(url(room.id, "dimensions", apply=True), headers=room.fac, json=body)
    assert r.status_code == 409 and str(unplaced[1]["id"]) in r.json()["detail"]
    assert events_of(app, room.id, after=before["last_seq"]) == []
    assert group_of(api.board(room.fac, room.id), unplaced[0]["id"])["dimension"] is None


@pytest.mark.parametrize(
    ("idea", "words"),
    [
        ({"dimension": "smart"}, "smart"),
        ({"dimension": "living", "sub_element": "waste"}, "waste"),
        ({"dimension": ""}, "at least 1"),
    ],
)
def test_unknown_dimensions_are_422(client, room, unplaced, idea, words):
    r = client.post(url(room.id, "dimensions", apply=True), headers=room.fac,
                    json={"ideas": [{"idea_id": unplaced[0]["id"], **idea}]})
    assert r.status_code == 422 and words in r.text



# --- the console's review forms, without JavaScript ----------------------------------------


def test_console_review_forms_work_without_javascript(api, console):
    import re

    from tests.support.forms import location

    fac = api.login("fasilitator@kominfo.go.id")  # the console fixture's facilitator
    room = make_room(api, fac, texts=[*PAIRS, ("Bank sampah digital", None)])
    ids = [i["id"] for i in room.ideas]
    page = console.get(f"/console/sessions/{room.id}").text
    assert "Usulan kelompok" in page and "Usulan dimensi" in page
    titles = re.findall(r'name="title" value="([^"]*)"', page)
    n = re.search(rf'name="idea" value="(\d+):{ids[0]}"', page).group(1)
    # The bank sampah cluster, whatever the engine adds to the pair (the idea without a
    # dimension may join it): its key names its ideas.
    clusters = api.client.get(url(room.id), headers=fac).json()["clusters"]
    bank = next(c["idea_ids"] for c in clusters if ids[2] in c["idea_ids"])
    key = "g" + "-".join(str(i) for i in sorted(bank))
    assert f'name="dismiss" value="{key}"' in page

    # Dismissed: gone from this view (kept in the address), nothing changed.
    groups_form = f"/console/sessions/{room.id}/suggestions/groups"
    back = location(console.post(groups_form, data={"dismiss": key}, follow_redirects=False))
    assert back.endswith("#group-suggestions") and "dismissed=" + key in back
    assert f'name="dismiss" value="{key}"' not in console.get(back).text

    # Accepted, renamed, with the dismissal kept.
    form = {"title": [t if i != int(n) else "Antrean di RSUD" for i, t in enumerate(titles)],
            "idea": [f"{n}:{ids[0]}", f"{n}:{ids[1]}"], "accept": n, "dismissed": [key]}
    back = location(console.post(f"/console/sessions/{room.id}/suggestions/groups", data=form, follow_redirects=False))
    assert "dismissed=" + key in back
    group = group_of(api.board(fac, room.id), ids[1])
    assert group["title"] == "Antrean di RSUD" and group["id"] == room.ideas[0]["group_id"]

    # The same again is stale now: the page answers 409 with the reason, in Indonesian.
    r = console.post(f"/console/sessions/{room.id}/suggestions/groups", data=form)
    assert r.status_code == 409 and "berubah sejak usulan dibuat" in r.text

    # A dimension accepted by its row's button.
    page = console.get(f"/console/sessions/{room.id}").text
    guess = re.search(rf'name="guess" value="({ids[6]}:[^"]*)"', page).group(1)
    assert guess.startswith(f"{ids[6]}:environment:")
    r = console.post(f"/console/sessions/{room.id}/suggestions/dimensions",
                     data={"guess": [guess], "accept": str(ids[6])}, follow_redirects=False)
    assert location(r).endswith("#dimension-suggestions")
    assert group_of(api.board(fac, room.id), ids[6])["dimension"] == "environment"
