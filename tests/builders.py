"""Test-data builders that go through the real API, the way an integration would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx

PASSWORD = "rahasia-fasilitator-123"
_counter = itertools.count(1)


@dataclass
class Phone:
    """A participant's device: its token and session."""

    participant_id: int
    session_id: int
    token: str
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.token}"}


class Api:
    """Wraps a TestClient or an ``httpx.Client`` pointed at a live server."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    # facilitator -----------------------------------------------------------------
    def facilitator(self, email: str | None = None, password: str = PASSWORD, name: str | None = None) -> dict[str, str]:
        """Create a facilitator (through the service, as the CLI does) and log in; returns auth headers."""
        from app.services import facilitators

        email = email or f"fasilitator{next(_counter)}@kominfo.go.id"
        app = getattr(self.client, "app", None)
        if app is not None:
            with app.state.sessions() as db:
                facilitators.create_facilitator(db, email=email, password=password, name=name)
        return self.login(email, password)

    def login(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        r = self.client.post("/api/v1/auth/token", data={"username": email, "password": password})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    def workshop(self, headers, title="Bimtek Smart City", region="Kabupaten Padang Pariaman", year=2026) -> dict:
        r = self.client.post("/api/v1/workshops", json={"title": title, "region": region, "year": year}, headers=headers)
        assert r.status_code == 201, r.text
        return r.json()

    def session(self, headers, stage_id: int | None = None, *, phase: str | None = "brainstorm", **body: Any) -> dict:
        if stage_id is None:
            stage_id = self.workshop(headers)["stages"][0]["id"]
        body = {"title": "Isu strategis daerah", "prompt": "Apa masalah utama layanan publik di daerah kita?", **body}
        r = self.client.post(f"/api/v1/stages/{stage_id}/sessions", json=body, headers=headers)
        assert r.status_code == 201, r.text
        session = r.json()
        if phase and phase != "draft":
            self.phase(headers, session["id"], phase)
            session["phase"] = phase
        return session

    def phase(self, headers, session_id: int, phase: str) -> dict:
        r = self.client.post(f"/api/v1/sessions/{session_id}/phase", json={"phase": phase}, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()

    # participant -----------------------------------------------------------------
    def join(self, join_code: str, name: str = "Rina", organization_type: str = "opd", organization: str = "Diskominfo") -> Phone:
        r = self.client.post(
            "/api/v1/join",
            json={"join_code": join_code, "name": name, "organization_type": organization_type, "organization": organization},
        )
        assert r.status_code == 201, r.text
        body = r.json()
        return Phone(body["participant_id"], body["session_id"], body["token"])

    def idea(self, phone: Phone, text: str = "Aplikasi antrean online RSUD", dimension: str | None = "living", **extra: Any) -> dict:
        r = self.client.post(
            f"/api/v1/sessions/{phone.session_id}/ideas",
            json={"text": text, "dimension": dimension, **extra},
            headers=phone.headers,
        )
        assert r.status_code in (200, 201), r.text
        return r.json()

    def board(self, headers, session_id: int) -> dict:
        r = self.client.get(f"/api/v1/sessions/{session_id}/board", headers=headers)
        assert r.status_code == 200, r.text
        return r.json()

    def voted_session(self, headers, stage_id: int, title: str = "Isu Tahap I") -> tuple[dict, list[dict], list[Phone]]:
        """A session of three groups voted 3, 2 and 0, in results: a source to carry forward."""
        session = self.session(headers, stage_id, title=title)
        a = self.join(session["join_code"], "Rina", "opd", "Diskominfo")
        b = self.join(session["join_code"], "Budi", "rsud", "RSUD Pariaman")
        ideas = [
            self.idea(a, "Antrean online RSUD", "living", sub_element="health"),
            self.idea(b, "Satu data kependudukan", "governance"),
            self.idea(a, "Bank sampah digital", "environment"),
        ]
        self.phase(headers, session["id"], "vote")
        for phone, idea, n in ((a, ideas[0], 2), (b, ideas[0], 1), (b, ideas[1], 2)):
            for _ in range(n):
                r = self.client.post(f"/api/v1/groups/{idea['group_id']}/votes", headers=phone.headers)
                assert r.status_code == 201, r.text
        self.phase(headers, session["id"], "results")
        return session, ideas, [a, b]
