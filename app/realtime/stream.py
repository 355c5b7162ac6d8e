"""One SSE stream per connected screen, following a session's event log.

Order of operations matters: subscribe first, then read where the log is, so a
change committed in between wakes us instead of falling through the gap.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

from sse_starlette import ServerSentEvent

from app.db import SESSION_GONE_SEQ
from app.realtime.broker import Broker
from app.realtime.feed import EventFeed, EventRecord, SessionGone
from app.realtime.gate import QUIET_SECONDS, Gates, Shows, Watcher
from app.realtime.sse import LiveStreamResponse

# (seq, data) of a full state; data is already serialised for this audience.
SnapshotLoader = Callable[[], Awaitable[tuple[int, str]]]
# (event name, data) for one event, rendered for this audience.
EventRenderer = Callable[[EventRecord], tuple[str, str]]
# Several events at once → the bytes of their SSE messages (``burst`` with a renderer;
# a caller may remember one burst for every stream of an audience).
BurstRenderer = Callable[[list[EventRecord]], bytes]
# Several events at once → messages (event name, data, id); may merge or drop them
# (a screen that only needs the end state of a burst). Must render every record, in
# order, so the renderer's state follows the log. A message named None shows nothing
# (it only moves the screen's seq on): it may be held back, see QUIET_SECONDS.
BatchRenderer = Callable[[list[EventRecord]], list[tuple[str | None, str, int]]]
# Whether the credential the stream was opened with still holds (a facilitator who
# logged out, on this device or another): asked once per heartbeat interval.
StillAllowed = Callable[[], Awaitable[bool]]
# The last message of a stream whose credential ended: the page reloads (and meets
# the login form), an API client knows not to reconnect with the same token.
END_EVENT = "end"
END_DATA = '{"reason": "login_ended"}'
# The same end for a read-only link that was revoked (``app.services.shares``).
LINK_REVOKED = '{"reason": "link_revoked"}'
# And for every screen of a session its owner deleted (``app.services.deletion``): a
# page shows "this session was deleted" instead of reconnecting into a 404.
SESSION_DELETED = '{"reason": "session_deleted"}'
# The server's time, first on a page's stream (not on the JSON API's).
CLOCK_EVENT = "clock"

RECONNECT_MS = 2000
SEP = ServerSentEvent.DEFAULT_SEPARATOR


def burst(records: list[EventRecord], render: EventRenderer) -> bytes:
    """Several events as the bytes of their SSE messages, one after the other (what
    ``ServerSentEvent.encode`` writes for each)."""
    frames = []
    for record in records:
        name, data = render(record)
        if "\n" in data or "\r" in data:  # never from json.dumps; split into data lines
            frames.append(ServerSentEvent(data, event=name, id=str(record.seq)).encode().decode())
        else:
            frames.append(f"id: {record.seq}{SEP}event: {name}{SEP}data: {data}{SEP}{SEP}")
    return "".join(frames).encode()


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
    render_batch: BatchRenderer | None = None,
    render_burst: BurstRenderer | None = None,
    tick_seconds: float = 0.0,
    still_allowed: StillAllowed | None = None,
    clock: Callable[[], str] | None = None,
    end_data: str = END_DATA,
    gates: Gates | None = None,
    watcher: Watcher | None = None,
    shows: Shows | None = None,
) -> AsyncIterator[ServerSentEvent | bytes]:
    """``tick_seconds``: after a wake, wait until a tick has passed since the last
    send, so a burst (5,000 votes in 10 s) is read and sent in a few batches rather
    than event by event; each connection then costs one wake per tick, not per event.
    ``still_allowed``: checked every ``wait_seconds``; once it says no, the stream
    sends ``END_EVENT`` and closes (a logout also ends the screens already open).
    ``clock``: the data of a first ``event: clock`` with the server's time, so a page
    corrects its own clock (the timer) each time it connects.
    ``gates``, ``watcher`` and ``shows``: the stream is woken only for events that show
    something on its screen (``app.realtime.gate``); the seq of the others still
    arrives, at the next quiet moment."""
    if gates is not None and watcher is not None and shows is not None:
        sub, gated = gates.subscribe(session_id, watcher, shows), True
    else:
        sub, gated = broker.subscribe(session_id), False
    loop = asyncio.get_running_loop()
    last_read = last_send = 0.0
    last_check = loop.time()

    def check_due() -> bool:
        return still_allowed is not None and loop.time() - last_check >= wait_seconds

    async def ended() -> bool:
        nonlocal last_check
        if still_allowed is None or not check_due():
            return False
        last_check = loop.time()
        return not await still_allowed()

    def refile() -> None:
        # What a screen just read may have moved it to another audience (a phase, a
        # setting): it tells its gate before anything else runs on the loop, so the
        # gate never judges for it under the old one.
        if gated and gates is not None:
            gates.refile(sub)

    async def take_snapshot() -> tuple[int, str]:
        try:
            found = await snapshot()
            refile()
            return found
        except Exception:
            # A session deleted while its state was read fails there in some way of its
            # own (a missing row): that is the end of the stream, not an error.
            if await feed.last_seq(session_id) is None:
                raise SessionGone(session_id) from None
            raise

    held: tuple[str, int] | None = None  # (data, seq) of a message that shows nothing, not sent yet
    cursor = 0
    try:
        yield ServerSentEvent(retry=RECONNECT_MS, comment="rembuk")
        if clock is not None:
            yield ServerSentEvent(clock(), event=CLOCK_EVENT)
        found = await feed.last_seq(session_id)
        if found is None:
            raise SessionGone(session_id)  # deleted between the caller's check and here
        last_seq = found
        if needs_snapshot(last_event_id, last_seq, replay_limit):
            seq, data = await take_snapshot()
            yield ServerSentEvent(data, event="snapshot", id=str(seq))
            cursor = seq
        else:
            cursor = last_event_id or 0
        # The newest seq we know exists. Waiting only once the cursor reaches it matters:
        # a batch served from the feed's ring can stop short of the log's end, and with
        # no new signal coming a reconnecting screen would sit behind until the next
        # wait timeout (the heartbeat interval) instead of catching up at once.
        known = last_seq
        # A screen that starts where the log ends (most do: from its page's seq, or a
        # snapshot) has nothing to read yet, and anything newer wakes it: we subscribed
        # before looking. Its first read would only find that out from the database.
        up_to_date = cursor >= last_seq
        while True:
            if await ended():
                gone = await feed.last_seq(session_id) is None
                yield ServerSentEvent(SESSION_DELETED if gone else end_data, event=END_EVENT, id=str(cursor))
                return
            if sub.latest >= SESSION_GONE_SEQ:
                # Told the session was deleted: read the log itself, not the ring.
                feed.forget(session_id)
                up_to_date = False
            if up_to_date:
                batch, up_to_date = [], False
            else:
                batch = await feed.after(session_id, cursor)
            if batch and batch[0].seq != cursor + 1:
                # The log never has gaps, so this means our cursor is unusable: resync.
                seq, data = await take_snapshot()
                yield ServerSentEvent(data, event="snapshot", id=str(seq))
                cursor = seq
                continue
            if render_batch is not None and batch:
                messages = render_batch(batch)
                refile()
                for name, data, seq in messages:
                    if name is None:
                        held = (data, seq)
                        continue
                    held = None
                    yield ServerSentEvent(data, event=name, id=str(seq))
                    last_send = loop.time()
                cursor = batch[-1].seq
                # (A gated stream reads quiet events only when its gate nudges it, which
                # the gate already spaces out: it sends their seq at once.)
                if held is not None and (gated or loop.time() - last_send >= QUIET_SECONDS):
                    yield ServerSentEvent(held[0], event="ops", id=str(held[1]))
                    held, last_send = None, loop.time()
            elif batch:
                # The batch as one write: with 500 phones and a tick's worth of events
                # each, one send per event was most of what the server did per event.
                yield render_burst(batch) if render_burst is not None else burst(batch, render)
                cursor = batch[-1].seq
                last_send = loop.time()
            if batch:
                last_read = loop.time()
            signalled = sub.latest if sub.latest < SESSION_GONE_SEQ else known
            known = max(known, signalled, cursor)
            if batch and cursor < known:
                if known - cursor > replay_limit:
                    # Fell too far behind while reading (a flood of changes): a snapshot
                    # is cheaper than the replay.
                    seq, data = await take_snapshot()
                    yield ServerSentEvent(data, event="snapshot", id=str(seq))
                    cursor = seq
                continue  # more to read before waiting
            while True:
                quiet_left = QUIET_SECONDS - (loop.time() - last_send)
                # Something held back goes out at the quiet moment. (A gated stream holds
                # nothing: its gate wakes it at the quiet moment, and it sends at once.)
                woken = await sub.wait(max(quiet_left, 0.0) if held is not None else wait_seconds)
                if woken or check_due():
                    break  # (the outer loop checks the credential)
                if held is not None:  # a quiet moment: the held seq goes out now
                    yield ServerSentEvent(held[0], event="ops", id=str(held[1]))
                    held, last_send = None, loop.time()
                    continue
                if not (broker.lossless and sub.latest <= cursor):
                    break
                # An in-process broker cannot drop a signal, so a quiet timeout means
                # nothing new: skip the database read (1,000 idle phones would otherwise
                # query it every heartbeat).
            pause = tick_seconds - (loop.time() - last_read)
            if woken and pause > 0 and sub.latest < SESSION_GONE_SEQ:
                await asyncio.sleep(pause)  # let the burst gather: one read and one send per tick
    except SessionGone:
        # The session was deleted: its screens end now, with why (no reconnect loop).
        feed.forget(session_id)
        yield ServerSentEvent(SESSION_DELETED, event=END_EVENT, id=str(cursor))
    finally:
        if gated and gates is not None:
            gates.unsubscribe(sub)
        else:
            broker.unsubscribe(sub)


def session_event_response(
    state,
    *,
    session_id: int,
    last_event_id: int | None,
    snapshot: SnapshotLoader,
    render: EventRenderer,
    render_batch: BatchRenderer | None = None,
    render_burst: BurstRenderer | None = None,
    still_allowed: StillAllowed | None = None,
    clock: Callable[[], str] | None = None,
    end_data: str = END_DATA,
    watcher: Watcher | None = None,
    shows: Shows | None = None,
) -> LiveStreamResponse:
    """The SSE response every live screen uses (JSON API and HTML pages alike):
    the app's broker, feed and settings, heartbeats, and no proxy buffering
    (``app.realtime.sse``: its messages skip the middleware and the per-send timer)."""
    stream = follow_session(
        broker=state.broker,
        feed=state.feed,
        session_id=session_id,
        last_event_id=last_event_id,
        replay_limit=state.settings.sse_replay_limit,
        wait_seconds=state.settings.sse_heartbeat_seconds,
        snapshot=snapshot,
        render=render,
        render_batch=render_batch,
        render_burst=render_burst,
        tick_seconds=state.settings.sse_tick_seconds,
        still_allowed=still_allowed,
        clock=clock,
        end_data=end_data,
        gates=state.gates,
        watcher=watcher,
        shows=shows,
    )
    return LiveStreamResponse(
        stream,
        ping=state.settings.sse_heartbeat_seconds,
        # A phone that stops reading for this long is dropped; it reconnects with its id.
        send_timeout=30,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
