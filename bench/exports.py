"""How long a summary download takes for a big session, end to end through HTTP.

Builds a throw-away SQLite database through the services (as the app would): one
workshop, ~100 participants, 2,000 ideas merged into ~800 groups, dot votes, then
times every format of ``GET /api/v1/sessions/{id}/summary.<ext>`` (and the
workshop summary) with FastAPI's TestClient and prints a table. The target
(issue 3): under 2 s per format on the 2-core machine the room's laptop stands for.

    .venv/bin/python bench/exports.py [--ideas 2000] [--groups 800] [--participants 100] [--runs 3]

Numbers only: nothing here asserts a time (tests never do). Results: bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient

from app.domain import DIMENSIONS, OrganizationType, Phase
from app.exports.formats import SESSION_FORMATS, WORKSHOP_FORMATS
from app.main import create_app
from app.migrate import upgrade
from app.services import (
    facilitators,
    groups,
    ideas,
    participants,
    sessions,
    votes,
    workshops,
)
from app.settings import Settings

PASSWORD = "bench-password-123456"
WORDS = ["layanan", "publik", "terpadu", "aplikasi", "antrean", "online", "RSUD", "nagari", "data", "terbuka", "QRIS", "pasar", "wisata", "bahari", "Pantai", "Tiram", "homestay", "UMKM", "sala", "lauak", "irigasi", "sampah", "bank", "sampah", "energi", "surya", "sekolah", "literasi", "digital", "Relawan", "TIK", "CCTV", "BPBD", "peringatan", "dini", "banjir", "tsunami", "jalan", "rusak", "angkutan", "umum", "perizinan", "OSS", "Disdukcapil", "tanda", "tangan", "elektronik", "—", "sinergi", "OPD", "Bappeda", "Diskominfo", "pelatihan", "ASN", "kolaborasi", "warga", "🚀", "cepat", "mudah", "murah"]


def build(app, *, n_ideas: int, n_groups: int, n_participants: int, rng: random.Random) -> tuple[int, int]:
    with app.state.sessions() as db:
        fac = facilitators.create_facilitator(db, email="bench@kominfo.go.id", password=PASSWORD, name="Fasilitator Bench")
        workshop = workshops.create_workshop(db, owner=fac, title="Bimtek Smart City (bench)", region="Kabupaten Contoh", year=2026)
        stage = workshops.stages(db, workshop.id)[0]
        session = sessions.create_session(
            db, facilitator=fac, stage_id=stage.id, title="Isu strategis daerah", prompt="Apa isu utama di daerah kita?",
            idea_max_length=400, vote_budget=5, max_votes_per_group=3,
        )
        sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.brainstorm.value)
        types = [t.value for t in OrganizationType]
        people = [
            participants.join(
                db, join_code=session.join_code, name=f"Peserta {i:03d}", organization_type=rng.choice(types),
                organization=f"Dinas {rng.choice(WORDS).title()} {i % 30}",
            )[0]
            for i in range(n_participants)
        ]
        made = []
        for i in range(n_ideas):
            dim = rng.choice(DIMENSIONS + (None,))
            sub = rng.choice(dim.sub_elements).code if dim else None
            text = f"Gagasan {i}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 40)))
            idea, _seq, _created = ideas.submit(
                db, participant=rng.choice(people), text=text, dimension=dim.code if dim else None, sub_element=sub
            )
            made.append(idea)
        sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.group.value)
        actor = groups.Actor(facilitator=fac)
        targets = [idea.group_id for idea in made[:n_groups]]
        for n, idea in enumerate(made[n_groups:]):
            groups.move_idea(db, actor=actor, idea_id=idea.id, group_id=targets[n % n_groups])
        sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.vote.value)
        for person in people:
            for target in rng.sample(targets, 5):
                votes.cast(db, participant=person, group_id=target)
        sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.results.value)
        return session.id, workshop.id


def time_download(client: TestClient, url: str, headers: dict, runs: int, save: Path | None) -> tuple[list[float], int]:
    times, body = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text
        body = response.content
    if save:
        save.mkdir(parents=True, exist_ok=True)
        (save / url.strip("/").replace("/", "_")).write_bytes(body)
    return times, len(body)


def peak_memory(client: TestClient, url: str, headers: dict) -> float:
    """Python heap at its highest during one more download, in MiB (an untimed run:
    tracemalloc slows everything down)."""
    tracemalloc.start()
    client.get(url, headers=headers)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=2000)
    parser.add_argument("--groups", type=int, default=800)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--save", type=Path, help="also write each download into this folder, to look at")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(var_dir=Path(tmp), secret_key="bench-secret-key-" + "x" * 40, public_url="http://rembuk.local")
        upgrade(settings)
        app = create_app(settings)
        start = time.perf_counter()
        session_id, workshop_id = build(
            app, n_ideas=args.ideas, n_groups=args.groups, n_participants=args.participants, rng=random.Random(3)
        )
        print(f"built {args.ideas} ideas in {args.groups} groups, {args.participants} participants, "
              f"{args.participants * 5} votes in {time.perf_counter() - start:.1f} s")
        print(f"{platform.node()} · {platform.platform()} · Python {platform.python_version()} · "
              f"{os.cpu_count()} CPUs · load average {os.getloadavg()[0]:.1f}")
        with TestClient(app) as client:
            token = client.post("/api/v1/auth/token", data={"username": "bench@kominfo.go.id", "password": PASSWORD})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            print(f"\n| download | first (s) | median of {args.runs} (s) | max (s) | size (KiB) | peak heap (MiB) |")
            print("|---|---:|---:|---:|---:|---:|")
            urls = [(f"session .{ext}", f"/api/v1/sessions/{session_id}/summary.{ext}") for ext in SESSION_FORMATS]
            urls += [(f"workshop .{ext}", f"/api/v1/workshops/{workshop_id}/summary.{ext}") for ext in WORKSHOP_FORMATS]
            for label, url in urls:
                times, size = time_download(client, url, headers, args.runs, args.save)
                peak = peak_memory(client, url, headers)
                print(
                    f"| {label} | {times[0]:.2f} | {statistics.median(times):.2f} | {max(times):.2f} "
                    f"| {size / 1024:.0f} | {peak:.0f} |"
                )


if __name__ == "__main__":
    main()
