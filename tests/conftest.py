"""Fixtures: a fresh database per test, real uvicorn servers and one Chromium per worker.

Databases. Every test that asks for ``settings`` (directly or through ``app``,
``client``, ``api``, ``live_server``) gets a fresh, migrated SQLite database. A test
whose subject is the database's behaviour (locking, concurrency, the event log,
migrations, a crash, the fuzzer) carries the ``database`` marker and runs on
PostgreSQL too when ``REMBUK_TEST_DATABASE_URL`` is set (CI sets it).

Browsers. ``chromium`` is one Chromium per test module.

Servers. ``live_server`` on SQLite is one uvicorn per xdist worker, on the worker's
own database, shared by every test that needs no special settings: the data of one
test does not disturb another (each makes its own workshop), and starting a server
costs seconds. On PostgreSQL, and through ``server_factory`` (special settings, a
server to kill), a test gets its own servers.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.settings import Settings
from tests.support.databases import (
    BACKENDS,
    PG_URL,
    SECRET,
    fresh_database,
    make_sqlite_template,
    migrate,
    postgresql_for_worker,
    reset_postgresql,
    truncate_postgresql,
)
from tests.support.servers import SHARED_FACILITATOR, LiveServer, start_server, start_servers


# The cyclic garbage collector at its defaults (a young collection every 700 new
# objects) took ~20 % of a worker's CPU: each test builds an app, its ORM sessions and
# hundreds of requests, and most of what they make is freed by reference counting
# anyway. Tuned as a server tunes itself (app/memory.py), with what collection imported
# (modules, the schema, every test function) set aside: ~5 % (measured with gc.callbacks
# on the brainstorm, voting and masterplan tests: 11.6 s -> 3.1 s of 58 s).
def pytest_collection_finish(session: pytest.Session) -> None:
    from app.memory import tune_garbage_collector

    tune_garbage_collector()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """SQLite for every test; PostgreSQL too for the ``database`` tests."""
    if "database_url" in metafunc.fixturenames:
        on_postgresql = metafunc.definition.get_closest_marker("database") is not None
        metafunc.parametrize("database_url", BACKENDS if on_postgresql else ["sqlite"], indirect=True)


# Files that take longest, started first: xdist (--dist loadfile, --no-loadscope-reorder
# in pyproject.toml) hands files out in collection order, so a long file collected last
# keeps one worker busy while the other waits (longest first is the classic way to keep
# two workers level). Measured at -n 0: the fuzzer ~90-150 s, the access matrix and the
# event log ~55 s, the board fit and scale-out ~50 s, the erasure acceptance ~30-45 s.
SLOW_FIRST = (
    "security/test_api_fuzz.py",
    "security/test_access_matrix.py",
    "live/test_event_log.py",
    "browser/test_board_fit.py",
    "live/test_scale_out.py",
    "privacy/test_erasure.py",
    "browser/",
    "resilience/",
    "privacy/test_erasure_browser.py",
    "live/test_sse.py",
    "operations/",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.path.as_posix()
        return next((n for n, part in enumerate(SLOW_FIRST) if f"/tests/{part}" in path), len(SLOW_FIRST))

    items.sort(key=rank)  # stable: a file's tests stay together and in order


@pytest.fixture(autouse=True)
def logging_left_as_found():
    """A test that runs ``rembuk …`` in this process has it configure logging (its
    handler on the root logger, writing to that test's captured stderr): put the root
    logger back, so later tests log where pytest looks and at its level."""
    import logging

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


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


@pytest.fixture(scope="session", autouse=True)
def routes_built_once_per_process():
    """FastAPI builds an app's routes (each route's parameters and models) on the app's
    first request: ~0.12 s, paid again by each of the ~700 apps the suite makes (one per
    test, each on its own database) for the same routes. Built once and shared, as the
    one app of a running server does. What is shared holds nothing of an app's own
    (its state is reached through the request) except ``dependency_overrides``, which
    no test uses. A FastAPI without this internal keeps its own way, only slower."""
    import fastapi.routing as routing

    context = getattr(routing, "_EffectiveRouteContext", None)
    build = getattr(context, "from_api_route", None)
    if build is None:
        yield
        return
    built: dict[tuple, object] = {}

    def once(cls, *, original_route, include_context):
        key = (id(original_route), id(include_context.included_router), include_context.prefix)
        if key not in built:
            built[key] = build.__func__(cls, original_route=original_route, include_context=include_context)
        return built[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(context, "from_api_route", classmethod(once))
        yield


# --- databases ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """Migrate once, copy per test: a fresh database costs a file copy."""
    return make_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def pg_migrated(tmp_path_factory) -> str:
    url = postgresql_for_worker(PG_URL)
    reset_postgresql(url)
    migrate(url, tmp_path_factory.mktemp("pgvar"))
    return url


@pytest.fixture
def database_url(request, tmp_path) -> str:
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite" and "live_server" in request.fixturenames:
        return request.getfixturevalue("worker_database")  # what the worker's server serves
    if backend == "sqlite":
        return fresh_database(request, "sqlite", tmp_path)
    url = request.getfixturevalue("pg_migrated")
    truncate_postgresql(url)
    return url


def settings_for(database_url: str, var_dir: Path) -> Settings:
    return Settings(database_url=database_url, secret_key=SECRET, var_dir=var_dir, public_url="http://rembuk.test",
                    htmx_source="local", sse_heartbeat_seconds=1.0)


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return settings_for(database_url, tmp_path)


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


# --- real servers -------------------------------------------------------------------------


class SharedServer:
    """The worker's server and an app on its database, to seed data directly
    (``sessions``); ``SHARED_FACILITATOR`` (``builders.PASSWORD``) exists there."""

    def __init__(self, live: LiveServer, app) -> None:
        self.url = live.url
        self.live = live
        self.log = live.log
        self.app = app
        self.sessions = app.state.sessions


@pytest.fixture(scope="session")
def worker_database(tmp_path_factory, sqlite_template) -> str:
    folder = tmp_path_factory.mktemp("worker")
    path = folder / "rembuk.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def shared_server(worker_database, tmp_path_factory) -> Iterator[SharedServer]:
    """One uvicorn per worker on the worker's SQLite database."""
    from app.main import create_app
    from app.services import facilitators
    from tests.builders import PASSWORD

    folder = tmp_path_factory.mktemp("served")
    settings = settings_for(worker_database, folder)
    app = create_app(settings)
    with app.state.sessions() as db:
        facilitators.create_facilitator(db, email=SHARED_FACILITATOR, password=PASSWORD, name="Dewi Kominfo")
    live = start_server(settings, folder)
    yield SharedServer(live, app)
    live.stop()
    app.state.engine.dispose()


class ServerFactory:
    """Real uvicorn servers on a test's database; ``extra_env`` tunes their settings
    (``broker_url=...`` becomes ``REMBUK_BROKER_URL``). Stopped after the test."""

    def __init__(self, settings: Settings, folder: Path) -> None:
        self.settings = settings
        self.folder = folder
        self.started: list[LiveServer] = []

    def __call__(self, **extra_env: object) -> LiveServer:
        [server] = self.several(1, **extra_env)
        return server

    def several(self, count: int, **extra_env: object) -> list[LiveServer]:
        """``count`` servers with the same settings, started side by side (workers)."""
        env = {f"REMBUK_{k.upper()}": str(v) for k, v in extra_env.items()}
        servers = start_servers(self.settings, self.folder, count, env)
        self.started.extend(servers)
        return servers

    def stop(self) -> None:
        for server in self.started:
            server.stop()


@pytest.fixture
def server_factory(settings, tmp_path) -> Iterator[ServerFactory]:
    """Start real uvicorn servers on the test's database (``extra_env`` tunes settings)."""
    factory = ServerFactory(settings, tmp_path)
    yield factory
    factory.stop()


@pytest.fixture
def live_server(request, database_url, settings, tmp_path) -> Iterator[LiveServer | SharedServer]:
    """A real server on the test's database: the worker's (SQLite), or its own (PostgreSQL)."""
    if database_url.startswith("sqlite"):
        yield request.getfixturevalue("shared_server")
        return
    server = start_server(settings, tmp_path)
    yield server
    server.stop()


# --- people and devices --------------------------------------------------------------------


@pytest.fixture
def facilitator_email(app) -> str:
    """A facilitator on the test's database (a live server shares it), by email."""
    from app.services import facilitators
    from tests.builders import PASSWORD

    email = f"fasilitator-{uuid.uuid4().hex[:8]}@kominfo.go.id"
    with app.state.sessions() as db:
        facilitators.create_facilitator(db, email=email, password=PASSWORD, name="Dewi Kominfo")
    app.state.engine.dispose()
    return email


@pytest.fixture
def console(app, client):
    """The facilitator's browser, logged in through the form."""
    from tests.support.forms import login, make_facilitator

    login(client, make_facilitator(app))
    return client


@pytest.fixture
def new_phone(app):
    """Another device: its own cookie jar."""
    from fastapi.testclient import TestClient

    made: list[TestClient] = []

    def factory() -> TestClient:
        phone = TestClient(app, follow_redirects=False)
        made.append(phone)
        return phone

    yield factory
    for phone in made:
        phone.close()


@pytest.fixture(scope="module")
def chromium():
    """One Debian Chromium for a module's tests; each test opens its own contexts.
    (Not one per worker: Playwright's sync API holds the thread's event loop while it
    runs, and the ``asyncio.run`` of a later test in the worker would fail. A launch
    costs ~0.7 s.)"""
    from tests.support.browser import open_chromium

    yield from open_chromium()


@pytest.fixture
def private_redis():
    """A redis-server of the test's own, to stop and start again."""
    import os

    from tests.support.redis import PrivateRedis

    if shutil.which("redis-server") is None:
        if os.environ.get("REMBUK_TEST_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is required (REMBUK_TEST_REQUIRE_REDIS=1)")
        pytest.skip("no redis-server binary")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()

