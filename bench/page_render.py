"""How long the vote-phase pages take to render: what the reload storm costs.

When the facilitator opens the vote, every phone gets a ``reload`` op and GETs its
page again: the ballot with every group. ``bench/room.py`` measures the storm; this
isolates one page. It builds a throw-away SQLite database through the services (one
session, ``--ideas`` ideas each in its own group, ``--phones`` participants, the
vote phase), then renders ``GET /s/{id}`` (a phone's ballot) and ``GET /board/{id}``
in-process through the ASGI app (no server, no network, no httpx), ``--runs`` times
each, and prints milliseconds per render and the page size. ``--no-auto-reload``
also times it with Jinja's ``auto_reload`` off (set at run time on this process's
template environment; the app is not changed), which shows what the per-include
template freshness check costs.

    .venv/bin/python bench/page_render.py [--ideas 1000] [--runs 10]

Numbers only; results in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from room import BENCH_SECRET  # noqa: E402

from app.domain import DIMENSION_CODES  # noqa: E402
from app.main import create_app  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.services import facilitators, ideas, participants, sessions, workshops  # noqa: E402
from app.settings import Settings  # noqa: E402

WORDS = [
    "layanan",
    "publik",
    "aplikasi",
    "antrean",
    "RSUD",
    "nagari",
    "data",
    "terbuka",
    "pasar",
    "wisata",
    "UMKM",
    "sampah",
    "energi",
    "sekolah",
]


def fresh_app(folder: str) -> tuple[Any, str]:
    """The app on a new, migrated SQLite database in ``folder``, and that database's URL
    (for a server started on it afterwards)."""
    url = f"sqlite:///{folder}/rembuk.sqlite3"
    settings = Settings(var_dir=Path(folder), database_url=url, secret_key=BENCH_SECRET, htmx_source="local")
    upgrade(settings)
    return create_app(settings), url


def build(app, n_ideas: int, n_phones: int) -> tuple[int, list[str], str]:
    """The session's id, every phone's cookie token, the facilitator's token."""
    rng = random.Random(5)
    with app.state.sessions() as db:
        fac = facilitators.create_facilitator(db, email="render@kominfo.go.id", password="bench-password-123456")
        workshop = workshops.create_workshop(
            db, owner=fac, title="Bimtek (bench)", region="Kabupaten Contoh", year=2026
        )
        stage = workshops.stages(db, workshop.id)[0]
        session = sessions.create_session(
            db,
            facilitator=fac,
            stage_id=stage.id,
            title="Isu",
            prompt="Apa isu kita?",
            vote_budget=5,
            max_votes_per_group=5,
        )
        sessions.change_phase(db, facilitator=fac, session_id=session.id, phase="brainstorm")
        people = [
            participants.join(
                db, join_code=session.join_code, name=f"Peserta {i}", organization_type="opd", organization="Dinas"
            )[0]
            for i in range(n_phones)
        ]
        for k in range(n_ideas):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))).capitalize()
            ideas.submit(db, participant=people[k % len(people)], text=text, dimension=rng.choice(DIMENSION_CODES))
        sessions.change_phase(db, facilitator=fac, session_id=session.id, phase="vote")
        phone_tokens = [app.state.signer.participant_token(p.id, session.id) for p in people]
        fac_token = (
            app.state.signer.facilitator_token(fac.id) if hasattr(app.state.signer, "facilitator_token") else None
        )
        return session.id, phone_tokens, fac_token


async def get(app, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """One GET through the ASGI app, the way uvicorn would call it."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    status, body = 0, []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(body)


async def timed(app, path: str, headers: dict[str, str], runs: int) -> tuple[list[float], int]:
    times, size = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        status, body = await get(app, path, headers)
        times.append(time.perf_counter() - t0)
        if status != 200:
            raise SystemExit(f"GET {path}: {status} {body[:200]!r}")
        size = len(body)
    return times, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ideas", type=int, default=1000)
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--no-auto-reload",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time with Jinja's auto_reload off (default on)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rembuk-render-") as tmp:
        app, _url = fresh_app(tmp)
        sid, phone_tokens, fac_token = build(app, args.ideas, args.phones)
        phone_token = phone_tokens[0]
        cases = [(f"phone ballot GET /s/{sid}", f"/s/{sid}", {"cookie": f"rembuk_p{sid}={phone_token}"})]
        if fac_token:
            cases.append((f"board GET /board/{sid}", f"/board/{sid}", {"cookie": f"rembuk_fac={fac_token}"}))
        env = app.state.templates.env
        print(f"{args.ideas} ideas in {args.ideas} groups, vote phase; {args.runs} renders each (after one warm-up)\n")
        print("| page | auto_reload | median ms | min ms | bytes (uncompressed) |")
        print("|---|---|---:|---:|---:|")
        for auto_reload in [True, False] if args.no_auto_reload else [True]:
            env.auto_reload = auto_reload
            env.cache.clear() if env.cache is not None else None
            for name, path, headers in cases:
                asyncio.run(timed(app, path, headers, 1))
                times, size = asyncio.run(timed(app, path, headers, args.runs))
                print(
                    f"| {name} | {auto_reload} | {statistics.median(times) * 1000:.0f} | "
                    f"{min(times) * 1000:.0f} | {size} |"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
