"""Between stages: a session stays open for phones until ``open_until``; ideas sent
after the room session are marked on the board, in the console and in every export."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from app.models import Session
from tests.support.documents import docx_text, sheet_dicts, xlsx_sheets


def later(**delta) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def set_open_until(api, fac, session_id: int, value):
    return api.client.patch(f"/api/v1/sessions/{session_id}", json={"open_until": value}, headers=fac)


def expire(app, session_id: int) -> None:
    """The deadline passes (the API refuses a deadline in the past, rightly)."""
    with app.state.sessions() as db:
        session = db.get(Session, session_id)
        session.open_until = datetime.now(UTC) - timedelta(minutes=1)
        db.commit()


@pytest.mark.database
def test_open_until_is_set_shown_and_cleared(api):
    fac = api.facilitator()
    session = api.session(fac)
    assert session["open_until"] is None
    r = set_open_until(api, fac, session["id"], "2999-12-14T17:00:00+07:00")
    assert r.status_code == 200, r.text
    assert r.json()["open_until"] == "2999-12-14T10:00:00Z"
    # Other settings leave it as it is; null removes it.
    assert (
        api.client.patch(f"/api/v1/sessions/{session['id']}", json={"vote_budget": 4}, headers=fac).json()["open_until"]
        == "2999-12-14T10:00:00Z"
    )
    r = set_open_until(api, fac, session["id"], None)
    assert r.status_code == 200 and r.json()["open_until"] is None


@pytest.mark.parametrize("value", ["2020-01-01T10:00:00+07:00", "2999-12-14T17:00:00", "besok sore", 12])
def test_open_until_in_the_past_or_without_zone_is_refused(api, value):
    fac = api.facilitator()
    session = api.session(fac)
    r = set_open_until(api, fac, session["id"], value)
    assert r.status_code == 422, r.text
    assert api.client.get(f"/api/v1/sessions/{session['id']}", headers=fac).json()["open_until"] is None


def test_a_participant_or_another_facilitator_cannot_set_it(api):
    fac = api.facilitator()
    session = api.session(fac)
    phone = api.join(session["join_code"])
    assert set_open_until(api, phone.headers, session["id"], later(days=1)).status_code == 403
    assert set_open_until(api, api.facilitator(), session["id"], later(days=1)).status_code == 404


@pytest.mark.database
def test_ideas_after_the_room_session_are_accepted_until_the_deadline_and_marked(api, app):
    fac = api.facilitator()
    session = api.session(fac)
    rina = api.join(session["join_code"], "Rina")
    in_room = api.idea(rina, "Antrean online RSUD")
    assert in_room["after_session"] is False
    api.phase(fac, session["id"], "vote")

    # Without a deadline, the brainstorm is over.
    r = api.client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Telat"}, headers=rina.headers)
    assert r.status_code == 409
    assert set_open_until(api, fac, session["id"], later(days=7)).status_code == 200
    late = api.idea(rina, "Wifi publik di kantor desa", "living")
    assert late["after_session"] is True

    # An office that missed the day joins even once the session is closed.
    api.phase(fac, session["id"], "closed")
    budi = api.join(session["join_code"], "Budi", "opd", "Bappeda")
    assert api.idea(budi, "Satu data kependudukan", "governance")["after_session"] is True

    board = api.board(fac, session["id"])
    marks = {i["text"]: i["after_session"] for g in board["groups"] for i in g["ideas"]}
    assert marks == {"Antrean online RSUD": False, "Wifi publik di kantor desa": True, "Satu data kependudukan": True}

    # Past the deadline: refused with a reason, and joining a closed session is over too.
    expire(app, session["id"])
    r = api.client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Terlambat"}, headers=budi.headers)
    assert r.status_code == 409
    assert "batas waktu" in r.json()["detail"].lower()
    r = api.client.post(
        "/api/v1/join",
        json={"join_code": session["join_code"], "name": "Sari", "organization_type": "opd", "organization": "Dinkes"},
    )
    assert r.status_code == 409


def test_a_deadline_does_not_open_a_draft(api):
    fac = api.facilitator()
    session = api.session(fac, phase="draft")
    assert set_open_until(api, fac, session["id"], later(days=1)).status_code == 200
    phone = api.join(session["join_code"])
    r = api.client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Terlalu awal"}, headers=phone.headers)
    assert r.status_code == 409


def late_session(api) -> tuple[dict, dict]:
    fac = api.facilitator()
    session = api.session(fac, title="Isu Tahap I")
    rina = api.join(session["join_code"], "Rina", "opd", "Diskominfo")
    api.idea(rina, "Antrean online RSUD", "living")
    api.phase(fac, session["id"], "results")
    assert set_open_until(api, fac, session["id"], later(days=7)).status_code == 200
    budi = api.join(session["join_code"], "Budi", "opd", "Bappeda")
    api.idea(budi, "Wifi publik di kantor desa", "living")
    return fac, session


def test_word_and_excel_mark_the_late_idea(api):
    fac, session = late_session(api)
    docx = api.client.get(f"/api/v1/sessions/{session['id']}/summary.docx", headers=fac)
    assert docx.status_code == 200
    text = docx_text(docx.content)
    assert "Wifi publik di kantor desa [susulan]" in text
    assert "Antrean online RSUD [susulan]" not in text
    assert "Gagasan susulan" in text

    xlsx = api.client.get(f"/api/v1/sessions/{session['id']}/summary.xlsx", headers=fac)
    rows = sheet_dicts(xlsx_sheets(xlsx.content)["Gagasan"])
    late = {row["Gagasan"]: row["Susulan (setelah sesi)"] for row in rows}
    assert late == {"Antrean online RSUD": None, "Wifi publik di kantor desa": "ya"}


def test_csv_json_markdown_mark_the_late_idea_beside_the_existing_columns(api):
    fac, session = late_session(api)
    base = f"/api/v1/sessions/{session['id']}/summary"
    csv = api.client.get(f"{base}.csv", headers=fac).content.decode("utf-8-sig").splitlines()
    header = csv[0].split(",")
    # The scribe's column keeps its place; the late one comes after it, last.
    assert header[-4:] == ["waktu", "waktu_setempat", "dicatat_oleh", "susulan"]
    assert sum(line.endswith(",ya") for line in csv[1:]) == 1
    data = json.loads(api.client.get(f"{base}.json", headers=fac).content)
    ideas = [i for d in data["dimensions"] for g in d["groups"] for i in g["ideas"]]
    assert {i["text"]: i["after_session"] for i in ideas} == {
        "Antrean online RSUD": False,
        "Wifi publik di kantor desa": True,
    }
    assert data["after_session_count"] == 1
    assert "Wifi publik di kantor desa \\[susulan\\]" in api.client.get(f"{base}.md", headers=fac).text or (
        "Wifi publik di kantor desa [susulan]" in api.client.get(f"{base}.md", headers=fac).text
    )


def test_a_session_without_late_ideas_keeps_its_columns(api):
    fac = api.facilitator()
    session = api.session(fac)
    api.idea(api.join(session["join_code"]), "Antrean online RSUD")
    csv = api.client.get(f"/api/v1/sessions/{session['id']}/summary.csv", headers=fac).content.decode("utf-8-sig")
    assert csv.splitlines()[0].split(",")[-2:] == ["waktu_setempat", "dicatat_oleh"]


def test_the_board_and_the_phone_show_late_ideas(api, console, app, new_phone):
    """The projector marks the late idea; the phone of a latecomer gets the late form
    with the deadline in the venue's time (Asia/Jakarta: WIB)."""
    fac = api.facilitator()
    session = api.session(fac)
    api.idea(api.join(session["join_code"]), "Antrean online RSUD")
    api.phase(fac, session["id"], "group")
    assert set_open_until(api, fac, session["id"], "2999-12-14T17:00:00+07:00").status_code == 200
    phone = new_phone()
    r = phone.get(f"/j/{session['join_code']}")
    assert r.status_code == 200 and "ide susulan masih diterima" in r.text and "17.00 WIB" in r.text
    r = phone.post(
        "/join",
        data={"join_code": session["join_code"], "name": "Budi", "organization_type": "opd", "organization": "Bappeda"},
    )
    assert r.status_code == 303
    page = phone.get(f"/s/{session['id']}").text
    assert "Kirim ide susulan" in page and 'id="idea-form"' in page
    r = phone.post(f"/s/{session['id']}/ideas", data={"text": "Wifi publik di kantor desa", "dimension": "living"})
    assert r.status_code == 303

    # The board is the facilitator's: log this console in as the session's owner.
    from tests.support.forms import login

    with app.state.sessions() as db:
        from app.models import Facilitator, Stage, Workshop

        stage = db.get(Stage, session["stage_id"])
        owner = db.get(Facilitator, db.get(Workshop, stage.workshop_id).owner_id)
        email = owner.email
    login(console, email)
    board = console.get(f"/board/{session['id']}").text
    card = board.split("Wifi publik di kantor desa", 1)[1].split("</li>", 1)[0]
    assert "badge-late" in card and "Ide susulan" in card
    assert "badge-late" not in board.split("Antrean online RSUD", 1)[1].split("</li>", 1)[0]
    page = console.get(f"/console/sessions/{session['id']}").text
    assert 'id="late-ideas"' in page and 'value="2999-12-14T17:00"' in page


def test_the_console_form_takes_the_venues_time(console, app):
    """Typed in the venue's time (Asia/Jakarta here), kept in UTC; a past time is
    refused on the page with the reason; "close" removes the deadline."""
    from tests.support.forms import create_session

    session = create_session(console)
    url = f"/console/sessions/{session['id']}/open-until"
    r = console.post(url, data={"open_until": "2999-12-14T17:00"}, follow_redirects=False)
    assert r.status_code == 303
    with app.state.sessions() as db:
        assert db.get(Session, session["id"]).open_until.isoformat().startswith("2999-12-14T10:00")
    r = console.post(url, data={"open_until": "2020-01-01T08:00"})
    assert r.status_code == 422 and "harus di masa depan" in r.text
    r = console.post(url, data={"open_until": "kemarin"})
    assert r.status_code == 422 and "Isi tanggal dan waktu" in r.text
    assert console.post(url, data={"clear": "1"}, follow_redirects=False).status_code == 303
    with app.state.sessions() as db:
        assert db.get(Session, session["id"]).open_until is None
