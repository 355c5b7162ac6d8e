"""When every pooled database connection is taken (a room-sized burst on a small
machine), a request waits the pool's timeout and then gets a clear 503 with
Retry-After, never a 500, and nothing half-written."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.database


@pytest.fixture
def short_pool_wait(app):
    # The real pool of the real engine, with its wait shortened from 30 s so the test
    # does not sit for half a minute.
    pool = app.state.engine.pool
    before = pool._timeout
    pool._timeout = 0.2
    yield pool
    pool._timeout = before


def test_exhausted_pool_answers_503_with_retry_after(api, app, client, short_pool_wait):
    fac = api.facilitator()
    session = api.session(fac)
    phone = api.join(session["join_code"])
    held = []
    try:
        while True:  # take every connection the pool will give
            try:
                held.append(app.state.engine.connect())
            except Exception:  # noqa: BLE001 - the pool said no: it is exhausted
                break
        r = client.post(f"/api/v1/sessions/{session['id']}/ideas", json={"text": "Saat penuh"}, headers=phone.headers)
        assert r.status_code == 503 and r.headers["retry-after"] == "2"
        assert "sibuk" in r.json()["detail"]
        page = client.get("/console", follow_redirects=False)
        assert page.status_code in (303, 503)  # the login redirect needs no database; a page that does says busy
    finally:
        for conn in held:
            conn.close()
    assert api.board(fac, session["id"])["groups"] == []  # nothing half-written
    assert api.idea(phone, "Setelah lega")["text"] == "Setelah lega"
