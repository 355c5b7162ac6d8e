"""What each HTML screen shows, read in one consistent transaction.

The page (GET) and the live stream's snapshot call the same reader, and the
reader returns the session's ``last_seq`` from the same transaction as the rows:
that is what lets a page say ``data-seq=N`` and then ask the stream only for
events after N without missing or repeating one.

Idea dicts keep one shape everywhere (``app.services.payloads.idea_public``, trimmed by
``app.services.audience.trim_idea``), so the fragment that renders a page's idea is
the same one that renders an event's idea.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker
from sqlmodel import col

from app.db import Db, known
from app.domain import BoardView
from app.models import Idea, IdeaGroup, Participant, Session
from app.realtime import placement, quick_wins
from app.services import board as board_service
from app.services import focus as focus_service
from app.services import ideas as idea_service
from app.services import input_lock, payloads, tallies, wordcloud
from app.services import participants as participant_service
from app.services import results as result_service
from app.services import sessions as session_service
from app.services import timer as timer_service
from app.services.audience import FACILITATOR, PROJECTOR, Audience, phone

# Every setting changes something a page shows (a checkbox on the console, the dots on
# a phone, whether totals show): a page rendered with other settings is out of date.
SHOWN_SETTINGS = (
    "anonymous",
    "idea_max_length",
    "vote_budget",
    "max_votes_per_group",
    "participants_can_group",
    "live_votes",
    "anonymous_exports",
    "layout",
    "quick_win_threshold",
    "commitment_open",
    "open_until",  # the phone's form for late ideas comes and goes with it
)
TOP_OVERALL = 10


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


# What the projector's page shows besides the session: how the room is run.
BOARD_SHOWN = ("board_view", "board_hidden", "show_join_panel", "join_locked")


def board_version(state: dict[str, Any]) -> str:
    """``page_version`` of the projector: also its view, reveal, join panel and focus."""
    session = state["session"]
    shown = [session.get(k) for k in BOARD_SHOWN] + [bool(state.get("focus_view"))]
    digest = hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:6]
    return f"{page_version(session)}{digest}"


def room_state(db: Db, session: Session) -> dict[str, Any]:
    """The timer, the focus and whether phones may send now, as every screen shows them."""
    return {
        "timer": timer_service.public(session),
        "focus": focus_service.public(db, session),
        "input_closed": input_lock.reason(session),
    }


def _all_ideas(board: dict[str, Any], swot: dict[int, str | None] | None = None) -> list[dict[str, Any]]:
    """Every idea of the board; a carried idea shows where its group came from ("dari
    Tahap II, 14 suara"), and with ``swot`` ({idea id: quadrant}) its SWOT quadrant."""
    swot = swot or {}
    ideas = [
        {**idea, "group_id": group["id"], "origin": group.get("origin"), "swot": swot.get(idea["id"])}
        for group in board["groups"]
        for idea in group["ideas"]
    ]
    ideas.sort(key=lambda idea: idea["id"], reverse=True)  # newest first: live ones arrive on top
    return ideas


def _group_cards(db: Db, board: dict[str, Any], by: str = "dimension") -> dict[str, list[dict[str, Any]]]:
    """Group cards per column (the GROUP's dimension, or its SWOT quadrant), oldest
    group first.

    A card carries the group's own title (None: its first idea stands for it, see
    ``_group_card.html``), not the board's default, so the live stream, which only
    knows the group row, renders the same card as this page."""
    titles = dict(
        db.execute(
            select(col(IdeaGroup.id), col(IdeaGroup.title)).where(col(IdeaGroup.session_id) == board["session"]["id"])
        ).all()
    )
    columns: dict[str, list[dict[str, Any]]] = {code: [] for code in placement.column_codes(by)}
    for group in board["groups"]:
        columns[placement.column_of(group, by)].append({**group, "title": titles.get(group["id"])})
    return columns


def board_screen_now(
    sessions: sessionmaker, *, session_id: int, public_url: str, dimension: str | None = None
) -> dict[str, Any]:
    """``board_screen`` read in a fresh, consistent transaction: the projector's page,
    for the facilitator or through a read-only link (``?dimension=`` filters a SWOT
    board to one dimension)."""
    with consistent_read(sessions) as read:
        return board_screen(
            read, session_id=session_id, public_url=public_url, only=placement.dimension_filter(dimension)
        )


def board_screen(db: Db, *, session_id: int, public_url: str, only: str | None = None) -> dict[str, Any]:
    """The projector: ideas per column (newest first) while they come in; group cards
    per column in group, vote and score; the results from results on; the quick-win
    list and the signatures while the commitment is open. Columns are dimensions, or
    on a SWOT session the four quadrants (in the results too, as ``swot_results``,
    unless groups were rated), where ``only`` keeps one dimension."""
    session = known(db, Session, session_id)
    board = board_service.board(db, session=session, audience=PROJECTOR, public_url=public_url)
    by = placement.columns_by(session.layout, "board")
    only = only if by == "swot" else None
    state = {
        "session": board["session"],
        "participant_count": board["participant_count"],
        "last_seq": board["last_seq"],
        "view": placement.board_view(session.phase, session.commitment_open),
        "by": by,
        "only": only,
        "board_view": session.board_view,
        "board_hidden": session.board_hidden,
        **room_state(db, session),
    }
    state["focus_view"] = focus_screen(board, state["focus"])
    if session.board_hidden:
        state["counts"] = hidden_counts(board, by)
        if state["view"] == "results":
            state["results"] = results_screen(db, session)
        return state
    if session.board_view == BoardView.cloud.value:
        state["cloud"] = wordcloud.words(db, session_id=session.id)
        state["dim_counts"] = board_service.dimension_counts(db, session.id)
        return state
    if session.board_view == BoardView.wall.value:
        state["wall"] = _all_ideas(board)
        state["dim_counts"] = board_service.dimension_counts(db, session.id)
        return state
    if state["view"] == "groups":
        board["groups"] = [g for g in board["groups"] if placement.passes(g, only)]
        state["group_columns"] = _group_cards(db, board, by)
    elif state["view"] == "results":
        state["results"] = results_screen(db, session)
        if by == "swot" and not state["results"]["matrix"].dots:
            # Tahap I's worksheet stays a worksheet: the quadrants, each ranked by votes
            # (once groups were rated, the matrix is the result, as on any board).
            state["swot_results"] = swot_results(state["results"]["ranked"], only)
    elif state["view"] == "commitment":
        state["commitment"] = quick_wins.commitment_state(board)
    else:
        columns: dict[str, list[dict[str, Any]]] = {code: [] for code in placement.column_codes(by)}
        quadrants = (
            dict(db.execute(select(col(Idea.id), col(Idea.swot)).where(col(Idea.session_id) == session_id)).all())
            if by == "swot"
            else {}
        )
        for idea in _all_ideas(board, quadrants):
            if placement.passes(idea, only):
                columns[placement.column_of(idea, by)].append(idea)
        state["columns"] = columns
    return state


def focus_screen(board: dict[str, Any], focus: dict[str, Any]) -> dict[str, Any] | None:
    """What the projector shows large while the facilitator focuses on one group (its
    ideas, votes where the projector may see them, lineage) or one idea (with its
    group's title and lineage). None when nothing (visible) is in focus."""
    for group in board["groups"]:
        if focus["group_id"] == group["id"]:
            return {"kind": "group", "group": group, "ideas": group["ideas"]}
        for idea in group["ideas"]:
            if focus["idea_id"] == idea["id"]:
                return {"kind": "idea", "group": group, "idea": {**idea, "origin": group.get("origin")}}
    return None


CLOUD_LEVELS = 9  # word sizes 0–9 (classes cw-0 … cw-9 in board.css)


def cloud_words(words: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The word cloud's words (most frequent first, ``app.services.wordcloud``) in the
    order they are laid out, the most frequent in the middle, each with its size
    ``level`` (by the square root of its share of the count range: a word used twice
    as often is not drawn twice as large) and its ``rank`` (0: the most frequent;
    the projector leaves out the highest ranks first when the screen is full)."""
    if not words:
        return []
    high, low = words[0]["count"], min(w["count"] for w in words)
    laid: deque[dict[str, Any]] = deque()
    for rank, word in enumerate(words):
        share = (word["count"] - low) / (high - low) if high > low else 0.5
        entry = {**word, "rank": rank, "level": round(CLOUD_LEVELS * math.sqrt(share))}
        if rank % 2:
            laid.appendleft(entry)
        else:
            laid.append(entry)
    return list(laid)


def hidden_counts(board: dict[str, Any], by: str) -> dict[str, Any]:
    """While the projector hides the texts: how many ideas and groups per column."""
    ideas = {code: 0 for code in placement.column_codes(by)}
    groups = {code: 0 for code in placement.column_codes(by)}
    for group in board["groups"]:
        groups[placement.column_of(group, by)] += 1
        for idea in group["ideas"]:
            # An idea's own column (a group of ideas of several dimensions counts each).
            ideas[placement.column_of(idea, by)] += 1
    return {"ideas": ideas, "groups": groups, "idea_total": sum(ideas.values()), "group_total": len(board["groups"])}


def swot_results(ranked: list[dict[str, Any]], only: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The results of a SWOT board: each quadrant (the GROUP's, as on its group view)
    with its groups, most votes first; ``only`` keeps one dimension."""
    columns: dict[str, list[dict[str, Any]]] = {code: [] for code in placement.SWOT_COLUMNS}
    for group in ranked:
        if placement.passes(group, only):
            columns[placement.column_of(group, "swot")].append(group)
    return columns


def results_screen(db: Db, session: Session, *, participant_id: int | None = None) -> dict[str, Any]:
    """The ranking as the board, the phones and the console show it (numbers from
    ``app.services.results``, the same ones the exports use), and once groups were
    rated the impact × feasibility matrix and the quick wins per dimension."""
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
        **quick_wins.score_results(db, session, ranked),
    }


def held_ideas(board: dict[str, Any]) -> list[dict[str, Any]]:
    """The ideas waiting in the console's queue, oldest first: held (pre-moderation or
    the word filter) and not hidden (hiding one takes it off the queue)."""
    held = [idea for group in board["groups"] for idea in group["ideas"] if idea.get("pending") and not idea["hidden"]]
    return sorted(held, key=lambda idea: idea["id"])


def console_screen(db: Db, *, session_id: int, public_url: str) -> dict[str, Any]:
    """The facilitator's moderation list: every idea, hidden ones too, with its author;
    from the group phase on also the group cards (live tallies in vote, live means in
    score) or the results."""
    session = known(db, Session, session_id)
    board = board_service.board(db, session=session, audience=FACILITATOR, public_url=public_url)
    state = {
        "session": board["session"],
        "participant_count": board["participant_count"],
        "last_seq": board["last_seq"],
        "ideas": _all_ideas(board),
        "held": held_ideas(board),
        "view": placement.view_of(session.phase),
        # Default titles (first idea) by group id, for the duplicate suggestions.
        "group_titles": {group["id"]: group["title"] for group in board["groups"]},
        "commitments": board["commitments"],
        **room_state(db, session),
    }
    if state["view"] == "groups":
        state["group_columns"] = _group_cards(db, board, placement.columns_by(session.layout, "console"))
    elif state["view"] == "results":
        state["results"] = results_screen(db, session)
    return state


def phone_screen(db: Db, *, session_id: int, participant_id: int) -> dict[str, Any]:
    """A participant's phone: the session and their own ideas (hidden ones marked);
    the groups when they may group (the ballot while voting is not here: see
    ``app.realtime.ballot``), the candidates with their own ratings while scoring, the results with their own votes
    marked from results on; the quick wins and their signature while the commitment
    is open."""
    session = known(db, Session, session_id)
    participant = known(db, Participant, participant_id)
    public = session_service.public(session)
    state: dict[str, Any] = {
        "session": public,
        "participant": participant,
        "participant_count": participant_service.count(db, session_id),
        "last_seq": session.last_seq,
        "my_ideas": [payloads.idea_public(idea, participant) for idea in idea_service.for_participant(db, participant)],
        "view": placement.phone_view(public),
        **room_state(db, session),
    }
    view = state["view"]
    if view == "groups":
        # The projector's view of the groups, the same for every phone, as the live
        # stream renders it once for all of them.
        board = board_service.board(db, session=session, audience=PROJECTOR, public_url="")
        state["group_columns"] = _group_cards(db, board, placement.columns_by(session.layout, "phone"))
    elif view in ("score", "commitment"):
        # (The ballot, in "vote", is the same for the whole room apart from a few
        # numbers: the page gets it from app.realtime.ballot, rendered once.)
        audience = phone(participant_id)
        board = board_service.board(db, session=session, audience=audience, public_url="")
        if view == "score":
            state["score_columns"] = vote_cards(board)
        else:
            state["commitment"] = quick_wins.commitment_state(board)
            state["my_commitment"] = quick_wins.my_commitment(board)
    elif view == "results":
        state["results"] = results_screen(db, session, participant_id=participant_id)
    return state


def vote_cards(board: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The phone's ballot (and its rating list): groups per dimension with the board's
    title (explicit or the first idea), the totals and means where they may be seen,
    and (for a phone's own board) its dots and rating."""
    columns: dict[str, list[dict[str, Any]]] = {code: [] for code in placement.COLUMN_CODES}
    for group in board["groups"]:
        columns[placement.column_of(group)].append(group)
    return {code: groups for code, groups in columns.items() if groups}


def move_screen(db: Db, *, session_id: int, idea_id: int, audience: Audience) -> dict[str, Any]:
    """The move form of one idea: every group this audience sees, by dimension, with
    its title and size. ``idea`` is None when this audience cannot see the idea."""
    session = known(db, Session, session_id)
    board = board_service.board(db, session=session, audience=audience, public_url="")
    targets: dict[str, list[dict[str, Any]]] = {code: [] for code in placement.COLUMN_CODES}
    idea = None
    for group in board["groups"]:
        targets[placement.column_of(group)].append(
            {"id": group["id"], "title": group["title"], "size": len(group["ideas"])}
        )
        for member in group["ideas"]:
            if member["id"] == idea_id:
                idea = {**member, "group_id": group["id"]}
    return {"session": board["session"], "idea": idea, "targets": targets}
