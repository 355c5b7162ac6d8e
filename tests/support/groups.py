"""A room of grouped ideas through the API, moving ideas and casting dots, and what
the database then holds (vote rows); ``storm`` fires many requests at once."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import httpx
from sqlalchemy import func, select

from app.models import Event, Vote
from tests.builders import Api, Phone
from tests.support.servers import NO_TLS


def groups_of(board: dict) -> dict[int, dict]:
    return {g["id"]: g for g in board["groups"]}


def group_of(board: dict, idea_id: int) -> dict:
    return next(g for g in board["groups"] if idea_id in {i["id"] for i in g["ideas"]})


def idea_ids(group: dict) -> list[int]:
    return [i["id"] for i in group["ideas"]]


def move(client, headers, idea_id: int, group_id: int | None, **params):
    return client.post(f"/api/v1/ideas/{idea_id}/move", json={"group_id": group_id}, headers=headers, params=params)


def patch_group(client, headers, group_id: int, body: dict):
    return client.patch(f"/api/v1/groups/{group_id}", json=body, headers=headers)


def vote(client, phone: Phone, group_id: int, **params):
    return client.post(f"/api/v1/groups/{group_id}/votes", headers=phone.headers, params=params)


def unvote(client, phone: Phone, group_id: int, **params):
    return client.delete(f"/api/v1/groups/{group_id}/votes", headers=phone.headers, params=params)


def ok_move(client, headers, idea_id: int, group_id: int | None) -> dict:
    r = move(client, headers, idea_id, group_id)
    assert r.status_code == 200, r.text
    return r.json()


def ok_vote(client, phone: Phone, group_id: int, times: int = 1) -> dict:
    for _ in range(times):
        r = vote(client, phone, group_id)
        assert r.status_code == 201, r.text
    return r.json()


def events_of(app, session_id: int, after: int = 0) -> list[Event]:
    with app.state.sessions() as db:
        return list(
            db.scalars(select(Event).where(Event.session_id == session_id, Event.seq > after).order_by(Event.seq))
        )


def last_seq(api: Api, fac: dict, session_id: int) -> int:
    return api.board(fac, session_id)["last_seq"]


def make_room(api: Api, fac: dict | None = None, texts=None, **session_settings) -> SimpleNamespace:
    """A brainstorming session with three phones and one idea per text (each a group of one)."""
    fac = fac or api.facilitator()
    session = api.session(fac, **session_settings)
    rina = api.join(session["join_code"], name="Rina", organization="RSUD", organization_type="rsud")
    budi = api.join(session["join_code"], name="Budi", organization="Bappeda", organization_type="opd")
    sari = api.join(session["join_code"], name="Sari", organization="PDAM", organization_type="pdam")
    texts = texts or [
        ("Aplikasi antrean online RSUD", "living"),
        ("Satu data kependudukan", "governance"),
        ("Bank sampah digital", "environment"),
        ("Wi-Fi gratis di objek wisata", "branding"),
    ]
    phones = [rina, budi, sari]
    ideas = [api.idea(phones[n % 3], text=t, dimension=d) for n, (t, d) in enumerate(texts)]
    return SimpleNamespace(
        api=api,
        fac=fac,
        session=session,
        id=session["id"],
        rina=rina,
        budi=budi,
        sari=sari,
        phones=phones,
        ideas=ideas,
        groups=[i["group_id"] for i in ideas],
    )


def rows(app, **where) -> int:
    with app.state.sessions() as db:
        query = select(func.count()).select_from(Vote)
        for key, value in where.items():
            query = query.where(getattr(Vote, key) == value)
        return db.scalar(query)


def rows_by_group(app, session_id: int) -> dict[int, int]:
    with app.state.sessions() as db:
        found = db.execute(
            select(Vote.group_id, func.count()).where(Vote.session_id == session_id).group_by(Vote.group_id)
        ).all()
    return dict(found)


def storm(base_url: str | list[str], requests: list[tuple], timeout: float = 60) -> list[httpx.Response]:
    """Fire every request at once: one thread and one HTTP client each, released
    together. Several base URLs (workers) take the requests in turn. A request is
    ``(method, path, headers)``, or with a JSON body ``(method, path, headers, body)``."""
    urls = [base_url] if isinstance(base_url, str) else base_url
    barrier = threading.Barrier(len(requests))
    out: list[httpx.Response | None] = [None] * len(requests)
    errors: list[BaseException] = []

    def run(n: int, method: str, path: str, headers: dict, body: dict | None = None) -> None:
        try:
            with httpx.Client(base_url=urls[n % len(urls)], timeout=timeout, verify=NO_TLS) as client:
                client.get("/healthz")  # connect before the barrier: the requests leave together
                barrier.wait(timeout=30)
                out[n] = client.request(method, path, headers=headers, json=body)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(n, *req)) for n, req in enumerate(requests)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout + 30)
    assert not errors, errors
    assert all(r is not None for r in out)
    return out  # type: ignore[return-value]
