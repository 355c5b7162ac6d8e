"""Counting failures per key in a sliding window (the ``limits`` library's moving
window): enough to stop password guessing and join-code enumeration.

Where the counts live follows the broker (``RateLimitStore``): with ``memory://``
in this process; with ``redis://`` in Redis, so every worker and host of the
deployment counts together (keys carry the deployment id: two Rembuks on one Redis
count apart). Memory is bounded: entries leave when their window has passed.

If Redis stops answering, the counts fall back to this process's memory (a warning
is logged) and Redis is tried again after ``REDIS_RETRY_SECONDS``. Logins and joins
go on, limited per worker as with one process: refusing everyone would lock the
facilitators out of a live workshop, letting everyone through would open guessing.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlparse

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger("rembuk.throttle")

REDIS_TIMEOUT = 1.0  # seconds; a hung Redis must not hold a login for long
REDIS_RETRY_SECONDS = 30.0  # after a failure, count in memory this long before trying Redis again

T = TypeVar("T")


class RateLimitStore:
    """Where the limits count: this process, or Redis shared by the deployment."""

    def __init__(
        self, url: str = "memory://", namespace: str = "default", *, retry_seconds: float = REDIS_RETRY_SECONDS
    ) -> None:
        self.namespace = namespace
        self.retry_seconds = retry_seconds
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._shared: MovingWindowRateLimiter | None = None
        self._redis: RedisStorage | None = None
        self._shared_errors: tuple[type[Exception], ...] = ()
        if urlparse(url).scheme in ("redis", "rediss"):
            # The sync client: the guards run in route threads, never on the event loop.
            storage = RedisStorage(
                url,
                key_prefix=f"rembuk:limits:{namespace}",
                socket_timeout=REDIS_TIMEOUT,
                socket_connect_timeout=REDIS_TIMEOUT,
            )
            errors = storage.base_exceptions
            self._shared_errors = errors if isinstance(errors, tuple) else (errors,)
            self._shared = MovingWindowRateLimiter(storage)
            self._redis = storage
        self._redis_down_until = 0.0
        self._lock = threading.Lock()

    def run(self, action: Callable[[MovingWindowRateLimiter], T]) -> T:
        """``action`` on Redis when there is one and it answers, else on memory."""
        if self._shared is not None and time.monotonic() >= self._redis_down_until:
            try:
                result = action(self._shared)
            except self._shared_errors as exc:
                with self._lock:
                    if not self._redis_down_until:
                        log.warning(
                            "rate limits: Redis unreachable (%s); counting per worker until it answers again", exc
                        )
                    self._redis_down_until = time.monotonic() + self.retry_seconds
            else:
                if self._redis_down_until:
                    with self._lock:
                        if self._redis_down_until:
                            log.warning("rate limits: Redis answers again; limits are shared by every worker")
                        self._redis_down_until = 0.0
                return result
        return action(self._local)

    def close(self) -> None:
        if self._redis is not None:
            self._redis.storage.close()


class Throttle:
    """At most ``limit`` failures per key in any ``window_seconds``; ``name`` keeps
    the throttles on one store apart."""

    def __init__(self, name: str, limit: int, window_seconds: int, store: RateLimitStore) -> None:
        self.name = name
        self.limit = limit
        self.window = window_seconds
        self._item = RateLimitItemPerSecond(limit, window_seconds)
        self._store = store

    def _key(self, key: str) -> str:
        # Fixed length and no separators or personal data in Redis (keys are emails).
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again; 0 when it may now."""
        reset_at, remaining = self._store.run(
            lambda limiter: limiter.get_window_stats(self._item, self.name, self._key(key))
        )
        if remaining > 0:
            return 0
        return max(1, int(reset_at - time.time()) + 1)

    def fail(self, key: str) -> None:
        self._store.run(lambda limiter: limiter.hit(self._item, self.name, self._key(key)))

    def reset(self, key: str) -> None:
        self._store.run(lambda limiter: limiter.clear(self._item, self.name, self._key(key)))
