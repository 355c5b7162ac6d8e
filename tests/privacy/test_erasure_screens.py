"""What screens do with an erasure: a board fetched before it plus the events after it
(rewritten, and ``participant.erased``) is the board fetched afresh, for the console,
the person's own phone, another phone and the projector; and the console's forms
download a person's data and erase them without a script."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from app.models import AuditEntry, Participant
from app.services import board as board_service
from app.services.audience import FACILITATOR, PROJECTOR
from app.services.audience import phone as audience_of
from tests.support.forms import login, make_facilitator
from tests.support.log import events_after, rendered
from tests.support.reducer import reduce

NAME, OFFICE, POSITION = "Rinawati Sukmadewi", "Kantor Camat Sukmajaya", "Kasi Pelayanan"


def _signed_room(api, client, fac):
    session = api.session(fac)
    sid = session["id"]
    rina = api.join(session["join_code"], NAME, "opd", OFFICE)
    budi = api.join(session["join_code"], "Budi Santoso", "opd", "Dinas Kominfo")
    mine = api.idea(rina, "Antrean online puskesmas")
    api.idea(budi, "Satu data kependudukan", "governance")
    assert client.patch(f"/api/v1/sessions/{sid}", headers=fac, json={"anonymous": False}).status_code == 200
    assert client.post(f"/api/v1/ideas/{mine['id']}/reactions", headers=budi.headers).status_code == 201
    api.phase(fac, sid, "vote")
    assert client.post(f"/api/v1/groups/{mine['group_id']}/votes", headers=rina.headers).status_code == 201
    api.phase(fac, sid, "results")
    assert client.patch(f"/api/v1/sessions/{sid}", headers=fac, json={"commitment_open": True}).status_code == 200
    body = {"name": NAME, "position": POSITION, "organization": OFFICE}
    assert client.post(f"/api/v1/sessions/{sid}/commitments", headers=rina.headers, json=body).status_code == 201
    return sid, rina, budi


def test_board_before_plus_events_after_an_erasure_is_the_fresh_board(api, client, app):
    fac = api.facilitator()
    sid, rina, budi = _signed_room(api, client, fac)
    screens = {
        "facilitator": (lambda: api.board(fac, sid), FACILITATOR),
        "own phone": (lambda: api.board(rina.headers, sid), audience_of(rina.participant_id)),
        "other phone": (lambda: api.board(budi.headers, sid), audience_of(budi.participant_id)),
        "projector": (
            lambda: board_service.snapshot(
                app.state.sessions, session_id=sid, audience=PROJECTOR, public_url=app.state.settings.public_url
            ),
            PROJECTOR,
        ),
    }
    before = {name: fetch() for name, (fetch, _) in screens.items()}
    assert all(NAME in json.dumps(board) for board in before.values())  # names show (not anonymous, signed)
    r = client.post(f"/api/v1/participants/{rina.participant_id}/erase", headers=fac)
    assert r.status_code == 200, r.text
    rows = events_after(app, sid, before["facilitator"]["last_seq"])
    assert [row.type for row in rows] == ["participant.erased"]
    for name, (fetch, audience) in screens.items():
        fresh = fetch()
        assert NAME not in json.dumps(fresh) and OFFICE not in json.dumps(fresh), name
        assert reduce(before[name], rendered(rows, before[name], audience)) == fresh, name
    # Phones and the projector learn which ideas and signatures, never who.
    phone_view = rendered(rows, before["other phone"], audience_of(budi.participant_id))[0][1]
    assert "participant_id" not in phone_view and phone_view["idea_ids"]


def test_the_console_downloads_a_persons_data_and_erases_them_with_forms(app, client, api):
    email = make_facilitator(app)
    login(client, email)
    fac = api.login(email)
    sid, rina, budi = _signed_room(api, client, fac)
    page = client.get(f"/console/sessions/{sid}")
    assert page.status_code == 200
    html = page.text
    assert f'href="/api/v1/participants/{rina.participant_id}/data"' in html
    action = f'action="/console/sessions/{sid}/participants/{rina.participant_id}/erase"'
    assert action in html and "Hapus data pribadi" in html and "Unduh data" in html
    # The confirmation is a real form inside <details>: no script needed.
    details = html.split(action, 1)[0].rsplit("<details", 1)[1]
    assert 'class="remove-all erase-person"' in details

    data = client.get(f"/api/v1/participants/{rina.participant_id}/data")
    assert data.status_code == 200
    assert data.headers["content-disposition"] == f'attachment; filename="peserta-{rina.participant_id}.json"'
    assert data.headers["content-type"].startswith("application/json")
    body = data.json()
    assert body["participant"]["name"] == NAME and body["participant"]["organization"] == OFFICE
    assert body["participant"]["erased_at"] is None and body["session"]["id"] == sid
    assert [i["text"] for i in body["ideas"]] == ["Antrean online puskesmas"]
    assert body["votes"] == [{"group_id": body["ideas"][0]["group_id"], "votes": 1}]
    assert body["commitment"]["position"] == POSITION
    assert "Budi" not in data.text  # only this person's data

    erased = client.post(f"/console/sessions/{sid}/participants/{rina.participant_id}/erase", follow_redirects=False)
    assert erased.status_code == 303 and erased.headers["location"] == f"/console/sessions/{sid}#join"
    html = client.get(f"/console/sessions/{sid}").text
    assert NAME not in html and OFFICE not in html and "Nama dihapus" in html
    assert action not in html  # nothing left to erase; the data can still be downloaded
    assert f'href="/api/v1/participants/{rina.participant_id}/data"' in html
    after = client.get(f"/api/v1/participants/{rina.participant_id}/data").json()
    assert (after["participant"]["name"], after["participant"]["organization"]) == ("", "")
    assert after["participant"]["erased_at"] and after["commitment"]["name"] == ""
    assert after["votes"] == body["votes"] and len(after["ideas"]) == 1
    with app.state.sessions() as db:
        actions = [e.action for e in db.exec(select(AuditEntry).where(AuditEntry.session_id == sid))]
        targets = " ".join(db.exec(select(AuditEntry.target).where(AuditEntry.session_id == sid)))
    assert actions.count("participant.data_downloaded") == 2 and actions.count("participant.erased") == 1
    assert re.search(rf"participant #{rina.participant_id} in session #{sid}", targets) and "Rinawati" not in targets


def test_a_removed_participant_can_be_erased_too(app, client, api):
    email = make_facilitator(app)
    login(client, email)
    fac = api.login(email)
    session = api.session(fac)
    rina = api.join(session["join_code"], NAME, "opd", OFFICE)
    assert client.delete(f"/api/v1/participants/{rina.participant_id}", headers=fac).status_code == 200
    html = client.get(f"/console/sessions/{session['id']}").text
    assert "Dikeluarkan" in html and NAME in html
    r = client.post(f"/api/v1/participants/{rina.participant_id}/erase", headers=fac)
    assert r.status_code == 200, r.text
    with app.state.sessions() as db:
        person = db.get(Participant, rina.participant_id)
        assert person.removed and person.erased_at and person.name == ""


@pytest.mark.parametrize("who", ["scribe", "other facilitator", "participant", "anonymous"])
def test_only_the_sessions_runners_erase_and_download(api, client, app, who):
    fac = api.facilitator()
    workshop = api.workshop(fac)
    session = api.session(fac, workshop["stages"][0]["id"])
    rina = api.join(session["join_code"], NAME, "opd", OFFICE)
    if who == "scribe":
        email = make_facilitator(app)
        r = client.post(
            f"/api/v1/workshops/{workshop['id']}/members", headers=fac, json={"email": email, "role": "scribe"}
        )
        assert r.status_code in (200, 201), r.text
        headers, expected = api.login(email), 403
    elif who == "other facilitator":
        headers, expected = api.facilitator(), 404
    elif who == "participant":
        headers, expected = rina.headers, 403
    else:
        headers, expected = {}, 401
    pid = rina.participant_id
    assert client.get(f"/api/v1/participants/{pid}/data", headers=headers).status_code == expected
    assert client.post(f"/api/v1/participants/{pid}/erase", headers=headers).status_code == expected
    with app.state.sessions() as db:
        assert db.get(Participant, pid).name == NAME
