"""One SSE stream per connected screen, following a session's event log.

Order of operations matters: subscribe first, then read where the log is, so a
change committed in between wakes us instead of falling through the gap.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from sse_starlette import EventSourceResponse, ServerSentEvent

from app.realtime.broker import Broker
from app.realtime.feed import EventFeed, EventRecord

# (seq, data) of a full state; data is already serialised for this audience.
SnapshotLoader = Callable[[], Awaitable[tuple[int, str]]]
# (event name, data) for one event, rendered for this audience.
EventRenderer = Callable[[EventRecord], tuple[str, str]]

RECONNECT_MS = 2000


def needs_snapshot(last_event_id: int | None, last_seq: int, replay_limit: int) -> bool:
    """A client with no id, an id from the future (another database) or one too far
    behind gets the whole state instead of a replay."""
    if last_event_id is None or last_event_id < 0:
        return True
    if last_event_id > last_seq:
        return True
    return last_seq - last_event_id > replay_limit


async def follow_session(
    *,
    broker: Broker,
    feed: EventFeed,
    session_id: int,
    last_event_id: int | None,
    replay_limit: int,
    wait_seconds: float,
    snapshot: SnapshotLoader,
    render: EventRenderer,
) -> AsyncIterator[ServerSentEvent]:
    sub = broker.subscribe(session_id)
    try:
        yield ServerSentEvent(retry=RECONNECT_MS, comment="rembuk")
        last_seq = await feed.last_seq(session_id) or 0
        if needs_snapshot(last_event_id, last_seq, replay_limit):
            seq, data = await snapshot()
            yield ServerSentEvent(data, event="snapshot", id=str(seq))
            cursor = seq
        else:
            cursor = last_event_id or 0
        # The newest seq we know exists. Waiting only once the cursor reaches it matters:
        # a batch served from the feed's ring can stop short of the log's end, and with
        # no new signal coming a reconnecting screen would sit behind until the next
        # wait timeout (the heartbeat interval) instead of catching up at once.
        known = last_seq
        while True:
            batch = await feed.after(session_id, cursor)
            if batch and batch[0].seq != cursor + 1:
                # The log never has gaps, so this means our cursor is unusable: resync.
                seq, data = await snapshot()
                yield ServerSentEvent(data, event="snapshot", id=str(seq))
                cursor = seq
                continue
            for record in batch:
                name, data = render(record)
                cursor = record.seq
                yield ServerSentEvent(data, event=name, id=str(record.seq))
            known = max(known, sub.latest, cursor)
            if batch and cursor < known:
                if known - cursor > replay_limit:
                    # Fell too far behind while reading (a flood of changes): a snapshot
                    # is cheaper than the replay.
                    seq, data = await snapshot()
                    yield ServerSentEvent(data, event="snapshot", id=str(seq))
                    cursor = seq
                continue  # more to read before waiting
            woken = await sub.wait(wait_seconds)
            while not woken and broker.lossless and sub.latest <= cursor:
                # An in-process broker cannot drop a signal, so a quiet timeout means
                # nothing new: skip the database read (1,000 idle phones would otherwise
                # query it every heartbeat).
                woken = await sub.wait(wait_seconds)
    finally:
        broker.unsubscribe(sub)


def session_event_response(
    state, *, session_id: int, last_event_id: int | None, snapshot: SnapshotLoader, render: EventRenderer
) -> EventSourceResponse:
    """The SSE response every live screen uses (JSON API and HTML pages alike):
    the app's broker, feed and settings, heartbeats, and no proxy buffering."""
    stream = follow_session(
        broker=state.broker,
        feed=state.feed,
        session_id=session_id,
        last_event_id=last_event_id,
        replay_limit=state.settings.sse_replay_limit,
        wait_seconds=state.settings.sse_heartbeat_seconds,
        snapshot=snapshot,
        render=render,
    )
    return EventSourceResponse(
        stream,
        ping=state.settings.sse_heartbeat_seconds,
        # A phone that stops reading for this long is dropped; it reconnects with its id.
        send_timeout=30,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
