"""``redis://`` broker: the same tiny interface across processes and hosts.

Every process of a deployment subscribes to one channel and publishes
"session:seq" on it after each commit. Local listeners are woken at once from the in-process fan-out (the
Redis round trip only serves the other processes; the echo of our own signal is
ignored by ``Subscription.notify``).

Redis only signals; the event log in the database stays the source of truth. So
Redis being down never fails a write: publishing is fire-and-forget on the event
loop, listeners on other processes catch up on their next heartbeat re-read
(``lossless`` is False), and when the subscription comes back every local listener
re-reads the log at once. ``ping`` (for /readyz) says whether Redis answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from app.realtime.broker import MemoryBroker

log = logging.getLogger("rembuk.broker")

CHANNEL_PREFIX = "rembuk:events:"
PUBLISH_TIMEOUT = 2.0  # seconds; a hung Redis must not pile up publishes forever
MAX_IN_FLIGHT = 1000  # publishes waiting on a slow Redis beyond this are dropped (the log has them)
RETRY_MAX = 5.0


class RedisBroker(MemoryBroker):
    lossless = False  # a network broker can drop signals
    multi_process = True

    def __init__(self, url: str, namespace: str = "default") -> None:
        super().__init__()
        self.url = url
        # Pub/sub channels are global to a Redis server (not per database number): the
        # namespace keeps two deployments (or test runs) sharing one Redis apart.
        self.channel = CHANNEL_PREFIX + namespace
        self._publisher: aioredis.Redis | None = None
        self._listener: asyncio.Task | None = None
        self._in_flight = 0
        self.subscribed = asyncio.Event()  # set while the channel subscription is up

    async def start(self) -> None:
        await super().start()
        self.subscribed = asyncio.Event()
        self._publisher = aioredis.from_url(
            self.url, socket_timeout=PUBLISH_TIMEOUT, socket_connect_timeout=PUBLISH_TIMEOUT
        )
        self._listener = asyncio.create_task(self._listen(), name="rembuk-redis-listener")

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):  # shutting down: however it ended
                await self._listener
        if self._publisher is not None:
            await self._publisher.aclose()

    async def ping(self) -> bool:
        if self._publisher is None or not self.subscribed.is_set():
            return False
        try:
            return bool(await asyncio.wait_for(self._publisher.ping(), PUBLISH_TIMEOUT))
        except (RedisError, OSError, TimeoutError):
            return False

    # --- signals out ------------------------------------------------------------------
    def publish(self, session_id: int, seq: int) -> None:
        super().publish(session_id, seq)  # this process's listeners, without a round trip
        loop = self._loop
        if loop is None or loop.is_closed() or self._publisher is None:
            return
        loop.call_soon_threadsafe(self._send, session_id, seq)

    def _send(self, session_id: int, seq: int) -> None:
        if self._in_flight >= MAX_IN_FLIGHT:
            return  # Redis is stuck; other processes will catch up from the log
        self._in_flight += 1
        task = asyncio.get_running_loop().create_task(self._publish(f"{session_id}:{seq}"))
        task.add_done_callback(self._sent)

    async def _publish(self, message: str) -> None:
        if self._publisher is None:
            raise RuntimeError("publish() sends only once start() made the publisher")
        try:
            await self._publisher.publish(self.channel, message)
        except (RedisError, OSError, TimeoutError) as exc:
            log.debug("redis publish failed (listeners catch up from the log): %s", exc)

    def _sent(self, _task: asyncio.Task) -> None:
        self._in_flight -= 1

    # --- signals in -------------------------------------------------------------------
    async def _listen(self) -> None:
        delay = 0.1
        lost = False
        while True:
            client = aioredis.from_url(self.url, socket_connect_timeout=PUBLISH_TIMEOUT, health_check_interval=10)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self.subscribed.set()
                delay = 0.1
                if lost:
                    log.warning("redis broker reconnected: listeners re-read the event log")
                    self.wake_all()  # anything published meanwhile was lost: catch up now
                    lost = False
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._receive(message["data"])
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                if not lost:
                    log.warning("redis broker unreachable (%s); retrying, writes go on", exc)
                lost = True
            finally:
                self.subscribed.clear()
                try:
                    await pubsub.aclose()
                    await client.aclose()
                except (RedisError, OSError):
                    pass
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX)

    def _receive(self, data: bytes | str) -> None:
        try:
            text = data.decode() if isinstance(data, bytes) else data
            session_id, seq = (int(part) for part in text.split(":", 1))
        except ValueError:
            return  # not ours: ignore rather than die
        self._deliver(session_id, seq)
