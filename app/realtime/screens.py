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

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from app.db import Db
from app.domain import DIMENSIONS, Phase
from app.models import IdeaGroup, Participant, Session
from app.services import board as board_service
from app.services import ideas as idea_service
from app.services import participants as participant_service
from app.services import results as result_service
from app.services import sessions as session_service
from app.services import tallies

# The projector is public: it sees what a participant sees (no hidden ideas; authors
# only when the session is not anonymous), even though a facilitator opens it.
PROJECTOR = board_service.Audience(facilitator=False)

NONE_COLUMN = "none"
COLUMN_CODES = (*(d.code for d in DIMENSIONS), NONE_COLUMN)

# What the live region of board and console shows, by phase: idea columns while ideas
# come in, group cards while the room groups and votes, the ranking once revealed.
GROUP_PHASES = (Phase.group.value, Phase.vote.value)
RESULT_PHASES = tallies.REVEALED_PHASES
# Every setting changes something a page shows (a checkbox on the console, the dots on
# a phone, whether totals show): a page rendered with other settings is out of date.
SHOWN_SETTINGS = ("anonymous", "idea_max_length", "vote_budget", "max_votes_per_group",
                  "participants_can_group", "live_votes", "anonymous_exports")
TOP_OVERALL = 10
TOP_PER_DIMENSION = 3


def column_of(item: dict[str, Any]) -> str:
    """The column of an idea (its own dimension) or of a group (the group's)."""
    return item.get("dimension") or NONE_COLUMN


def view_of(phase: str) -> str:
    if phase in GROUP_PHASES:
        return "groups"
    if phase in RESULT_PHASES:
        return "results"
    return "ideas"


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
    shown = {k: session.get(k) for k in ("phase", "title", "prompt", "join_code", *SHOWN_SETTINGS)}
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:12]


def _all_ideas(board: dict[str, Any]) -> list[dict[str, Any]]:
    ideas = [idea for group in board["groups"] for idea in group["ideas"]]
    ideas.sort(key=lambda idea: idea["id"], reverse=True)  # newest first: live ones arrive on top
    return ideas


def _group_cards(db: Db, board: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Group cards per column (the GROUP's dimension), oldest group first.

    A card carries the group's own title (None: its first idea stands for it, see
    ``_group_card.html``), not the board's default, so the live stream, which only
    knows the group row, renders the same card as this page."""
    titles = dict(db.execute(select(IdeaGroup.id, IdeaGroup.title).where(
        IdeaGroup.session_id == board["session"]["id"])).all())
    columns: dict[str, list[dict[str, Any]]] = {code: [] for code in COLUMN_CODES}
    for group in board["groups"]:
        columns[column_of(group)].append({**group, "title": titles.get(group["id"])})
    return columns


def board_screen(db: Db, *, session_id: int, public_url: str) -> dict[str, Any]:
    """The projector: ideas per dimension column (newest first) while they come in;
    group cards per column in group and vote; the ranking from results on."""
    session = db.get(Session, session_id)
    board = board_service.board(db, session=session, audience=PROJECTOR, public_url=public_url)
    state = {
        "session": board["session"],
        "participant_count": board["participant_count"],
        "last_seq": board["last_seq"],
        "view": view_of(session.phase),
    }
    if state["view"] == "groups":
        state["group_columns"] = _group_cards(db, board)
    elif state["view"] == "results":
        state["results"] = results_screen(db, session)
    else:
        columns: dict[str, list[dict[str, Any]]] = {code: [] for code in COLUMN_CODES}
        for idea in _all_ideas(board):
            columns[column_of(idea)].append(idea)
        state["columns"] = columns
    return state


def results_screen(db: Db, session: Session, *, participant_id: int | None = None) -> dict[str, Any]:
    """The ranking as the board, the phones and the console show it (numbers from
    ``app.services.results``, the same ones the exports use)."""
    ranked = result_service.ranked_groups(db, session)
    mine = {int(k): v for k, v in tallies.for_participant(db, participant_id).items()} if participant_id else {}
    for group in ranked:
        group["my_votes"] = mine.get(group["id"], 0)
    per_dimension = result_service.by_dimension(ranked)
    chart = result_service.dimension_chart(ranked)
    return {
        "ranked": ranked,
        "top": [g for g in ranked if g["votes"] > 0][:TOP_OVERALL],
        "max_votes": max((g["votes"] for g in ranked), default=0),
        "per_dimension": per_dimension,
        "chart": chart,
        "by_type": result_service.participants_by_type(db, session.id),
        "voters": result_service.voters(db, session.id),
        "total_votes": sum(g["votes"] for g in ranked),
    }


def console_screen(db: Db, *, session_id: int, public_url: str) -> dict[str, Any]:
    """The facilitator's moderation list: every idea, hidden ones too, with its author;
    from the group phase on also the group cards (live tallies in vote) or the ranking."""
    session = db.get(Session, session_id)
    board = board_service.board(db, session=session, audience=board_service.FACILITATOR, public_url=public_url)
    state = {
        "session": board["session"],
        "participant_count": board["participant_count"],
        "last_seq": board["last_seq"],
        "ideas": _all_ideas(board),
        "view": view_of(session.phase),
        # Default titles (first idea) by group id, for the duplicate suggestions.
        "group_titles": {group["id"]: group["title"] for group in board["groups"]},
    }
    if state["view"] == "groups":
        state["group_columns"] = _group_cards(db, board)
    elif state["view"] == "results":
        state["results"] = results_screen(db, session)
    return state


def phone_screen(db: Db, *, session_id: int, participant_id: int) -> dict[str, Any]:
    """A participant's phone: the session and their own ideas (hidden ones marked);
    the groups when they may group, the groups with their dots while voting, the
    ranking with their own votes marked from results on."""
    session = db.get(Session, session_id)
    participant = db.get(Participant, participant_id)
    state: dict[str, Any] = {
        "session": session_service.public(session),
        "participant": participant,
        "participant_count": participant_service.count(db, session_id),
        "last_seq": session.last_seq,
        "my_ideas": [idea_service.public(idea, participant) for idea in idea_service.for_participant(db, participant)],
        "view": "ideas",
    }
    grouping = session.phase == Phase.group.value and session.participants_can_group
    if grouping:
        # The projector's view of the groups, the same for every phone, as the live
        # stream renders it once for all of them.
        board = board_service.board(db, session=session, audience=PROJECTOR, public_url="")
        state["view"] = "groups"
        state["group_columns"] = _group_cards(db, board)
    elif session.phase == Phase.vote.value:
        audience = board_service.Audience(facilitator=False, participant_id=participant_id)
        board = board_service.board(db, session=session, audience=audience, public_url="")
        state["view"] = "vote"
        state["vote_columns"] = _vote_cards(board)
        state["votes_left"] = board["votes_left"]
    elif session.phase in RESULT_PHASES:
        state["view"] = "results"
        state["results"] = results_screen(db, session, participant_id=participant_id)
    return state


def _vote_cards(board: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The phone's ballot: groups per dimension with the board's title (explicit or the
    first idea), the total where it may be seen and the phone's own dots."""
    columns: dict[str, list[dict[str, Any]]] = {code: [] for code in COLUMN_CODES}
    for group in board["groups"]:
        columns[column_of(group)].append(group)
    return {code: groups for code, groups in columns.items() if groups}


def move_screen(db: Db, *, session_id: int, idea_id: int, audience: board_service.Audience) -> dict[str, Any]:
    """The move form of one idea: every group this audience sees, by dimension, with
    its title and size. ``idea`` is None when this audience cannot see the idea."""
    session = db.get(Session, session_id)
    board = board_service.board(db, session=session, audience=audience, public_url="")
    targets: dict[str, list[dict[str, Any]]] = {code: [] for code in COLUMN_CODES}
    idea = None
    for group in board["groups"]:
        targets[column_of(group)].append({"id": group["id"], "title": group["title"], "size": len(group["ideas"])})
        for member in group["ideas"]:
            if member["id"] == idea_id:
                idea = {**member, "group_id": group["id"]}
    return {"session": board["session"], "idea": idea, "targets": targets}
