"""The pages without a browser: a TestClient per device (its own cookies), the
facilitator's login and console forms, a phone that joins and sends ideas."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.security import FACILITATOR_COOKIE
from app.services import facilitators
from tests.builders import PASSWORD

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"

XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"

HTMX = {"HX-Request": "true"}


def make_facilitator(app, email: str = "fasilitator@kominfo.go.id") -> str:
    with app.state.sessions() as db:
        facilitators.create_facilitator(db, email=email, password=PASSWORD, name="Dewi")
    return email


def login(client: TestClient, email: str, next_url: str = "") -> None:
    r = client.post("/login", data={"email": email, "password": PASSWORD, "next": next_url}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert FACILITATOR_COOKIE in client.cookies


def location(r) -> str:
    assert r.status_code == 303, (r.status_code, r.text[:500])
    return r.headers["location"]


def create_session(console: TestClient, *, anonymous: bool = True, phase: str | None = "brainstorm") -> dict:
    """Workshop and session through the console forms; returns ids and the join code."""
    workshop_url = location(
        console.post(
            "/console/workshops",
            data={"title": "Bimtek Smart City", "region": "Kabupaten Padang Pariaman", "year": "2026"},
            follow_redirects=False,
        )
    )
    page = console.get(workshop_url).text
    stage_id = re.findall(r'action="/console/stages/(\d+)/sessions"', page)[0]
    form = {"title": "Isu strategis", "prompt": "Apa masalah utama layanan publik?", "idea_max_length": "280"}
    if anonymous:
        form["anonymous"] = "1"
    session_url = location(console.post(f"/console/stages/{stage_id}/sessions", data=form, follow_redirects=False))
    session_id = int(session_url.rsplit("/", 1)[1])
    if phase:
        location(console.post(f"/console/sessions/{session_id}/phase", data={"phase": phase}, follow_redirects=False))
    html = console.get(session_url).text
    code = re.search(r'class="code code-big">([A-Z0-9]{6})<', html).group(1)
    return {"id": session_id, "code": code, "stage_id": int(stage_id), "workshop_url": workshop_url}


def join(phone: TestClient, code: str, name: str = "Rina", organization: str = "Diskominfo") -> int:
    r = phone.post(
        "/join", data={"join_code": code, "name": name, "organization_type": "opd", "organization": organization}
    )
    return int(location(r).rsplit("/", 1)[1])


def client_id_of(html: str) -> str:
    return re.search(r'name="client_id" value="([0-9a-f]{32})"', html).group(1)


def send_idea(phone: TestClient, session_id: int, text: str, dimension: str = "living", **extra):
    page = phone.get(f"/s/{session_id}").text
    data = {"text": text, "dimension": dimension, "sub_element": "", "client_id": client_id_of(page), **extra}
    return phone.post(f"/s/{session_id}/ideas", data=data)


def idea_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="my-idea-(\d+)"', html)]


def body_rows(table: str) -> list[str]:
    """Each row of a table's body, with its own <tr …> tag."""
    return re.findall(r"<tr\b[^>]*>.*?</tr>", table.split("<tbody", 1)[1], re.S)
