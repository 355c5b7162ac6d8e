"""A workshop's rows as an archive document (``archive_format``), read in one
transaction so the archive is one moment of the workshop.

Which columns go in is what the format's row models declare: adding a field there
is all it takes to carry a new column (and ``LEFT_OUT`` says what stays behind).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlmodel import col

from app import __version__
from app.db import Db
from app.models import (
    Commitment,
    Idea,
    IdeaGroup,
    Participant,
    Reaction,
    Score,
    Session,
    Stage,
    Vote,
    Workshop,
    utcnow,
)
from app.services import workshops
from app.services.archive_format import (
    FORMAT,
    VERSION,
    CommitmentRow,
    DimensionRow,
    GroupRow,
    IdeaRow,
    ParticipantRow,
    ReactionRow,
    Row,
    ScoreRow,
    SessionRow,
    StageRow,
    SubElementRow,
    VoteRow,
    WorkshopRow,
)

# A session's own rows: the key in the archive, the table, the row model.
SESSION_ROWS: tuple[tuple[str, Any, type[Row]], ...] = (
    ("participants", Participant, ParticipantRow),
    ("groups", IdeaGroup, GroupRow),
    ("ideas", Idea, IdeaRow),
    ("reactions", Reaction, ReactionRow),
    ("votes", Vote, VoteRow),
    ("scores", Score, ScoreRow),
    ("commitments", Commitment, CommitmentRow),
)


def document(db: Db, workshop: Workshop) -> dict[str, Any]:
    """The archive of ``workshop`` as plain JSON-ready data."""
    if db.get_bind().dialect.name == "postgresql":
        # One snapshot for every query below (SQLite's read transaction already is
        # one). The isolation level is set as a transaction begins: end the one the
        # request opened to find the caller (it wrote nothing).
        if db.in_transaction():
            db.commit()
        db.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    stages = list(db.scalars(select(Stage).where(col(Stage.workshop_id) == workshop.id).order_by(col(Stage.number))))
    sessions = list(
        db.scalars(
            select(Session)
            .where(col(Session.stage_id).in_([s.id for s in stages]))
            .order_by(col(Session.stage_id), col(Session.id))
        )
    )
    own = _session_rows(db, [s.id for s in sessions])
    by_stage: dict[int, list[dict[str, Any]]] = {s.id: [] for s in stages}
    for session in sessions:
        out = _fields(session, SessionRow)
        out.update({key: own[key].get(session.id, []) for key, _table, _row in SESSION_ROWS})
        by_stage[session.stage_id].append(out)
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": _text(utcnow()),
        "app_version": __version__,
        "workshop": _fields(workshop, WorkshopRow),
        "dimensions": [
            {**_fields(dim, DimensionRow), "sub_elements": [_fields(sub, SubElementRow) for sub in subs]}
            for dim, subs in workshops.dimensions(db, workshop.id)
        ],
        "stages": [{**_fields(stage, StageRow), "sessions": by_stage[stage.id]} for stage in stages],
    }


def _session_rows(db: Db, session_ids: list[int]) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """Per kind of row, per session, its rows in id order (one query per table)."""
    out: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for key, model, row_model in SESSION_ROWS:
        table: Table = model.__table__
        names = row_model.columns()
        rows = db.execute(
            select(table.c.session_id, *(table.c[n] for n in names))
            .where(table.c.session_id.in_(session_ids))
            .order_by(table.c.id)
        )
        per_session: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            per_session.setdefault(row[0], []).append({n: _text(v) for n, v in zip(names, row[1:], strict=True)})
        out[key] = per_session
    return out


def _fields(obj: Any, row_model: type[Row]) -> dict[str, Any]:
    return {name: _text(getattr(obj, name)) for name in row_model.columns()}


def _text(value: Any) -> Any:
    """Timestamps in full (ISO 8601 with the offset), so rows keep their order."""
    return value.isoformat() if isinstance(value, datetime) else value
