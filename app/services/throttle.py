"""Counting failures per key in a sliding window: enough to stop password guessing
and join-code enumeration without an extra service.

Per process: with several workers each keeps its own count, so the real limit is
the limit times the workers; still far below what guessing needs (a password or
one of 887 million join codes). Memory is bounded: old entries are dropped.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class Throttle:
    def __init__(
        self, limit: int, window_seconds: float, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()  # routes run in a thread pool

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again; 0 when it may now."""
        with self._lock:
            stamps = self._recent(key)
            if len(stamps) < self.limit:
                return 0
            return max(1, int(stamps[0] + self.window - self._clock()) + 1)

    def fail(self, key: str) -> None:
        with self._lock:
            if len(self._failures) >= self._max_keys:
                self._prune()
            self._recent(key).append(self._clock())

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        stamps = self._failures.setdefault(key, deque())
        cutoff = self._clock() - self.window
        while stamps and stamps[0] <= cutoff:
            stamps.popleft()
        return stamps

    def _prune(self) -> None:
        cutoff = self._clock() - self.window
        for key in [k for k, v in self._failures.items() if not v or v[-1] <= cutoff]:
            del self._failures[key]
