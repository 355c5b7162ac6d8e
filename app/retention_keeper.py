"""The server applies retention itself (``app.services.retention``): when it starts
and then once a day, so a workshop's names go when they are due without anyone
having to remember a command. (``rembuk retention`` does one round, for an
operator's cron on a server that is rarely up.)

- **At start, then daily.** A laptop that is off for weeks between tahap erases
  what fell due meanwhile as soon as it is started again; a server that runs for
  months erases within a day of the date the console announces.
- **Several workers or servers.** Every worker runs a keeper. No lock between them
  is needed: a round is idempotent (an erased person is not erased again, and the
  workshop's row is locked while its ``names_erased_at`` is set, so one worker
  records the audit entry), and a round that finds nothing due writes nothing.
- **Snapshots renewed.** The rolling snapshots taken before a round still hold the
  names it erased: after a round that erased, they are renewed (``after_erasure``).
- **Off the event loop.** A round is database work: it runs in a worker thread, and
  a shutdown waits for a round under way to finish (each transaction is whole
  either way).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.orm import sessionmaker

from app.models import utcnow
from app.services import retention
from app.settings import Settings
from app.snapshots import SnapshotKeeper, after_erasure

log = logging.getLogger("rembuk.retention")

DAY_SECONDS = 24 * 3600


class RetentionKeeper:
    """The server's retention task: ``start`` it in the app's lifespan, ``stop`` it at
    shutdown."""

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker,
        snapshots: SnapshotKeeper | None = None,
        interval: float = DAY_SECONDS,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.snapshots = snapshots
        self.interval = interval
        self._stopping = asyncio.Event()
        self._task: asyncio.Task | None = None

    @classmethod
    def start(
        cls, settings: Settings, sessions: sessionmaker, snapshots: SnapshotKeeper | None = None
    ) -> RetentionKeeper:
        keeper = cls(settings, sessions, snapshots)
        keeper._task = asyncio.get_running_loop().create_task(keeper._run(), name="rembuk-retention")
        return keeper

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await asyncio.to_thread(self.round)
            except Exception:
                log.exception("retention round failed; the next round tries again")
            with contextlib.suppress(TimeoutError):  # the next round is due
                await asyncio.wait_for(self._stopping.wait(), self.interval)

    def round(self) -> int:
        """Erase the names of every workshop due now; returns how many workshops."""
        with self.sessions() as db:
            done = retention.apply(db, utcnow())
        if done:
            log.info("retention: names erased in %d workshop(s)", done)  # counts only, never a name
            after_erasure(self.snapshots, self.settings)
        return done
