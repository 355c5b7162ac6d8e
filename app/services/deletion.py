"""Deleting a session or a whole workshop (UU PDP: data no longer needed goes).

Everything of it goes, in one write transaction: every row of every table that
belongs to it (found from the schema: each table whose ``session_id`` references a
session, then the workshop's stages, dimensions and team), the event log included.
Only the audit log stays (``audit_entry`` has no foreign key on purpose): it outlives
what it describes, and the deletion itself is one more entry.

Carried groups are the later session's own content. A later session (of the same
workshop) that carried groups from a deleted one keeps them, their ideas and votes;
only the link back goes (``source_group_id``, ``source_session_id``,
``source_votes``, ``Idea.source_idea_id`` set to null), so the board stops saying
"dari Tahap II, 14 suara" about a session that no longer exists.

The bytes go too: on SQLite every connection runs with ``PRAGMA secure_delete``
(``app.db``), so freed pages are zeroed, and after the commit the write-ahead log is
checkpointed and truncated (``app.db.checkpoint_wal``, as an erasure does), so no
old page image is left in ``-wal`` either.
PostgreSQL keeps dead tuples until (auto)vacuum reclaims them. The server's rolling
snapshots taken before still hold it: the routes renew them afterwards, as after an
erasure (``app.snapshots.after_erasure``).

Open screens end: after the commit every stream of a deleted session is woken
(``app.db.announce_gone``), finds the session gone and sends ``event: end`` with
``{"reason": "session_deleted"}`` (``app.realtime.stream``).
"""

from __future__ import annotations

from sqlalchemy import Table, delete, select, update
from sqlmodel import SQLModel, col

from app.db import Db, announce_gone, checkpoint_wal, write_transaction
from app.domain import Permission
from app.errors import Invalid
from app.models import Dimension, Facilitator, Idea, IdeaGroup, Session, Stage, SubElement, Workshop
from app.services import audit, sessions, workshops
from app.services.text import clean_text


def delete_session(db: Db, *, facilitator: Facilitator, session_id: int, confirmation: str | None = None) -> None:
    """Delete one session and everything of it; only the workshop's owner may
    (``Permission.manage``). ``confirmation``: what the console's form asked the owner
    to type (the session's join code or its title); None from the API, whose DELETE is
    its own confirmation."""
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=session_id, permission=Permission.manage
    )
    if confirmation is not None:
        check_confirmation(confirmation, session.join_code, session.title)
    workshop_id = sessions.workshop_id_of(db, session)
    with write_transaction(db):
        session = sessions.locked(db, session_id)
        _delete_sessions(db, [session.id])
        audit.record(
            db,
            actor=facilitator,
            action=audit.Action.session_deleted,
            target=audit.session_target(session),
            workshop_id=workshop_id,
            session_id=session.id,
        )
    checkpoint_wal(db)


def delete_workshop(db: Db, *, facilitator: Facilitator, workshop_id: int, confirmation: str | None = None) -> None:
    """Delete a workshop with its stages, sessions, dimensions and team; only its owner
    may. ``confirmation``: the workshop's title as the owner typed it (the console)."""
    workshop = workshops.get_workshop(
        db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.manage
    )
    if confirmation is not None:
        check_confirmation(confirmation, workshop.title)
    with write_transaction(db):
        stage_ids = select(col(Stage.id)).where(col(Stage.workshop_id) == workshop_id)
        # Locked in id order, as every writer locks one: a write still running in one of
        # them finishes first, a later one finds the session gone (404).
        session_ids = list(
            db.scalars(select(col(Session.id)).where(col(Session.stage_id).in_(stage_ids)).order_by(col(Session.id)))
        )
        for session_id in session_ids:
            sessions.locked(db, session_id)
        _delete_sessions(db, session_ids)
        dimension_ids = select(col(Dimension.id)).where(col(Dimension.workshop_id) == workshop_id)
        db.execute(delete(SubElement).where(col(SubElement.dimension_id).in_(dimension_ids)))
        for table in _tables_referencing("workshop"):
            db.execute(delete(table).where(table.c.workshop_id == workshop_id))
        db.execute(delete(Workshop).where(col(Workshop.id) == workshop_id))
        audit.record(
            db,
            actor=facilitator,
            action=audit.Action.workshop_deleted,
            target=f"workshop #{workshop.id} '{workshop.title}' ({len(session_ids)} sessions)",
            workshop_id=workshop.id,
        )
    checkpoint_wal(db)


def check_confirmation(typed: str, *expected: str) -> None:
    """What the owner typed must be one of ``expected`` (spaces around and capitals
    aside: a join code is typed from the screen): a deletion cannot be undone."""
    wanted = {_comparable(text) for text in expected}
    if _comparable(typed) not in wanted:
        raise Invalid("What you typed does not match. Nothing was deleted.")


def _comparable(text: str) -> str:
    try:
        cleaned = clean_text(text, field="Confirmation", max_length=200)
    except Invalid:
        return ""
    return " ".join(cleaned.split()).casefold()


def _delete_sessions(db: Db, session_ids: list[int]) -> None:
    """Every row of these sessions, children first; announced after the commit."""
    if not session_ids:
        return
    group_ids = select(col(IdeaGroup.id)).where(col(IdeaGroup.session_id).in_(session_ids))
    idea_ids = select(col(Idea.id)).where(col(Idea.session_id).in_(session_ids))
    # Later sessions keep what they carried from these, without the link back.
    db.execute(
        update(IdeaGroup)
        .where(
            col(IdeaGroup.session_id).not_in(session_ids),
            (col(IdeaGroup.source_session_id).in_(session_ids)) | (col(IdeaGroup.source_group_id).in_(group_ids)),
        )
        .values(source_group_id=None, source_session_id=None, source_votes=None)
    )
    db.execute(
        update(Idea)
        .where(col(Idea.session_id).not_in(session_ids), col(Idea.source_idea_id).in_(idea_ids))
        .values(source_idea_id=None)
    )
    for table in _tables_referencing("session"):
        db.execute(delete(table).where(table.c.session_id.in_(session_ids)))
    db.execute(delete(Session).where(col(Session.id).in_(session_ids)))
    for session_id in session_ids:
        announce_gone(db, session_id)


def _tables_referencing(parent: str) -> list[Table]:
    """Tables whose ``<parent>_id`` column is a foreign key to ``parent``, children
    before parents (the schema's own order, reversed): a table added later is deleted
    with its session or workshop without a change here. ``audit_entry`` has no foreign
    key, so it is never among them."""
    column = f"{parent}_id"
    return [
        table
        for table in reversed(SQLModel.metadata.sorted_tables)
        if column in table.c and any(fk.column.table.name == parent for fk in table.c[column].foreign_keys)
    ]
