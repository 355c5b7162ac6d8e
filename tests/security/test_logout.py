"""Logout ends the login on the server, not only in the browser that asked.

Facilitator tokens are signed, not stored; each carries the facilitator's
``token_epoch``, and logging out bumps it. So after a logout every token and cookie
of that facilitator, on every device, is refused: a token copied off a venue laptop
is dead too. Runs on every database backend (``client``/``api`` take ``settings``).
"""

from __future__ import annotations

from sqlalchemy import select

from app.models import Facilitator
from app.security import FACILITATOR_COOKIE
from app.services import facilitators
from tests.builders import PASSWORD

EMAIL = "dewi@kominfo.go.id"


def bearer(headers: dict[str, str]) -> str:
    return headers["Authorization"].split()[1]


def epoch(app) -> int:
    with app.state.sessions() as db:
        return db.scalar(select(Facilitator.token_epoch).where(Facilitator.email == EMAIL))


def test_api_logout_ends_every_token_of_the_facilitator(api, client, app):
    laptop = api.facilitator(email=EMAIL)
    tablet = api.login(EMAIL)  # a second login, another device
    assert epoch(app) == 0
    for headers in (laptop, tablet):
        assert client.get("/api/v1/workshops", headers=headers).status_code == 200

    r = client.post("/api/v1/auth/logout", headers=laptop)
    assert r.status_code == 204 and r.content == b""
    assert epoch(app) == 1

    for headers in (laptop, tablet):
        r = client.get("/api/v1/workshops", headers=headers)
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
    assert client.post("/api/v1/auth/logout", headers=laptop).status_code == 401  # already ended

    fresh = api.login(EMAIL)  # logging in again works, with a token of the new epoch
    assert client.get("/api/v1/workshops", headers=fresh).status_code == 200
    assert client.post("/api/v1/auth/logout").status_code == 401  # no credentials


def test_the_logout_form_ends_the_cookie_and_the_api_tokens(app, api, client):
    api_headers = api.facilitator(email=EMAIL)
    r = client.post("/login", data={"email": EMAIL, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
    cookie = client.cookies[FACILITATOR_COOKIE]
    assert client.get("/console", follow_redirects=False).status_code == 200

    r = client.post("/logout", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert FACILITATOR_COOKIE not in client.cookies
    assert epoch(app) == 1

    client.cookies.set(FACILITATOR_COOKIE, cookie)  # someone kept a copy of the cookie
    r = client.get("/console", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/console"
    r = client.get("/login", follow_redirects=False)
    assert r.status_code == 200  # the login page is shown, not skipped
    assert client.get("/api/v1/workshops", headers=api_headers).status_code == 401

    # Logging out with a dead cookie only clears it: no error, nothing bumped.
    r = client.post("/logout", follow_redirects=False)
    assert r.status_code == 303 and epoch(app) == 1


def test_logging_out_one_facilitator_leaves_the_others_logged_in(api, client):
    dewi = api.facilitator(email=EMAIL)
    budi = api.facilitator(email="budi@kominfo.go.id")
    assert client.post("/api/v1/auth/logout", headers=dewi).status_code == 204
    assert client.get("/api/v1/workshops", headers=dewi).status_code == 401
    assert client.get("/api/v1/workshops", headers=budi).status_code == 200


def test_tokens_signed_before_epochs_existed_stay_valid_until_a_logout(api, client, app):
    """Upgrading must not log everyone out: a token without an epoch reads as epoch 0."""
    api.facilitator(email=EMAIL)
    with app.state.sessions() as db:
        facilitator_id = db.scalar(select(Facilitator.id).where(Facilitator.email == EMAIL))
    old = app.state.signer._fac.dumps({"f": facilitator_id})  # the format before token epochs
    headers = {"Authorization": f"Bearer {old}"}
    assert client.get("/api/v1/workshops", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/workshops", headers=headers).status_code == 401


def test_the_service_bumps_in_one_update(app):
    """Two logouts both count (an UPDATE … SET token_epoch = token_epoch + 1, never a lost write)."""
    with app.state.sessions() as db:
        facilitator = facilitators.create_facilitator(db, email=EMAIL, password=PASSWORD)
        assert facilitator.token_epoch == 0
    with app.state.sessions() as first, app.state.sessions() as second:
        a = facilitators.get(first, facilitator.id)
        b = facilitators.get(second, facilitator.id)
        assert facilitators.log_out_everywhere(first, facilitator=a) == 1
        assert facilitators.log_out_everywhere(second, facilitator=b) == 2  # b was loaded at epoch 0
        assert a.token_epoch == 1 and b.token_epoch == 2
    assert epoch(app) == 2
