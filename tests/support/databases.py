"""The test databases: SQLite migrated once into a template and copied per test, and
PostgreSQL (``REMBUK_TEST_DATABASE_URL``) with one database per xdist worker,
truncated between tests. ``BACKENDS`` lists what this run has; a test runs on
PostgreSQL too only when its subject is the database's behaviour (``database``
marker, see ``tests/conftest.py``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from app.settings import Settings

PG_URL = os.environ.get("REMBUK_TEST_DATABASE_URL", "").strip()
# Under pytest-xdist each worker gets its own PostgreSQL database, `<name>_gw0`,
# `<name>_gw1`, …: the suite truncates between tests.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
SECRET = "test-secret-key-that-is-long-enough-0123456789"

BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def migrate(url: str, var_dir: Path) -> None:
    from app.migrate import upgrade

    upgrade(Settings(database_url=url, var_dir=var_dir, secret_key=SECRET))


def make_sqlite_template(folder: Path) -> Path:
    path = folder / "template.sqlite3"
    migrate(f"sqlite:///{path}", folder)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    engine.dispose()
    return path


def postgresql_for_worker(url: str) -> str:
    """This xdist worker's own database next to ``url`` (created if missing)."""
    if not XDIST_WORKER:
        return url
    from sqlalchemy.engine import make_url

    base = make_url(url)
    own = base.set(database=f"{base.database}_{XDIST_WORKER}")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


def reset_postgresql(url: str) -> None:
    """An empty schema, migrated from scratch (once per worker)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def truncate_postgresql(url: str) -> None:
    import app.models  # noqa: F401  (registers every table in the metadata)

    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def fresh_database(request: pytest.FixtureRequest, backend: str, folder: Path) -> str:
    """An empty, migrated database of ``backend`` for a test or a module's fixture."""
    if backend == "sqlite":
        path = folder / "rembuk.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    truncate_postgresql(url)
    return url
