"""The workshop archive and the backup of a large workshop: how long, how big, how
much memory.

Builds a synthetic workshop through the services in a temporary SQLite file
(``--sessions`` sessions of ``--people`` people and ``--ideas`` ideas each; a fifth
of the ideas grouped in fives, three dots and two ratings per person), then times:

- ``export``: ``app.services.archive.export`` (the zip; its bytes and the unpacked
  ``workshop.json``'s);
- ``import``: ``app.services.archive.import_archive`` into a fresh, migrated SQLite
  file, and into PostgreSQL with ``--pg URL`` (the database is created if missing,
  its ``public`` schema dropped and migrated first);
- ``backup``: ``app.backup.backup_sqlite`` (what ``rembuk backup FILE`` runs) of the
  built database.

Each step runs in a forked child, so its peak RSS (``wait4``'s ``ru_maxrss``) is its
own; the child starts from the parent's RSS (shown as ``at start``).

    .venv/bin/python bench/archive.py [--sessions 6] [--people 500] [--ideas 1500]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/bench_archive]

Building takes about 15–20 s a session of 500 people and 1,500 ideas (every idea, move,
dot and rating is a service call with its event), hence 6 sessions by default;
``--sessions 16`` is the workshop ``REMBUK_ARCHIVE_MAX_MB``'s note speaks of (~5 min).

Numbers only; results in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from room import WORDS  # noqa: E402  (the benches' shared vocabulary)
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.domain import DIMENSION_CODES  # noqa: E402
from app.settings import Settings  # noqa: E402

DIMENSIONS = (*DIMENSION_CODES, None)  # a seventh of the ideas come without one

SECRET = "bench-archive-" + "x" * 32
EMAIL = "bench@kominfo.go.id"
ORGS = (
    ("opd", "Diskominfo"),
    ("opd", "Bappeda"),
    ("rsud", "RSUD"),
    ("pokdarwis", "Pokdarwis"),
    ("komunitas_it", "Relawan TIK"),
)


def settings_for(url: str, folder: Path) -> Settings:
    return Settings(database_url=url, secret_key=SECRET, var_dir=folder, archive_max_mb=1024)


def sessions_for(settings: Settings):
    from app.db import create_db_engine, make_sessionmaker
    from app.realtime.broker import MemoryBroker

    return make_sessionmaker(create_db_engine(settings), MemoryBroker())


def migrated(settings: Settings) -> None:
    from app.migrate import upgrade

    upgrade(settings)


def build(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    """The workshop, through the services as the room would make it."""
    from app.services import facilitators, groups, ideas, participants, scores, sessions, votes, workshops

    migrated(settings)
    rng = random.Random(11)
    with sessions_for(settings)() as db:
        me = facilitators.create_facilitator(db, email=EMAIL, password="bench-password-123", name="Bench")
        workshop = workshops.create_workshop(db, owner=me, title="Bimtek besar", region="Kabupaten Uji", year=2026)
        stages = workshops.stages(db, workshop.id)
        counts = dict.fromkeys(("participants", "ideas", "groups", "votes", "ratings"), 0)
        for number in range(args.sessions):
            session = sessions.create_session(
                db,
                facilitator=me,
                stage_id=stages[number % len(stages)].id,
                title=f"Isu strategis {number + 1}",
                prompt="Apa masalah dan potensi utama daerah kita di tiap dimensi smart city?",
                vote_budget=3,
                max_votes_per_group=1,
            )
            sessions.change_phase(db, facilitator=me, session_id=session.id, phase="brainstorm")
            people = []
            for i in range(args.people):
                kind, org = ORGS[i % len(ORGS)]
                person, _seq = participants.join(
                    db, join_code=session.join_code, name=f"Peserta {i + 1}", organization_type=kind, organization=org
                )
                people.append(person)
            made = []
            for i in range(args.ideas):  # round robin: ideas/people per person, far under 30 a minute
                words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
                idea, _seq, _created = ideas.submit(
                    db, participant=people[i % len(people)], text=f"{words} ({i + 1})", dimension=DIMENSIONS[i % 7]
                )
                made.append((idea.id, idea.group_id))
            sessions.change_phase(db, facilitator=me, session_id=session.id, phase="group")
            actor = groups.Actor(facilitator=me)
            grouped = args.ideas // 5
            for start in range(0, grouped, 5):  # a fifth of the ideas in groups of five
                for idea_id, _group in made[start + 1 : start + 5]:
                    groups.move_idea(db, actor=actor, idea_id=idea_id, group_id=made[start][1])
            targets = [group for index, (_idea, group) in enumerate(made) if index >= grouped or index % 5 == 0]
            sessions.change_phase(db, facilitator=me, session_id=session.id, phase="vote")
            for person in people:
                for group_id in rng.sample(targets, 3):
                    votes.cast(db, participant=person, group_id=group_id)
            sessions.change_phase(db, facilitator=me, session_id=session.id, phase="score")
            for person in people:
                for group_id in rng.sample(targets, 2):
                    impact, feasibility = rng.randint(1, 5), rng.randint(1, 5)
                    scores.rate(db, participant=person, group_id=group_id, impact=impact, feasibility=feasibility)
            sessions.change_phase(db, facilitator=me, session_id=session.id, phase="results")
            counts["participants"] += len(people)
            counts["ideas"] += len(made)
            counts["groups"] += len(targets)
            counts["votes"] += 3 * len(people)
            counts["ratings"] += 2 * len(people)
            print(f"  session {number + 1}/{args.sessions} built", file=sys.stderr, flush=True)
    return {"workshop_id": workshop.id, "counts": counts}


def export(settings: Settings, workshop_id: int, target: Path) -> dict[str, Any]:
    from app.models import Workshop
    from app.services import archive

    with sessions_for(settings)() as db:
        workshop = db.get(Workshop, workshop_id)
        assert workshop is not None
        started = time.perf_counter()
        data = archive.export(db, workshop)
        seconds = time.perf_counter() - started
    target.write_bytes(data)
    with zipfile.ZipFile(BytesIO(data)) as zf:
        unpacked = zf.getinfo(archive.MEMBER).file_size
    return {"seconds": seconds, "zip": len(data), "json": unpacked}


def prepare(settings: Settings) -> dict[str, Any]:
    """Migrate and add the owner, in a child of its own: the password's argon2id hash
    takes 64 MiB for a moment, which is not the import's memory."""
    from app.services import facilitators

    migrated(settings)
    with sessions_for(settings)() as db:
        facilitators.create_facilitator(db, email=EMAIL, password="bench-password-123", name="Bench")
    return {}


def import_into(settings: Settings, source: Path) -> dict[str, Any]:
    from sqlalchemy import select

    from app.models import Facilitator
    from app.services import archive

    data = source.read_bytes()
    with sessions_for(settings)() as db:
        owner = db.scalar(select(Facilitator).where(Facilitator.email == EMAIL))
        assert owner is not None
        started = time.perf_counter()
        imported = archive.import_archive(db, owner=owner, data=data, max_bytes=settings.archive_max_mb * 2**20)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "counts": imported.counts}


def backup(database: Path, target: Path) -> dict[str, Any]:
    from app.backup import backup_sqlite

    started = time.perf_counter()
    result = backup_sqlite(database, target)
    return {"seconds": time.perf_counter() - started, "bytes": result.size}


def fresh_postgres(url: str) -> None:
    """Create the database if missing; drop and recreate its ``public`` schema."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}) is None:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    engine = create_engine(target, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(step: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``step`` in a forked child; its result plus its peak RSS and wall time."""
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            out = {"ok": step()}
        except BaseException as exc:  # reported by the parent
            out = {"error": repr(exc)}
        with os.fdopen(write_end, "w") as pipe:
            json.dump(out, pipe)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        out = json.loads(pipe.read() or '{"error": "no answer"}')
    _pid, _status, usage = os.wait4(pid, 0)
    if "error" in out:
        raise SystemExit(f"step failed: {out['error']}")
    return {**out["ok"], "wall": time.perf_counter() - started, "peak_mb": usage.ru_maxrss / 1024}


def mb(n: float) -> str:
    return f"{n / 1_000_000:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=6, help="6: about 15–20 s each to build")
    parser.add_argument("--people", type=int, default=500, help="per session")
    parser.add_argument("--ideas", type=int, default=1500, help="per session")
    parser.add_argument("--pg", metavar="URL", help="also import into this PostgreSQL database (schema dropped)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="rembuk-bench-archive-"))
    source = settings_for(f"sqlite:///{folder / 'source.sqlite3'}", folder)
    zip_path = folder / "workshop.zip"
    start_mb = rss_mb()
    print(f"building {args.sessions} × {args.people} people × {args.ideas} ideas in {folder}", file=sys.stderr)
    built = in_child(lambda: build(source, args))
    exported = in_child(lambda: export(source, built["workshop_id"], zip_path))
    target = settings_for(f"sqlite:///{folder / 'import.sqlite3'}", folder)
    in_child(lambda: prepare(target))
    into_sqlite = in_child(lambda: import_into(target, zip_path))
    into_pg = None
    if args.pg:
        fresh_postgres(args.pg)
        pg = settings_for(args.pg, folder)
        in_child(lambda: prepare(pg))
        into_pg = in_child(lambda: import_into(pg, zip_path))
    backed_up = in_child(lambda: backup(folder / "source.sqlite3", folder / "backup.sqlite3"))

    c = built["counts"]
    print(
        f"Workshop: {args.sessions} sessions × {args.people} people × {args.ideas} ideas = "
        f"{c['participants']:,} participants, {c['ideas']:,} ideas, {c['groups']:,} groups, "
        f"{c['votes']:,} dots, {c['ratings']:,} ratings (built in {built['wall']:.0f} s; "
        f"SQLite file {mb((folder / 'source.sqlite3').stat().st_size)})\n"
    )
    print("| step | time | size | peak RSS (at start) |")
    print("|---|---:|---:|---:|")
    print(
        f"| export (zip) | {exported['seconds']:.2f} s | {mb(exported['zip'])} zip, {mb(exported['json'])} JSON "
        f"| {exported['peak_mb']:.0f} MB ({start_mb:.0f}) |"
    )
    rows = [("import → SQLite", into_sqlite)] + ([("import → PostgreSQL", into_pg)] if into_pg else [])
    for label, result in rows:
        print(f"| {label} | {result['seconds']:.2f} s | | {result['peak_mb']:.0f} MB ({start_mb:.0f}) |")
    print(
        f"| `rembuk backup` (SQLite) | {backed_up['seconds']:.2f} s | {mb(backed_up['bytes'])} "
        f"| {backed_up['peak_mb']:.0f} MB ({start_mb:.0f}) |"
    )
    print(f"\nImported rows (SQLite): {json.dumps(into_sqlite['counts'])}")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
