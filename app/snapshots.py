"""Rolling snapshots of the SQLite database while a session is live.

The server is one laptop in a hotel ballroom; if it dies mid-workshop, what the
room typed must survive somewhere else on its disk (or on a USB stick the folder
points to). Every ``REMBUK_BACKUP_MINUTES`` the server copies the database
(``app/backup.py``, consistent while it writes) into ``REMBUK_BACKUP_DIR`` as
``rembuk-<UTC date-time>.sqlite3`` and keeps the newest ``REMBUK_BACKUP_KEEP``.

- **Only when it matters.** A round copies only while a session is live
  (``services.sessions.any_live``; plus one round after the last one closed, so the
  end of a session is in a snapshot too) and only when something was written since
  the previous copy (``PRAGMA data_version``): sessions stay open for weeks between
  tahap, and an unchanged database is not copied again every five minutes.
- **One writer.** With ``rembuk serve --workers N`` every worker runs a keeper; the
  one holding the folder's ``.lock`` (an operating-system lock, released when its
  process ends, so another worker takes over at its next round) writes, the others
  skip their rounds.
- **Never worse than before.** A snapshot is written as ``<name>.tmp`` and renamed
  when complete and checked; old ones are deleted only after the new one is in
  place, and only files named like a snapshot. A ``.tmp`` left by a crash is removed.
- **PostgreSQL**: nothing to do here (``pg_dump`` is its tool); said once in the log.
- **An erasure renews them** (``after_erasure``). A snapshot taken before a
  participant's name was erased still holds it, so after an erasure the worker that
  writes snapshots copies the database at once (the name is gone from it) and deletes
  every older snapshot; a worker that does not write them deletes the older ones and
  the writer's next round copies (the erasure changed the database; while no session
  is live that waits for the next live one). With snapshots off, the server's old
  snapshots in the folder are deleted. Backups made by hand (``rembuk backup``) are the
  operator's to renew: the docs say so.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from sqlalchemy.orm import sessionmaker

from app.backup import copy_to, open_source, sqlite_file
from app.services import sessions as session_service
from app.settings import Settings

log = logging.getLogger("rembuk.snapshots")

# UTC to the millisecond: names sort by time, and two rounds never share a name.
SNAPSHOT_NAME = re.compile(r"rembuk-\d{8}-\d{6}\.\d{3}Z\.sqlite3")


def snapshot_name(now: datetime) -> str:
    return f"rembuk-{now:%Y%m%d-%H%M%S}.{now.microsecond // 1000:03d}Z.sqlite3"


def snapshots_in(folder: Path) -> list[Path]:
    """The complete snapshots in ``folder``, oldest first (never a ``.tmp``, nor a
    file someone else put there)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if SNAPSHOT_NAME.fullmatch(p.name))


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` snapshots; returns what was deleted."""
    old = snapshots_in(folder)[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    return old


class SnapshotKeeper:
    """The server's snapshot task: ``start`` it in the app's lifespan, ``stop`` it at
    shutdown (an unfinished copy is completed first, never left half-written)."""

    def __init__(self, settings: Settings, sessions: sessionmaker, database: Path) -> None:
        self.database = database
        self.folder = settings.resolved_backup_dir
        self.keep = settings.backup_keep
        self.interval = settings.backup_minutes * 60
        self.sessions = sessions
        self._lock = FileLock(self.folder / ".lock", thread_local=False)  # rounds run on any worker thread
        self._source: sqlite3.Connection | None = None
        self._copied_version: int | None = None
        self._was_live = False
        self._stopping = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._copying = threading.Lock()  # a round and an erasure's renewal share one connection

    @classmethod
    def start(cls, settings: Settings, sessions: sessionmaker) -> SnapshotKeeper | None:
        """The running keeper, or None when snapshots are off or not SQLite's to take."""
        if settings.backup_minutes == 0:
            log.info("live snapshots are off (REMBUK_BACKUP_MINUTES=0)")
            return None
        database = sqlite_file(settings.resolved_database_url)
        if database is None:
            if not settings.is_sqlite:
                log.info("live snapshots are for SQLite; back up PostgreSQL with pg_dump (`rembuk backup` shows how)")
            return None
        keeper = cls(settings, sessions, database)
        keeper._task = asyncio.get_running_loop().create_task(keeper._run(), name="rembuk-snapshots")
        return keeper

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task
        self.close()

    def close(self) -> None:
        """Let go of the database and of the lock (another worker may take over)."""
        if self._source is not None:
            self._source.close()
            self._source = None
        if self._lock.is_locked:
            self._lock.release()

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._stopping.wait(), self.interval)
                return
            except TimeoutError:
                pass
            try:
                await asyncio.to_thread(self.round)
            except Exception:
                log.exception("snapshot failed; the earlier snapshots in %s are kept", self.folder)

    def round(self) -> Path | None:
        """One round: copy when this worker writes snapshots, a session is (or just
        was) live and something changed. Returns the new snapshot, if any."""
        if not self._leading():
            return None
        with self.sessions() as db:
            live = session_service.any_live(db)
        if not (live or self._was_live):
            return None
        with self._copying:
            if self._source is None:
                self._source = open_source(self.database)
            # Changes by other connections since this one last asked; the copy itself
            # reads through this connection, so it never counts as a change.
            version = self._source.execute("PRAGMA data_version").fetchone()[0]
            if version == self._copied_version:
                self._was_live = live
                return None
            result = copy_to(self._source, self.folder / snapshot_name(datetime.now(UTC)))
            self._copied_version, self._was_live = version, live  # a failed copy is tried again next round
            pruned = prune(self.folder, self.keep)
        log.info("snapshot %s written (%s); %d older removed", result.path, result.describe(), len(pruned))
        return result.path

    def renew(self) -> Path | None:
        """After an erasure: a new snapshot now (when this worker writes them) and
        none of those taken before. Returns the new snapshot, if any."""
        before = snapshots_in(self.folder)
        fresh = None
        if self._leading():
            with self._copying:
                if self._source is None:
                    self._source = open_source(self.database)
                version = self._source.execute("PRAGMA data_version").fetchone()[0]
                fresh = copy_to(self._source, self.folder / snapshot_name(datetime.now(UTC))).path
                self._copied_version = version
        for path in before:
            path.unlink(missing_ok=True)
        log.info(
            "after an erasure: %d older snapshots removed, a new one %s", len(before), fresh or "at the next round"
        )
        return fresh

    def _leading(self) -> bool:
        if self._lock.is_locked:
            return True
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False  # another worker writes them
        for partial in self.folder.glob("rembuk-*.sqlite3.tmp"):  # left by a crash: only the lock holder writes
            partial.unlink(missing_ok=True)
        log.info(
            "this worker writes live snapshots to %s every %g minutes, keeping %d",
            self.folder,
            self.interval / 60,
            self.keep,
        )
        return True


def after_erasure_in(state: Any) -> Path | None:
    """``after_erasure`` for a request's application (``request.app.state``): what every
    route that erases or deletes calls once the change is committed."""
    return after_erasure(state.snapshots, state.settings)


def after_erasure(keeper: SnapshotKeeper | None, settings: Settings) -> Path | None:
    """Snapshots taken before an erasure still hold the erased name: renew them (the
    keeper's ``renew``), or with no keeper running delete the server's old ones."""
    if keeper is not None:
        return keeper.renew()
    if sqlite_file(settings.resolved_database_url) is None:
        return None  # PostgreSQL: the server keeps no copies
    old = snapshots_in(settings.resolved_backup_dir)
    for path in old:
        path.unlink(missing_ok=True)
    if old:
        log.info("after an erasure: %d older snapshots removed (live snapshots are off)", len(old))
    return None
