"""The server's rolling snapshots (``app.snapshots``) taken before an erasure still
hold the name: an erasure renews them, so no copy on the laptop keeps it."""

from __future__ import annotations

from app.backup import sqlite_file
from app.snapshots import SnapshotKeeper, after_erasure, snapshots_in

NAME = b"Rinawati Sukmadewi"


def test_an_erasure_replaces_the_snapshots_taken_before_it(api, client, settings):
    fac = api.facilitator()
    session = api.session(fac)
    rina = api.join(session["join_code"], NAME.decode(), "opd", "Kantor Camat Sukmajaya")
    database = sqlite_file(settings.resolved_database_url)
    writer, other = (SnapshotKeeper(settings, client.app.state.sessions, database) for _ in range(2))
    try:
        first = writer.round()
        api.idea(rina, "Antrean online puskesmas")
        second = writer.round()
        assert first and second and all(NAME in path.read_bytes() for path in (first, second))
        # Erased through the API (no keeper runs in this app): then the writer renews.
        assert client.post(f"/api/v1/participants/{rina.participant_id}/erase", headers=fac).status_code == 200
        fresh = writer.renew()
        assert fresh is not None and snapshots_in(settings.resolved_backup_dir) == [fresh]
        assert NAME not in fresh.read_bytes()
        # A worker that does not write snapshots deletes the older ones; the writer's
        # next round copies (the erasure changed the database).
        third = writer.round()
        assert third is None or NAME not in third.read_bytes()
        assert other.renew() is None and snapshots_in(settings.resolved_backup_dir) == []
    finally:
        writer.close()
        other.close()


def test_with_snapshots_off_the_old_ones_are_deleted(api, client, settings):
    fac = api.facilitator()
    session = api.session(fac)
    api.join(session["join_code"], NAME.decode(), "opd", "Kantor Camat Sukmajaya")
    keeper = SnapshotKeeper(settings, client.app.state.sessions, sqlite_file(settings.resolved_database_url))
    try:
        assert keeper.round() is not None
    finally:
        keeper.close()
    after_erasure(None, settings)
    assert snapshots_in(settings.resolved_backup_dir) == []
