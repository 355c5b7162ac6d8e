"""Retention: a workshop's names are erased ``retention_days`` after its last session
ended, by the server itself (at start, then daily) or ``rembuk retention``; and not a
day before, nor while a session is open, nor when the organiser keeps them.

The clock is moved by passing ``now`` to the service; the server's own round runs on
the real clock, so those tests move the session's ``closed_at`` back instead.
"""

from __future__ import annotations

import html
import re
import threading
import time
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from app.localtime import Clock
from app.main import create_app
from app.models import AuditEntry, Facilitator, Participant, Session, Workshop, utcnow
from app.services import erasure, retention
from tests.builders import Api
from tests.operations.test_cli import cli_env, rembuk_here
from tests.support.forms import location

DAY = timedelta(days=1)


def _closed_workshop(api, *, people=("Rina Marlina", "Budi Santoso"), **session_settings):
    """A workshop with one session that ran with ``people`` and is closed now."""
    owner = api.facilitator(name="Dewi Kominfo")
    workshop = api.workshop(owner)
    session = api.session(owner, workshop["stages"][0]["id"], **session_settings)
    phones = [api.join(session["join_code"], name, "opd", "Dinas Kominfo") for name in people]
    for phone in phones:
        api.idea(phone, "Aplikasi antrean online RSUD")
    api.phase(owner, session["id"], "closed")
    return owner, workshop, session, phones


def _names(app, session_id) -> list[str]:
    with app.state.sessions() as db:
        people = db.scalars(select(Participant).where(Participant.session_id == session_id).order_by(Participant.id))
        return [p.name for p in people]


def _workshop(app, workshop_id) -> Workshop:
    with app.state.sessions() as db:
        return db.get(Workshop, workshop_id)


def _closed_at(app, session_id):
    with app.state.sessions() as db:
        return db.get(Session, session_id).closed_at


def _apply(app, now) -> int:
    with app.state.sessions() as db:
        return retention.apply(db, now)


def _retention_entries(app, workshop_id) -> list[AuditEntry]:
    with app.state.sessions() as db:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.workshop_id == workshop_id,
                                                        AuditEntry.action == "retention.completed",
                                                        AuditEntry.session_id.is_(None))))


def _move_close_back(app, session_id, days: int) -> None:
    with app.state.sessions() as db, db.begin():
        db.execute(update(Session).where(Session.id == session_id).values(closed_at=utcnow() - days * DAY))


# --- closed_at ----------------------------------------------------------------------------------------------------


def test_closing_a_session_stamps_it_and_reopening_clears_it(app, api):
    owner = api.facilitator()
    session = api.session(owner)
    assert _closed_at(app, session["id"]) is None
    before = utcnow()
    api.phase(owner, session["id"], "closed")
    closed_at = _closed_at(app, session["id"])
    assert closed_at is not None and before <= closed_at <= utcnow()
    api.phase(owner, session["id"], "closed")  # closed again: still the first close
    assert _closed_at(app, session["id"]) == closed_at
    api.phase(owner, session["id"], "results")
    assert _closed_at(app, session["id"]) is None


# --- when names are due -------------------------------------------------------------------------------------------


@pytest.mark.database
def test_names_are_erased_after_the_retention_and_only_once(app, api, client):
    owner, workshop, session, _phones = _closed_workshop(api)
    closed_at = _closed_at(app, session["id"])
    assert _apply(app, closed_at + 89 * DAY) == 0  # a day early: untouched
    assert _names(app, session["id"]) == ["Rina Marlina", "Budi Santoso"]
    assert _workshop(app, workshop["id"]).names_erased_at is None

    now = closed_at + 91 * DAY
    with app.state.sessions() as db:
        assert retention.workshops_due(db, now) == [workshop["id"]]
    assert _apply(app, now) == 1
    assert _names(app, session["id"]) == ["", ""]
    erased_at = _workshop(app, workshop["id"]).names_erased_at
    assert abs(erased_at - now) < timedelta(seconds=1)
    [entry] = _retention_entries(app, workshop["id"])
    assert entry.actor_id is None  # the server itself
    assert "Rina" not in entry.target and "Dinas Kominfo" not in entry.target
    assert f"workshop {workshop['id']}" in entry.target and "90 days" in entry.target
    # One story in the owner's log: the session's names, then the workshop's period over.
    log = client.get(f"/api/v1/workshops/{workshop['id']}/audit", headers=owner).json()["entries"]
    story = [(e["action"], e["session_id"], e["actor"]) for e in log if e["action"].startswith("retention.")]
    assert story == [("retention.completed", None, "Rembuk (otomatis)"),
                     ("retention.names_erased", session["id"], "Rembuk (otomatis)")]
    body = client.get(f"/api/v1/workshops/{workshop['id']}", headers=owner).json()
    assert body["names_erased_at"] is not None
    assert body["names_erased_on"].startswith((closed_at + 90 * DAY).date().isoformat())

    # Idempotent: a second round, later, finds nothing to do and records nothing.
    assert _apply(app, now + 30 * DAY) == 0
    assert len(_retention_entries(app, workshop["id"])) == 1
    assert _workshop(app, workshop["id"]).names_erased_at == erased_at


@pytest.mark.database
def test_two_workers_at_once_erase_once_and_record_once(app, api):
    """Every worker of a server runs the round at start: side by side, they erase the
    names and the workshop's erasure is recorded once."""
    _owner, workshop, session, _phones = _closed_workshop(api, people=("Rina", "Budi", "Sari", "Andi"))
    now = _closed_at(app, session["id"]) + 91 * DAY
    barrier = threading.Barrier(2)
    done: list[int] = []

    def worker() -> None:
        barrier.wait()
        done.append(_apply(app, now))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(done) == [0, 1]
    assert _names(app, session["id"]) == ["", "", "", ""]
    assert len(_retention_entries(app, workshop["id"])) == 1


@pytest.mark.database
def test_a_workshop_deleted_during_a_round_is_skipped_and_the_round_goes_on(app, api, client, monkeypatch):
    """The owner deletes a due workshop while the server's round is erasing it: the
    round skips what is gone (no error, no entry for it) and erases the next one."""
    owner, doomed, first, _phones = _closed_workshop(api)
    second = api.session(owner, doomed["stages"][1]["id"])
    api.join(second["join_code"], "Sari")
    api.phase(owner, second["id"], "closed")
    _owner2, other, other_session, _phones2 = _closed_workshop(api)
    now = utcnow() + 91 * DAY
    real = erasure.erase_session_names

    def owner_deletes_meanwhile(db, *, session_id, actor):
        if session_id == second["id"]:  # the first session of it is erased already
            assert client.delete(f"/api/v1/workshops/{doomed['id']}", headers=owner).status_code == 204
        return real(db, session_id=session_id, actor=actor)

    monkeypatch.setattr(erasure, "erase_session_names", owner_deletes_meanwhile)
    assert _apply(app, now) == 1  # the other workshop only
    assert _workshop(app, doomed["id"]) is None
    assert _retention_entries(app, doomed["id"]) == []
    assert _names(app, other_session["id"]) == ["", ""]
    assert _workshop(app, other["id"]).names_erased_at is not None
    assert _names(app, first["id"]) == []  # deleted with its workshop


@pytest.mark.database
def test_kept_names_and_open_sessions_are_never_due(app, api, client):
    owner, kept, _session, _phones = _closed_workshop(api)
    assert client.patch(f"/api/v1/workshops/{kept['id']}", json={"retention_days": None},
                        headers=owner).status_code == 200
    _owner2, reopened, session, _phones = _closed_workshop(api)
    api.phase(_owner2, session["id"], "brainstorm")  # reopened: the clock stops
    later = utcnow() + 3650 * DAY
    with app.state.sessions() as db:
        assert retention.workshops_due(db, later) == []
    assert _apply(app, later) == 0
    assert _names(app, session["id"]) == ["Rina Marlina", "Budi Santoso"]
    assert _workshop(app, kept["id"]).names_erased_at is None


def test_a_draft_nobody_joined_does_not_hold_retention_back_but_one_with_people_does(app, api):
    owner, workshop, session, _phones = _closed_workshop(api)
    stage_id = workshop["stages"][1]["id"]
    spare = api.session(owner, stage_id, phase="draft")  # prepared "just in case", never run
    closed_at = _closed_at(app, session["id"])
    with app.state.sessions() as db:
        assert retention.workshops_due(db, closed_at + 91 * DAY) == [workshop["id"]]
    api.join(spare["join_code"], "Andi Pratama")  # now someone waits in it
    with app.state.sessions() as db:
        assert retention.workshops_due(db, closed_at + 91 * DAY) == []
        assert retention.status(db, _workshop(app, workshop["id"])).state == retention.State.waiting


def test_retention_counts_from_the_last_session_and_from_late_ideas_deadline(app, api, client):
    owner, workshop, first, _phones = _closed_workshop(api)
    _move_close_back(app, first["id"], 200)  # Tahap I closed long ago
    second = api.session(owner, workshop["stages"][1]["id"])
    api.join(second["join_code"], "Sari")
    api.phase(owner, second["id"], "closed")
    second_closed = _closed_at(app, second["id"])
    with app.state.sessions() as db:
        assert retention.workshops_due(db, utcnow()) == []  # the last session counts, not the first
        assert retention.names_erased_on(db, _workshop(app, workshop["id"])) == second_closed + 90 * DAY
    # Late ideas until a deadline: people may still join until then, so the clock starts there.
    deadline = (utcnow() + 30 * DAY).replace(microsecond=0)
    r = client.patch(f"/api/v1/sessions/{second['id']}", json={"open_until": deadline.isoformat()}, headers=owner)
    assert r.status_code == 200, r.text
    with app.state.sessions() as db:
        assert retention.names_erased_on(db, _workshop(app, workshop["id"])) == deadline + 90 * DAY
        assert retention.workshops_due(db, second_closed + 91 * DAY) == []
        assert retention.workshops_due(db, deadline + 91 * DAY) == [workshop["id"]]


# --- what the console reports -------------------------------------------------------------------------------------


def _report(page: str) -> str:
    found = re.search(r'<p class="privacy-report"><strong>(.*?)</strong></p>', page, re.S)
    return html.unescape(found.group(1)).strip()


def test_the_console_reports_when_names_go(app, console, settings):
    from tests.support.forms import create_session, join

    made = create_session(console)
    url = made["workshop_url"]
    assert _report(console.get(url).text) == "Nama peserta akan dihapus 90 hari setelah sesi terakhir ditutup."
    phone = TestClient(app, follow_redirects=False)
    join(phone, made["code"])
    location(console.post(f"/console/sessions/{made['id']}/phase", data={"phase": "closed"}, follow_redirects=False))
    closed_at = _closed_at(app, made["id"])
    clock = Clock.of(settings.timezone, "id")
    due = clock.day(closed_at + 90 * DAY)
    assert _report(console.get(url).text) == f"Nama peserta akan dihapus pada {due}."
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", due)  # "5 Maret 2027"
    english = _report(console.get(f"{url}?lang=en").text)
    assert english == f"Participants' names will be erased on {Clock.of(settings.timezone, 'en').day(closed_at + 90 * DAY)}."
    console.get(f"{url}?lang=id")

    now = closed_at + 91 * DAY
    assert _apply(app, now) == 1
    assert _report(console.get(url).text) == f"Nama peserta sudah dihapus pada {clock.day(now)}."
    location(console.post(f"{url}/privacy", data={"retention": "keep"}, follow_redirects=False))
    assert _report(console.get(url).text) == "Nama peserta disimpan (tidak dihapus otomatis)."
    phone.close()


# --- the server does it: at start, then daily; and the command ----------------------------------------------------


@pytest.mark.database
def test_the_server_erases_what_is_due_when_it_starts(settings, api, app):
    _owner, workshop, session, _phones = _closed_workshop(api)
    _owner2, fresh, fresh_session, _phones2 = _closed_workshop(api, people=("Sari",))
    _move_close_back(app, session["id"], 91)
    with TestClient(create_app(settings)):  # a real lifespan: the keeper's first round
        deadline = time.monotonic() + 10
        while _names(app, session["id"]) != ["", ""] and time.monotonic() < deadline:
            time.sleep(0.05)
    assert _names(app, session["id"]) == ["", ""]
    assert _workshop(app, workshop["id"]).names_erased_at is not None
    assert len(_retention_entries(app, workshop["id"])) == 1
    assert _names(app, fresh_session["id"]) == ["Sari"]  # closed today: not yet
    assert _workshop(app, fresh["id"]).names_erased_at is None


@pytest.mark.server
def test_a_live_server_erases_what_is_due_when_it_starts(app, api, server_factory):
    _owner, workshop, session, _phones = _closed_workshop(api)
    _move_close_back(app, session["id"], 120)
    server = server_factory()
    deadline = time.monotonic() + 10
    while _names(app, session["id"]) != ["", ""] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _names(app, session["id"]) == ["", ""]
    with httpx.Client(base_url=server.url) as http:
        owner = Api(http).login(_owner_email(app, workshop["id"]))
        assert http.get(f"/api/v1/workshops/{workshop['id']}", headers=owner).json()["names_erased_at"] is not None


def _owner_email(app, workshop_id) -> str:
    with app.state.sessions() as db:
        return db.get(Facilitator, db.get(Workshop, workshop_id).owner_id).email


@pytest.mark.database
def test_the_retention_command_erases_what_is_due(tmp_path, database_url, app, api):
    _owner, workshop, session, _phones = _closed_workshop(api)
    _move_close_back(app, session["id"], 91)
    env = cli_env(tmp_path, database_url)
    listed = rembuk_here("retention", "--dry-run", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert f"Workshop {workshop['id']}" in listed.stdout and "1 workshop(s) due" in listed.stdout
    assert _names(app, session["id"]) == ["Rina Marlina", "Budi Santoso"]
    done = rembuk_here("retention", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Names erased in 1 workshop(s)" in done.stdout
    assert "Rina" not in done.stdout + done.stderr
    assert _names(app, session["id"]) == ["", ""]
    again = rembuk_here("retention", env=env, cwd=tmp_path)
    assert "Names erased in 0 workshop(s)" in again.stdout
