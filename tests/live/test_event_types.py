"""One registry of event types (app/services/event_types.py), the way Zulip's
test_events.py holds its event schemas to what the server really sends:

- a kind of event nobody declared cannot be recorded;
- every payload a service records matches its declared model (a walk through every
  kind of change, and the demo's four stages);
- every declared type is recorded by that walk (no dead declaration);
- every screen's rendering the registry names exists, and a type that only shows a
  template (a ``Fragment``) is drawn without any code in app/realtime;
- the event reference in docs/architecture.md is the registry's.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import select

from app.db import write_transaction
from app.models import Event
from app.realtime import live_board, live_console, live_phone
from app.realtime.feed import EventRecord
from app.realtime.viewer import Viewer
from app.services import event_types, events
from app.services.event_types import REGISTRY, Fragment
from tests.support import ROOT


def stored(app, session_ids=None) -> list[Event]:
    with app.state.sessions() as db:
        query = select(Event).order_by(Event.session_id, Event.seq)
        if session_ids:
            query = query.where(Event.session_id.in_(session_ids))
        return list(db.scalars(query))


def walk(api, client) -> set[int]:
    """Every kind of change a Bimtek makes, through the API: returns the session ids."""
    fac = api.facilitator()
    workshop = api.workshop(fac)
    first = api.session(fac, workshop["stages"][0]["id"], title="Isu strategis")
    sid = first["id"]
    phones = [api.join(first["join_code"], name=f"Peserta {i}") for i in range(3)]
    ideas = []
    for i, dimension in enumerate(("living", "living", "governance")):
        r = client.post(f"/api/v1/sessions/{sid}/ideas", headers=phones[i].headers,
                        json={"text": f"Antrean online RSUD {i}", "dimension": dimension})
        assert r.status_code == 201, r.text
        ideas.append(r.json())
    assert client.patch(f"/api/v1/ideas/{ideas[0]['id']}", headers=phones[0].headers,
                        json={"text": "Antrean online RSUD terhubung Mobile JKN"}).status_code == 200
    extra = client.post(f"/api/v1/sessions/{sid}/ideas", headers=phones[2].headers, json={"text": "Salah ketik"})
    assert client.delete(f"/api/v1/ideas/{extra.json()['id']}", headers=phones[2].headers).status_code == 200
    reactions = f"/api/v1/ideas/{ideas[0]['id']}/reactions"
    assert client.post(reactions, headers=phones[1].headers).status_code == 201
    assert client.post(reactions, headers=phones[2].headers).status_code == 201
    assert client.delete(reactions, headers=phones[2].headers).status_code == 200
    assert client.post(f"/api/v1/ideas/{ideas[2]['id']}/visibility", headers=fac,
                       json={"hidden": True}).status_code == 200
    assert client.post(f"/api/v1/ideas/{ideas[2]['id']}/visibility", headers=fac,
                       json={"hidden": False}).status_code == 200
    # Pre-moderation: the idea is held (its idea.created shows it to nobody else) until approved.
    assert client.patch(f"/api/v1/sessions/{sid}", headers=fac, json={"moderation": "pre"}).status_code == 200
    held = client.post(f"/api/v1/sessions/{sid}/ideas", headers=phones[1].headers, json={"text": "Ditahan dulu"})
    assert held.status_code == 201 and held.json()["pending"], held.text
    assert client.post(f"/api/v1/ideas/{held.json()['id']}/approve", headers=fac).status_code == 200
    assert client.patch(f"/api/v1/sessions/{sid}", headers=fac, json={"moderation": "off"}).status_code == 200
    for action, seconds in (("start", 300), ("pause", None), ("add", 60), ("resume", None), ("stop", None)):
        assert client.put(f"/api/v1/sessions/{sid}/timer", headers=fac,
                          json={"action": action, **({"seconds": seconds} if seconds else {})}).status_code == 200
    assert client.put(f"/api/v1/sessions/{sid}/focus", headers=fac, json={"idea_id": ideas[0]["id"]}).status_code == 200
    assert client.put(f"/api/v1/sessions/{sid}/focus", headers=fac, json={}).status_code == 200
    assert client.post(f"/api/v1/sessions/{sid}/board/page", headers=fac, json={"step": 1}).status_code == 200
    assert client.post(f"/api/v1/sessions/{sid}/share", headers=fac).status_code == 201
    assert client.delete(f"/api/v1/sessions/{sid}/share", headers=fac).status_code == 204
    assert client.patch(f"/api/v1/sessions/{sid}", headers=fac, json={"anonymous": False, "live_votes": True,
                                                                       "vote_budget": 4}).status_code == 200
    api.phase(fac, sid, "group")
    assert client.post(f"/api/v1/ideas/{ideas[1]['id']}/move", headers=fac,
                       json={"group_id": ideas[0]["group_id"]}).status_code == 200
    assert client.patch(f"/api/v1/groups/{ideas[0]['group_id']}", headers=fac,
                        json={"title": "Layanan kesehatan digital", "quick_win": True}).status_code == 200
    api.phase(fac, sid, "vote")
    votes = f"/api/v1/groups/{ideas[0]['group_id']}/votes"
    assert client.post(votes, headers=phones[1].headers).status_code == 201
    assert client.post(votes, headers=phones[1].headers).status_code == 201
    assert client.delete(votes, headers=phones[1].headers).status_code == 200
    api.phase(fac, sid, "score")
    assert client.put(f"/api/v1/groups/{ideas[0]['group_id']}/score", headers=phones[0].headers,
                      json={"impact": 5, "feasibility": 4}).status_code == 200
    api.phase(fac, sid, "results")
    assert client.patch(f"/api/v1/sessions/{sid}", headers=fac, json={"commitment_open": True}).status_code == 200
    assert client.post(f"/api/v1/sessions/{sid}/commitments", headers=phones[0].headers,
                       json={"name": "Rina", "position": "Kepala Bidang", "organization": "Diskominfo"}
                       ).status_code == 201
    r = client.get(f"/api/v1/sessions/{sid}/participation", headers=fac)
    assert r.status_code == 200
    removable = api.join(first["join_code"], name="Penyusup")
    assert client.delete(f"/api/v1/participants/{removable.participant_id}", headers=fac).status_code == 200
    assert client.post(f"/api/v1/participants/{phones[2].participant_id}/erase", headers=fac).status_code == 200
    later = api.session(fac, workshop["stages"][1]["id"], phase="draft", title="Program prioritas")
    r = client.post(f"/api/v1/sessions/{later['id']}/import", headers=fac,
                    json={"source_session_id": sid, "top": 1})
    assert r.status_code == 201, r.text
    archive = client.get(f"/api/v1/workshops/{workshop['id']}/archive", headers=fac)
    moved = client.post("/api/v1/workshops/import", content=archive.content, headers=fac)
    assert moved.status_code == 201, moved.text
    copy = client.get(f"/api/v1/stages/{moved.json()['stages'][0]['id']}/sessions", headers=fac).json()[0]
    return {sid, later["id"], copy["id"]}


def test_a_kind_of_event_nobody_declared_cannot_be_recorded(app):
    with app.state.sessions() as db:
        with pytest.raises(event_types.UnknownEventType):
            with write_transaction(db):
                events.record(db, session_id=1, type="idea.liked", payload={})
        assert db.scalar(select(Event.id).limit(1)) is None


def test_every_recorded_payload_is_its_declared_shape_and_every_type_occurs(api, client, app):
    ids = walk(api, client)
    rows = stored(app, ids)
    for row in rows:
        REGISTRY[row.type].payload.model_validate(row.payload)  # raises on a missing or undeclared field
    assert {row.type for row in rows} == set(REGISTRY), "a declared type nothing records, or the walk misses it"


def test_the_demo_records_only_declared_shapes(app):
    from app.demo import seed_demo

    with app.state.sessions() as db:
        seed_demo(db, email="demo@kominfo.go.id", password="rahasia-demo-12345", public_url="http://rembuk.test")
    for row in stored(app):
        REGISTRY[row.type].payload.model_validate(row.payload)


def test_every_rendering_the_registry_names_is_drawn_by_its_screen():
    known = {"board": live_board.NAMES, "console": live_console.NAMES, "phone": live_phone.NAMES}
    for kind in REGISTRY.values():
        for screen, names in known.items():
            rendering = getattr(kind.live, screen)
            if rendering is not None and not isinstance(rendering, Fragment):
                assert rendering in names, f"{kind.name}: the {screen} has no rendering {rendering!r}"


def test_a_type_that_only_shows_a_template_needs_no_live_code(app, monkeypatch):
    """A new kind of event, declared with a Fragment and nothing in app/realtime: the
    phones draw it (here a focus on a group, in the phones' banner)."""
    kind = event_types.EventType(
        "focus.example", "nobody", "An example.", event_types.FocusChanged, counts_only=True, board=False,
        live=event_types.Live(phone=Fragment("_focus_banner.html", target="focus-banner")))
    monkeypatch.setitem(REGISTRY, kind.name, kind)
    record = EventRecord(1, 7, kind.name, {"focus": {"group_id": 3, "idea_id": None, "label": "Satu data"}}, None)
    phone = Viewer("phone", 1, "id", participant_id=5, variant={"idea_max_length": 280})
    [op] = json.loads(app.state.live_html.message(record, phone))["ops"]
    assert op["op"] == "html" and op["id"] == "focus-banner"
    assert 'id="focus-group-3"' in op["html"] and "Satu data" in op["html"] and "Sedang dibahas" in op["html"]
    board = Viewer("board", 1, "id", variant={"anonymous": True})
    assert json.loads(app.state.live_html.message(record, board))["ops"] == []


def test_the_event_reference_in_the_docs_is_the_registrys():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "events_doc.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
