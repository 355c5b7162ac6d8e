"""A facilitator's own data (``app.services.account``): the download of everything
Rembuk keeps about the account, and erasing it, which ends every login and leaves no
name behind (not in the audit log, not in the exports' scribe column)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from app.models import Facilitator, WorkshopMember
from app.security import FACILITATOR_COOKIE
from tests.builders import PASSWORD, Api
from tests.support.forms import login

OWNER, SCRIBE = "dewi.pemilik@kominfo.go.id", "nur.notulis@kominfo.go.id"
CARD = "Paket wisata digital Pantai Gandoriah"


def scribe_room(client: TestClient, api: Api) -> tuple[dict, dict, dict, dict]:
    """An owner's workshop with a session in which the scribe typed an idea."""
    owner = api.facilitator(OWNER, name="Dewi Pemilik")
    scribe = api.facilitator(SCRIBE, name="Nur Notulis")
    workshop = api.workshop(owner)
    r = client.post(
        f"/api/v1/workshops/{workshop['id']}/members", headers=owner, json={"email": SCRIBE, "role": "scribe"}
    )
    assert r.status_code == 201, r.text
    session = api.session(owner, workshop["stages"][0]["id"], title="Isu Tahap I")
    r = client.post(
        f"/api/v1/sessions/{session['id']}/ideas",
        headers=scribe,
        json={
            "text": CARD,
            "dimension": "economy",
            "on_behalf_of": {"name": "Pak Darmawan", "organization_type": "pokdarwis", "organization": "Pokdarwis"},
        },
    )
    assert r.status_code == 201, r.text
    return owner, scribe, workshop, session


def account_row(app, email: str | None = None, account_id: int | None = None) -> Facilitator:
    from sqlalchemy import select

    with app.state.sessions() as db:
        query = select(Facilitator).where(Facilitator.email == email if email else Facilitator.id == account_id)
        return db.scalars(query).one()


def test_my_data_is_the_account_its_workshops_teams_and_doings_never_the_password(client, api):
    owner, scribe, workshop, session = scribe_room(client, api)
    assert client.get(f"/api/v1/sessions/{session['id']}/summary.md", headers=owner).status_code == 200
    r = client.get("/api/v1/me/data", headers=owner)
    assert r.status_code == 200
    me = account_row(client.app, OWNER)
    assert r.headers["content-disposition"] == f'attachment; filename="rembuk-akun-{me.id}.json"'
    data = r.json()
    assert data["account"] == {
        "id": me.id,
        "name": "Dewi Pemilik",
        "email": OWNER,
        "created_at": data["account"]["created_at"],
    }
    assert data["account"]["created_at"].endswith("Z")
    assert [w["title"] for w in data["workshops_owned"]] == ["Bimtek Smart City"]
    assert data["memberships"] == []
    assert [e["action"] for e in data["audit_entries"]] == ["export.downloaded", "session.phase_changed"]
    assert me.password_hash not in r.text and "argon2" not in r.text and "password" not in r.text

    theirs = client.get("/api/v1/me/data", headers=scribe).json()
    assert theirs["workshops_owned"] == []
    assert [(m["workshop_id"], m["role"]) for m in theirs["memberships"]] == [(workshop["id"], "scribe")]
    # The download of one's data is in the log too (no workshop's: the account's own).
    again = client.get("/api/v1/me/data", headers=scribe).json()
    assert [e["action"] for e in again["audit_entries"]] == ["facilitator.data_downloaded"]
    assert client.get("/api/v1/me/data").status_code == 401


def test_an_owner_is_refused_until_their_workshops_are_gone(client, api):
    owner, _scribe, _workshop, _session = scribe_room(client, api)
    r = client.post("/api/v1/me/erase", headers=owner, json={"confirm": OWNER})
    assert r.status_code == 409
    assert "hapus atau serahkan" in r.json()["detail"] and "Bimtek Smart City" in r.json()["detail"]
    r = client.post("/api/v1/me/erase", headers={**owner, "Cookie": "rembuk_lang=en"}, json={"confirm": OWNER})
    assert "hand them over" in r.json()["detail"]
    assert account_row(client.app, OWNER).erased_at is None
    assert client.get("/api/v1/workshops", headers=owner).status_code == 200  # still logged in


def test_the_confirmation_is_the_accounts_own_email(client, api):
    _owner, scribe, _workshop, _session = scribe_room(client, api)
    for typed in ("", OWNER, "nur.notulis@kominfo.go"):
        r = client.post("/api/v1/me/erase", headers=scribe, json={"confirm": typed})
        assert r.status_code == 422, (typed, r.text)
    assert account_row(client.app, SCRIBE).erased_at is None


@pytest.mark.database
def test_erasing_ends_every_login_and_leaves_no_name(client, api):
    owner, scribe, workshop, session = scribe_room(client, api)
    sid, wid = session["id"], workshop["id"]
    # Another login of the scribe's (a browser's cookie) and something they did.
    browser = TestClient(client.app, follow_redirects=False)
    login(browser, SCRIBE)
    assert client.get(f"/api/v1/sessions/{sid}/board", headers=scribe).status_code == 200
    scribe_id = account_row(client.app, SCRIBE).id

    r = client.post("/api/v1/me/erase", headers=scribe, json={"confirm": " Nur.Notulis@kominfo.go.id "})
    assert r.status_code == 204, r.text

    # Every login ends: the token, the cookie, and the password no longer opens it.
    assert client.get("/api/v1/me/data", headers=scribe).status_code == 401
    assert browser.get("/console").status_code == 303
    assert client.post("/api/v1/auth/token", data={"username": SCRIBE, "password": PASSWORD}).status_code == 401
    browser.close()

    row = account_row(client.app, account_id=scribe_id)
    assert (row.name, row.email, row.is_active) == ("", f"erased-{scribe_id}@invalid", False)
    assert row.erased_at is not None and row.token_epoch == 1 and "argon2" not in row.password_hash
    with client.app.state.sessions() as db:
        assert db.get(WorkshopMember, (wid, scribe_id)) is None
    members = client.get(f"/api/v1/workshops/{wid}/members", headers=owner).json()
    assert [m["email"] for m in members] == [OWNER]

    # The exports' scribe column: nobody's name (nor the placeholder address).
    text = client.get(f"/api/v1/sessions/{sid}/summary.csv", headers=owner).content.decode("utf-8-sig")
    rows = {row["ide"]: row["dicatat_oleh"] for row in csv.DictReader(io.StringIO(text))}
    assert rows[CARD] == "akun terhapus"
    summary = client.get(f"/api/v1/sessions/{sid}/summary.json", headers=owner).text
    for trace in ("Nur Notulis", SCRIBE, "erased-"):
        assert trace not in summary and trace not in text

    # The audit log keeps what the account did, without the name.
    log = client.get(f"/api/v1/workshops/{wid}/audit", headers=owner).json()["entries"]
    assert not [e for e in log if "Nur" in e["actor"] or SCRIBE in e["actor"]]
    with client.app.state.sessions() as db:
        from sqlalchemy import select

        from app.models import AuditEntry

        erased = db.scalars(select(AuditEntry).where(AuditEntry.action == "facilitator.erased")).one()
        assert (erased.actor_id, erased.workshop_id, erased.target) == (
            scribe_id,
            None,
            f"facilitator account #{scribe_id}",
        )

    # Their old address is free for a new account of someone else's.
    r = client.post(f"/api/v1/workshops/{wid}/members", headers=owner, json={"email": SCRIBE, "role": "scribe"})
    assert r.status_code == 201, r.text


def test_an_erased_actor_shows_as_an_erased_account_in_the_log(client, api):
    owner = api.facilitator(OWNER, name="Dewi Pemilik")
    co = api.facilitator("ko.fasilitator@kominfo.go.id", name="Fajar Ko")
    workshop = api.workshop(owner)
    r = client.post(
        f"/api/v1/workshops/{workshop['id']}/members",
        headers=owner,
        json={"email": "ko.fasilitator@kominfo.go.id", "role": "co_facilitator"},
    )
    assert r.status_code == 201, r.text
    session = api.session(owner, workshop["stages"][0]["id"])
    assert client.get(f"/api/v1/sessions/{session['id']}/summary.xlsx", headers=co).status_code == 200
    co_id = account_row(client.app, "ko.fasilitator@kominfo.go.id").id
    assert (
        client.post("/api/v1/me/erase", headers=co, json={"confirm": "ko.fasilitator@kominfo.go.id"}).status_code == 204
    )
    log = client.get(f"/api/v1/workshops/{workshop['id']}/audit", headers=owner).json()["entries"]
    assert (log[0]["actor"], log[0]["actor_id"]) == (f"Akun terhapus #{co_id}", co_id)
    login(client, OWNER)
    html = client.get(f"/console/workshops/{workshop['id']}/audit").text
    assert f"Akun terhapus #{co_id}" in html and "Fajar" not in html


# --- the console's "Akun saya" -----------------------------------------------------------------------------------


def test_the_account_page_downloads_and_erases_with_a_typed_confirmation(client, api):
    scribe_room(client, api)
    console = TestClient(client.app, follow_redirects=False)
    login(console, SCRIBE)
    assert 'href="/console/account"' in console.get("/console").text
    page = console.get("/console/account")
    assert page.status_code == 200
    assert "Akun saya" in page.text and SCRIBE in page.text and "Unduh data saya" in page.text
    assert 'href="/api/v1/me/data"' in page.text and 'action="/console/account/erase"' in page.text
    download = console.get("/api/v1/me/data")  # the link, with the login cookie
    assert download.status_code == 200 and json.loads(download.content)["account"]["email"] == SCRIBE

    wrong = console.post("/console/account/erase", data={"confirm": OWNER})
    assert wrong.status_code == 422
    assert "Ketik alamat email Anda sendiri" in wrong.text and f'value="{OWNER}"' in wrong.text

    done = console.post("/console/account/erase", data={"confirm": SCRIBE})
    assert done.status_code == 303 and done.headers["location"] == "/login?erased=1"
    assert FACILITATOR_COOKIE not in console.cookies
    assert "Akun Anda telah dihapus" in console.get("/login?erased=1").text
    console.close()


def test_the_account_page_of_an_owner_says_what_to_do_first(client, api):
    scribe_room(client, api)
    login(client, OWNER)
    page = client.get("/console/account").text
    assert "hapus atau serahkan" in page and 'href="/console/workshops/' in page
    refused = client.post("/console/account/erase", data={"confirm": OWNER}, follow_redirects=False)
    assert refused.status_code == 409 and "Bimtek Smart City" in refused.text
    assert client.get("/console").status_code == 200  # still logged in
