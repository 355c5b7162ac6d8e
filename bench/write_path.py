"""The dot's write path alone: ``votes.cast`` through the service, no HTTP, no streams.

Prints this process's CPU per dot and SQL statements per dot (BEGIN and COMMIT
included) for 60 phones × 5 dots on 20 groups, SQLite in a throw-away folder. The
write holds the session's lock for most of this, so it bounds how many dots a second
one room can take whatever the streams cost.

    .venv/bin/python bench/dot_write.py
    PYTHONPATH=/tmp/main-tree .venv/bin/python bench/dot_write.py   # another tree's app (git archive)
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
from app.services import votes  # noqa: E402
from app.settings import Settings  # noqa: E402
from tests.builders import Api  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--phones", type=int, default=60)
    p.add_argument("--groups", type=int, default=20)
    p.add_argument("--dots", type=int, default=5, help="dots per phone")
    args = p.parse_args()
    var = Path(tempfile.mkdtemp(prefix="rembuk-dots-"))
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
        api.phase(fac, session["id"], "vote")
        sessions = app.state.sessions
        statements = 0

        def count(*_args, **_kw) -> None:
            nonlocal statements
            statements += 1

        event.listen(app.state.engine, "before_cursor_execute", count)
        with sessions() as db:
            people = [db.get(Participant, phone.participant_id) for phone in phones]
            db.expunge_all()
        cpu, wall, n = time.process_time(), time.perf_counter(), 0
        for round_ in range(args.dots):
            for i, person in enumerate(people):
                with sessions() as db:
                    db.add(person)
                    votes.cast(db, participant=person, group_id=groups[(i + round_) % len(groups)])
                    db.expunge_all()
                n += 1
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{n} dots: CPU {cpu / n * 1000:.2f} ms per dot, wall {wall / n * 1000:.2f} ms, "
        f"{statements / n:.1f} SQL statements per dot (BEGIN/COMMIT included)"
    )


if __name__ == "__main__":
    main()
