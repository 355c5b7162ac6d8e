"""A consistent copy of the SQLite database, taken while the server keeps writing.

Used by ``rembuk backup FILE`` and by the server's rolling snapshots
(``app/snapshots.py``). Copying the file with ``cp`` while the server runs can
catch a page half written, and misses whatever still sits in the ``-wal`` file;
SQLite's online backup API copies the pages as one read transaction sees them. It
runs in a single step (``pages=-1``): a backup taken in several steps starts again
whenever another connection writes in between, which in a busy room is always. In
WAL mode that read transaction blocks no writer; the copy is simply the database
as of the moment it began.

The copy is written next to its target as ``<target>.tmp``, switched to a plain
rollback journal (one self-contained file: nothing to forget in a ``-wal``), checked
with ``PRAGMA quick_check``, flushed to disk, and only then renamed over the target:
a copy that fails half-way never replaces a good one.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

# What a person checks first in a copy: the rooms and what the room typed.
COUNTED_TABLES = ("workshop", "session", "participant", "idea", "vote", "event")


class BackupError(Exception):
    """The copy could not be made; the message says why (nothing was replaced)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int  # bytes
    counts: dict[str, int]  # rows per table of COUNTED_TABLES that the copy has

    def describe(self) -> str:
        """``"1.4 MB; workshops 1, sessions 3, …"``: what the copy holds, for a person."""
        size = f"{self.size / 1_000_000:.1f} MB" if self.size >= 1_000_000 else f"{self.size / 1000:.0f} kB"
        counts = ", ".join(f"{table}s {n}" for table, n in self.counts.items())
        return size + (f"; {counts}" if counts else "")


def sqlite_file(database_url: str) -> Path | None:
    """The file behind a SQLite URL; None for another database or an in-memory one."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def open_source(database: Path) -> sqlite3.Connection:
    """A connection to read ``database`` from; refuses to create a missing file."""
    if not database.is_file():
        raise BackupError(f"no database at {database}")
    # mode=rw: a mistyped path must not leave an empty new database behind.
    # check_same_thread off: the server's snapshots reuse one connection from its
    # worker threads, one snapshot at a time.
    return sqlite3.connect(f"{database.resolve().as_uri()}?mode=rw", uri=True, timeout=5, check_same_thread=False)


def copy_to(source: sqlite3.Connection, target: Path) -> BackupResult:
    """Copy ``source`` into ``target`` through ``<target>.tmp`` (see the module's doc)."""
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} does not exist")
    partial = target.with_name(target.name + ".tmp")
    partial.unlink(missing_ok=True)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise BackupError(f"the copy failed its integrity check: {verdict}")
            counts = _counts(copy)
        finally:
            copy.close()
        with partial.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
        _sync_folder(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(target, target.stat().st_size, counts)


def backup_sqlite(database: Path, target: Path) -> BackupResult:
    """``rembuk backup``: one consistent copy of ``database`` at ``target``."""
    if target.exists() and database.exists() and target.resolve() == database.resolve():
        raise BackupError("the backup file cannot be the database itself")
    source = open_source(database)
    try:
        return copy_to(source, target)
    except (sqlite3.Error, OSError) as exc:  # a full disk, a folder named FILE, a file that is no database
        raise BackupError(str(exc)) from exc
    finally:
        source.close()


def pg_dump_command(database_url: str, target: str) -> str:
    """The ``pg_dump`` line that backs up a PostgreSQL database, without its password
    (pg_dump asks for it, or reads ``PGPASSWORD`` or ``~/.pgpass``)."""
    given = make_url(database_url)
    # Built afresh, not ``.set(password=None)``: ``set`` reads None as "keep it".
    url = URL.create(
        "postgresql",
        username=given.username,
        host=given.host,
        port=given.port,
        database=given.database,
        query=given.query,
    )
    return shlex.join(
        ["pg_dump", "--format=custom", f"--file={target}", f"--dbname={url.render_as_string(hide_password=False)}"]
    )


def _counts(copy: sqlite3.Connection) -> dict[str, int]:
    present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    # Table names come from COUNTED_TABLES above, never from input.
    return {t: copy.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in COUNTED_TABLES if t in present}  # noqa: S608  # nosec B608


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut right after it keeps the new name)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
