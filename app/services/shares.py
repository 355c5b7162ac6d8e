"""Read-only links: a session's results board and downloads for people without an
account (a Bupati, an office that missed the day).

A link is a random token; only its SHA-256 is kept (``SessionShare.token_hash``), so
a copy of the database opens nothing. Several links may be active at once (one for
the Bupati's office, one for the Bappeda); revoking without naming one ends them all.
A revoked link answers 410 and the streams opened with it end at their next
heartbeat (``still_active``, asked by the stream).
"""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlmodel import col

from app.db import Db, write_transaction
from app.domain import Permission
from app.errors import Gone, NotFound
from app.models import Facilitator, Session, SessionShare, utcnow
from app.security import digest
from app.services import events, sessions


def _check_may_share(db: Db, facilitator: Facilitator, session_id: int) -> Session:
    """Whoever runs the session shares its results or ends its links (the owner and a
    co-facilitator); a scribe gets the team's 403 (``workshops.require``)."""
    return sessions.get_for_facilitator(db, facilitator=facilitator, session_id=session_id, permission=Permission.run)


def _active(db: Db, session_id: int) -> int:
    return len(
        db.scalars(
            select(col(SessionShare.id)).where(
                col(SessionShare.session_id) == session_id, col(SessionShare.revoked_at).is_(None)
            )
        ).all()
    )


def active_count(db: Db, session_id: int) -> int:
    """How many links to the session work now (the console says so)."""
    return _active(db, session_id)


def create(db: Db, *, facilitator: Facilitator, session_id: int) -> tuple[SessionShare, str]:
    """A new link; returns the row and the token, which is shown this once."""
    _check_may_share(db, facilitator, session_id)
    token = secrets.token_urlsafe(32)
    with write_transaction(db):
        sessions.locked(db, session_id)
        share = SessionShare(session_id=session_id, token_hash=digest(token), created_by_id=facilitator.id)
        db.add(share)
        db.flush()
        events.record(
            db,
            session_id=session_id,
            type="share.created",
            payload={"share_id": share.id, "active": _active(db, session_id)},
        )
    return share, token


def revoke(db: Db, *, facilitator: Facilitator, session_id: int, token: str | None = None) -> int:
    """End the session's links (or the one ``token`` names); returns how many ended.
    Revoking what is already revoked changes nothing and records nothing."""
    _check_may_share(db, facilitator, session_id)
    with write_transaction(db):
        sessions.locked(db, session_id)
        where = [col(SessionShare.session_id) == session_id, col(SessionShare.revoked_at).is_(None)]
        if token is not None:
            where.append(col(SessionShare.token_hash) == digest(token))
        ids = list(db.scalars(select(col(SessionShare.id)).where(*where)))
        if token is not None and not ids:
            raise NotFound("Link not found.")
        if not ids:
            return 0
        db.execute(update(SessionShare).where(col(SessionShare.id).in_(ids)).values(revoked_at=utcnow()))
        events.record(
            db,
            session_id=session_id,
            type="share.revoked",
            payload={"share_ids": ids, "active": _active(db, session_id)},
        )
    return len(ids)


def find(db: Db, token: str) -> tuple[SessionShare, Session]:
    """The link and its session: 404 for a token that never was, 410 once revoked."""
    share = db.scalar(select(SessionShare).where(col(SessionShare.token_hash) == digest(token or "")))
    session = db.get(Session, share.session_id) if share is not None else None
    if share is None or session is None:
        raise NotFound("This link does not exist. Ask the facilitator for a new one.")
    if share.revoked_at is not None:
        raise Gone("This link was revoked by the facilitator. Ask them for a new one.")
    return share, session


def still_active(db: Db, share_id: int) -> bool:
    revoked = db.execute(select(col(SessionShare.revoked_at)).where(col(SessionShare.id) == share_id)).one_or_none()
    return revoked is not None and revoked[0] is None
