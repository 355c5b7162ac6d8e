"""SQLite forgets what it overwrote: every connection zeroes deleted content
(``PRAGMA secure_delete``), and the erasure's checkpoint empties the write-ahead log,
so an erased name is not left in the bytes of either file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from app.db import checkpoint_wal, create_db_engine, make_sessionmaker
from app.realtime.broker import MemoryBroker
from tests.conftest import settings_for

NAME = "Rinawati Sukmadewi"


def _write_then_blank(connection) -> None:
    connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)"))
    for n in range(200):
        connection.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": f'{{"name": "{NAME}", "n": {n}}}'})
    connection.execute(text("UPDATE note SET body = replace(body, :name, '')"), {"name": NAME})


def test_every_connection_zeroes_what_it_deletes(tmp_path: Path):
    engine = create_db_engine(settings_for(f"sqlite:///{tmp_path / 'rembuk.sqlite3'}", tmp_path))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_an_overwritten_name_leaves_neither_the_file_nor_its_log(tmp_path: Path):
    path = tmp_path / "rembuk.sqlite3"
    engine = create_db_engine(settings_for(f"sqlite:///{path}", tmp_path))
    sessions = make_sessionmaker(engine, MemoryBroker())
    with sessions() as db:
        with db.begin():
            _write_then_blank(db.connection())
        checkpoint_wal(db)
    engine.dispose()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert NAME.encode() not in path.read_bytes()


def test_without_secure_delete_the_name_would_stay(tmp_path: Path):
    """Why the pragma is there: the same writes on a plain connection leave the name
    in the free space of the file's pages."""
    path = tmp_path / "plain.sqlite3"
    plain = sqlite3.connect(path, isolation_level=None)
    plain.execute("PRAGMA journal_mode=WAL")
    plain.execute("PRAGMA secure_delete=OFF")
    plain.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    for n in range(200):
        plain.execute("INSERT INTO note (body) VALUES (?)", (f'{{"name": "{NAME}", "n": {n}}}',))
    plain.execute("UPDATE note SET body = replace(body, ?, '')", (NAME,))
    plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain.close()
    assert NAME.encode() in path.read_bytes()
