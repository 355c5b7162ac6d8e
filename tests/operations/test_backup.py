"""Backups: ``rembuk backup FILE`` while a room writes, and the server's live snapshots.

- ``rembuk backup`` taken while fifty phones send ideas to a real server: the copy
  opens, passes SQLite's integrity check, holds every idea whose POST was answered
  before the backup began, and is one moment of the database (each session's log
  ends at its ``last_seq``, each idea has its event), while the room went on writing.
- The server's rolling snapshot: a real server with rounds a quarter of a second
  apart copies a live session on schedule and keeps the newest
  ``REMBUK_BACKUP_KEEP``; round by round (in this process): none before a session
  is live, none while nothing changed, one more when the session closes; a restored
  snapshot serves the board.
- One writer when several workers share the folder; on PostgreSQL the command names
  the ``pg_dump`` line (without the password) and the server only says so once.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from app import cli
from app.backup import sqlite_file
from app.settings import Settings
from app.snapshots import SnapshotKeeper, snapshots_in
from tests.builders import Api
from tests.support.databases import SECRET
from tests.support.faults import join_all

PHONES = 50
INTERVAL_MINUTES = 0.004  # 0.24 s between the live snapshots' rounds (fractions are allowed)


def run_cli(monkeypatch, database_url: str, var_dir: Path, *args: str) -> int:
    """``rembuk …`` in this process, with the environment a shell would give it."""
    monkeypatch.setenv("REMBUK_DATABASE_URL", database_url)
    monkeypatch.setenv("REMBUK_VAR_DIR", str(var_dir))
    monkeypatch.setenv("REMBUK_SECRET_KEY", SECRET)
    return cli.main(list(args))


def read_copy(path: Path, session_id: int) -> dict:
    """What a restored copy holds of one session, and whether it is sound."""
    with sqlite3.connect(path) as copy:

        def column(sql: str) -> list:
            return [row[0] for row in copy.execute(sql, (session_id,))]

        return {
            "integrity": copy.execute("PRAGMA integrity_check").fetchone()[0],
            "journal": copy.execute("PRAGMA journal_mode").fetchone()[0],
            "session": copy.execute(
                "SELECT title, phase, last_seq FROM session WHERE id = ?", (session_id,)
            ).fetchone(),
            "client_ids": set(column("SELECT client_id FROM idea WHERE session_id = ?")),
            "texts": set(column("SELECT text FROM idea WHERE session_id = ?")),
            "seqs": column("SELECT seq FROM event WHERE session_id = ? ORDER BY seq"),
            "created_events": len(column("SELECT seq FROM event WHERE session_id = ? AND type = 'idea.created'")),
        }


@pytest.mark.server
def test_backup_while_fifty_phones_write_holds_every_acknowledged_idea(
    api, live_server, settings, tmp_path, monkeypatch, capsys
):
    fac = api.facilitator()
    session = api.session(fac)
    target = tmp_path / "salinan" / "rembuk-cadangan.sqlite3"
    target.parent.mkdir()
    sent: set[str] = set()
    acked: list[str] = []  # client_ids whose POST was answered 2xx, in the order the answers came
    marks: dict[str, object] = {}

    async def room() -> None:
        # A connection left idle past the server's keep-alive (uvicorn: 5 s; the joins of
        # 50 phones on a slow host take that long) is closed by the server, and httpx
        # does not send a POST again on it (a ReadError): it drops them sooner itself.
        limits = httpx.Limits(max_connections=PHONES, max_keepalive_connections=PHONES, keepalive_expiry=2.0)
        async with httpx.AsyncClient(base_url=live_server.url, timeout=30, limits=limits) as http:
            phones = await join_all(http, session["join_code"], [f"Peserta {n}" for n in range(PHONES)])
            stop = asyncio.Event()

            async def phone(n: int) -> None:
                k = 0
                while not stop.is_set():
                    client_id = f"p{n}-{k}"
                    sent.add(client_id)
                    r = await http.post(
                        f"/api/v1/sessions/{session['id']}/ideas",
                        headers=phones[n].headers,
                        json={"text": f"Ide {client_id}", "dimension": "governance", "client_id": client_id},
                    )
                    if r.is_success:
                        acked.append(client_id)
                    k += 1

            async def operator() -> None:
                deadline = time.monotonic() + 60
                while len(acked) < PHONES:  # the room is in full flow
                    assert time.monotonic() < deadline, "the phones did not get going"
                    await asyncio.sleep(0.01)
                marks["before"] = set(acked)  # answered, hence committed, before the backup starts
                marks["rc"] = await asyncio.to_thread(
                    run_cli, monkeypatch, settings.resolved_database_url, tmp_path / "var", "backup", str(target)
                )
                after = len(acked)
                while len(acked) < after + PHONES // 2:  # the room goes on after it
                    assert time.monotonic() < deadline, "the phones stalled after the backup"
                    await asyncio.sleep(0.01)
                stop.set()

            await asyncio.wait_for(asyncio.gather(operator(), *(phone(n) for n in range(PHONES))), timeout=90)

    asyncio.run(room())

    assert marks["rc"] == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert f"Backup written to {target}" in out and "ideas" in out
    assert list(target.parent.iterdir()) == [target], "a .tmp or -wal left beside the copy"
    copy = read_copy(target, session["id"])
    assert copy["integrity"] == "ok"
    assert copy["journal"] == "delete"  # one self-contained file
    missing = marks["before"] - copy["client_ids"]
    assert not missing, f"{len(missing)} acknowledged ideas missing from the backup, e.g. {sorted(missing)[:5]}"
    assert copy["client_ids"] <= sent
    assert copy["texts"] == {f"Ide {c}" for c in copy["client_ids"]}
    # One moment of the database: the log has no gap and ends where the session says,
    # and every idea in the copy came with its event.
    title, phase, last_seq = copy["session"]
    assert (title, phase) == (session["title"], "brainstorm")
    assert copy["seqs"] == list(range(1, last_seq + 1))
    assert copy["created_events"] == len(copy["client_ids"])
    # Taken mid-stream: the room wrote on after it.
    assert len(copy["client_ids"]) < len(set(acked))


def wait_for(predicate, what: str, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return result


@pytest.mark.server
def test_the_server_takes_live_snapshots_on_schedule_and_keeps_the_newest(api, server_factory, tmp_path):
    fac = api.facilitator()
    session = api.session(fac)  # live
    phone = api.join(session["join_code"])
    api.idea(phone, "Aplikasi antrean online RSUD")
    folder = tmp_path / "backups"  # the default: `backups` inside REMBUK_VAR_DIR
    server_factory(backup_minutes=INTERVAL_MINUTES, backup_keep=2)

    first = wait_for(lambda: snapshots_in(folder), "the first snapshot")[-1]
    copy = read_copy(first, session["id"])
    assert copy["integrity"] == "ok"
    assert copy["session"][:2] == (session["title"], "brainstorm")
    assert copy["texts"] == {"Aplikasi antrean online RSUD"}

    seen = [first]
    for n in range(3):  # each change is copied at the next round; the oldest go
        api.idea(phone, f"Gagasan {n}")
        seen.append(wait_for(lambda: [p for p in snapshots_in(folder) if p > seen[-1]], "a newer snapshot")[-1])
    kept = snapshots_in(folder)
    # A round may copy once more after the last one seen (a write that followed the
    # idea's own): what counts is that two are kept, the newest, and the first is gone.
    assert len(kept) == 2 and kept[0] >= seen[-2] and not first.exists()
    assert read_copy(kept[-1], session["id"])["texts"] >= {f"Gagasan {n}" for n in range(3)}
    assert list(folder.glob("*.tmp")) == []


def test_a_snapshot_only_while_a_session_is_live_and_something_changed(api, settings):
    fac = api.facilitator()
    session = api.session(fac, phase=None)  # a draft: being prepared, not live
    database = sqlite_file(settings.resolved_database_url)
    keeper = SnapshotKeeper(settings, api.client.app.state.sessions, database)
    try:
        assert keeper.round() is None
        api.phase(fac, session["id"], "brainstorm")
        first = keeper.round()
        assert first is not None
        assert keeper.round() is None  # nothing written since: nothing copied again
        api.idea(api.join(session["join_code"]), "Bank sampah digital", "environment")
        second = keeper.round()
        assert second is not None and second > first
        api.phase(fac, session["id"], "closed")
        last = keeper.round()  # the end of the session is kept too
        assert last is not None and read_copy(last, session["id"])["session"][1] == "closed"
        api.session(fac, title="Sesi berikutnya", phase=None)  # a change, but nothing is live
        assert keeper.round() is None
        assert snapshots_in(settings.resolved_backup_dir) == [first, second, last]
    finally:
        keeper.close()


def test_one_writer_when_workers_share_the_folder(api, settings):
    """Each worker of ``rembuk serve --workers N`` runs a keeper; only the holder of
    the folder's lock writes, and another takes over when it lets go."""
    fac = api.facilitator()
    api.session(fac)  # live
    database = sqlite_file(settings.resolved_database_url)
    sessions = api.client.app.state.sessions
    one, two = (SnapshotKeeper(settings, sessions, database) for _ in range(2))
    try:
        written = one.round()
        assert written is not None and two.round() is None
        api.session(fac, title="Sesi kedua")  # a change
        one.close()
        taken_over = two.round()
        assert taken_over is not None and taken_over != written
        assert snapshots_in(settings.resolved_backup_dir) == [written, taken_over]
    finally:
        one.close()
        two.close()


def test_a_restored_snapshot_serves_the_board(api, settings, tmp_path):
    """The README's restore: the snapshot copied to ``var/rembuk.sqlite3``, then served."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.conftest import settings_for

    fac = api.facilitator()
    session = api.session(fac)
    api.idea(api.join(session["join_code"]), "Satu data kependudukan", "governance")
    keeper = SnapshotKeeper(settings, api.client.app.state.sessions, sqlite_file(settings.resolved_database_url))
    try:
        snapshot = keeper.round()
    finally:
        keeper.close()
    assert snapshot is not None
    var = tmp_path / "restored"
    var.mkdir()
    shutil.copy(snapshot, var / "rembuk.sqlite3")
    restored = create_app(settings_for(f"sqlite:///{var / 'rembuk.sqlite3'}", var))
    with TestClient(restored) as client:
        assert "Satu data kependudukan" in json.dumps(Api(client).board(fac, session["id"]))
    restored.state.engine.dispose()


def test_backup_refusals_say_what_to_do(monkeypatch, settings, tmp_path, capsys):
    database = settings.resolved_database_url
    assert run_cli(monkeypatch, database, tmp_path, "backup", str(tmp_path / "no-folder" / "x.sqlite3")) == 1
    assert "folder" in capsys.readouterr().err and not (tmp_path / "no-folder").exists()
    missing = f"sqlite:///{tmp_path / 'typo.sqlite3'}"
    assert run_cli(monkeypatch, missing, tmp_path, "backup", str(tmp_path / "x.sqlite3")) == 1
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "typo.sqlite3").exists()  # a mistyped path creates no empty database
    live = str(sqlite_file(database))
    assert run_cli(monkeypatch, database, tmp_path, "backup", live) == 1
    assert "the database itself" in capsys.readouterr().err


def test_postgresql_is_backed_up_with_pg_dump(monkeypatch, tmp_path, capsys):
    url = "postgresql+psycopg://rembuk:rahasia-sekali@db.pemkab.local:5433/rembuk?sslmode=require"
    assert run_cli(monkeypatch, url, tmp_path, "backup", "rembuk 2026.dump") == 2
    err = capsys.readouterr().err
    assert (
        "pg_dump --format=custom '--file=rembuk 2026.dump' "
        "'--dbname=postgresql://rembuk@db.pemkab.local:5433/rembuk?sslmode=require'" in err
    )
    assert "rahasia" not in err
    # `rembuk` configured logging to stderr above (its handler replaced pytest's caplog one).
    assert SnapshotKeeper.start(Settings(database_url=url, secret_key=SECRET), sessions=None) is None  # type: ignore[arg-type]
    assert "rembuk.snapshots: live snapshots are for SQLite" in capsys.readouterr().err


def test_an_empty_backup_dir_in_the_env_file_means_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv("REMBUK_BACKUP_DIR", "")  # `REMBUK_BACKUP_DIR=` uncommented in .env
    assert Settings(var_dir=tmp_path, secret_key=SECRET).resolved_backup_dir == tmp_path / "backups"


def test_a_phone_from_after_the_copy_cannot_act_as_a_newcomer_with_its_id(api, app):
    """A restored copy gives the ids of people who joined after it to the next people
    who join. A phone that joined after the copy still holds a token for that id: it
    must not vote or write as the newcomer (the token names when its person joined)."""
    from sqlalchemy import delete

    from app.models import Participant

    fac = api.facilitator()
    session = api.session(fac)
    api.join(session["join_code"], name="Rina")
    late = api.join(session["join_code"], name="Budi")  # joined after the copy was taken
    with app.state.sessions() as db:  # the restore: Budi's row is not in the copy
        db.execute(delete(Participant).where(Participant.id == late.participant_id))
        db.commit()
    newcomer = api.join(session["join_code"], name="Sari")
    assert newcomer.participant_id == late.participant_id  # SQLite hands the id out again

    refused = api.client.post(f"/api/v1/sessions/{session['id']}/ideas", headers=late.headers,
                              json={"text": "Ide dari ponsel lama", "dimension": "living"})
    assert refused.status_code == 401, refused.text
    page = api.client.get(f"/s/{session['id']}", headers=late.headers)
    assert "Sari" not in page.text
    api.idea(newcomer, text="Ide Sari")
    board = api.client.get(f"/api/v1/sessions/{session['id']}/board", headers=fac).json()
    assert [i["text"] for g in board["groups"] for i in g["ideas"]] == ["Ide Sari"]
