"""Joining a session from a phone: no account, just a name and an organisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.db import Db, known, write_transaction
from app.domain import OrganizationType, Permission, Phase
from app.errors import Conflict, Invalid, NotFound, TooManyRequests
from app.models import Facilitator, Participant, Session
from app.services import audit, events, ideas, sessions
from app.services.text import clean_text
from app.services.throttle import RateLimitStore, Throttle


def public(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "name": participant.name,
        "organization_type": participant.organization_type,
        "organization": participant.organization,
    }


def count(db: Db, session_id: int) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(Participant)
            .where(col(Participant.session_id) == session_id, ~col(Participant.removed))
        )
        or 0
    )


def join(
    db: Db,
    *,
    join_code: str,
    name: str,
    organization_type: str,
    organization: str,
    session: Session | None = None,
) -> tuple[Participant, int]:
    """``session``: the one ``join_code`` names, when the caller has just found it
    (``JoinGuard``): not looked up a second time. Its state is read again under the lock."""
    if session is None:
        session = sessions.find_open_by_code(db, join_code)
    name = clean_text(name, field="Name", max_length=120)
    if organization_type not in OrganizationType.__members__:
        raise Invalid("Choose an organisation type.")
    organization = clean_text(organization, field="Organisation", max_length=160)
    with write_transaction(db):
        # FOR UPDATE: on PostgreSQL, concurrent joins must count one after another, or
        # two of them count the same rows and the newest participant.joined event
        # carries a stale participant_count (seen in tests/live/test_event_log.py). It also
        # keeps a join from slipping past a concurrent close. SQLite ignores it: BEGIN
        # IMMEDIATE already serialises writers.
        current = sessions.locked(db, session.id)
        locked = current.join_locked
        if current.phase == Phase.closed.value and not sessions.late_open(current):
            raise Conflict("This session is closed.")
        if locked:
            raise Conflict("Joining is locked for this session. Ask the facilitator.")
        participant = Participant(
            session_id=session.id, name=name, organization_type=organization_type, organization=organization
        )
        db.add(participant)
        db.flush()
        seq = events.record(
            db,
            session_id=session.id,
            type="participant.joined",
            payload={"participant": public(participant), "participant_count": count(db, session.id)},
        )
    return participant, seq


def remove(db: Db, *, facilitator: Facilitator, participant_id: int, hide_ideas: bool = False) -> int:
    """The facilitator takes someone out of the session (a prankster with the code):
    their phone can no longer act or follow; their ideas stay, for the facilitator to
    hide, or (``hide_ideas``) are hidden in the same transaction: one action, each
    idea's ``idea.hidden`` and then ``participant.removed``, all or nothing, so no
    screen ever shows the person gone and their ideas still up (or the other way
    round). Returns the seq of ``participant.removed``."""
    participant = db.get(Participant, participant_id)
    if participant is None or participant.removed:
        raise NotFound("Participant not found.")
    session = sessions.get_for_facilitator(
        db, facilitator=facilitator, session_id=participant.session_id, permission=Permission.run
    )
    workshop_id = sessions.workshop_id_of(db, session)
    with write_transaction(db):
        db.execute(select(col(Session.id)).where(col(Session.id) == participant.session_id).with_for_update()).one()
        participant = known(db, Participant, participant_id, populate_existing=True)
        if participant.removed:
            raise NotFound("Participant not found.")
        if hide_ideas:
            ideas.hide_all_locked(db, session_id=participant.session_id, participant_id=participant.id)
        participant.removed = True
        db.flush()
        audit.record(
            db,
            actor=facilitator,
            action=audit.Action.participant_removed,
            target=f"participant #{participant.id} in session #{participant.session_id}",  # never the name
            workshop_id=workshop_id,
            session_id=participant.session_id,
        )
        return events.record(
            db,
            session_id=participant.session_id,
            type="participant.removed",
            payload={"participant_id": participant.id, "participant_count": count(db, participant.session_id)},
        )


def active(db: Db, session_id: int) -> list[Participant]:
    """Everyone in the session now (removed people left), in joining order."""
    return list(
        db.scalars(
            select(Participant)
            .where(col(Participant.session_id) == session_id, ~col(Participant.removed))
            .order_by(col(Participant.id))
        )
    )


def removed_from(db: Db, session_id: int) -> list[Participant]:
    """Those taken out of the session, in joining order: their data can still be
    downloaded and erased."""
    return list(
        db.scalars(
            select(Participant)
            .where(col(Participant.session_id) == session_id, col(Participant.removed))
            .order_by(col(Participant.id))
        )
    )


def get_active(db: Db, participant_id: int, session_id: int) -> Participant | None:
    participant = db.get(Participant, participant_id)
    if participant is None or participant.removed or participant.session_id != session_id:
        return None
    return participant


class JoinGuard:
    """Joining from one network address: wrong codes are limited (60 a minute) so
    join codes cannot be enumerated, and joins themselves (``joins_per_minute``, 0 =
    no limit) so a script cannot fill a session with fake people. The defaults leave
    room for a whole ballroom behind one hotel NAT, typos included."""

    WRONG_CODES_PER_MINUTE = 60

    def __init__(self, joins_per_minute: int = 600, store: RateLimitStore | None = None) -> None:
        store = store or RateLimitStore()
        self.wrong_codes = Throttle("join-wrong-code", self.WRONG_CODES_PER_MINUTE, 60, store)
        self.joins = Throttle("join", joins_per_minute, 60, store) if joins_per_minute else None

    def find(self, db: Db, code: str, *, address: str) -> Session:
        """``sessions.find_open_by_code``, counting the misses of this address."""
        wait = self.wrong_codes.retry_after(address)
        if wait:
            raise TooManyRequests(
                "Too many wrong codes from this network. Wait %(seconds)s seconds, then check the code on the screen.",
                retry_after=wait,
                seconds=wait,
            )
        try:
            return sessions.find_open_by_code(db, code)
        except NotFound:
            self.wrong_codes.fail(address)
            raise

    def join(
        self, db: Db, *, join_code: str, name: str, organization_type: str, organization: str, address: str
    ) -> tuple[Participant, int]:
        wait = self.joins.retry_after(address) if self.joins else 0
        if wait:
            raise TooManyRequests(
                "Too many people joined from this network just now. Wait %(seconds)s seconds, then try again.",
                retry_after=wait,
                seconds=wait,
            )
        session = self.find(db, join_code, address=address)
        participant, seq = join(
            db,
            join_code=session.join_code,
            name=name,
            organization_type=organization_type,
            organization=organization,
            session=session,
        )
        if self.joins:
            self.joins.fail(address)  # counts one join
        return participant, seq
