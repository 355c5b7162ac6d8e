"""How long a summary download takes for a big session, end to end through HTTP.

Builds a throw-away SQLite database through the services (as the app would): one
workshop, ~100 participants, 2,000 ideas merged into ~800 groups, dot votes, then
times every format of ``GET /api/v1/sessions/{id}/summary.<ext>`` (and the
workshop summary) with FastAPI's TestClient and prints a table. The target:
under 2 s per format on the 2-core machine the room's laptop stands for. With
``--rated N`` the room also rates N groups each (impact × feasibility): the Word
and PDF files then carry the matrix figure too.

Then a second workshop walked through all four stages, ~2,000 ideas in
all: a Tahap I SWOT board, the top groups carried into Tahap II and III with new
ideas each time, votes, ratings, roadmap plans and quick wins, and a Tahap IV
signing; its masterplan-shaped workshop download is timed in every format.

    .venv/bin/python bench/exports.py [--ideas 2000] [--groups 800] [--participants 100] [--runs 3]
                                      [--rated 0] [--workshop-ideas 2000] [--only session|workshop]

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

from fastapi.testclient import TestClient  # noqa: E402  # needs the sys.path line above

from app.domain import DIMENSIONS, SWOT_CODES, BudgetSource, Horizon, OrganizationType, Phase  # noqa: E402  # needs the sys.path line above
from app.exports.formats import SESSION_FORMATS, WORKSHOP_FORMATS  # noqa: E402  # needs the sys.path line above
from app.main import create_app  # noqa: E402  # needs the sys.path line above
from app.migrate import upgrade  # noqa: E402  # needs the sys.path line above
from app.services import (  # noqa: E402  # needs the sys.path line above
    carry,
    commitments,
    facilitators,
    groups,
    ideas,
    participants,
    scores,
    sessions,
    votes,
    workshops,
)
from app.settings import Settings  # noqa: E402  # needs the sys.path line above

PASSWORD = "bench-password-123456"
WORDS = [
    "layanan",
    "publik",
    "terpadu",
    "aplikasi",
    "antrean",
    "online",
    "RSUD",
    "nagari",
    "data",
    "terbuka",
    "QRIS",
    "pasar",
    "wisata",
    "bahari",
    "Pantai",
    "Tiram",
    "homestay",
    "UMKM",
    "sala",
    "lauak",
    "irigasi",
    "sampah",
    "bank",
    "sampah",
    "energi",
    "surya",
    "sekolah",
    "literasi",
    "digital",
    "Relawan",
    "TIK",
    "CCTV",
    "BPBD",
    "peringatan",
    "dini",
    "banjir",
    "tsunami",
    "jalan",
    "rusak",
    "angkutan",
    "umum",
    "perizinan",
    "OSS",
    "Disdukcapil",
    "tanda",
    "tangan",
    "elektronik",
    "—",
    "sinergi",
    "OPD",
    "Bappeda",
    "Diskominfo",
    "pelatihan",
    "ASN",
    "kolaborasi",
    "warga",
    "🚀",
    "cepat",
    "mudah",
    "murah",
]


def build(
    app, *, n_ideas: int, n_groups: int, n_participants: int, n_rated: int, rng: random.Random
) -> tuple[int, int]:
    with app.state.sessions() as db:
        fac = facilitators.create_facilitator(
            db, email="bench@kominfo.go.id", password=PASSWORD, name="Fasilitator Bench"
        )
        workshop = workshops.create_workshop(
            db, owner=fac, title="Bimtek Smart City (bench)", region="Kabupaten Contoh", year=2026
        )
        stage = workshops.stages(db, workshop.id)[0]
        session = sessions.create_session(
            db,
            facilitator=fac,
            stage_id=stage.id,
            title="Isu strategis daerah",
            prompt="Apa isu utama di daerah kita?",
            idea_max_length=400,
            vote_budget=5,
            max_votes_per_group=3,
        )
        sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.brainstorm.value)
        types = [t.value for t in OrganizationType]
        people = [
            participants.join(
                db,
                join_code=session.join_code,
                name=f"Peserta {i:03d}",
                organization_type=rng.choice(types),
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
        if n_rated:
            sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.score.value)
            for person in people:
                for target in rng.sample(targets, min(n_rated, len(targets))):
                    scores.rate(
                        db, participant=person, group_id=target, impact=rng.randint(1, 5), feasibility=rng.randint(1, 5)
                    )
        sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.results.value)
        return session.id, workshop.id


# Four stages, as a Bimtek runs them: share of the ideas typed in each stage, people
# in the room, groups carried in from the stage before.
STAGE_PLAN = (
    # (stage, share of ideas, participants, groups carried in, ideas per group when grouping)
    (1, 0.45, 100, 0, 2.5),
    (2, 0.25, 80, 120, 3.0),
    (3, 0.175, 60, 60, 3.0),
    (4, 0.125, 50, 8, 4.0),
)


def build_masterplan(app, *, n_ideas: int, rng: random.Random) -> int:
    """A workshop through all four stages (see the module's docstring); returns its id."""
    with app.state.sessions() as db:
        fac = facilitators.create_facilitator(db, email="bench2@kominfo.go.id", password=PASSWORD, name="Fasilitator")
        workshop = workshops.create_workshop(
            db, owner=fac, title="Bimtek Smart City (masterplan bench)", region="Kabupaten Contoh", year=2026
        )
        actor = groups.Actor(facilitator=fac)
        types = [t.value for t in OrganizationType]
        previous = None
        quick_wins: list[int] = []  # marked in Tahap III, the groups Tahap IV carries in
        for (number, share, n_people, carried, per_group), stage in zip(
            STAGE_PLAN, workshops.stages(db, workshop.id), strict=True
        ):
            session = sessions.create_session(
                db,
                facilitator=fac,
                stage_id=stage.id,
                title=f"Sesi Tahap {number}",
                prompt="Apa isu dan programnya?",
                idea_max_length=400,
                vote_budget=5,
                max_votes_per_group=3,
                layout="swot" if number == 1 else None,
            )
            sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.brainstorm.value)
            imported = []
            if previous is not None:
                how = {"group_ids": quick_wins} if number == 4 else {"top": carried}
                imported = [
                    i.group_id
                    for i in carry.import_groups(
                        db, facilitator=fac, session_id=session.id, source_session_id=previous, **how
                    )[0]
                ]
            # Half the room came before (same name and office), half is new: the attendance matrix has both.
            people = [
                participants.join(
                    db,
                    join_code=session.join_code,
                    name=f"Peserta {i + (0 if i % 2 else number * 1000):04d}",
                    organization_type=rng.choice(types),
                    organization=f"Dinas {i % 30}",
                )[0]
                for i in range(n_people)
            ]
            made = []
            for i in range(int(n_ideas * share)):
                dim = rng.choice(DIMENSIONS + (None,))
                text = f"Gagasan T{number}-{i}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 40)))
                idea, _seq, _created = ideas.submit(
                    db,
                    participant=rng.choice(people),
                    text=text,
                    dimension=dim.code if dim else None,
                    sub_element=rng.choice(dim.sub_elements).code if dim else None,
                    swot=rng.choice(SWOT_CODES) if number == 1 else None,
                )
                made.append(idea)
            sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.group.value)
            n_groups = max(1, int(len(made) / per_group))
            targets = imported + [idea.group_id for idea in made[:n_groups]]
            for n, idea in enumerate(made[n_groups:]):
                groups.move_idea(db, actor=actor, idea_id=idea.id, group_id=targets[n % len(targets)])
            if number < 4:
                sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.vote.value)
                for person in people:
                    for target in rng.sample(targets, 5):
                        votes.cast(db, participant=person, group_id=target)
            if number == 3:
                sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.score.value)
                for person in people:
                    for target in rng.sample(imported, 20):
                        scores.rate(
                            db,
                            participant=person,
                            group_id=target,
                            impact=rng.randint(1, 5),
                            feasibility=rng.randint(1, 5),
                        )
                for n, target in enumerate(imported):
                    groups.update_group(
                        db,
                        actor=actor,
                        group_id=target,
                        horizon=rng.choice(list(Horizon)).value,
                        owner=f"Dinas {rng.choice(WORDS).title()}",
                        budget_source=rng.choice(list(BudgetSource)).value,
                        quick_win=n < STAGE_PLAN[3][3],
                    )
                quick_wins = imported[: STAGE_PLAN[3][3]]
            sessions.change_phase(db, facilitator=fac, session_id=session.id, phase=Phase.results.value)
            if number == 4:
                sessions.update_session(db, facilitator=fac, session_id=session.id, commitment_open=True)
                for person in people:
                    commitments.sign(
                        db,
                        participant=person,
                        name=person.name,
                        position="Kepala Bidang",
                        organization=person.organization,
                    )
            previous = session.id
        return workshop.id


def forget_figures() -> None:
    """Each run draws its figures anew: the renderer remembers its last drawings,
    which would make every run after the first a cache hit."""
    figures = sys.modules.get("app.exports.figures")
    if figures is not None:
        figures._drawn.cache_clear()


def time_download(client: TestClient, url: str, headers: dict, runs: int, save: Path | None) -> tuple[list[float], int]:
    times, body = [], b""
    for _ in range(runs):
        forget_figures()
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
    parser.add_argument("--rated", type=int, default=0, help="groups each participant rates (the matrix figure)")
    parser.add_argument("--workshop-ideas", type=int, default=2000, help="ideas over the four-stage workshop")
    parser.add_argument("--only", choices=("session", "workshop"), help="run one of the two benchmarks")
    parser.add_argument("--save", type=Path, help="also write each download into this folder, to look at")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            var_dir=Path(tmp), secret_key="bench-secret-key-" + "x" * 40, public_url="http://rembuk.local"
        )
        upgrade(settings)
        app = create_app(settings)
        print(
            f"{platform.node()} · {platform.platform()} · Python {platform.python_version()} · "
            f"{os.cpu_count()} CPUs · load average {os.getloadavg()[0]:.1f}"
        )
        if args.only != "workshop":
            start = time.perf_counter()
            session_id, workshop_id = build(
                app,
                n_ideas=args.ideas,
                n_groups=args.groups,
                n_participants=args.participants,
                n_rated=args.rated,
                rng=random.Random(3),
            )
            print(
                f"\nbuilt {args.ideas} ideas in {args.groups} groups, {args.participants} participants, "
                f"{args.participants * 5} votes, {args.participants * args.rated} ratings "
                f"in {time.perf_counter() - start:.1f} s"
            )
            urls = [(f"session .{ext}", f"/api/v1/sessions/{session_id}/summary.{ext}") for ext in SESSION_FORMATS]
            urls += [(f"workshop .{ext}", f"/api/v1/workshops/{workshop_id}/summary.{ext}") for ext in WORKSHOP_FORMATS]
            report(app, "bench@kominfo.go.id", urls, args)
        if args.only != "session":
            start = time.perf_counter()
            masterplan_id = build_masterplan(app, n_ideas=args.workshop_ideas, rng=random.Random(4))
            print(
                f"\nbuilt a four-stage workshop with {args.workshop_ideas} ideas in {time.perf_counter() - start:.1f} s"
            )
            urls = [
                (f"masterplan .{ext}", f"/api/v1/workshops/{masterplan_id}/summary.{ext}") for ext in WORKSHOP_FORMATS
            ]
            report(app, "bench2@kominfo.go.id", urls, args)


def report(app, email: str, urls: list[tuple[str, str]], args) -> None:
    with TestClient(app) as client:
        token = client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        print(f"\n| download | first (s) | median of {args.runs} (s) | max (s) | size (KiB) | peak heap (MiB) |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, url in urls:
            times, size = time_download(client, url, headers, args.runs, args.save)
            peak = peak_memory(client, url, headers)
            print(
                f"| {label} | {times[0]:.2f} | {statistics.median(times):.2f} | {max(times):.2f} "
                f"| {size / 1024:.0f} | {peak:.0f} |"
            )


if __name__ == "__main__":
    main()
