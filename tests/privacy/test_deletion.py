"""Deleting a session or a whole workshop: every row of it goes (found from the schema,
not from a list in the test), the rest stays as it was, the audit log keeps a note,
the bytes leave the SQLite files, its join code stops working, only the owner may do
it, and the console asks for the typed title or code first."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from tests.builders import Api, Phone

Rows = dict[str, dict[tuple, dict[str, Any]]]  # table -> primary key -> row
COMMITMENT = {"name": "", "position": "Kepala Bidang", "organization": "Diskominfo"}


@dataclass
class Rich:
    """A workshop with everything a session can hold, and another one beside it."""

    owner: dict[str, str]
    co: dict[str, str]
    scribe: dict[str, str]
    stranger: dict[str, str]
    workshop_id: int
    first: dict  # stage I: ideas, groups, dots (with receipts), ratings, "+1", signatures, a link
    later: dict  # stage II: groups carried forward from ``first``
    elsewhere: dict  # a session of the stranger's own workshop
    phones: list[Phone]
    name: str  # a participant's name found nowhere else
    idea_text: str  # an idea's text found nowhere else (not carried forward)


def rich_workshop(api: Api) -> Rich:
    tag = uuid.uuid4().hex[:10]
    owner, stranger = api.facilitator(), api.facilitator()
    co_email, scribe_email = f"ko-{tag}@kominfo.go.id", f"notulis-{tag}@kominfo.go.id"
    co, scribe = api.facilitator(co_email), api.facilitator(scribe_email)
    workshop = api.workshop(owner, title=f"Bimtek {tag}")
    for email, role in ((co_email, "co_facilitator"), (scribe_email, "scribe")):
        r = api.client.post(
            f"/api/v1/workshops/{workshop['id']}/members", headers=owner, json={"email": email, "role": role}
        )
        assert r.status_code == 201, r.text
    stage_one, stage_two = (stage["id"] for stage in workshop["stages"][:2])
    first = api.session(owner, stage_one, title=f"Isu Tahap I {tag}", anonymous=False, vote_budget=10)
    # The idea with no dot is not carried forward: its text is only in this session.
    name, idea_text = f"Rina Unik{tag}", f"Bank sampah digital {tag}"
    rina = api.join(first["join_code"], name, "opd", f"Dinas {tag}")
    budi = api.join(first["join_code"], "Budi", "rsud", "RSUD Pariaman")
    ideas = [
        api.idea(rina, "Antrean daring RSUD", "living"),
        api.idea(budi, "Satu data kependudukan", "governance"),
        api.idea(rina, idea_text, "environment"),
    ]
    r = api.client.post(f"/api/v1/ideas/{ideas[0]['id']}/reactions", headers=budi.headers)
    assert r.status_code == 201, r.text
    api.phase(owner, first["id"], "vote")
    for phone, idea in ((rina, ideas[0]), (budi, ideas[0]), (budi, ideas[1])):
        r = api.client.post(
            f"/api/v1/groups/{idea['group_id']}/votes", headers={**phone.headers, "Idempotency-Key": uuid.uuid4().hex}
        )
        assert r.status_code == 201, r.text
    api.phase(owner, first["id"], "score")
    for phone in (rina, budi):
        r = api.client.put(
            f"/api/v1/groups/{ideas[0]['group_id']}/score", headers=phone.headers, json={"impact": 4, "feasibility": 3}
        )
        assert r.status_code in (200, 201), r.text
    r = api.client.patch(f"/api/v1/sessions/{first['id']}", headers=owner, json={"commitment_open": True})
    assert r.status_code == 200, r.text
    r = api.client.post(
        f"/api/v1/sessions/{first['id']}/commitments", headers=rina.headers, json={**COMMITMENT, "name": name}
    )
    assert r.status_code in (200, 201), r.text
    r = api.client.post(f"/api/v1/sessions/{first['id']}/share", headers=owner)
    assert r.status_code == 201, r.text
    api.phase(owner, first["id"], "results")
    later = api.session(owner, stage_two, title=f"Program Tahap II {tag}")
    r = api.client.post(
        f"/api/v1/sessions/{later['id']}/import", headers=owner, json={"source_session_id": first["id"], "top": 2}
    )
    assert r.status_code in (200, 201), r.text
    sari = api.join(later["join_code"], "Sari", "opd", "Bappeda")
    api.idea(sari, "Wifi publik di kantor desa", "governance")
    other = api.workshop(stranger, title=f"Bimtek lain {tag}")
    elsewhere = api.session(stranger, other["stages"][0]["id"], title="Sesi lain")
    api.idea(api.join(elsewhere["join_code"], "Eko"), "Pasar daring UMKM", "economy")
    return Rich(
        owner, co, scribe, stranger, workshop["id"], first, later, elsewhere, [rina, budi, sari], name, idea_text
    )


# --- the database, read whole ------------------------------------------------------------------------


def read_all(engine: Engine) -> Rows:
    import app.models  # noqa: F401 - the tables

    out: Rows = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            keys = [column.name for column in table.primary_key.columns]
            out[table.name] = {
                tuple(row[k] for k in keys): dict(row) for row in (r._mapping for r in conn.execute(select(table)))
            }
    return out


def belonging_to(rows: Rows, table_name: str, key: int) -> set[tuple[str, tuple]]:
    """Every row that belongs to ``table_name`` #``key``, by the schema alone: a row
    belongs to what its NOT NULL foreign keys point at (a session's idea, a group's
    vote, a workshop's stage and, through it, its sessions). Nullable foreign keys
    are references, not ownership (an idea's author, a carried group's source)."""
    owned = {(table_name, (key,))}
    for table in SQLModel.metadata.sorted_tables:  # parents before children
        links = [
            (column.name, fk.column.table.name)
            for column in table.columns
            if not column.nullable
            for fk in column.foreign_keys
        ]
        for pk, row in rows[table.name].items():
            if any((parent, (row[name],)) in owned for name, parent in links):
                owned.add((table.name, pk))
    return owned


def references(rows: Rows, owned: set[tuple[str, tuple]]) -> dict[tuple[str, tuple], set[str]]:
    """Rows that are not ``owned`` but point at an owned row (nullable foreign keys):
    the columns that must be null after the deletion."""
    out: dict[tuple[str, tuple], set[str]] = {}
    for table in SQLModel.metadata.sorted_tables:
        for pk, row in rows[table.name].items():
            if (table.name, pk) in owned:
                continue
            for column in table.columns:
                for fk in column.foreign_keys:
                    if (fk.column.table.name, (row[column.name],)) in owned:
                        out.setdefault((table.name, pk), set()).add(column.name)
    return out


def assert_only_that_went(before: Rows, after: Rows, owned: set[tuple[str, tuple]]) -> None:
    """Every owned row is gone from every table; every other row is as it was, except
    links to what went (set to null) and the audit log (which only grows)."""
    links = references(before, owned)
    assert any(table != "audit_entry" for table, _ in owned)
    for table in SQLModel.metadata.sorted_tables:
        if table.name == "audit_entry":
            assert before[table.name].items() <= after[table.name].items(), "an audit entry changed or went"
            continue
        gone = {pk for (name, pk) in owned if name == table.name}
        left = gone & after[table.name].keys()
        assert not left, f"{table.name}: rows of the deleted data are still there: {sorted(left)[:5]}"
        kept = {pk: row for pk, row in before[table.name].items() if pk not in gone}
        assert kept.keys() == after[table.name].keys(), f"{table.name}: rows came or went that should not have"
        for pk, row in kept.items():
            now = after[table.name][pk]
            nulled = links.get((table.name, pk), set())
            if "source_group_id" in nulled:
                nulled = nulled | {"source_votes"}  # the count there, meaningless without the source
            for column in nulled:
                assert now[column] is None, f"{table.name} {pk}: {column} still points at deleted data"
            assert {k: v for k, v in now.items() if k not in nulled} == {
                k: v for k, v in row.items() if k not in nulled
            }, f"{table.name} {pk} changed"


def new_audit(before: Rows, after: Rows) -> list[dict[str, Any]]:
    return [row for pk, row in after["audit_entry"].items() if pk not in before["audit_entry"]]


# --- deleting a session --------------------------------------------------------------------------------


@pytest.mark.database
def test_deleting_a_session_removes_every_row_of_it_and_nothing_else(api, app):
    rich = rich_workshop(api)
    engine = app.state.engine
    before = read_all(engine)
    owned = belonging_to(before, "session", rich.first["id"])
    kinds = {name for name, _ in owned}
    # The builder reached every kind of row a session holds (else the check below is weak).
    assert {
        "session",
        "participant",
        "idea",
        "idea_group",
        "vote",
        "vote_receipt",
        "score",
        "reaction",
        "commitment",
        "session_share",
        "event",
    } <= kinds, kinds
    carried = references(before, owned)
    assert {table for table, _ in carried} >= {"idea_group", "idea"}, "the later session carried nothing"

    r = api.client.delete(f"/api/v1/sessions/{rich.first['id']}", headers=rich.owner)
    assert r.status_code == 204, r.text
    assert r.content == b""

    after = read_all(engine)
    assert_only_that_went(before, after, owned)
    [entry] = new_audit(before, after)
    assert entry["action"] == "session.deleted"
    assert entry["session_id"] == rich.first["id"] and entry["workshop_id"] == rich.workshop_id
    assert rich.first["title"] in entry["target"] and rich.name not in entry["target"]
    # The later session keeps what it carried: its board shows the groups, without an origin.
    board = api.board(rich.owner, rich.later["id"])
    assert len(board["groups"]) == 3 and all(group["origin"] is None for group in board["groups"])
    assert api.client.get(f"/api/v1/sessions/{rich.first['id']}", headers=rich.owner).status_code == 404
    assert api.client.delete(f"/api/v1/sessions/{rich.first['id']}", headers=rich.owner).status_code == 404


@pytest.mark.database
def test_deleting_a_workshop_removes_everything_of_it_and_nothing_else(api, app):
    rich = rich_workshop(api)
    engine = app.state.engine
    before = read_all(engine)
    owned = belonging_to(before, "workshop", rich.workshop_id)
    kinds = {name for name, _ in owned}
    assert {
        "workshop",
        "stage",
        "dimension",
        "sub_element",
        "workshop_member",
        "session",
        "participant",
        "idea",
        "idea_group",
        "vote",
        "vote_receipt",
        "score",
        "reaction",
        "commitment",
        "session_share",
        "event",
    } <= kinds, kinds

    r = api.client.delete(f"/api/v1/workshops/{rich.workshop_id}", headers=rich.owner)
    assert r.status_code == 204, r.text

    after = read_all(engine)
    assert_only_that_went(before, after, owned)
    [entry] = new_audit(before, after)
    assert entry["action"] == "workshop.deleted" and entry["workshop_id"] == rich.workshop_id
    assert entry["session_id"] is None and rich.name not in entry["target"]
    # Its earlier entries stay too (the owner cannot reach them through the workshop any more).
    assert all(row in after["audit_entry"].values() for row in before["audit_entry"].values())
    for path in (f"/api/v1/workshops/{rich.workshop_id}", f"/api/v1/sessions/{rich.later['id']}"):
        assert api.client.get(path, headers=rich.owner).status_code == 404
    listed = api.client.get("/api/v1/workshops", headers=rich.owner).json()
    assert rich.workshop_id not in {w["id"] for w in listed}
    assert api.board(rich.stranger, rich.elsewhere["id"])["groups"], "the other workshop lost its ideas"


def test_the_bytes_leave_the_sqlite_files(api, app):
    """A name and an idea text are nowhere in the database file or its write-ahead log
    once the session is deleted (``secure_delete`` and the checkpoint after it)."""
    rich = rich_workshop(api)
    path = Path(app.state.settings.resolved_database_url.split("///", 1)[1])

    def on_disk() -> bytes:
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    assert rich.name.encode() in on_disk() and rich.idea_text.encode() in on_disk()
    r = api.client.delete(f"/api/v1/sessions/{rich.first['id']}", headers=rich.owner)
    assert r.status_code == 204, r.text
    data = on_disk()
    assert rich.name.encode() not in data, "the participant's name is still in the files"
    assert rich.idea_text.encode() not in data, "the idea's text is still in the files"


def test_the_join_code_and_the_phones_stop_working(api):
    rich = rich_workshop(api)
    code, session_id = rich.first["join_code"], rich.first["id"]
    rina = rich.phones[0]
    assert api.client.delete(f"/api/v1/sessions/{session_id}", headers=rich.owner).status_code == 204

    r = api.client.post(
        "/api/v1/join", json={"join_code": code, "name": "Telat", "organization_type": "opd", "organization": "Bappeda"}
    )
    assert r.status_code == 404 and "Kode tidak ditemukan" in r.json()["detail"]
    assert api.client.get(f"/j/{code}").status_code == 404
    # A phone's token for the gone session: refused as a token of nobody, never a 500.
    for method, path, body in (
        ("GET", f"/api/v1/sessions/{session_id}/board", None),
        ("GET", f"/api/v1/sessions/{session_id}/events", None),
        ("POST", f"/api/v1/sessions/{session_id}/ideas", {"text": "Masih ada?", "dimension": "living"}),
        ("POST", f"/api/v1/groups/{rich.first['id']}/votes", None),
    ):
        r = api.client.request(method, path, headers=rina.headers, json=body)
        assert r.status_code in (401, 403, 404, 410), (path, r.status_code, r.text)
    # Every facilitator route given the deleted id: 404.
    for path in (
        f"/api/v1/sessions/{session_id}",
        f"/api/v1/sessions/{session_id}/board",
        f"/api/v1/sessions/{session_id}/summary.md",
        f"/api/v1/sessions/{session_id}/events",
    ):
        assert api.client.get(path, headers=rich.owner).status_code == 404, path
    assert (
        api.client.post(f"/api/v1/sessions/{session_id}/phase", headers=rich.owner, json={"phase": "vote"}).status_code
        == 404
    )


def test_only_the_owner_deletes(api):
    rich = rich_workshop(api)
    for path in (f"/api/v1/sessions/{rich.first['id']}", f"/api/v1/workshops/{rich.workshop_id}"):
        for headers in (rich.co, rich.scribe):
            r = api.client.delete(path, headers=headers)
            assert r.status_code == 403, r.text
            assert "pemilik" in r.json()["detail"]  # what their role may do, in Indonesian
        assert api.client.delete(path, headers=rich.stranger).status_code == 404
        assert api.client.delete(path).status_code == 401
        assert api.client.delete(path, headers=rich.phones[0].headers).status_code == 403
    assert api.client.get(f"/api/v1/sessions/{rich.first['id']}", headers=rich.owner).status_code == 200


# --- the console ------------------------------------------------------------------------------------


def console_of(app, headers: dict[str, str]):
    from fastapi.testclient import TestClient

    from app.security import FACILITATOR_COOKIE

    browser = TestClient(app, follow_redirects=False)
    browser.cookies.set(FACILITATOR_COOKIE, headers["Authorization"].split()[1])
    return browser


def test_the_console_asks_for_the_join_code_then_deletes_the_session(api, app):
    rich = rich_workshop(api)
    session_id = rich.first["id"]
    with console_of(app, rich.owner) as owner:
        page = owner.get(f"/console/sessions/{session_id}")
        assert f'href="/console/sessions/{session_id}/delete"' in page.text and "Hapus sesi" in page.text
        confirm = owner.get(f"/console/sessions/{session_id}/delete")
        assert confirm.status_code == 200
        assert f"/api/v1/sessions/{session_id}/summary.docx" in confirm.text  # the downloads come first
        assert f"/api/v1/workshops/{rich.workshop_id}/archive" in confirm.text
        assert rich.first["join_code"] in confirm.text

        wrong = owner.post(f"/console/sessions/{session_id}/delete", data={"confirmation": "HAPUS"})
        assert wrong.status_code == 422
        assert "Yang Anda ketik tidak cocok. Tidak ada yang dihapus." in wrong.text
        assert api.client.get(f"/api/v1/sessions/{session_id}", headers=rich.owner).status_code == 200

        done = owner.post(
            f"/console/sessions/{session_id}/delete", data={"confirmation": f" {rich.first['join_code'].lower()} "}
        )
        assert done.status_code == 303
        assert done.headers["location"] == f"/console/workshops/{rich.workshop_id}?deleted=session"
        landed = owner.get(done.headers["location"])
        assert "Sesi sudah dihapus beserta seluruh isinya." in landed.text
        assert rich.first["title"] not in landed.text
        assert owner.get(f"/console/sessions/{session_id}").status_code == 404


def test_the_console_asks_for_the_title_then_deletes_the_workshop(api, app):
    rich = rich_workshop(api)
    workshop_id = rich.workshop_id
    title = api.client.get(f"/api/v1/workshops/{workshop_id}", headers=rich.owner).json()["title"]
    with console_of(app, rich.owner) as owner:
        assert "Hapus Bimtek" in owner.get(f"/console/workshops/{workshop_id}").text
        confirm = owner.get(f"/console/workshops/{workshop_id}/delete")
        assert confirm.status_code == 200 and f"/api/v1/workshops/{workshop_id}/archive" in confirm.text
        wrong = owner.post(f"/console/workshops/{workshop_id}/delete", data={"confirmation": title + " x"})
        assert wrong.status_code == 422 and "Tidak ada yang dihapus" in wrong.text
        assert api.client.get(f"/api/v1/workshops/{workshop_id}", headers=rich.owner).status_code == 200
        done = owner.post(f"/console/workshops/{workshop_id}/delete", data={"confirmation": title})
        assert done.status_code == 303 and done.headers["location"] == "/console?deleted=workshop"
        landed = owner.get(done.headers["location"])
        assert "Bimtek sudah dihapus." in landed.text and title not in landed.text
    for headers in (rich.co, rich.scribe):
        with console_of(app, headers) as member:
            assert member.get(f"/console/workshops/{workshop_id}").status_code == 404


def test_the_team_sees_no_delete_controls_and_cannot_use_them(api, app):
    rich = rich_workshop(api)
    session_id, workshop_id = rich.first["id"], rich.workshop_id
    for headers in (rich.co, rich.scribe):
        with console_of(app, headers) as member:
            assert "/delete" not in member.get(f"/console/sessions/{session_id}").text
            assert "/delete" not in member.get(f"/console/workshops/{workshop_id}").text
            assert member.get(f"/console/sessions/{session_id}/delete").status_code == 403
            r = member.post(f"/console/workshops/{workshop_id}/delete", data={"confirmation": "x"})
            assert r.status_code == 403
    assert api.client.get(f"/api/v1/workshops/{workshop_id}", headers=rich.owner).status_code == 200


def test_login_is_asked_first(client):
    r = client.get("/console/sessions/1/delete", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_every_route_given_a_deleted_session_answers_plainly(api, app):
    """Every route of the app that takes a session id, called by the owner with the id of
    a deleted session: a 404 (a phone page: the join form; a body checked first: 422; a
    phone's action: 403 to a facilitator), never a server error; the phone that was in
    it is refused too. The live streams are in test_deletion_streams.py."""
    rich = rich_workshop(api)
    assert api.client.delete(f"/api/v1/sessions/{rich.first['id']}", headers=rich.owner).status_code == 204
    assert sweep(app, rich, "{session_id}", rich.first["id"]) > 30


def test_every_route_given_a_deleted_workshop_answers_plainly(api, app):
    rich = rich_workshop(api)
    assert api.client.delete(f"/api/v1/workshops/{rich.workshop_id}", headers=rich.owner).status_code == 204
    assert sweep(app, rich, "{workshop_id}", rich.workshop_id) > 5
    assert sweep(app, rich, "{session_id}", rich.later["id"]) > 30


def sweep(app, rich: Rich, placeholder: str, gone: int) -> int:
    """Call every route with ``placeholder`` in its path, ``gone`` in its place (other
    ids 1), as the owner and as the deleted session's phone; returns how many calls."""
    from fastapi.routing import APIRoute
    from fastapi.testclient import TestClient

    from app.security import FACILITATOR_COOKIE, participant_cookie_name

    token = rich.owner["Authorization"].split()[1]
    try:
        from fastapi.routing import iter_route_contexts  # FastAPI keeps included routers lazily
    except ImportError:
        routes = [route for route in app.routes if isinstance(route, APIRoute)]
    else:
        routes = [c.original_route for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]
    phone = rich.phones[0]
    called = 0
    with TestClient(app, follow_redirects=False) as browser:
        for route in routes:
            if placeholder not in route.path or route.path.endswith(("/stream", "/events")):
                continue
            path = re.sub(r"\{\w+\}", "1", route.path.replace(placeholder, str(gone)))
            api_call = path.startswith("/api/")
            as_owner = rich.owner if api_call else {"Cookie": f"{FACILITATOR_COOKIE}={token}"}
            as_phone = (
                phone.headers if api_call else {"Cookie": f"{participant_cookie_name(phone.session_id)}={phone.token}"}
            )
            for method in route.methods - {"HEAD"}:
                called += 1
                r = browser.request(method, path, headers=as_owner)
                assert r.status_code < 500, (method, path, r.status_code, r.text[:200])
                if method == "GET" and path.startswith("/s/"):
                    assert r.status_code == 303 and r.headers["location"] == "/", (path, r.status_code)
                elif method == "GET":
                    assert r.status_code == 404, (method, path, r.status_code)
                else:  # (403: what only a phone does, refused to a facilitator first)
                    assert r.status_code in (303, 403, 404, 422), (method, path, r.status_code)
                answer = browser.request(method, path, headers=as_phone)
                assert answer.status_code in (303, 401, 403, 404, 410, 422), (method, path, answer.status_code)
    return called
