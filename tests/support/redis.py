"""The Redis the scale-out tests use (``REMBUK_TEST_REDIS_URL``): skip, or fail under
CI's ``REMBUK_TEST_REQUIRE_REDIS=1``, when it does not answer."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from tests.support.servers import free_port

REDIS_URL = os.environ.get("REMBUK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_up(url: str = REDIS_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def needs_redis() -> None:
    if not redis_up():
        if os.environ.get("REMBUK_TEST_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required (REMBUK_TEST_REQUIRE_REDIS=1) but {REDIS_URL} does not answer")
        pytest.skip(f"no Redis at {REDIS_URL}")


class PrivateRedis:
    """A redis-server of our own, so the test can stop it without touching the machine's."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not redis_up(self.url):
            assert time.monotonic() < deadline, "private redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None
