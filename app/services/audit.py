"""The audit log: which facilitator did what, and when, to a workshop's personal data
or outcome. Written in the same transaction as the change it describes (a rolled-back
change leaves no entry), read by the workshop's owner. Targets name things by id and
title, never a participant's name: the log is kept when names are erased.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import select
from sqlmodel import col

from app.db import Db, write_transaction
from app.models import AuditEntry, Facilitator, Session, Workshop, iso


class Action(str, Enum):
    export_downloaded = "export.downloaded"
    participant_removed = "participant.removed"
    participant_erased = "participant.erased"
    participant_data_downloaded = "participant.data_downloaded"
    session_deleted = "session.deleted"
    workshop_deleted = "workshop.deleted"
    names_revealed = "settings.names_revealed"
    privacy_changed = "settings.privacy_changed"
    phase_changed = "session.phase_changed"
    names_erased = "retention.names_erased"  # one per session, naming it
    retention_completed = "retention.completed"  # one per workshop: its period ran out, every name is gone
    account_erased = "facilitator.erased"
    account_data_downloaded = "facilitator.data_downloaded"


# What the console calls each action (msgids, translated on the page); the API and the
# CSV keep the codes above, which never change.
ACTION_LABELS: dict[str, str] = {
    Action.export_downloaded.value: "Downloaded a file",
    Action.participant_removed.value: "Removed a participant",
    Action.participant_erased.value: "Erased a participant's data",
    Action.participant_data_downloaded.value: "Downloaded a participant's data",
    Action.session_deleted.value: "Deleted a session",
    Action.workshop_deleted.value: "Deleted the workshop",
    Action.names_revealed.value: "Revealed names (anonymity off)",
    Action.privacy_changed.value: "Changed the privacy settings",
    Action.phase_changed.value: "Changed a session's phase",
    Action.names_erased.value: "Erased names (retention)",
    Action.retention_completed.value: "Retention period over: every name erased",
    Action.account_erased.value: "Erased a facilitator account",
    Action.account_data_downloaded.value: "Downloaded their own account data",
}

# Who did it, as the API and the CSV say it: stable text (programs compare it), in
# Indonesian like the exports; the console translates through ``actor_id``.
SYSTEM_ACTOR = "Rembuk (otomatis)"
ERASED_ACTOR = "Akun terhapus #%(id)s"
# The newest entries the console and the API list (the CSV has them all).
LISTED = 500


def record(
    db: Db,
    *,
    actor: Facilitator | None,
    action: Action,
    target: str,
    workshop_id: int | None,
    session_id: int | None = None,
) -> None:
    """One entry, in the caller's write transaction. ``actor`` None: the server itself."""
    db.add(
        AuditEntry(
            workshop_id=workshop_id,
            session_id=session_id,
            actor_id=actor.id if actor is not None else None,
            action=action.value,
            target=target[:240],
        )
    )
    db.flush()


def session_target(session: Session) -> str:
    """A session as targets name it: by id and title, never by who was in it."""
    return f"session #{session.id} '{session.title}'"


def workshop_target(workshop: Workshop) -> str:
    return f"workshop #{workshop.id} '{workshop.title}'"


def downloaded(
    db: Db,
    *,
    actor: Facilitator | None,
    file: str,
    workshop_id: int | None,
    session: Session | None = None,
    workshop: Workshop | None = None,
    share_id: int | None = None,
    action: Action = Action.export_downloaded,
    target: str | None = None,
) -> None:
    """A file was built for download (``file``: what it is, e.g. ``summary.xlsx``): its
    own small write transaction, after the file was built and before it is sent, so a
    download that failed to build leaves no entry. ``share_id``: fetched through a
    read-only link, by someone without an account. A person's own data (a participant's,
    a facilitator's account) is no file of the workshop: its own ``action``, and a
    ``target`` naming whose data it is (by id)."""
    if target is None:
        of = session_target(session) if session is not None else workshop_target(workshop) if workshop else "account"
        via = f" via read-only link #{share_id}" if share_id is not None else ""
        target = f"{file} of {of}{via}"
    with write_transaction(db):
        record(
            db,
            actor=actor,
            action=action,
            target=target,
            workshop_id=workshop_id,
            session_id=session.id if session is not None else None,
        )


@dataclass(frozen=True)
class Entry:
    """One line of the log as its readers see it: the actor named as the account is
    now (an erased account shows no name), never as it was copied at the time."""

    id: int
    at: datetime
    actor_id: int | None
    actor: str
    actor_erased: bool
    action: str
    target: str
    session_id: int | None
    workshop_id: int | None

    def public(self) -> dict:
        return {
            "at": iso(self.at),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "actor_id": self.actor_id,
            "session_id": self.session_id,
        }


def for_workshop(db: Db, *, workshop_id: int, limit: int | None = LISTED) -> list[Entry]:
    """The workshop's entries, newest first (``limit`` None: all of them)."""
    query = (
        select(AuditEntry)
        .where(col(AuditEntry.workshop_id) == workshop_id)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    )
    return _entries(db, list(db.scalars(query if limit is None else query.limit(limit))))


def by_actor(db: Db, *, actor_id: int) -> list[Entry]:
    """Everything one facilitator did, in every workshop, newest first."""
    query = (
        select(AuditEntry)
        .where(col(AuditEntry.actor_id) == actor_id)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    )
    return _entries(db, list(db.scalars(query)))


def _entries(db: Db, rows: list[AuditEntry]) -> list[Entry]:
    ids = {row.actor_id for row in rows if row.actor_id is not None}
    accounts = {f.id: f for f in db.scalars(select(Facilitator).where(col(Facilitator.id).in_(ids)))} if ids else {}
    out = []
    for row in rows:
        account = accounts.get(row.actor_id) if row.actor_id is not None else None
        erased = row.actor_id is not None and (account is None or account.erased_at is not None)
        out.append(
            Entry(
                id=row.id,
                at=row.at,
                actor_id=row.actor_id,
                actor=actor_name(row.actor_id, account),
                actor_erased=erased,
                action=row.action,
                target=row.target,
                session_id=row.session_id,
                workshop_id=row.workshop_id,
            )
        )
    return out


def actor_name(actor_id: int | None, account: Facilitator | None) -> str:
    """ "Dewi <dewi@kominfo.go.id>" as the account is now; the server itself, or an
    erased account by its id only."""
    if actor_id is None:
        return SYSTEM_ACTOR
    if account is None or account.erased_at is not None:
        return ERASED_ACTOR % {"id": actor_id}
    return f"{account.name} <{account.email}>" if account.name else account.email
