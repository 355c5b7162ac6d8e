"""Engine, database sessions and the write-transaction rule.

Why the ceremony:
- SQLite allows one writer. A transaction that reads and then writes with a plain
  ``BEGIN`` fails with "database is locked" when another writer got there first
  (seen on this machine: 7 of 8 concurrent writers failed). Write transactions
  therefore open with ``BEGIN IMMEDIATE`` (they queue on ``busy_timeout``), reads
  stay deferred so they never block writers (WAL). Inside one process the writers
  also take turns on a lock first: SQLite's busy handler polls with growing sleeps,
  so under load one writer could lose the race for 5 s and get a 503 while others
  went by (seen in CI: 8 threads writing at once on a busy machine); a lock hands
  the turn over as soon as it is free. Other processes (the CLI) still meet
  ``busy_timeout``.
- Events are published to the broker only after the transaction commits, so a
  client never hears of a change it cannot read yet (Zulip's rule).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session as Db

from app.settings import Settings

__all__ = ["Db", "checkpoint_wal", "create_db_engine", "make_sessionmaker", "write_transaction", "is_sqlite", "known"]

_Row = TypeVar("_Row")

log = logging.getLogger("rembuk.db")

_write_intent: ContextVar[bool] = ContextVar("rembuk_write_intent", default=False)

SQLITE_BUSY_TIMEOUT_MS = 5000


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create_db_engine(settings: Settings) -> Engine:
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        db_path = url.split("///", 1)[-1]
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            # pysqlite's own transaction handling is switched off so we can issue
            # BEGIN / BEGIN IMMEDIATE ourselves (SQLAlchemy docs, "Serializable isolation").
            connect_args={"check_same_thread": False, "isolation_level": None},
            pool_size=20,
            max_overflow=20,
            # An error's text never carries the row's values: a failed insert of a participant
            # would otherwise put their name and office in the traceback a log keeps.
            hide_parameters=True,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True, hide_parameters=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a process crash (kill -9); only power loss can
        # drop the last commits. Measured cost of FULL is an fsync per commit.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten content is zeroed on disk, not left in free pages or
        # in the free space inside a page: an erased name must not stay readable in the
        # file's bytes (app.services.erasure; tests/privacy/test_secure_delete.py shows it
        # does without). Its cost, measured on this laptop-class machine with 3,000 write
        # transactions of an event and a dot each: 37-74 µs per transaction with it and
        # 59-74 µs without, within the noise, because SQLite writes whole pages anyway.
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def checkpoint_wal(db: Db) -> None:
    """On SQLite, copy the write-ahead log into the database file (where
    ``secure_delete`` zeroed the freed pages) and truncate it to zero bytes, so page
    images written before (an erased name, a deleted session's rows) leave the WAL.
    The one way to checkpoint: erasure and deletion both call it after their commit,
    outside any transaction. Best effort: a reader still holding an older snapshot
    keeps those frames until the next checkpoint (SQLite answers "busy" rather than
    wait; its automatic checkpoint at 1,000 pages overwrites the rest). Nothing to do
    on PostgreSQL (its WAL is the server's own, not a file beside the database)."""
    engine = db.get_bind()
    if not isinstance(engine, Engine) or not is_sqlite(engine):
        return
    # This process's writers wait meanwhile (a write landing mid-checkpoint would keep
    # the log from being truncated); readers only finish what they are reading.
    lock = db.info.get("write_lock")
    if lock is not None and not lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
        log.warning("the write-ahead log was not truncated (the writers stayed busy)")
        return
    raw = engine.raw_connection()
    try:
        # A raw connection in autocommit mode: no BEGIN, which would keep the
        # checkpoint from running to the end of the log.
        cursor = raw.cursor()
        busy, _log_pages, _moved = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cursor.close()
    finally:
        raw.close()
        if lock is not None:
            lock.release()
    if busy:
        log.warning("the write-ahead log could not be truncated at once (a reader was busy)")


def make_sessionmaker(engine: Engine, broker) -> sessionmaker:
    """Database sessions that know the broker, to publish events after commit (and,
    on SQLite, share the process's writer lock)."""
    info = {"broker": broker}
    if is_sqlite(engine):
        info["write_lock"] = threading.RLock()
    return sessionmaker(bind=engine, class_=Db, expire_on_commit=False, info=info)


@contextmanager
def write_transaction(db: Db) -> Iterator[Db]:
    """Run the block as one write transaction, committed at the end.

    Any read transaction the request already opened (auth look-ups) is ended first,
    so that on SQLite the write starts with BEGIN IMMEDIATE and cannot deadlock.
    """
    if db.in_transaction():
        db.commit()
    lock = db.info.get("write_lock")
    if lock is not None and not lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
        # As long as SQLite itself would have waited: then the usual 503 + Retry-After.
        raise PoolTimeout("Waited too long for the database's one writer.")
    token = _write_intent.set(True)
    try:
        with db.begin():
            yield db
    finally:
        _write_intent.reset(token)
        if lock is not None:
            lock.release()


def known(db: Db, model: type[_Row], ident: int, **options: Any) -> _Row:
    """``db.get`` for a row the caller knows is there: its id comes from a row already
    read in this request (an idea's group, a participant's session, the same row again
    with ``populate_existing``), of a table whose rows are not deleted one by one (votes
    and scores are; a whole session or workshop goes only under its session rows' locks,
    ``app.services.deletion``). Not for ids from a client: those are looked up with
    ``db.get`` and answered with a 404 when missing."""
    row = db.get(model, ident, **options)
    if row is None:
        raise LookupError(f"{model.__name__} {ident} disappeared within the request")
    return row


PENDING_KEY = "rembuk_pending_events"


@event.listens_for(Db, "after_commit")
def _publish_after_commit(db: Db) -> None:
    pending = db.info.pop(PENDING_KEY, None)
    broker = db.info.get("broker")
    if not pending or broker is None:
        return
    for session_id, seq in pending:
        broker.publish(session_id, seq)


@event.listens_for(Db, "after_soft_rollback")
def _forget_after_rollback(db: Db, _previous_transaction) -> None:
    db.info.pop(PENDING_KEY, None)


def add_pending_event(db: Db, session_id: int, seq: int) -> None:
    db.info.setdefault(PENDING_KEY, []).append((session_id, seq))


# The seq announced for a deleted session (``app.services.deletion``): above any real
# one, so every stream of it wakes, finds the session gone and ends; no event row can
# carry it, since the session's log went with it.
SESSION_GONE_SEQ = 2**62


def announce_gone(db: Db, session_id: int) -> None:
    """After this transaction commits, tell every screen of the session that it is gone."""
    add_pending_event(db, session_id, SESSION_GONE_SEQ)
