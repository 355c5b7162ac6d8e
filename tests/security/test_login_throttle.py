"""Password guessing is stopped: after 5 failed logins for an account (or 20 from
one address) in 15 minutes the next try is refused with 429 before any password is
checked, in the API and on the login page; other accounts are not affected. With
Redis as the broker every worker counts together."""

from __future__ import annotations

import logging
import time
import uuid

import httpx
import pytest

from app.services.throttle import RateLimitStore, Throttle
from tests.builders import PASSWORD
from tests.support.redis import REDIS_URL, needs_redis


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
    throttle = Throttle("test", 3, 1, RateLimitStore())  # a one-second window, so the test can wait it out
    for _ in range(3):
        assert throttle.retry_after("a") == 0
        throttle.fail("a")
    assert 0 < throttle.retry_after("a") <= 2
    assert throttle.retry_after("b") == 0
    time.sleep(1.05)
    assert throttle.retry_after("a") == 0  # the failures aged out
    throttle.fail("a")
    throttle.reset("a")
    assert throttle.retry_after("a") == 0


# --- shared by every worker when the broker is Redis ------------------------------------------


@pytest.mark.server
def test_two_workers_on_redis_share_one_login_limit(server_factory, facilitator_email):
    """Failed logins spread over two workers count together: after 3 on one and 2 on
    the other the account is locked on both (counted per worker, neither would be)."""
    needs_redis()
    a, b = server_factory.several(2, broker_url=REDIS_URL)
    with httpx.Client(base_url=a.url, timeout=10) as on_a, httpx.Client(base_url=b.url, timeout=10) as on_b:
        for worker in (on_a, on_b, on_a, on_b, on_a):
            assert login(worker, facilitator_email, "tebakan-salah").status_code == 401
        for worker in (on_b, on_a):
            locked = login(worker, facilitator_email, PASSWORD)
            assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
            assert "Terlalu banyak percobaan masuk" in locked.json()["detail"]


def test_two_deployments_on_one_redis_count_apart():
    needs_redis()
    one, other = (RateLimitStore(REDIS_URL, namespace=uuid.uuid4().hex) for _ in range(2))
    worker_of_one = RateLimitStore(REDIS_URL, namespace=one.namespace)
    for _ in range(2):
        Throttle("test", 2, 60, one).fail("dewi@kominfo.go.id")
    assert Throttle("test", 2, 60, worker_of_one).retry_after("dewi@kominfo.go.id") > 0
    assert Throttle("test", 2, 60, other).retry_after("dewi@kominfo.go.id") == 0


def test_redis_down_limits_still_hold_per_worker(private_redis, caplog):
    """Redis gone: the limit still holds, counted in this worker (a warning says so);
    when Redis answers again the workers share their counts once more."""
    store = RateLimitStore(private_redis.url, namespace="down", retry_seconds=0.2)
    throttle = Throttle("test", 2, 60, store)
    private_redis.stop()
    with caplog.at_level(logging.WARNING, logger="rembuk.throttle"):
        throttle.fail("dewi@kominfo.go.id")
        throttle.fail("dewi@kominfo.go.id")
        assert throttle.retry_after("dewi@kominfo.go.id") > 0
    assert [r.getMessage() for r in caplog.records if "Redis unreachable" in r.getMessage()]
    private_redis.start()
    time.sleep(0.25)
    throttle.fail("budi@kominfo.go.id")
    throttle.fail("budi@kominfo.go.id")
    other_worker = Throttle("test", 2, 60, RateLimitStore(private_redis.url, namespace="down"))
    assert other_worker.retry_after("budi@kominfo.go.id") > 0
