"""A workshop's team: its owner and the members they invite, each with a role
(``app.domain.Role``). Only the owner changes the team; everyone in it sees it.

An invitation names an e-mail address: an existing account joins at once; for an
address without one, an account is made without a password and the owner gets a
one-time setup link to hand over (the invited person sets their name and password
there, ``app.services.facilitators.complete_invite``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from app.db import Db, write_transaction
from app.domain import MEMBER_ROLES, Permission, Role
from app.errors import Conflict, Invalid, NotFound
from app.models import Facilitator, WorkshopMember
from app.services import facilitators, workshops
from app.services.text import shown


@dataclass(frozen=True)
class Member:
    facilitator_id: int
    name: str
    email: str
    role: Role
    awaiting_setup: bool  # invited without an account: the setup link is not used yet
    since: datetime


@dataclass(frozen=True)
class Invitation:
    member: Member
    created: bool  # a new member (201), not a changed role or a new link (200)
    setup_token: str | None  # only for an account still waiting for its setup


def members(db: Db, *, facilitator: Facilitator, workshop_id: int) -> list[Member]:
    """The owner first, then the members in the order they joined (anyone in the team)."""
    workshop = workshops.get_workshop(db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.read)
    owner = db.get(Facilitator, workshop.owner_id)
    out = []
    if owner is not None:
        out.append(_member(owner, Role.owner, workshop.created_at))
    rows = db.execute(
        select(WorkshopMember, Facilitator)
        .join(Facilitator, col(Facilitator.id) == col(WorkshopMember.facilitator_id))
        .where(col(WorkshopMember.workshop_id) == workshop.id)
        .order_by(col(WorkshopMember.created_at), col(WorkshopMember.facilitator_id))
    ).all()
    out.extend(_member(account, Role(member.role), member.created_at) for member, account in rows)
    return out


def _member(account: Facilitator, role: Role, since: datetime) -> Member:
    return Member(
        facilitator_id=account.id,
        name=account.name,
        email=account.email,
        role=role,
        awaiting_setup=facilitators.awaiting_setup(account),
        since=since,
    )


def member_role(value: str) -> Role:
    if value not in {role.value for role in MEMBER_ROLES}:
        raise Invalid("Unknown role %(role)s; choose co_facilitator or scribe.", role=shown(str(value)))
    return Role(value)


def invite(db: Db, *, facilitator: Facilitator, workshop_id: int, email: str, role: str) -> Invitation:
    """Add the account with this e-mail to the team with ``role``, or give a member a
    new role; an address without an account gets one, with a setup link. The owner only."""
    workshop = workshops.get_workshop(
        db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.manage
    )
    wanted = member_role(role)
    address = facilitators.normalise_email(email)
    with write_transaction(db):
        account = facilitators.find_by_email(db, address)
        if account is not None and account.id == workshop.owner_id:
            raise Conflict("You own this workshop already: invite someone else.")
        created = account is None
        if account is None:
            account = facilitators.invite_account(db, email=address)
        elif not account.is_active:
            raise Conflict("This account is switched off; it cannot join a team.")
        member = db.get(WorkshopMember, (workshop.id, account.id), with_for_update=True)
        waiting = facilitators.awaiting_setup(account)
        if member is None:
            member = WorkshopMember(workshop_id=workshop.id, facilitator_id=account.id, role=wanted.value)
            db.add(member)
            created = True
        elif member.role != wanted.value:
            member.role = wanted.value
        elif not waiting:
            raise Conflict(
                "%(email)s is already in this workshop's team as %(role)s.",
                email=account.email,
                role=_role_msgid(wanted),
            )
        # A link for whoever has not set up their account yet: a lost link is replaced
        # by inviting again (the old one still dies once the account has a password).
        token = facilitators.issue_invite_token(db, facilitator=account) if waiting else None
        db.flush()
        out = _member(account, wanted, member.created_at)
    return Invitation(member=out, created=created, setup_token=token)


def _role_msgid(role: Role) -> str:
    return {"co_facilitator": "co-facilitator", "scribe": "scribe", "owner": "owner"}[role.value]


def remove(db: Db, *, facilitator: Facilitator, workshop_id: int, member_id: int) -> None:
    """Take a member off the team (the owner only; the owner stays: 409). Their account
    stays: it may be in other teams."""
    workshop = workshops.get_workshop(
        db, facilitator=facilitator, workshop_id=workshop_id, permission=Permission.manage
    )
    if member_id == workshop.owner_id:
        raise Conflict("The owner cannot be removed from the workshop's team.")
    with write_transaction(db):
        member = db.get(WorkshopMember, (workshop.id, member_id), with_for_update=True)
        if member is None:
            raise NotFound("Member not found.")
        db.delete(member)
