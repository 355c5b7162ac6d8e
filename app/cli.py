"""``rembuk`` command line: serve, migrate, create-facilitator, demo, backup,
export-workshop, import-workshop, retention."""

from __future__ import annotations

import argparse
import sys

from app.settings import LogLevel, Settings


def _sessions(settings: Settings):
    from app.db import create_db_engine, make_sessionmaker
    from app.migrate import check_migrated
    from app.realtime.broker import MemoryBroker

    engine = create_db_engine(settings)
    check_migrated(engine, settings)
    return make_sessionmaker(engine, MemoryBroker())


def cmd_migrate(settings: Settings, _args) -> int:
    from app.migrate import upgrade

    upgrade(settings)
    print(f"Database migrated: {settings.resolved_database_url.split('@')[-1]}")
    return 0


def cmd_create_facilitator(settings: Settings, args) -> int:
    from app.errors import DomainError
    from app.services import facilitators

    with _sessions(settings)() as db:
        try:
            facilitator = facilitators.create_facilitator(db, email=args.email, password=args.password, name=args.name)
        except DomainError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(f"Facilitator {facilitator.email} created (id {facilitator.id}).")
    return 0


def print_setup_link(settings: Settings) -> None:
    """First start: no facilitator yet, so print a one-time link (there is no default password)."""
    from app.services import facilitators

    with _sessions(settings)() as db:
        token = facilitators.issue_setup_token(db)
    if token:
        url = f"{settings.public_url.rstrip('/')}/setup/{token}"
        bar = "=" * 72
        print(
            f"\n{bar}\nNo facilitator account yet. Create the first one here (one-time link):\n\n    {url}\n\n"
            f"or from the shell: rembuk create-facilitator --email E --password P\n{bar}\n",
            flush=True,
        )


def lan_address() -> str | None:
    """This machine's address on the local network (no packet is sent), or None."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def warn_unreachable_public_url(settings: Settings, host: str, port: int) -> None:
    """Serving the venue LAN with a loopback public URL gives phones QR codes they cannot open."""
    from urllib.parse import urlparse

    public_host = urlparse(settings.public_url).hostname or ""
    if host in ("127.0.0.1", "localhost", "::1") or public_host not in ("127.0.0.1", "localhost", "::1"):
        return
    example = f"http://{lan_address() or '192.168.1.10'}:{port}"
    print(
        f"warning: REMBUK_PUBLIC_URL is {settings.public_url}, which phones cannot open; join links and "
        f"QR codes use it. Set REMBUK_PUBLIC_URL={example} (this laptop's LAN address).",
        file=sys.stderr,
    )


def cmd_serve(settings: Settings, args) -> int:
    import uvicorn

    from app.logs import logging_config
    from app.memory import limit_malloc_arenas
    from app.migrate import NotMigrated
    from app.realtime.brokers import broker_from_url

    if args.workers > 1 and not broker_from_url(settings.broker_url).multi_process:
        print(
            "error: memory:// cannot share live events between workers; run one worker "
            "or set REMBUK_BROKER_URL to a shared broker.",
            file=sys.stderr,
        )
        return 2
    try:
        print_setup_link(settings)
    except NotMigrated as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    warn_unreachable_public_url(settings, args.host, args.port)
    if args.log_level:
        settings = settings.model_copy(update={"log_level": LogLevel(args.log_level.upper())})
    limit_malloc_arenas()  # before the server's threads start (app/memory.py)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout_graceful_shutdown=3,
        proxy_headers=True,
        # Applied in every worker process: uvicorn's records go through Rembuk's handler (app/logs.py).
        log_config=logging_config(settings),
        log_level=settings.log_level.value.lower(),
    )
    return 0


def cmd_demo(settings: Settings, args) -> int:
    from app.demo import seed_demo
    from app.errors import DomainError

    with _sessions(settings)() as db:
        try:
            result = seed_demo(db, email=args.email, password=args.password, public_url=settings.public_url)
        except DomainError as exc:  # e.g. a --password shorter than the minimum
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(result)
    return 0


def cmd_backup(settings: Settings, args) -> int:
    from pathlib import Path

    from app.backup import BackupError, backup_sqlite, pg_dump_command, sqlite_file

    database = sqlite_file(settings.resolved_database_url)
    if database is None:
        print(
            "error: `rembuk backup` copies a SQLite database; this one is on PostgreSQL. Back it up with "
            f"pg_dump (it asks for the password, or reads PGPASSWORD or ~/.pgpass):\n\n"
            f"    {pg_dump_command(settings.resolved_database_url, args.file)}\n",
            file=sys.stderr,
        )
        return 2
    try:
        result = backup_sqlite(database, Path(args.file))
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Backup written to {result.path}: {result.describe()}.")
    return 0


def cmd_export_workshop(settings: Settings, args) -> int:
    from pathlib import Path

    from app.models import Workshop
    from app.services import archive

    with _sessions(settings)() as db:
        workshop = db.get(Workshop, args.workshop_id)
        if workshop is None:
            print(f"error: no workshop {args.workshop_id} in this database", file=sys.stderr)
            return 1
        body = archive.export(db, workshop)
    Path(args.file).write_bytes(body)
    print(
        f"Workshop {workshop.id} ({workshop.title}, {workshop.region} {workshop.year}) exported to {args.file} "
        f"({len(body):,} bytes)."
    )
    return 0


def cmd_import_workshop(settings: Settings, args) -> int:
    from pathlib import Path

    from app.errors import DomainError
    from app.services import archive, facilitators

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    with _sessions(settings)() as db:
        try:
            owner = facilitators.owner_for_import(db, email=args.owner)
            imported = archive.import_archive(db, owner=owner, data=data, max_bytes=settings.archive_max_mb * 2**20)
        except DomainError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    counts = ", ".join(f"{n} {kind}" for kind, n in imported.counts.items())
    print(
        f"Workshop {imported.workshop.id} ({imported.workshop.title}) imported from {args.file} for "
        f"{owner.email}: {counts}."
    )
    if imported.new_join_codes:
        print(f"{imported.new_join_codes} open session(s) got a new join code (theirs was in use here).")
    return 0


def cmd_retention(settings: Settings, args) -> int:
    """One retention round (the server does one at start and daily): for a cron."""
    from app.models import Workshop, utcnow
    from app.services import retention
    from app.snapshots import after_erasure

    with _sessions(settings)() as db:
        now = utcnow()
        due = retention.workshops_due(db, now)
        if args.dry_run:
            for workshop_id in due:
                workshop = db.get(Workshop, workshop_id)
                print(f"Workshop {workshop_id} ({workshop.title if workshop else '?'}): names due for erasure.")
            print(f"{len(due)} workshop(s) due; nothing erased (--dry-run).")
            return 0
        done = retention.apply(db, now)
    if done:
        after_erasure(None, settings)
    print(f"Names erased in {done} workshop(s) whose retention had passed.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rembuk", description="Live facilitation for Smart City Bimtek workshops.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for the venue LAN)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--log-level", choices=[level.value.lower() for level in LogLevel], help="default: REMBUK_LOG_LEVEL (info)"
    )
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(func=cmd_migrate)

    create = sub.add_parser("create-facilitator", help="add a facilitator account")
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--name")
    create.set_defaults(func=cmd_create_facilitator)

    demo = sub.add_parser("demo", help='seed the sample workshop "Kabupaten Padang Pariaman"')
    demo.add_argument("--email", default="demo@rembuk.local", help="demo facilitator email (created if missing)")
    demo.add_argument("--password", default=None, help="demo facilitator password (random and printed if omitted)")
    demo.set_defaults(func=cmd_demo)

    backup = sub.add_parser("backup", help="copy the SQLite database to FILE, also while the server runs")
    backup.add_argument("file", metavar="FILE", help="where to write the copy (replaced only once it is complete)")
    backup.set_defaults(func=cmd_backup)

    export = sub.add_parser("export-workshop", help="write a workshop's archive (a zip another Rembuk imports)")
    export.add_argument("workshop_id", type=int, metavar="ID", help="the workshop's id (in its console URL)")
    export.add_argument("file", metavar="FILE", help="where to write the archive, e.g. bimtek.zip")
    export.set_defaults(func=cmd_export_workshop)

    imp = sub.add_parser("import-workshop", help="make a new workshop from an archive (new ids)")
    imp.add_argument("file", metavar="FILE", help="an archive written by export-workshop or the API")
    imp.add_argument("--owner", help="email of the facilitator who owns it (needed when there are several)")
    imp.set_defaults(func=cmd_import_workshop)

    keep = sub.add_parser(
        "retention",
        help="erase participants' names where the workshop's retention has passed (the server does it daily)",
    )
    keep.add_argument("--dry-run", action="store_true", help="only list the workshops that are due")
    keep.set_defaults(func=cmd_retention)
    return parser


def main(argv: list[str] | None = None) -> int:
    from app.logs import configure_logging
    from app.migrate import NotMigrated

    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except Exception as exc:  # pydantic ValidationError: say what to set
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        return args.func(settings, args)
    except NotMigrated as exc:  # the message names the command that fixes it
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
