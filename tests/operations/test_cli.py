"""The ``rembuk`` command line, run the way a newcomer runs it: as a real process.

Each test points the process at the test's own database (SQLite file or the test
PostgreSQL database) through ``REMBUK_*`` variables, and never at ``./var/``.
Where the process itself is not what a test looks at (what ``create-facilitator`` or
``demo`` write, what they refuse), ``rembuk_here`` runs the same ``main`` in this
process with the same environment: a Python start and Rembuk's imports cost about a
second each time. The real process (the console script) is still run for ``migrate``,
``serve`` and the refusals of ``serve``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from unittest import mock

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select

from app.db import create_db_engine, make_sessionmaker
from app.errors import NotFound
from app.main import create_app
from app.migrate import NotMigrated, check_migrated
from app.models import Event, Session, Workshop
from app.realtime.broker import MemoryBroker
from app.services import facilitators
from app.settings import Settings
from tests.builders import Api
from tests.support import ROOT
from tests.support.databases import SECRET
from tests.support.servers import free_port

CONSOLE_SCRIPT = Path(sys.executable).parent / "rembuk"
# The installed console script when there is one (it is what the README tells people
# to run); otherwise the same entry point through the interpreter.
COMMAND = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [sys.executable, "-m", "app.cli"]
PUBLIC_URL = "http://rembuk.test"
PASSWORD = "sandi-rahasia-panjang"


def cli_env(tmp_path: Path, database_url: str, **overrides: str | None) -> dict[str, str]:
    """The environment of a fresh shell: no REMBUK_* from the caller, then ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REMBUK_")}
    env.update(
        REMBUK_DATABASE_URL=database_url,
        REMBUK_VAR_DIR=str(tmp_path / "var"),
        REMBUK_SECRET_KEY=SECRET,
        REMBUK_PUBLIC_URL=PUBLIC_URL,
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def rembuk(*args: str, env: dict[str, str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def rembuk_here(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """``rembuk …`` as ``app.cli.main`` in this process, in ``env`` and ``cwd``, with its
    exit code and output as a finished process would give them."""
    from app.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ, env, clear=True),
        contextlib.chdir(cwd),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        returncode = main(list(args))
    return subprocess.CompletedProcess(["rembuk", *args], returncode, out.getvalue(), err.getvalue())


@pytest.fixture
def db_sessions(settings):
    """Database sessions on the test's database, as the CLI opens them."""
    engine = create_db_engine(settings)
    yield make_sessionmaker(engine, MemoryBroker())
    engine.dispose()


@pytest.fixture
def empty_sqlite(tmp_path) -> str:
    """A database file nobody has migrated yet."""
    return f"sqlite:///{tmp_path / 'empty.sqlite3'}"


# --- migrate and create-facilitator ---------------------------------------------------


def test_migrate_creates_the_schema_and_is_idempotent(tmp_path, empty_sqlite):
    env = cli_env(tmp_path, empty_sqlite)
    first = rembuk("migrate", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Database migrated" in first.stdout
    again = rembuk("migrate", env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr

    settings = Settings(database_url=empty_sqlite, var_dir=tmp_path, secret_key=SECRET)
    check_migrated(create_db_engine(settings), settings)  # raises if not at head


def test_create_facilitator_then_log_in_through_the_api(tmp_path, database_url, settings):
    env = cli_env(tmp_path, database_url)
    assert rembuk_here("migrate", env=env, cwd=tmp_path).returncode == 0  # already at head: a no-op
    result = rembuk_here(
        "create-facilitator", "--email", "Fasilitator@Kominfo.go.id", "--password", PASSWORD, "--name", "Bu Sari",
        env=env, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "fasilitator@kominfo.go.id created" in result.stdout

    with TestClient(create_app(settings)) as client:
        api = Api(client)
        headers = api.login("fasilitator@kominfo.go.id", PASSWORD)
        assert client.get("/api/v1/workshops", headers=headers).json() == []
        wrong = client.post(
            "/api/v1/auth/token", data={"username": "fasilitator@kominfo.go.id", "password": "salah-sekali-123"}
        )
        assert wrong.status_code == 401


def test_create_facilitator_refuses_a_short_password(tmp_path, database_url, db_sessions):
    env = cli_env(tmp_path, database_url)
    args = ("create-facilitator", "--email", "a@kominfo.go.id", "--password", "pendek")
    result = rembuk_here(*args, env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "10 characters" in result.stderr
    assert "Traceback" not in result.stderr
    with db_sessions() as db:
        assert facilitators.count(db) == 0


def test_create_facilitator_refuses_a_duplicate_email(tmp_path, database_url, settings):
    env = cli_env(tmp_path, database_url)
    args = ("create-facilitator", "--email", "dup@kominfo.go.id", "--password", PASSWORD)
    assert rembuk_here(*args, env=env, cwd=tmp_path).returncode == 0
    again = rembuk_here(
        "create-facilitator", "--email", "DUP@kominfo.go.id", "--password", "lain-lagi-12345", env=env, cwd=tmp_path
    )
    assert again.returncode != 0
    assert "already exists" in again.stderr
    with TestClient(create_app(settings)) as client:
        Api(client).login("dup@kominfo.go.id", PASSWORD)  # the first password still works


# --- demo ---------------------------------------------------------------------------


def _demo_output(text: str) -> dict[str, str]:
    found = {
        "password": re.search(r"Password:\s+(\S+)", text),
        "board": re.search(r"/board/(\d+)", text),
        "join": re.search(rf"{re.escape(PUBLIC_URL)}/j/([A-Z0-9]{{6}})", text),
        "email": re.search(r"Email:\s+(\S+)", text),
    }
    missing = [k for k, v in found.items() if v is None]
    assert not missing, f"demo output lacks {missing}:\n{text}"
    return {k: v.group(1) for k, v in found.items()}


@pytest.mark.database
def test_demo_seeds_a_whole_workshop_once(tmp_path, database_url, settings, db_sessions):
    env = cli_env(tmp_path, database_url)
    first = rembuk_here("demo", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    out = _demo_output(first.stdout)
    assert out["email"] == "demo@rembuk.local"
    assert "created" in first.stdout

    with TestClient(create_app(settings)) as client:
        api = Api(client)
        headers = api.login(out["email"], out["password"])
        [workshop] = client.get("/api/v1/workshops", headers=headers).json()
        assert workshop["region"] == "Kabupaten Padang Pariaman"
        assert workshop["year"] == date.today().year
        assert [s["number"] for s in workshop["stages"]] == [1, 2, 3, 4]
        by_stage = {}
        for stage in workshop["stages"]:
            [session] = client.get(f"/api/v1/stages/{stage['id']}/sessions", headers=headers).json()
            by_stage[stage["number"]] = session
        one, two, three, four = (by_stage[n] for n in (1, 2, 3, 4))
        boards = {n: api.board(headers, s["id"]) for n, s in by_stage.items()}
        assert int(out["board"]) == four["id"] and out["join"] == four["join_code"]

        # Tahap I: a SWOT board, ~25 people of many offices, their ideas grouped and voted
        assert one["layout"] == "swot" and boards[1]["session"]["phase"] == "results"
        ideas = [idea for group in boards[1]["groups"] for idea in group["ideas"]]
        assert len(ideas) >= 40 and all(idea["author"] for idea in ideas)
        assert boards[1]["participant_count"] >= 20
        assert {g["swot"] for g in boards[1]["groups"]} >= {"strength", "weakness", "opportunity", "threat"}
        assert len({idea["dimension"] for idea in ideas} - {None}) == 6
        assert sum(len(g["ideas"]) > 1 for g in boards[1]["groups"]) >= 10  # grouped
        voted = sorted((g["votes"] for g in boards[1]["groups"] if g["votes"]), reverse=True)
        assert len(voted) >= 12 and voted[0] > voted[11]
        participation = client.get(f"/api/v1/sessions/{one['id']}/participation", headers=headers).json()
        assert len(participation["by_organization"]) >= 15
        assert all(row["participants"] for row in participation["by_type"])  # every kind of office

        # Tahap II: the top 12 carried from Tahap I (with their votes there), voted again
        assert len(boards[2]["groups"]) == 12
        assert all(g["origin"]["stage_number"] == 1 and g["origin"]["votes"] > 0 for g in boards[2]["groups"])
        assert all(g["votes"] > 0 for g in boards[2]["groups"])

        # Tahap III: the top 8 carried, voted (the matrix's dots differ in size) and rated:
        # all four quadrants, the quick wins marked, every programme with its roadmap
        groups = boards[3]["groups"]
        assert len(groups) == 8 and all(g["origin"]["stage_number"] == 2 for g in groups)
        assert all(g["votes"] > 0 for g in groups) and len({g["votes"] for g in groups}) >= 4
        assert {g["quadrant"] for g in groups} == {"quick_win", "major_project", "fill_in", "low_priority"}
        assert all(g["raters"] >= 15 for g in groups)
        assert [g["quick_win"] for g in groups] == [g["quadrant"] == "quick_win" for g in groups]
        quick_wins = {g["title"] for g in groups if g["quick_win"]}
        assert len(quick_wins) >= 3
        assert all(g["horizon"] and g["owner"] and g["budget_source"] and g["sub_element"] for g in groups)
        assert {g["horizon"] for g in groups} == {"short", "medium", "long"}

        # Tahap IV: the quick wins carried, voted, the commitment open and signed
        assert {g["title"] for g in boards[4]["groups"]} == quick_wins
        assert all(g["origin"]["stage_number"] == 3 and g["quick_win"] for g in boards[4]["groups"])
        assert four["commitment_open"] is True
        signatures = boards[4]["commitments"]
        assert len(signatures) >= 8 and any(c["position"].startswith("Bupati") for c in signatures)

        # one line from Tahap I to the signed quick-win list, and the workshop views
        wid = workshop["id"]
        roadmap = client.get(f"/api/v1/workshops/{wid}/roadmap", headers=headers).json()
        assert len(roadmap["programmes"]) >= 10
        final = [p for p in roadmap["programmes"] if p["stage_number"] == 4]
        assert {p["title"] for p in final} == quick_wins
        assert all([step["stage_number"] for step in p["lineage"]] == [3, 2, 1] for p in final)
        assert len({p["owner"] for p in roadmap["programmes"]}) >= 5
        attendance = client.get(f"/api/v1/workshops/{wid}/attendance", headers=headers).json()
        assert [s["count"] > 0 for s in attendance["stages"]] == [True] * 4
        assert attendance["every_stage_count"] >= 5
        assert sum(o["different_people"] for o in attendance["organizations"]) >= 2

        # a newcomer can open every view and download the masterplan draft
        login = client.post("/login", data={"email": out["email"], "password": out["password"], "next": ""},
                            follow_redirects=False)
        assert login.status_code == 303
        for path in (f"/console/workshops/{wid}", f"/console/workshops/{wid}/roadmap",
                     f"/console/workshops/{wid}/attendance", f"/console/workshops/{wid}/participation",
                     *(f"/console/sessions/{s['id']}" for s in by_stage.values()),
                     *(f"/board/{s['id']}" for s in by_stage.values())):
            assert client.get(path).status_code == 200, path
        console = client.get(f"/console/sessions/{three['id']}").text
        assert "Matriks dampak × kelayakan" in console and console.count("✓ ditetapkan") == len(quick_wins)
        radii = re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="([\d.]+)"/>', client.get(f"/board/{three['id']}").text)
        assert len(radii) == 8 and len(set(radii)) >= 4  # size = votes
        signed = client.get(f"/console/sessions/{four['id']}").text.split('id="signatures"', 1)[1].split("</ol>")[0]
        assert signed.count('class="signature"') == len(signatures)
        draft = client.get(f"/api/v1/workshops/{wid}/summary.docx", headers=headers)
        assert draft.status_code == 200 and draft.content[:2] == b"PK"

    with db_sessions() as db:
        # Every change went through a service and left exactly one event.
        seqs = {}
        for number, session in by_stage.items():
            row = db.get(Session, session["id"])
            types = Counter(db.scalars(select(Event.type).where(Event.session_id == row.id)))
            assert row.last_seq == sum(types.values())
            seqs[number] = row.last_seq
            assert types["session.created"] == 1
        assert set(types) >= {"groups.imported", "vote.cast", "commitment.signed", "session.updated"}
        scored = Counter(db.scalars(select(Event.type).where(Event.session_id == three["id"])))
        assert scored["score.set"] >= 8 * 15 and scored["groups.imported"] == 1

    second = rembuk_here("demo", env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "already exists" in second.stdout
    assert "unchanged" in second.stdout  # the password is not reset or shown again
    assert _demo_output(second.stdout)["board"] == out["board"]
    with db_sessions() as db:
        assert db.scalar(select(func.count()).select_from(Workshop)) == 1
        assert db.scalar(select(func.count()).select_from(Session)) == 4
        for number, session in by_stage.items():
            assert db.get(Session, session["id"]).last_seq == seqs[number], number  # nothing new happened
    with TestClient(create_app(settings)) as client:
        Api(client).login(out["email"], out["password"])


def test_demo_reuses_an_existing_account_without_touching_its_password(tmp_path, database_url, settings):
    env = cli_env(tmp_path, database_url)
    email = "ketua.tim@kominfo.go.id"
    args = ("create-facilitator", "--email", email, "--password", PASSWORD)
    assert rembuk_here(*args, env=env, cwd=tmp_path).returncode == 0
    result = rembuk_here("demo", "--email", email, "--password", "dipakai-tidak-12345", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "unchanged" in result.stdout
    assert "dipakai-tidak" not in result.stdout
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        headers = api.login(email, PASSWORD)
        [workshop] = client.get("/api/v1/workshops", headers=headers).json()
        assert workshop["title"] == "Bimtek Smart City Kabupaten Padang Pariaman"


def test_demo_with_a_short_password_fails_cleanly(tmp_path, empty_sqlite):
    env = cli_env(tmp_path, empty_sqlite)
    assert rembuk_here("migrate", env=env, cwd=tmp_path).returncode == 0
    result = rembuk_here("demo", "--password", "pendek", env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "10 characters" in result.stderr
    assert "Traceback" not in result.stderr


# --- refusing to start wrongly ------------------------------------------------------


def test_app_refuses_an_unmigrated_database(tmp_path, empty_sqlite):
    settings = Settings(database_url=empty_sqlite, var_dir=tmp_path, secret_key=SECRET)
    with pytest.raises(NotMigrated, match="rembuk migrate"):
        with TestClient(create_app(settings)):
            pass


@pytest.mark.parametrize(
    "command",
    [
        ["serve", "--port", "{port}"],
        ["create-facilitator", "--email", "a@kominfo.go.id", "--password", PASSWORD],
        ["demo"],
    ],
    ids=["serve", "create-facilitator", "demo"],
)
def test_cli_refuses_an_unmigrated_database(tmp_path, empty_sqlite, command):
    command = [arg.replace("{port}", str(free_port())) for arg in command]
    env = cli_env(tmp_path, empty_sqlite)
    # serve as a real process: were the refusal missing, it would serve instead of returning
    result = (
        rembuk(*command, env=env, cwd=tmp_path, timeout=30)
        if command[0] == "serve"
        else rembuk_here(*command, env=env, cwd=tmp_path)
    )
    assert result.returncode != 0
    assert "rembuk migrate" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("key", [None, "too-short"])
def test_production_needs_a_secret_key(tmp_path, empty_sqlite, key):
    env = cli_env(tmp_path, empty_sqlite, REMBUK_ENV="production", REMBUK_SECRET_KEY=key)
    for run, command in ((rembuk_here, ["migrate"]), (rembuk, ["serve", "--port", str(free_port())])):
        result = run(*command, env=env, cwd=tmp_path)
        assert result.returncode != 0
        assert "REMBUK_SECRET_KEY" in result.stderr
    assert not (tmp_path / "empty.sqlite3").exists()  # refused before touching anything


def test_production_settings_validation(monkeypatch):
    monkeypatch.delenv("REMBUK_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="REMBUK_SECRET_KEY"):
        Settings(env="production")
    assert Settings(env="production", secret_key="x" * 32).resolved_secret_key() == "x" * 32


def test_development_secret_key_is_generated_once_and_reused(tmp_path, monkeypatch, database_url):
    monkeypatch.delenv("REMBUK_SECRET_KEY", raising=False)
    var_dir = tmp_path / "var"
    first = Settings(var_dir=var_dir).resolved_secret_key()
    second = Settings(var_dir=var_dir).resolved_secret_key()
    assert first == second
    assert len(first) >= 32
    key_file = var_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert Settings(var_dir=tmp_path / "other").resolved_secret_key() != first

    # So a restart does not log the facilitator out or forget the phones.
    def app_with_generated_key():
        return create_app(Settings(database_url=database_url, var_dir=var_dir))

    token = app_with_generated_key().state.signer.facilitator_token(7)
    assert app_with_generated_key().state.signer.read_facilitator(token) == 7


def test_serve_refuses_several_workers_with_the_memory_broker(tmp_path, database_url):
    env = cli_env(tmp_path, database_url)
    result = rembuk("serve", "--workers", "2", "--port", str(free_port()), env=env, cwd=tmp_path, timeout=30)
    assert result.returncode != 0
    assert "memory://" in result.stderr
    assert "REMBUK_BROKER_URL" in result.stderr


# --- a real server, and the first-start setup link ---------------------------------


@pytest.mark.server
def test_serve_answers_healthz_and_prints_a_one_time_setup_link(tmp_path, database_url, db_sessions):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    env = cli_env(tmp_path, database_url, REMBUK_PUBLIC_URL=base)
    with log.open("w") as out:
        process = subprocess.Popen(
            [*COMMAND, "serve", "--port", str(port), "--log-level", "warning"],
            env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        health = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                health = httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert health is not None, f"server did not answer:\n{log.read_text()}"
        assert health.status_code == 200
        assert health.json() == {"status": "ok"}
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)

    printed = log.read_text()
    match = re.search(rf"{re.escape(base)}/setup/([A-Za-z0-9_-]+)", printed)
    assert match, printed
    token = match.group(1)

    with db_sessions() as db:
        assert facilitators.setup_token_valid(db, token)
        assert not facilitators.setup_token_valid(db, token + "x")
        facilitators.create_first_facilitator(
            db, token=token, email="pertama@kominfo.go.id", password=PASSWORD, name="Pertama"
        )
        assert not facilitators.setup_token_valid(db, token)
        with pytest.raises(NotFound):
            facilitators.create_first_facilitator(
                db, token=token, email="kedua@kominfo.go.id", password=PASSWORD, name="Kedua"
            )
        assert facilitators.count(db) == 1


def test_no_setup_link_once_a_facilitator_exists(settings, db_sessions, capsys):
    from app.cli import print_setup_link

    print_setup_link(settings)
    assert "/setup/" in capsys.readouterr().out
    with db_sessions() as db:
        facilitators.create_facilitator(db, email="ada@kominfo.go.id", password=PASSWORD)
    print_setup_link(settings)
    assert capsys.readouterr().out == ""


def test_serving_the_lan_with_a_loopback_public_url_warns(capsys):
    from app.cli import warn_unreachable_public_url

    loopback = Settings(secret_key=SECRET, public_url="http://127.0.0.1:8000")
    warn_unreachable_public_url(loopback, "0.0.0.0", 8000)
    assert "REMBUK_PUBLIC_URL=http://" in capsys.readouterr().err
    warn_unreachable_public_url(loopback, "127.0.0.1", 8000)  # a laptop-only run is fine
    warn_unreachable_public_url(Settings(secret_key=SECRET, public_url="http://192.168.1.10:8000"), "0.0.0.0", 8000)
    assert capsys.readouterr().err == ""


# --- the server process's allocator (app/memory.py) ---------------------------------

ARENAS_PROBE = (
    "import os; from app.memory import limit_malloc_arenas; "
    "took = limit_malloc_arenas(); print(took, os.environ['MALLOC_ARENA_MAX'])"
)


@pytest.mark.parametrize(("operator", "expected"), [(None, "True 2"), ("8", "False 8")])
def test_serve_limits_malloc_arenas_unless_the_operator_chose(operator, expected):
    """``rembuk serve`` asks glibc for two arenas (memory that comes back after the
    vote's reload storm, bench/reload_storm.py) and passes it on to ``--workers``
    processes, but an operator's own ``MALLOC_ARENA_MAX`` wins."""
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    if operator is not None:
        env["MALLOC_ARENA_MAX"] = operator
    result = subprocess.run([sys.executable, "-c", ARENAS_PROBE], env=env, capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


GC_PROBE = (
    "import gc; from app.memory import tune_garbage_collector, YOUNG_COLLECTION_AFTER; "
    "before = gc.get_threshold()[0]; first = tune_garbage_collector(); frozen = gc.get_freeze_count(); "
    "again = tune_garbage_collector(); "
    "print(before, first, again, gc.get_threshold()[0] == YOUNG_COLLECTION_AFTER, frozen > 1000, "
    "gc.get_freeze_count() == frozen)"
)
# An app started as a server starts it (its lifespan), in a fresh interpreter.
GC_SERVER_PROBE = """
import gc, sys
from fastapi.testclient import TestClient
from app.main import create_app
from app.migrate import upgrade
from app.settings import Settings
settings = Settings(database_url=f"sqlite:///{sys.argv[1]}/rembuk.sqlite3", var_dir=sys.argv[1], secret_key=sys.argv[2])
upgrade(settings)
before = gc.get_threshold()[0]
with TestClient(create_app(settings)):
    print(before, gc.get_threshold()[0], gc.get_freeze_count() > 1000)
"""


def test_a_server_process_tunes_its_garbage_collector_once(tmp_path):
    """A server's start-up objects are set aside and young collections come less
    often (bench/room.py: less CPU when 1,000 phones write fast); a second app in the same
    process (a test client, another worker's factory call) changes nothing again."""
    result = subprocess.run([sys.executable, "-c", GC_PROBE], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["700", "True", "False", "True", "True", "True"]
    # ... and the server's own start-up is what calls it.
    result = subprocess.run([sys.executable, "-c", GC_SERVER_PROBE, str(tmp_path), SECRET], capture_output=True,
                            text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["700", "50000", "True"]
