"""The broker contract, on both backends: ``memory://`` (one process) and
``redis://`` (the machine's own Redis). Two broker instances stand for two worker
processes; a private redis-server started here shows Redis going down and back."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid

import pytest

from app.realtime.broker import MemoryBroker
from app.realtime.brokers import broker_from_url
from app.realtime.redis_broker import RedisBroker
from tests.support.redis import REDIS_URL, needs_redis


def make(kind: str, namespace: str):
    if kind == "memory":
        return broker_from_url("memory://")
    needs_redis()
    return broker_from_url(REDIS_URL, namespace=namespace)


async def started(*brokers):
    for broker in brokers:
        await broker.start()
    for broker in brokers:
        if isinstance(broker, RedisBroker):
            await asyncio.wait_for(broker.subscribed.wait(), 5)


async def woken(sub, seq: int, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while sub.latest < seq:
        left = deadline - time.monotonic()
        assert left > 0, f"not woken: latest {sub.latest}, expected {seq}"
        await sub.wait(left)


@pytest.fixture(params=["memory", "redis"])
def kind(request):
    return request.param


def test_scheme_selects_the_backend():
    assert isinstance(broker_from_url("memory://"), MemoryBroker)
    assert isinstance(broker_from_url("redis://127.0.0.1:6379/0"), RedisBroker)
    with pytest.raises(ValueError, match="memory:// or redis://"):
        broker_from_url("kafka://x")


def test_subscriber_is_woken_with_the_newest_seq(kind):
    async def scenario():
        broker = make(kind, uuid.uuid4().hex)
        await started(broker)
        try:
            sub = broker.subscribe(7)
            other = broker.subscribe(8)
            broker.publish(7, 3)
            await woken(sub, 3)
            # From a worker thread, as the after-commit hook publishes.
            thread = threading.Thread(target=broker.publish, args=(7, 4))
            thread.start()
            thread.join()
            await woken(sub, 4)
            assert other.latest == 0 and not await other.wait(0.2)  # another session heard nothing
            broker.unsubscribe(sub)
            broker.publish(7, 5)
            await asyncio.sleep(0.2)
            assert sub.latest == 4
            assert await broker.ping()
        finally:
            await broker.stop()

    asyncio.run(scenario())


def test_signals_cross_processes_only_on_redis(kind):
    """Broker B stands for another worker: it hears A's writes only through Redis."""

    async def scenario():
        namespace = uuid.uuid4().hex
        a, b = make(kind, namespace), make(kind, namespace)
        stranger = make(kind, uuid.uuid4().hex)  # another deployment on the same Redis
        await started(a, b, stranger)
        try:
            on_b, on_stranger = b.subscribe(1), stranger.subscribe(1)
            a.publish(1, 10)
            if kind == "redis":
                assert a.multi_process and not a.lossless
                await woken(on_b, 10)
            else:
                assert not a.multi_process and a.lossless
                assert not await on_b.wait(0.3)
            assert not await on_stranger.wait(0.3)
        finally:
            for broker in (a, b, stranger):
                await broker.stop()

    asyncio.run(scenario())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_redis_going_down_loses_no_write_and_listeners_catch_up(private_redis):
    """While Redis is down publishing never raises or blocks (writes go on) and
    readiness says the broker is down; when it is back every listener is woken to
    re-read the event log, and signals flow again."""

    async def scenario():
        a = RedisBroker(private_redis.url, "t")
        b = RedisBroker(private_redis.url, "t")
        await started(a, b)
        try:
            sub = b.subscribe(1)
            a.publish(1, 1)
            await woken(sub, 1)

            private_redis.stop()
            await asyncio.sleep(0.3)
            began = time.monotonic()
            for seq in range(2, 50):
                a.publish(1, seq)  # the writes of a busy minute: none may fail
            assert time.monotonic() - began < 0.5
            assert not await a.ping() and not await b.ping()
            await asyncio.sleep(0.5)
            assert sub.latest == 1  # nothing reached the other worker meanwhile

            private_redis.start()
            await asyncio.wait_for(b.subscribed.wait(), 15)
            # Woken to re-read the log (what it missed is there), without a new signal.
            assert await sub.wait(5)
            await asyncio.wait_for(a.subscribed.wait(), 15)
            assert await a.ping()
            a.publish(1, 50)
            await woken(sub, 50)
        finally:
            await a.stop()
            await b.stop()

    asyncio.run(scenario())
