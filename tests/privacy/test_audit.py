"""The audit log (``app.services.audit``): who (which facilitator) did what, and when,
to a workshop's personal data or outcome, read by the workshop's owner only.

Every download is an entry, and the test that proves it asks every route of the app:
whatever answers with an attachment must have written exactly one entry, whatever
does not, none. A new download route without its entry fails here.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.routing import Mount, Route

from app.models import AuditEntry
from tests.builders import Api, Phone
from tests.support.forms import login

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
TITLE = "Brainstorm Tahap II"
# Whoever joins in these tests: none of it may ever appear in the log.
PEOPLE = [("Rina Wulandari", "opd", "Bappeda Padang Pariaman"), ("Budi Santoso", "pokdarwis", "Pokdarwis Gandoriah")]
EVERY_DOWNLOAD = {
    *(f"/api/v1/sessions/{{session_id}}/summary.{ext}" for ext in ("md", "csv", "json", "xlsx", "docx", "pdf")),
    *(f"/api/v1/workshops/{{workshop_id}}/summary.{ext}" for ext in ("md", "json", "xlsx", "docx", "pdf")),
    "/api/v1/workshops/{workshop_id}/archive",
    "/api/v1/workshops/{workshop_id}/audit.csv",
    *(f"/shared/{{token}}/summary.{ext}" for ext in ("md", "csv", "json", "xlsx", "docx", "pdf")),
    "/api/v1/me/data",
    "/api/v1/participants/{participant_id}/data",
}
# A person's own data: logged as whose it is, not as a file of the workshop.
PERSONAL_DATA = {"/api/v1/me/data": "facilitator.data_downloaded",
                 "/api/v1/participants/{participant_id}/data": "participant.data_downloaded"}


@dataclass
class Room:
    owner: dict[str, str]
    email: str
    workshop: dict
    session: dict
    phones: list[Phone]
    idea: dict
    share_id: int
    token: str


def make_room(
    client: TestClient,
    api: Api,
    *,
    email: str = "dewi.pemilik@kominfo.go.id",
    name: str = "Dewi Pemilik",
    anonymous: bool = False,
) -> Room:
    owner = api.facilitator(email, name=name)
    workshop = api.workshop(owner)
    session = api.session(owner, workshop["stages"][0]["id"], title=TITLE, anonymous=anonymous)
    phones = [api.join(session["join_code"], *person) for person in PEOPLE]
    idea = api.idea(phones[0], "Aplikasi antrean online RSUD", "living")
    api.idea(phones[1], "Paket wisata digital Pantai Gandoriah", "economy")
    r = client.post(f"/api/v1/sessions/{session['id']}/share", headers=owner)
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    with client.app.state.sessions() as db:
        from app.models import SessionShare

        share_id = db.scalar(select(SessionShare.id).where(SessionShare.session_id == session["id"]))
    return Room(owner, email, workshop, session, phones, idea, share_id, token)


def entries(client: TestClient, room: Room) -> list[dict]:
    r = client.get(f"/api/v1/workshops/{room.workshop['id']}/audit", headers=room.owner)
    assert r.status_code == 200, r.text
    return r.json()["entries"]


def count_entries(app) -> int:
    with app.state.sessions() as db:
        return db.scalar(select(func.count()).select_from(AuditEntry)) or 0


def get_routes(app) -> list[str]:
    """The path of every GET route of the app (API and pages), as ``app.routes`` has them."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: app.routes is already flat
        flat = [(route, route) for route in app.routes]
    else:
        flat = [(context.original_route, context) for context in iter_route_contexts(app.routes)]
    paths = []
    for original, route in flat:
        if isinstance(original, Route) and not isinstance(original, Mount) and "GET" in (route.methods or ()):
            paths.append(route.path)
    return sorted(set(paths))


# --- every download --------------------------------------------------------------------------------------------


def test_every_route_that_answers_with_a_file_records_one_entry(client, api):
    room = make_room(client, api)
    login(client, room.email)
    params = {
        "session_id": room.session["id"],
        "workshop_id": room.workshop["id"],
        "stage_id": room.session["stage_id"],
        "token": room.token,
        "idea_id": room.idea["id"],
        "group_id": room.idea["group_id"],
        "participant_id": room.phones[0].participant_id,
        "code": room.session["join_code"],
        "path": "live.js",
    }
    downloads: dict[str, list[dict]] = {}
    for pattern in get_routes(client.app):
        if pattern.endswith(("/stream", "/events")):
            continue  # live streams never end: no file among them
        unknown = set(re.findall(r"\{(\w+)\}", pattern)) - set(params)
        assert not unknown, f"{pattern}: teach this test a value for {sorted(unknown)}"
        path = re.sub(r"\{(\w+)\}", lambda m: str(params[m.group(1)]), pattern)
        before = count_entries(client.app)
        r = client.get(path, headers=room.owner if path.startswith("/api/") else {}, follow_redirects=False)
        added = count_entries(client.app) - before
        if r.headers.get("content-disposition", "").startswith("attachment"):
            assert r.status_code == 200, (pattern, r.status_code)
            assert added == 1, f"{pattern} served a file and recorded {added} audit entries"
            downloads[pattern] = []
        else:
            assert added == 0, f"{pattern} is no download but recorded {added} audit entries"
    assert set(downloads) == EVERY_DOWNLOAD, sorted(set(downloads) ^ EVERY_DOWNLOAD)

    log = entries(client, room)
    downloaded = [e for e in log if e["action"] == "export.downloaded"]
    # Every file of the workshop; a person's data is logged as theirs (the account's
    # own is no entry of the workshop's log).
    assert len(downloaded) == len(EVERY_DOWNLOAD) - len(PERSONAL_DATA)
    participant = room.phones[0].participant_id
    [data_entry] = [e for e in log if e["action"] == PERSONAL_DATA["/api/v1/participants/{participant_id}/data"]]
    assert data_entry["target"] == f"participant #{participant} in session #{room.session['id']} '{TITLE}'"
    assert "Rina" not in data_entry["target"]
    session_of = f"of session #{room.session['id']} '{TITLE}'"
    owner_name = f"Dewi Pemilik <{room.email}>"
    targets = {e["target"]: e for e in downloaded}
    for ext in ("md", "csv", "json", "xlsx", "docx", "pdf"):
        mine = targets[f"summary.{ext} {session_of}"]
        assert (mine["actor"], mine["session_id"]) == (owner_name, room.session["id"])
        via_link = targets[f"summary.{ext} {session_of} via read-only link #{room.share_id}"]
        assert (via_link["actor"], via_link["actor_id"]) == ("Rembuk (otomatis)", None)
    workshop_of = f"of workshop #{room.workshop['id']} 'Bimtek Smart City'"
    for file in (
        "summary.md",
        "summary.json",
        "summary.xlsx",
        "summary.docx",
        "summary.pdf",
        "archive.zip",
        "audit.csv",
    ):
        assert targets[f"{file} {workshop_of}"]["actor"] == owner_name


def test_a_download_that_fails_records_nothing(client, api):
    room = make_room(client, api)
    scribe = api.facilitator("notulis@kominfo.go.id", name="Sari")
    r = client.post(
        f"/api/v1/workshops/{room.workshop['id']}/members",
        headers=room.owner,
        json={"email": "notulis@kominfo.go.id", "role": "scribe"},
    )
    assert r.status_code == 201, r.text
    before = count_entries(client.app)
    assert client.get(f"/api/v1/sessions/{room.session['id']}/summary.pdf", headers=scribe).status_code == 403
    assert client.get(f"/api/v1/sessions/{room.session['id']}/summary.pdf").status_code == 401
    assert client.get("/shared/not-a-link/summary.csv").status_code == 404
    assert count_entries(client.app) == before


# --- the other actions -------------------------------------------------------------------------------------------


@pytest.mark.database
def test_removal_names_revealed_and_phase_changes_newest_first(client, api):
    room = make_room(client, api, anonymous=True)
    sid = room.session["id"]
    r = client.patch(f"/api/v1/sessions/{sid}", headers=room.owner, json={"anonymous_exports": True})
    assert r.status_code == 200, r.text
    removed = room.phones[1].participant_id
    assert client.delete(f"/api/v1/participants/{removed}", headers=room.owner).status_code == 200
    # Removing them again is refused: a change that did not happen leaves no entry.
    assert client.delete(f"/api/v1/participants/{removed}", headers=room.owner).status_code == 404
    r = client.patch(
        f"/api/v1/sessions/{sid}", headers=room.owner, json={"anonymous": False, "anonymous_exports": False}
    )
    assert r.status_code == 200, r.text
    # Names hidden again, then the title changed: neither reveals anything.
    r = client.patch(f"/api/v1/sessions/{sid}", headers=room.owner, json={"anonymous": True, "title": "Sesi baru"})
    assert r.status_code == 200, r.text
    r = client.patch(f"/api/v1/sessions/{sid}", headers=room.owner, json={"title": TITLE})
    assert r.status_code == 200, r.text
    api.phase(room.owner, sid, "group")
    api.phase(room.owner, sid, "group")  # the same phase again: nothing changed

    log = entries(client, room)
    assert all(set(e) >= {"at", "actor", "action", "target"} and ISO_Z.match(e["at"]) for e in log)
    assert [e["at"] for e in log] == sorted((e["at"] for e in log), reverse=True)
    mine = [(e["action"], e["target"]) for e in log]
    assert mine == [
        ("session.phase_changed", f"session #{sid} '{TITLE}': brainstorm → group"),
        ("settings.names_revealed", f"session #{sid} '{TITLE}': anonymous_exports off"),
        ("settings.names_revealed", f"session #{sid} '{TITLE}': anonymous off"),
        ("participant.removed", f"participant #{removed} in session #{sid}"),
        # the session was made in draft and opened by the builder
        ("session.phase_changed", f"session #{sid} '{TITLE}': draft → brainstorm"),
    ]
    assert {e["actor"] for e in log} == {f"Dewi Pemilik <{room.email}>"}
    assert {e["session_id"] for e in log} == {sid}


def test_the_console_forms_are_in_the_log_too(client, api):
    room = make_room(client, api, anonymous=True)
    login(client, room.email)
    sid = room.session["id"]
    removed = room.phones[0].participant_id
    r = client.post(f"/console/sessions/{sid}/participants/{removed}/remove", data={}, follow_redirects=False)
    assert r.status_code == 303, r.text
    r = client.post(f"/console/sessions/{sid}/phase", data={"phase": "group"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert [e["action"] for e in entries(client, room)][:2] == ["session.phase_changed", "participant.removed"]


# --- who may read it ---------------------------------------------------------------------------------------------


def test_only_the_owner_reads_the_log(client, api):
    room = make_room(client, api)
    wid = room.workshop["id"]
    team = {}
    for role in ("co_facilitator", "scribe"):
        email = f"{role.replace('_', '.')}@kominfo.go.id"
        team[role] = api.facilitator(email)
        r = client.post(f"/api/v1/workshops/{wid}/members", headers=room.owner, json={"email": email, "role": role})
        assert r.status_code == 201, r.text
    stranger = api.facilitator("orang.lain@kominfo.go.id")
    for path in (f"/api/v1/workshops/{wid}/audit", f"/api/v1/workshops/{wid}/audit.csv"):
        assert client.get(path, headers=team["co_facilitator"]).status_code == 403
        assert client.get(path, headers=team["scribe"]).status_code == 403
        assert client.get(path, headers=stranger).status_code == 404
        assert client.get(path).status_code == 401
        assert client.get(path, headers=room.phones[0].headers).status_code == 403
        assert client.get(path, headers=room.owner).status_code == 200


def test_a_deleted_workshops_entries_stay_and_the_owner_who_deleted_it_still_has_theirs(client, api):
    """Deleting a workshop keeps its log (no foreign key) but nobody reads it through the
    app any more; the owner's own data (``GET /api/v1/me/data``) still holds what they did."""
    room = make_room(client, api)
    wid, sid = room.workshop["id"], room.session["id"]
    api.phase(room.owner, sid, "group")
    assert client.get(f"/api/v1/sessions/{sid}/summary.md", headers=room.owner).status_code == 200
    assert client.delete(f"/api/v1/workshops/{wid}", headers=room.owner).status_code == 204

    assert client.get(f"/api/v1/workshops/{wid}/audit", headers=room.owner).status_code == 404
    with client.app.state.sessions() as db:
        kept = db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.workshop_id == wid))
    mine = client.get("/api/v1/me/data", headers=room.owner).json()["audit_entries"]
    of_it = [(e["action"], e["session_id"]) for e in mine if e["workshop_id"] == wid]
    assert of_it[:3] == [("workshop.deleted", None), ("export.downloaded", sid), ("session.phase_changed", sid)]
    assert len(of_it) == kept  # every entry of it is the owner's own (the draft opened, too)
    assert not any("Rina" in e["target"] for e in mine)


# --- the CSV -------------------------------------------------------------------------------------------------------


def test_csv_has_every_entry_with_a_header_a_bom_and_no_formula(client, api):
    room = make_room(client, api, email="iseng@kominfo.go.id", name='=HYPERLINK("http://x")')
    sid = room.session["id"]
    api.phase(room.owner, sid, "group")
    client.get(f"/api/v1/sessions/{sid}/summary.csv", headers=room.owner)
    r = client.get(f"/api/v1/workshops/{room.workshop['id']}/audit.csv", headers=room.owner)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")  # as the ideas' CSV: Excel reads UTF-8 with the BOM
    ideas_csv = client.get(f"/api/v1/sessions/{sid}/summary.csv", headers=room.owner).content
    assert ideas_csv.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["waktu", "waktu_setempat", "pelaku", "pelaku_id", "tindakan", "sasaran", "sesi_id"]
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    # The download being built is not in its own file: it is written after the file.
    assert [row["tindakan"] for row in body] == ["export.downloaded", "session.phase_changed", "session.phase_changed"]
    assert all(ISO_Z.match(row["waktu"]) and row["waktu_setempat"].endswith("WIB") for row in body)
    assert {row["pelaku"] for row in body} == {'\'=HYPERLINK("http://x") <iseng@kominfo.go.id>'}
    assert body[0]["sasaran"] == f"summary.csv of session #{sid} '{TITLE}'"
    # … and the download of the CSV is itself in the log.
    assert [e["target"].split(" ")[0] for e in entries(client, room)[:2]] == ["summary.csv", "audit.csv"]


# --- never a participant's name -----------------------------------------------------------------------------------


@pytest.mark.database
def test_no_participant_name_in_the_log_after_a_whole_workshop(client, api):
    room = make_room(client, api, anonymous=True)
    sid, wid = room.session["id"], room.workshop["id"]
    r = client.post(
        f"/api/v1/sessions/{sid}/ideas",
        headers=room.owner,
        json={
            "text": "Kartu ide",
            "dimension": "living",
            "on_behalf_of": {"name": "Pak Darmawan", "organization_type": "opd", "organization": "Dinas Pariwisata"},
        },
    )
    assert r.status_code == 201, r.text
    client.patch(f"/api/v1/sessions/{sid}", headers=room.owner, json={"anonymous": False})
    client.delete(f"/api/v1/participants/{room.phones[1].participant_id}", headers=room.owner)
    for phase in ("group", "vote", "results", "closed"):
        api.phase(room.owner, sid, phase)
    for ext in ("csv", "json", "pdf"):
        assert client.get(f"/api/v1/sessions/{sid}/summary.{ext}", headers=room.owner).status_code == 200
        assert client.get(f"/shared/{room.token}/summary.{ext}").status_code == 200
    assert client.get(f"/api/v1/workshops/{wid}/archive", headers=room.owner).status_code == 200
    log = entries(client, room)
    assert len(log) == 14  # 5 phase changes, names revealed, one removal, 7 downloads
    csv_text = client.get(f"/api/v1/workshops/{wid}/audit.csv", headers=room.owner).content.decode("utf-8-sig")
    words = [
        w
        for name, _type, office in [*PEOPLE, ("Pak Darmawan", "", "Dinas Pariwisata")]
        for w in (name, office, *name.split())
    ]
    for word in words:
        assert not [e for e in log if word in e["target"] or word in e["actor"]], word
        assert word not in csv_text


# --- the console page ----------------------------------------------------------------------------------------------


def test_the_console_page_lists_the_log_in_local_time_with_labels(client, api):
    room = make_room(client, api)
    sid = room.session["id"]
    api.phase(room.owner, sid, "group")
    client.get(f"/shared/{room.token}/summary.pdf")
    login(client, room.email)
    workshop_page = client.get(f"/console/workshops/{room.workshop['id']}").text
    assert f'href="/console/workshops/{room.workshop["id"]}/audit"' in workshop_page
    page = client.get(f"/console/workshops/{room.workshop['id']}/audit")
    assert page.status_code == 200
    html = page.text
    assert "Log audit" in html and "Unduh CSV" in html
    assert f'href="/api/v1/workshops/{room.workshop["id"]}/audit.csv"' in html
    assert "Mengubah fase sesi" in html and "Mengunduh berkas" in html  # labels, not codes
    assert "Rembuk (otomatis)" in html  # the read-only link's download
    assert "WIB" in html  # the venue's time
    english = client.get(f"/console/workshops/{room.workshop['id']}/audit?lang=en").text
    assert "Changed a session's phase" in english and "Rembuk (automatic)" in english
