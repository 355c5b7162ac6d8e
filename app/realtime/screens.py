"""What each HTML screen shows, read in one consistent transaction.

The page (GET) and the live stream's snapshot call the same reader, and the
reader returns the session's ``last_seq`` from the same transaction as the rows:
that is what lets a page say ``data-seq=N`` and then ask the stream only for
events after N without missing or repeating one.

Idea dicts keep one shape everywhere (``app.services.ideas.public``, trimmed by
``app.services.board.trim_idea``), so the fragment that renders a page's idea is
the same one that renders an event's idea.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import sessionmaker

from app.db import Db
from app.domain import DIMENSIONS
from app.models import Participant, Session
from app.services import board as board_service
from app.services import ideas as idea_service
from app.services import participants as participant_service
from app.services import sessions as session_service

# The projector is public: it sees what a participant sees (no hidden ideas; authors
# only when the session is not anonymous), even though a facilitator opens it.
PROJECTOR = board_service.Audience(facilitator=False)

NONE_COLUMN = "none"
COLUMN_CODES = (*(d.code for d in DIMENSIONS), NONE_COLUMN)


def column_of(idea: dict[str, Any]) -> str:
    return idea.get("dimension") or NONE_COLUMN


@contextmanager
def consistent_read(sessions: sessionmaker) -> Iterator[Db]:
    """One read transaction that sees one snapshot of the database.

    SQLite in WAL mode keeps the snapshot of a read transaction's first SELECT;
    PostgreSQL needs REPEATABLE READ for that (READ COMMITTED sees newer commits per
    statement, and ``last_seq`` could then run ahead of the rows).
    """
    with sessions() as db:
        if db.get_bind().dialect.name == "postgresql":
            db.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield db


def page_version(session: dict[str, Any]) -> str:
    """A short fingerprint of what a page shows about its session outside the live
    region (phase, prompt, settings …). A snapshot for a page with another
    fingerprint is a reload: the page itself is out of date."""
    shown = {k: session.get(k) for k in ("phase", "title", "prompt", "join_code", "anonymous", "idea_max_length")}
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:12]


def _all_ideas(board: dict[str, Any]) -> list[dict[str, Any]]:
    ideas = [idea for group in board["groups"] for idea in group["ideas"]]
    ideas.sort(key=lambda idea: idea["id"], reverse=True)  # newest first: live ones arrive on top
    return ideas


def board_screen(db: Db, *, session_id: int, public_url: str) -> dict[str, Any]:
    """The projector: ideas per dimension column, newest first."""
    session = db.get(Session, session_id)
    board = board_service.board(db, session=session, audience=PROJECTOR, public_url=public_url)
    columns: dict[str, list[dict[str, Any]]] = {code: [] for code in COLUMN_CODES}
    for idea in _all_ideas(board):
        columns[column_of(idea)].append(idea)
    return {
        "session": board["session"],
        "participant_count": board["participant_count"],
        "last_seq": board["last_seq"],
        "columns": columns,
    }


def console_screen(db: Db, *, session_id: int, public_url: str) -> dict[str, Any]:
    """The facilitator's moderation list: every idea, hidden ones too, with its author."""
    session = db.get(Session, session_id)
    board = board_service.board(db, session=session, audience=board_service.FACILITATOR, public_url=public_url)
    return {
        "session": board["session"],
        "participant_count": board["participant_count"],
        "last_seq": board["last_seq"],
        "ideas": _all_ideas(board),
    }


def phone_screen(db: Db, *, session_id: int, participant_id: int) -> dict[str, Any]:
    """A participant's phone: the session and their own ideas (hidden ones marked)."""
    session = db.get(Session, session_id)
    participant = db.get(Participant, participant_id)
    return {
        "session": session_service.public(session),
        "participant": participant,
        "participant_count": participant_service.count(db, session_id),
        "last_seq": session.last_seq,
        "my_ideas": [idea_service.public(idea, participant) for idea in idea_service.for_participant(db, participant)],
    }
