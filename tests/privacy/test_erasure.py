"""A participant erased: their name and office appear nowhere any more, and nothing
that counts has moved.

Nowhere: in no download (every summary format of the session and of the workshop,
the masterplan views, the workshop's archive), not on the board (the API, the
projector's and the console's pages), not in any event replayed from seq 0 (the JSON
stream and the projector's HTML stream, over a real HTTP connection), not in any
text or JSON column of any table, and on SQLite not in the bytes of the database
file nor of its write-ahead log. Nothing moved: votes, ratings, "+1", signatures,
the ranking and the counts per type of organisation are what they were.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from app.exports.formats import SESSION_FORMATS, WORKSHOP_FORMATS
from app.models import Participant
from app.security import FACILITATOR_COOKIE
from tests.builders import Api
from tests.support.documents import pdf_text
from tests.support.streams import Stream

pytestmark = [pytest.mark.server, pytest.mark.database]

NAME = "Rinawati Sukmadewi"
OFFICE = "Kantor Camat Sukmajaya"
POSITION = "Kasi Pelayanan Sukmawangi"
# Pieces of each, so a name split across a line or a cell is still found.
NEEDLES = ("rinawati", "sukmadewi", "sukmajaya", "sukmawangi")
OTHERS = ("Budi Santoso", "Dinas Kominfo")  # another person of the session: kept as they are


def found_in(text: str) -> list[str]:
    low = text.casefold()
    return [n for n in NEEDLES if n in low]


def file_text(ext: str, content: bytes) -> str:
    """What a reader of the file could find: every part of an Office file (its XML,
    document properties included), the PDF's text, any other file as text."""
    if ext in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    if ext == "pdf":
        return pdf_text(content)
    return content.decode("utf-8-sig")


def ok(response: httpx.Response, *codes: int) -> httpx.Response:
    assert response.status_code in (codes or (200,)), (response.status_code, response.text)
    return response


def build_room(api: Api, server) -> SimpleNamespace:
    """Every kind of record that can hold a name: a joined person with ideas (edited,
    hidden and shown, moved, reacted to), an anonymity switch that sends authors,
    dots, ratings, a signature, and the groups carried into the next stage."""
    fac = api.facilitator()
    remote = Api(httpx.Client(base_url=server.url, timeout=30))
    c = remote.client
    workshop = remote.workshop(fac)
    stage_one, stage_two = workshop["stages"][0]["id"], workshop["stages"][1]["id"]
    session = remote.session(fac, stage_one, title="Isu strategis daerah")
    sid, code = session["id"], session["join_code"]
    rina = remote.join(code, NAME, "opd", OFFICE)
    budi = remote.join(code, OTHERS[0], "opd", OTHERS[1])
    sari = remote.join(code, "Sari Wulandari", "pdam", "PDAM Tirta Anai")
    first = remote.idea(rina, "Antrean online puskesmas", "living")
    second = remote.idea(rina, "Peta jalan rusak daring", "governance")
    third = remote.idea(budi, "Satu data kependudukan", "governance")
    ok(c.patch(f"/api/v1/ideas/{first['id']}", headers=rina.headers, json={"text": "Antrean online puskesmas desa"}))
    ok(c.post(f"/api/v1/ideas/{first['id']}/reactions", headers=budi.headers), 201)
    ok(c.post(f"/api/v1/ideas/{third['id']}/reactions", headers=rina.headers), 201)
    for hidden in (True, False):
        ok(c.post(f"/api/v1/ideas/{second['id']}/visibility", headers=fac, json={"hidden": hidden}))
    ok(c.patch(f"/api/v1/sessions/{sid}", headers=fac, json={"anonymous": False, "live_votes": True}))
    remote.phase(fac, sid, "group")
    ok(c.post(f"/api/v1/ideas/{second['id']}/move", headers=fac, json={"group_id": third["group_id"]}))
    remote.phase(fac, sid, "vote")
    for phone, group, n in ((rina, first, 2), (budi, first, 1), (sari, third, 2), (rina, third, 1)):
        for _ in range(n):
            ok(c.post(f"/api/v1/groups/{group['group_id']}/votes", headers=phone.headers), 201)
    remote.phase(fac, sid, "score")
    for phone, group, impact in ((rina, first, 5), (budi, first, 3), (rina, third, 2), (sari, third, 4)):
        body = {"impact": impact, "feasibility": 4}
        ok(c.put(f"/api/v1/groups/{group['group_id']}/score", headers=phone.headers, json=body))
    remote.phase(fac, sid, "results")
    ok(c.patch(f"/api/v1/sessions/{sid}", headers=fac, json={"commitment_open": True}))
    for phone, who in ((rina, (NAME, POSITION, OFFICE)), (budi, (OTHERS[0], "Kepala Bidang", OTHERS[1]))):
        body = dict(zip(("name", "position", "organization"), who, strict=True))
        ok(c.post(f"/api/v1/sessions/{sid}/commitments", headers=phone.headers, json=body), 201)
    later = remote.session(fac, stage_two, phase="draft", title="Program prioritas")
    ok(c.post(f"/api/v1/sessions/{later['id']}/import", headers=fac, json={"source_session_id": sid, "top": 2}), 201)
    return SimpleNamespace(
        api=remote,
        client=c,
        fac=fac,
        url=server.url,
        workshop=workshop,
        sid=sid,
        later=later["id"],
        rina=rina,
        budi=budi,
        sari=sari,
    )


def downloads(room) -> dict[str, str]:
    """Every file and view a facilitator can take away, as text."""
    c, fac, wid = room.client, room.fac, room.workshop["id"]
    out = {}
    for sid in (room.sid, room.later):
        for ext in SESSION_FORMATS:
            out[f"session {sid} .{ext}"] = file_text(
                ext, ok(c.get(f"/api/v1/sessions/{sid}/summary.{ext}", headers=fac)).content
            )
        out[f"participation {sid}"] = ok(c.get(f"/api/v1/sessions/{sid}/participation", headers=fac)).text
        out[f"ideas {sid}"] = ok(c.get(f"/api/v1/sessions/{sid}/ideas", headers=fac)).text
    for ext in WORKSHOP_FORMATS:
        out[f"workshop .{ext}"] = file_text(
            ext, ok(c.get(f"/api/v1/workshops/{wid}/summary.{ext}", headers=fac)).content
        )
    for view in ("attendance", "participation", "roadmap"):
        out[view] = ok(c.get(f"/api/v1/workshops/{wid}/{view}", headers=fac)).text
    out["archive"] = ok(c.get(f"/api/v1/workshops/{wid}/archive", headers=fac)).text
    return out


def pages(room) -> dict[str, str]:
    token = room.fac["Authorization"].split()[1]
    cookies = {FACILITATOR_COOKIE: token}
    with httpx.Client(base_url=room.url, cookies=cookies, timeout=30) as browser:
        return {
            path: ok(browser.get(path)).text
            for path in (f"/console/sessions/{room.sid}", f"/board/{room.sid}", f"/console/sessions/{room.later}")
        }


def counts(board: dict[str, Any]) -> dict[str, Any]:
    """What must not move: per group its votes, ratings and ideas (with their "+1"),
    the ranking, the number of people and of signatures."""
    groups = {
        g["id"]: (
            g["votes"],
            g["impact"],
            g["feasibility"],
            g["raters"],
            sorted((i["id"], i["reactions"]) for i in g["ideas"]),
        )
        for g in board["groups"]
    }
    ranking = [g["id"] for g in sorted(board["groups"], key=lambda g: (-(g["votes"] or 0), g["id"]))]
    return {
        "groups": groups,
        "ranking": ranking,
        "people": board["participant_count"],
        "signatures": len(board["commitments"]),
    }


def numbers(summary: dict[str, Any]) -> Any:
    """Every number in the session's JSON summary, by where it sits (names dropped)."""
    found: list[tuple[str, Any]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for n, v in enumerate(value):
                walk(v, f"{path}[{n}]")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            found.append((re.sub(r"\[\d+\]", "[]", path), value))

    walk(summary, "")
    return sorted(found)


def replayed(room, headers: dict[str, str], last_seq: int, path: str | None = None) -> list:
    with Stream(room.url, room.sid, headers={**headers, "Last-Event-ID": "0"}, path=path) as s:
        return s.until(last_seq)


def database_rows(app) -> dict[str, str]:
    """Every row of every table, as text, by table."""
    out = {}
    with app.state.sessions() as db:
        for table in SQLModel.metadata.sorted_tables:
            out[table.name] = "\n".join(
                json.dumps(dict(row._mapping), default=str, ensure_ascii=False) for row in db.execute(select(table))
            )
    return out


def sqlite_bytes(url: str) -> dict[str, bytes]:
    path = Path(url.split("///", 1)[1])
    return {p.name: p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()}


def test_an_erased_participant_is_nowhere_and_nothing_that_counts_moved(api, app, live_server, database_url):
    room = build_room(api, live_server)
    fac, c = room.fac, room.client
    before = {
        "board": counts(api.board(fac, room.sid)),
        "later": counts(api.board(fac, room.later)),
        "summary": numbers(c.get(f"/api/v1/sessions/{room.sid}/summary.json", headers=fac).json()),
        "types": ok(c.get(f"/api/v1/sessions/{room.sid}/participation", headers=fac)).json()["by_type"],
    }
    # Stored before the erasure, in every place this test looks: the test can see it.
    assert found_in(downloads(room)[f"session {room.sid} .docx"]) and found_in(database_rows(app)["event"])

    erased = ok(c.post(f"/api/v1/participants/{room.rina.participant_id}/erase", headers=fac)).json()
    assert erased["participant_id"] == room.rina.participant_id

    if database_url.startswith("sqlite"):
        for name, content in sqlite_bytes(database_url).items():
            for needle in NEEDLES:
                assert needle.encode() not in content.lower(), f"{needle!r} still in the bytes of {name}"
    for table, text in database_rows(app).items():
        assert not found_in(text), (table, found_in(text))
    for name, text in {**downloads(room), **pages(room)}.items():
        assert not found_in(text), (name, found_in(text))
    board = api.board(fac, room.sid)
    assert not found_in(json.dumps(board))
    # Streams from the very beginning, as the console, a phone and the projector replay them.
    last_seq = erased["seq"]
    for headers in (fac, room.budi.headers, room.rina.headers):
        events = replayed(room, headers, last_seq)
        assert [e.id for e in events] == list(range(1, last_seq + 1))
        assert not found_in(json.dumps([e.data for e in events])), headers
    with Stream(room.url, room.sid, headers=fac) as s:  # no id: the board as a snapshot
        snapshot = s.next()
        assert snapshot.event == "snapshot" and not found_in(json.dumps(snapshot.data))
    token = fac["Authorization"].split()[1]
    html = replayed(room, {"Cookie": f"{FACILITATOR_COOKIE}={token}"}, last_seq, path=f"/board/{room.sid}/stream")
    assert html and not found_in(json.dumps([e.data for e in html]))

    # Nothing that counts moved; the other people are untouched.
    assert counts(board) == before["board"] and counts(api.board(fac, room.later)) == before["later"]
    assert numbers(c.get(f"/api/v1/sessions/{room.sid}/summary.json", headers=fac).json()) == before["summary"]
    assert ok(c.get(f"/api/v1/sessions/{room.sid}/participation", headers=fac)).json()["by_type"] == before["types"]
    everyone = json.dumps(board)
    assert all(other in everyone for other in OTHERS)
    with app.state.sessions() as db:
        person = db.get(Participant, room.rina.participant_id)
        assert (person.name, person.organization, person.organization_type) == ("", "", "opd")
    # A second request finds nothing left to erase: the same answer.
    assert ok(c.post(f"/api/v1/participants/{room.rina.participant_id}/erase", headers=fac)).json() == erased
    room.client.close()
