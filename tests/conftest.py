"""Test fixtures: a fresh database per test, on SQLite and (when
``REMBUK_TEST_DATABASE_URL`` is set) on PostgreSQL too; real uvicorn servers for
streams and browsers.

Every test that asks for ``settings`` (directly or through ``app``/``client``/
``api``/``live_server``) runs once per database backend.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("REMBUK_TEST_DATABASE_URL", "").strip()
# Under pytest-xdist (CI runs `-n 2`) each worker gets its own PostgreSQL database,
# `<name>_gw0`, `<name>_gw1`, …: the suite truncates between tests.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
SECRET = "test-secret-key-that-is-long-enough-0123456789"

BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _migrate(url: str, var_dir: Path) -> None:
    from app.migrate import upgrade

    upgrade(Settings(database_url=url, var_dir=var_dir, secret_key=SECRET))


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes():
    """Argon2id as in production, at its lowest cost, for the facilitators the tests
    create: at ~0.4 s per hash and per login that was minutes of every run. A hash
    carries its own parameters, so logins against these verify cheaply in live
    servers too. ``test_password_hashes_use_the_recommended_argon2id_cost`` checks
    what production uses."""
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    from app.services import facilitators

    cheap = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(facilitators, "hash_password", cheap.hash)
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """Migrate once, copy per test: a fresh database costs a file copy."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    _migrate(f"sqlite:///{path}", folder)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    engine.dispose()
    return path


def _worker_database(url: str) -> str:
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


@pytest.fixture(scope="session")
def pg_migrated(tmp_path_factory) -> str:
    import app.models  # noqa: F401

    url = _worker_database(PG_URL)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _migrate(url, tmp_path_factory.mktemp("pgvar"))
    return url


def _truncate_pg(url: str) -> None:
    import app.models  # noqa: F401

    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "rembuk.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_migrated")
    _truncate_pg(url)
    return url


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=SECRET,
        var_dir=tmp_path,
        public_url="http://rembuk.test",
        htmx_source="local",
        sse_heartbeat_seconds=1.0,
    )


@pytest.fixture
def app(settings):
    from app.main import create_app

    return create_app(settings)


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture
def api(client):
    from tests.builders import Api

    return Api(client)


# --- real servers -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, base_url: str, process: subprocess.Popen, log: Path) -> None:
        self.url = base_url
        self.process = process
        self.log = log

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_server(settings: Settings, tmp_path: Path, extra_env: dict[str, str] | None = None) -> LiveServer:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "REMBUK_DATABASE_URL": settings.resolved_database_url,
        "REMBUK_SECRET_KEY": SECRET,
        "REMBUK_VAR_DIR": str(tmp_path),
        "REMBUK_PUBLIC_URL": base,
        "REMBUK_HTMX_SOURCE": "local",
        "REMBUK_SSE_HEARTBEAT_SECONDS": "1",
        **(extra_env or {}),
    }
    log = tmp_path / f"server-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--timeout-graceful-shutdown", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    # Generous: on a loaded 2-core machine importing the app alone took up to 20 s.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=0.5).status_code == 200:
                return LiveServer(base, process, log)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text()}")


@pytest.fixture
def server_factory(settings, tmp_path) -> Iterator[Callable[..., LiveServer]]:
    """Start real uvicorn servers on the test's database (``extra_env`` tunes settings)."""
    started: list[LiveServer] = []

    def factory(**extra_env: str) -> LiveServer:
        server = start_server(settings, tmp_path, {f"REMBUK_{k.upper()}": str(v) for k, v in extra_env.items()})
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()


@pytest.fixture
def live_server(server_factory) -> LiveServer:
    return server_factory()


# --- one server and one browser for a whole module --------------------------------------


class SharedServer:
    """A real server on its own SQLite database for the tests of one module that need
    no special settings (the database is not what they test), with a facilitator
    (``SHARED_FACILITATOR``, ``builders.PASSWORD``); ``sessions`` seeds data directly."""

    def __init__(self, live: LiveServer, app) -> None:
        self.url = live.url
        self.live = live
        self.app = app
        self.sessions = app.state.sessions


SHARED_FACILITATOR = "fasilitator.ruang@kominfo.go.id"


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory, sqlite_template) -> Iterator[SharedServer]:
    from app.main import create_app
    from app.services import facilitators
    from tests.builders import PASSWORD

    folder = tmp_path_factory.mktemp("shared")
    path = folder / "rembuk.sqlite3"
    shutil.copy(sqlite_template, path)
    settings = Settings(database_url=f"sqlite:///{path}", secret_key=SECRET, var_dir=folder,
                        public_url="http://192.168.1.10:8000", htmx_source="local", sse_heartbeat_seconds=1.0)
    app = create_app(settings)
    with app.state.sessions() as db:
        facilitators.create_facilitator(db, email=SHARED_FACILITATOR, password=PASSWORD, name="Dewi Kominfo")
    live = start_server(settings, folder)
    yield SharedServer(live, app)
    live.stop()
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def shared_chromium():
    from tests.test_browser import open_chromium

    yield from open_chromium()


def until(page, expression: str, timeout_ms: int = 5000) -> None:
    """Poll ``expression`` in the page until it is true. (``wait_for_function`` would
    compile it with eval, which the page's Content-Security-Policy refuses.)"""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout_ms} ms: {expression}"
        page.wait_for_timeout(50)
