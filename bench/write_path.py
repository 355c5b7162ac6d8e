"""A room's two writes alone, through the services (no HTTP, no streams): a dot
(``votes.cast``: 60 phones × 5 dots on 20 groups) and an idea (``ideas.submit``:
100 phones × 3 ideas), SQLite in a throw-away folder.

Prints this process's CPU per write and SQL statements per write (BEGIN and COMMIT
included). The write holds the session's lock for most of this, so it bounds how
many writes a second one room can take whatever the streams cost.

    .venv/bin/python bench/write_path.py
    PYTHONPATH=/tmp/main-tree .venv/bin/python bench/write_path.py   # another tree's app (git archive)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))  # tests.builders; PYTHONPATH's app wins

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app.main import create_app  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import Participant  # noqa: E402
from app.services import ideas, votes  # noqa: E402
from app.settings import Settings  # noqa: E402
from tests.builders import Api  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--phones", type=int, default=100)
    p.add_argument("--groups", type=int, default=20)
    p.add_argument("--dots", type=int, default=5, help="dots per phone")
    p.add_argument("--idea-phones", type=int, default=100, help="phones that send ideas")
    p.add_argument("--ideas", type=int, default=3, help="ideas per phone")
    args = p.parse_args()
    var = Path(tempfile.mkdtemp(prefix="rembuk-writes-"))
    settings = Settings(
        database_url=f"sqlite:///{var}/bench.db",
        secret_key="bench-" + "x" * 40,
        var_dir=var,
        public_url="http://rembuk.test",
        htmx_source="local",
        joins_per_minute=0,
    )
    upgrade(settings)
    app = create_app(settings)
    with TestClient(app) as client:
        api = Api(client)
        fac = api.facilitator()
        session = api.session(fac)
        phones = [api.join(session["join_code"], f"Peserta {i}", "opd", "Dinas") for i in range(args.phones)]
        groups = [api.idea(phones[i % args.phones], f"Ide nomor {i}", "living")["group_id"] for i in range(args.groups)]
        budget = {"vote_budget": args.dots, "max_votes_per_group": args.dots}
        r = client.patch(f"/api/v1/sessions/{session['id']}", json=budget, headers=fac)
        assert r.status_code == 200, r.text
        sessions = app.state.sessions
        statements = 0

        def count(*_args, **_kw) -> None:
            nonlocal statements
            statements += 1

        event.listen(app.state.engine, "before_cursor_execute", count)
        with sessions() as db:
            people = [db.get(Participant, phone.participant_id) for phone in phones]
            db.expunge_all()

        def measure(what: str, writes) -> None:
            nonlocal statements
            statements = 0
            cpu, wall, n = time.process_time(), time.perf_counter(), 0
            for person, write in writes:
                with sessions() as db:
                    db.add(person)
                    write(db, person)
                    db.expunge_all()
                n += 1
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(
                f"{n} {what}s: CPU {cpu / n * 1000:.2f} ms per {what}, wall {wall / n * 1000:.2f} ms, "
                f"{statements / n:.1f} SQL statements per {what} (BEGIN/COMMIT included)"
            )

        authors = people[: args.idea_phones]
        measure(
            "idea",
            [
                (
                    person,
                    lambda db, p, r=r, i=i: ideas.submit(
                        db, participant=p, text=f"Ide {r} dari {i}", dimension="living"
                    ),
                )
                for r in range(args.ideas)
                for i, person in enumerate(authors)
            ],
        )
        api.phase(fac, session["id"], "vote")
        targets = [(person, groups[(i + r) % len(groups)]) for r in range(args.dots) for i, person in enumerate(people)]
        measure(
            "dot",
            [(person, lambda db, p, g=group: votes.cast(db, participant=p, group_id=g)) for person, group in targets],
        )


if __name__ == "__main__":
    main()
