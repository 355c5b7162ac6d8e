"""A workshop run by a team: the owner invites co-facilitators and scribes (notulis)
by e-mail; a co-facilitator runs every session, a scribe reads the console and
changes nothing, and only the owner changes the team."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.security import FACILITATOR_COOKIE
from tests.builders import PASSWORD

SCRIBE_REFUSAL = "Notulis hanya dapat mencatat ide"


@pytest.fixture
def team(api, client):
    """A workshop of Dewi's with a brainstorm, Eko as co-facilitator and Sari as scribe."""
    owner = api.facilitator("dewi@kominfo.go.id", name="Dewi")
    co = api.facilitator("eko@kominfo.go.id", name="Eko")
    scribe = api.facilitator("sari@kominfo.go.id", name="Sari")
    workshop = api.workshop(owner)
    session = api.session(owner, workshop["stages"][0]["id"])
    for email, role in (("eko@kominfo.go.id", "co_facilitator"), ("sari@kominfo.go.id", "scribe")):
        r = client.post(f"/api/v1/workshops/{workshop['id']}/members", json={"email": email, "role": role},
                        headers=owner)
        assert r.status_code == 201, r.text
    phone = api.join(session["join_code"], "Rina")
    idea = api.idea(phone, "Aplikasi antrean online RSUD", "living")
    return {"owner": owner, "co": co, "scribe": scribe, "workshop": workshop, "session": session, "idea": idea}


def members_url(team) -> str:
    return f"/api/v1/workshops/{team['workshop']['id']}/members"


@pytest.mark.database
def test_the_team_lists_owner_and_members_with_their_roles(client, team):
    for who in ("owner", "co", "scribe"):
        r = client.get(members_url(team), headers=team[who])
        assert r.status_code == 200, r.text
        assert [(m["name"], m["email"], m["role"]) for m in r.json()] == [
            ("Dewi", "dewi@kominfo.go.id", "owner"),
            ("Eko", "eko@kominfo.go.id", "co_facilitator"),
            ("Sari", "sari@kominfo.go.id", "scribe"),
        ]
    # The workshop now appears in each member's own list.
    for who in ("co", "scribe"):
        assert [w["id"] for w in client.get("/api/v1/workshops", headers=team[who]).json()] == [team["workshop"]["id"]]


@pytest.mark.database
def test_changing_a_role_inviting_again_and_removing(api, client, team):
    url = members_url(team)
    r = client.post(url, json={"email": "SARI@kominfo.go.id", "role": "co_facilitator"}, headers=team["owner"])
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "co_facilitator" and r.json()["setup_url"] is None
    r = client.post(url, json={"email": "sari@kominfo.go.id", "role": "co_facilitator"}, headers=team["owner"])
    assert r.status_code == 409 and "sari@kominfo.go.id" in r.json()["detail"]
    r = client.post(url, json={"email": "dewi@kominfo.go.id", "role": "scribe"}, headers=team["owner"])
    assert r.status_code == 409 and r.json()["detail"]
    r = client.post(url, json={"email": "budi@kominfo.go.id", "role": "narasumber"}, headers=team["owner"])
    assert r.status_code == 422 and "narasumber" in r.json()["detail"]
    r = client.post(url, json={"email": "budi@kominfo.go.id", "role": "owner"}, headers=team["owner"])
    assert r.status_code == 422

    sari = next(m for m in client.get(url, headers=team["owner"]).json() if m["name"] == "Sari")
    owner_id = client.get(url, headers=team["owner"]).json()[0]["id"]
    assert client.delete(f"{url}/{owner_id}", headers=team["owner"]).status_code == 409
    assert client.delete(f"{url}/{sari['id']}", headers=team["owner"]).status_code == 204
    assert client.delete(f"{url}/{sari['id']}", headers=team["owner"]).status_code == 404
    assert [m["name"] for m in client.get(url, headers=team["owner"]).json()] == ["Dewi", "Eko"]
    # Off the team, the workshop is gone for her (as if it did not exist).
    assert client.get(url, headers=team["scribe"]).status_code == 404
    assert client.get(f"/api/v1/sessions/{team['session']['id']}", headers=team["scribe"]).status_code == 404


@pytest.mark.database
def test_only_the_owner_changes_the_team(client, team):
    url = members_url(team)
    owner_id = client.get(url, headers=team["owner"]).json()[0]["id"]
    for who in ("co", "scribe"):
        r = client.post(url, json={"email": "budi@kominfo.go.id", "role": "scribe"}, headers=team[who])
        assert r.status_code == 403, r.text
        assert client.delete(f"{url}/{owner_id}", headers=team[who]).status_code == 403
    assert len(client.get(url, headers=team["owner"]).json()) == 3


@pytest.mark.database
def test_an_address_without_an_account_gets_a_one_time_setup_link(app, client, team):
    url = members_url(team)
    r = client.post(url, json={"email": "Budi@Bappeda.go.id", "role": "scribe"}, headers=team["owner"])
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["email"] == "budi@bappeda.go.id" and body["awaiting_setup"] is True
    link = body["setup_url"]
    assert link.startswith("http://rembuk.test/setup/")
    path = link.removeprefix("http://rembuk.test")
    # No password logs in to the account before its link is used.
    assert client.post("/api/v1/auth/token", data={"username": "budi@bappeda.go.id", "password": ""}).status_code in (
        401, 422)

    page = client.get(path)
    assert page.status_code == 200 and "budi@bappeda.go.id" in page.text
    short = client.post(path, data={"name": "Budi", "password": "pendek"}, follow_redirects=False)
    assert short.status_code == 422
    done = client.post(path, data={"name": "Budi Santoso", "password": PASSWORD, "email": "lain@x.id"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/console"
    assert FACILITATOR_COOKIE in done.cookies
    client.cookies.clear()
    # Used once: dead; the account logs in with the password it chose, its address unchanged.
    assert client.get(path).status_code == 404
    budi = {"Authorization": "Bearer " + client.post(
        "/api/v1/auth/token", data={"username": "budi@bappeda.go.id", "password": PASSWORD}).json()["access_token"]}
    listed = client.get(url, headers=budi).json()
    assert ("Budi Santoso", "budi@bappeda.go.id", "scribe", False) in [
        (m["name"], m["email"], m["role"], m["awaiting_setup"]) for m in listed]


@pytest.mark.database
def test_a_setup_link_expires_and_inviting_again_gives_a_new_one(app, client, team):
    from app.models import SetupToken, utcnow

    url = members_url(team)
    first = client.post(url, json={"email": "budi@bappeda.go.id", "role": "scribe"}, headers=team["owner"]).json()
    again = client.post(url, json={"email": "budi@bappeda.go.id", "role": "scribe"}, headers=team["owner"])
    assert again.status_code == 200 and again.json()["setup_url"] not in (None, first["setup_url"])
    with app.state.sessions() as db, db.begin():
        db.execute(update(SetupToken).values(created_at=utcnow() - timedelta(days=8)))
    for link in (first["setup_url"], again.json()["setup_url"]):
        assert client.get(link.removeprefix("http://rembuk.test")).status_code == 404


def test_a_scribe_reads_the_console_and_changes_nothing(client, team):
    session_id, idea = team["session"]["id"], team["idea"]
    scribe = team["scribe"]
    assert client.get(f"/api/v1/sessions/{session_id}", headers=scribe).status_code == 200
    assert client.get(f"/api/v1/sessions/{session_id}/board", headers=scribe).status_code == 200
    writes = [
        ("POST", f"/api/v1/sessions/{session_id}/phase", {"phase": "group"}),
        ("PATCH", f"/api/v1/sessions/{session_id}", {"title": "Diubah notulis"}),
        ("PUT", f"/api/v1/sessions/{session_id}/timer", {"action": "start", "seconds": 60}),
        ("POST", f"/api/v1/ideas/{idea['id']}/visibility", {"hidden": True}),
        ("POST", f"/api/v1/stages/{team['workshop']['stages'][0]['id']}/sessions",
         {"title": "Sesi notulis", "prompt": "Apa?"}),
    ]
    for method, path, body in writes:
        r = client.request(method, path, json=body, headers=scribe)
        assert r.status_code == 403, (path, r.text)
        assert r.json()["detail"].startswith(SCRIBE_REFUSAL)
    assert client.get(f"/api/v1/sessions/{session_id}/summary.md", headers=scribe).status_code == 403
    session = client.get(f"/api/v1/sessions/{session_id}", headers=team["owner"]).json()
    assert (session["phase"], session["title"]) == ("brainstorm", "Isu strategis daerah")

    # The console: the page opens, read-only, and a form posted anyway is refused.
    client.cookies.set(FACILITATOR_COOKIE, scribe["Authorization"].split()[1])
    page = client.get(f"/console/sessions/{session_id}")
    assert page.status_code == 200
    assert f'action="/console/sessions/{session_id}/phase"' not in page.text
    assert SCRIBE_REFUSAL in page.text  # says why the controls are missing
    r = client.post(f"/console/sessions/{session_id}/phase", data={"phase": "group"})
    assert r.status_code == 403 and SCRIBE_REFUSAL in r.text


def test_a_co_facilitator_runs_a_session(api, client, team):
    co, session_id = team["co"], team["session"]["id"]
    idea = team["idea"]
    r = client.patch(f"/api/v1/sessions/{session_id}", json={"participants_can_group": True}, headers=co)
    assert r.status_code == 200, r.text
    assert client.put(f"/api/v1/sessions/{session_id}/timer", json={"action": "start", "seconds": 120},
                      headers=co).json()["state"] == "running"
    assert api.phase(co, session_id, "group")["phase"] == "group"
    r = client.patch(f"/api/v1/groups/{idea['group_id']}", json={"title": "Layanan kesehatan digital"}, headers=co)
    assert r.status_code == 200, r.text
    r = client.get(f"/api/v1/sessions/{session_id}/summary.docx", headers=co)
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert client.get(f"/api/v1/workshops/{team['workshop']['id']}/summary.json", headers=co).status_code == 200
    new = client.post(f"/api/v1/stages/{team['workshop']['stages'][1]['id']}/sessions",
                      json={"title": "Program prioritas", "prompt": "Program apa?"}, headers=co)
    assert new.status_code == 201, new.text
    # The console shows a co-facilitator every control.
    client.cookies.set(FACILITATOR_COOKIE, co["Authorization"].split()[1])
    page = client.get(f"/console/sessions/{session_id}")
    assert f'action="/console/sessions/{session_id}/phase"' in page.text


def test_the_team_section_invites_and_shows_the_setup_link_once(client, team):
    workshop_id = team["workshop"]["id"]
    page_url = f"/console/workshops/{workshop_id}"
    client.cookies.set(FACILITATOR_COOKIE, team["owner"]["Authorization"].split()[1])
    page = client.get(page_url)
    assert "Tim" in page.text and "sari@kominfo.go.id" in page.text and "Notulis" in page.text
    answer = client.post(f"{page_url}/members", data={"email": "rahmat@bappeda.go.id", "role": "scribe"})
    assert answer.status_code == 200
    assert "http://rembuk.test/setup/" in answer.text and "rahmat@bappeda.go.id" in answer.text
    assert "http://rembuk.test/setup/" not in client.get(page_url).text  # shown once
    bad = client.post(f"{page_url}/members", data={"email": "rahmat@bappeda.go.id", "role": "bupati"})
    assert bad.status_code == 422 and "bupati" in bad.text

    rahmat = next(m for m in client.get(members_url(team), headers=team["owner"]).json() if m["name"] == "rahmat")
    gone = client.post(f"{page_url}/members/{rahmat['id']}/remove", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].endswith("#team")
    assert "rahmat@bappeda.go.id" not in client.get(page_url).text

    # A scribe sees the team, read-only: no invitation, no removal, no new session, no downloads.
    client.cookies.set(FACILITATOR_COOKIE, team["scribe"]["Authorization"].split()[1])
    page = client.get(page_url)
    assert page.status_code == 200 and "eko@kominfo.go.id" in page.text
    assert f'action="{page_url}/members"' not in page.text and "/remove" not in page.text
    assert 'class="new-session"' not in page.text
    assert "summary.docx" not in page.text and SCRIBE_REFUSAL in page.text
    refused = client.post(f"{page_url}/members", data={"email": "x@kominfo.go.id", "role": "scribe"})
    assert refused.status_code == 403


def test_a_scribe_enters_ideas_for_people_without_a_phone(client, team):
    """The one thing a scribe changes: ideas typed on behalf of someone (the role's
    ``Permission.enter_ideas``), through the API and the Catat ide page."""
    session_id = team["session"]["id"]
    person = {"name": "Pak Darmawan", "organization_type": "pokdarwis", "organization": "Pokdarwis Gandoriah"}
    r = client.post(f"/api/v1/sessions/{session_id}/ideas", headers=team["scribe"],
                    json={"text": "Homestay warga di kampung wisata", "dimension": "branding", "on_behalf_of": person})
    assert r.status_code == 201, r.text
    client.cookies.set(FACILITATOR_COOKIE, team["scribe"]["Authorization"].split()[1])
    assert client.get(f"/console/sessions/{session_id}/scribe").status_code == 200
    board = client.get(f"/api/v1/sessions/{session_id}/board", headers=team["owner"]).json()
    assert "Homestay warga di kampung wisata" in str(board)
