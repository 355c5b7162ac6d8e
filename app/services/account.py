"""A facilitator's own data: what Rembuk keeps about their account (to download), and
erasing the account at their request (UU PDP gives a facilitator the same rights as a
participant).

An erased account keeps its row (ids elsewhere point at it: the ideas a scribe typed,
the read-only links, the audit log) but nothing that names the person: the name is
empty, the email a placeholder nobody can own, the password unusable, every login ended
and the account inactive. Whatever shows a facilitator reads the account when it shows
it (the audit log, the exports' scribe column), so the name is gone everywhere at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import col

from app.db import Db, write_transaction
from app.errors import Conflict, Invalid
from app.models import Facilitator, Workshop, WorkshopMember, iso, utcnow
from app.services import audit

# Argon2 hashes start with "$argon2": this matches no password, and it is not
# ``facilitators.NO_PASSWORD`` either, so an old invitation's setup link cannot revive it.
ERASED_PASSWORD = "!erased"  # nosec B105: the unusable hash of an erased account


def placeholder_email(facilitator_id: int) -> str:
    """Unique (the column is) and never deliverable: ``.invalid`` is reserved (RFC 2606)."""
    return f"erased-{facilitator_id}@invalid"


def data_of(db: Db, *, facilitator: Facilitator) -> dict[str, Any]:
    """The account, the workshops it owns, its memberships and what it did (the audit
    log's entries with it as actor). Never the password hash."""
    owned = db.scalars(select(Workshop).where(col(Workshop.owner_id) == facilitator.id).order_by(col(Workshop.id)))
    memberships = db.execute(
        select(WorkshopMember, Workshop)
        .join(Workshop, col(Workshop.id) == col(WorkshopMember.workshop_id))
        .where(col(WorkshopMember.facilitator_id) == facilitator.id)
        .order_by(col(Workshop.id))
    ).all()
    return {
        "account": {
            "id": facilitator.id,
            "name": facilitator.name,
            "email": facilitator.email,
            "created_at": iso(facilitator.created_at),
        },
        "workshops_owned": [
            {"id": w.id, "title": w.title, "region": w.region, "year": w.year, "created_at": iso(w.created_at)}
            for w in owned
        ],
        "memberships": [
            {"workshop_id": w.id, "title": w.title, "role": m.role, "since": iso(m.created_at)} for m, w in memberships
        ],
        "audit_entries": [
            {
                "at": iso(e.at),
                "action": e.action,
                "target": e.target,
                "workshop_id": e.workshop_id,
                "session_id": e.session_id,
            }
            for e in audit.by_actor(db, actor_id=facilitator.id)
        ],
        "exported_at": iso(utcnow()),
    }


def account_target(facilitator: Facilitator) -> str:
    """The account as the audit log names it (its own data downloaded): by id."""
    return f"facilitator account #{facilitator.id}"


def erase(db: Db, *, facilitator: Facilitator, confirm: str) -> None:
    """Erase the caller's own account. ``confirm``: their email, typed (422 otherwise).
    Refused (409) while they own a workshop: its sessions, people and audit log need
    an owner, so they delete it or hand it over first."""
    if (confirm or "").strip().lower() != facilitator.email:
        raise Invalid("Type your own email address to confirm.")
    with write_transaction(db):
        account = db.get(Facilitator, facilitator.id, populate_existing=True, with_for_update=True)
        if account is None or account.erased_at is not None:
            raise Conflict("This account is already erased.")
        owned = list(db.scalars(select(col(Workshop.title)).where(col(Workshop.owner_id) == account.id)))
        if owned:
            raise Conflict(
                "You still own workshops (%(titles)s): delete them or hand them over first, then erase your account.",
                titles=", ".join(owned),
            )
        db.execute(delete(WorkshopMember).where(col(WorkshopMember.facilitator_id) == account.id))
        db.execute(
            update(Facilitator)
            .where(col(Facilitator.id) == account.id)
            .values(
                name="",
                email=placeholder_email(account.id),
                password_hash=ERASED_PASSWORD,
                token_epoch=col(Facilitator.token_epoch) + 1,  # ends every login at once
                is_active=False,
                erased_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        audit.record(
            db,
            actor=account,
            action=audit.Action.account_erased,
            target=f"facilitator account #{account.id}",
            workshop_id=None,
        )
