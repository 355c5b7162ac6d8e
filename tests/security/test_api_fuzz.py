"""Fuzz the whole JSON API from its own OpenAPI schema (schemathesis): no
5xx, and every answer is one the schema documents (status, content type, body).

Every operation runs as the facilitator who owns a seeded workshop and as a
participant who joined one of its sessions, on every database backend. The world
holds rows of every kind, and ``World.aim`` points most generated ids at them
(otherwise nearly every request would be a 404 and the code behind it never run);
some ids stay as generated, and some rows belong to another facilitator's workshop,
so "not yours" is fuzzed too. The endless event stream is fuzzed as well: each
request keeps its first event and is cut (``max-stream-events``). Deleting a session
or a workshop (``DESTRUCTIVE``) is aimed at a throwaway one made for the request,
never at the seeded world the other operations need.

Bounded for CI: ``MAX_EXAMPLES`` per operation and phase (fewer for the downloads),
a fixed seed with derandomised generation, no example database, no deadline.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import text

from app.settings import Settings
from tests.builders import Api, Phone
from tests.support.databases import BACKENDS, SECRET, truncate_postgresql

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ID_TABLES = {
    "workshop_id": "workshop",
    "stage_id": "stage",
    "session_id": "session",
    "idea_id": "idea",
    "group_id": "idea_group",
    "participant_id": "participant",
    "source_session_id": "session",
    "member_id": "facilitator",
}


# Operations that would take the shared world away: their real ids are throwaway rows.
DESTRUCTIVE = {("DELETE", "/api/v1/sessions/{session_id}"): "session_id",
               ("DELETE", "/api/v1/workshops/{workshop_id}"): "workshop_id"}


def seed(api: Api) -> tuple[dict[str, str], Phone, dict[str, str]]:
    """A workshop in use: a brainstorm, a voted session, a scoring session with the
    commitment open, and another facilitator's workshop next to it. Returns the
    owner's and a participant's auth headers, and a login of the other facilitator
    (the one that ``POST /api/v1/auth/logout`` may end)."""
    owner = api.facilitator()
    stages = api.workshop(owner)["stages"]
    brainstorm = api.session(owner, stages[0]["id"], participants_can_group=True, commitment_open=True)
    rina = api.join(brainstorm["join_code"], "Rina", "opd", "Diskominfo")
    budi = api.join(brainstorm["join_code"], "Budi", "rsud", "RSUD Pariaman")
    api.idea(rina, "Aplikasi antrean online RSUD", "living")
    api.idea(rina, "Satu data kependudukan", "governance")
    api.idea(budi, "Bank sampah digital", "environment")

    voted, _ideas, _phones = api.voted_session(owner, stages[1]["id"], title="Isu Tahap II")
    scoring = api.session(owner, stages[3]["id"], phase="draft", title="Rencana aksi", commitment_open=True)
    r = api.client.post(f"/api/v1/sessions/{scoring['id']}/import", json={"source_session_id": voted["id"]},
                        headers=owner)
    assert r.status_code == 201, r.text
    api.phase(owner, scoring["id"], "score")
    api.join(scoring["join_code"], "Sari", "opd", "Bappeda")

    stranger = api.facilitator()
    foreign = api.session(stranger, title="Sesi kabupaten lain")
    api.idea(api.join(foreign["join_code"], "Dewi", "lainnya", "Kecamatan Batang Anai"), "Wi-Fi taman kota", "living")
    return owner, rina, stranger


def as_id(value: Any) -> int | None:
    """The integer a path parameter could be read as, if any."""
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def known_ids(app) -> dict[str, list[Any]]:
    with app.state.sessions() as db:
        ids = {key: db.execute(text(f"SELECT id FROM {table} ORDER BY id")).scalars().all()
               for key, table in ID_TABLES.items()}
        ids["join_code"] = db.execute(text("SELECT join_code FROM session ORDER BY id")).scalars().all()
    return ids


def pick(ids: dict[str, list[Any]], key: str, value: Any) -> Any:
    """Four generated values in five become a real row (chosen by the value, so the
    run stays deterministic); the rest stay as generated."""
    rows = ids.get(key)
    if not rows or isinstance(value, bool) or not isinstance(value, int) or value % 5 == 0:
        return value
    return rows[value % len(rows)]


def config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": 6,
        "suppress-health-check": ["all"],
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        # The event stream never ends: each request keeps its first event (the
        # snapshot, or an error) and is cut; one that sends nothing is cut after 15 s.
        "max-stream-events": 1,
        # Anything else may take its time on a busy CI machine (the default is 10 s).
        "request-timeout": 120,
        "operations": [
            {"include-path-regex": r"/events$", "request-timeout": 15},
            # A download takes one id and costs a whole export (a workshop's Word file
            # of everything the fuzzer wrote, figures drawn: seconds): three of each format.
            {"include-path-regex": r"/summary\.", "phases": {"coverage": {"enabled": False}},
             "generation": {"max-examples": 3}},
        ],
    })


def openapi() -> dict[str, Any]:
    """The schema depends on no setting or row: an app that never serves tells it."""
    from app.main import create_app

    with tempfile.TemporaryDirectory() as folder:
        return create_app(Settings(var_dir=folder, secret_key=SECRET), check_schema=False).openapi()


@dataclass
class World:
    app: Any
    client: asgi.ASGIClient  # in-process, with the role's Bearer token; started the app's lifespan
    ids: dict[str, list[Any]]
    # Logging out ends every login of that facilitator, the role's own too: the
    # facilitator's world logs another account out instead.
    logout_headers: dict[str, str] | None

    def throwaway(self, key: str) -> int:
        """A new session (in the owner's first workshop) or workshop of the owner's, to delete."""
        from app.models import Facilitator, Stage
        from app.services import sessions, workshops

        with self.app.state.sessions() as db:
            owner = db.get(Facilitator, self.ids["member_id"][0])  # the first account seeded
            if key == "workshop_id":
                return workshops.create_workshop(db, owner=owner, title="Dibuang", region="Pariaman", year=2026).id
            stage = db.get(Stage, self.ids["stage_id"][0])
            return sessions.create_session(db, facilitator=owner, stage_id=stage.id, title="Dibuang", prompt="?").id

    def aim(self, case) -> None:
        """Point generated ids at real rows (most of the time)."""
        doomed = DESTRUCTIVE.get((case.operation.method.upper(), case.operation.path))
        if doomed and case.path_parameters:
            # Whatever the server would read as a real id ("1", " 1", 1.0 …) becomes a throwaway.
            value = as_id(case.path_parameters[doomed])
            if value is not None and (value in self.ids[doomed] or pick(self.ids, doomed, value) in self.ids[doomed]):
                case.path_parameters = {doomed: self.throwaway(doomed)}
            return
        if case.path_parameters:
            case.path_parameters = {k: pick(self.ids, k, v) for k, v in case.path_parameters.items()}
        if isinstance(case.body, dict):
            body = dict(case.body)
            for key, value in body.items():
                if key == "group_ids" and isinstance(value, list):
                    body[key] = [pick(self.ids, "group_id", v) for v in value]
                elif key == "join_code" and isinstance(value, str) and len(value) % 3:
                    body[key] = self.ids["join_code"][len(value) % len(self.ids["join_code"])]
                else:
                    body[key] = pick(self.ids, key, value)
            case.body = body


@pytest.fixture(scope="module", params=[(b, r) for b in BACKENDS for r in ("facilitator", "participant")],
                ids=lambda p: "-".join(p))
def world(request, tmp_path_factory) -> Iterator[World]:
    """One seeded database per backend and role, shared by every operation's test (a
    world per test would cost a few seconds each; the fuzzer's writes only add rows)."""
    backend, role = request.param
    folder = tmp_path_factory.mktemp(f"fuzz-{backend}-{role}")
    if backend == "sqlite":
        shutil.copy(request.getfixturevalue("sqlite_template"), folder / "rembuk.sqlite3")
        url = f"sqlite:///{folder / 'rembuk.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_migrated")
        truncate_postgresql(url)
    from app.main import create_app

    app = create_app(Settings(database_url=url, secret_key=SECRET, var_dir=folder, public_url="http://rembuk.test",
                              htmx_source="local", sse_heartbeat_seconds=1.0))
    owner, phone, stranger = seed(Api(TestClient(app)))  # no lifespan: the client below starts the app's own
    client = asgi.get_client(app, max_stream_events=1)  # see config()
    client.headers.update(owner if role == "facilitator" else phone.headers)
    with client:
        yield World(app, client, known_ids(app), stranger if role == "facilitator" else None)
    asgi.shutdown_lifespans()  # stops the app: its broker, and its engine's connections


# A workshop archive is a zip sent as the body (POST /api/v1/workshops/import): sent
# as raw bytes, like any binary upload, so the fuzzer tries that door too.
schemathesis.serializer.alias("application/zip", "application/octet-stream")
schema = schemathesis.openapi.from_dict(openapi(), config=config())


@schema.parametrize()
def test_api_answers_as_documented(case, world):
    world.aim(case)
    headers = world.logout_headers if case.operation.path == "/api/v1/auth/logout" else None
    case.call_and_validate(session=world.client, headers=headers, checks=CHECKS)


# --- what the fuzzer found, pinned down ---------------------------------------------


def assert_documented(response, method: str, path: str) -> None:
    """The status is listed for the operation and the body matches its schema."""
    operation = schema[path][method]
    assert str(response.status_code) in operation.responses.status_codes, (response.status_code, response.text)
    operation.validate_response(response)


def test_rule_errors_are_documented_answers(api, client):
    """401/403/404/409 were missing from the schema, and a 422 raised by a rule of the
    session (``{"detail": "…"}``) contradicted the documented field-error list."""
    owner = api.facilitator()
    session = api.session(owner)
    phone = api.join(session["join_code"])
    ideas = "/api/v1/sessions/{session_id}/ideas"
    url = f"/api/v1/sessions/{session['id']}/ideas"

    blank = client.post(url, json={"text": "   "}, headers=phone.headers)  # passes the schema, not the rule
    assert blank.status_code == 422 and isinstance(blank.json()["detail"], str)
    assert_documented(blank, "POST", ideas)
    assert_documented(client.post(url, json={"text": "Ide"}), "POST", ideas)  # 401
    other = api.join(api.session(owner, title="Sesi lain")["join_code"])
    assert_documented(client.post(url, json={"text": "Ide"}, headers=other.headers), "POST", ideas)  # 403
    assert_documented(client.post(url, json={"text": "Ide"}, headers=owner), "POST", ideas)  # 403: facilitator
    assert_documented(client.post(f"/api/v1/sessions/{2**31 - 1}/ideas", json={"text": "Ide"}), "POST", ideas)  # 404
    api.phase(owner, session["id"], "vote")
    late = client.post(url, json={"text": "Terlambat"}, headers=phone.headers)
    assert late.status_code == 409
    assert_documented(late, "POST", ideas)


def test_unreadable_body_is_a_documented_400(api, client):
    owner = api.facilitator()
    r = client.post("/api/v1/workshops", content=b'{"title": "\xff"}', headers={**owner, "Content-Type": "application/json"})
    assert r.status_code == 400
    assert_documented(r, "POST", "/api/v1/workshops")


def test_wrong_join_codes_get_a_documented_429(client):
    for _ in range(60):
        assert client.post("/api/v1/join", json={"join_code": "ZZZZZZ", "name": "Iseng", "organization_type": "lainnya",
                                                 "organization": "-"}).status_code == 404
    r = client.post("/api/v1/join", json={"join_code": "ZZZZZZ", "name": "Iseng", "organization_type": "lainnya",
                                          "organization": "-"})
    assert r.status_code == 429 and r.headers["Retry-After"]
    assert_documented(r, "POST", "/api/v1/join")
