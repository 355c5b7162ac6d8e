"""An archive (already read and checked, ``archive_format.Archive``) written as a
new workshop of ``owner``, in the caller's write transaction.

Every row gets a new id and every reference follows it. Rows are written in the
archive's id order within their session, so whatever orders by id (ties in the
ranking, ideas in a group, sessions of a stage) comes out as it was. Rows that
many rows refer to are inserted in bulk with ``RETURNING`` (one statement per
thousand rows on PostgreSQL); the references between groups and ideas of different
sessions (lineage) are set once every row exists. Each session then records its
first event, ``session.imported``: its old event log stays behind, the screens
read the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, insert, update

from app.db import Db
from app.domain import Phase
from app.models import (
    Commitment,
    Dimension,
    Facilitator,
    Idea,
    IdeaGroup,
    Participant,
    Reaction,
    Score,
    Session,
    Stage,
    SubElement,
    Vote,
    Workshop,
    iso,
    utcnow,
)
from app.services import events
from app.services import sessions as session_service
from app.services.archive_format import Archive, Row, SessionRow

# A session row's columns stored as they are (its id, join code and focus are not).
SESSION_COLUMNS = tuple(
    name for name in SessionRow.columns() if name not in {"id", "focus_group_id", "focus_idea_id", "join_code"}
)


@dataclass
class Imported:
    """The new workshop and how much came with it (the CLI prints it)."""

    workshop: Workshop
    counts: dict[str, int] = field(default_factory=dict)
    new_join_codes: int = 0  # sessions whose code another open session already used


class _Ids:
    """Old id → new id, per kind of row."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[int, int]] = {}

    def __call__(self, kind: str, old: int | None) -> int | None:
        return None if old is None else self.maps[kind][old]

    def add(self, kind: str, old: list[int], new: list[int]) -> None:
        self.maps.setdefault(kind, {}).update(zip(old, new, strict=True))


def write(db: Db, archive: Archive, *, owner: Facilitator) -> Imported:
    """Call inside ``write_transaction``."""
    data = archive.workshop
    workshop = Workshop(
        title=data.title,
        region=data.region,
        year=data.year,
        word_filter=data.word_filter,
        privacy_notice=data.privacy_notice,
        owner_id=owner.id,
        created_at=data.created_at,
    )
    db.add(workshop)
    db.flush()
    # Set after the INSERT: the ORM leaves a None out of an INSERT when the column has a
    # default, so "keep the names" would have arrived as the default 90 days.
    workshop.retention_days = data.retention_days
    _dimensions(db, archive, workshop.id)
    ids = _Ids()
    result = Imported(workshop)
    imported_at = utcnow()
    placed: list[tuple[SessionRow, Session]] = []
    for stage_row in sorted(archive.stages, key=lambda s: s.number):
        stage = Stage(workshop_id=workshop.id, number=stage_row.number, title=stage_row.title)
        db.add(stage)
        db.flush()
        for row in sorted(stage_row.sessions, key=lambda s: s.id):
            session = Session(
                stage_id=stage.id,
                join_code=session_service.code_for_import(db, row.join_code, phase=row.phase.value),
                # Retention here counts from the import: the names arrive on this server now.
                closed_at=imported_at if row.phase == Phase.closed else None,
                **{name: _value(getattr(row, name)) for name in SESSION_COLUMNS},
            )
            result.new_join_codes += session.join_code != row.join_code
            db.add(session)
            db.flush()
            ids.add("session", [row.id], [session.id])
            placed.append((row, session))
    counts = _rows(db, placed, ids)
    _lineage(db, placed, ids)
    for row, session in placed:
        session.focus_group_id = ids("group", row.focus_group_id)
        session.focus_idea_id = ids("idea", row.focus_idea_id)
    db.flush()
    for _row, session in placed:
        events.record(
            db,
            session_id=session.id,
            type="session.imported",
            payload={
                "session": session_service.public(session),
                "archive": {"created_at": iso(archive.created_at), "app_version": archive.app_version},
            },
        )
    result.counts = {"stages": len(archive.stages), "sessions": len(placed), **counts}
    return result


def _dimensions(db: Db, archive: Archive, workshop_id: int) -> None:
    for dim_row in archive.dimensions:
        dim = Dimension(
            workshop_id=workshop_id,
            code=dim_row.code,
            name=dim_row.name,
            letter=dim_row.letter,
            position=dim_row.position,
        )
        db.add(dim)
        db.flush()
        for sub in dim_row.sub_elements:
            db.add(SubElement(dimension_id=dim.id, **sub.model_dump()))
    db.flush()


def _rows(db: Db, placed: list[tuple[SessionRow, Session]], ids: _Ids) -> dict[str, int]:
    """Every session's own rows, kind by kind (what is referred to first)."""

    def each(attribute: str) -> list[tuple[Session, Any]]:
        return [(s, r) for row, s in placed for r in sorted(getattr(row, attribute), key=_order)]

    people = each("participants")
    _insert(db, Participant, "participant", ids, [{**_own(r), "session_id": s.id} for s, r in people], people)
    groups = each("groups")
    _insert(
        db,
        IdeaGroup,
        "group",
        ids,
        [{**_own(r, "source_group_id", "source_session_id"), "session_id": s.id} for s, r in groups],
        groups,
    )
    ideas = each("ideas")
    _insert(
        db,
        Idea,
        "idea",
        ids,
        [
            {
                **_own(r, "source_idea_id"),
                "session_id": s.id,
                "group_id": ids("group", r.group_id),
                "participant_id": ids("participant", r.participant_id),
            }
            for s, r in ideas
        ],
        ideas,
    )
    counts = {"participants": len(people), "groups": len(groups), "ideas": len(ideas)}
    for attribute, model, kind in (
        ("reactions", Reaction, "idea"),
        ("votes", Vote, "group"),
        ("scores", Score, "group"),
        ("commitments", Commitment, None),
    ):
        rows = []
        for s, r in each(attribute):
            values = {**_own(r), "session_id": s.id, "participant_id": ids("participant", r.participant_id)}
            if kind is not None:
                key = f"{kind}_id"
                values[key] = ids(kind, values[key])
            rows.append(values)
        if rows:
            db.execute(insert(_table(model)), rows)
        counts[attribute] = len(rows)
    return counts


def _insert(db: Db, model: Any, kind: str, ids: _Ids, values: list[dict[str, Any]], rows: list) -> None:
    if not values:
        return
    table = _table(model)
    new = db.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), values).scalars().all()
    ids.add(kind, [r.id for _s, r in rows], list(new))


def _lineage(db: Db, placed: list[tuple[SessionRow, Session]], ids: _Ids) -> None:
    """Carried groups and their copied ideas point at rows of earlier sessions: set
    once every row has its new id."""
    groups = [
        {
            "row_id": ids("group", g.id),
            "source_group_id": ids("group", g.source_group_id),
            "source_session_id": ids("session", g.source_session_id),
        }
        for row, _s in placed
        for g in row.groups
        if g.source_group_id is not None
    ]
    table = _table(IdeaGroup)
    if groups:
        db.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(source_group_id=bindparam("source_group_id"), source_session_id=bindparam("source_session_id")),
            groups,
        )
    copies = [
        {"row_id": ids("idea", i.id), "source_idea_id": ids("idea", i.source_idea_id)}
        for row, _s in placed
        for i in row.ideas
        if i.source_idea_id is not None
    ]
    table = _table(Idea)
    if copies:
        db.execute(
            update(table).where(table.c.id == bindparam("row_id")).values(source_idea_id=bindparam("source_idea_id")),
            copies,
        )


def _own(row: Row, *leave: str) -> dict[str, Any]:
    """A row's own columns (its archive id and the ids set later left out). Read
    from ``__dict__``: iterating the model costs seconds for a large workshop, and
    the rows inserted in bulk hold no enums."""
    out = dict(row.__dict__)
    for name in ("id", *leave):
        out.pop(name, None)
    return out


def _value(value: Any) -> Any:
    return getattr(value, "value", value)  # an enum (phase, layout, …) is stored as its text


def _order(row: Any) -> int:
    return getattr(row, "id", 0)


def _table(model: Any) -> Table:
    """The Core table of a model: inserting plain rows through it skips the ORM's
    per-object work (measured: seconds for a workshop of 24,000 ideas)."""
    return model.__table__
