"""The audit log: which facilitator did what, and when, to a workshop's personal data
or outcome. Written in the same transaction as the change it describes (a rolled-back
change leaves no entry), read by the workshop's owner. Targets name things by id and
title, never a participant's name: the log is kept when names are erased.
"""

from __future__ import annotations

from enum import Enum

from app.db import Db
from app.models import AuditEntry, Facilitator


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
    names_erased = "retention.names_erased"
    account_erased = "facilitator.erased"


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
