"""The scribe (notulis) types ideas for people without a phone: the same route as a
phone's idea, with a facilitator's token of the workshop's team and ``on_behalf_of``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import Role
from app.models import Facilitator, Workshop, WorkshopMember
from app.services import workshops


@pytest.fixture
def owner(api):
    return api.facilitator()


@pytest.fixture
def session(api, owner):
    return api.session(owner)


def team_member(api, app, session: dict, role: Role) -> dict[str, str]:
    """A facilitator added to the session's workshop with ``role`` (no members API yet:
    the service adds the member, the role is set on its row)."""
    email = f"{role.value}-{session['id']}@kominfo.go.id"
    headers = api.facilitator(email)
    with app.state.sessions() as db:
        from sqlmodel import select

        from app.models import Session, Stage

        stage = db.get(Stage, db.get(Session, session["id"]).stage_id)
        workshop = db.get(Workshop, stage.workshop_id)
        member = db.exec(select(Facilitator).where(Facilitator.email == email)).one()
        workshops.add_member(db, workshop=workshop, facilitator=member)
        row = db.get(WorkshopMember, (workshop.id, member.id))
        row.role = role.value
        db.commit()
    return headers


def person(name="Pak Darmawan", organization_type="pokdarwis", organization="Pokdarwis Pantai Gandoriah"):
    return {"name": name, "organization_type": organization_type, "organization": organization}


def enter(client, headers, session_id, text="Paket wisata digital Pantai Gandoriah", **body):
    body.setdefault("on_behalf_of", person())
    return client.post(f"/api/v1/sessions/{session_id}/ideas", json={"text": text, **body}, headers=headers)


@pytest.mark.database
@pytest.mark.parametrize("role", [Role.owner, Role.co_facilitator, Role.scribe])
def test_every_team_role_enters_an_idea_that_shows_like_a_phones(api, app, client, owner, session, role):
    headers = owner if role is Role.owner else team_member(api, app, session, role)
    phone = api.join(session["join_code"], "Rina", "opd", "Diskominfo")
    mine = api.idea(phone, "Satu data kependudukan", "governance")

    r = enter(client, headers, session["id"], dimension="economy", client_id="kartu-1")
    assert r.status_code == 201, r.text
    idea = r.json()
    # The same answer as a phone's POST gives.
    assert set(idea) == set(mine)
    assert idea["text"] == "Paket wisata digital Pantai Gandoriah"
    assert idea["dimension"] == "economy"

    board = api.board(owner, session["id"])
    shown = {i["id"]: i for g in board["groups"] for i in g["ideas"]}
    assert shown[idea["id"]]["author"]["name"] == "Pak Darmawan"
    assert shown[idea["id"]]["entered_by_scribe"] is True
    assert shown[mine["id"]]["entered_by_scribe"] is False
    # The room sees it as any idea, without the team's mark.
    public = {i["id"]: i for g in api.board(phone.headers, session["id"])["groups"] for i in g["ideas"]}
    assert public[idea["id"]]["text"] == idea["text"]
    assert "entered_by_scribe" not in public[idea["id"]]


def test_the_person_counts_by_organisation_type_and_is_found_again(api, client, owner, session):
    api.join(session["join_code"], "Rina", "opd", "Diskominfo")
    for n in range(3):
        assert enter(client, owner, session["id"], text=f"Gagasan kartu {n}").status_code == 201
    # Same name and office in another letter case: still the same person.
    r = enter(client, owner, session["id"], text="Kartu keempat", on_behalf_of=person("PAK DARMAWAN", organization="pokdarwis pantai gandoriah"))
    assert r.status_code == 201, r.text
    assert enter(client, owner, session["id"], text="Dari orang lain", on_behalf_of=person("Bu Sari", "lainnya", "PKK Nagari")).status_code == 201

    assert client.get(f"/api/v1/sessions/{session['id']}", headers=owner).json()["participant_count"] == 3
    summary = client.get(f"/api/v1/sessions/{session['id']}/summary.json", headers=owner).json()
    by_type = {row["type"]: row["count"] for row in summary["participants_by_type"]}
    assert by_type["pokdarwis"] == 1 and by_type["lainnya"] == 1 and by_type["opd"] == 1


@pytest.mark.database
def test_a_retried_entry_is_one_idea_and_one_person(api, client, owner, session):
    first = enter(client, owner, session["id"], client_id="kartu-42")
    again = enter(client, owner, session["id"], client_id="kartu-42")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["seq"] == first.json()["seq"]
    assert client.get(f"/api/v1/sessions/{session['id']}", headers=owner).json()["participant_count"] == 1
    board = api.board(owner, session["id"])
    assert sum(len(g["ideas"]) for g in board["groups"]) == 1


def test_a_client_id_of_a_phone_is_not_handed_to_the_scribe(api, client, owner, session):
    phone = api.join(session["join_code"])
    api.idea(phone, client_id="sama")
    assert enter(client, owner, session["id"], client_id="sama").status_code == 409


def test_a_facilitator_of_another_workshop_is_refused(api, client, session):
    stranger = api.facilitator()
    r = enter(client, stranger, session["id"])
    assert r.status_code == 403
    assert "tim lokakarya" in r.json()["detail"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"on_behalf_of": None}, "on_behalf_of"),
        ({"on_behalf_of": person(name="   ")}, "Nama"),
        ({"on_behalf_of": person(organization_type="camat")}, None),
        ({"dimension": "tidak-ada"}, "dimensi"),
        ({"text": "   "}, None),
        ({"dimension": None, "sub_element": "health"}, "dimensi"),
    ],
)
def test_what_a_scribe_gets_wrong_is_422_and_adds_nobody(api, client, owner, session, body, words):
    r = enter(client, owner, session["id"], **body)
    assert r.status_code == 422, r.text
    if words:
        assert words.casefold() in str(r.json()["detail"]).casefold()
    assert client.get(f"/api/v1/sessions/{session['id']}", headers=owner).json()["participant_count"] == 0


def test_outside_the_brainstorm_is_409_and_adds_nobody(api, client, owner, session):
    api.phase(owner, session["id"], "group")
    assert enter(client, owner, session["id"]).status_code == 409
    assert client.get(f"/api/v1/sessions/{session['id']}", headers=owner).json()["participant_count"] == 0


def test_after_the_room_session_the_scribe_enters_late_ideas_until_the_deadline(api, client, owner, session):
    """The scribe follows the phone's rule: once the room has moved on, paper cards
    from an office that missed the day still go in while the session stays open."""
    api.phase(owner, session["id"], "group")
    until = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    assert client.patch(f"/api/v1/sessions/{session['id']}", json={"open_until": until}, headers=owner).status_code == 200
    r = enter(client, owner, session["id"])
    assert r.status_code == 201, r.text
    assert r.json()["after_session"] is True


def test_the_participants_route_is_unchanged_for_phones(api, client, owner, session):
    phone = api.join(session["join_code"])
    r = client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Antrean online"}, headers=phone.headers)
    assert r.status_code == 201
    # A phone cannot speak for someone else: the idea stays its own, as before.
    r = client.post(
        f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Atas nama", "on_behalf_of": person()}, headers=phone.headers
    )
    assert r.status_code == 201
    board = api.board(owner, session["id"])
    authors = {i["text"]: i["author"]["name"] for g in board["groups"] for i in g["ideas"]}
    assert authors["Atas nama"] == "Rina"
    assert client.get(f"/api/v1/sessions/{session['id']}", headers=owner).json()["participant_count"] == 1
    assert client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Tanpa token"}).status_code == 401

