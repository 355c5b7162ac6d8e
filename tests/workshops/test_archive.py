"""A workshop that moves: the archive of a whole workshop, imported into another
Rembuk with new ids, gives the same downloads and board; a bad file changes nothing.

The workshop is built once per module through the services (four tahap, a carried
line of groups from Tahap I to the signed commitment, hidden, deleted and merged
ideas, reactions, votes, ratings, the roadmap, a removed participant, a running
timer and a focus). The round trip goes SQLite → the test's database (PostgreSQL
when ``REMBUK_TEST_DATABASE_URL`` is set) → SQLite, and compares every session's
``summary.json``, the workshop's, and each board, apart from ids.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import SQLModel

import app.models  # noqa: F401  (every table in the metadata)
from app.cli import main as cli
from app.db import create_db_engine
from app.main import create_app
from app.models import Facilitator, Session, Workshop, utcnow
from app.services import (
    carry,
    commitments,
    facilitators,
    focus,
    groups,
    ideas,
    participants,
    privacy,
    reactions,
    scores,
    sessions,
    timer,
    votes,
    workshops,
)
from app.services.archive_format import LEFT_OUT, NOT_ARCHIVED, VERSION, Archive
from app.services.groups import Actor
from app.settings import Settings
from tests.builders import PASSWORD, Api
from tests.support.databases import SECRET
from tests.support.forms import login

PUBLIC_URL = "http://rembuk.test"
ROOM = [  # name, organisation type, organisation: the same people come back at later stages
    ("Rina Marlina", "opd", "Diskominfo"),
    ("Budi Santoso", "rsud", "RSUD Pariaman"),
    ("Sari Dewi", "opd", "Bappeda"),
    ("Andi Putra", "komunitas_it", "Relawan TIK"),
    ("Yusuf Hamdan", "pdam", "Perumda Air Minum"),
]


NOTICE = "Penyelenggara: Bappeda Kabupaten Agam.\nPertanyaan: privasi@agamkab.go.id"


def make_app(url: str, folder: Path, **settings: Any):
    return create_app(Settings(database_url=url, secret_key=SECRET, var_dir=folder, public_url=PUBLIC_URL,
                               htmx_source="local", **settings))


def sqlite_copy(template: Path, folder: Path, name: str) -> str:
    path = folder / f"{name}.sqlite3"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


# --- a workshop of four tahap, through the services ----------------------------------------------------------

def build_workshop(db) -> int:
    fac = facilitators.create_facilitator(db, email="pemilik@kominfo.go.id", password=PASSWORD, name="Dewi Kominfo")
    actor = Actor(facilitator=fac)
    workshop = workshops.create_workshop(db, owner=fac, title="Bimtek Smart City", region="Kabupaten Agam", year=2026)
    stage = [s.id for s in workshops.stages(db, workshop.id)]

    def session(number: int, title: str, **settings: Any) -> Session:
        return sessions.create_session(db, facilitator=fac, stage_id=stage[number - 1], title=title,
                                       prompt=f"{title}: apa usul Bapak/Ibu?", **settings)

    def phase(s: Session, to: str) -> None:
        sessions.change_phase(db, facilitator=fac, session_id=s.id, phase=to)

    def room(s: Session, people=ROOM):
        return [participants.join(db, join_code=s.join_code, name=n, organization_type=t, organization=o)[0]
                for n, t, o in people]

    def vote(people, group_ids, pattern):
        for person, counts in zip(people, pattern, strict=False):
            for group_id, n in zip(group_ids, counts, strict=False):
                for _ in range(n):
                    votes.cast(db, participant=person, group_id=group_id)

    # Tahap I: a SWOT brainstorm, grouped and voted, not anonymous.
    one = session(1, "Analisis SWOT", anonymous=False, layout="swot", live_votes=True, vote_budget=6)
    phase(one, "brainstorm")
    people = room(one)
    texts = [("Antrean online RSUD", "living", "health", "weakness"),
             ("Jaringan internet kantor camat lemah", "governance", None, "weakness"),
             ("Pantai Tiku belum dikenal", "branding", None, "opportunity"),
             ("Data kependudukan belum satu", "governance", None, "weakness"),
             ("Bank sampah digital", "environment", None, "strength"),
             ("Pasar nagari daring", "economy", None, "opportunity"),
             ("Salah ketik", None, None, None)]
    made = [ideas.submit(db, participant=people[i % 5], text=t, dimension=d, sub_element=e, swot=w)[0]
            for i, (t, d, e, w) in enumerate(texts)]
    reactions.react(db, participant=people[1], idea_id=made[0].id)
    reactions.react(db, participant=people[2], idea_id=made[0].id)
    reactions.react(db, participant=people[0], idea_id=made[2].id)
    ideas.delete(db, participant=people[6 % 5], idea_id=made[6].id)
    ideas.set_hidden(db, facilitator=fac, idea_id=made[5].id, hidden=True)
    phase(one, "group")
    groups.move_idea(db, actor=actor, idea_id=made[3].id, group_id=made[1].group_id)
    groups.update_group(db, actor=actor, group_id=made[1].group_id, title="Tata kelola data dan jaringan")
    phase(one, "vote")
    top = [made[0].group_id, made[1].group_id, made[2].group_id, made[4].group_id]
    vote(people, top, [(2, 1, 0, 1), (1, 2, 1), (0, 1, 2, 1), (1, 1, 1, 1), (3, 0, 0, 0)])
    phase(one, "results")
    # A second session of Tahap I, prepared and never run, with settings of its own.
    session(1, "Kata kunci visi", anonymous_exports=True, idea_max_length=500, reactions_enabled=False,
            board_view="cloud", quick_win_threshold=4.0)

    # Tahap II: the top three carried forward, planned as programmes, voted again.
    two = session(2, "Program prioritas")
    carried, _seq = carry.import_groups(db, facilitator=fac, session_id=two.id, source_session_id=one.id, top=3)
    for n, entry in enumerate(carried):
        groups.update_group(db, actor=actor, group_id=entry.group_id, horizon=("short", "medium", "long")[n],
                            owner=("Dinas Kesehatan", "Diskominfo", "Dinas Pariwisata")[n],
                            budget_source=("apbd", "apbn", "kpbu")[n])
    phase(two, "brainstorm")
    people_two = room(two, ROOM[:3] + [("Lina Marlina", "opd", "Diskominfo")])
    ideas.submit(db, participant=people_two[3], text="Satu aplikasi layanan desa", dimension="governance")
    phase(two, "vote")
    vote(people_two, [e.group_id for e in carried], [(3, 1, 0), (1, 2, 1), (0, 2, 2), (2, 0, 1)])
    phase(two, "results")

    # Tahap III: carried again, rated (impact × feasibility), quick wins marked; the
    # timer is running and the board focused on a group when the laptop moves.
    three = session(3, "Quick win", quick_win_threshold=3.0)
    rated, _seq = carry.import_groups(db, facilitator=fac, session_id=three.id, source_session_id=two.id, top=3)
    phase(three, "score")
    people_three = room(three, ROOM[:4])
    for person, grades in zip(people_three, [(5, 4, 2), (4, 5, 1), (3, 3, 2), (5, 2, 1)], strict=True):
        for entry, grade in zip(rated, grades, strict=True):
            scores.rate(db, participant=person, group_id=entry.group_id, impact=grade, feasibility=6 - grade)
    groups.update_group(db, actor=actor, group_id=rated[0].group_id, quick_win=True, sub_element="health")
    phase(three, "results")
    timer.change(db, facilitator=fac, session_id=three.id, action="start", seconds=600)
    focus.set_focus(db, facilitator=fac, session_id=three.id, group_id=rated[1].group_id)

    # Tahap IV: the quick win carried, the commitment signed, someone taken out, closed.
    four = session(4, "Komitmen bersama")
    carry.import_groups(db, facilitator=fac, session_id=four.id, source_session_id=three.id,
                        group_ids=[rated[0].group_id])
    phase(four, "results")
    sessions.update_session(db, facilitator=fac, session_id=four.id, commitment_open=True)
    people_four = room(four, ROOM[:3] + [("Penyusup", "lainnya", "-")])
    commitments.sign(db, participant=people_four[0], name="Rina Marlina", position="Kepala Dinas",
                     organization="Diskominfo")
    commitments.sign(db, participant=people_four[2], name="Sari Dewi", position="Sekretaris", organization="Bappeda")
    participants.remove(db, facilitator=fac, participant_id=people_four[3].id)
    phase(four, "closed")
    privacy.update(db, facilitator=fac, workshop_id=workshop.id, privacy_notice=NOTICE, retention_days=30)
    return workshop.id


@dataclass
class Source:
    url: str
    folder: Path
    workshop_id: int
    data: bytes  # the archive, exported through the API


@pytest.fixture(scope="module")
def source(sqlite_template, tmp_path_factory) -> Iterator[Source]:
    folder = tmp_path_factory.mktemp("archive-source")
    url = sqlite_copy(sqlite_template, folder, "source")
    app = make_app(url, folder)
    with app.state.sessions() as db:
        workshop_id = build_workshop(db)
    with TestClient(app) as client:
        owner = Api(client).login("pemilik@kominfo.go.id")
        r = client.get(f"/api/v1/workshops/{workshop_id}/archive", headers=owner)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/zip"
        assert r.headers["content-disposition"].startswith('attachment; filename="rembuk-arsip-')
    app.state.engine.dispose()
    yield Source(url, folder, workshop_id, r.content)


# --- what a reader compares: the downloads and the board, ids left out -----------------------------------------

VOLATILE = {"generated_at", "join_code", "join_url", "qr_url", "last_seq", "seq", "facilitator", "server_now"}


def without_ids(value: Any) -> Any:
    """``value`` with every id, and what names the server or the moment of the
    download, left out; a map keyed by ids (voters, raters) becomes its values in id
    order (new ids keep the old order)."""
    if isinstance(value, dict):
        if value and all(isinstance(k, str) and k.isdigit() for k in value):
            return [without_ids(value[k]) for k in sorted(value, key=int)]
        return {k: without_ids(v) for k, v in value.items()
                if k not in VOLATILE and k != "id" and not k.endswith("_id")}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def rows_of(app, workshop_id: int) -> dict[str, int]:
    """Rows per table of the workshop's sessions (what no download shows counts too:
    who gave which "+1")."""
    from app.models import Stage

    with app.state.sessions() as db:
        ids = select(Session.id).join(Stage, Stage.id == Session.stage_id).where(Stage.workshop_id == workshop_id)
        return {t.name: db.scalar(select(func.count()).select_from(t).where(t.c.session_id.in_(ids)))
                for t in SQLModel.metadata.sorted_tables
                if "session_id" in t.c and t.name not in ("event", "vote_receipt", "session_share", "audit_entry")}


def seen(url: str, folder: Path, email: str, workshop_id: int) -> dict[str, Any]:
    """What the facilitator downloads and sees of a workshop on one server."""
    app = make_app(url, folder)
    with TestClient(app) as client:
        headers = Api(client).login(email)

        def get(path: str) -> Any:
            r = client.get(path, headers=headers)
            assert r.status_code == 200, (path, r.text)
            return r.json()

        stages = get(f"/api/v1/workshops/{workshop_id}")["stages"]
        ids = [s["id"] for stage in stages for s in get(f"/api/v1/stages/{stage['id']}/sessions")]
        out = {
            "rows": rows_of(app, workshop_id),
            "workshop": get(f"/api/v1/workshops/{workshop_id}/summary.json"),
            "attendance": get(f"/api/v1/workshops/{workshop_id}/attendance"),
            "roadmap": get(f"/api/v1/workshops/{workshop_id}/roadmap"),
            "sessions": [get(f"/api/v1/sessions/{sid}/summary.json") for sid in ids],
            "boards": [get(f"/api/v1/sessions/{sid}/board") for sid in ids],
        }
    app.state.engine.dispose()
    return out


def import_through_api(url: str, folder: Path, data: bytes, email: str, name: str) -> tuple[int, bytes]:
    """Import as a new facilitator of that server; returns the new workshop's id and its archive."""
    app = make_app(url, folder)
    with TestClient(app) as client:
        api = Api(client)
        headers = api.facilitator(email, name=name)
        r = client.post("/api/v1/workshops/import", content=data, headers={**headers, "Content-Type": "application/zip"})
        assert r.status_code == 201, r.text
        workshop = r.json()
        assert r.headers["location"] == f"/api/v1/workshops/{workshop['id']}"
        assert client.get(r.headers["location"], headers=headers).json() == workshop
        again = client.get(f"/api/v1/workshops/{workshop['id']}/archive", headers=headers)
        assert again.status_code == 200
    app.state.engine.dispose()
    return workshop["id"], again.content


@pytest.mark.database
def test_a_workshop_moves_to_another_rembuk_and_back_with_the_same_downloads(
        source, database_url, tmp_path, sqlite_template):
    """SQLite → the test's database → a fresh SQLite: the same summary.json of every
    session and of the workshop, the same attendance, roadmap and boards."""
    before = seen(source.url, source.folder, "pemilik@kominfo.go.id", source.workshop_id)
    middle_id, middle_archive = import_through_api(database_url, tmp_path, source.data, "pindah@kominfo.go.id",
                                                   "Eko Pindahan")
    middle = seen(database_url, tmp_path, "pindah@kominfo.go.id", middle_id)
    back_url = sqlite_copy(sqlite_template, tmp_path, "back")
    back_id, _ = import_through_api(back_url, tmp_path, middle_archive, "kembali@kominfo.go.id", "Fajar Kembali")
    back = seen(back_url, tmp_path, "kembali@kominfo.go.id", back_id)

    assert len(before["sessions"]) == 5
    assert before["sessions"][-1]["commitments"] and before["sessions"][3]["dimensions"]
    assert all(before["rows"].values()), before["rows"]  # every kind of row is there to move
    for after in (middle, back):
        assert without_ids(after) == without_ids(before)
    # The importer owns the imported workshop: the downloads name them.
    assert middle["sessions"][0]["facilitator"] == "Eko Pindahan"
    assert back["workshop"]["facilitator"] == "Fajar Kembali"


def test_an_imported_session_starts_its_log_with_one_event_and_runs_on(source, app, client, api):
    owner = api.facilitator("pindah@kominfo.go.id")
    r = client.post("/api/v1/workshops/import", content=source.data, headers=owner)
    assert r.status_code == 201, r.text
    stages = r.json()["stages"]
    assert [s["number"] for s in stages] == [1, 2, 3, 4]
    three = client.get(f"/api/v1/stages/{stages[2]['id']}/sessions", headers=owner).json()[0]
    assert three["last_seq"] == 1 and three["phase"] == "results"
    assert three["timer"]["state"] == "running" and three["focus"]["group_id"] is not None
    with app.state.sessions() as db:
        from app.models import Event

        kinds = db.scalars(select(Event.type).where(Event.session_id == three["id"])).all()
    assert kinds == ["session.imported"]
    # The prepared session of Tahap I runs here now: phones join, send, and the board follows.
    draft = client.get(f"/api/v1/stages/{stages[0]['id']}/sessions", headers=owner).json()[1]
    assert draft["phase"] == "draft" and draft["board_view"] == "cloud" and not draft["reactions_enabled"]
    api.phase(owner, draft["id"], "brainstorm")
    idea = api.idea(api.join(draft["join_code"], "Lina"), "Visi: nagari cerdas", "society")
    assert [g["id"] for g in api.board(owner, draft["id"])["groups"]] == [idea["group_id"]]
    # Its pages draw the imported state (the console's focus and timer, the projector).
    login(client, "pindah@kominfo.go.id")
    for page in (f"/console/sessions/{three['id']}", f"/board/{three['id']}", f"/console/workshops/{r.json()['id']}"):
        assert client.get(page).status_code == 200, page
    # The workshop's console page offers its archive, downloaded with the console's login.
    link = f"/api/v1/workshops/{r.json()['id']}/archive"
    assert f'href="{link}"' in client.get(f"/console/workshops/{r.json()['id']}").text
    assert client.get(link).headers["content-type"] == "application/zip"
    # The same file again: a second workshop; open sessions whose code is now taken get new ones.
    again = client.post("/api/v1/workshops/import", content=source.data, headers=owner)
    assert again.status_code == 201
    codes = [s["join_code"] for stage in (stages, again.json()["stages"])
             for s in client.get(f"/api/v1/stages/{stage[2]['id']}/sessions", headers=owner).json()]
    assert len(set(codes)) == 2


# --- bad files: refused with a message a person can act on, nothing written --------------------------------------

def document(data: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return json.loads(zf.read("workshop.json"))


def zipped(doc: dict[str, Any] | bytes, member: str = "workshop.json") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, doc if isinstance(doc, bytes) else json.dumps(doc))
    return out.getvalue()


def changed(doc: dict[str, Any], edit) -> bytes:
    copy = json.loads(json.dumps(doc))
    edit(copy)
    return zipped(copy)


def first_session(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["stages"][0]["sessions"][0]


def row_counts(app) -> dict[str, int]:
    with app.state.sessions() as db:
        return {t.name: db.scalar(select(func.count()).select_from(t)) for t in SQLModel.metadata.sorted_tables}


def bad_files(data: bytes) -> dict[str, tuple[bytes, str]]:
    """name → (file, words the Indonesian message must contain)."""
    doc = document(data)
    foreign = "bukan arsip lokakarya Rembuk"
    damaged = "rusak atau tidak lengkap"
    return {
        "empty": (b"", foreign),
        "a photo": (b"\x89PNG\r\n\x1a\n" + bytes(200), foreign),
        "another program's JSON": (json.dumps({"format": "trello-board", "version": 1}).encode(), foreign),
        "a zip of something else": (zipped(b"hello", member="notes.txt"), foreign),
        "a zip cut in half": (data[: len(data) // 2], damaged),
        "its JSON cut short": (json.dumps(doc).encode()[:-100], damaged),
        "from a newer Rembuk": (changed(doc, lambda d: d.update(version=VERSION + 1)),
                                f"Rembuk versi lebih baru (format {VERSION + 1})"),
        "a version that is text": (changed(doc, lambda d: d.update(version="1")), damaged),
        "no stages": (changed(doc, lambda d: d.pop("stages")), "stages"),
        "a rating of 9": (changed(doc, lambda d: d["stages"][2]["sessions"][0]["scores"][0].update(impact=9)),
                          "impact"),
        "an idea in no group": (changed(doc, lambda d: first_session(d)["ideas"][0].update(group_id=999999)),
                                "group"),
        "an unknown phase": (changed(doc, lambda d: first_session(d).update(phase="dancing")), "phase"),
        "a field it does not know": (changed(doc, lambda d: first_session(d).update(colour="red")), "colour"),
        "a number no column holds": (changed(doc, lambda d: first_session(d)["groups"][0].update(
            source_votes=2**40)), "source_votes"),
        "a NUL in a name": (changed(doc, lambda d: first_session(d)["participants"][0].update(name="Rina\x00")),
                            "NUL"),
        "a broken character": (changed(doc, lambda d: first_session(d)["ideas"][0].update(text="Antrean \ud800")),
                               "ideas.0.text"),
        "lineage to nowhere": (changed(doc, lambda d: d["stages"][1]["sessions"][0]["groups"][0].update(
            source_group_id=424242)), "424242"),
    }


def test_bad_archives_are_refused_with_a_clear_422_and_change_nothing(source, app, client, api):
    owner = api.facilitator()
    counts = row_counts(app)
    failures = []
    for name, (body, words) in bad_files(source.data).items():
        r = client.post("/api/v1/workshops/import", content=body, headers=owner)
        detail = r.json().get("detail")
        if r.status_code != 422 or not isinstance(detail, str) or words not in detail:
            failures.append(f"{name}: {r.status_code} {detail!r}")
    assert not failures, "\n".join(failures)
    assert row_counts(app) == counts
    newer = client.post("/api/v1/workshops/import?lang=en", content=bad_files(source.data)["from a newer Rembuk"][0],
                        headers=owner)
    assert newer.json()["detail"] == (
        f"The archive was made by a newer Rembuk (format {VERSION + 1}); update Rembuk to import it.")


def test_a_version_1_archive_imports_with_the_later_settings_at_their_defaults(source, app, client, api):
    """Made before moderation, ``open_until``, held and late ideas and the word filter
    existed: it has none of those fields, and imports as if they were off."""
    owner = api.facilitator()

    def as_version_1(d: dict[str, Any]) -> None:
        d["version"] = 1
        for name in ("word_filter", "privacy_notice", "retention_days"):
            d["workshop"].pop(name)
        for stage in d["stages"]:
            for session in stage["sessions"]:
                session.pop("moderation")
                session.pop("open_until")
                for idea in session["ideas"]:
                    for name in ("pending", "held_for", "after_session"):
                        idea.pop(name)

    r = client.post("/api/v1/workshops/import", content=changed(document(source.data), as_version_1), headers=owner)
    assert r.status_code == 201, r.text
    sessions = [s for stage in document(client.get(f"/api/v1/workshops/{r.json()['id']}/archive",
                                                   headers=owner).content)["stages"] for s in stage["sessions"]]
    assert sessions and all(s["moderation"] == "off" and s["open_until"] is None for s in sessions)
    assert all(not i["pending"] and not i["after_session"] for s in sessions for i in s["ideas"])


def test_the_privacy_notice_and_retention_move_with_the_workshop_and_retention_restarts(source, app, client, api):
    """The owner's notice and retention come along; a closed session's names arrive on
    this server at the import, so its retention counts from then."""
    owner = api.facilitator()
    before = utcnow()
    r = client.post("/api/v1/workshops/import", content=source.data, headers=owner)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["privacy_notice"], body["retention_days"]) == (NOTICE, 30)
    assert document(client.get(f"/api/v1/workshops/{body['id']}/archive", headers=owner).content)["workshop"][
        "privacy_notice"] == NOTICE
    with app.state.sessions() as db:
        imported = [s for stage in workshops.stages(db, body["id"]) for s in sessions.list_for_stage(db, stage.id)]
    assert all((s.closed_at is not None) == (s.phase == "closed") for s in imported)
    assert all(before <= s.closed_at <= utcnow() for s in imported if s.closed_at)


def test_an_archive_before_version_3_imports_with_the_default_notice_and_retention(source, client, api):
    owner = api.facilitator()

    def as_version_2(d: dict[str, Any]) -> None:
        d["version"] = 2
        d["workshop"].pop("privacy_notice")
        d["workshop"].pop("retention_days")

    r = client.post("/api/v1/workshops/import", content=changed(document(source.data), as_version_2), headers=owner)
    assert r.status_code == 201, r.text
    assert (r.json()["privacy_notice"], r.json()["retention_days"]) == (None, 90)
    kept = changed(document(source.data), lambda d: d["workshop"].update(retention_days=None, privacy_notice=None))
    r = client.post("/api/v1/workshops/import", content=kept, headers=owner)
    assert (r.json()["privacy_notice"], r.json()["retention_days"]) == (None, None)
    for bad in (0, 3651, "sembilan puluh"):
        wrong = changed(document(source.data), lambda d, bad=bad: d["workshop"].update(retention_days=bad))
        assert client.post("/api/v1/workshops/import", content=wrong, headers=owner).status_code == 422


def test_an_archive_over_the_size_limit_is_a_413_before_it_is_read(source, tmp_path, sqlite_template):
    app = make_app(sqlite_copy(sqlite_template, tmp_path, "small"), tmp_path, archive_max_mb=1)
    with TestClient(app) as client:
        owner = Api(client).facilitator()
        counts = row_counts(app)
        big = source.data + bytes(2**20)
        r = client.post("/api/v1/workshops/import", content=big, headers=owner)
        assert r.status_code == 413 and "REMBUK_ARCHIVE_MAX_MB" in r.json()["detail"]
        bomb = zipped(b"{" + b" " * (20 * 2**20) + b"}")  # 20 KB that unpacks to 20 MB
        assert len(bomb) < 2**20
        assert client.post("/api/v1/workshops/import", content=bomb, headers=owner).status_code == 413
        assert row_counts(app) == counts
    app.state.engine.dispose()


# --- who may -----------------------------------------------------------------------------------------------------

def test_only_the_workshops_facilitators_download_it_and_strangers_import_nothing(source, app, client, api):
    owner = api.facilitator()
    workshop = api.workshop(owner)
    session = api.session(owner, workshop["stages"][0]["id"])
    phone = api.join(session["join_code"])
    other = api.facilitator()
    path = f"/api/v1/workshops/{workshop['id']}/archive"
    assert client.get(path, headers=other).status_code == 404  # as a missing id: no hint it exists
    assert client.get(path, headers=phone.headers).status_code == 403
    assert client.get(path).status_code == 401
    assert client.get(f"/api/v1/workshops/{workshop['id'] + 999}/archive", headers=owner).status_code == 404
    counts = row_counts(app)
    assert client.post("/api/v1/workshops/import", content=source.data).status_code == 401
    assert client.post("/api/v1/workshops/import", content=source.data, headers=phone.headers).status_code == 403
    assert row_counts(app) == counts
    # A co-facilitator added to the workshop may take it along.
    with app.state.sessions() as db:
        member = db.scalar(select(Facilitator).order_by(Facilitator.id.desc()))
        workshops.add_member(db, workshop=db.get(Workshop, workshop["id"]), facilitator=member)
    assert client.get(path, headers=other).status_code == 200


# --- the format itself ----------------------------------------------------------------------------------------------

def test_every_column_is_archived_or_left_out_with_a_reason(source):
    doc = Archive.model_validate(document(source.data))
    archived = {
        "workshop": set(type(doc.workshop).model_fields),
        "stage": set(type(doc.stages[0]).model_fields),
        "dimension": set(type(doc.dimensions[0]).model_fields),
        "sub_element": set(type(doc.dimensions[0].sub_elements[0]).model_fields),
    }
    session = doc.stages[0].sessions[0]
    archived["session"] = set(type(session).model_fields)
    for table, attribute in (("participant", "participants"), ("idea_group", "groups"), ("idea", "ideas"),
                             ("reaction", "reactions"), ("vote", "votes"), ("score", "scores"),
                             ("commitment", "commitments")):
        row_model = type(session).model_fields[attribute].annotation.__args__[0]
        archived[table] = set(row_model.model_fields)
    problems = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name in NOT_ARCHIVED:
            continue
        if table.name not in archived:
            problems.append(f"table {table.name}: neither archived nor in NOT_ARCHIVED")
            continue
        for column in table.columns:
            if column.name not in archived[table.name] and column.name not in LEFT_OUT.get(table.name, {}):
                problems.append(f"{table.name}.{column.name}: neither archived nor in LEFT_OUT")
    assert not problems, "\n".join(problems)


def test_the_archive_says_what_it_is(source):
    doc = document(source.data)
    assert doc["format"] == "rembuk-workshop" and doc["version"] == VERSION == 3
    assert doc["created_at"] and doc["app_version"]
    assert [s["number"] for s in doc["stages"]] == [1, 2, 3, 4]


# --- the command line ----------------------------------------------------------------------------------------------

def test_export_and_import_from_the_command_line(source, tmp_path, sqlite_template, monkeypatch, capsys):
    def run(url: str, *args: str) -> tuple[int, str, str]:
        monkeypatch.setenv("REMBUK_DATABASE_URL", url)
        monkeypatch.setenv("REMBUK_SECRET_KEY", SECRET)
        monkeypatch.setenv("REMBUK_VAR_DIR", str(tmp_path / "var"))
        code = cli(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    file = tmp_path / "bimtek.zip"
    code, out, _err = run(source.url, "export-workshop", str(source.workshop_id), str(file))
    assert code == 0 and str(file) in out and "Bimtek Smart City" in out
    assert document(file.read_bytes()) | {"created_at": None} == document(source.data) | {"created_at": None}
    assert run(source.url, "export-workshop", "999", str(tmp_path / "x.zip"))[0] == 1

    target = sqlite_copy(sqlite_template, tmp_path, "target")
    code, _out, err = run(target, "import-workshop", str(file))
    assert code == 1 and "create-facilitator" in err  # nobody to own it yet
    engine = create_db_engine(Settings(database_url=target, secret_key=SECRET, var_dir=tmp_path))
    from app.db import make_sessionmaker
    from app.realtime.broker import MemoryBroker

    with make_sessionmaker(engine, MemoryBroker())() as db:
        for who in ("satu", "dua"):
            facilitators.create_facilitator(db, email=f"{who}@kominfo.go.id", password=PASSWORD)
    code, _out, err = run(target, "import-workshop", str(file))
    assert code == 1 and "--owner" in err
    code, out, err = run(target, "import-workshop", str(file), "--owner", "dua@kominfo.go.id")
    assert code == 0, err
    assert "dua@kominfo.go.id" in out and "5 sessions" in out and "imported from" in out
    bad = tmp_path / "bad.zip"
    bad.write_bytes(file.read_bytes()[:500])
    code, _out, err = run(target, "import-workshop", str(bad), "--owner", "dua@kominfo.go.id")
    assert code == 1 and "damaged or incomplete" in err
    with make_sessionmaker(engine, MemoryBroker())() as db:
        owners = db.scalars(select(Workshop.owner_id)).all()
        dua = db.scalar(select(Facilitator.id).where(Facilitator.email == "dua@kominfo.go.id"))
    engine.dispose()
    assert owners == [dua]
