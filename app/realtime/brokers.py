"""Choosing the broker by URL (encode/broadcaster's habit): ``memory://`` for one
process, ``redis://`` for several workers or hosts. A backend is imported only when
it is chosen, so one process without Redis never loads the client."""

from __future__ import annotations

from urllib.parse import urlparse

from app.realtime.broker import Broker, MemoryBroker


def broker_from_url(url: str, namespace: str = "default") -> Broker:
    """``namespace``: what the processes of one deployment share (``app.main`` uses a
    digest of the database URL: workers on one database hear each other)."""
    scheme = urlparse(url).scheme
    if scheme == "memory":
        return MemoryBroker()
    if scheme in ("redis", "rediss"):
        from app.realtime.redis_broker import RedisBroker

        return RedisBroker(url, namespace)
    raise ValueError(f"Unsupported REMBUK_BROKER_URL scheme {scheme!r}: use memory:// or redis://host:6379/0")
