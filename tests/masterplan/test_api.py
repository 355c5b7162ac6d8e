"""Carry-forward, SWOT, quick-win scoring, roadmap fields, commitment, and the
workshop views (attendance, participation, roadmap) through the JSON API."""

from __future__ import annotations

import pytest

from tests.builders import Api


def stages(api: Api, fac: dict) -> tuple[dict, list[dict]]:
    workshop = api.workshop(fac)
    return workshop, workshop["stages"]


def voted_source(api: Api, client, fac: dict, stage_id: int) -> tuple[dict, list[dict], list]:
    return api.voted_session(fac, stage_id)


def test_import_top_groups_keeps_lineage_and_votes(api, client):
    fac = api.facilitator()
    _w, st = stages(api, fac)
    source, ideas, _phones = voted_source(api, client, fac, st[0]["id"])
    target = api.session(fac, st[1]["id"], phase="draft", title="Strategi Tahap II")
    r = client.post(f"/api/v1/sessions/{target['id']}/import", json={"source_session_id": source["id"], "top": 2},
                    headers=fac)
    assert r.status_code == 201, r.text
    body = r.json()
    assert [i["source_group_id"] for i in body["imported"]] == [ideas[0]["group_id"], ideas[1]["group_id"]]
    assert body["seq"] == target["last_seq"] + 1
    board = api.board(fac, target["id"])
    by_id = {g["id"]: g for g in board["groups"]}
    first = by_id[body["imported"][0]["group_id"]]
    assert first["title"] == "Antrean online RSUD"
    assert first["origin"]["stage_number"] == 1 and first["origin"]["votes"] == 3
    assert first["origin"]["session_title"] == "Isu Tahap I"
    assert first["dimension"] == "living"
    assert [i["text"] for i in first["ideas"]] == ["Antrean online RSUD"]
    assert first["ideas"][0]["author"] is None  # nobody submitted the copy here
    assert first["votes"] == 0  # votes start afresh in the new session

    # Importing again does not duplicate; it names the copies already there.
    again = client.post(f"/api/v1/sessions/{target['id']}/import",
                        json={"source_session_id": source["id"], "group_ids": [ideas[0]["group_id"]]}, headers=fac)
    assert again.status_code == 201
    assert again.json() == {"imported": [body["imported"][0]], "seq": None}
    assert len(api.board(fac, target["id"])["groups"]) == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"top": 0}, 422),
        ({"top": 1, "group_ids": [1]}, 422),
        ({"group_ids": []}, 422),
        ({"group_ids": [999999]}, 422),
    ],
)
def test_import_refuses_bad_requests(api, client, body, status):
    fac = api.facilitator()
    _w, st = stages(api, fac)
    source, _ideas, _phones = voted_source(api, client, fac, st[0]["id"])
    target = api.session(fac, st[1]["id"], phase="draft")
    r = client.post(f"/api/v1/sessions/{target['id']}/import", json={"source_session_id": source["id"], **body},
                    headers=fac)
    assert r.status_code == status, r.text
    assert api.board(fac, target["id"])["groups"] == []


def test_import_only_within_the_same_workshop_and_by_its_facilitator(api, client):
    fac = api.facilitator()
    _w, st = stages(api, fac)
    source, _ideas, _phones = voted_source(api, client, fac, st[0]["id"])
    other_workshop_session = api.session(fac, phase="draft")  # a new workshop
    r = client.post(f"/api/v1/sessions/{other_workshop_session['id']}/import",
                    json={"source_session_id": source["id"]}, headers=fac)
    assert r.status_code == 422 and "lokakarya yang sama" in r.json()["detail"]
    same = client.post(f"/api/v1/sessions/{source['id']}/import", json={"source_session_id": source["id"]}, headers=fac)
    assert same.status_code == 422
    stranger = api.facilitator()
    target = api.session(fac, st[1]["id"], phase="draft")
    r = client.post(f"/api/v1/sessions/{target['id']}/import", json={"source_session_id": source["id"]},
                    headers=stranger)
    assert r.status_code == 404
    phone = api.join(target["join_code"])
    r = client.post(f"/api/v1/sessions/{target['id']}/import", json={"source_session_id": source["id"]},
                    headers=phone.headers)
    assert r.status_code == 403  # a phone is not a facilitator


def test_import_only_from_earlier_sessions(api, client):
    """Lineage runs forward: a lower stage, or the same stage and created first."""
    fac = api.facilitator()
    _w, st = stages(api, fac)
    first, _ideas, _phones = voted_source(api, client, fac, st[0]["id"])
    later = api.session(fac, st[2]["id"], title="Tahap III")
    phone = api.join(later["join_code"])
    api.idea(phone, "Program dari Tahap III", "governance")
    second, _ideas, _phones = api.voted_session(fac, st[0]["id"], title="Isu Tahap I, kelompok 2")

    def carry(target: dict, source: dict):
        return client.post(f"/api/v1/sessions/{target['id']}/import", json={"source_session_id": source["id"]},
                           headers=fac)

    before = {s["id"]: api.board(fac, s["id"]) for s in (first, later, second)}
    for target, source in ((first, later), (first, second), (second, later)):
        r = carry(target, source)
        assert r.status_code == 422, (target["title"], source["title"], r.text)
        assert r.json()["detail"] == "Kelompok hanya dapat dibawa dari sesi yang lebih awal dalam lokakarya ini."
    english = client.post(f"/api/v1/sessions/{first['id']}/import?lang=en",
                          json={"source_session_id": later["id"]}, headers=fac)
    assert "from an earlier session" in english.json()["detail"]
    for s in (first, later, second):  # nothing written, nothing announced
        board = api.board(fac, s["id"])
        assert board["groups"] == before[s["id"]]["groups"] and board["last_seq"] == before[s["id"]]["last_seq"]
    # forward: a later stage from an earlier one, and within a stage from the older session
    assert carry(later, first).status_code == 201
    assert carry(second, first).status_code == 201


def test_swot_board_keeps_quadrant_and_dimension(api, client):
    fac = api.facilitator()
    session = api.session(fac, layout="swot")
    assert session["layout"] == "swot"
    phone = api.join(session["join_code"])
    idea = api.idea(phone, "SDM TIK terbatas", "governance", swot="weakness")
    assert idea["swot"] == "weakness"
    group = api.board(fac, session["id"])["groups"][0]
    assert (group["swot"], group["dimension"]) == ("weakness", "governance")
    r = client.patch(f"/api/v1/groups/{group['id']}", json={"swot": "threat"}, headers=fac)
    assert r.status_code == 200 and r.json()["swot"] == "threat"
    r = client.patch(f"/api/v1/groups/{group['id']}", json={"swot": "kekuatan"}, headers=fac)
    assert r.status_code == 422
    bad = client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "x", "swot": "bad"},
                      headers=phone.headers)
    assert bad.status_code == 422
    assert client.patch(f"/api/v1/sessions/{session['id']}", json={"layout": "kanban"}, headers=fac).status_code == 422


def scored_session(api: Api, client, fac: dict, **settings):
    session = api.session(fac, **settings)
    phones = [api.join(session["join_code"], name, "opd", "Bappeda") for name in ("Ani", "Eko", "Sari")]
    a = api.idea(phones[0], "Aplikasi perizinan online", "governance")
    b = api.idea(phones[1], "Jembatan baru", "living")
    api.phase(fac, session["id"], "score")
    return session, phones, a, b


def rate(client, phone, group_id, impact, feasibility):
    return client.put(f"/api/v1/groups/{group_id}/score", json={"impact": impact, "feasibility": feasibility},
                      headers=phone.headers)


def test_scores_give_means_raters_and_quadrant(api, client):
    fac = api.facilitator()
    session, phones, a, b = scored_session(api, client, fac)
    for phone, (i, f) in zip(phones, ((5, 4), (4, 3), (3, 4))):
        r = rate(client, phone, a["group_id"], i, f)
        assert r.status_code == 200, r.text
    assert rate(client, phones[0], b["group_id"], 5, 1).status_code == 200
    # A second rating replaces the first: still three raters.
    r = rate(client, phones[2], a["group_id"], 4, 4)
    assert r.status_code == 200 and r.json()["seq"] == api.board(fac, session["id"])["last_seq"]
    groups = {g["id"]: g for g in api.board(fac, session["id"])["groups"]}
    ga, gb = groups[a["group_id"]], groups[b["group_id"]]
    assert (ga["impact"], ga["feasibility"], ga["raters"], ga["quadrant"]) == (4.33, 3.67, 3, "quick_win")
    assert (gb["impact"], gb["feasibility"], gb["raters"], gb["quadrant"]) == (5.0, 1.0, 1, "major_project")
    # Phones see only their own rating until the results.
    mine = {g["id"]: g for g in api.board(phones[0].headers, session["id"])["groups"]}
    assert mine[a["group_id"]]["my_score"] == [5, 4] and mine[a["group_id"]]["impact"] is None
    api.phase(fac, session["id"], "results")
    shown = {g["id"]: g for g in api.board(phones[1].headers, session["id"])["groups"]}
    assert shown[a["group_id"]]["quadrant"] == "quick_win" and shown[a["group_id"]]["raters"] == 3
    # Raising the threshold moves the group out of the quick-win quadrant.
    client.patch(f"/api/v1/sessions/{session['id']}", json={"quick_win_threshold": 4.0}, headers=fac)
    assert {g["id"]: g for g in api.board(fac, session["id"])["groups"]}[a["group_id"]]["quadrant"] == "major_project"


@pytest.mark.parametrize("body", [{"impact": 0, "feasibility": 3}, {"impact": 6, "feasibility": 3},
                                  {"impact": 3}, {"impact": "4", "feasibility": 2.5}, {"impact": 3, "feasibility": None}])
def test_bad_ratings_are_refused_and_change_nothing(api, client, body):
    fac = api.facilitator()
    session, phones, a, _b = scored_session(api, client, fac)
    assert rate(client, phones[0], a["group_id"], 2, 2).status_code == 200
    r = client.put(f"/api/v1/groups/{a['group_id']}/score", json=body, headers=phones[0].headers)
    assert r.status_code == 422
    group = {g["id"]: g for g in api.board(fac, session["id"])["groups"]}[a["group_id"]]
    assert (group["impact"], group["feasibility"]) == (2.0, 2.0)


def test_scoring_only_in_score_phase_own_session_and_by_participants(api, client):
    fac = api.facilitator()
    session, phones, a, _b = scored_session(api, client, fac)
    other = api.session(fac)
    outsider = api.join(other["join_code"])
    assert rate(client, outsider, a["group_id"], 3, 3).status_code == 403
    r = client.put(f"/api/v1/groups/{a['group_id']}/score", json={"impact": 3, "feasibility": 3}, headers=fac)
    assert r.status_code == 403
    r = client.put(f"/api/v1/groups/{a['group_id']}/score", json={"impact": 3, "feasibility": 3})
    assert r.status_code == 401
    api.phase(fac, session["id"], "vote")
    r = rate(client, phones[0], a["group_id"], 3, 3)
    assert r.status_code == 409 and "fase penilaian" in r.json()["detail"]


def test_roadmap_fields_are_the_facilitators(api, client):
    fac = api.facilitator()
    session = api.session(fac)
    phone = api.join(session["join_code"])
    idea = api.idea(phone, "Antrean online RSUD", "living")
    body = {"horizon": "short", "owner": "Dinas Kesehatan", "budget_source": "apbd", "quick_win": True,
            "sub_element": "health"}
    r = client.patch(f"/api/v1/groups/{idea['group_id']}", json=body, headers=fac)
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in body} == body
    api.phase(fac, session["id"], "closed")  # owners are often settled after the day
    r = client.patch(f"/api/v1/groups/{idea['group_id']}", json={"horizon": "medium"}, headers=fac)
    assert r.status_code == 200 and r.json()["horizon"] == "medium"
    for bad in ({"horizon": "soon"}, {"budget_source": "dana_desa"}, {"sub_element": "waste"}, {"owner": "x" * 161}):
        assert client.patch(f"/api/v1/groups/{idea['group_id']}", json=bad, headers=fac).status_code == 422, bad
    r = client.patch(f"/api/v1/groups/{idea['group_id']}", json={"owner": "Saya"}, headers=phone.headers)
    assert r.status_code in (401, 403)
    group = api.board(fac, session["id"])["groups"][0]
    assert (group["horizon"], group["owner"], group["budget_source"], group["quick_win"]) == (
        "medium", "Dinas Kesehatan", "apbd", True)


def test_commitment_signing(api, client):
    fac = api.facilitator()
    session = api.session(fac, title="Finalisasi")
    phone = api.join(session["join_code"], "Rina", "opd", "Diskominfo")
    body = {"name": "Rina Marlina", "position": "Kepala Bidang", "organization": "Diskominfo"}
    r = client.post(f"/api/v1/sessions/{session['id']}/commitments", json=body, headers=phone.headers)
    assert r.status_code == 409  # not open yet
    client.patch(f"/api/v1/sessions/{session['id']}", json={"commitment_open": True}, headers=fac)
    r = client.post(f"/api/v1/sessions/{session['id']}/commitments", json=body, headers=phone.headers)
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/sessions/{session['id']}/commitments", json={**body, "position": "Kabid TIK"},
                    headers=phone.headers)
    assert r.status_code == 200
    board = api.board(phone.headers, session["id"])
    assert [(c["name"], c["position"], c["mine"]) for c in board["commitments"]] == [("Rina Marlina", "Kabid TIK", True)]
    other = api.session(fac)
    stranger = api.join(other["join_code"])
    r = client.post(f"/api/v1/sessions/{session['id']}/commitments", json=body, headers=stranger.headers)
    assert r.status_code == 403
    r = client.post(f"/api/v1/sessions/{session['id']}/commitments", json={**body, "position": ""},
                    headers=phone.headers)
    assert r.status_code == 422


def test_attendance_matrix_and_participation(api, client):
    fac = api.facilitator()
    workshop, st = stages(api, fac)
    s1 = api.session(fac, st[0]["id"])
    s3 = api.session(fac, st[2]["id"])
    rina1 = api.join(s1["join_code"], "Rina", "opd", "Diskominfo")
    api.join(s1["join_code"], "Budi", "pdam", "PDAM Tirta")
    api.join(s3["join_code"], " rina ", "opd", "DISKOMINFO")  # the same person, typed differently
    api.join(s3["join_code"], "Tono", "pdam", "PDAM Tirta")  # the office sent someone else
    api.idea(rina1, "Satu data", "governance", sub_element="public_policy")
    r = client.get(f"/api/v1/workshops/{workshop['id']}/attendance", headers=fac)
    assert r.status_code == 200
    body = r.json()
    assert [s["count"] for s in body["stages"]] == [2, 0, 2, 0]
    people = {p["name"]: p for p in body["people"]}
    assert people["Rina"]["stages"] == [1, 3] and people["Rina"]["every_stage"] is True
    assert people["Budi"]["every_stage"] is False
    offices = {o["organization"]: o for o in body["organizations"]}
    assert offices["PDAM Tirta"]["different_people"] is True
    assert offices["Diskominfo"]["different_people"] is False

    r = client.get(f"/api/v1/workshops/{workshop['id']}/participation", headers=fac)
    part = r.json()
    opd = next(row for row in part["by_type"] if row["type"] == "opd")
    assert (opd["participants"], opd["ideas"]) == (2, 1)
    gov = next(row for row in part["coverage"] if row["dimension"] == "governance")
    assert gov["ideas"] == 1
    assert next(s for s in gov["sub_elements"] if s["code"] == "public_policy")["ideas"] == 1
    assert all(row["ideas"] == 0 for row in part["coverage"] if row["dimension"] != "governance")
    assert client.get(f"/api/v1/workshops/{workshop['id']}/attendance", headers=api.facilitator()).status_code == 404
    assert client.get(f"/api/v1/workshops/{workshop['id']}/attendance").status_code == 401


def test_roadmap_shows_the_latest_plan_of_a_carried_group_once(api, client):
    fac = api.facilitator()
    workshop, st = stages(api, fac)
    source, ideas, _phones = voted_source(api, client, fac, st[1]["id"])
    client.patch(f"/api/v1/groups/{ideas[0]['group_id']}", json={"horizon": "long", "owner": "Dinkes"}, headers=fac)
    target = api.session(fac, st[2]["id"], phase="draft")
    imported = client.post(f"/api/v1/sessions/{target['id']}/import",
                           json={"source_session_id": source["id"], "top": 1}, headers=fac).json()
    copy_id = imported["imported"][0]["group_id"]
    client.patch(f"/api/v1/groups/{copy_id}", json={"horizon": "short", "quick_win": True, "budget_source": "apbd"},
                 headers=fac)
    r = client.get(f"/api/v1/workshops/{workshop['id']}/roadmap", headers=fac)
    assert r.status_code == 200
    road = r.json()
    assert [p["group_id"] for p in road["programmes"]] == [copy_id]
    programme = road["programmes"][0]
    assert (programme["horizon"], programme["owner"], programme["start_year"], programme["end_year"]) == (
        "short", "Dinkes", 2026, 2026)
    assert programme["lineage"][0]["stage_number"] == 2 and programme["lineage"][0]["votes"] == 3
    assert road["by_dimension"]["living"] == [copy_id]
