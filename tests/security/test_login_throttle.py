"""Password guessing is stopped: after 5 failed logins for an account (or 20 from
one address) in 15 minutes the next try is refused with 429 before any password is
checked, in the API and on the login page; other accounts are not affected."""

from __future__ import annotations

from app.services.throttle import Throttle
from tests.builders import PASSWORD


def login(client, email: str, password: str):
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def test_five_failures_lock_the_account_for_a_while(api, client):
    api.facilitator("dewi@kominfo.go.id")
    api.facilitator("budi@kominfo.go.id")
    for _ in range(5):
        assert login(client, "dewi@kominfo.go.id", "tebakan-salah").status_code == 401
    locked = login(client, "DEWI@kominfo.go.id", PASSWORD)  # even the right password, any spelling
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert "Terlalu banyak percobaan masuk" in locked.json()["detail"]
    assert login(client, "budi@kominfo.go.id", PASSWORD).status_code == 200  # another account is fine
    page = client.post("/login", data={"email": "dewi@kominfo.go.id", "password": PASSWORD})
    assert page.status_code == 429 and "Terlalu banyak percobaan masuk" in page.text


def test_window_slides_and_success_resets():
    now = [0.0]
    throttle = Throttle(3, 60, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.retry_after("a") == 0
        throttle.fail("a")
    assert 0 < throttle.retry_after("a") <= 61
    assert throttle.retry_after("b") == 0
    now[0] = 61.0
    assert throttle.retry_after("a") == 0  # the failures aged out
    throttle.fail("a")
    throttle.reset("a")
    assert throttle.retry_after("a") == 0
